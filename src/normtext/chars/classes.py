"""Character classes the stages share: what is Han, which marks are unmistakably Chinese.

Why one module: each stage asks "is this Chinese context?", and their answers must agree,
or one stage undoes what another did (a comma the punctuation stage treats as Chinese must
be one the width stage widens). Classes come both as regex class bodies (for compiled
patterns) and as predicates or sets (for single-character checks in Python code).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    import numpy as np
else:
    from ..lazy_numpy import np

from ..lazy_numpy import code_array


class _CompiledOnFirstUse:
    """A regular expression compiled the first time it is used.

    Why: the rarer patterns here (URLs, addresses, paths, faces, code lines) hold every Han
    range, and compiling them at import was a noticeable share of a fresh process's first
    call, most of whose texts never ask for them. The first attribute asked for compiles
    the pattern and keeps its methods, so later calls cost what the pattern's own do.
    """

    def __init__(self, source: str) -> None:
        self.source = source

    def __getattr__(self, name: str) -> Any:
        compiled = re.compile(self.source)
        for attr in ("search", "match", "fullmatch", "finditer", "findall", "sub", "split"):
            setattr(self, attr, getattr(compiled, attr))
        self.pattern = compiled.pattern
        return getattr(compiled, name)


def compiled_on_first_use(source: str) -> re.Pattern[str]:
    """``re.compile(source)``, put off until the pattern is first used."""
    return cast("re.Pattern[str]", _CompiledOnFirstUse(source))


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


_EMBED_REACH = 64  # how far a Latin word may stretch and still be one embedded in Chinese


def _alnum_kind(ch: str) -> int:
    """1 for a digit, 2 for a letter (ASCII or full-width), 0 otherwise."""
    o = ord(ch)
    if 0x30 <= o <= 0x39 or 0xFF10 <= o <= 0xFF19:
        return 1
    if 0x41 <= o <= 0x5A or 0x61 <= o <= 0x7A or 0xFF21 <= o <= 0xFF3A or 0xFF41 <= o <= 0xFF5A:
        return 2
    return 0


def embedded_in_han(text: str, start: int, end: int, line_start: int, line_end: int) -> bool:
    """Whether the punctuation run ``text[start:end]`` sits inside Latin that Chinese text
    embeds with no space: ``百度Google,Yahoo都``. A letter or digit on each side (not a
    digit on both: ``1,000`` ``12:30`` are numbers), and an ideograph reached on each side
    within a short stretch without whitespace. English in a Chinese line (``Hello, world``)
    has spaces, so it stays as typed."""
    if spaced_in_han(text, start, end, line_start, line_end):
        return True
    if start <= line_start or end >= line_end:
        return False
    left, right = _alnum_kind(text[start - 1]), _alnum_kind(text[end])
    if not left or not right or left == right == 1:
        return False
    return _reaches_han(text, start - 1, max(line_start, start - _EMBED_REACH) - 1, -1) and (
        _reaches_han(text, end, min(line_end, end + _EMBED_REACH), 1)
    )


_BLANKS = " \t\u3000"
_PASSED = _BLANKS + CLUSTER_ASCII + "\u2014\u2026"
_PASSED_ON_THE_LEFT = _PASSED + "\u201c\u2018"  # an opening quote faces away from the run
_PASSED_ON_THE_RIGHT = _PASSED + "\u201d\u2019"


def spaced_in_han(text: str, start: int, end: int, line_start: int, line_end: int) -> bool:
    """Whether the punctuation run ``text[start:end]`` stands with blanks around it among
    Chinese: past the blanks, an ideograph or CJK mark on each side, or on one side with the
    line's edge on the other. Segmented text writes marks so (``好好 , 非常``, ``話 : 「你``,
    ``做到 ?``), and so do some reviewers (``6月1日 : 尊敬的``); the full-width form is the
    same mark. A Latin or digit neighbour keeps it ASCII (``PS: 我``, ``library, 并有``).

    ASCII marks met past the blanks are passed over too (with the shared marks, except a
    quote facing this run), and what lies beyond them judged: they may be widened in the
    same pass (``, ,发`` gives ``， ，发``), and judging by their ASCII form would decide
    differently on a second pass."""
    j, k = start - 1, end
    while j >= line_start and text[j] in _BLANKS:
        j -= 1
    while k < line_end and text[k] in _BLANKS:
        k += 1
    if j == start - 1 and k == end:
        return False  # no blank on either side: the other rules judge it
    while j >= line_start and text[j] in _PASSED_ON_THE_LEFT:
        j -= 1
    while k < line_end and text[k] in _PASSED_ON_THE_RIGHT:
        k += 1
    # ASCII marks are passed over, a straight double quote too: on a Chinese line it curls
    # by its place (chars/quotes.py), so ``我想 , "几咁`` is ``我想 ， “几咁`` in ASCII.
    left = None if j < line_start else _chinese_char(text[j], "\u201d\u2019")
    right = None if k >= line_end else _chinese_char(text[k], "\u201c\u2018")
    return (left or right) is True and left is not False and right is not False


def _chinese_char(ch: str, quotes: str) -> bool:
    """An ideograph, a CJK mark, or a curled quote facing the mark (``我想 : “几咁``), as
    adjacency judges them."""
    return is_han(ch) or ch in CJK_PUNCT or ch in quotes


def _reaches_han(text: str, pos: int, stop: int, step: int) -> bool:
    for j in range(pos, stop, step):
        ch = text[j]
        if is_han(ch):
            return True
        if ch.isspace():
            return False
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
_URL_END = rf"[A-Za-z0-9{_W}/_#=&%~+\-*@$]"
# A path segment in Han right after a slash, with a bracket group attached
# (``/wiki/中文(语言)``): IRIs write their paths in Han. Prose after a URL is set off by a
# space or a mark, never glued to a slash.
_URL_HAN = rf"(?<=/)[{HAN_CLASS}]+(?:\([^\s()]*\))?"
# Brackets in a URL come in pairs (``/wiki/Python_(language)``): a group is one piece, so
# the closing bracket belongs to the URL and a lone one ends it.
_URL_PLAIN = f"[!-'*-~{_W}]"
_URL_GROUP = r"\([^\s()]*\)"
_URL_RE = compiled_on_first_use(
    rf"(?<![A-Za-z0-9{_W}])(?:(?:https?|ftp|file)://|www\.)"
    rf"(?:(?:{_URL_PLAIN}|{_URL_GROUP}|{_URL_HAN})*(?:{_URL_END}|{_URL_GROUP}|{_URL_HAN}))?"
)
# Addresses and handles may be written in Han (张三@例子.中国, @张三). A full-width point
# counts as a point: between digits the width stage folds it (``0．8@子.国``), and the
# address must not start or end elsewhere once it has.
_ADDRESS_RE = compiled_on_first_use(
    rf"(?<![A-Za-z0-9{_W}{HAN_CLASS}._%+\-\uff0e])[A-Za-z0-9{_W}{HAN_CLASS}._%+\-\uff0e]+"
    rf"@[A-Za-z0-9{_W}{HAN_CLASS}\-]+(?:[.\uff0e][A-Za-z0-9{_W}{HAN_CLASS}\-]+)+"
    rf"|(?<![A-Za-z0-9{_W}_.@\uff0e])@[A-Za-z0-9{_W}{HAN_CLASS}_]+"
)
_WINDOWS_PATH_RE = compiled_on_first_use(
    rf"(?<![A-Za-z0-9{_W}])[A-Za-z{_WL}]:\\(?:[A-Za-z0-9{_W}_.\\/\-~$%]*[A-Za-z0-9{_W}_\\/])?"
)
_UNIX_PATH_RE = compiled_on_first_use(
    rf"(?<![A-Za-z0-9{_W}_.~/])(?:~|\.\.?)?/[A-Za-z0-9{_W}._\-]+(?:/[A-Za-z0-9{_W}._\-]+)+/?"
)
_EMOTICON_RE = compiled_on_first_use(rf"[:;=]-?[()DPpO\uff24\uff30\uff50\uff2f](?![A-Za-z0-9{_W}])")
# A face in brackets (``(^_^)`` ``（^_^）`` ``(*^_^*)``): eyes ``^`` or a mouth ``_`` among
# symbols, no Han, digit or space. Its brackets are part of the face.
_FACE = "\\^_~*;oO∩▽ω´`'°・ー\\-=<>.TxX≧≦"
_KAOMOJI_RE = compiled_on_first_use(f"[(（][{_FACE}]{{0,4}}[\\^_][{_FACE}]{{0,4}}[)）]")
# Each kind with the substrings one of its matches must contain: a cheap test that skips
# the search on most lines.
#: An HTML or XML tag, attributes and all (``<a href="%(link)s">``, ``</a>``): markup that
#: translated messages hold among Chinese prose, whose quotes and marks are the markup's.
HTML_TAG_RE = compiled_on_first_use(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>")
_PROTECTED_KINDS: tuple[tuple[tuple[str, ...], re.Pattern[str]], ...] = (
    (("<",), HTML_TAG_RE),
    (("://", "www."), _URL_RE),
    (("@",), _ADDRESS_RE),
    ((":\\",), _WINDOWS_PATH_RE),
    (("/",), _UNIX_PATH_RE),
    ((":", ";", "="), _EMOTICON_RE),
    (("^", "_"), _KAOMOJI_RE),
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


def ends_with_handle(text: str, pos: int, line_start: int) -> bool:
    """Whether ``text[line_start:pos]`` ends with an @handle (``@张三``, ``@jieba_dev``), as
    ``protected_spans`` finds them: the space after one separates it from the message."""
    j = pos - 1
    stop = max(line_start, pos - 33) - 1
    while j > stop and (
        is_han(text[j]) or text[j].isascii() and (text[j].isalnum() or text[j] == "_")
    ):
        j -= 1
    if j <= stop or j == pos - 1 or text[j] != "@":
        return False
    before = text[j - 1] if j > line_start else ""
    return not before or not (
        before in "_.@\uff0e" or before.isalnum() and (before.isascii() or before >= "\uff10")
    )


def in_spans(pos: int, spans: list[tuple[int, int]], starts: list[int]) -> bool:
    """True if ``pos`` lies in one of ``spans`` (sorted, disjoint; ``starts`` their starts)."""
    k = bisect_right(starts, pos) - 1
    return k >= 0 and pos < spans[k][1]


# A line of program code or data: its strings are data and its spacing syntax. Any of:
# a call whose first argument is a string, list or dict (``cuttest("中文")``,
# ``lazy_pinyin(['同行'])``, ``SnowNLP(u'中文')``); an assignment or comparison of a string
# (``name = "中文"``); a single-quoted string as an element (``('今天', 1)``), or a
# double-quoted one right inside a bracket; a JSON key (``{"name": …``); a string with a
# backslash escape (``"…\\n"``); a docstring quote (``"""``); a string closed by ``;``
# at the line's end (``return "大于";``). Prose has none of these shapes: Chinese prose
# quotes with “ ” or 「 」, and its ASCII quotes follow a mark or a character, not a bracket.
_PREFIX = "[urbfURBF]{0,2}"
CODE_LINE_RE = compiled_on_first_use(
    rf"(?<![A-Za-z0-9{_W}_.])[A-Za-z{_WL}_][A-Za-z0-9{_W}_.]*\((?:{_PREFIX}['\"]|[\[{{])"
    rf"|(?<![A-Za-z0-9{_W}_])[A-Za-z{_WL}_][A-Za-z0-9{_W}_]*\s?[-+*/=!]?=\s?{_PREFIX}['\"]"
    rf"|(?:(?<![^\r\n])|[(\[{{,\s]){_PREFIX}'[^'\n]*'\s*[,)\]}}:]"
    rf"|[(\[{{]{_PREFIX}\"[^\"\n]*\"\s*[,)\]}}:]"
    r'|\{\s*"[^"\n]*"\s*:'
    r'|(?:(?<![^\r\n])[ \t]*|,\s*)"[^"\n]*"\s*:\s*["\[{0-9tfn-]'
    r'|"[^"\n]*\\[nrt"\\][^"\n]*"'
    r'|"""|\'\'\''
    r"|['\"];\s*$"
)

