"""Canonical widths (GB/T 15834): CJK marks full-width, digits and Latin letters ASCII.

Every change swaps one character for one, so offsets never move.

- Full-width digits and Latin letters become ASCII everywhere (``１２月`` → ``12月``), and
  so do a full-width point and colon between two digits (``１１０．８`` → ``110.8``,
  ``16：9`` → ``16:9``).
- ASCII marks become CJK marks only in Chinese context, decided per *cluster*: a maximal
  run of punctuation (ASCII ``, ; : ? ! ( ) " .``, CJK marks, and the shared “ ” ‘ ’ — …)
  within one line that holds an ASCII mark. A cluster is Chinese when it touches an
  ideograph on either side, holds a CJK-only mark, has an ASCII mark right after ``”’`` or
  right before ``“‘`` (``《基本法》,`` ``“好”,``), or holds one end of a bracket or quote
  pair that is converted, or when the evidence of ``chars/mark_widths.py`` says edited
  Chinese text writes its mark full-width in its neighbour class (``Egan,1947年`` →
  ``Egan，1947年``, ``咗 , Erica`` → ``咗 ， Erica``: counted on training lines; a class
  the evidence leaves unclear, ``China， 缩写`` or ``10，872``, keeps its mark as typed,
  so there the output still follows the input's width). In a Chinese cluster ``, ; : ? !`` become ``， ； ： ？ ！`` —
  except runs of two or more ``?``/``!`` (``太棒了!!!``, ``怎么睡?!``), which are a writer's
  emphasis and stay as typed — and ``.`` becomes ``。`` only at a sentence end: right after
  an ideograph (or after a closing quote or bracket), followed by closing marks and then
  whitespace, the line end, an ideograph or an opening quote or bracket. ``...`` stays.
- ``( )`` pairs (matched per line, full-width ones included) become ``（ ）`` when their
  content holds an ideograph or only blanks (a blank to fill in, ``读成：( )``; not after a
  name: ``foo( )``), when one half is full-width already, or when both sides are Chinese
  clusters (past any blanks, the line's edge, an ideograph or a run with a CJK mark may
  stand in for one side: ``来埠(The Levels) 。``): ``型智能(IC)卡`` → ``型智能（IC）卡``. A pinyin gloss kept on purpose (``静(jìng)夜(yè)``)
  keeps its ASCII brackets. ASCII ``"`` pairs become ``“ ”`` by the same rule; a line with
  an odd number of ASCII ``"`` keeps them all (the pairing would be a guess).

Left byte for byte: lines without an ideograph (English), lines of program code
(``cuttest("中文")``), URLs, e-mail addresses, @handles, paths and emoticons (``:-)``).
Numbers (``3.14``, ``1,000``) and times (``12:30``) have digits on both sides of the mark,
never an ideograph, so they stay. A full stop between ideographs does become ``。``
(``好书.太值得`` → ``好书。太值得``), which also turns ``马丁.路德`` into ``马丁。路德``;
names should use ``·``. The quote style is “ ” for every target: both Simplified and
Traditional web text mostly use it, and mixing it with 「」 in one document would be worse.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from ..chars.classes import (
    CLUSTER_ASCII,
    CP_DIGIT,
    CP_OTHER,
    CP_WIDE_DIGIT,
    CP_WIDE_LETTER,
    FULLWIDTH_ALNUM_CLASS,
    FULLWIDTH_ALNUM_FOLD,
    classify,
)
from ..chars.context import widened_marks, widened_marks_vectorised
from ..chars.points import code_points, uncommon
from ..text import Edit, apply_edits
from .base import Stage

if TYPE_CHECKING:
    import numpy as np
else:
    from ..lazy_numpy import np

_ASCII_MARKS = CLUSTER_ASCII
_QUICK = re.compile(f"[{re.escape(_ASCII_MARKS)}\uff0e\uff1a\uff02“”{FULLWIDTH_ALNUM_CLASS}]")
_FOLD = re.compile(f"[{FULLWIDTH_ALNUM_CLASS}\uff0e\uff1a]+")
#: Full-width marks that fold only between two digits: a decimal point (``１１０．８``) and
#: the colon of a time, score or ratio (``16：9``), which the canonical form writes as the
#: number's own ASCII mark, as ``12:30`` stays.
_NUMBER_MARKS = {"\uff0e": ".", "\uff1a": ":"}
_FOLD_TABLE = FULLWIDTH_ALNUM_FOLD
# The marks to widen are chosen in chars/context.py (the punctuation stage shares them).
_punct_changes = widened_marks
_punct_changes_vectorised = widened_marks_vectorised
_VECTOR_MIN = 4096  # below this many characters the regex is faster than numpy
_DIGITS = frozenset("0123456789\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19")


def _fold(m: re.Match[str]) -> str:
    """A run of full-width letters, digits and points, folded. A point folds only between
    two digits (a decimal point, ``１１０．８``); elsewhere it stays a full-width mark. The
    run's last character stays too when a combining mark follows it: ``Ｃ̂`` folded would
    be ``C`` + U+0302, which NFC composes, and the stage must leave NFC text NFC."""
    run = m.group()
    text, start, end = m.string, m.start(), m.end()
    keep_last = end < len(text) and unicodedata.combining(text[end]) != 0
    if "\uff0e" not in run and "\uff1a" not in run and not keep_last:
        return run.translate(_FOLD_TABLE)
    chars = list(run)
    for k, ch in enumerate(run):
        if ch in _NUMBER_MARKS:
            before = run[k - 1] if k > 0 else text[start - 1 : start]
            after = run[k + 1] if k + 1 < len(run) else text[end : end + 1]
            if before in _DIGITS and after in _DIGITS:
                chars[k] = _NUMBER_MARKS[ch]
    folded = "".join(chars).translate(_FOLD_TABLE)
    return folded[:-1] + run[-1] if keep_last else folded


class WidthStage(Stage):
    name = "width"

    def rule_of(self, text: str, edit: Edit) -> str:  # noqa: ARG002 - the hook's signature
        # folded alphanumerics become ASCII; every other change widens a mark in Han context
        if edit.replacement.isascii():
            return "width.fold_alnum"
        if set(edit.replacement) <= {"“", "”"}:
            return "width.quote_position"  # chars/quotes.py: by its place on the line
        return "width.han_context"

    def edits(self, text: str) -> list[Edit]:
        if _QUICK.search(text) is None:
            return []
        if len(text) < _VECTOR_MIN:
            return _edits(text, _punct_changes(text))
        pos, new = _punct_changes_vectorised(text, *classify(code_points(text)))
        return _edits(text, dict(zip(pos.tolist(), map(chr, new.tolist()))))

    def transform(self, text: str) -> str:
        if _QUICK.search(text) is None:
            return text
        if len(text) < _VECTOR_MIN:
            punct = _punct_changes(text)
            if not punct:
                return _FOLD.sub(_fold, text)
            return apply_edits(text, _edits(text, punct))
        # Long texts: fold and widen on an array of code points, as one pass each.
        codes, classes = classify(code_points(text))
        pos, new = _punct_changes_vectorised(text, codes, classes)
        b = _fold_codes(text, codes, classes)
        if b is None:
            if not len(pos):
                return text
            b = codes[1:-1].copy()
        b[pos] = new
        # decoded from the array's own buffer: ``tobytes`` would copy it first
        return str(b.data.cast("B"), "utf-32-le", "surrogatepass")


def _fold_codes(text: str, codes: np.ndarray, classes: np.ndarray) -> np.ndarray | None:
    """The code points of ``_FOLD.sub(_fold, text)`` (``codes`` and ``classes`` from
    ``classify``), None when nothing folds. Vectorised: clean news of the 1990s writes every
    number in full-width digits, and a callback per number is the cost there. What folds
    is found among the text's uncommon characters (``chars.points``), which other scans
    of the stage have listed already."""
    where, rare = uncommon(text)
    wide = (rare - np.uint32(0xFF10)) < 0x4B  # U+FF10..FF5A: digits, letters, signs between
    fold = where[wide]
    fold = fold[(classes[fold + 1] == CP_WIDE_DIGIT) | (classes[fold + 1] == CP_WIDE_LETTER)]
    points = where[(rare == 0xFF0E) | (rare == 0xFF1A)]
    if len(points):
        before, after = classes[points], classes[points + 2]
        digits = ((before == CP_DIGIT) | (before == CP_WIDE_DIGIT)) & (
            (after == CP_DIGIT) | (after == CP_WIDE_DIGIT)
        )
        points = points[digits]
    if not len(fold) and not len(points):
        return None
    # Leave a character that a combining mark follows (see ``_fold``). Such marks are rare:
    # rule out the classes and blocks that hold none, and check the few candidates left.
    for changed in (fold, points):
        nxt = codes[changed + 2]
        maybe = (classes[changed + 2] == CP_OTHER) & (nxt >= 0x300)
        maybe &= ~(((nxt >= 0x3000) & (nxt <= 0x3029)) | ((nxt >= 0xFF00) & (nxt <= 0xFFEF)))
        for k in np.flatnonzero(maybe).tolist():
            if unicodedata.combining(text[changed[k] + 1]):
                changed[k] = -1
    b = codes[1:-1].copy()
    fold = fold[fold >= 0]
    b[fold] -= 0xFEE0
    points = points[points >= 0]
    b[points] = np.where(codes[points + 1] == 0xFF0E, ord("."), ord(":"))
    return b


def _edits(text: str, punct: dict[int, str]) -> list[Edit]:
    """Folded alphanumerics and widened marks as edits, adjacent changes merged."""
    changes = [(m.start(), f) for m in _FOLD.finditer(text) if (f := _fold(m)) != m.group()]
    if punct:
        changes.extend(punct.items())
        changes.sort()
    edits: list[Edit] = []
    start = end = -1
    parts: list[str] = []
    for pos, rep in changes:
        if pos != end and parts:
            edits.append(Edit(start, end, "".join(parts)))
            parts = []
        if not parts:
            start = pos
        parts.append(rep)
        end = pos + len(rep)
    if parts:
        edits.append(Edit(start, end, "".join(parts)))
    return edits
