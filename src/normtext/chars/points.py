"""A text's code points, and its uncommon characters, computed once for the stages that ask.

Why: every stage that reads a long text over numpy first needs its code points, and most
of them first ask whether it holds some rare character at all (a control, a Latin-1 sign,
a full-width letter, a combining mark, a curled quote). Each asking on its own meant a
pass over the whole text per question. Here the code points are encoded once per text,
and the characters other than the common ones of Chinese text (``is_common``: ideographs
of the main block, printable ASCII, ，。、) are listed once, so a question about rare
characters reads that short list instead of the whole text.

The arrays are kept for the last few texts (per thread), keyed by the string object
itself: a stage that leaves a text unchanged hands the next the same object, and one
that rebuilt it from code points can hand them over with ``remember``. A str never
changes, so an entry is never stale; holding the str keeps its identity from being reused.
"""

from __future__ import annotations

import threading
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
else:  # imported on first use: short texts never need it (``lazy_numpy``)
    from ..lazy_numpy import np

#: Texts whose arrays are kept: the text itself and one derived from it (the mojibake
#: stage reads its input and a folded copy in turn). More would hold large arrays longer.
_SLOTS = 2
_recent = threading.local()


def _entry(text: str) -> list:
    """``[text, code points or None, uncommon or None]`` for ``text``, made first if new."""
    entries: list[list] | None = getattr(_recent, "entries", None)
    if entries is None:
        entries = _recent.entries = []
    for k, entry in enumerate(entries):
        if entry[0] is text:
            if k:
                entries.insert(0, entries.pop(k))
            return entry
    entry = [text, None, None]
    entries.insert(0, entry)
    del entries[_SLOTS:]
    return entry


def code_points(text: str) -> np.ndarray:
    """``text`` as a read-only array of code points (kept, see the module notes)."""
    entry = _entry(text)
    if entry[1] is None:
        entry[1] = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return entry[1]


def remember(
    text: str, points: np.ndarray, rare: tuple[np.ndarray, np.ndarray] | None = None
) -> None:
    """Record that ``points`` are the code points of ``text`` (a stage that decoded
    ``text`` from them), and ``rare`` its ``uncommon`` if known, so that the next scan need
    not encode it again. ``points`` is made read-only: it now stands for an immutable str."""
    points.flags.writeable = False
    _entry(text)[1:] = [points, rare]


#: The common characters of Chinese text: ideographs of the main block (U+4E00..9FFF),
#: printable ASCII, and ，。、 (a tenth of news).
_COMMON_RANGES = ((0x4E00, 0xA000), (0x20, 0x7F), (0xFF0C, 0xFF0D), (0x3001, 0x3003))


@cache
def _uncommon_table() -> np.ndarray:
    """Code point -> not common; every code point a str holds is inside (no clipping)."""
    table = np.ones(0x110000, dtype=bool)
    for lo, hi in _COMMON_RANGES:
        table[lo:hi] = False
    return table


def is_common(points: np.ndarray) -> np.ndarray:
    """Whether each code point is one ``uncommon`` leaves out (for tables to check that
    they hold none of them, which makes asking ``uncommon`` enough)."""
    return ~_uncommon_table()[np.asarray(points, dtype=np.int64)]


def uncommon(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Positions and code points of the characters of ``text`` that are not common in
    Chinese text (``is_common``). Line breaks are among them: a pass that needs lines can
    take them from here too."""
    entry = _entry(text)
    if entry[2] is None:
        points = code_points(text)
        where = np.flatnonzero(_uncommon_table().take(points))
        entry[2] = (where, points[where])
    return entry[2]


def any_in(table: np.ndarray, text: str) -> bool:
    """Whether some character of ``text`` is True in ``table`` (code point -> bool; higher
    code points clip to its last entry). Asked of ``uncommon`` only, so the table must
    hold no common character (``is_common``): its users' tests check that."""
    return bool(table.take(uncommon(text)[1], mode="clip").any())
