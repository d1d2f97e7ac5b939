"""Canonical widths (GB/T 15834): CJK marks full-width, digits and Latin letters ASCII.

Every change swaps one character for one, so offsets never move.

- Full-width digits and Latin letters become ASCII everywhere (``１２月`` → ``12月``), and
  so does a full-width point between two digits (``１１０．８`` → ``110.8``).
- ASCII marks become CJK marks only in Chinese context, decided per *cluster*: a maximal
  run of punctuation (ASCII ``, ; : ? ! ( ) " .``, CJK marks, and the shared “ ” ‘ ’ — …)
  within one line that holds an ASCII mark. A cluster is Chinese when it touches an
  ideograph on either side, holds a CJK-only mark, has an ASCII mark right after ``”’`` or
  right before ``“‘`` (``《基本法》,`` ``“好”,``), or holds one end of a bracket or quote
  pair that is converted. In a Chinese cluster ``, ; : ? !`` become ``， ； ： ？ ！`` —
  except runs of two or more ``?``/``!`` (``太棒了!!!``, ``怎么睡?!``), which are a writer's
  emphasis and stay as typed — and ``.`` becomes ``。`` only at a sentence end: right after
  an ideograph (or after a closing quote or bracket), followed by closing marks and then
  whitespace, the line end, an ideograph or an opening quote or bracket. ``...`` stays.
- ``( )`` pairs (matched per line, full-width ones included) become ``（ ）`` when their
  content holds an ideograph, when one half is full-width already, or when both sides are
  Chinese clusters (the line's edge, past any blanks, may stand in for one side):
  ``型智能(IC)卡`` → ``型智能（IC）卡``. A pinyin gloss kept on purpose (``静(jìng)夜(yè)``)
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
from bisect import bisect_right
from dataclasses import dataclass

import numpy as np

from ..charclass import (
    CLUSTER_ASCII,
    CLUSTER_CLASS,
    FULLWIDTH_ALNUM_CLASS,
    FULLWIDTH_ALNUM_FOLD,
    HAN_RE,
    OPENING_BRACKETS,
    cluster_has_cjk_mark,
    has_han,
    is_code_line,
    is_han,
    line_bounds,
    protected_spans,
)
from ..text import Edit, apply_edits
from .base import Stage

_ASCII_MARKS = CLUSTER_ASCII
_QUICK = re.compile(f"[{re.escape(_ASCII_MARKS)}\uff0e{FULLWIDTH_ALNUM_CLASS}]")
_FOLD = re.compile(f"[{FULLWIDTH_ALNUM_CLASS}\uff0e]+")
_FULLWIDTH_ALNUM = re.compile(f"[{FULLWIDTH_ALNUM_CLASS}]")
_FOLD_TABLE = FULLWIDTH_ALNUM_FOLD
_VECTOR_MIN = 4096  # below this many characters the regex is faster than numpy
_DIGITS = frozenset("0123456789\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19")
_ASCII_CANDIDATE = re.compile(f"[{re.escape(_ASCII_MARKS)}]")
# A cluster: a maximal run of punctuation holding an ASCII mark. It can only start where
# the run starts (the look-behind), so a search stays linear on long runs of CJK marks.
_CLUSTER = re.compile(
    f"(?<![{CLUSTER_CLASS}])[{CLUSTER_CLASS}]*[{re.escape(CLUSTER_ASCII)}][{CLUSTER_CLASS}]*"
)
_PARENS = re.compile("[()\uff08\uff09]")
_QUOTE = re.compile('"')
_BLANK = re.compile("[ \t\u3000]*")  # what may stand between a bracket and the line edge
_EMPHASIS = ("?", "!", "？", "！")
_WIDE = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
# What may stand between a sentence's last ideograph and its full stop, or after it.
_STOP_CLOSERS = frozenset('”’」』）》】)"')
# What may follow a full stop and its closing marks (besides whitespace and the line end).
_STOP_FOLLOWERS = frozenset('“‘("') | frozenset(OPENING_BRACKETS)
# A pinyin reading in brackets, as teaching text writes it after a character: one to four
# syllables (initial, vowels, final n/ng/r, tone mark or digit).
_VOWELS = (
    "aeiouv\u00fc\u00ea"
    "\u0101\u00e1\u01ce\u00e0\u0113\u00e9\u011b\u00e8\u012b\u00ed\u01d0\u00ec"
    "\u014d\u00f3\u01d2\u00f2\u016b\u00fa\u01d4\u00f9\u01d6\u01d8\u01da\u01dc"
)
_PINYIN_GLOSS = re.compile(
    f"(?:(?:[zcs]h|[bpmfdtnlgkhjqxrzcsyw])?[{_VOWELS}]{{1,4}}(?:ng|n|r)?[1-5]?[ '-]?){{1,4}}"
)
_TONE_MARKED = re.compile("[\u00e0-\u00fc\u0101-\u01dc1-5]")


def _fold(m: re.Match[str]) -> str:
    """A run of full-width letters, digits and points, folded. A point folds only between
    two digits (a decimal point, ``１１０．８``); elsewhere it stays a full-width mark. The
    run's last character stays too when a combining mark follows it: ``Ｃ̂`` folded would
    be ``C`` + U+0302, which NFC composes, and the stage must leave NFC text NFC."""
    run = m.group()
    text, start, end = m.string, m.start(), m.end()
    keep_last = end < len(text) and unicodedata.combining(text[end]) != 0
    if "\uff0e" not in run and not keep_last:
        return run.translate(_FOLD_TABLE)
    chars = list(run)
    for k, ch in enumerate(run):
        if ch == "\uff0e":
            before = run[k - 1] if k > 0 else text[start - 1 : start]
            after = run[k + 1] if k + 1 < len(run) else text[end : end + 1]
            if before in _DIGITS and after in _DIGITS:
                chars[k] = "."
    folded = "".join(chars).translate(_FOLD_TABLE)
    return folded[:-1] + run[-1] if keep_last else folded


class WidthStage(Stage):
    name = "width"

    def edits(self, text: str) -> list[Edit]:
        if _QUICK.search(text) is None:
            return []
        return _edits(text, _punct_changes(text))

    def transform(self, text: str) -> str:
        if _QUICK.search(text) is None:
            return text
        punct = _punct_changes(text)
        if not punct:
            return _fold_all(text)
        return apply_edits(text, _edits(text, punct))


def _fold_all(text: str) -> str:
    """``_FOLD.sub(_fold, text)``, vectorised for long texts: clean news of the 1990s writes
    every number in full-width digits, and a callback per number is the cost there."""
    if len(text) < _VECTOR_MIN:
        return _FOLD.sub(_fold, text)
    if _FULLWIDTH_ALNUM.search(text) is None:
        return _fold_points(text)
    a = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    fold = ((a >= 0xFF10) & (a <= 0xFF19)) | ((a >= 0xFF21) & (a <= 0xFF3A))
    fold |= (a >= 0xFF41) & (a <= 0xFF5A)
    points = a == 0xFF0E
    if points.any():
        digit = ((a >= 0x30) & (a <= 0x39)) | ((a >= 0xFF10) & (a <= 0xFF19))
        inner = points[1:-1] & digit[:-2] & digit[2:]
        points[:] = False
        points[1:-1] = inner
    # Leave a character that a combining mark follows (see ``_fold``). Such marks are rare:
    # rule out the blocks that hold none (ideographs, CJK and full-width marks) and check
    # the few candidates left one by one.
    nxt = a[1:]
    maybe = (fold | points)[:-1] & (nxt >= 0x300)
    maybe &= ~(((nxt >= 0x3000) & (nxt <= 0x3029)) | ((nxt >= 0x3400) & (nxt <= 0x9FFF)))
    maybe &= ~((nxt >= 0xFF00) & (nxt <= 0xFFEF))
    for i in np.flatnonzero(maybe):
        if unicodedata.combining(text[i + 1]):
            fold[i] = points[i] = False
    if not fold.any() and not points.any():
        return text
    b = a.copy()
    b[fold] -= 0xFEE0
    b[points] = ord(".")
    return b.tobytes().decode("utf-32-le", "surrogatepass")


def _fold_points(text: str) -> str:
    """``_FOLD.sub(_fold, text)`` for a text without full-width letters or digits: only
    full-width points between ASCII digits change (found with ``str.find``, which is
    much faster than a regex scan)."""
    parts: list[str] = []
    done = 0
    i = text.find("\uff0e")
    while i >= 0:
        if 0 < i < len(text) - 1 and "0" <= text[i - 1] <= "9" and "0" <= text[i + 1] <= "9":
            parts.append(text[done:i])
            parts.append(".")
            done = i + 1
        i = text.find("\uff0e", i + 1)
    if not parts:
        return text
    parts.append(text[done:])
    return "".join(parts)


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


@dataclass
class _Cluster:
    start: int
    end: int
    chinese: bool


@dataclass
class _Pair:
    open: int
    close: int
    quote: bool
    left: int | None  # cluster index of an ASCII half, None for a full-width one
    right: int | None
    forced: bool  # content holds Han, or one half is full-width already


def _punct_changes(text: str) -> dict[int, str]:
    """Position -> full-width mark, for every ASCII mark in Chinese context."""
    out: dict[int, str] = {}
    if not any(mark in text for mark in _ASCII_MARKS) or not has_han(text):
        return out
    line_end = -1
    for m in _ASCII_CANDIDATE.finditer(text):
        i = m.start()
        if i < line_end:
            continue
        if text[i] == "." and _inert_point(text, i):
            continue  # 3.14, a.b: alone in its cluster, between letters or digits
        ls, line_end = line_bounds(text, i)
        if has_han(text, ls, line_end) and not is_code_line(text, ls, line_end):
            _line_changes(text, ls, line_end, out)
    return out


def _inert_point(text: str, i: int) -> bool:
    """A ``.`` between two ASCII letters or digits: a cluster of its own that never changes,
    so it alone is no reason to look at its line."""
    return (
        0 < i < len(text) - 1
        and text[i - 1].isascii()
        and text[i - 1].isalnum()
        and text[i + 1].isascii()
        and text[i + 1].isalnum()
    )


class _Clusters:
    """The clusters of one line, and which ASCII marks on it belong to the prose."""

    def __init__(self, text: str, ls: int, le: int) -> None:
        self.items: list[_Cluster] = []
        self.protected: set[int] = set()
        for a, b in protected_spans(text, ls, le):
            self.protected.update(m.start() for m in _ASCII_CANDIDATE.finditer(text, a, b))
        protected = self.protected
        for m in _CLUSTER.finditer(text, ls, le):
            s, e = m.span()
            if protected and all(i in protected for i in range(s, e) if text[i] in CLUSTER_ASCII):
                continue  # only marks of URLs or emoticons
            chinese = (s > ls and is_han(text[s - 1])) or (e < le and is_han(text[e]))
            if not chinese and e - s > 1:
                chinese = cluster_has_cjk_mark(text, s, e)
            self.items.append(_Cluster(s, e, chinese))
        self.starts = [c.start for c in self.items]

    def index(self, pos: int) -> int | None:
        """The cluster holding the ASCII mark at ``pos``, None if it is not prose."""
        if pos in self.protected:
            return None
        k = bisect_right(self.starts, pos) - 1
        return k if k >= 0 and pos < self.items[k].end else None


def _line_changes(text: str, ls: int, le: int, out: dict[int, str]) -> None:
    clusters = _Clusters(text, ls, le)
    pairs = _pairs(text, ls, le, clusters)
    chinese = [c.chinese for c in clusters.items]
    converted = _settle(pairs, clusters.items, chinese, text, ls, le)

    for k, pair in enumerate(pairs):
        if not converted[k]:
            continue
        if pair.quote:
            out[pair.open], out[pair.close] = "“", "”"
        else:
            if text[pair.open] == "(":
                out[pair.open] = "（"
            if text[pair.close] == ")":
                out[pair.close] = "）"
    protected = clusters.protected
    for c, cluster in enumerate(clusters.items):
        if not chinese[c]:
            continue
        if cluster.end - cluster.start == 1:  # the common case: one mark alone
            ch = text[cluster.start]
            if ch in _WIDE and cluster.start not in protected:
                out[cluster.start] = _WIDE[ch]
                continue
        for m in _ASCII_CANDIDATE.finditer(text, cluster.start, cluster.end):
            i = m.start()
            ch = text[i]
            if i in protected:
                continue  # inside a URL or an emoticon
            if ch in _WIDE:
                if ch in "?!" and (
                    text[i - 1 : i] in _EMPHASIS or text[i + 1 : i + 2] in _EMPHASIS
                ):
                    continue  # emphasis: ?! !!! ??
                out[i] = _WIDE[ch]
            elif ch == "." and _sentence_end(text, i, cluster, ls, le):
                out[i] = "。"


def _pairs(text: str, ls: int, le: int, clusters: _Clusters) -> list[_Pair]:
    """Bracket and quote pairs on the line with at least one ASCII half."""
    found: list[tuple[int, int, bool]] = []
    if text.find("(", ls, le) >= 0 or text.find(")", ls, le) >= 0:
        stack: list[int] = []
        for m in _PARENS.finditer(text, ls, le):
            j = m.start()
            if j in clusters.protected:
                continue  # inside a URL or an emoticon: not a bracket of the prose
            if text[j] in "(\uff08":
                stack.append(j)
            elif stack:
                o = stack.pop()
                if text[o] == "(" or text[j] == ")":
                    found.append((o, j, False))
    quotes = [m.start() for m in _QUOTE.finditer(text, ls, le)]
    quotes = [q for q in quotes if q not in clusters.protected]
    if len(quotes) % 2 == 0:
        found.extend((quotes[k], quotes[k + 1], True) for k in range(0, len(quotes), 2))
    if not found:
        return []
    # Few pairs: search each content. Many (nested) pairs: one list of ideograph positions.
    han = [m.start() for m in HAN_RE.finditer(text, ls, le)] if len(found) > 16 else None
    pairs = []
    for o, c, quote in found:
        if han is None:
            content_han = HAN_RE.search(text, o + 1, c) is not None
        else:
            k = bisect_right(han, o)
            content_han = k < len(han) and han[k] < c
        left = clusters.index(o) if text[o] in '("' else None
        right = clusters.index(c) if text[c] in ')"' else None
        forced = content_han or left is None or right is None
        if not forced and not quote and c - o <= 40 and _is_gloss(text[o + 1 : c]):
            continue  # a reading kept on purpose: its brackets stay as they are
        pairs.append(_Pair(o, c, quote, left, right, forced))
    return pairs


def _is_gloss(content: str) -> bool:
    """A pinyin reading: lowercase syllables, with tones or short (``de``, ``zhōngguó``)."""
    if _PINYIN_GLOSS.fullmatch(content) is None:
        return False
    return len(content) <= 6 or _TONE_MARKED.search(content) is not None


def _settle(
    pairs: list[_Pair], clusters: list[_Cluster], chinese: list[bool], text: str, ls: int, le: int
) -> list[bool]:
    """Convert pairs to a fixpoint: a converted pair makes the clusters of its halves Chinese.

    The rules only ever add, so the least fixpoint is reached in linear time and a second
    run of the stage finds nothing new (the stage is idempotent).
    """
    converted = [False] * len(pairs)
    waiting: dict[int, list[int]] = {}
    for k, pair in enumerate(pairs):
        for c in (pair.left, pair.right):
            if c is not None:
                waiting.setdefault(c, []).append(k)
    queue = list(range(len(pairs)))
    while queue:
        k = queue.pop()
        pair = pairs[k]
        if converted[k] or not (
            pair.forced or _sides_chinese(pair, clusters, chinese, text, ls, le)
        ):
            continue
        converted[k] = True
        for c in (pair.left, pair.right):
            if c is not None and not chinese[c]:
                chinese[c] = True
                queue.extend(waiting.get(c, ()))
    return converted


def _sides_chinese(
    pair: _Pair, clusters: list[_Cluster], chinese: list[bool], text: str, ls: int, le: int
) -> bool:
    """Both sides of the pair Chinese, or one Chinese and the other at the line's edge."""
    assert pair.left is not None and pair.right is not None
    left, right = chinese[pair.left], chinese[pair.right]
    if left and right:
        return True
    if left:
        return _BLANK.fullmatch(text, clusters[pair.right].end, le) is not None
    if right:
        return _BLANK.fullmatch(text, ls, clusters[pair.left].start) is not None
    return False


def _sentence_end(text: str, i: int, cluster: _Cluster, ls: int, le: int) -> bool:
    """Whether the ``.`` at ``i`` ends a Chinese sentence (see the module notes)."""
    if (i > ls and text[i - 1] == ".") or (i + 1 < le and text[i + 1] == "."):
        return False
    if i == cluster.start:
        if not (i > ls and is_han(text[i - 1])):
            return False
    elif text[i - 1] not in _STOP_CLOSERS:
        return False
    if i + 1 < cluster.end and text[i + 1] in _STOP_FOLLOWERS:
        return True  # 。“… or 。(… (an ASCII " counts as opening here, as it may become “)
    j = i + 1
    while j < cluster.end and text[j] in _STOP_CLOSERS:
        j += 1
    if j < cluster.end:
        return text[j] in _STOP_FOLLOWERS
    return j == le or text[j].isspace() or is_han(text[j])
