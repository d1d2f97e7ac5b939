"""Which width edited Chinese text writes a mark in beside Latin letters and digits.

A mark between an ideograph and another ideograph is plainly Chinese, but beside Latin or
digits (``Egan，1947年``, ``咗 ， Erica``, ``10，872``) writers differ, and keeping each
mark as typed made ``normalize``'s output depend on the input's width. The evidence table
``data/mark_widths.tsv`` (``tools/build_mark_widths.py``, training lines only) says, per
mark and *neighbour class* — what stands on each side past any blanks (Latin letter, digit
or ideograph) and whether a blank stands between — which width writers chose. Where the
choice is clear the canonical form follows it; where it is not, the mark stays as typed.

Only widening is read from the table here: a class whose ASCII form is clear (``Hello,
world`` inside a Chinese line, ``2, 好``) is already kept ASCII when typed so.
"""

from __future__ import annotations

from functools import cache

from .. import data_files
from .classes import is_han

_BLANKS = " \t\u3000"
#: The marks the table decides (the ones the width stage widens in Chinese clusters).
DECIDED_MARKS = ",;:?!"


def neighbour_kind(ch: str) -> str:
    """``L`` a Latin letter, ``D`` a digit (ASCII or full-width), ``H`` an ideograph, ``O``
    anything else."""
    o = ord(ch)
    if 0x30 <= o <= 0x39 or 0xFF10 <= o <= 0xFF19:
        return "D"
    if 0x41 <= o <= 0x5A or 0x61 <= o <= 0x7A or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
        return "L"
    return "H" if is_han(ch) else "O"


def neighbour_class(text: str, start: int, end: int, line_start: int, line_end: int) -> str:
    """The class of the punctuation run ``text[start:end]``: left kind, ``_`` for blanks
    on the left, ``|``, ``_`` for blanks on the right, right kind (``L|D``, ``H_|_L``);
    ``^``/``$`` for the line's edges."""
    j, k = start - 1, end
    while j >= line_start and text[j] in _BLANKS:
        j -= 1
    while k < line_end and text[k] in _BLANKS:
        k += 1
    left = neighbour_kind(text[j]) if j >= line_start else "^"
    right = neighbour_kind(text[k]) if k < line_end else "$"
    gap_left = "_" if j < start - 1 else ""
    gap_right = "_" if k > end else ""
    return f"{left}{gap_left}|{gap_right}{right}"


@cache
def wide_classes() -> frozenset[tuple[str, str]]:
    """(mark, class) pairs whose full-width form the evidence makes canonical."""
    out = set()
    for line in data_files.read_text("mark_widths.tsv").splitlines():
        if line and not line.startswith("#"):
            mark, klass, decision = line.split("\t")[:3]
            if decision == "wide":
                out.add((mark, klass))
    return frozenset(out)


def widened_by_evidence(text: str, start: int, end: int, line_start: int, line_end: int) -> bool:
    """Whether the run ``text[start:end]`` holds an ASCII mark whose class the evidence
    writes full-width (the run is then Chinese, as one touching an ideograph is)."""
    wide = wide_classes()
    klass = None
    for j in range(start, end):
        ch = text[j]
        if ch in DECIDED_MARKS:
            if klass is None:
                klass = neighbour_class(text, start, end, line_start, line_end)
            if (ch, klass) in wide:
                return True
    return False
