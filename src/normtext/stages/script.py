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
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from .. import lazy_numpy
from ..chars import script as hanzi
from ..opencc import Converter
from ..opencc.config import resolve_config_name
from ..opencc.cuts import Cuts
from ..options import TARGETS, Options
from ..text import Edit, diff_edits
from .base import Stage

if TYPE_CHECKING:
    import numpy as np
else:
    from ..lazy_numpy import np

# Sentence ends and line breaks: no OpenCC key spans them, so cutting there is exact.
_STRETCH_END_CHARS = "。！？!?；;\n"


@cache
def _stretch_end() -> np.ndarray:
    """Code point -> whether it ends a stretch (``_STRETCH_END_CHARS``)."""
    table = np.zeros(0x110000, dtype=bool)
    table[[ord(c) for c in _STRETCH_END_CHARS]] = True
    return table


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
    """Where to convert: the whole text, or the stretches (sentences) holding evidence.
    Arrays for a long text, lists for a short one (``_short_plan``)."""

    whole: bool
    starts: np.ndarray | list[int]
    ends: np.ndarray | list[int]
    inside: np.ndarray | list[bool] | None  # per code point: in a chosen stretch (None: whole)
    facts: np.ndarray | None = None  # per code point: ``_char_facts`` (a long text's)

    @property
    def stretches(self) -> list[tuple[int, int]]:
        starts, ends = self.starts, self.ends
        if not isinstance(starts, list):
            starts = starts.tolist()
        if not isinstance(ends, list):
            ends = ends.tolist()
        return list(zip(starts, ends))


#: Bits of ``_char_facts``: the script class (``hanzi.script_classes``) in the low two,
#: whether the character ends a stretch, the standard (``hanzi.standard_classes``, two
#: bits), whether it is an Ideographic Description Character, and in the top two 1 + the
#: index of a character the word around decides (``hanzi.CONTEXT_CHARS``), else 0.
_END_BIT, _STANDARD_SHIFT, _IDS_BIT, _CONTEXT_SHIFT = 4, 3, 32, 6
_IDS = range(0x2FF0, 0x3000)


@cache
def _char_facts() -> np.ndarray:
    """Code point -> everything the stage asks of each character of a long text, in one
    byte: one lookup over the text instead of one per question (each costs a pass of the
    text's code points widened to indices, the larger part of asking)."""
    facts = hanzi.script_classes().view(np.uint8).copy()
    facts[_stretch_end()] |= _END_BIT
    facts |= hanzi.standard_classes().view(np.uint8) << _STANDARD_SHIFT
    facts[_IDS.start : _IDS.stop] |= _IDS_BIT
    for k, char in enumerate(hanzi.CONTEXT_CHARS):
        facts[ord(char)] |= (k + 1) << _CONTEXT_SHIFT
    return facts


def _context_positions(facts: np.ndarray) -> dict[str, list[int]]:
    """Offsets of each of ``hanzi.CONTEXT_CHARS`` in a text, from its ``_char_facts``: one
    pass for all three instead of a ``str.find`` loop each."""
    at = np.flatnonzero(facts >= 1 << _CONTEXT_SHIFT)
    which = facts[at] >> _CONTEXT_SHIFT
    return {char: at[which == k + 1].tolist() for k, char in enumerate(hanzi.CONTEXT_CHARS)}


def _plan(points: np.ndarray, config: str, facts: np.ndarray | None = None) -> Plan | None:
    """None (leave alone), or where to convert (``facts``: ``_char_facts()`` of ``points``,
    if read already)."""
    n = len(points)
    whole = Plan(True, np.array([0]), np.array([n]), None)
    evidence_class = _direction(config)
    if evidence_class == hanzi.NEUTRAL:
        return whole
    if facts is None:
        facts = _char_facts().take(points)
    whole.facts = facts
    classes = facts & 3
    evidence = classes == evidence_class
    if not evidence.any():
        # 後 於 alone, in a text nothing else places: Traditional (``chars.script``)
        weak = evidence_class == hanzi.TRADITIONAL and hanzi.weak_evidence(points, classes)
        return whole if weak else None
    counter = hanzi.SIMPLIFIED if evidence_class == hanzi.TRADITIONAL else hanzi.TRADITIONAL
    if not (classes == counter).any():
        return whole
    is_end = (facts & _END_BIT) != 0
    # A stretch ends after the last of a run of sentence-end characters.
    run_last = is_end & ~np.concatenate((is_end[1:], [False]))
    ends = np.concatenate((np.flatnonzero(run_last) + 1, [n]))
    ends = ends[np.concatenate(([True], ends[1:] != ends[:-1]))]
    starts = np.concatenate(([0], ends[:-1]))
    hit = np.logical_or.reduceat(evidence, starts)
    return Plan(False, starts[hit], ends[hit], np.repeat(hit, ends - starts), facts)