# Characters one of those shapes needs: a line without any of them is no code.
_CODE_HINT = re.compile("""[(=\'{[\\\\;]|\"\"\"|\":""")


def is_code_line(text: str, start: int, end: int) -> bool:
    """True if ``text[start:end]`` (one line) looks like program code or data.

    In a line with Han, a code shape that prose holds does not count: one inside an HTML
    tag (``<a href="%(link)s">``, protected on its own), one quoted with “ ” (``请设置“
    master_doc = 'contents' ”``), and a single-quoted name followed by a comma or colon and
    then Chinese (``发送 'Referer header'，但是``, once a spinner has made that comma ASCII).
    """
    if _CODE_HINT.search(text, start, end) is None:
        return False
    found = CODE_LINE_RE.search(text, start, end)
    if found is None or not has_han(text, start, end):
        return found is not None
    prose: list[tuple[int, int]] | None = None
    for m in CODE_LINE_RE.finditer(text, found.start(), end):
        if prose is None:
            prose = [t.span() for t in HTML_TAG_RE.finditer(text, start, end)]
            prose += [q.span() for q in _CURLY_QUOTED_RE.finditer(text, start, end)]
        if any(a <= m.start() and m.end() <= b for a, b in prose):
            continue
        if _quoted_name_in_prose(text, m.start(), m.end(), end):
            continue
        return True
    return False


