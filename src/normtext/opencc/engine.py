"""The fast conversion engine: OpenCC's algorithm over numpy arrays of code points.

``reference.py`` states the algorithm; this module computes the same result for whole
texts at once (``compiled.py`` explains how). Where a text holds something the vectorised
path does not model, it hands that text to the reference converter instead of guessing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from . import ids
from .compiled import CompiledGroup, choose
from .config import ConfigSpec
from .cuts import Cuts
from .dictionary import shipped, shipped_bytes
from .reference import ReferenceConverter
from .tables import Reader, load_or_build

#: Texts longer than this are converted in pieces cut at line ends, to bound memory.
#: No OpenCC key contains a line break, so a cut there changes nothing.
CHUNK_CHARS = 1 << 21


def _encode(text: str) -> tuple[np.ndarray, bool]:
    try:
        return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32), False
    except UnicodeEncodeError:  # lone surrogates: keep them, as every other character
        return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32), True


def _decode(arr: np.ndarray, surrogates: bool) -> str:
    return arr.tobytes().decode("utf-32-le", "surrogatepass" if surrogates else "strict")


class FastConverter:
    """Converts like ``ReferenceConverter(config)``, a whole text per numpy pass."""

    def __init__(
        self,
        config: ConfigSpec,
        load: Callable[[str], Mapping[str, str]] = shipped,
        read: Reader | None = None,
    ) -> None:
        """``read`` gives a dictionary's bytes by name, so the tables can be stored and
        mapped again by the next process (``tables.py``); the shipped ones are known."""
        self.config = config
        self.load = load
        self._reference: ReferenceConverter | None = None
        if read is None and load is shipped:
            read = shipped_bytes
        tables = load_or_build(config, load, read)
        self.vectorised = tables is not None
        if tables is None:
            return
        self.normalization = tables.normalization
        self.segmentation = tables.segmentation
        self.chain = tables.chain
        self.segments_from_first_stage = tables.segments_from_first_stage

    @property
    def changes_length(self) -> bool:
        if not self.vectorised:
            return True
        groups = [*self.normalization, *self.chain]
        return any(g.changes_length for g in groups)

    @property
    def reference(self) -> ReferenceConverter:
        if self._reference is None:
            self._reference = ReferenceConverter(self.config, self.load)
        return self._reference

    def convert(self, text: str) -> str:
        if not text:
            return text
        if not self.vectorised:
            return self.reference.convert(text)
        if len(text) > CHUNK_CHARS and ids.OPERATOR_RE.search(text) is None:
            return "".join(self._convert(piece) for piece in _line_chunks(text, CHUNK_CHARS))
        return self._convert(text)

    def convert_with_cuts(self, text: str) -> tuple[str, Cuts]:
        """Convert, and say which output span each source span became (see ``Cuts``)."""
        if not self.vectorised or not text:
            return self.reference.convert_with_cuts(text)
        if len(text) > CHUNK_CHARS and ids.OPERATOR_RE.search(text) is None:
            pieces = [self._convert_with_cuts(p) for p in _line_chunks(text, CHUNK_CHARS)]
            return "".join(p for p, _ in pieces), Cuts.join([c for _, c in pieces])
        return self._convert_with_cuts(text)

    def _convert_with_cuts(self, text: str) -> tuple[str, Cuts]:
        cuts = Cuts.identity(len(text))
        return self._convert(text, cuts), cuts

    def _fallback(self, text: str, cuts: Cuts | None) -> str:
        if cuts is None:
            return self.reference.convert(text)
        out, exact = self.reference.convert_with_cuts(text)
        cuts.source, cuts.output = exact.source, exact.output
        return out

    def _convert(self, text: str, cuts: Cuts | None = None) -> str:
        arr, surrogates = _encode(text)
        has_ids = bool(((arr - 0x2FF0) < 16).any())
        frozen = _frozen_mask(text, len(arr)) if has_ids else None
        for group in self.normalization:
            result = _apply(group, arr, None, frozen, derive_segments=False, cuts=cuts)
            if result is None:
                return self._fallback(text, cuts)
            arr, _ = result
            if has_ids:
                frozen = _frozen_mask(_decode(arr, surrogates), len(arr))
        segid = None
        if self.segmentation is not None and not self.segments_from_first_stage:
            segid = _segment(self.segmentation, arr, frozen)
            if segid is None:
                return self._fallback(text, cuts)
        for index, group in enumerate(self.chain):
            derive = index == 0 and self.segments_from_first_stage and len(self.chain) > 1
            result = _apply(group, arr, segid, frozen, derive_segments=derive, cuts=cuts)
            if result is None:
                return self._fallback(text, cuts)
            new_arr, segid = result
            if has_ids and len(new_arr) != len(arr):
                frozen = _frozen_mask(_decode(new_arr, surrogates), len(new_arr))
            arr = new_arr
        return _decode(arr, surrogates)


def _line_chunks(text: str, size: int):
    start = 0
    while start < len(text):
        cut = text.rfind("\n", start, start + size)
        end = len(text) if start + size >= len(text) else (cut + 1 if cut > start else start + size)
        yield text[start:end]
        start = end


def _frozen_mask(text: str, n: int) -> np.ndarray | None:
    found = ids.units(text)
    if not found:
        return None
    mask = np.zeros(n, dtype=bool)
    for start, end in found:
        mask[start:end] = True
    return mask


def _segment(group: CompiledGroup, arr: np.ndarray, frozen: np.ndarray | None) -> np.ndarray | None:
    """Segment ids per position (maximal-match segmentation), or None if a hash misled us."""
    pos, length, kid = group.find(arr, None if frozen is None else ~frozen, None)
    take = choose(pos, length)
    pos, length, kid = pos[take], length[take], kid[take]
    if not group.verify(arr, pos, kid):
        return None
    return _segments_from(pos, length, len(arr))


def _segments_from(pos: np.ndarray, length: np.ndarray, n: int) -> np.ndarray:
    marks = np.zeros(n + 1, dtype=np.int32)
    marks[pos] = 1
    marks[pos + length] = 1
    return np.cumsum(marks[:n], dtype=np.int32)


def _apply(
    group: CompiledGroup,
    arr: np.ndarray,
    segid: np.ndarray | None,
    frozen: np.ndarray | None,
    *,
    derive_segments: bool,
    cuts: Cuts | None = None,
) -> tuple[np.ndarray, np.ndarray | None] | None:
    """One conversion step over the text; None when verification failed (use the reference)."""
    changes = not group.identity and group.touches(arr)
    out = group.table.take(arr) if changes else arr
    if frozen is not None and changes:
        out = np.where(frozen, arr, out)
    if not group.has_keys:
        if derive_segments:
            segid = np.zeros(len(arr), dtype=np.int32)
        return out, segid
    pos, length, kid = group.find(arr, None if frozen is None else ~frozen, segid)
    take = choose(pos, length)
    pos, length, kid = pos[take], length[take], kid[take]
    if not group.verify(arr, pos, kid):
        return None
    if derive_segments:
        segid = _segments_from(pos, length, len(arr))
    if out is arr:
        out = arr.copy()
    if not len(pos):
        return out, segid
    same = group.val_len[kid] == length
    if group.changes_length and not same.all():
        if cuts is not None:
            changed = ~same
            cuts.splice(pos[changed], length[changed], group.val_len[kid[changed]])
        return _splice(group, out, segid, pos, length, kid, same)
    _patch(group, out, pos, length, kid)
    return out, segid


def _patch(
    group: CompiledGroup, out: np.ndarray, pos: np.ndarray, length: np.ndarray, kid: np.ndarray
) -> None:
    """Write same-length values over their keys, all at once."""
    width = group.val_cps.shape[1]
    offsets = np.arange(width)
    inside = offsets[None, :] < length[:, None]
    dest = (pos[:, None] + offsets[None, :])[inside]
    out[dest] = group.val_cps[kid][inside]


def _splice(
    group: CompiledGroup,
    out: np.ndarray,
    segid: np.ndarray | None,
    pos: np.ndarray,
    length: np.ndarray,
    kid: np.ndarray,
    same: np.ndarray,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Apply matches whose value is longer or shorter than the key (regional phrases)."""
    _patch(group, out, pos[same], length[same], kid[same])
    pieces: list[np.ndarray] = []
    counts = np.ones(len(out), dtype=np.int64)
    prev = 0
    for p, n, k in zip(pos[~same].tolist(), length[~same].tolist(), kid[~same].tolist()):
        value = group.values[k]
        pieces.append(out[prev:p])
        pieces.append(np.array([ord(c) for c in value], dtype=np.uint32))
        counts[p : p + n] = 0
        counts[p] = len(value)
        prev = p + n
    pieces.append(out[prev:])
    new = np.concatenate(pieces)
    new_segid = None if segid is None else np.repeat(segid, counts)
    return new, new_segid
