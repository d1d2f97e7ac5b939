"""Which way each double quote of a Chinese line faces: “ or ”, by its position.

An ASCII ``"`` says nothing about its direction, and a spun or hand-typed line may hold
``“`` where ``”`` belongs (``“包”轻”扶”``). Chinese prose writes double quotes in pairs
within a paragraph (nested quotes use ‘ ’), so the k-th double quote of a line opens when
k is even and closes when k is odd. The quotes the writer did curl vote for that phase:
a line whose curled quotes mostly read the other way (one that begins inside a quote,
as a hard-wrapped paragraph does: ``话”，他说“好”``) keeps that phase. A tie, and a line
with only ASCII quotes, opens first.

So every form of a quote (``"``, ``＂``, ``“``, ``”``) comes out the same in a Chinese
line: the output does not depend on which form the input used, only on where the quote
stands. Quotes inside URLs, paths and emoticons are not the prose's and are skipped; so
are code lines and lines without an ideograph (the callers check).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
else:  # imported on first use (``lazy_numpy``)
    from ..lazy_numpy import np

OPEN, CLOSE = "\u201c", "\u201d"
_OPEN_CODE, _CLOSE_CODE = ord(OPEN), ord(CLOSE)
#: Every form a double quote takes: ASCII, full-width (U+FF02), and the two curled ones.
DOUBLE_QUOTES = '"\uff02' + OPEN + CLOSE
_QUOTE_RE = re.compile(f"[{DOUBLE_QUOTES}]")
_CURLED_RE = re.compile(f"[{OPEN}{CLOSE}]")


def line_quotes(text: str, ls: int, le: int, skip: Iterable[int] = ()) -> dict[int, str]:
    """Position -> “ or ” for the double quotes of the line ``text[ls:le]`` that face the
    wrong way or are not curled (``skip``: positions that are not the prose's)."""
    skipped = set(skip)
    found = [m.start() for m in _QUOTE_RE.finditer(text, ls, le) if m.start() not in skipped]
    if not found:
        return {}
    votes = 0  # > 0: the curled quotes read as "opens first"
    for k, pos in enumerate(found):
        ch = text[pos]
        if ch == OPEN:
            votes += 1 if k % 2 == 0 else -1
        elif ch == CLOSE:
            votes += 1 if k % 2 == 1 else -1
    phase = 1 if votes < 0 else 0
    out: dict[int, str] = {}
    for k, pos in enumerate(found):
        want = OPEN if (k + phase) % 2 == 0 else CLOSE
        if text[pos] != want:
            out[pos] = want
    return out


def misfacing_lines(text: str) -> list[tuple[int, int]]:
    """Bounds of the lines whose curled quotes do not alternate “ ” “ ” (from either
    phase) or that hold a full-width ``＂``: the lines ``line_quotes`` may change although
    they hold no ASCII mark. Most texts have none."""
    if "\uff02" not in text and _CURLED_RE.search(text) is None:
        return []
    if len(text) < _NUMPY_FROM:
        return _misfacing_scanned(text)
    return _misfacing_vectorised(text)


#: Characters from which a text's lines are judged over its code points: a per-line regex
#: loop costs a Python step per line break, and news has a break every hundred characters.
_NUMPY_FROM = 4096


def _misfacing_scanned(text: str) -> list[tuple[int, int]]:
    """``misfacing_lines`` by one regex pass over the quotes and line breaks."""
    out: list[tuple[int, int]] = []
    line_start, previous, wide = -1, "", False
    bad = False
    for m in re.finditer(f"[{DOUBLE_QUOTES[1:]}]|\n|\r", text):
        ch = m.group()
        if ch in "\r\n":
            if bad or wide:
                out.append((line_start + 1, m.start()))
            line_start, previous, bad, wide = m.start(), "", False, False
            continue
        if ch == "\uff02":
            wide = True
        elif ch == previous:
            bad = True
        else:
            previous = ch
    if bad or wide:
        out.append((line_start + 1, len(text)))
    return out


def _misfacing_vectorised(text: str) -> list[tuple[int, int]]:
    """``misfacing_lines`` over the text's uncommon characters (quotes and line breaks are
    among them): a line is misfacing where it holds a ``＂`` or where two curled quotes in
    a row on it are the same one."""
    import numpy as np

    from .points import uncommon

    where, cp = uncommon(text)
    quotes = (cp == 0x201C) | (cp == 0x201D) | (cp == 0xFF02)
    breaks = where[(cp == 0x0A) | (cp == 0x0D)]
    kind, at = cp[quotes], where[quotes]
    line = np.searchsorted(breaks, at)  # each quote's line: the breaks before it
    wide = kind == 0xFF02
    curled_line, curled = line[~wide], kind[~wide]
    repeated = (curled_line[1:] == curled_line[:-1]) & (curled[1:] == curled[:-1])
    bad = np.unique(np.concatenate((line[wide], curled_line[1:][repeated])))
    bounds = np.concatenate(([-1], breaks, [len(text)]))  # line k: after bounds[k] to bounds[k+1]
    return list(zip((bounds[bad] + 1).tolist(), bounds[bad + 1].tolist()))


def facing_by_position(codes: np.ndarray, lines: np.ndarray) -> np.ndarray:
    """``line_quotes`` for every line at once: ``codes`` are the code points of the double
    quotes of a text (every form, none skipped) in text order, ``lines`` the line of each.
    Returns the code point each quote should be (“ or ”): the k-th quote of a line opens
    when k is even, in the phase the line's curled quotes vote for, as ``line_quotes``
    decides it. A spun page holds thousands of quotes; numbering them per line in one
    pass keeps its lines on the width stage's vectorised path."""
    if not len(codes):
        return codes.astype(np.uint32)
    new = np.empty(len(codes), dtype=bool)
    new[0] = True
    np.not_equal(lines[1:], lines[:-1], out=new[1:])
    first = np.flatnonzero(new)
    group = np.cumsum(new) - 1
    even = (np.arange(len(codes)) - first[group]) % 2 == 0
    agrees = np.where(even, codes == _OPEN_CODE, codes == _CLOSE_CODE)
    disagrees = np.where(even, codes == _CLOSE_CODE, codes == _OPEN_CODE)
    votes = np.add.reduceat(agrees.astype(np.int64) - disagrees, first)
    opens = even != (votes < 0)[group]  # a line that votes < 0 closes first
    return np.where(opens, _OPEN_CODE, _CLOSE_CODE).astype(np.uint32)


def turned_lines(codes: np.ndarray, lines: np.ndarray) -> np.ndarray:
    """The lines ``misfacing_lines`` finds, from the same arrays as ``facing_by_position``:
    those holding a ``＂``, or two curled quotes in a row (ASCII ones aside) that face the
    same way."""
    curled = np.flatnonzero((codes == _OPEN_CODE) | (codes == _CLOSE_CODE))
    c, ln = codes[curled], lines[curled]
    repeated = (ln[1:] == ln[:-1]) & (c[1:] == c[:-1])
    return np.union1d(ln[1:][repeated], lines[codes == 0xFF02])