_CURLY_QUOTED_RE = re.compile("\u201c[^\u201c\u201d\n]*\u201d")
_QUOTED_NAME_RE = re.compile(r"[\s,]?'[^'\n]*'\s*[,:]")


def _quoted_name_in_prose(text: str, start: int, end: int, line_end: int) -> bool:
    """A match ``' name ',`` (or ``:``) whose commas and blanks lead on to Chinese."""
    if _QUOTED_NAME_RE.fullmatch(text, start, end) is None:
        return False
    j = end
    while j < line_end and text[j] in ", \t:":
        j += 1
    return j < line_end and (is_han(text[j]) or text[j] in CJK_PUNCT)


_LINE_BREAK_RE = re.compile("[\r\n]")


def line_bounds(text: str, pos: int) -> tuple[int, int]:
    """The line around ``pos``, without its line break (CR, LF or CRLF).

    Both searches stop at the nearest CR or LF, so they cost the line's length, not the
    text's: finding the lines of many positions in one pass stays linear even when the only
    breaks are CRs (a search for LF alone would run to the text's ends every time).
    """
    start = 0
    hi, width = pos, 64
    while hi > 0:  # backwards in windows that double: no reverse search for two characters
        lo = max(0, hi - width)
        k = max(text.rfind("\n", lo, hi), text.rfind("\r", lo, hi))
        if k >= 0:
            start = k + 1
            break
        hi, width = lo, width * 2
    m = _LINE_BREAK_RE.search(text, pos)
    return start, m.start() if m is not None else len(text)


