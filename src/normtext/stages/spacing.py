"""Spaces in Chinese lines: PDF and spun-page artefacts out, deliberate spacing kept.

Chinese is set without spaces between characters, and a full-width mark carries its own
spacing, so a space there is an artefact (PDF extraction of justified lines: ``胜 利 前
进``; a comma typed English-style, ``今天, 开发``, which the width stage made ``，``).
Only U+0020 is touched (tabs separate columns), and only on lines that hold an ideograph
and do not look like program code; English lines pass through byte for byte.

On such a line:

- Leading indentation stays, with a list marker after it (``-  item``, ``1. item``):
  code blocks and reStructuredText lists need it.
- Trailing spaces go.
- A run of spaces between two CJK characters (ideographs, CJK marks, and “ ” ‘ ’ — …)
  goes: ``胜 利`` → ``胜利``, ``房间！ 电梯`` → ``房间！电梯``. After ``：`` it stays as
  it is: there it separates fields (``浏览量： 来源：新华网``); after an @handle too
  (``@张三 你好``: the space ends the handle).
  Nor does it go where removing it would hand the punctuation or width stage (which ran
  before) a join they never judged, so that one pass is the fixed point: between a comma
  and a following comma or pause mark (``，  ！``: joined, a spurious comma), or where the
  stretch beside it (up to whitespace or an ideograph) holds an ASCII mark the width stage
  left as typed (``“Hi,” 中文``: joined, the run would touch an ideograph and be Chinese),
  or where that stretch is marks alone with an ASCII bracket half past blanks beyond it
  (``隆(1) ” （``: the bracket's outer side was judged by ``”`` alone; joined, it holds a
  CJK mark), or where a word beside it holds an ``@`` (an address in Han,
  ``张三@例子.中国 你好``).
- A run of two or more spaces between an ideograph and a Latin letter or digit becomes
  one. Every other space stays as it was: between Chinese and Latin text, digits or URLs
  (``使用 Python 编程``, ``…/jieba/ ，解压``), and runs between Latin words.
"""

from __future__ import annotations

import re

from ..chars.classes import (
    CJK_PUNCT,
    CLUSTER_ASCII,
    CLUSTER_SET,
    COMMA_BLOCKERS,
    COMMAS,
    SHARED_PUNCT,
    ends_with_handle,
    has_han,
    is_code_line,
    is_han,
    line_bounds,
)
from ..text import Edit, apply_edits
from .base import Stage

# A space run that might change: two or more spaces, or one space next to a non-ASCII
# character or before a line break or the end. One space between ASCII characters never
# changes, so English text yields no candidates at all.
_CANDIDATE = re.compile(r" (?: +|(?![!-~])|(?<=[^\x00-\x7f] ))")
_RUN = re.compile(" *")
# Indentation and a list marker after it.
_PREFIX = re.compile(r"[ \t\u3000]*(?:(?:[-*+•]|\d{1,3}[.)])[ \t]+)?")
_SHARED = frozenset(SHARED_PUNCT)


def _cjk(ch: str) -> bool:
    return is_han(ch) or ch in CJK_PUNCT or ch in _SHARED


class SpacingStage(Stage):
    name = "spacing"

    def rule_of(self, text: str, edit: Edit) -> str:
        if edit.end >= len(text) or text[edit.end] in "\r\n":
            return "spacing.trailing"
        return "spacing.between_han" if not edit.replacement else "spacing.collapse_run"

    def edits(self, text: str) -> list[Edit]:
        if " " not in text:
            return []
        return _edits(text)

    def transform(self, text: str) -> str:
        if " " not in text:
            return text
        edits = _edits(text)
        return apply_edits(text, edits) if edits else text


class _Line:
    """What the rules need to know about the line being looked at."""

    def __init__(self, text: str, pos: int) -> None:
        self.start, self.end = line_bounds(text, pos)
        self.active = has_han(text, self.start, self.end) and not is_code_line(
            text, self.start, self.end
        )
        self.body = _PREFIX.match(text, self.start, self.end).end() if self.active else 0


def _edits(text: str) -> list[Edit]:
    edits: list[Edit] = []
    line: _Line | None = None
    for m in _CANDIDATE.finditer(text):
        s = m.start()
        if line is None or s >= line.end:
            line = _Line(text, s)
        if not line.active or s < line.body:
            continue
        e = _RUN.match(text, s).end()
        rep = _replacement(text, s, e, line)
        if rep is not None:
            edits.append(Edit(s, e, rep))
    return edits


def _replacement(text: str, s: int, e: int, line: _Line) -> str | None:
    """What the space run ``text[s:e]`` becomes, or None to keep it."""
    if e >= line.end:
        return ""  # trailing
    before, after = text[s - 1], text[e]
    if _cjk(before) and _cjk(after):
        if before == "：" or (is_han(before) and ends_with_handle(text, s, line.start)):
            return None  # fields after a colon; a message after an @handle
        if _joins_unjudged_marks(text, s, e, line):
            return None
        return ""
    if e - s > 1 and ((is_han(before) and _alnum(after)) or (_alnum(before) and is_han(after))):
        return " "
    return None


def _alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _joins_unjudged_marks(text: str, s: int, e: int, line: _Line) -> bool:
    """Whether removing the spaces ``text[s:e]`` (between two CJK characters) would join
    what the punctuation and width stages judged apart: a comma and a comma or pause mark
    after it, or an ASCII mark the width stage left as typed (not Chinese context, or a
    writer's ``!!``) in the stretch beside the spaces (up to whitespace or an ideograph),
    which would then touch an ideograph or other marks, or sit in Latin embedded between
    ideographs. A second pass would judge the joined text otherwise."""
    if text[s - 1] in COMMAS and (text[e] in COMMAS or text[e] in COMMA_BLOCKERS):
        return True
    for start, step, stop in ((s - 1, -1, line.start - 1), (e, 1, line.end)):
        i = start
        marks_only = True
        while i != stop and not (text[i].isspace() or is_han(text[i])):
            if text[i] in CLUSTER_ASCII:
                return True
            marks_only = marks_only and text[i] in CLUSTER_SET
            i += step
        if marks_only and _pair_half_past_blanks(text, i, step, stop):
            return True
    return _beside_address(text, s, e, line)


def _pair_half_past_blanks(text: str, i: int, step: int, stop: int) -> bool:
    """Whether past the blanks from ``i`` (towards ``stop``) stands an ASCII bracket or
    quote facing the way it came from (``)`` before, ``(`` after): a pair half whose outer
    side, past blanks, the width stage judged by the stretch of marks beside the spaces
    (``隆(1) ” （``); joined to a CJK mark, the stretch would make it Chinese on a second
    pass."""
    while i != stop and text[i] in " \t\u3000":
        i += step
    return i != stop and text[i] in (_CLOSING_HALVES if step < 0 else _OPENING_HALVES)


_CLOSING_HALVES = frozenset(')"')
_OPENING_HALVES = frozenset('("')


def _beside_address(text: str, s: int, e: int, line: _Line) -> bool:
    """Whether the words on either side of the spaces (up to whitespace) hold an ``@``: an
    address or handle written in Han (``张三@例子.中国``) may end at the spaces, and joined
    to the next word it would end elsewhere, leaving its tail to be repaired on a second
    pass."""
    i = s - 1
    while i >= line.start and not text[i].isspace():
        if text[i] == "@":
            return True
        i -= 1
    i = e
    while i < line.end and not text[i].isspace():
        if text[i] == "@":
            return True
        i += 1
    return False