#: Characters: below, a text is planned faster over its characters (``_short_plan``) than
#: with numpy; longer ones too while numpy is not loaded (``lazy_numpy``).
SHORT_TEXT = 128


def _short_plan(text: str, config: str) -> Plan | None:
    """``_plan`` over the characters of a short text, as sets."""
    n = len(text)
    whole = Plan(True, [0], [n], None)
    evidence_class = _direction(config)
    if evidence_class == hanzi.NEUTRAL:
        return whole
    chars = set(text)
    simplified = chars & hanzi.simplified_only()
    traditional = (chars & hanzi.traditional_only()) - simplified  # a char in both: Simplified
    evidence, counter = (
        (traditional, simplified)
        if evidence_class == hanzi.TRADITIONAL
        else (simplified, traditional)
    )
    if not evidence:
        # 後 於 alone, in a text nothing else places: Traditional (``chars.script``)
        weak = evidence_class == hanzi.TRADITIONAL and not simplified
        return whole if weak and chars & hanzi.weak_traditional_chars() else None
    if not counter:
        return whole
    starts, ends, inside = [], [], [False] * n
    start = 0
    # a stretch ends after the last of a run of sentence-end characters
    for end in [*(m.end() for m in _STRETCH_ENDS.finditer(text)), n]:
        if end > start and not evidence.isdisjoint(text[start:end]):
            starts.append(start)
            ends.append(end)
            inside[start:end] = [True] * (end - start)
        start = end
    return Plan(False, starts, ends, inside)


