"""Whole-text scans of the mojibake stage, over code points (numpy) or one regex.

Why a module of its own: European text is full of the Latin-1 letters single-byte
mojibake is made of, so the stage finds many places to look at in it, and repeated
signs (``¡¡¡…``, ``¬´¬´…``) make a place of every character. Looked at one by one in
Python, each place cost a loop; these scans answer for all of them at once, and give
the same answers as the loops they replace (their tests compare the two). The rules
stay in ``mojibake.py``: these functions take its tables and patterns as arguments.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..chars.points import code_points, uncommon

if TYPE_CHECKING:
    import numpy as np
else:
    from ..lazy_numpy import np


def among(values: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """``np.isin(values, positions)`` for positions in a text, by one mask over the span
    they cover: ``isin`` sorts both, and binary searches of ``¡¡¡…``'s hundred thousand
    pairs jump all over memory."""
    if not len(values) or not len(positions):
        return np.zeros(len(values), dtype=bool)
    lo = min(int(values.min()), int(positions.min()))
    mask = np.zeros(max(int(values.max()), int(positions.max())) - lo + 1, dtype=bool)
    mask[positions - lo] = True
    return mask[values - lo]


def positions(table: np.ndarray, text: str) -> list[int]:
    """Positions of the characters of ``text`` that are True in ``table`` (code point ->
    bool, higher ones clipped to its last entry), found among the uncommon characters
    (``chars.points``): the table must hold no common one."""
    where, points = uncommon(text)
    return where[table.take(points, mode="clip")].tolist()


def has_wide(text: str) -> bool:
    """Whether ``text`` holds a character from U+3000 up (``mojibake_gate.WIDE``), by its
    code points: a regex search that finds none reads a megabyte in milliseconds."""
    points = code_points(text)
    return bool(len(points)) and int(points.max()) >= 0x3000


def near_any(at: list[int], sorted_starts: list[int], reach: int) -> list[int]:
    """Those of ``at`` within ``reach`` characters of some of ``sorted_starts``."""
    if not at or not sorted_starts:
        return []
    starts = np.asarray(sorted_starts)
    where = np.asarray(at)
    first = np.searchsorted(starts, where - reach)  # the first start at or after p - reach
    near = first < len(starts)
    near[near] = starts[first[near]] <= where[near] + reach
    return where[near].tolist()


def run_rest(run_char: re.Pattern[str], stops: frozenset[str]) -> re.Pattern[str]:
    """A pattern whose match at ``i`` ends where a run of ``run_char`` characters (one
    character class), none of ``stops`` (ASCII), from ``i`` ends: one class, where a loop
    matched a character at a time. The stops are taken out of the class's ASCII range
    (a test checks every BMP character against the loop's test)."""
    ascii_kept = "".join(
        c for c in map(chr, range(0x80)) if c not in stops and run_char.fullmatch(c)
    )
    rest = run_char.pattern[1:-1].replace("\\x21-\\x7e", "")
    return re.compile(f"[{re.escape(ascii_kept)}{rest}]*")
