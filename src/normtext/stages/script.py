"""Script conversion with OpenCC, only where the text gives evidence it is needed.

Two decisions wrap the OpenCC engine:

* **Which Traditional standard.** OpenCC's t2s expects OpenCC's own glyphs (爲 着 裏);
  Taiwan text (為 著 裡) wants tw2s, whose first step maps 著 to the particle 着 in
  ``盯著`` and ``要著力``; Hong Kong text (説 温) wants hk2s. Glyph counts from
  ``hanzi.standard_markers`` pick one; ``Options.config`` pins it.
* **Where to convert.** A stretch with no character that proves the source script is
  left as it is, because conversion is not idempotent on the target script: t2s turns
  the Simplified 萧乾 into 萧干. A text with no evidence at all is returned untouched; a
  text with evidence and no counter-evidence (no character only the target script
  uses) is converted whole; a mixed text is converted sentence by sentence, only the
  sentences that hold evidence.
"""

from __future__ import annotations

import re

import numpy as np

from .. import hanzi
from ..opencc import Converter
from ..opencc.config import resolve_config_name
from ..options import TARGETS, Options
from ..text import Edit, diff_edits
from .base import Stage

# Sentence ends and line breaks: no OpenCC key spans them, so cutting there is exact.
_STRETCH_END = re.compile(r"[。！？!?；;\n]+")

_IDS_OPERATOR = re.compile("[\u2ff0-\u2fff]")

_TO_SIMPLIFIED = {"opencc": "t2s", "tw": "tw2s", "hk": "hk2s"}


def _direction(config: str) -> int:
    """Which script's characters are evidence for a config (0: convert everything)."""
    if config.startswith("s2"):
        return hanzi.SIMPLIFIED
    if config.endswith(("2s", "2sp")):
        return hanzi.TRADITIONAL
    return hanzi.NEUTRAL


def detect_standard(text: str | np.ndarray) -> str:
    """``"opencc"``, ``"tw"`` or ``"hk"``: the Traditional standard the glyphs point to."""
    points = hanzi.code_points(text) if isinstance(text, str) else text
    counts = np.bincount(hanzi.standard_classes()[points], minlength=4)
    opencc, tw, hk = (int(c) for c in counts[1:4])
    if hk and hk >= tw:
        return "hk"
    if tw and tw >= opencc:
        return "tw"
    if opencc:
        return "opencc"
    return "tw" if (points == ord("為")).any() else "opencc"


Plan = tuple[bool, list[tuple[int, int]]]


def _plan(text: str, points: np.ndarray, config: str) -> Plan | None:
    """None (leave alone), or (whole text?, stretches to convert)."""
    evidence_class = _direction(config)
    if evidence_class == hanzi.NEUTRAL:
        return True, [(0, len(text))]
    classes = hanzi.script_classes()[points]
    evidence = np.flatnonzero(classes == evidence_class)
    if not len(evidence):
        return None
    counter = hanzi.SIMPLIFIED if evidence_class == hanzi.TRADITIONAL else hanzi.TRADITIONAL
    if not (classes == counter).any():
        return True, [(0, len(text))]
    ends = np.array([m.end() for m in _STRETCH_END.finditer(text)] + [len(text)], dtype=np.int64)
    chosen = np.unique(np.searchsorted(ends, evidence, side="right"))
    starts = np.concatenate(([0], ends[:-1]))
    return False, list(zip(starts[chosen].tolist(), ends[chosen].tolist()))


class ScriptStage(Stage):
    name = "script"

    def __init__(self, options: Options) -> None:
        super().__init__(options)
        self.pinned = resolve_config_name(options.config) if options.config else None
        target = options.target
        self.target_config = TARGETS.get(target) or resolve_config_name(target)
        self.to_simplified = self.target_config.endswith(("2s", "2sp"))

    def _config_and_plan(self, text: str) -> tuple[str, Plan | None]:
        """The config to use and where to use it (None: nowhere)."""
        points = hanzi.code_points(text)
        config = self.pinned or self.target_config
        plan = _plan(text, points, config)
        detect = not self.pinned and config == "t2s" and self.options.target in TARGETS
        if plan is not None and detect:
            whole, stretches = plan
            evidence = points if whole else np.concatenate([points[s:e] for s, e in stretches])
            config = _TO_SIMPLIFIED[detect_standard(evidence)]
        return config, plan

    def config_for(self, text: str) -> str:
        return self._config_and_plan(text)[0]

    def notes(self, text: str) -> dict[str, str]:
        config, plan = self._config_and_plan(text)
        if plan is None:
            return {"script": "no evidence of the source script: left as is"}
        whole, stretches = plan
        where = "whole text" if whole else f"{len(stretches)} stretch(es) with evidence"
        return {"script": f"{config} on the {where}"}

    def transform(self, text: str) -> str:
        config, plan = self._config_and_plan(text)
        if plan is None:
            return text
        converter = Converter(config)
        whole, stretches = plan
        if whole:
            return converter.convert(text)
        # No OpenCC key spans a stretch end, so converting a stretch alone equals cutting it
        # out of a conversion of more text: one engine pass serves every stretch.
        if not _IDS_OPERATOR.search(text):
            covered = sum(e - s for s, e in stretches)
            if covered * 2 < len(text):
                glued = "".join(text[s:e] for s, e in stretches)
                converted = converter.convert(glued)
                if len(converted) == len(glued):
                    return _splice(text, stretches, converted)
            else:
                converted = converter.convert(text)
                if len(converted) == len(text):
                    return _keep_outside(text, converted, stretches)
        parts, pos = [], 0
        for s, e in stretches:
            parts.append(text[pos:s])
            parts.append(converter.convert(text[s:e]))
            pos = e
        parts.append(text[pos:])
        return "".join(parts)

    def edits(self, text: str) -> list[Edit]:
        new = self.transform(text)
        if new == text:
            return []
        if len(new) == len(text):
            return diff_edits(text, new)
        return [Edit(0, len(text), new)]


def _splice(text: str, stretches: list[tuple[int, int]], converted: str) -> str:
    """Put each stretch's converted text (glued in order in ``converted``) back in place."""
    parts, pos, at = [], 0, 0
    for s, e in stretches:
        parts.append(text[pos:s])
        parts.append(converted[at : at + e - s])
        at += e - s
        pos = e
    parts.append(text[pos:])
    return "".join(parts)


def _keep_outside(text: str, converted: str, stretches: list[tuple[int, int]]) -> str:
    """``converted`` inside the stretches, ``text`` outside them (same lengths)."""
    marks = np.zeros(len(text) + 1, dtype=np.int8)
    bounds = np.array(stretches, dtype=np.int64)
    np.add.at(marks, bounds[:, 0], 1)
    np.add.at(marks, bounds[:, 1], -1)
    inside = np.cumsum(marks[:-1]) > 0
    old, new = hanzi.code_points(text), hanzi.code_points(converted)
    return (
        np.where(inside, new, old).astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    )
