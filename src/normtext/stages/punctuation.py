"""Spurious commas: the mark a text spinner slips in before real punctuation.

Spun pages turn every ``，`` into ``,`` and then insert a comma before many marks, so
``阶段,,2月`` is one spurious comma plus one real one, ``重点,、统筹`` a spurious comma
plus ``、`` and ``解读,。`` a spurious comma plus ``。``. GB/T 15834 never puts a comma
right before another pause mark, so:

- a run of commas (``,`` or ``，``) directly before ``、 。 ； ： ？ ！`` (either width) is
  removed whole;
- a run of two or more commas anywhere else keeps only its last comma (the real one; the
  width stage later makes it ``，``).

Doubled marks that are legitimate (``……`` ``——`` ``！！`` ``？！`` ``!!``) contain no comma and
are never touched; nor is a comma before a closing quote or bracket (``“好，”他说`` is
correct). Everything happens only in Chinese context, judged as the width stage judges it:
the run of punctuation around the commas (pause marks, brackets, quotes, dashes) must touch
an ideograph or hold a mark only CJK text uses. So ``1,,000`` (digits on both sides) and
English (``Wait,,what?!``) are left alone, and so are lines of program code, URLs, e-mail
addresses and paths.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..chars.classes import (
    CLUSTER_CLASS,
    CLUSTER_SET,
    COMMA_BLOCKERS,
    COMMAS,
    classify,
    cluster_has_cjk_mark,
    embedded_in_han,
    embedded_runs,
    in_spans,
    is_code_line,
    is_han,
    line_bounds,
    protected_spans,
    scan_clusters,
)
from ..chars.context import widened_marks, widened_marks_vectorised, widened_on_lines
from ..chars.script import code_points
from ..lazy_numpy import code_array
from ..text import Edit, apply_edits
from .base import Stage

if TYPE_CHECKING:
    import numpy as np
else:
    from ..lazy_numpy import np

_MARKS = COMMAS + COMMA_BLOCKERS
# A comma before another mark: where the damage starts. A plain character class first, so
# the regex engine scans for it fast; the runs around it are measured in Python.
_TRIGGER = re.compile(f"[{COMMAS}][{_MARKS}]")
_COMMA_RUN = re.compile(f"[{COMMAS}]+")
_CLUSTER_RUN = re.compile(f"[{CLUSTER_CLASS}]*")
_VECTOR_MIN = 4096  # below this many characters the regex is faster than numpy
_FEW = 64  # up to this many damaged comma runs, judging each in Python beats a full scan


class PunctuationStage(Stage):
    name = "punctuation"

    def rule_of(self, text: str, edit: Edit) -> str:
        if edit.end < len(text) and text[edit.end] in COMMA_BLOCKERS:
            return "punctuation.comma_before_mark"
        return "punctuation.doubled_comma"

    def edits(self, text: str) -> list[Edit]:
        if len(text) < _VECTOR_MIN:
            if _TRIGGER.search(text) is None:
                return []
            return _edits(text)
        starts, ends = _spurious_vectorised(text, code_points(text))
        return [Edit(s, e, "") for s, e in zip(starts.tolist(), ends.tolist())]

    def transform(self, text: str) -> str:
        if len(text) < _VECTOR_MIN:
            if _TRIGGER.search(text) is None:
                return text
            return apply_edits(text, _edits(text))
        codes = code_points(text)
        starts, ends = _spurious_vectorised(text, codes)
        if not len(starts):
            return text
        if len(starts) <= _FEW:  # clean text, a stray comma or two: cut them out of the str
            return _cut(text, starts.tolist(), ends.tolist())
        lengths = ends - starts
        offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        keep = np.ones(len(codes), dtype=bool)
        keep[np.repeat(starts, lengths) + offsets] = False
        return codes[keep].tobytes().decode("utf-32-le", "surrogatepass")


def _cut(text: str, starts: list[int], ends: list[int]) -> str:
    """``text`` without the spans (sorted, apart): a few slices cost less than a pass over
    every code point and a decode of them all."""
    parts, pos = [], 0
    for start, end in zip(starts, ends):
        parts.append(text[pos:start])
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _spurious_vectorised(text: str, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``_edits`` for a long text (``codes`` its code points), as the starts and ends of the
    spans to delete: the same rules, judged for every comma run at once. Lines that may hold
    code or protected spans are checked one by one, as ``_edits`` checks every line."""
    none = np.empty(0, dtype=np.intp)
    at = np.flatnonzero((codes == 0x2C) | (codes == 0xFF0C))
    if not len(at):
        return none, none
    new = np.empty(len(at), dtype=bool)
    new[0] = True
    np.not_equal(at[1:], at[:-1] + 1, out=new[1:])
    first = np.flatnonzero(new)
    start = at[first]
    end = np.append(at[first[1:] - 1], at[-1]) + 1
    blocked = end < len(codes)
    blocked[blocked] = np.isin(codes[end[blocked]], code_array(COMMA_BLOCKERS))
    damaged = blocked | (end - start > 1)
    if not damaged.any():
        return none, none
    start, end, blocked = start[damaged], end[damaged], blocked[damaged]
    if len(start) <= _FEW:  # clean text: a typo or two
        edits = _edits(text, start.tolist())
        return (
            np.array([edit.start for edit in edits], dtype=np.intp),
            np.array([edit.end for edit in edits], dtype=np.intp),
        )
    scan = scan_clusters(*classify(codes), COMMAS)
    assert scan is not None
    run = scan.run[np.searchsorted(scan.pos, start)]
    ok = (scan.han_side | scan.cjk_mark | embedded_runs(text, scan))[run]
    if not ok.all():  # the width stage may still make them Chinese (a converted pair)
        doubtful = start[~ok].tolist()
        view = widened_on_lines(text, doubtful) if len(doubtful) <= _FEW else _widened(text, codes)
        for k in np.flatnonzero(~ok).tolist():
            ok[k] = any(p in view for p in range(int(start[k]), int(end[k])))
    lines = scan.line[run]
    # Lines checked: their protected spans and the spans' starts, None for a line of code.
    checked: dict[int, tuple[list[tuple[int, int]], list[int]] | None] = {}
    for k in np.flatnonzero(ok & scan.hinted[lines]).tolist():
        line = int(lines[k])
        if line not in checked:
            ls, le = scan.line_bounds(line)
            if is_code_line(text, ls, le):
                checked[line] = None
            else:
                spans = protected_spans(text, ls, le)
                checked[line] = (spans, [a for a, _ in spans])
        found = checked[line]
        ok[k] = found is not None and not (found[0] and in_spans(int(start[k]), *found))
    return start[ok], np.where(blocked, end, end - 1)[ok]


