"""The mojibake stage, and its first look: may this text hold mojibake at all?

Why a module of its own: most text holds no character that mojibake is made of, and for it
the repairs (``mojibake.py``, 1,500 lines, with tables built from the codecs and the
character frequencies) need not be loaded: loading them was a large share of a fresh
process's first call. The stage asks ``may_hold_mojibake`` and loads the repairs only
where it says yes. It is a necessary condition of ``mojibake.find_repairs`` (which asks the
same questions first, through these functions), so it never changes a result.

Every kind of mojibake the repairs know starts with a character of ``may_start``: a
Latin-1 character (a byte read as Latin-1 or cp1252), or the character a UTF-8 lead and
continuation make read as GBK or Big5; or, for GBK read a byte off, ends at
``shift_ends``: an ASCII character right after a character from U+3000 up.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

from ..text import Alignment, Edit, apply_edits
from .base import Stage

if TYPE_CHECKING:
    from .mojibake import Repair

#: Characters from U+3000 up: what GBK and Big5 misreadings are made of.
WIDE = re.compile("[^\x00-\u2fff]")  # a negated class compiles faster than the range
#: An ASCII character (the trail byte of a GBK character) right after a non-ASCII one,
#: and not inside an ASCII word: where a reading a byte off falls back in step.
SHIFT_END = re.compile(r"[\u3000-\u9fff\uf900-\uffef][\x40-\x7e](?![A-Za-z0-9])")
#: cp1252's signs above U+00FF that Chinese text does not write itself (it writes …“”‘’—
#: often): one of them can be all a garbled fragment has (``ˆD``, GBK 88 44 圖).
CP1252_RARE = "".join(
    sorted(
        c
        for c in bytes(range(0x80, 0xA0)).decode("cp1252", errors="replace")
        if "\xff" < c < "\ufffd" and c not in "…“”‘’—"
    )
)
#: Combining marks: NFC (the unicode stage) joins ``e\u0301`` into a Latin-1 ``é``, which
#: the repairs read as that character (``mojibake._composed``).
COMBINING = "".join(map(chr, range(0x300, 0x370)))
_SET_BELOW = 256  # characters; a short text is looked up in ``_start_set``, no regex built


def chars_from(codec: str, leads: range, trails: range | list[int]) -> str:
    """Every non-ASCII character one of the two-byte sequences decodes to in ``codec``."""
    out = set()
    for lead in leads:
        for trail in trails:
            try:
                c = bytes((lead, trail)).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(c) == 1 and c >= "\x80":
                out.add(c)
    return "".join(sorted(out))


@lru_cache(maxsize=1)
def first_chars() -> tuple[str, str]:
    """A UTF-8 lead and continuation of CJK text read as one GBK character, and as Big5."""
    return (
        chars_from("gb18030", range(0xE0, 0xF5), range(0x80, 0xC0)),
        chars_from("big5", range(0xE0, 0xF5), range(0xA1, 0xC0)),
    )


@lru_cache(maxsize=1)
def _start_set() -> frozenset[str]:
    """The characters of ``_start_class``, for short texts: building this set costs a
    millisecond, compiling the class several."""
    gbk, big5 = first_chars()
    return frozenset(map(chr, range(0x80, 0x100))) | frozenset(gbk + big5 + CP1252_RARE + COMBINING)


@lru_cache(maxsize=1)
def _start_class() -> re.Pattern[str]:
    gbk, big5 = first_chars()
    return re.compile(f"[\\x80-\\xff{re.escape(gbk + big5 + CP1252_RARE + COMBINING)}]")


def may_start(text: str) -> bool:
    """Whether ``text`` holds a character mojibake may start with (see the module notes)."""
    if len(text) < _SET_BELOW:
        return not _start_set().isdisjoint(text)
    return _start_class().search(text) is not None


def shift_ends(text: str) -> list[int]:
    """Positions of an ASCII character that may end a one-byte-off span (``SHIFT_END``).

    Long texts are scanned over code points with numpy: the regex, whose first class
    matches almost every character of Chinese text, costs ten times more there.
    """
    if len(text) < 4096:
        return [match.start() + 1 for match in SHIFT_END.finditer(text)]
    import numpy as np

    from ..chars.script import code_points

    cp = code_points(text)
    # the ASCII characters first (few in Chinese text), then their neighbours
    at = np.flatnonzero((cp[1:] - np.uint32(0x40)) < 0x3F) + 1  # 0x40..0x7E, one compare
    prev = cp[at - 1]
    nxt = np.where(at + 1 < len(cp), cp[np.minimum(at + 1, len(cp) - 1)], 0)
    cjk = ((prev >= 0x3000) & (prev <= 0x9FFF)) | ((prev >= 0xF900) & (prev <= 0xFFEF))
    alnum_next = (
        ((nxt >= 0x30) & (nxt <= 0x39))
        | ((nxt >= 0x41) & (nxt <= 0x5A))
        | ((nxt >= 0x61) & (nxt <= 0x7A))
    )
    return at[cjk & ~alnum_next].tolist()


def may_hold_mojibake(text: str) -> bool:
    """False only for text where ``find_repairs`` finds nothing (its own first test)."""
    return may_start(text) or (WIDE.search(text) is not None and bool(shift_ends(text)))


#: Passes of the repairs after the first: each one only where the last repaired something.
_MAX_ROUNDS = 3
_loaded = False  # whether some text has needed the repairs module


def _find_repairs(text: str) -> list[Repair]:
    """``mojibake.find_repairs(text)``, loading the module only for a text that may hold
    mojibake. Once it is loaded, its own first test is the gate: asking here too would
    only scan a long text twice."""
    global _loaded
    if not _loaded:
        if not may_hold_mojibake(text):
            return []
        _loaded = True
    from .mojibake import find_repairs

    return find_repairs(text)


def _rounds(text: str) -> Iterator[list[Repair]]:
    """The repairs of each round (of the text the rounds before made), until one finds
    nothing more: what a second pass would find, found by this one. A round's repairs are
    judged on the text the rounds before left, so a fragment that a repaired neighbour
    or the run's codec held back (``ß^3¬´``: the run read as Big5 leaves the GBK ``ß^``)
    is read as the second pass reads it, alone."""
    repairs = _find_repairs(text)
    for _ in range(_MAX_ROUNDS + 1):
        if not repairs:
            return
        yield repairs
        text = apply_edits(text, [Edit(r.start, r.end, r.replacement) for r in repairs])
        repairs = _find_repairs(text)


class MojibakeStage(Stage):
    """Repair mojibake and GBK byte misalignment; flag rare-character runs left unexplained."""

    name = "mojibake"
    chinese_only = False  # mojibake of any text is repaired on the evidence of its bytes

    def edits(self, text: str) -> list[Edit]:
        """The repairs, run to a fixed point: a repair can be the evidence a neighbouring
        run lacked (``ß^`` beside a repaired 发 reads as 过 once the text around is
        Chinese), and a second pass of the pipeline must find nothing left to do."""
        rounds = Alignment(text)  # the rounds' edits, against this stage's input
        current = text
        for repairs in _rounds(text):
            edits = [Edit(r.start, r.end, r.replacement) for r in repairs]
            current = rounds.compose(self.name, current, edits)
        return [Edit(c.start, c.end, c.after) for c in rounds.changes]

    def named(self, text: str, edits: list[Edit]) -> list[Edit]:
        if not edits:
            return []
        from .mojibake import find_repairs

        repairs = find_repairs(text)

        def kind(e: Edit) -> str | None:  # an edit of several rounds: its first repair's
            return next((r.kind for r in repairs if e.start <= r.start < e.end), None)

        return [Edit(e.start, e.end, e.replacement, _rule_name(kind(e))) for e in edits]

    def transform(self, text: str) -> str:
        for repairs in _rounds(text):
            text = apply_edits(text, [Edit(r.start, r.end, r.replacement) for r in repairs])
        return text

    def notes(self, text: str) -> dict[str, str]:
        from .mojibake import find_repairs, suspect_spans

        repairs = find_repairs(text)
        notes = {}
        if repairs:
            notes["mojibake"] = "; ".join(
                f"{r.start}:{r.end} {text[r.start : r.end]!r} -> {r.replacement!r} ({r.kind})"
                for r in repairs
            )
        suspects = suspect_spans(text, repairs)
        if suspects:
            notes["mojibake.suspect"] = "; ".join(f"{a}:{b} {text[a:b]!r}" for a, b in suspects)
        return notes


def _rule_name(kind: str | None) -> str:
    """``mojibake.utf_8_read_as_gbk`` for the repair kind ``utf-8 read as gbk``."""
    if not kind:
        return "mojibake.repair"
    return "mojibake." + "".join(c if c.isalnum() else "_" for c in kind.lower())
