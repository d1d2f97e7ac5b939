"""Pinyin glosses: ``發(fā)布`` → ``發布``, removed only on evidence.

A parenthesised run of syllables after Han characters is removed when each syllable is a
reading of the character it follows (or of that character's Simplified or Traditional
counterpart), so ``(廣州)``, ``(IC)``, ``(1997)``, ``(COVID-19)`` and ``(a)`` after a
character not read "a" stay. Tone marks, tone numbers, no tone, ü written ``v`` or
``u:``, and ASCII or full-width parentheses are all understood.

Teaching text glosses most characters on purpose (``蜜(mì)蜂(fēng)``); spun pages gloss a
sparse, fixed set. A line where at least half of the Han characters are glossed (two
glosses at least) is teaching text and keeps its glosses, unless ``gloss="all"``.

A gloss that names a reading other than the character's first (most common) one picks a
polyphone's reading on purpose (``行(xíng)走和银行(háng)``): that is data, and its line is
about readings, so every gloss on it stays (unless ``gloss="all"``). Spinners gloss with
the default reading.

Glosses in a chain (``發(fā)(fā)``, ``發(fa1)（fā）``) are judged together against the
characters before the first, so one pass removes them all. A gloss with a full-width
bracket may stand after spaces (``發 （fā）``): the width stage makes its brackets full-width
and the spacing stage then removes the spaces between the ideograph and ``（``, so a second
pass would find it glued to the character; it is judged as if it were, and goes with the
spaces.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from functools import cache, lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING

from .. import data_files
from ..chars.classes import is_han
from ..text import Edit
from .base import Stage

if TYPE_CHECKING:
    import numpy as np
else:
    from ..lazy_numpy import np

# The inside is bounded and free of parentheses, so the scan stays linear on any input.
_GLOSS = re.compile("[(（]([^()（）\\n\\r]{1,64})[)）]")
_SYLLABLE = re.compile(r"([a-zA-Z\u00C0-\u024F\u1E00-\u1EFF\u0300-\u030C:]{1,8})([0-5]?)")
_TONE_MARKS = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}


def parse_syllable(text: str) -> tuple[str, int | None] | None:
    """``"fā"``, ``"fa1"`` or ``"fa"`` → ``("fa", 1)`` / ``("fa", None)``; None if not pinyin."""
    match = _SYLLABLE.fullmatch(text)
    if match is None:
        return None
    letters, digit = match.groups()
    tone: int | None = int(digit) if digit else None
    if tone == 0:
        tone = 5
    base: list[str] = []
    for char in unicodedata.normalize("NFD", letters.lower()):
        if char in _TONE_MARKS:
            if tone is not None and tone != _TONE_MARKS[char]:
                return None
            tone = _TONE_MARKS[char]
        elif char == "\u0308":  # ü
            if not base or base[-1] != "u":
                return None
            base[-1] = "v"
        elif char == "\u0302":  # ê
            continue
        elif "a" <= char <= "z":
            base.append(char)
        elif char == ":" and base and base[-1] == "u":
            base[-1] = "v"
        else:
            return None
    if not base:
        return None
    return "".join(base), tone


@cache
def _reading_rows() -> tuple[str, list[int], list[str]]:
    """``data/readings.tsv`` as (every row's characters joined, where each row's end, rows).

    The file is derived from pypinyin's ``pinyin_dict`` and OpenCC's tables by
    ``tools/build_readings.py`` (see there for the family): reading it costs a few
    milliseconds, where importing pypinyin and parsing the tables cost most of a fresh
    process's first call. A character is found by one search of the joined characters,
    and only its row is parsed: no table of 40,000 characters is built for the few a
    text glosses."""
    text = data_files.read_text("readings.tsv")
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    chars = [row.rpartition("\t")[2] for row in rows]
    return "".join(chars), list(accumulate(map(len, chars))), rows


def _reading_row(char: str) -> list[str] | None:
    """(the family's readings, their first readings) of ``char``, as the file writes them."""
    joined, ends, rows = _reading_rows()
    at = joined.find(char) if len(char) == 1 else -1
    return rows[bisect_right(ends, at)].split("\t") if at >= 0 else None


def _parse_readings(field: str) -> frozenset[tuple[str, int]]:
    return frozenset((s[:-1], int(s[-1])) for s in field.split())


@lru_cache(maxsize=8192)
def readings(char: str) -> frozenset[tuple[str, int]]:
    """Readings of ``char`` and of its Simplified/Traditional counterparts, as (letters, tone)."""
    row = _reading_row(char)
    return _parse_readings(row[0]) if row else frozenset()


@lru_cache(maxsize=8192)
def _first_readings(char: str) -> frozenset[tuple[str, int]]:
    """The first (most common) reading of each character of ``char``'s family."""
    row = _reading_row(char)
    return _parse_readings(row[1]) if row else frozenset()


def is_reading(char: str, syllable: tuple[str, int | None]) -> bool:
    letters, tone = syllable
    return any(letters == l and (tone is None or tone == t) for l, t in readings(char))


_SEPARATORS = re.compile(r"[ \t'’-]+")
_TONE_THEN_LETTER = re.compile(r"(?<=[0-5])(?=[a-zA-Z])")


@lru_cache(maxsize=8192)
def _syllables(inner: str) -> tuple[tuple[str, int | None], ...] | None:
    """The syllables of a parenthesised gloss, or None if it is not all pinyin."""
    out = []
    for part in _SEPARATORS.split(inner.strip()):
        # "fa1bu4": tone numbers also separate syllables.
        for piece in _TONE_THEN_LETTER.split(part):
            if piece:
                parsed = parse_syllable(piece)
                if parsed is None:
                    return None
                out.append(parsed)
    return tuple(out) if 0 < len(out) <= 8 else None


@lru_cache(maxsize=65536)
def _reads(glossed: str, inner: str) -> bool:
    syllables = _syllables(inner)
    return (
        syllables is not None
        and len(syllables) == len(glossed)
        and all(is_han(c) for c in glossed)
        and all(is_reading(c, s) for c, s in zip(glossed, syllables))
    )


class GlossStage(Stage):
    name = "gloss"

    def rule_of(self, text: str, edit: Edit) -> str:  # noqa: ARG002 - the hook's signature
        # every gloss removed is one whose syllables read the characters before it
        return "gloss.all" if self.options.gloss == "all" else "gloss.reading_match"

    def _candidates(self, text: str) -> list[tuple[int, int, int, bool]]:
        """(start, end, glossed Han characters, names a reading other than the default)
        for every gloss that reads right.

        Glosses in a chain (``發(fā)(fa1)``) are judged against the characters before the
        chain, up to the first that does not read them: removing one gloss must leave no
        gloss that a second pass would remove."""
        found: list[tuple[int, int, int, bool]] = []
        chain_start = chain_end = -1
        for match in _GLOSS.finditer(text):
            start = match.start()
            if "（" in match.group() or "）" in match.group():
                while start and text[start - 1] == " ":
                    start -= 1  # spaces the spacing stage would remove go with it
            anchor = chain_start if start == chain_end else start
            if not anchor or not is_han(text[anchor - 1]):
                continue
            inner = match.group(1)
            syllables = _syllables(inner)
            if syllables is None:
                continue
            count = len(syllables)
            if anchor >= count and _reads(text[anchor - count : anchor], inner):
                glossed = text[anchor - count : anchor]
                found.append((start, match.end(), count, not _default(glossed, inner)))
                chain_start, chain_end = anchor, match.end()
        return found

    def edits(self, text: str) -> list[Edit]:
        removals = self._removals(text)
        rows = removals if isinstance(removals, list) else removals.tolist()
        return [Edit(start, end, "") for start, end in rows]

    def transform(self, text: str) -> str:
        removals = self._removals(text)
        if not len(removals):
            return text
        if isinstance(removals, list):
            starts, ends = [s for s, _ in removals], [e for _, e in removals]
        else:  # a long text's rows, as columns in one call
            starts, ends = removals.T.tolist()
        return "".join([text[a:b] for a, b in zip([0, *ends], [*starts, len(text)])])

    def _removals(self, text: str) -> list[tuple[int, int]] | np.ndarray:
        """The spans to remove, in text order: pairs for a short text (no numpy), rows of
        an array for a long one."""
        if "(" not in text and "（" not in text:
            return []
        if len(text) < _VECTOR_MIN:
            candidates = self._candidates(text)
            if self.options.gloss == "all":
                return [(start, end) for start, end, _, _ in candidates]
            return _outside_teaching_lines_short(text, candidates)
        found, picks = _candidates_vectorised(text)
        if not len(found) or self.options.gloss == "all":
            return found[:, :2]
        return _outside_teaching_lines(text, found, picks)


@lru_cache(maxsize=65536)
def _default(glossed: str, inner: str) -> bool:
    """Whether the gloss names each character's first reading (pypinyin lists the most
    common first), or that of a Simplified/Traditional counterpart. Spinners gloss with the default reading (all 140 glosses of the seed and
    spun pages do); a writer glosses a polyphone to pick another one: 银行(háng)."""
    syllables = _syllables(inner) or ()
    for char, (letters, tone) in zip(glossed, syllables):
        firsts = _first_readings(char)
        if firsts and not any(letters == l and (tone is None or tone == t) for l, t in firsts):
            return False
    return True


def _outside_teaching_lines(text: str, found: np.ndarray, picks: np.ndarray) -> np.ndarray:
    """The glosses on lines that are neither teaching text nor about readings (see the
    module docstring): ``found`` holds each candidate's start, end and glossed characters,
    ``picks`` whether it names a reading other than the default. Lines end at LF or CR, so
    CR-only text is judged line by line too."""
    from ..chars.script import code_points

    cp = code_points(text)
    han = ((cp >= 0x3400) & (cp <= 0x9FFF)) | ((cp >= 0xF900) & (cp <= 0xFAFF)) | (cp >= 0x20000)
    han_before = np.zeros(len(cp) + 1, dtype=np.int32)
    np.cumsum(han, dtype=np.int32, out=han_before[1:])
    breaks = np.flatnonzero((cp == 10) | (cp == 13))
    # A chain of glosses on one character counts once.
    chained = np.zeros(len(found), dtype=bool)
    chained[1:] = found[1:, 0] == found[:-1, 1]
    line = np.searchsorted(breaks, found[:, 0])
    line_start = np.concatenate(([-1], breaks))[line] + 1
    line_end = np.concatenate((breaks, [len(text)]))[line]
    glosses = np.bincount(line, weights=~chained)[line]
    glossed = np.bincount(line, weights=found[:, 2] * ~chained)[line]
    about_readings = np.bincount(line, weights=picks)[line] > 0
    han_in_line = han_before[line_end] - han_before[line_start]
    teaching = ((glosses >= 2) & (glossed * 2 >= han_in_line)) | about_readings
    return found[~teaching, :2]


def _outside_teaching_lines_short(
    text: str, candidates: list[tuple[int, int, int, bool]]
) -> list[tuple[int, int]]:
    """``_outside_teaching_lines`` over the list of ``_candidates``, for short texts."""
    breaks = [m.start() for m in _LINE_BREAK.finditer(text)]
    lines = [bisect_left(breaks, start) for start, *_ in candidates]
    glosses: dict[int, int] = {}
    glossed: dict[int, int] = {}
    about_readings: set[int] = set()
    previous_end = -1
    for line, (start, end, count, pick) in zip(lines, candidates):
        if start != previous_end:  # a chain of glosses on one character counts once
            glosses[line] = glosses.get(line, 0) + 1
            glossed[line] = glossed.get(line, 0) + count
        if pick:
            about_readings.add(line)
        previous_end = end
    teaching = set(about_readings)
    for line, count in glosses.items():
        line_start = breaks[line - 1] + 1 if line else 0
        line_end = breaks[line] if line < len(breaks) else len(text)
        han = sum(map(_counts_as_han, text[line_start:line_end]))
        if count >= 2 and glossed[line] * 2 >= han:
            teaching.add(line)
    return [(c[0], c[1]) for line, c in zip(lines, candidates) if line not in teaching]


def _counts_as_han(char: str) -> bool:
    """What ``_outside_teaching_lines`` counts as Han (past U+1FFFF: everything)."""
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff" or char >= "\U00020000"


_LINE_BREAK = re.compile("[\n\r]")

_VECTOR_MIN = 4096  # characters: below, the regex loop of ``_candidates`` is cheaper
_OPEN, _CLOSE = (0x28, 0xFF08), (0x29, 0xFF09)


@cache
def _syllable_openers() -> np.ndarray:
    """Code point (BMP; higher ones clip to the last entry, False) -> whether a gloss's
    inside may begin with it and still be syllables (``_syllables``): whitespace, which
    ``strip`` removes; a separator; or a character of ``_SYLLABLE``'s letters."""
    table = np.zeros(0x10001, dtype=bool)
    table[[c for c in range(0x3001) if chr(c).isspace()]] = True  # none lies above U+3000
    table[[ord(c) for c in " \t'’-:"]] = True
    for first, last in ("AZ", "az", "\u00c0\u024f", "\u1e00\u1eff", "\u0300\u030c"):
        table[ord(first) : ord(last) + 1] = True
    return table


def _may_open_syllables(first: np.ndarray) -> np.ndarray:
    """Per first character of an inside: whether ``_syllables`` may accept that inside."""
    return _syllable_openers().take(first, mode="clip")


def _candidates_vectorised(text: str) -> tuple[np.ndarray, np.ndarray]:
    """``GlossStage._candidates`` for a long text, as arrays (start, end, glossed
    characters per row; whether each names another reading). Spun pages hold a gloss every
    hundred characters: the matches are found over the code points, and each distinct
    gloss, and each distinct glossed character with its gloss, is judged once. Glosses in
    a chain (one right after another) are judged in order, as ``_candidates`` does."""
    from ..chars.script import code_points

    cp = code_points(text)
    special = (cp == _OPEN[0]) | (cp == _OPEN[1]) | (cp == _CLOSE[0]) | (cp == _CLOSE[1])
    special |= (cp == 0x0A) | (cp == 0x0D)  # what ``_GLOSS``'s inside may not hold
    at = np.flatnonzero(special)
    a, b = at[:-1], at[1:]
    opens = (cp[a] == _OPEN[0]) | (cp[a] == _OPEN[1])
    closes = (cp[b] == _CLOSE[0]) | (cp[b] == _CLOSE[1])
    match = opens & closes & (b - a >= 2) & (b - a <= 65)  # 1 to 64 characters inside
    # An inside that cannot open with a syllable is no gloss (``(新华社记者)``, ``(1997)``):
    # its syllables are None, as ``_syllables`` would find, so it is left out here.
    match[match] = _may_open_syllables(cp[a[match] + 1])
    starts, ends = a[match], b[match] + 1
    m = len(starts)
    empty = np.zeros((0, 3), dtype=np.int64), np.zeros(0, dtype=bool)
    if not m:
        return empty
    ids, distinct = _distinct_insides(cp, starts, ends)
    count_of = np.array([len(_syllables(x) or ()) for x in distinct], dtype=np.int64)
    count = count_of[ids]
    # Each gloss judged against the characters right before it (its own anchor).
    before = cp[np.maximum(starts - 1, 0)]
    han_before = (starts > 0) & _is_han_points(before)
    ok = han_before & (count > 0) & (starts >= count)
    default = np.ones(m, dtype=bool)
    single = ok & (count == 1)
    keys = before[single].astype(np.int64) * len(distinct) + ids[single]
    unique, back = np.unique(keys, return_inverse=True)
    verdicts = [
        (
            _reads(chr(k // len(distinct)), distinct[k % len(distinct)]),
            _default(chr(k // len(distinct)), distinct[k % len(distinct)]),
        )
        for k in unique.tolist()
    ]
    reads = np.array([v[0] for v in verdicts], dtype=bool).reshape(-1)
    defaults = np.array([v[1] for v in verdicts], dtype=bool).reshape(-1)
    ok[single] = reads[back]
    default[single] = defaults[back]
    for k in np.flatnonzero(ok & (count > 1)).tolist():
        s, n = int(starts[k]), int(count[k])
        glossed = text[s - n : s]
        ok[k] = _reads(glossed, distinct[ids[k]])
        default[k] = _default(glossed, distinct[ids[k]])
    # Chains: a gloss right after an accepted one is judged against that one's anchor.
    anchor = starts.copy()
    for k in np.flatnonzero(starts[1:] == ends[:-1]).tolist():
        k += 1
        if not ok[k - 1]:
            continue  # judged on its own anchor, as above
        at = int(anchor[k - 1])
        anchor[k] = at
        n = int(count[k])
        ok[k] = bool(at) and is_han(text[at - 1]) and n > 0 and at >= n
        if ok[k]:
            glossed = text[at - n : at]
            ok[k] = _reads(glossed, distinct[ids[k]])
            default[k] = ok[k] and _default(glossed, distinct[ids[k]])
    rows = np.stack((starts[ok], ends[ok], count[ok]), axis=1).astype(np.int64)
    return rows, ~default[ok]


def _distinct_insides(
    cp: np.ndarray, starts: np.ndarray, ends: np.ndarray
) -> tuple[np.ndarray, list[str]]:
    """Each match's inside (between its brackets) as an index into the distinct insides,
    and those insides. A spun page repeats a few dozen glosses thousands of times: the
    insides are compared as rows of code points, one array per length, and only the
    distinct ones become strings."""
    lengths = ends - starts - 2
    ids = np.empty(len(starts), dtype=np.int64)
    distinct: list[str] = []
    for length in np.unique(lengths).tolist():
        which = np.flatnonzero(lengths == length)
        rows = cp[starts[which, None] + 1 + np.arange(length)]
        bits = int(rows.max()).bit_length()
        if bits * length <= 64:  # each row packed into one integer, exactly
            keys = np.zeros(len(which), dtype=np.uint64)
            for k in range(length):
                keys |= rows[:, k].astype(np.uint64) << np.uint64(bits * k)
            unique, back = np.unique(keys, return_inverse=True)
            some = np.zeros(len(unique), dtype=np.intp)
            some[back.reshape(-1)] = np.arange(len(which))  # any row of each: they are equal
            uniques = rows[some]
        else:
            keys = np.ascontiguousarray(rows).view(np.dtype((np.void, 4 * length))).ravel()
            unique, back = np.unique(keys, return_inverse=True)
            uniques = unique.view(np.uint32).reshape(-1, length)
        ids[which] = len(distinct) + back.reshape(-1)
        distinct.extend(row.tobytes().decode("utf-32-le", "surrogatepass") for row in uniques)
    return ids, distinct


def _is_han_points(points: np.ndarray) -> np.ndarray:
    """``is_han`` over an array of code points."""
    return (
        ((points >= 0x4E00) & (points <= 0x9FFF))
        | ((points >= 0x3400) & (points <= 0x4DBF))
        | ((points >= 0x20000) & (points <= 0x3FFFF))
        | ((points >= 0xF900) & (points <= 0xFAFF))
        | (points == 0x3005)
        | (points == 0x3007)
    )