_STRETCH_ENDS = re.compile(f"[{_STRETCH_END_CHARS}]+")


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
        facts = _char_facts().take(points)
        plan = _plan(points, config, facts)
        if plan is not None and self.detect:
            standards = (facts >> _STANDARD_SHIFT) & 3
            config = _TO_SIMPLIFIED[hanzi.standard_of_classes(standards, points, plan.inside)]
        return config, plan

    def _short_config_and_plan(self, text: str) -> tuple[str, Plan | None]:
        """``_config_and_plan`` for a short text, over its characters."""
        config = self.pinned or self.target_config
        plan = _short_plan(text, config)
        if plan is not None and self.detect:
            inside = text if plan.whole else "".join(text[s:e] for s, e in plan.stretches)
            config = _TO_SIMPLIFIED[hanzi.short_standard_of(inside)]
        return config, plan

    def decide(self, text: str) -> tuple[str, Plan | None]:
        """The config for ``text`` and where to use it (None: nowhere)."""
        config, plan, _ = self._decide(text)
        return config, plan

    def _decide(self, text: str) -> tuple[str, Plan | None, np.ndarray | None]:
        """``decide``, with the code points when it read them (not for a short text)."""
        if lazy_numpy.pure_python_for(len(text), SHORT_TEXT):
            return (*self._short_config_and_plan(text), None)
        points = hanzi.code_points(text)
        return (*self._config_and_plan(points), points)

    def config_for(self, text: str) -> str:
        return self.decide(text)[0]

    def notes(self, text: str) -> dict[str, str]:
        config, plan = self.decide(text)
        if plan is None:
            return {"script": "no evidence of the source script: left as is"}
        where = "whole text" if plan.whole else f"{len(plan.starts)} stretch(es) with evidence"
        return {"script": f"{config} on the {where}"}

    def transform(self, text: str) -> str:
        conversion = self._conversion(text)
        return text if conversion is None else conversion.text

    def _conversion(self, text: str) -> _Conversion | None:
        config, plan, points = self._decide(text)
        if plan is None:
            return None
        converter = Converter(config)
        if converter.changes_length:
            out, cuts = self._convert_with_cuts(text, converter, plan)
        elif points is None:
            out, cuts = _convert_stretches(text, converter, plan), None
        else:
            out, cuts = self._convert(text, points, config, plan), None
        if cuts is None and len(out) == len(text):
            out = _chains_followed(text, out, converter, plan, _direction(config))
        conversion = _Conversion(text, out, cuts, f"script.{config}", plan)
        if _direction(config) == hanzi.TRADITIONAL:
            conversion.fix_words()
        return conversion

    def _convert_with_cuts(self, text: str, converter: Converter, plan: Plan) -> tuple[str, Cuts]:
        if plan.whole:
            return converter.convert_with_cuts(text)
        outs: list[str] = []
        parts: list[Cuts] = []
        pos = 0
        for s, e in plan.stretches:
            outs.append(text[pos:s])
            parts.append(Cuts.identity(s - pos))
            out, cuts = converter.convert_with_cuts(text[s:e])
            outs.append(out)
            parts.append(cuts)
            pos = e
        outs.append(text[pos:])
        parts.append(Cuts.identity(len(text) - pos))
        return "".join(outs), Cuts.join(parts)

    def _convert(self, text: str, points: np.ndarray, config: str, plan: Plan) -> str:
        converter = Converter(config)
        if plan.whole:
            return converter.convert(text)
        # No OpenCC key spans a stretch end, so converting a stretch alone equals cutting it
        # out of a conversion of more text: one engine pass serves every stretch. (An
        # Ideographic Description Sequence may span one, hence the check.)
        if plan.facts is not None:
            has_ids = bool((plan.facts & _IDS_BIT).any())
        else:
            has_ids = bool(((points - _IDS.start) < len(_IDS)).any())
        if not has_ids:
            assert plan.inside is not None
            if plan.inside.sum() * 2 < len(points):
                glued = points[plan.inside]
                converted = hanzi.code_points(converter.convert(_text(glued)))
                if len(converted) == len(glued):
                    out = points.copy()
                    out[plan.inside] = converted
                    return _text(out)
            else:
                whole = converter.convert(text)
                if len(whole) == len(text):
                    return _outside_kept(text, whole, plan)
        return _convert_stretches(text, converter, plan)

    def edits(self, text: str) -> list[Edit]:
        conversion = self._conversion(text)
        if conversion is None or conversion.text == text:
            return []
        return conversion.edits()


