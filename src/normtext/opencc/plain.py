"""OpenCC conversion without numpy, for short texts: the stored tables, read in place.

A fresh process that converts a sentence would spend most of its time importing numpy and
setting up arrays (issue 12). This engine reads the tables the numpy engine compiled and
stored (``compiled.py``, ``store.load_views``) through memoryviews, one position at a time,
and runs the algorithm of ``reference.py`` over them: each group becomes a matcher that
answers "the longest key here", the first level with a key at a position giving its
longest one. Hashes only propose a key, as in the numpy engine: every key is compared
with the text before it counts, so the answer is OpenCC's.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping
from itertools import accumulate
from typing import Any

from .reference import Match, ReferenceConverter
from .store import HASH_MULTIPLIER, Stored

UNICODE_SIZE = 0x110000

_MASK = (1 << 64) - 1
#: What each stored array must be (the rest, as ``CompiledGroup.from_arrays`` checks them).
_ITEMS = {
    "key_len": "q",
    "val_len": "q",
    "key_cps": "I",
    "val_cps": "I",
    "val_all": "I",
    "table": "I",
    "is_first": "B",
    "first": "i",
    "second": "i",
    "single_id": "q",
    "pair": "B",
    "hashes": "Q",
    "ids": "q",
    "prefix": "Q",
}

Views = dict[str, "memoryview[int]"]


def plain_converter(
    facts: Mapping[str, Any], stored: Mapping[str, Stored]
) -> ReferenceConverter | None:
    """A converter over stored tables (``ConverterTables.to_arrays``' names), or None for a
    config the numpy engine does not compile (it converts by the reference then).
    ValueError (or KeyError) if the tables are not what ``to_arrays`` writes."""
    if facts.get("vectorised") is False:
        return None
    for name, (_, _, view) in stored.items():
        if view.format != _ITEMS[name.rsplit(".", 1)[-1].rstrip("0123456789")]:
            raise ValueError(f"stored array {name} holds {view.format!r} items")
    widths = {name: shape[-1] for name, (_, shape, _) in stored.items()}
    views = {name: view for name, (_, _, view) in stored.items()}
    groups = [
        _PlainGroup(group_facts, _own(views, f"g{index}."), widths[f"g{index}.key_cps"])
        for index, group_facts in enumerate(facts["groups"])
    ]
    n_norm, n_chain = int(facts["normalization"]), int(facts["chain"])
    n_seg = 1 if facts["segmentation"] else 0
    if len(groups) != n_norm + n_seg + n_chain:
        raise ValueError("stored group count does not match the config")
    return ReferenceConverter.of_matchers(
        [g.match for g in groups[:n_norm]],
        groups[n_norm].match if n_seg else None,
        [g.match for g in groups[n_norm + n_seg :]],
    )


def changes_length(facts: Mapping[str, Any]) -> bool:
    """``FastConverter.changes_length``, from the stored facts."""
    if facts.get("vectorised") is False:
        return True
    groups = list(facts["groups"])
    if facts["segmentation"]:
        del groups[int(facts["normalization"])]
    return any(bool(g["changes_length"]) for g in groups)


def _own(views: Views, prefix: str) -> Views:
    return {name[len(prefix) :]: view for name, view in views.items() if name.startswith(prefix)}


def _check(ok: bool) -> None:
    if not ok:
        raise ValueError("stored arrays of the wrong size")


class _PlainGroup:
    """One compiled group, matched at one position at a time."""

    def __init__(self, facts: Mapping[str, Any], views: Views, width: int) -> None:
        self.key_len = views["key_len"]
        self.val_len = views["val_len"]
        self.width = width
        self.key_cps = views["key_cps"]
        self.val_cps = views["val_cps"]
        self.val_all = views["val_all"]
        self.table = None if facts["identity"] else views["table"]
        n_keys = len(self.key_len)
        _check(len(self.val_len) == n_keys and len(self.key_cps) == len(self.val_cps))
        _check(len(self.key_cps) == n_keys * width and len(self.val_all) == sum(self.val_len))
        _check(self.table is None or len(self.table) == UNICODE_SIZE)
        self._value_ends: list[int] | None = None
        self.levels = [
            _PlainLevel(level, views, f"level{index}.")
            for index, level in enumerate(facts["levels"])
        ]

    def match(self, text: str, pos: int, end: int) -> Match | None:
        """The first level's longest key at ``pos`` (within ``end``) and its value; else
        the character's own conversion, if it has one (``reference.Matcher``)."""
        code = ord(text[pos])
        for level in self.levels:
            if level.is_first[code]:
                found = level.longest(self, text, pos, end)
                if found is not None:
                    length, kid = found
                    return length, self._value(kid)
        if self.table is not None:
            converted = self.table[code]
            if converted != code:
                return 1, chr(converted)
        return None

    def spells(self, kid: int, text: str, pos: int, length: int) -> bool:
        """Whether key ``kid`` (of ``length`` characters) is what ``text`` holds at ``pos``."""
        row = kid * self.width
        return self.key_cps[row : row + length].tolist() == [
            ord(c) for c in text[pos : pos + length]
        ]

    def _value(self, kid: int) -> str:
        length = self.val_len[kid]
        if length == self.key_len[kid]:  # written in its row, as same-length values are
            row = kid * self.width
            return "".join(map(chr, self.val_cps[row : row + length]))
        if self._value_ends is None:
            self._value_ends = list(accumulate(self.val_len))
        end = self._value_ends[kid]
        return "".join(map(chr, self.val_all[end - length : end]))


class _PlainLevel:
    """A level's keys (``compiled._Level``), found as ``compiled._find_level`` finds them."""

    def __init__(self, facts: Mapping[str, Any], views: Views, name: str) -> None:
        self.is_first = views[name + "is_first"]
        self.first = views[name + "first"]
        self.second = views[name + "second"]
        self.single_id = views[name + "single_id"]
        self.pair = views[name + "pair"]
        self.n_second = int(facts["n_second"])
        self.longest_key = int(facts["longest"])
        self.full = {
            int(n): (views[f"{name}full{n}.hashes"], views[f"{name}full{n}.ids"])
            for n in facts["full"]
        }
        self.prefix = {int(n): views[f"{name}prefix{n}"] for n in facts["prefix"]}
        tables = (self.is_first, self.first, self.second)
        _check(all(len(t) == UNICODE_SIZE for t in tables))
        _check(len(self.pair) == len(self.single_id) * self.n_second)
        _check(all(len(h) == len(i) for h, i in self.full.values()))

    def longest(self, group: _PlainGroup, text: str, pos: int, end: int) -> tuple[int, int] | None:
        """(length, key id) of the longest key at ``pos`` that ends by ``end``, or None;
        a key starts with ``text[pos]`` (``is_first``)."""
        code = ord(text[pos])
        f = self.first[code]
        kid = self.single_id[f]
        best = (1, kid) if kid >= 0 else None
        if pos + 1 >= end:
            return best
        following = ord(text[pos + 1])
        bits = self.pair[f * self.n_second + self.second[following]]
        h = (code * HASH_MULTIPLIER + following) & _MASK
        if bits & 1 and 2 in self.full:
            kid = self._find(group, self.full[2], h, text, pos, 2)
            best = (2, kid) if kid >= 0 else best
        if not bits & 2:
            return best
        for length in range(3, min(self.longest_key, end - pos) + 1):
            h = (h * HASH_MULTIPLIER + ord(text[pos + length - 1])) & _MASK
            if length in self.full:
                kid = self._find(group, self.full[length], h, text, pos, length)
                best = (length, kid) if kid >= 0 else best
            prefix = self.prefix.get(length)
            if not prefix or not _holds(prefix, h):
                break
        return best

    @staticmethod
    def _find(
        group: _PlainGroup,
        table: tuple[memoryview[int], memoryview[int]],
        h: int,
        text: str,
        pos: int,
        length: int,
    ) -> int:
        """The id of the key with hash ``h`` that ``text`` spells at ``pos``, or -1."""
        hashes, ids = table
        at = bisect_left(hashes, h)
        while at < len(hashes) and hashes[at] == h:
            if group.spells(ids[at], text, pos, length):
                return ids[at]
            at += 1
        return -1


def _holds(sorted_hashes: memoryview[int], h: int) -> bool:
    at = bisect_left(sorted_hashes, h)
    return at < len(sorted_hashes) and sorted_hashes[at] == h