def _edits(text: str, triggers: Iterable[int] | None = None) -> list[Edit]:
    """The spurious commas. ``triggers``: positions of commas in text order, one at least in
    every run of commas that may be damaged (by default the matches of ``_TRIGGER``)."""
    if triggers is None:
        triggers = (m.start() for m in _TRIGGER.finditer(text))
    edits: list[Edit] = []
    view: set[int] | None = None  # marks the width stage widens, computed when needed
    done = 0  # end of the last comma run looked at
    run_lo = run_hi = -1  # the punctuation run around it
    run_ok = False
    line_start = line_end = -1
    skip_line = False
    spans: list[tuple[int, int]] = []
    starts: list[int] = []
    for s in triggers:
        if s < done:
            continue
        while s > done and text[s - 1] in COMMAS:
            s -= 1
        e = _COMMA_RUN.match(text, s).end()
        done = e
        if s >= line_end:
            line_start, line_end = line_bounds(text, s)
            skip_line = is_code_line(text, line_start, line_end)
            spans = [] if skip_line else protected_spans(text, line_start, line_end)
            starts = [a for a, _ in spans]
        if skip_line or (spans and in_spans(s, spans, starts)):
            continue
        if s >= run_hi:
            run_lo = s
            while run_lo > line_start and text[run_lo - 1] in CLUSTER_SET:
                run_lo -= 1
            run_hi = _CLUSTER_RUN.match(text, e, line_end).end()
            run_ok = _context_ok(text, run_lo, run_hi, line_start, line_end)
        if not run_ok:
            # Judged against the final text: a comma the width stage widens (its bracket
            # pair converts) is in Chinese context, or a second pass would find it so.
            if view is None:
                view = _widened(text)
            if not any(p in view for p in range(s, e)):
                continue
        if e < len(text) and text[e] in COMMA_BLOCKERS:
            edits.append(Edit(s, e, ""))  # commas before a mark: all spurious
        elif e - s > 1:
            edits.append(Edit(s, e - 1, ""))  # doubled commas: the last is the real one
    return edits


def _widened(text: str, codes: np.ndarray | None = None) -> set[int]:
    """Positions of the ASCII marks the width stage widens in ``text``."""
    if len(text) < _VECTOR_MIN:
        return set(widened_marks(text))
    if codes is None:
        codes = code_points(text)
    return set(widened_marks_vectorised(text, *classify(codes))[0].tolist())


def _context_ok(text: str, lo: int, hi: int, line_start: int, line_end: int) -> bool:
    """Chinese context for the punctuation run ``text[lo:hi]``, as the width stage judges it."""
    if (lo > 0 and is_han(text[lo - 1])) or (hi < len(text) and is_han(text[hi])):
        return True
    return cluster_has_cjk_mark(text, lo, hi) or embedded_in_han(text, lo, hi, line_start, line_end)
