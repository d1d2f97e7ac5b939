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
from bisect import bisect_right
from functools import cache, lru_cache
from itertools import accumulate

from .. import data_files
from ..chars.classes import is_han
from ..text import Edit
from .base import Stage

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
        return [Edit(start, end, "") for start, end in self._removals(text)]

    def transform(self, text: str) -> str:
        removals = self._removals(text)
        if not removals:
            return text
        parts, prev = [], 0
        for start, end in removals:
            parts.append(text[prev:start])
            prev = end
        parts.append(text[prev:])
        return "".join(parts)

    def _removals(self, text: str) -> list[tuple[int, int]]:
        if "(" not in text and "（" not in text:
            return []
        candidates = self._candidates(text)
        if not candidates or self.options.gloss == "all":
            return [(start, end) for start, end, _, _ in candidates]
        return _outside_teaching_lines(text, candidates)


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


def _outside_teaching_lines(
    text: str, candidates: list[tuple[int, int, int, bool]]
) -> list[tuple[int, int]]:
    """The glosses on lines that are neither teaching text nor about readings (see the
    module docstring). Lines end at LF or CR, so CR-only text is judged line by line too."""
    import numpy as np

    from ..chars.script import code_points

    cp = code_points(text)
    han = ((cp >= 0x3400) & (cp <= 0x9FFF)) | ((cp >= 0xF900) & (cp <= 0xFAFF)) | (cp >= 0x20000)
    han_before = np.concatenate(([0], np.cumsum(han)))
    breaks = np.flatnonzero((cp == 10) | (cp == 13))
    found = np.array([c[:3] for c in candidates], dtype=np.int64)
    picks = np.array([c[3] for c in candidates], dtype=bool)
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
    return [(int(s), int(e)) for s, e in found[~teaching, :2].tolist()]
