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

_TO_SIMPLIFIED = {"opencc": "t2s", "tw": "tw2s", "hk": "hk2s"}


def _direction(config: str) -> int:
    """Which script's characters are evidence for a config (0: convert everything)."""
    if config.startswith("s2"):
        return hanzi.SIMPLIFIED
    if config.endswith(("2s", "2sp")):
        return hanzi.TRADITIONAL
    return hanzi.NEUTRAL


def detect_standard(text: str) -> str:
    """``"opencc"``, ``"tw"`` or ``"hk"``: the Traditional standard the glyphs point to."""
    markers = hanzi.standard_markers()
    counts = {name: sum(text.count(c) for c in chars) for name, chars in markers.items()}
    if counts["hk"] and counts["hk"] >= counts["tw"]:
        return "hk"
    if counts["tw"] and counts["tw"] >= counts["opencc"]:
        return "tw"
    if counts["opencc"]:
        return "opencc"
    return "tw" if "為" in text else "opencc"


class ScriptStage(Stage):
    name = "script"

    def __init__(self, options: Options) -> None:
        super().__init__(options)
        self.pinned = resolve_config_name(options.config) if options.config else None
        target = options.target
        self.target_config = TARGETS.get(target) or resolve_config_name(target)
        self.to_simplified = self.target_config.endswith(("2s", "2sp"))

    def config_for(self, text: str) -> str:
        if self.pinned:
            return self.pinned
        if self.to_simplified and self.target_config in ("t2s",) and self.options.target in TARGETS:
            return _TO_SIMPLIFIED[detect_standard(text)]
        return self.target_config

    def notes(self, text: str) -> dict[str, str]:
        config = self.config_for(text)
        plan = self._plan(text, config)
        if plan is None:
            return {"script": f"{config}: no evidence, left as is"}
        whole, stretches = plan
        where = "whole text" if whole else f"{len(stretches)} stretch(es) with evidence"
        return {"script": f"{config} on the {where}"}

    def _plan(self, text: str, config: str) -> tuple[bool, list[tuple[int, int]]] | None:
        """None (leave alone), or (whole text?, stretches to convert)."""
        evidence_class = _direction(config)
        if evidence_class == hanzi.NEUTRAL:
            return True, [(0, len(text))]
        classes = hanzi.script_classes()[hanzi.code_points(text)]
        evidence = classes == evidence_class
        if not evidence.any():
            return None
        counter = hanzi.SIMPLIFIED if evidence_class == hanzi.TRADITIONAL else hanzi.TRADITIONAL
        if not (classes == counter).any():
            return True, [(0, len(text))]
        stretches = []
        start = 0
        cuts = [m.end() for m in _STRETCH_END.finditer(text)]
        positions = np.flatnonzero(evidence)
        for end in cuts + [len(text)]:
            if start < end:
                lo = np.searchsorted(positions, start)
                if lo < len(positions) and positions[lo] < end:
                    stretches.append((start, end))
            start = end
        return False, stretches

    def _converted(self, text: str) -> list[tuple[int, int, str]]:
        config = self.config_for(text)
        plan = self._plan(text, config)
        if plan is None:
            return []
        converter = Converter(config)
        return [(s, e, converter.convert(text[s:e])) for s, e in plan[1]]

    def edits(self, text: str) -> list[Edit]:
        edits: list[Edit] = []
        for start, end, new in self._converted(text):
            old = text[start:end]
            if new == old:
                continue
            if len(new) == len(old):
                edits.extend(Edit(start + e.start, start + e.end, e.replacement) for e in diff_edits(old, new))
            else:
                edits.append(Edit(start, end, new))
        return edits

    def transform(self, text: str) -> str:
        converted = self._converted(text)
        if not converted:
            return text
        parts: list[str] = []
        pos = 0
        for start, end, new in converted:
            parts.append(text[pos:start])
            parts.append(new)
            pos = end
        parts.append(text[pos:])
        return "".join(parts)