class _Conversion:
    """One conversion of a text: the output, its unit map, and the rule behind each
    output character (the config's, or a word fix that rewrote it afterwards)."""

    def __init__(self, source: str, text: str, cuts: Cuts | None, rule: str, plan: Plan):
        self.source = source
        self.text = text
        self.cuts = cuts
        self.rule = rule
        self.plan = plan
        self.fixes: dict[int, str] = {}  # output position -> rule of the fix that wrote it

    def _origins(self) -> np.ndarray:
        """Source offset of each output character that a unit of one character made, or -1."""
        if self.cuts is None:
            return np.arange(len(self.text))
        origin = np.full(len(self.text), -1, dtype=np.int64)
        s, o = self.cuts.source, self.cuts.output
        single = (np.diff(s) == 1) & (np.diff(o) == 1)
        origin[o[:-1][single]] = s[:-1][single]
        return origin

    def _output_map(self) -> np.ndarray | None:
        """Source offset -> output offset of the character it made, -1 where a unit of
        several characters made it; None when each stands where it stood (no unit map)."""
        if self.cuts is None and len(self.source) == len(self.text):
            return None
        origins = self._origins()
        out_of = np.full(len(self.source) + 1, -1, dtype=np.int64)
        made = np.flatnonzero(origins >= 0)
        out_of[origins[made]] = made
        return out_of

    def _inside(self) -> np.ndarray | list[bool] | None:
        """Which output characters lie in converted stretches (None: all of them)."""
        if self.plan.whole:
            return None
        if self.cuts is None:
            return self.plan.inside
        inside = np.zeros(len(self.text), dtype=bool)
        for s, e in self.plan.stretches:
            lo, hi = np.searchsorted(self.cuts.source, [s, e])
            inside[self.cuts.output[lo] : self.cuts.output[hi]] = True
        return inside

    def fix_words(self) -> None:
        """Write what edited Simplified text writes where OpenCC keeps a Traditional form:
        著/乾/於 by the word around them, then variant spellings (想像 → 想象)."""
        fixed: dict[int, str] = {}
        facts = self.plan.facts
        known = None if facts is None else _context_positions(facts)
        wanted = [
            c
            for c in hanzi.CONTEXT_CHARS
            if (c in self.source if known is None else bool(known[c]))
        ]
        if wanted:
            out_of = self._output_map()
            for original in wanted:
                found = _positions(self.source, original) if known is None else known[original]
                if out_of is not None:
                    found = [p for p in out_of[found].tolist() if p >= 0]
                if len(found) >= _CONTESTED_FROM:
                    # only where a word around says otherwise can the word change anything
                    asked = hanzi.contested(self.text, found, original)
                    found = np.asarray(found, dtype=np.int64)[asked].tolist()
                for pos in found:
                    current = self.text[pos]
                    choice = hanzi.context_choice(self.text, pos, original)
                    if choice is None and original == "著" and current == "着":
                        continue  # no word around it: the particle, as OpenCC wrote it
                    if choice is not None and choice != current:
                        fixed[pos] = choice
                        kept = "_kept" if choice == original else ""
                        self.fixes[pos] = _CONTEXT_RULES[original] + kept
        self._rewrite(fixed)
        fixed = {}
        for start, word in hanzi.standard_spellings(self.text, self._inside()):
            for k, char in enumerate(word):
                if self.text[start + k] != char:
                    fixed[start + k] = char
                    self.fixes[start + k] = "script.variant_word"
        self._rewrite(fixed)

    def _rewrite(self, fixed: dict[int, str]) -> None:
        if not fixed:
            return
        parts, prev = [], 0
        for pos in sorted(fixed):
            parts += [self.text[prev:pos], fixed[pos]]
            prev = pos + 1
        parts.append(self.text[prev:])
        self.text = "".join(parts)

    def _rule_at(self, pos: int) -> str:
        return self.fixes.get(pos, self.rule)

    def edits(self) -> list[Edit]:
        """One edit per unit that changed, trimmed to what differs; neighbouring
        one-character units of the same rule join into a run."""
        source, text = self.source, self.text
        if self.cuts is None:
            raw = [(e.start, e.end, e.start, e.end) for e in diff_edits(source, text)]
            units = [(p, p + 1, p, p + 1) for a, b, _, _ in raw for p in range(a, b)]
        else:
            units = self.cuts.units()
        edits: list[Edit] = []
        for s0, s1, o0, o1 in units:
            before, after = source[s0:s1], text[o0:o1]
            if before == after:
                continue
            while before and after and before[0] == after[0]:
                before, after, s0, o0 = before[1:], after[1:], s0 + 1, o0 + 1
            while before and after and before[-1] == after[-1]:
                before, after, s1, o1 = before[:-1], after[:-1], s1 - 1, o1 - 1
            rule = "+".join(dict.fromkeys(self._rule_at(p) for p in range(o0, max(o1, o0 + 1))))
            last = edits[-1] if edits else None
            if (
                last is not None
                and last.end == s0
                and s1 - s0 == o1 - o0 == 1
                and last.end - last.start == len(last.replacement)
                and last.rule == rule
            ):
                edits[-1] = Edit(last.start, s1, last.replacement + after, rule)
            else:
                edits.append(Edit(s0, s1, after, rule))
        return edits


def _convert_stretches(text: str, converter: Converter, plan: Plan) -> str:
    """``text`` with the stretches of ``plan`` converted, each on its own."""
    if plan.whole:
        return converter.convert(text)
    parts, pos = [], 0
    for s, e in plan.stretches:
        parts.append(text[pos:s])
        parts.append(converter.convert(text[s:e]))
        pos = e
    parts.append(text[pos:])
    return "".join(parts)


