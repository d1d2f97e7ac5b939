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

from dataclasses import dataclass

import numpy as np

from ..chars import script as hanzi
from ..opencc import Converter
from ..opencc.config import resolve_config_name
from ..options import TARGETS, Options
from ..text import Edit, diff_edits
from .base import Stage

# Sentence ends and line breaks: no OpenCC key spans them, so cutting there is exact.
_STRETCH_END_CHARS = "。！？!?；;\n"
_STRETCH_END = np.zeros(0x110000, dtype=bool)
_STRETCH_END[[ord(c) for c in _STRETCH_END_CHARS]] = True

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
    return hanzi.standard_of(hanzi.code_points(text) if isinstance(text, str) else text)


@dataclass
class Plan:
    """Where to convert: the whole text, or the stretches (sentences) holding evidence."""

    whole: bool
    starts: np.ndarray
    ends: np.ndarray
    inside: np.ndarray | None  # per code point: in a chosen stretch (None when whole)

    @property
    def stretches(self) -> list[tuple[int, int]]:
        return list(zip(self.starts.tolist(), self.ends.tolist()))


def _plan(points: np.ndarray, config: str) -> Plan | None:
    """None (leave alone), or where to convert."""
    n = len(points)
    whole = Plan(True, np.array([0]), np.array([n]), None)
    evidence_class = _direction(config)
    if evidence_class == hanzi.NEUTRAL:
        return whole
    classes = hanzi.script_classes()[points]
    evidence = np.flatnonzero(classes == evidence_class)
    if not len(evidence):
        return None
    counter = hanzi.SIMPLIFIED if evidence_class == hanzi.TRADITIONAL else hanzi.TRADITIONAL
    if not (classes == counter).any():
        return whole
    is_end = _STRETCH_END[points]
    # A stretch ends after the last of a run of sentence-end characters.
    run_last = is_end & ~np.concatenate((is_end[1:], [False]))
    ends = np.concatenate((np.flatnonzero(run_last) + 1, [n]))
    ends = ends[np.concatenate(([True], ends[1:] != ends[:-1]))]
    hit = np.zeros(len(ends), dtype=bool)
    hit[np.searchsorted(ends, evidence, side="right")] = True
    starts = np.concatenate(([0], ends[:-1]))
    stretch_of = np.repeat(np.arange(len(ends)), ends - starts)
    return Plan(False, starts[hit], ends[hit], hit[stretch_of])


class ScriptStage(Stage):
    name = "script"

    def __init__(self, options: Options) -> None:
        super().__init__(options)
        self.pinned = resolve_config_name(options.config) if options.config else None
        self.target_config = TARGETS.get(options.target) or resolve_config_name(options.target)
        self.detect = (
            self.pinned is None and options.target in TARGETS and self.target_config == "t2s"
        )

    def _config_and_plan(self, points: np.ndarray) -> tuple[str, Plan | None]:
        """The config to use and where to use it (None: nowhere)."""
        config = self.pinned or self.target_config
        plan = _plan(points, config)
        if plan is not None and self.detect:
            evidence = points if plan.inside is None else points[plan.inside]
            config = _TO_SIMPLIFIED[detect_standard(evidence)]
        return config, plan

    def config_for(self, text: str) -> str:
        return self._config_and_plan(hanzi.code_points(text))[0]

    def notes(self, text: str) -> dict[str, str]:
        config, plan = self._config_and_plan(hanzi.code_points(text))
        if plan is None:
            return {"script": "no evidence of the source script: left as is"}
        where = "whole text" if plan.whole else f"{len(plan.starts)} stretch(es) with evidence"
        return {"script": f"{config} on the {where}"}

    def transform(self, text: str) -> str:
        points = hanzi.code_points(text)
        config, plan = self._config_and_plan(points)
        if plan is None:
            return text
        out = self._convert(text, points, config, plan)
        if config.startswith("tw2") and "著" in text and len(out) == len(text):
            out = hanzi.restore_zhu(text, out)
        return out

    def _convert(self, text: str, points: np.ndarray, config: str, plan: Plan) -> str:
        converter = Converter(config)
        if plan.whole:
            return converter.convert(text)
        # No OpenCC key spans a stretch end, so converting a stretch alone equals cutting it
        # out of a conversion of more text: one engine pass serves every stretch. (An
        # Ideographic Description Sequence may span one, hence the check.)
        if not ((points - 0x2FF0) < 16).any():
            assert plan.inside is not None
            if plan.inside.sum() * 2 < len(points):
                glued = points[plan.inside]
                converted = hanzi.code_points(converter.convert(_text(glued)))
                if len(converted) == len(glued):
                    out = points.copy()
                    out[plan.inside] = converted
                    return _text(out)
            else:
                converted = hanzi.code_points(converter.convert(text))
                if len(converted) == len(points):
                    return _text(np.where(plan.inside, converted, points))
        parts, pos = [], 0
        for s, e in plan.stretches:
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


def _text(points: np.ndarray) -> str:
    return points.astype(np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
