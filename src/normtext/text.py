"""Edits and the map from repaired text back to its source.

Every stage reports what it changed as non-overlapping edits on its own input. The
``Alignment`` composes them, stage after stage, into one list of edits on the original
source, the way HF tokenizers' ``NormalizedString`` keeps one alignment through every
normalizer: any span of the output can then be traced to the source span it came from,
and the composed edits applied to the source give the output exactly.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``text[start:end]`` by ``replacement`` (start == end inserts)."""

    start: int
    end: int
    replacement: str
    rule: str | None = None


@dataclass(frozen=True, slots=True)
class Change:
    """One change in source coordinates: ``source[start:end]`` was ``before``, became ``after``.

    ``stage`` names the stage that made it, or several joined by ``+`` when later stages
    rewrote what an earlier one produced; ``rule`` names the rules that fired the same
    way (``script.t2s+width.han_context``), or is None when no stage named one.
    """

    stage: str
    start: int
    end: int
    before: str
    after: str
    rule: str | None = None


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply sorted, non-overlapping edits to ``text``."""
    parts: list[str] = []
    pos = 0
    for edit in edits:
        if edit.start < pos or edit.end < edit.start:
            raise ValueError(f"edits overlap or run backwards at {edit.start}")
        parts.append(text[pos : edit.start])
        parts.append(edit.replacement)
        pos = edit.end
    if not parts:
        return text
    parts.append(text[pos:])
    return "".join(parts)


def diff_edits(before: str, after: str) -> list[Edit]:
    """Edits turning ``before`` into ``after`` when both have the same length.

    Stages that swap characters one for one (script conversion, width folding) use
    this to report their changes as runs of changed characters.
    """
    if len(before) != len(after):
        raise ValueError("diff_edits needs strings of equal length")
    if len(before) > 4096:
        return _diff_edits_long(before, after)
    edits: list[Edit] = []
    run_start = -1
    for i, (a, b) in enumerate(zip(before, after)):
        if a != b:
            if run_start < 0:
                run_start = i
        elif run_start >= 0:
            edits.append(Edit(run_start, i, after[run_start:i]))
            run_start = -1
    if run_start >= 0:
        edits.append(Edit(run_start, len(before), after[run_start:]))
    return edits


def _diff_edits_long(before: str, after: str) -> list[Edit]:
    import numpy as np

    a = np.frombuffer(before.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    b = np.frombuffer(after.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    changed = np.concatenate(([False], a != b, [False]))
    flips = np.flatnonzero(changed[1:] != changed[:-1])
    return [Edit(s, e, after[s:e]) for s, e in zip(flips[::2].tolist(), flips[1::2].tolist())]


@dataclass(slots=True)
class _Composed:
    src_start: int
    src_end: int
    out_start: int
    replacement: str
    stages: tuple[str, ...]
    rules: tuple[str, ...] = ()

    @property
    def out_end(self) -> int:
        return self.out_start + len(self.replacement)


class Alignment:
    """Composed edits from the source to the current text, in source order."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._edits: list[_Composed] = []
        self._starts: list[int] | None = None  # output starts of _edits, built on demand

    def compose(self, stage: str, text: str, edits: Sequence[Edit]) -> str:
        """Record ``edits`` made by ``stage`` on ``text`` (the current text); return the new text."""
        if not edits:
            return text
        old = self._edits
        old_starts = [e.out_start for e in old]  # once: a lookup per cluster bisects it
        merged: list[_Composed] = []
        shift = 0  # output growth from the new edits placed so far
        i = 0  # next old edit not yet placed
        j = 0  # next new edit not yet placed
        while i < len(old) or j < len(edits):
            take_new = j < len(edits) and (
                i >= len(old)
                or edits[j].start < old[i].out_start
                or _touches(edits[j], old[i])
                # an insertion right where an old replacement starts goes before it
                or edits[j].start == edits[j].end == old[i].out_start
            )
            if not take_new:
                o = old[i]
                merged.append(
                    _Composed(
                        o.src_start,
                        o.src_end,
                        o.out_start + shift,
                        o.replacement,
                        o.stages,
                        o.rules,
                    )
                )
                i += 1
                continue
            # Start a cluster at new edit j and swallow every old edit it overlaps.
            lo, hi = edits[j].start, edits[j].end
            cluster_new = [edits[j]]
            cluster_old: list[_Composed] = []
            j += 1
            grew = True
            while grew:
                grew = False
                while i < len(old) and _overlaps(lo, hi, old[i].out_start, old[i].out_end):
                    cluster_old.append(old[i])
                    lo = min(lo, old[i].out_start)
                    hi = max(hi, old[i].out_end)
                    i += 1
                    grew = True
                while j < len(edits) and _overlaps(lo, hi, edits[j].start, edits[j].end):
                    cluster_new.append(edits[j])
                    hi = max(hi, edits[j].end)
                    j += 1
                    grew = True
            src_lo = _map_through(old, lo, start=True, starts=old_starts)
            src_hi = _map_through(old, hi, start=False, starts=old_starts)
            if cluster_old:
                src_lo = min(src_lo, cluster_old[0].src_start)
                src_hi = max(src_hi, cluster_old[-1].src_end)
            pieces: list[str] = []
            pos = lo
            for e in cluster_new:
                pieces.append(text[pos : e.start])
                pieces.append(e.replacement)
                pos = e.end
            pieces.append(text[pos:hi])
            stages = tuple(dict.fromkeys([s for o in cluster_old for s in o.stages] + [stage]))
            rules = tuple(
                dict.fromkeys(
                    [r for o in cluster_old for r in o.rules]
                    + [e.rule for e in cluster_new if e.rule is not None]
                )
            )
            merged.append(_Composed(src_lo, src_hi, lo + shift, "".join(pieces), stages, rules))
            shift += sum(len(e.replacement) - (e.end - e.start) for e in cluster_new)
        self._edits = [m for m in merged if m.replacement != self.source[m.src_start : m.src_end]]
        self._starts = None
        return apply_edits(text, edits)

    @property
    def changes(self) -> list[Change]:
        return [
            Change(
                "+".join(e.stages),
                e.src_start,
                e.src_end,
                self.source[e.src_start : e.src_end],
                e.replacement,
                "+".join(e.rules) or None,
            )
            for e in self._edits
        ]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source span that output ``[start, end)`` came from."""
        if start > end:
            raise ValueError("start must not exceed end")
        if self._starts is None:
            self._starts = [e.out_start for e in self._edits]
        starts = self._starts
        src_start = _map_through(self._edits, start, start=True, starts=starts)
        if start == end:  # an empty span: a point, past any deletion there
            return src_start, src_start
        return src_start, _map_through(self._edits, end, start=False, starts=starts)


def _overlaps(lo: int, hi: int, s: int, e: int) -> bool:
    """Whether span [s, e) must join a cluster [lo, hi): they share characters, or an empty
    one sits strictly inside the other, or both are the same point. Edits that only touch
    stay apart, so a deletion next to a replacement is reported as two changes."""
    if s < hi and e > lo:
        return True
    if s == e and lo < s < hi:
        return True
    if lo == hi and s < lo < e:
        return True
    return s == e == lo == hi


def _touches(new: Edit, old: _Composed) -> bool:
    return _overlaps(new.start, new.end, old.out_start, old.out_end)


def _map_through(
    edits: Sequence[_Composed], pos: int, *, start: bool, starts: Sequence[int] | None = None
) -> int:
    """Map an output position to the source through composed edits (sorted by output).

    A start position inside a replacement maps to the replacement's source start; an end
    position inside (or at the end of) one maps to its source end. Deletions that sit
    exactly at the position are left out of the span. ``starts`` are the edits' output
    starts, given when the caller maps many positions: building them per call made
    ``explain`` quadratic in the number of changes.
    """
    if not edits:
        return pos
    if starts is None:
        starts = [e.out_start for e in edits]
    k = (bisect_right(starts, pos) if start else bisect_left(starts, pos)) - 1
    if k < 0:
        return pos
    e = edits[k]
    if start and pos < e.out_end:
        return e.src_start
    if not start and pos <= e.out_end:
        return e.src_end
    return e.src_end + (pos - e.out_end)
