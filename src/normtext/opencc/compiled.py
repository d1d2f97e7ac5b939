"""A dictionary group compiled for vectorised matching over a whole text at once.

OpenCC scans left to right and, at each position, asks its dictionaries for the longest
key there. We get the same answer in a few numpy passes instead of a Python loop:

1. A group flattens into *levels*: a ``short_circuit`` group's dictionaries in order, a
   ``union`` merged into one level (ties to the earlier dictionary). At a position the
   first level with any match wins, with its longest key.
2. Single-character keys become one lookup table over all code points; the value for a
   character is the first level's that has it.
3. Longer keys are found with a pair table (first and second character) and, from the
   third character on, rolling 64-bit hashes checked against sorted arrays. A hash only
   ever proposes; every match that is used is compared with its key before it counts,
   so a collision can cost time but never a wrong answer.
4. The greedy left-to-right choice among overlapping matches is made in Python only
   inside clusters of overlapping matches; everything else is taken as found.

A single-character key in an earlier level must stop a longer key of a later level at the
same position, so such characters are matched like keys (``blocking`` singles).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import NotFlat
from .config import DictSpec
from .dictionary import shipped
from .store import HASH_MULTIPLIER

UNICODE_SIZE = 0x110000
_MULT = np.uint64(HASH_MULTIPLIER)


def flatten(spec: DictSpec, load=shipped) -> list[Mapping[str, str]]:
    """Levels of a dictionary spec, in the order OpenCC consults them."""
    if spec[0] == "text":
        return [load(spec[1])]
    _, policy, children = spec  # type: ignore[misc]
    if policy == "union":
        merged: dict[str, str] = {}
        for child in children:
            levels = flatten(child, load)
            if len(levels) > 1:
                raise NotFlat(spec)
            for key, value in levels[0].items():
                merged.setdefault(key, value)
        return [merged]
    out: list[Mapping[str, str]] = []
    for child in children:
        out.extend(flatten(child, load))
    return out


def _matrix(strings: Sequence[str], width: int) -> np.ndarray:
    """Code points of ``strings``, one zero-padded row each."""
    if not strings:
        return np.zeros((0, width), dtype=np.uint32)
    padded = "".join(s + "\0" * (width - len(s)) for s in strings)
    flat = np.frombuffer(padded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return flat.reshape(len(strings), width).copy()


def _codes(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32).copy()


def _text(codes: np.ndarray) -> str:
    return (
        np.ascontiguousarray(codes, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    )


def _ranges(changed: np.ndarray, most: int = 4, gap: int = 1024) -> list[tuple[int, int]] | None:
    """At most ``most`` spans ``[start, stop)`` that cover ``changed`` (sorted code points),
    or None. Gaps under ``gap`` are spanned: a span may hold unchanged points, never the
    reverse, so "no character in a span" always means "nothing to change"."""
    if not len(changed):
        return []
    breaks = np.flatnonzero(np.diff(changed) > gap)
    if len(breaks) >= most:
        return None
    starts = [int(changed[0]), *(int(changed[b + 1]) for b in breaks)]
    stops = [*(int(changed[b]) + 1 for b in breaks), int(changed[-1]) + 1]
    return list(zip(starts, stops))


def _sized(array: np.ndarray, shape: tuple[int, ...], dtype: type = np.int64) -> np.ndarray:
    """``array`` if it has ``dtype`` and ``shape`` (-1: any length there), else ValueError."""
    if (
        array.dtype != dtype
        or array.ndim != len(shape)
        or any(want not in (-1, have) for want, have in zip(shape, array.shape))
    ):
        raise ValueError(f"stored array of shape {array.shape}, expected {shape}")
    return array


@dataclass
class _Level:
    """The keys of one level that need matching (everything but plain single characters)."""

    is_first: np.ndarray  # code point -> whether a key starts with it (one byte each)
    first: np.ndarray  # code point -> dense index of a key's first character (0: none)
    second: np.ndarray  # code point -> dense index of a key's second character (0: none)
    n_second: int
    single_id: np.ndarray  # first index -> key id of a one-character key, or -1
    pair: np.ndarray  # first index * n_second + second index -> bit 1: key, bit 2: prefix
    full: dict[int, tuple[np.ndarray, np.ndarray]]  # length -> (sorted hashes, key ids)
    prefix: dict[int, np.ndarray]  # length -> sorted hashes of prefixes of longer keys
    longest: int


class CompiledGroup:
    """One dictionary group (a normalization, segmentation or conversion step)."""

    def __init__(self, levels: Sequence[Mapping[str, str]], *, match_singles: bool = False) -> None:
        self._table: np.ndarray | None = np.arange(UNICODE_SIZE, dtype=np.uint32)
        self.identity = True
        self._keys: list[str] | None = []
        self._values: list[str] | None = []
        ids: dict[str, int] = {}
        seen_single: set[str] = set()
        level_keys: list[list[str]] = []
        firsts_of = [{k[0] for k in level if len(k) > 1} for level in levels]
        for index, level in enumerate(levels):
            later_first: set[str] = set().union(*firsts_of[index + 1 :])
            wanted: list[str] = []
            for key, value in level.items():
                if len(key) > 1:
                    wanted.append(key)
                    continue
                first_here = key not in seen_single
                seen_single.add(key)
                if match_singles or key in later_first or (first_here and len(value) != 1):
                    wanted.append(key)
                if first_here and len(value) == 1 and key != value:
                    self.table[ord(key)] = ord(value)
                    self.identity = False
            for key in wanted:
                if key not in ids:
                    ids[key] = len(self.keys)
                    self.keys.append(key)
                    self.values.append(level[key])
            level_keys.append(wanted)
        self.val_all = _codes("".join(self.values))
        width = max((max(len(k), len(v)) for k, v in zip(self.keys, self.values)), default=2)
        width = max(width, 2)
        self.key_len = np.array([len(k) for k in self.keys], dtype=np.int64)
        self.val_len = np.array([len(v) for v in self.values], dtype=np.int64)
        self.key_cps = _matrix(self.keys, width)
        self.val_cps = _matrix(self.values, width)
        self.val_cps[self.val_len != self.key_len] = 0  # only same-length values are patched
        self.changes_length = bool((self.val_len != self.key_len).any())
        self.ranges = _ranges(np.flatnonzero(self.table != np.arange(UNICODE_SIZE)))
        self.levels = [
            self._compile_level(np.array([ids[k] for k in keys], dtype=np.int64))
            for keys in level_keys
            if keys
        ]

    def _compile_level(self, kid: np.ndarray) -> _Level:
        lens = self.key_len[kid]
        mat = self.key_cps[kid]
        firsts = np.unique(mat[:, 0])
        first = np.zeros(UNICODE_SIZE, dtype=np.int32)
        first[firsts] = np.arange(1, len(firsts) + 1)
        multi = lens > 1
        seconds = np.unique(mat[multi, 1]) if multi.any() else np.zeros(0, dtype=np.uint32)
        second = np.zeros(UNICODE_SIZE, dtype=np.int32)
        second[seconds] = np.arange(1, len(seconds) + 1)
        n_second = len(seconds) + 1
        f = first[mat[:, 0]]
        single_id = np.full(len(firsts) + 1, -1, dtype=np.int64)
        single_id[f[~multi]] = kid[~multi]
        slot = f[multi].astype(np.int64) * n_second + second[mat[multi, 1]]
        pair = np.zeros((len(firsts) + 1) * n_second, dtype=np.uint8)
        np.bitwise_or.at(pair, slot[lens[multi] == 2], 1)
        np.bitwise_or.at(pair, slot[lens[multi] > 2], 2)
        full: dict[int, tuple[np.ndarray, np.ndarray]] = {}
        prefix: dict[int, np.ndarray] = {}
        longest = int(lens.max())
        h = np.zeros(len(kid), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for length in range(1, longest + 1):
                h = h * _MULT + mat[:, length - 1]
                if length < 2:
                    continue
                exact = lens == length
                if exact.any():
                    order = np.argsort(h[exact], kind="stable")
                    full[length] = (h[exact][order], kid[exact][order])
                if length >= 3 and (lens > length).any():
                    prefix[length] = np.unique(h[lens > length])
        is_first = (first > 0).astype(np.uint8)
        return _Level(is_first, first, second, n_second, single_id, pair, full, prefix, longest)

    @property
    def has_keys(self) -> bool:
        return bool(self.levels)

    def touches(self, arr: np.ndarray) -> bool:
        """Whether the text holds a character ``table`` changes (True if not cheap to say).

        A table that changes a few runs of code points (CJK compatibility ideographs, in
        every config's first step) is skipped, for most texts, by a comparison or two
        instead of a lookup per character."""
        if self.ranges is None:
            return True
        return any(bool(((arr - start) < (stop - start)).any()) for start, stop in self.ranges)

    @property
    def table(self) -> np.ndarray:
        """Code point -> its single-character conversion (identity where none)."""
        if self._table is None:  # a stored identity group: nothing reads it, made if asked
            self._table = np.arange(UNICODE_SIZE, dtype=np.uint32)
        return self._table

    @property
    def keys(self) -> list[str]:
        """Matched keys by id; a stored group spells them out only when asked."""
        if self._keys is None:
            self._keys = [_text(row[:n]) for row, n in zip(self.key_cps, self.key_len.tolist())]
        return self._keys

    @property
    def values(self) -> list[str]:
        if self._values is None:
            text = _text(self.val_all)
            ends = np.cumsum(self.val_len).tolist()
            self._values = [text[e - n : e] for e, n in zip(ends, self.val_len.tolist())]
        return self._values

    def to_arrays(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        """Everything ``from_arrays`` needs: small facts, and named arrays (for ``store``)."""
        arrays = {
            "key_len": self.key_len,
            "val_len": self.val_len,
            "key_cps": self.key_cps,
            "val_cps": self.val_cps,
            "val_all": self.val_all,
        }
        if not self.identity:
            arrays["table"] = self.table
        levels = []
        for index, level in enumerate(self.levels):
            name = f"level{index}."
            for field in ("is_first", "first", "second", "single_id", "pair"):
                arrays[name + field] = getattr(level, field)
            for length, (hashes, ids) in level.full.items():
                arrays[f"{name}full{length}.hashes"] = hashes
                arrays[f"{name}full{length}.ids"] = ids
            for length, hashes in level.prefix.items():
                arrays[f"{name}prefix{length}"] = hashes
            levels.append(
                {
                    "n_second": level.n_second,
                    "longest": level.longest,
                    "full": sorted(level.full),
                    "prefix": sorted(level.prefix),
                }
            )
        facts = {
            "identity": self.identity,
            "changes_length": self.changes_length,
            "ranges": self.ranges,
            "levels": levels,
        }
        return facts, arrays

    @classmethod
    def from_arrays(
        cls, facts: Mapping[str, Any], arrays: Mapping[str, np.ndarray]
    ) -> CompiledGroup:
        """A group as ``to_arrays`` described it; ValueError if the arrays do not fit."""
        group = cls.__new__(cls)
        group.identity = bool(facts["identity"])
        group.changes_length = bool(facts["changes_length"])
        ranges = facts["ranges"]
        group.ranges = None if ranges is None else [(int(a), int(b)) for a, b in ranges]
        group._table = (
            None if group.identity else _sized(arrays["table"], (UNICODE_SIZE,), np.uint32)
        )
        group._keys = group._values = None
        group.key_len = _sized(arrays["key_len"], (-1,))
        n_keys = len(group.key_len)
        group.val_len = _sized(arrays["val_len"], (n_keys,))
        group.key_cps = _sized(arrays["key_cps"], (n_keys, -1), np.uint32)
        group.val_cps = _sized(arrays["val_cps"], group.key_cps.shape, np.uint32)
        group.val_all = _sized(arrays["val_all"], (int(group.val_len.sum()),), np.uint32)
        group.levels = []
        for index, level in enumerate(facts["levels"]):
            name = f"level{index}."
            n_second = int(level["n_second"])
            single_id = _sized(arrays[name + "single_id"], (-1,))
            full = {
                int(n): (
                    _sized(arrays[f"{name}full{n}.hashes"], (-1,), np.uint64),
                    _sized(arrays[f"{name}full{n}.ids"], (-1,)),
                )
                for n in level["full"]
            }
            if any(len(h) != len(i) for h, i in full.values()):
                raise ValueError("stored hashes and key ids differ in length")
            group.levels.append(
                _Level(
                    _sized(arrays[name + "is_first"], (UNICODE_SIZE,), np.uint8),
                    _sized(arrays[name + "first"], (UNICODE_SIZE,), np.int32),
                    _sized(arrays[name + "second"], (UNICODE_SIZE,), np.int32),
                    n_second,
                    single_id,
                    _sized(arrays[name + "pair"], (len(single_id) * n_second,), np.uint8),
                    full,
                    {
                        int(n): _sized(arrays[f"{name}prefix{n}"], (-1,), np.uint64)
                        for n in level["prefix"]
                    },
                    int(level["longest"]),
                )
            )
        return group

    def find(
        self, arr: np.ndarray, allowed: np.ndarray | None, segid: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every position's match (positions, lengths, key ids), first level first."""
        results = [_find_level(level, arr, allowed, segid) for level in self.levels]
        if not results:
            empty = np.zeros(0, dtype=np.int64)
            return empty, empty, empty
        pos, length, kid = results[0]
        if len(results) > 1:
            taken = np.zeros(len(arr), dtype=bool)
            taken[pos] = True
            parts = [results[0]]
            for p, ln, k in results[1:]:
                keep = ~taken[p]
                parts.append((p[keep], ln[keep], k[keep]))
                taken[p[keep]] = True
            pos = np.concatenate([p for p, _, _ in parts])
            length = np.concatenate([ln for _, ln, _ in parts])
            kid = np.concatenate([k for _, _, k in parts])
            order = np.argsort(pos, kind="stable")
            pos, length, kid = pos[order], length[order], kid[order]
        return pos, length, kid

    def verify(self, arr: np.ndarray, pos: np.ndarray, kid: np.ndarray) -> bool:
        """Whether every chosen match really spells its key (hashes only propose)."""
        if not len(pos):
            return True
        width = self.key_cps.shape[1]
        lengths = self.key_len[kid]
        offsets = np.arange(width)
        inside = offsets[None, :] < lengths[:, None]
        index = np.minimum(pos[:, None] + offsets[None, :], len(arr) - 1)
        return bool(np.all((arr[index] == self.key_cps[kid]) | ~inside))


def _find_level(
    level: _Level, arr: np.ndarray, allowed: np.ndarray | None, segid: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n = len(arr)
    # A one-byte table is cheap to index over the whole text; the dense index only for hits.
    # (viewed as bool: numpy finds the nonzero bytes of a bool array ten times faster)
    cand = np.flatnonzero(level.is_first.take(arr).view(bool))
    if allowed is not None:
        cand = cand[allowed[cand]]
    f = level.first.take(arr.take(cand))
    best_len = np.zeros(len(cand), dtype=np.int64)
    best_id = np.zeros(len(cand), dtype=np.int64)
    single = level.single_id.take(f)
    hit = single >= 0
    best_len[hit] = 1
    best_id[hit] = single[hit]
    # Two characters: the pair table answers without hashing.
    usable = len(cand) - 1 if len(cand) and cand[-1] == n - 1 else len(cand)
    ci = np.arange(usable)
    p = cand[:usable]
    if segid is not None:
        keep = segid.take(p + 1) == segid.take(p)
        ci, p = ci[keep], p[keep]
    code = level.pair.take(f.take(ci) * level.n_second + level.second.take(arr.take(p + 1)))
    with np.errstate(over="ignore"):
        if 2 in level.full:
            two = (code & 1).astype(bool)
            if two.any():
                pt = p[two]
                h = arr[pt].astype(np.uint64) * _MULT + arr[pt + 1]
                _record(level.full[2], h, ci[two], 2, best_len, best_id)
        ext = (code & 2).astype(bool)
        ci, p = ci[ext], p[ext]
        h = arr[p].astype(np.uint64) * _MULT + arr[p + 1]
        for length in range(3, level.longest + 1):
            if not len(p):
                break
            ok = p + length - 1 < n
            if segid is not None:
                ok &= segid[np.minimum(p + length - 1, n - 1)] == segid[p]
            ci, p, h = ci[ok], p[ok], h[ok]
            h = h * _MULT + arr[p + length - 1]
            if length in level.full:
                _record(level.full[length], h, ci, length, best_len, best_id)
            prefix = level.prefix.get(length)
            if prefix is None or not len(prefix):
                break
            idx = np.minimum(np.searchsorted(prefix, h), len(prefix) - 1)
            ext = prefix[idx] == h
            ci, p, h = ci[ext], p[ext], h[ext]
    sel = best_len > 0
    return cand[sel], best_len[sel], best_id[sel]


def _record(
    table: tuple[np.ndarray, np.ndarray],
    h: np.ndarray,
    ci: np.ndarray,
    length: int,
    best_len: np.ndarray,
    best_id: np.ndarray,
) -> None:
    hashes, ids = table
    idx = np.minimum(np.searchsorted(hashes, h), len(hashes) - 1)
    hit = hashes[idx] == h
    best_len[ci[hit]] = length
    best_id[ci[hit]] = ids[idx[hit]]


def choose(pos: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Mask of the matches a greedy left-to-right scan takes (``pos`` sorted, unique)."""
    if not len(pos):
        return np.zeros(0, dtype=bool)
    end = pos + length
    reach = np.maximum.accumulate(end)
    free = np.empty(len(pos), dtype=bool)
    free[0] = True
    free[1:] = pos[1:] >= reach[:-1]
    if free.all():
        return free
    take = free.copy()
    # Only members of clusters of overlapping matches need the sequential rule.
    cluster = np.cumsum(free) - 1
    crowded = np.bincount(cluster)[cluster] > 1
    members = np.flatnonzero(crowded)
    starts = pos[members].tolist()
    ends = end[members].tolist()
    firsts = free[members].tolist()
    chosen = []
    current_end = -1
    for k, s, e, first in zip(members.tolist(), starts, ends, firsts):
        if first or s >= current_end:
            chosen.append(k)
            current_end = e
    take[members] = False
    take[chosen] = True
    return take