def _chains_followed(
    source: str, text: str, converter: Converter, plan: Plan, evidence_class: int
) -> str:
    """``text`` (the conversion of ``source``, unit for unit) with each evidence character
    the conversion wrote converted again, in its sentence, where that changes it: OpenCC's
    tables chain (t2s: 薴 → 苧, itself a Traditional form, → 苎), and a second pass would
    take the step. What the conversion left as it was (``陳昇`` → ``陈昇``, a phrase) stays."""
    for _ in range(_CHAIN_STEPS):
        changed = False
        for pos in _evidence_left(text, plan, evidence_class):
            if text[pos] == source[pos] or not _converts(converter.config, text[pos]):
                continue  # kept by a phrase, or no form to go to: as a second pass keeps it
            start = max((text.rfind(c, 0, pos) for c in _STRETCH_END_CHARS), default=-1) + 1
            found = [i for c in _STRETCH_END_CHARS if (i := text.find(c, pos)) >= 0]
            end = min(found) if found else len(text)
            again = converter.convert(text[start:end])
            if len(again) == end - start and again[pos - start] != text[pos]:
                text = text[:pos] + again[pos - start] + text[pos + 1 :]
                changed = True
        if not changed:
            break
    return text


_CHAIN_STEPS = 3  # the longest chain of OpenCC's tables is two steps


def _evidence_left(text: str, plan: Plan, evidence_class: int) -> list[int]:
    """Positions of evidence characters (of ``evidence_class``) inside the plan's stretches."""
    if evidence_class == hanzi.NEUTRAL:
        return []
    if lazy_numpy.pure_python_for(len(text), SHORT_TEXT):
        if evidence_class == hanzi.TRADITIONAL:
            evidence = hanzi.traditional_only() - hanzi.simplified_only()
        else:
            evidence = hanzi.simplified_only()
        if evidence.isdisjoint(text):
            return []
        inside = plan.inside
        return [i for i, c in enumerate(text) if c in evidence and (inside is None or inside[i])]
    classes = hanzi.script_classes().take(hanzi.code_points(text))
    found = classes == evidence_class
    if plan.inside is not None:
        found &= np.asarray(plan.inside, dtype=bool)
    return np.flatnonzero(found).tolist()


@lru_cache(maxsize=4096)
def _converts(config: str, char: str) -> bool:
    """Whether ``config`` changes ``char`` standing alone."""
    return Converter(config).convert(char) != char


def _outside_kept(text: str, converted: str, plan: Plan) -> str:
    """``converted`` (all of ``text`` converted, unit for unit) with the stretches outside
    ``plan`` as they were in ``text``: the converted spans joined where they touch, so the
    pieces are as few as the gaps between them."""
    starts, ends = plan.starts, plan.ends
    if not len(starts):
        return text
    joined = np.concatenate(([True], starts[1:] != ends[:-1]))
    lo = starts[joined].tolist()
    hi = ends[np.concatenate((joined[1:], [True]))].tolist()
    parts: list[str] = []
    pos = 0
    for s, e in zip(lo, hi):
        parts += (text[pos:s], converted[s:e])
        pos = e
    parts.append(text[pos:])
    return "".join(parts)


#: Positions of one character from which ``hanzi.contested`` sorts out those worth asking
#: ``context_choice``: below, asking each costs less than the arrays (and a short text
#: never imports numpy).
_CONTESTED_FROM = 32


def _positions(text: str, char: str) -> list[int]:
    """Every offset of ``char`` in ``text``."""
    found = []
    pos = text.find(char)
    while pos >= 0:
        found.append(pos)
        pos = text.find(char, pos + 1)
    return found


_CONTEXT_RULES = {"著": "script.zhu", "乾": "script.qian", "於": "script.yu"}


def _text(points: np.ndarray) -> str:
    # decoded from the array's own buffer: no copy for an array of uint32 already
    contiguous = np.ascontiguousarray(points, dtype=np.uint32)
    return str(contiguous.data.cast("B"), "utf-32-le", "surrogatepass")
