"""A converter's compiled groups, built from its dictionaries or mapped from the store.

Building parses the dictionary files and compiles every group (``compiled.py``): 0.05 s
for t2s, 0.2–0.7 s for the configs with STPhrases. Mapping the stored result takes a few
milliseconds, which is what makes a short ``normtext convert`` start as fast as opencc.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from . import store
from .compiled import CompiledGroup, NotFlat, flatten
from .config import ConfigSpec, DictSpec
from .dictionary import shipped
from .store import Reader

Loader = Callable[[str], Mapping[str, str]]


@dataclass
class ConverterTables:
    normalization: list[CompiledGroup]
    segmentation: CompiledGroup | None
    chain: list[CompiledGroup]
    #: The first conversion step's own matches are the segments (see ``build``).
    segments_from_first_stage: bool

    def to_arrays(self) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
        groups = [*self.normalization, *([self.segmentation] if self.segmentation else [])]
        groups += self.chain
        facts: dict[str, Any] = {
            "normalization": len(self.normalization),
            "segmentation": self.segmentation is not None,
            "chain": len(self.chain),
            "segments_from_first_stage": self.segments_from_first_stage,
            "groups": [],
        }
        arrays: dict[str, np.ndarray] = {}
        for index, group in enumerate(groups):
            group_facts, group_arrays = group.to_arrays()
            facts["groups"].append(group_facts)
            arrays.update({f"g{index}.{name}": a for name, a in group_arrays.items()})
        return facts, arrays

    @classmethod
    def from_arrays(
        cls, facts: Mapping[str, Any], arrays: Mapping[str, np.ndarray]
    ) -> ConverterTables:
        groups = []
        for index, group_facts in enumerate(facts["groups"]):
            prefix = f"g{index}."
            own = {k[len(prefix) :]: a for k, a in arrays.items() if k.startswith(prefix)}
            groups.append(CompiledGroup.from_arrays(group_facts, own))
        n_norm, n_chain = int(facts["normalization"]), int(facts["chain"])
        n_seg = 1 if facts["segmentation"] else 0
        if len(groups) != n_norm + n_seg + n_chain:
            raise ValueError("stored group count does not match the config")
        return cls(
            groups[:n_norm],
            groups[n_norm] if n_seg else None,
            groups[n_norm + n_seg :],
            bool(facts["segments_from_first_stage"]),
        )


@cache
def compile_group(spec: DictSpec, match_singles: bool = False) -> CompiledGroup:
    """A group of shipped dictionaries, compiled once per process whatever config needs it."""
    return CompiledGroup(flatten(spec), match_singles=match_singles)


def build(config: ConfigSpec, load: Loader = shipped) -> ConverterTables | None:
    """Compile every group of ``config``; None if one cannot be flattened (see ``NotFlat``)."""

    def compile_spec(spec: DictSpec, match_singles: bool = False) -> CompiledGroup:
        if load is shipped:
            return compile_group(spec, match_singles)
        return CompiledGroup(flatten(spec, load), match_singles=match_singles)

    try:
        normalization = [compile_spec(s) for s in config.normalization]
        # A one-character key is a segment of its own, so segmentation matches them all.
        seg = config.segmentation
        segmentation = compile_spec(seg, match_singles=True) if seg else None
        chain = [compile_spec(s) for s in config.conversion_chain]
    except NotFlat:
        return None
    # When the first stage's phrase level is the segmentation dictionary itself and the
    # rest of that stage is single characters, its own matches are the segments.
    from_first = False
    if config.segmentation and config.conversion_chain:
        seg_levels = flatten(config.segmentation, load)
        stage_levels = flatten(config.conversion_chain[0], load)
        from_first = (
            len(seg_levels) == 1
            and all(len(k) > 1 for k in seg_levels[0])
            and dict(stage_levels[0]) == dict(seg_levels[0])
            and all(len(k) == 1 for level in stage_levels[1:] for k in level)
        )
    return ConverterTables(normalization, segmentation, chain, from_first)


def load_or_build(
    config: ConfigSpec, load: Loader = shipped, read: Reader | None = None
) -> ConverterTables | None:
    """The stored tables of ``config`` if the store has them, else built (and stored).

    ``read`` gives each dictionary's bytes for the store's key; without it (dictionaries
    that are not files) the tables are built every time.
    """
    if read is None:
        return build(config, load)
    try:
        path = store.config_path(config, read)
    except (OSError, RuntimeError):  # a dictionary unreadable now, or no home for a cache
        return build(config, load)
    stored = store.load(path)
    if stored is not None:
        facts, arrays = stored
        if facts.get("vectorised") is False:
            return None
        try:
            return ConverterTables.from_arrays(facts, arrays)
        except (ValueError, KeyError, TypeError):
            pass  # damaged or foreign: built again below, and the file replaced
    tables = build(config, load)
    if tables is None:
        store.save(path, {"vectorised": False}, {})
    else:
        store.save(path, *tables.to_arrays())
    return tables