# -- whole-text scans ------------------------------------------------------------------------
#
# The stages' context rules, judged for every punctuation run of a text at once with numpy
# instead of line by line in Python: damaged pages hold tens of thousands of runs, and a
# Python call per run or per line was most of the stages' time. The scan proves a line free
# of code and protected spans where it can, and leaves the rest to the per-line code above.

#: Classes of code points. From ``CP_ASCII`` up a character matters to the scan (one
#: ``flatnonzero`` finds them all); the three run classes come first. Below it: letters and
#: digits, which the width stage folds or looks at, and which end URLs and emoticons.
(
    CP_OTHER,
    CP_HAN,
    CP_LETTER,
    CP_DIGIT,
    CP_WIDE_DIGIT,
    CP_WIDE_LETTER,
    CP_ASCII,
    CP_CJK,
    CP_SHARED,
    CP_BREAK,
    CP_HINT,
) = range(11)

#: Characters some protected span or code line needs (see ``protected_spans`` and
#: ``is_code_line``); the others need ``www.``, an emoticon or ``(`` before a quote, which
#: ``scan_clusters`` looks for itself.
_HINT_CHARS = "/@\\='[{^_"
_STRING_PREFIXES = "urbfURBF"
_EMOTICON_MOUTHS = "()DPpO\uff24\uff30\uff50\uff2f"


