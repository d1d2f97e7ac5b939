"""Pinyin glosses: ``發(fā)布`` → ``發布``, removed only on evidence.

A parenthesised run of syllables after Han characters is removed when each syllable is a
reading of the character it follows (or of that character's Simplified or Traditional
counterpart), so ``(廣州)``, ``(IC)``, ``(1997)``, ``(COVID-19)`` and ``(a)`` after a
character not read "a" stay. Tone marks, tone numbers, no tone, ü written ``v`` or
``u:``, and ASCII or full-width parentheses are all understood.

Teaching text glosses most characters on purpose (``蜜(mì)蜂(fēng)``); spun pages gloss a
sparse, fixed set. A line where at least half of the Han characters are glossed (two
glosses at least) is teaching text and keeps its glosses, unless ``gloss="all"``.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

from ..opencc.dictionary import shipped
from ..text import Edit
from .base import Stage

# The inside is bounded and free of parentheses, so the scan stays linear on any input.
_GLOSS = regex.compile(r"(?<=\p{Han})[(（]([^()（）\n]{1,64})[)）]")
_SYLLABLE = regex.compile(r"([a-zA-Z\u00C0-\u024F\u1E00-\u1EFF\u0300-\u030C:]{1,8})([0-5]?)")
_HAN = regex.compile(r"\p{Han}")
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


@lru_cache(maxsize=None)
def _pinyin_table() -> dict[int, str]:
    from pypinyin import pinyin_dict

    return pinyin_dict.pinyin_dict


@lru_cache(maxsize=8192)
def readings(char: str) -> frozenset[tuple[str, int]]:
    """Readings of ``char`` and of its Simplified/Traditional counterparts, as (letters, tone)."""
    table = _pinyin_table()
    chars = {
        char,
        shipped("TSCharacters.txt").get(char, char),
        shipped("STCharacters.txt").get(char, char),
    }
    found: set[tuple[str, int]] = set()
    for c in chars:
        for reading in table.get(ord(c), "").split(","):
            parsed = parse_syllable(reading) if reading else None
            if parsed:
                found.add((parsed[0], parsed[1] or 5))
    return frozenset(found)


def is_reading(char: str, syllable: tuple[str, int | None]) -> bool:
    letters, tone = syllable
    return any(letters == l and (tone is None or tone == t) for l, t in readings(char))


def _split_syllables(inner: str) -> list[str]:
    parts = regex.split(r"[ \t'’-]+", inner.strip())
    out: list[str] = []
    for part in parts:
        # "fa1bu4": tone numbers also separate syllables.
        out.extend(p for p in regex.split(r"(?<=[0-5])(?=[a-zA-Z])", part) if p)
    return out


class GlossStage(Stage):
    name = "gloss"

    def _candidates(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, glossed Han characters) for every gloss that reads right."""
        found = []
        for match in _GLOSS.finditer(text):
            syllables = [parse_syllable(s) for s in _split_syllables(match.group(1))]
            count = len(syllables)
            if not 0 < count <= 8 or None in syllables or match.start() < count:
                continue
            glossed = text[match.start() - count : match.start()]
            if not all(_HAN.match(c) for c in glossed):
                continue
            if all(is_reading(c, s) for c, s in zip(glossed, syllables)):  # type: ignore[arg-type]
                found.append((match.start(), match.end(), count))
        return found

    def edits(self, text: str) -> list[Edit]:
        if "(" not in text and "（" not in text:
            return []
        candidates = self._candidates(text)
        if not candidates:
            return []
        keep_teaching = self.options.gloss != "all"
        edits: list[Edit] = []
        line_start = 0
        index = 0
        while index < len(candidates):
            line_start = text.rfind("\n", 0, candidates[index][0]) + 1
            line_end = text.find("\n", candidates[index][0])
            line_end = len(text) if line_end < 0 else line_end
            in_line = []
            while index < len(candidates) and candidates[index][0] < line_end:
                in_line.append(candidates[index])
                index += 1
            if keep_teaching and _is_teaching(text[line_start:line_end], in_line):
                continue
            edits.extend(Edit(start, end, "") for start, end, _ in in_line)
        return edits


def _is_teaching(line: str, glosses: list[tuple[int, int, int]]) -> bool:
    han = len(_HAN.findall(line))
    glossed = sum(count for _, _, count in glosses)
    return len(glosses) >= 2 and glossed * 2 >= han
