"""Ideographic Description Sequences (``⿰女尔``): OpenCC moves a complete one as one unit.

A sequence is an operator (U+2FF0–U+2FFF) followed by as many operands as its arity, each
operand a single character or a nested sequence. OpenCC accepts at most 15 nested
operators and 64 code points; anything longer or incomplete is not a unit and its
characters convert one by one. Both limits were measured against the OpenCC 1.4.2
binding and are pinned by tests.
"""

from __future__ import annotations

import re

MAX_DEPTH = 15
MAX_CODE_POINTS = 64

OPERATOR_RE = re.compile("[\u2ff0-\u2fff]")


def arity(char: str) -> int:
    """Operands an IDS operator takes (0 for anything that is not an operator)."""
    code = ord(char)
    if 0x2FF2 <= code <= 0x2FF3:
        return 3
    if 0x2FFE <= code <= 0x2FFF:
        return 1
    if 0x2FF0 <= code <= 0x2FFD:
        return 2
    return 0


def unit_length(text: str, start: int, end: int | None = None) -> int:
    """Length of the complete sequence starting at ``start``, or 0 if there is none."""
    limit = len(text) if end is None else end
    if start >= limit or not arity(text[start]):
        return 0

    def walk(pos: int, depth: int) -> int:
        # Returns the position after the sequence at ``pos``, or -1.
        if depth > MAX_DEPTH:
            return -1
        pos += 1
        for _ in range(arity(text[pos - 1])):
            if pos >= limit:
                return -1
            if arity(text[pos]):
                pos = walk(pos, depth + 1)
                if pos < 0:
                    return -1
            else:
                pos += 1
            if pos - start > MAX_CODE_POINTS:
                return -1
        return pos

    stop = walk(start, 1)
    if stop < 0 or stop - start > MAX_CODE_POINTS:
        return 0
    return stop - start


def units(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The sequences a left-to-right scan of ``text[start:end]`` treats as units.

    Dictionary keys never contain an operator, so a scan reaches every operator that is
    not inside an earlier unit, whatever it matched in between.
    """
    limit = len(text) if end is None else end
    found: list[tuple[int, int]] = []
    pos = start
    while True:
        match = OPERATOR_RE.search(text, pos, limit)
        if match is None:
            return found
        at = match.start()
        length = unit_length(text, at, limit)
        if length:
            found.append((at, at + length))
            pos = at + length
        else:
            pos = at + 1