@cache
def class_table() -> np.ndarray:
    """Code point -> ``CP_*`` class; built on first use."""
    # Code points from 0x40000 up clip to the last entry, which is CP_OTHER.
    table = np.zeros(0x40001, dtype=np.uint8)
    for lo, hi in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF)):
        table[lo : hi + 1] = CP_HAN
    table[[0x3005, 0x3007]] = CP_HAN
    table[0x41:0x5B] = CP_LETTER
    table[0x61:0x7B] = CP_LETTER
    table[0x30:0x3A] = CP_DIGIT
    table[0xFF10:0xFF1A] = CP_WIDE_DIGIT
    table[0xFF21:0xFF3B] = CP_WIDE_LETTER
    table[0xFF41:0xFF5B] = CP_WIDE_LETTER
    for chars, kind in (
        (CJK_PUNCT, CP_CJK),
        (SHARED_PUNCT, CP_SHARED),
        (CLUSTER_ASCII, CP_ASCII),
        ("\n\r", CP_BREAK),
        (_HINT_CHARS, CP_HINT),
    ):
        table[[ord(c) for c in chars]] = kind
    return table


def classify(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A text's code points (as from ``hanzi.code_points``) padded with one NUL at each end,
    so that neighbours can be read without bounds checks (index ``i + 1`` is ``text[i]``),
    and their classes (``CP_*``)."""
    padded = np.zeros(len(codes) + 2, dtype=np.uint32)
    padded[1:-1] = codes
    return padded, class_table().take(padded, mode="clip")


@dataclass(frozen=True)
class ClusterScan:
    """Every maximal run of punctuation (``CLUSTER_SET``) in a text, with its context. Runs
    never cross a line break. Arrays per run character are in text order; ``codes`` and
    ``classes`` are the padded ones of ``classify``.
    """

    codes: np.ndarray
    classes: np.ndarray
    pos: np.ndarray  # position of each run character
    code: np.ndarray  # its code point
    kind: np.ndarray  # its class: CP_ASCII, CP_CJK or CP_SHARED
    run: np.ndarray  # its run's index
    char_line: np.ndarray  # its line's index
    start: np.ndarray  # per run: span
    end: np.ndarray
    han_side: np.ndarray  # per run: an ideograph right before or right after it
    cjk_mark: np.ndarray  # per run: cluster_has_cjk_mark over it
    line: np.ndarray  # per run: its line's index
    breaks: np.ndarray  # positions of CR and LF, which end lines (as ``line_bounds``)
    hinted: np.ndarray  # per line: may hold code or a protected span; check it per line

    def line_bounds(self, k: int) -> tuple[int, int]:
        """Start and end of line ``k`` (without its break)."""
        start = int(self.breaks[k - 1]) + 1 if k > 0 else 0
        end = int(self.breaks[k]) if k < len(self.breaks) else len(self.codes) - 2
        return start, end


def scan_clusters(codes: np.ndarray, classes: np.ndarray, seeds: str) -> ClusterScan | None:
    """The punctuation runs of a text (``codes`` and ``classes`` from ``classify``), or None
    if no run holds one of the characters ``seeds``."""
    found = np.flatnonzero(classes >= CP_ASCII)
    kinds = classes[found]
    in_run = kinds <= CP_SHARED
    padded = found[in_run]  # padded positions of run characters
    code = codes[padded]
    if not any((code == ord(c)).any() for c in seeds):
        return None
    kind = kinds[in_run]
    is_break = kinds == CP_BREAK
    found_line = np.cumsum(is_break)  # for a character that is no break: its line
    char_line = found_line[in_run]
    breaks = found[is_break] - 1

    new = np.empty(len(padded), dtype=bool)
    new[0] = True
    np.not_equal(padded[1:], padded[:-1] + 1, out=new[1:])
    first = np.flatnonzero(new)
    run = np.cumsum(new) - 1
    start = padded[first] - 1
    end = np.empty_like(start)
    end[:-1] = padded[first[1:] - 1]
    end[-1] = padded[-1]
    han_side = (classes[start] == CP_HAN) | (classes[end + 1] == CP_HAN)
    # A CJK-only mark, or an ASCII mark right after ” ’ or right before “ ‘ (those are run
    # characters themselves, so the neighbour is always in the same run).
    evidence = kind == CP_CJK
    marks = np.flatnonzero(kind == CP_ASCII)
    before = codes[padded[marks] - 1]
    after = codes[padded[marks] + 1]
    evidence[marks] |= (before == 0x201D) | (before == 0x2019) | (after == 0x201C)
    evidence[marks] |= after == 0x2018
    cjk_mark = np.logical_or.reduceat(evidence, first)

    hinted = np.zeros(len(breaks) + 1, dtype=bool)
    hinted[found_line[kinds == CP_HINT]] = True
    hinted[_hinted(padded, code, marks, char_line, codes, classes)] = True
    return ClusterScan(
        codes,
        classes,
        padded - 1,
        code,
        kind,
        run,
        char_line,
        start,
        end,
        han_side,
        cjk_mark,
        char_line[first],
        breaks,
        hinted,
    )


def embedded_runs(text: str, scan: ClusterScan) -> np.ndarray:
    """Per run of ``scan``: ``embedded_in_han`` (checked in Python only for runs with a
    letter or digit on each side and no other sign of Chinese)."""
    out = np.zeros(len(scan.start), dtype=bool)
    before = scan.classes[scan.start]  # padded index start is text[start - 1]
    after = scan.classes[scan.end + 1]
    alnum_before = (before >= CP_LETTER) & (before <= CP_WIDE_LETTER)
    alnum_after = (after >= CP_LETTER) & (after <= CP_WIDE_LETTER)
    digits = ((before == CP_DIGIT) | (before == CP_WIDE_DIGIT)) & (
        (after == CP_DIGIT) | (after == CP_WIDE_DIGIT)
    )
    maybe = alnum_before & alnum_after & ~digits
    # or blanks next to it (spaced_in_han): 0x20, 0x09 and U+3000 are CP_OTHER
    blank_before = np.isin(scan.codes[scan.start], code_array(_BLANKS))
    blank_after = np.isin(scan.codes[scan.end + 1], code_array(_BLANKS))
    maybe |= blank_before | blank_after
    maybe &= ~scan.han_side & ~scan.cjk_mark
    for r in np.flatnonzero(maybe).tolist():
        ls, le = scan.line_bounds(int(scan.line[r]))
        out[r] = embedded_in_han(text, int(scan.start[r]), int(scan.end[r]), ls, le)
    return out


def _hinted(
    padded: np.ndarray,
    code: np.ndarray,
    marks: np.ndarray,
    char_line: np.ndarray,
    codes: np.ndarray,
    classes: np.ndarray,
) -> np.ndarray:
    """Lines that might hold an emoticon, a URL with ``www.`` or a call with a string
    argument (with those of the ``_HINT_CHARS``, a superset of the lines where
    ``protected_spans`` or ``is_code_line`` find something), from the run characters."""
    mark = code[marks]
    at = padded[marks]
    top = len(codes) - 1  # the last padded index
    # An emoticon: [:;] (= is a hint already), maybe -, a mouth not followed by a letter or
    # digit; one with the mouth ( only if no bracket closes after it on the line.
    colon = np.flatnonzero((mark == 0x3A) | (mark == 0x3B))
    face_at = at[colon]
    mouth = face_at + 1 + (codes[face_at + 1] == 0x2D)
    face = np.isin(codes[mouth], code_array(_EMOTICON_MOUTHS))
    follow = classes[np.minimum(mouth + 1, len(classes) - 1)]
    face &= (follow < CP_LETTER) | (follow > CP_WIDE_LETTER)
    sad = face & (codes[mouth] == 0x28)
    if sad.any():
        last_close = np.full(char_line[-1] + 1, -1)
        closing = np.flatnonzero((code == 0x29) | (code == 0xFF09))
        if len(closing):
            close_line = char_line[closing]
            last = np.append(close_line[1:] != close_line[:-1], True)
            last_close[close_line[last]] = padded[closing[last]]
        face[sad] = last_close[char_line[marks[colon[sad]]]] < mouth[sad]
    # A string right inside a bracket: (" or (u" (the quote ' is a hint character itself).
    call = np.flatnonzero(mark == 0x28)
    call_at = at[call]
    after = codes[call_at + 1]
    prefixed = np.isin(after, code_array(_STRING_PREFIXES)) & (
        codes[np.minimum(call_at + 2, top)] == 0x22
    )
    quoted = (after == 0x22) | prefixed
    # A string closed by ; (``return "大于";``), a JSON key and a docstring quote.
    quote = np.flatnonzero(mark == 0x22)
    quote_at = at[quote]
    closed = codes[np.minimum(quote_at + 1, top)] == 0x3B
    closed |= codes[np.minimum(quote_at + 1, top)] == 0x3A  # a JSON key, "key":
    closed |= (codes[np.minimum(quote_at + 1, top)] == 0x22) & (
        codes[np.minimum(quote_at + 2, top)] == 0x22
    )
    www = np.flatnonzero((mark == 0x2E) & (at >= 4))
    www_at = at[www]
    www = www[
        (codes[www_at - 1] == 0x77) & (codes[www_at - 2] == 0x77) & (codes[www_at - 3] == 0x77)
    ]
    lines = char_line[marks]
    return np.concatenate(
        (lines[colon[face]], lines[call[quoted]], lines[quote[closed]], lines[www])
    )


# -- alphabetic scripts ------------------------------------------------------------------------

#: Ranges of the alphabetic scripts that single-byte code pages write, by name. A re-decoding
#: whose letters come from two of them (or from ``other-*``) is not text in one code page.
_SCRIPT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0000, 0x024F, "latin"),
    (0x0370, 0x03FF, "greek"),
    (0x0400, 0x052F, "cyrillic"),
    (0x0590, 0x05FF, "hebrew"),
    (0x0600, 0x06FF, "arabic"),
    (0x2000, 0x206F, "punctuation"),  # general punctuation: dashes, quotes, dagger, ‰
)


def script_of(ch: str) -> str:
    """The script (or block) of one character, for checking that a reading of bytes stays
    in one code page: ``latin`` (through Latin Extended-B), ``greek``, ``cyrillic``,
    ``hebrew``, ``arabic``, ``punctuation`` (General Punctuation, and € ™, which cp1252
    puts among Latin letters), else ``other-N`` with N the 128-code-point block, so two
    different unknown scripts still differ."""
    code = ord(ch)
    for lo, hi, name in _SCRIPT_RANGES:
        if lo <= code <= hi:
            return name
    if ch in "€™":
        return "punctuation"
    return f"other-{code >> 7}"
