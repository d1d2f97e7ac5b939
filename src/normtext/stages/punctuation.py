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

from ..charclass import (
    CLUSTER_CLASS,
    CLUSTER_SET,
    COMMA_BLOCKERS,
    COMMAS,
    cluster_has_cjk_mark,
    in_spans,
    is_code_line,
    is_han,
    line_bounds,
    protected_spans,
)
from ..text import Edit, apply_edits
from .base import Stage

_MARKS = COMMAS + COMMA_BLOCKERS
# A comma before another mark: where the damage starts. A plain character class first, so
# the regex engine scans for it fast; the runs around it are measured in Python.
_TRIGGER = re.compile(f"[{COMMAS}][{_MARKS}]")
_COMMA_RUN = re.compile(f"[{COMMAS}]+")
_CLUSTER_RUN = re.compile(f"[{CLUSTER_CLASS}]*")


class PunctuationStage(Stage):
    name = "punctuation"

    def edits(self, text: str) -> list[Edit]:
        if _TRIGGER.search(text) is None:
            return []
        return _edits(text)

    def transform(self, text: str) -> str:
        if _TRIGGER.search(text) is None:
            return text
        return apply_edits(text, _edits(text))


def _edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    done = 0  # end of the last comma run looked at
    run_lo = run_hi = -1  # the punctuation run around it
    run_ok = False
    line_start = line_end = -1
    skip_line = False
    spans: list[tuple[int, int]] = []
    starts: list[int] = []
    for m in _TRIGGER.finditer(text):
        s = m.start()
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
            run_ok = _context_ok(text, run_lo, run_hi)
        if not run_ok:
            continue
        if e < len(text) and text[e] in COMMA_BLOCKERS:
            edits.append(Edit(s, e, ""))  # commas before a mark: all spurious
        elif e - s > 1:
            edits.append(Edit(s, e - 1, ""))  # doubled commas: the last is the real one
    return edits


def _context_ok(text: str, lo: int, hi: int) -> bool:
    """Chinese context for the punctuation run ``text[lo:hi]``."""
    if (lo > 0 and is_han(text[lo - 1])) or (hi < len(text) and is_han(text[hi])):
        return True
    return cluster_has_cjk_mark(text, lo, hi)
