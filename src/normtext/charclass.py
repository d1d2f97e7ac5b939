"""Character classes the stages share: what is Han, which marks are unmistakably Chinese.

Why one module: each stage asks "is this Chinese context?", and their answers must agree,
or one stage undoes what another did (a comma the punctuation stage treats as Chinese must
be one the width stage widens). Classes come both as regex class bodies (for compiled
patterns) and as predicates or sets (for single-character checks in Python code).
"""

from __future__ import annotations

import re
from bisect import bisect_right

# -- Han ---------------------------------------------------------------------------------

#: Ideographs, as a regex class body: unified (BMP, Extension A, Extensions B and later
#: in planes 2 and 3, which Unicode reserves for ideographs), compatibility ideographs,
#: and the two ideographic marks that behave as Han in running text: 々 (iteration) and
#: 〇 (the zero of 二〇二〇年).
HAN_CLASS = "\u3005\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
HAN_RE = re.compile(f"[{HAN_CLASS}]")


def is_han(ch: str) -> bool:
    """True for one ideograph (see ``HAN_CLASS``)."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x20000 <= o <= 0x3FFFF
        or 0xF900 <= o <= 0xFAFF
        or o == 0x3005
        or o == 0x3007
    )


def has_han(text: str, start: int = 0, end: int | None = None) -> bool:
    """True if ``text[start:end]`` holds an ideograph."""
    return HAN_RE.search(text, start, len(text) if end is None else end) is not None


# -- punctuation ---------------------------------------------------------------------------

#: Punctuation only CJK text uses (ideographic marks and full-width forms), as a class
#: body. One of these next to an ASCII mark is evidence of Chinese context. The marks
#: English shares (“ ” ‘ ’ — …) are deliberately absent: see ``SHARED_PUNCT``.
CJK_PUNCT_CLASS = (
    "\u3001-\u3003\u3008-\u3011\u3014-\u301f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
)
CJK_PUNCT_RE = re.compile(f"[{CJK_PUNCT_CLASS}]")

#: Marks both English and Chinese typesetting use: they join punctuation clusters but
#: never prove the text is Chinese (“Hello,” she said keeps its ASCII comma).
SHARED_PUNCT = "\u201c\u201d\u2018\u2019\u2014\u2026"


def _expand(class_body: str) -> frozenset[str]:
    chars: set[str] = set()
    i = 0
    while i < len(class_body):
        if i + 2 < len(class_body) and class_body[i + 1] == "-":
            chars.update(chr(c) for c in range(ord(class_body[i]), ord(class_body[i + 2]) + 1))
            i += 3
        else:
            chars.add(class_body[i])
            i += 1
    return frozenset(chars)


CJK_PUNCT: frozenset[str] = _expand(CJK_PUNCT_CLASS)

#: Everything that can stand in one run of punctuation with an ASCII mark: ASCII marks the
#: stages repair, CJK marks and the shared ones. The punctuation and width stages judge
#: Chinese context over such a run as a whole, so they agree with each other.
CLUSTER_ASCII = ',;:?!()".'
CLUSTER_CLASS = re.escape(CLUSTER_ASCII) + CJK_PUNCT_CLASS + SHARED_PUNCT
CLUSTER_SET: frozenset[str] = frozenset(CLUSTER_ASCII + SHARED_PUNCT) | CJK_PUNCT

#: Brackets that open a phrase.
OPENING_BRACKETS = "（「『《【〈〔〖｛"


def cluster_has_cjk_mark(text: str, start: int, end: int) -> bool:
    """Whether the punctuation run ``text[start:end]`` shows it is Chinese: it holds a
    CJK-only mark, or an ASCII mark right after ``”’`` or right before ``“‘`` (the quotes
    English shares, used the Chinese way: ``《基本法》,`` ``“好”,``)."""
    for j in range(start, end):
        ch = text[j]
        if ch in CJK_PUNCT:
            return True
        if ch in CLUSTER_ASCII and (
            (j > start and text[j - 1] in "”’") or (j + 1 < end and text[j + 1] in "“‘")
        ):
            return True
    return False


#: The comma forms the punctuation stage repairs and the marks a spurious comma lands on.
COMMAS = ",\uff0c"
#: Marks before which a comma is never right in Chinese text (GB/T 15834: one mark per
#: pause). Closing quotes and brackets are absent on purpose: “好，”他说 is correct.
COMMA_BLOCKERS = "\u3001\u3002\uff1b;\uff1a:\uff1f?\uff01!"

# -- full-width forms ----------------------------------------------------------------------

#: Full-width digits and Latin letters to ASCII (GB/T 15834 sets numbers and Latin
#: words in half-width forms inside Chinese text).
FULLWIDTH_ALNUM_CLASS = "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
FULLWIDTH_ALNUM_FOLD: dict[int, int] = {
    c: c - 0xFEE0
    for lo, hi in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
    for c in range(lo, hi + 1)
}

# -- spans to leave alone --------------------------------------------------------------------

# URLs, e-mail addresses, @handles and file paths (ASCII), and emoticons: their
# punctuation is data, not prose. Each branch can start only at a boundary, so a search
# stays linear on long runs of letters; trailing sentence punctuation is left out of URLs
# and paths. An emoticon is not followed by a letter or digit, so 是:(1) is no smiley.
# Every class treats full-width letters and digits as letters and digits: the width stage
# folds them, and a span must be the same before and after it does.
_W = FULLWIDTH_ALNUM_CLASS
_WL = "\uff21-\uff3a\uff41-\uff5a"  # full-width letters
_URL_CHAR = f"[!-~{_W}]"
_URL_END = rf"[A-Za-z0-9{_W}/_#=&%~+\-*@$]"
_URL_RE = re.compile(
    rf"(?<![A-Za-z0-9{_W}])(?:(?:https?|ftp|file)://|www\.)(?:{_URL_CHAR}*{_URL_END})?"
)
_ADDRESS_RE = re.compile(
    rf"(?<![A-Za-z0-9{_W}._%+\-])[A-Za-z0-9{_W}._%+\-]+@[A-Za-z0-9{_W}\-]+"
    rf"(?:\.[A-Za-z0-9{_W}\-]+)+"
    rf"|(?<![A-Za-z0-9{_W}_.@])@[A-Za-z0-9{_W}_]+"
)
_WINDOWS_PATH_RE = re.compile(
    rf"(?<![A-Za-z0-9{_W}])[A-Za-z{_WL}]:\\(?:[A-Za-z0-9{_W}_.\\/\-~$%]*[A-Za-z0-9{_W}_\\/])?"
)
_UNIX_PATH_RE = re.compile(
    rf"(?<![A-Za-z0-9{_W}_.~/])(?:~|\.\.?)?/[A-Za-z0-9{_W}._\-]+(?:/[A-Za-z0-9{_W}._\-]+)+/?"
)
_EMOTICON_RE = re.compile(rf"[:;=]-?[()DPpO\uff24\uff30\uff50\uff2f](?![A-Za-z0-9{_W}])")
# Each kind with the substrings one of its matches must contain: a cheap test that skips
# the search on most lines.
_PROTECTED_KINDS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (("://", "www."), _URL_RE),
    (("@",), _ADDRESS_RE),
    ((":\\",), _WINDOWS_PATH_RE),
    (("/",), _UNIX_PATH_RE),
    ((":", ";", "="), _EMOTICON_RE),
)


def protected_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of URLs, addresses, handles, paths and emoticons in the line ``text[start:end]``,
    sorted and merged where they overlap.

    An emoticon ending in ``(`` counts only when no bracket closes it later on the line:
    ``难过:(`` is a face, ``时间:(见附件)`` is prose.
    """
    found: list[tuple[int, int]] = []
    for hints, pattern in _PROTECTED_KINDS:
        if not any(text.find(h, start, end) >= 0 for h in hints):
            continue
        if pattern is _EMOTICON_RE:
            last_close = max(text.rfind(")", start, end), text.rfind("\uff09", start, end))
            found.extend(
                m.span()
                for m in pattern.finditer(text, start, end)
                if text[m.end() - 1] != "(" or last_close < m.end()
            )
        else:
            found.extend(m.span() for m in pattern.finditer(text, start, end))
    if len(found) < 2:
        return found
    found.sort()
    merged = [found[0]]
    for s, e in found[1:]:
        if s < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def in_spans(pos: int, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    """True if ``pos`` lies in one of ``spans`` (sorted, disjoint; ``starts`` their starts)."""
    k = bisect_right(starts, pos) - 1
    return k >= 0 and pos < spans[k][1]


# A line of program code: a call with a string argument (``cuttest("中文")``) or an
# assignment of a string (``name = "中文"``). Its strings are data and its spacing syntax.
CODE_LINE_RE = re.compile(
    rf"(?<![A-Za-z0-9{_W}_.])[A-Za-z{_WL}_][A-Za-z0-9{_W}_.]*\(['\"]"
    rf"|(?<![A-Za-z0-9{_W}_])[A-Za-z{_WL}_][A-Za-z0-9{_W}_]*\s?[-+*/]?=\s?['\"]"
)


_CODE_HINT = re.compile("""\\(['"]|=\\s?['"]""")


def is_code_line(text: str, start: int, end: int) -> bool:
    """True if ``text[start:end]`` (one line) looks like program code."""
    if _CODE_HINT.search(text, start, end) is None:
        return False
    return CODE_LINE_RE.search(text, start, end) is not None


def line_bounds(text: str, pos: int) -> tuple[int, int]:
    """The line around ``pos``, without its line break (CR, LF or CRLF).

    Each search stops at the nearest LF, so finding the lines of many positions in one
    pass stays linear.
    """
    start = text.rfind("\n", 0, pos) + 1
    cr = text.rfind("\r", start, pos)
    if cr >= 0:
        start = cr + 1
    end = text.find("\n", pos)
    if end < 0:
        end = len(text)
    cr = text.find("\r", pos, end)
    return start, cr if cr >= 0 else end
