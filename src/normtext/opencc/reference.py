"""OpenCC's algorithm written as plainly as possible, one character at a time.

This is the specification the fast engine is tested against (and the path it falls back
to for the rare texts it does not handle itself). It follows OpenCC 1.4.2:

* each ``normalization`` dictionary converts the whole text;
* ``segmentation`` splits the text by greedy forward longest match against its
  dictionary; unmatched characters gather into one segment;
* every stage of the ``conversion_chain`` converts each segment on its own, by greedy
  forward longest-prefix match; a ``short_circuit`` group takes the first dictionary with
  any match (with its own longest key), a ``union`` group the longest across dictionaries
  (ties to the earlier); a key converts to its first value;
* a complete Ideographic Description Sequence is one unit that never converts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from . import ids
from .config import ConfigSpec, DictSpec
from .cuts import Cuts
from .dictionary import shipped

if TYPE_CHECKING:
    import numpy as np
else:
    from ..lazy_numpy import np

Match = tuple[int, str]
Matcher = Callable[[str, int, int], "Match | None"]


def build_matcher(spec: DictSpec, load: Callable[[str], Mapping[str, str]] = shipped) -> Matcher:
    """A function ``(text, pos, end) -> (length, value) | None`` for a dictionary spec."""
    if spec[0] == "text":
        table = load(spec[1])
        longest = max((len(k) for k in table), default=0)

        def match_text(text: str, pos: int, end: int) -> Match | None:
            for length in range(min(longest, end - pos), 0, -1):
                value = table.get(text[pos : pos + length])
                if value is not None:
                    return length, value
            return None

        return match_text
    _, policy, children = spec  # type: ignore[misc]
    matchers = [build_matcher(child, load) for child in children]
    if policy == "union":

        def match_union(text: str, pos: int, end: int) -> Match | None:
            best: Match | None = None
            for matcher in matchers:
                found = matcher(text, pos, end)
                if found is not None and (best is None or found[0] > best[0]):
                    best = found
            return best

        return match_union

    def match_first(text: str, pos: int, end: int) -> Match | None:
        for matcher in matchers:
            found = matcher(text, pos, end)
            if found is not None:
                return found
        return None

    return match_first


def convert_segment(
    matcher: Matcher, text: str, splices: list[tuple[int, int, int]] | None = None
) -> str:
    """Greedy forward longest-prefix conversion of one segment.

    ``splices`` collects ``(position, key length, value length)`` of every key whose value
    has another length, for ``Cuts``.
    """
    out: list[str] = []
    pos, end = 0, len(text)
    copied = 0  # what is left as it was is copied a run at a time
    has_ids = ids.OPERATOR_RE.search(text) is not None
    while pos < end:
        found = matcher(text, pos, end)
        if found is not None:
            out += (text[copied:pos], found[1])
            if splices is not None and len(found[1]) != found[0]:
                splices.append((pos, found[0], len(found[1])))
            pos += found[0]
            copied = pos
            continue
        pos += (ids.unit_length(text, pos, end) or 1) if has_ids else 1
    if not out:
        return text
    out.append(text[copied:])
    return "".join(out)


def segment(matcher: Matcher, text: str) -> list[str]:
    """Maximal-match segmentation; unmatched characters gather into one segment."""
    segments: list[str] = []
    pos, end, run_start = 0, len(text), 0
    has_ids = ids.OPERATOR_RE.search(text) is not None
    while pos < end:
        found = matcher(text, pos, end)
        if found is None:
            pos += (ids.unit_length(text, pos, end) or 1) if has_ids else 1
            continue
        if run_start < pos:
            segments.append(text[run_start:pos])
        segments.append(text[pos : pos + found[0]])
        pos += found[0]
        run_start = pos
    if run_start < end:
        segments.append(text[run_start:end])
    return segments


class ReferenceConverter:
    """A converter for one config, by the plain algorithm."""

    def __init__(
        self, config: ConfigSpec, load: Callable[[str], Mapping[str, str]] = shipped
    ) -> None:
        self.normalization = [build_matcher(spec, load) for spec in config.normalization]
        self.segmentation = (
            build_matcher(config.segmentation, load) if config.segmentation else None
        )
        self.chain = [build_matcher(spec, load) for spec in config.conversion_chain]

    @classmethod
    def of_matchers(
        cls, normalization: list[Matcher], segmentation: Matcher | None, chain: list[Matcher]
    ) -> ReferenceConverter:
        """The algorithm over matchers found another way (``plain.py``: the stored tables)."""
        converter = cls.__new__(cls)
        converter.normalization = normalization
        converter.segmentation = segmentation
        converter.chain = chain
        return converter

    def convert(self, text: str) -> str:
        for matcher in self.normalization:
            text = convert_segment(matcher, text)
        segments = segment(self.segmentation, text) if self.segmentation else [text]
        for matcher in self.chain:
            segments = [convert_segment(matcher, s) for s in segments]
        return "".join(segments)

    def convert_with_cuts(self, text: str) -> tuple[str, Cuts]:
        """``convert``, with the map from source units to output units."""
        cuts = Cuts.identity(len(text))
        for matcher in self.normalization:
            splices: list[tuple[int, int, int]] = []
            text = convert_segment(matcher, text, splices)
            _record(cuts, splices)
        segments = segment(self.segmentation, text) if self.segmentation else [text]
        for matcher in self.chain:
            splices = []
            converted, offset = [], 0
            for piece in segments:
                found: list[tuple[int, int, int]] = []
                converted.append(convert_segment(matcher, piece, found))
                splices.extend((offset + p, n, m) for p, n, m in found)
                offset += len(piece)
            segments = converted
            _record(cuts, splices)
        return "".join(segments), cuts


def _record(cuts: Cuts, splices: list[tuple[int, int, int]]) -> None:
    if splices:
        pos, old, new = zip(*splices)
        cuts.splice(np.array(pos), np.array(old), np.array(new))
