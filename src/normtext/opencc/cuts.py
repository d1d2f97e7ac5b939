"""Cuts: which span of the source each span of a converted text came from.

OpenCC replaces whole dictionary keys, so a conversion is a sequence of units: a matched
key and the value it became, or a character left as it was. ``Cuts`` keeps the unit
boundaries as two aligned arrays of offsets, source and output; a conversion step that
writes a value of another length than its key removes the boundaries inside that key and
shifts the ones after it. Same-length keys keep a boundary after every character: their
characters correspond one for one (头发 → 頭髮), which is the finest exact map.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
else:
    from ..lazy_numpy import np


@dataclass
class Cuts:
    """``source[source_cuts[i]:source_cuts[i+1]]`` became ``output[output_cuts[i]:...]``."""

    source: np.ndarray
    output: np.ndarray

    @classmethod
    def identity(cls, n: int) -> Cuts:
        offsets = np.arange(n + 1, dtype=np.int64)
        return cls(offsets, offsets.copy())

    @classmethod
    def join(cls, parts: Sequence[Cuts]) -> Cuts:
        """Cuts of texts converted piece by piece and concatenated."""
        if not parts:
            return cls.identity(0)
        sources, outputs = [parts[0].source], [parts[0].output]
        src_shift, out_shift = int(parts[0].source[-1]), int(parts[0].output[-1])
        for part in parts[1:]:
            sources.append(part.source[1:] + src_shift)
            outputs.append(part.output[1:] + out_shift)
            src_shift += int(part.source[-1])
            out_shift += int(part.output[-1])
        return cls(np.concatenate(sources), np.concatenate(outputs))

    def splice(self, pos: np.ndarray, old: np.ndarray, new: np.ndarray) -> None:
        """Record that the current text's ``[pos, pos + old)`` became ``new`` characters each
        (sorted, non-overlapping keys)."""
        if not len(pos):
            return
        pos = np.asarray(pos, dtype=np.int64)
        ends = pos + np.asarray(old, dtype=np.int64)
        growth = np.cumsum(np.asarray(new, dtype=np.int64) - (ends - pos))
        out = self.output
        k = np.searchsorted(pos, out, side="right") - 1
        inside = (k >= 0) & (out > pos[np.maximum(k, 0)]) & (out < ends[np.maximum(k, 0)])
        done = np.searchsorted(ends, out, side="right")
        shift = np.where(done > 0, growth[np.maximum(done - 1, 0)], 0)
        keep = ~inside
        self.source = self.source[keep]
        self.output = (out + shift)[keep]

    def units(self) -> list[tuple[int, int, int, int]]:
        """``(source_start, source_end, output_start, output_end)`` of every unit."""
        s, o = self.source.tolist(), self.output.tolist()
        return [(s[i], s[i + 1], o[i], o[i + 1]) for i in range(len(s) - 1)]
