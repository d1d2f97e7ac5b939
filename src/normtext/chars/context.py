"""Which ASCII marks a Chinese text writes full-width: the context rules, in one place.

The width stage widens the marks this module picks, and the punctuation stage asks it too
before it drops a spurious comma, so the two agree on what is Chinese context: a comma run
the width stage would widen is one the punctuation stage repairs, and one pass does all the
work. The rules themselves are described in ``normtext.stages.width``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from .classes import (
    CLUSTER_ASCII,
    CLUSTER_CLASS,
    CLUSTER_SET,
    CP_ASCII,
    CP_HAN,
    CP_LETTER,
    CP_WIDE_LETTER,
    HAN_RE,
    OPENING_BRACKETS,
    ClusterScan,
    classify,
    cluster_has_cjk_mark,
    embedded_in_han,
    embedded_runs,
    has_han,
    is_code_line,
    is_han,
    line_bounds,
    protected_spans,
    scan_clusters,
)
from .mark_widths import widened_by_evidence
from .quotes import (
    DOUBLE_QUOTES,
    facing_by_position,
    line_quotes,
    misfacing_lines,
    turned_lines,
)

if TYPE_CHECKING:
    import numpy as np
else:
    from ..lazy_numpy import np
from ..lazy_numpy import code_array

_ASCII_MARKS = CLUSTER_ASCII
_ASCII_CANDIDATE = re.compile(f"[{re.escape(_ASCII_MARKS)}]")
# A cluster: a maximal run of punctuation holding an ASCII mark. It can only start where
# the run starts (the look-behind), so a search stays linear on long runs of CJK marks.
_CLUSTER = re.compile(
    f"(?<![{CLUSTER_CLASS}])[{CLUSTER_CLASS}]*[{re.escape(CLUSTER_ASCII)}][{CLUSTER_CLASS}]*"
)
_PARENS = re.compile("[()\uff08\uff09]")
_BLANKS = " \t\u3000"  # what may stand between a bracket and the line edge
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


def widened_marks(text: str) -> dict[int, str]:
    """Position -> full-width mark, for every ASCII mark in Chinese context."""
    out = _misfacing_quotes(text)
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


def _misfacing_quotes(text: str, lines: list[tuple[int, int]] | None = None) -> dict[int, str]:
    """Quote directions on the Chinese lines that hold no ASCII mark but a curled quote
    facing the wrong way or a full-width ``＂`` (``chars.quotes``); lines with an ASCII
    mark get theirs in ``_line_changes``. ``lines``: ``misfacing_lines(text)``, if known."""
    out: dict[int, str] = {}
    for ls, le in misfacing_lines(text) if lines is None else lines:
        if has_han(text, ls, le) and not is_code_line(text, ls, le):
            skip = [i for a, b in protected_spans(text, ls, le) for i in range(a, b)]
            out.update(line_quotes(text, ls, le, skip))
    return out


def widened_on_lines(text: str, positions: list[int]) -> set[int]:
    """The positions ``widened_marks`` widens, on the lines holding ``positions`` only: a
    line's marks depend on that line alone, so a few lines need not cost a whole text."""
    out: dict[int, str] = {}
    seen: set[int] = set()
    for p in positions:
        ls, le = line_bounds(text, p)
        if ls not in seen:
            seen.add(ls)
            if has_han(text, ls, le) and not is_code_line(text, ls, le):
                _line_changes(text, ls, le, out)
    return set(out)


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


@cache
def _wide_codes() -> np.ndarray:
    """ASCII code point -> the full-width mark it widens to (0: none), for ``_WIDE``'s marks."""
    table = np.zeros(0x81, dtype=np.uint32)
    table[[ord(c) for c in _WIDE]] = [ord(c) for c in _WIDE.values()]
    return table


def _no_changes() -> tuple[np.ndarray, np.ndarray]:
    return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.uint32)


def widened_marks_vectorised(
    text: str, codes: np.ndarray, classes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """``widened_marks`` for a long text (``codes`` and ``classes`` from ``classify``), as
    positions and new code points.

    The same rules, applied to every cluster of the text at once: a damaged page has tens of
    thousands of them, and per-line Python was most of the stage's time. Lines that may hold
    code or protected spans, or whose brackets do not simply alternate open, close, open
    (nesting, a stray half), go through ``_line_changes`` as before; so do the few pairs that
    nothing forces, which ``_settle`` decides from the clusters around them.

    Double quotes face by their position on the line (``chars.quotes``), and a mark beside
    one is judged by the quote's final direction (``_line_changes``): the Chinese lines
    whose quotes turn are judged with their quotes turned, all at once (``_faced_apart``).
    """
    # A text with no ASCII mark at all (clean news) has no cluster to judge: one pass over
    # the classes proves it, where the scan would first gather every punctuation run.
    scan = scan_clusters(codes, classes, CLUSTER_ASCII) if (classes == CP_ASCII).any() else None
    if scan is None or not (scan.kind == CP_ASCII).any():
        return _as_arrays(_misfacing_quotes(text))
    quotes = np.flatnonzero(np.isin(scan.code, code_array(DOUBLE_QUOTES)))
    quote_line = scan.char_line[quotes]
    want = facing_by_position(scan.code[quotes], quote_line)
    turning = want != scan.code[quotes]
    apart = _judged_apart(text, scan, np.unique(quote_line[turning]))
    turned = turned_lines(scan.code[quotes], quote_line)
    positions, values = _judged(text, scan, apart, turned)
    if not apart.any():
        return positions, values
    moved = turning & apart[quote_line]
    faced_positions, faced_values = _faced_apart(
        scan, np.flatnonzero(apart), quotes[moved], want[moved]
    )
    faced_positions = np.concatenate((scan.pos[quotes[moved]], faced_positions))
    faced_values = np.concatenate((want[moved], faced_values))
    # Where a change (a turned quote among them) stands past blanks from an ASCII mark left
    # as it is, the per-line code judges the line again with the changes made.
    order = np.argsort(faced_positions, kind="stable")
    faced_positions, faced_values = faced_positions[order], faced_values[order]
    redo = _lines_to_settle(text, scan, faced_positions)
    out: dict[int, str] = {}
    if redo:
        keep = np.ones(len(faced_positions), dtype=bool)
        for ls, le in redo:
            keep &= (faced_positions < ls) | (faced_positions >= le)
            _line_changes(text, ls, le, out)
        faced_positions, faced_values = faced_positions[keep], faced_values[keep]
    extra_positions, extra_values = _as_arrays(out)
    return (
        np.concatenate((positions, faced_positions, extra_positions)),
        np.concatenate((values, faced_values, extra_values)),
    )


def _judged_apart(text: str, scan: ClusterScan, lines: np.ndarray) -> np.ndarray:
    """Per line of ``scan``: whether it is judged with its quotes turned (``_faced_apart``):
    a Chinese line (an ideograph; no code or protected span, which ``hinted`` rules out)
    among ``lines``, those whose quotes turn. Not a line that opens with a bracket: judged
    alone, as ``_line_changes`` judges it, a bracket there has nothing before it."""
    apart = np.zeros(len(scan.hinted), dtype=bool)
    lines = lines[~scan.hinted[lines]]
    if not len(lines):
        return apart
    ends = np.append(scan.breaks, len(scan.codes) - 2)
    starts = np.where(lines > 0, ends[lines - 1] + 1, 0)
    first = scan.codes[starts + 1]  # NUL past the text's end
    lines = lines[(first != 0x28) & (first != 0xFF08)]
    han_line = np.zeros(len(scan.hinted), dtype=bool)
    han_line[scan.line[scan.han_side]] = True  # a run beside an ideograph proves one
    apart[lines] = han_line[lines]
    for ln in lines[~han_line[lines]].tolist():
        apart[ln] = has_han(text, *scan.line_bounds(ln))
    return apart


def _faced_apart(
    scan: ClusterScan, lines: np.ndarray, quotes: np.ndarray, want: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The mark changes of ``lines`` (of ``scan``), judged with the double quotes at
    ``quotes`` (run characters of ``scan``) turned to ``want``: the lines, so faced, are
    joined by line feeds into one text, judged at once, and the changes mapped back. What
    ``_line_changes`` does for each line alone: every rule reads its own line only."""
    breaks = np.append(scan.breaks, len(scan.codes) - 2)  # each line's end
    starts = np.where(lines > 0, breaks[lines - 1] + 1, 0)
    ends = breaks[lines]
    sizes = ends - starts + 1  # each line and the line feed after it
    offsets = np.cumsum(sizes) - sizes
    at = np.repeat(starts - offsets, sizes) + np.arange(int(sizes.sum()))
    joined = scan.codes[at + 1]
    joined[offsets + sizes - 1] = 0x0A
    pos = scan.pos[quotes]
    line = np.searchsorted(starts, pos, side="right") - 1
    joined[pos - starts[line] + offsets[line]] = want
    joined = joined[:-1]
    faced = joined.tobytes().decode("utf-32-le", "surrogatepass")
    faced_scan = scan_clusters(*classify(joined), CLUSTER_ASCII)
    if faced_scan is None:
        return _no_changes()
    positions, values = _judged(faced, faced_scan, None, np.empty(0, dtype=np.intp))
    line = np.searchsorted(offsets, positions, side="right") - 1
    return positions - offsets[line] + starts[line], values


def _judged(
    text: str, scan: ClusterScan, apart: np.ndarray | None, turned: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The changes of every line of ``scan`` but those ``apart`` (per line, or None):
    ``turned``, the lines whose curled quotes turn round (``turned_lines``)."""
    code, run = scan.code, scan.run
    marks = np.flatnonzero(scan.kind == CP_ASCII)
    line = scan.char_line
    fallback = scan.hinted.copy()

    # Bracket pairs (on lines with an ASCII bracket) and quote pairs, as indices into the
    # scan's run characters.
    brackets = np.flatnonzero((code == 0x28) | (code == 0x29) | (code == 0xFF08) | (code == 0xFF09))
    ascii_bracket = np.zeros(len(fallback), dtype=bool)
    ascii_bracket[line[brackets[code[brackets] < 0x80]]] = True
    brackets = brackets[ascii_bracket[line[brackets]]]
    opening = (code[brackets] == 0x28) | (code[brackets] == 0xFF08)
    b_open, b_close, irregular = _line_pairs(brackets, line[brackets], opening)
    fallback[irregular] = True
    # Lines with quotes that turn and are not judged apart (code, no ideograph) go to the
    # per-line code: their marks are judged by the quotes' final direction there.
    fallback[line[code == 0x22]] = True
    fallback[turned] = True
    if apart is not None:
        fallback &= ~apart
    opens, closes = b_open, b_close
    quote = np.arange(len(opens)) >= len(b_open)
    keep = (code[opens] == 0x28) | (code[closes] == 0x29) | quote
    keep &= ~fallback[line[opens]]
    if apart is not None:
        keep &= ~apart[line[opens]]
    opens, closes, quote = opens[keep], closes[keep], quote[keep]
    left_ascii = quote | (code[opens] == 0x28)
    right_ascii = quote | (code[closes] == 0x29)
    o, c = scan.pos[opens], scan.pos[closes]
    # Content with an ideograph: next to a half, or else searched for.
    han_inside = (scan.classes[o + 2] == CP_HAN) | (scan.classes[c] == CP_HAN)
    for k in np.flatnonzero(~han_inside & (c - o > 1)):
        han_inside[k] = HAN_RE.search(text, o[k] + 1, c[k]) is not None
        if not han_inside[k] and not quote[k]:
            han_inside[k] = _blank_to_fill(text, int(o[k]), int(c[k]))
    forced = han_inside | ~left_ascii | ~right_ascii
    # Runs that are Chinese, and those that forced pairs make Chinese: the rest of the
    # pairs settle against these.
    chinese = scan.han_side | scan.cjk_mark | embedded_runs(text, scan)
    chinese |= _evidence_runs(text, scan, chinese)
    chinese[run[opens[forced & left_ascii]]] = True
    chinese[run[closes[forced & right_ascii]]] = True
    if not forced.all():
        settled = _settle_unforced(
            text, scan, chinese, opens[~forced], closes[~forced], quote[~forced]
        )
        converted = forced.copy()
        converted[~forced] = settled
        chinese[run[opens[converted & left_ascii]]] = True
        chinese[run[closes[converted & right_ascii]]] = True
    else:
        converted = forced

    # The changes: marks of Chinese clusters, halves of converted pairs.
    skipped = fallback if apart is None else fallback | apart
    active = marks[chinese[run[marks]] & ~skipped[line[marks]]]
    wide = _wide_codes()[np.minimum(code[active], 0x80)]
    widen = active[wide != 0]
    new = [wide[wide != 0]]
    changed = [widen]
    for k in active[code[active] == 0x2E].tolist():
        r = run[k]
        ls, le = scan.line_bounds(int(scan.line[r]))
        cluster = _Cluster(int(scan.start[r]), int(scan.end[r]), True)
        if _sentence_end(text, int(scan.pos[k]), cluster, ls, le):
            changed.append(np.array([k]))
            new.append(np.array([ord("。")], dtype=np.uint32))
    halves = (
        (opens[converted & quote], ord("“")),
        (closes[converted & quote], ord("”")),
        (opens[converted & left_ascii & ~quote], ord("（")),
        (closes[converted & right_ascii & ~quote], ord("）")),
    )
    for idx, mark in halves:
        changed.append(idx)
        new.append(np.full(len(idx), mark, dtype=np.uint32))
    at = np.concatenate(changed)
    values = np.concatenate(new)
    # Only lines with an ideograph change. A cluster next to one proves it for its line.
    han_line = np.zeros(len(fallback), dtype=bool)
    han_line[scan.line[scan.han_side]] = True
    for ln in np.unique(line[at][~han_line[line[at]]]).tolist():
        han_line[ln] = has_han(text, *scan.line_bounds(ln))
    ok = han_line[line[at]]
    positions, values = scan.pos[at[ok]], values[ok]
    # Lines where a change stands past blanks from an ASCII mark left as it is: the
    # per-line code judges them again with the changes made (``_line_changes``).
    redo = _lines_to_settle(text, scan, positions)
    if redo:
        keep = np.ones(len(positions), dtype=bool)
        for ls, le in redo:
            keep &= (positions < ls) | (positions >= le)
        positions, values = positions[keep], values[keep]

    # The lines left to the per-line code.
    out = _misfacing_quotes(text, [scan.line_bounds(ln) for ln in turned[fallback[turned]]])
    for ls, le in redo:
        _line_changes(text, ls, le, out)
    with_marks = np.zeros(len(fallback), dtype=bool)
    with_marks[line[marks]] = True
    for ln in np.flatnonzero(fallback & with_marks).tolist():
        ls, le = scan.line_bounds(ln)
        if has_han(text, ls, le) and not is_code_line(text, ls, le):
            _line_changes(text, ls, le, out)
    if out:
        positions = np.concatenate((positions, np.fromiter(out, dtype=np.intp, count=len(out))))
        extra = np.array([ord(ch) for ch in out.values()], dtype=np.uint32)
        values = np.concatenate((values, extra))
    return positions, values


def _evidence_runs(text: str, scan: ClusterScan, chinese: np.ndarray) -> np.ndarray:
    """Per run of ``scan``: ``widened_by_evidence``, checked in Python only for the runs not
    Chinese already that have a letter, digit or blank beside them."""
    out = np.zeros(len(scan.start), dtype=bool)
    before = scan.classes[scan.start]
    after = scan.classes[scan.end + 1]
    alnum = (before >= CP_LETTER) & (before <= CP_WIDE_LETTER)
    alnum |= (after >= CP_LETTER) & (after <= CP_WIDE_LETTER)
    blank = (scan.codes[scan.start] == 0x20) | (scan.codes[scan.end + 1] == 0x20)
    blank |= (scan.codes[scan.start] == 0x3000) | (scan.codes[scan.end + 1] == 0x3000)
    blank |= (scan.codes[scan.start] == 0x09) | (scan.codes[scan.end + 1] == 0x09)
    for r in np.flatnonzero((alnum | blank) & ~chinese).tolist():
        ls, le = scan.line_bounds(int(scan.line[r]))
        out[r] = widened_by_evidence(text, int(scan.start[r]), int(scan.end[r]), ls, le)
    return out


def _as_arrays(changes: dict[int, str]) -> tuple[np.ndarray, np.ndarray]:
    if not changes:
        return _no_changes()
    positions = np.fromiter(changes, dtype=np.intp, count=len(changes))
    return positions, np.array([ord(ch) for ch in changes.values()], dtype=np.uint32)


def _line_pairs(
    idx: np.ndarray, lines: np.ndarray, opening: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pair the marks ``idx`` (in text order, ``lines`` theirs) line by line: first with
    second, third with fourth. Returns the opening and closing halves and the lines where
    that is not the pairing: an odd count, or (given ``opening``) a bracket facing the
    wrong way, so that nesting or a stray half makes the stack's pairs differ."""
    k = len(idx)
    if not k:
        return idx, idx, idx
    new = np.empty(k, dtype=bool)
    new[0] = True
    np.not_equal(lines[1:], lines[:-1], out=new[1:])
    first = np.flatnonzero(new)
    group = np.cumsum(new) - 1
    even = (np.arange(k) - first[group]) % 2 == 0
    odd = np.diff(np.append(first, k)) % 2 == 1
    if opening is not None:
        odd |= np.logical_or.reduceat(opening != even, first)
    good = ~odd[group]
    return idx[good & even], idx[good & ~even], lines[first[odd]]


def _settle_unforced(
    text: str,
    scan: ClusterScan,
    chinese: np.ndarray,
    opens: np.ndarray,
    closes: np.ndarray,
    quote: np.ndarray,
) -> np.ndarray:
    """Which of the pairs that nothing forces convert (both halves ASCII, no ideograph
    inside): a pinyin reading keeps its brackets, and the rest settle line by line with
    ``_settle``, as in ``_line_changes``, against ``chinese`` (per run, with what the
    forced pairs of the line did already)."""
    converted = np.zeros(len(opens), dtype=bool)
    o, c = scan.pos[opens].tolist(), scan.pos[closes].tolist()
    left, right = scan.run[opens].tolist(), scan.run[closes].tolist()
    by_line: dict[int, list[int]] = {}
    for k, ln in enumerate(scan.char_line[opens].tolist()):
        if quote[k] or c[k] - o[k] > 40 or not _is_gloss(text[o[k] + 1 : c[k]]):
            by_line.setdefault(ln, []).append(k)
    for ln, ks in by_line.items():
        runs = sorted({left[k] for k in ks} | {right[k] for k in ks})
        local = {r: i for i, r in enumerate(runs)}
        clusters = [_Cluster(int(scan.start[r]), int(scan.end[r]), bool(chinese[r])) for r in runs]
        flags = [cluster.chinese for cluster in clusters]
        pairs = [
            _Pair(o[k], c[k], bool(quote[k]), local[left[k]], local[right[k]], False) for k in ks
        ]

        def chinese_at(pos: int, local: dict[int, int] = local, flags: list[bool] = flags) -> bool:
            r = int(np.searchsorted(scan.start, pos, side="right")) - 1
            if r < 0 or pos >= scan.end[r]:
                return False
            return flags[local[r]] if r in local else bool(chinese[r])

        converted[ks] = _settle(pairs, clusters, flags, text, *scan.line_bounds(ln), chinese_at)
    return converted


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
            if not chinese:
                chinese = embedded_in_han(text, s, e, ls, le)
            if not chinese:
                chinese = widened_by_evidence(text, s, e, ls, le)
            if not chinese and '"' in text[s:e]:
                # the quote curls on this Chinese line (chars/quotes.py), and a curled
                # quote makes the marks next to it Chinese
                chinese = any(text[i] == '"' and i not in protected for i in range(s, e))
            self.items.append(_Cluster(s, e, chinese))
        self.starts = [c.start for c in self.items]

    def index(self, pos: int) -> int | None:
        """The cluster holding the ASCII mark at ``pos``, None if it is not prose."""
        if pos in self.protected:
            return None
        k = bisect_right(self.starts, pos) - 1
        return k if k >= 0 and pos < self.items[k].end else None


def _line_changes(text: str, ls: int, le: int, out: dict[int, str]) -> None:
    """The width changes of one Chinese line, run to a fixed point: where a change stands
    past blanks from an ASCII mark left as it is (``, (２月)``: the bracket converts, and
    the comma a blank before it is judged by a neighbour that was still ``(``), the line
    is judged again with the changes made, as a second pass would judge it."""
    changes: dict[int, str] = {}
    _line_changes_once(text, ls, le, changes)
    for _ in range(_LINE_ROUNDS):
        if not _left_beside_changes(text, ls, le, changes, changes):
            break
        again: dict[int, str] = {}
        _line_changes_once(_line_with(text, ls, le, changes), 0, le - ls, again)
        new = {p + ls: c for p, c in again.items() if p + ls not in changes}
        if not new:
            break
        changes.update(new)
    out.update(changes)


_LINE_ROUNDS = 3


def _lines_to_settle(text: str, scan: ClusterScan, positions: np.ndarray) -> list[tuple[int, int]]:
    """Bounds of the lines where one of the changes at ``positions`` (sorted), or the run
    of marks it stands in, stands past blanks from an ASCII mark none takes."""
    if not len(positions):
        return []
    codes = scan.codes  # padded: text[i] is codes[i + 1]
    runs = np.searchsorted(scan.start, positions, side="right") - 1
    blank = np.isin(codes[scan.start[runs]], code_array(_BLANKS)) | np.isin(
        codes[scan.end[runs] + 1], code_array(_BLANKS)
    )
    if not blank.any():
        return []
    changed = set(positions.tolist())
    lines: list[tuple[int, int]] = []
    for p in positions[blank].tolist():
        if lines and lines[-1][0] <= p < lines[-1][1]:
            continue
        ls, le = line_bounds(text, p)
        if _left_beside_changes(text, ls, le, changed, [p]):
            lines.append((ls, le))
    return lines


def _left_beside_changes(
    text: str, ls: int, le: int, changes: Container[int], at: Iterable[int]
) -> bool:
    """Whether an ASCII mark that no change takes stands in the cluster past blanks from
    a changed one (of ``at``) or from the run of marks it stands in (``)“ ;``: the run
    holds a CJK mark once the bracket turns, which its neighbour is judged by).

    Every change in one run of marks has the same answer, so each run is walked once (a
    run of a million brackets would otherwise be walked once per bracket)."""
    run_end = -1
    for p in sorted(at):
        if p <= run_end:
            continue  # inside the run already judged
        for step in (-1, 1):
            j = p + step
            while ls <= j < le and text[j] in CLUSTER_SET:
                j += step
            if step == 1:
                run_end = j - 1
            if not (ls <= j < le and text[j] in _BLANKS):
                continue
            while ls <= j < le and text[j] in _BLANKS:
                j += step
            while ls <= j < le and text[j] in CLUSTER_SET:  # the cluster there (``,” （``)
                if text[j] in CLUSTER_ASCII and j not in changes:
                    return True
                j += step
    return False


def _line_with(text: str, ls: int, le: int, changes: dict[int, str]) -> str:
    """The line ``text[ls:le]`` with ``changes`` (one character for one) made."""
    line = list(text[ls:le])
    for p, c in changes.items():
        line[p - ls] = c
    return "".join(line)


def _line_changes_once(text: str, ls: int, le: int, out: dict[int, str]) -> None:
    """The width changes of one Chinese line, judged with its double quotes already facing
    the way ``line_quotes`` turns them: a mark beside a quote is evidence by the quote's
    final direction (``3.14,” 萧`` whose ” opens is ``3.14,“ 萧``), or a second pass would
    judge it otherwise."""
    clusters = _Clusters(text, ls, le)
    quotes = line_quotes(text, ls, le, clusters.protected)
    if not quotes:
        _faced_line_changes(text, ls, le, out, clusters)
        return
    faced: dict[int, str] = {}
    _faced_line_changes(_line_with(text, ls, le, quotes), 0, le - ls, faced)
    out.update((p + ls, c) for p, c in faced.items())
    out.update(quotes)


def _faced_line_changes(
    text: str, ls: int, le: int, out: dict[int, str], clusters: _Clusters | None = None
) -> None:
    clusters = clusters or _Clusters(text, ls, le)
    stray: list[int] = []
    pairs = _pairs(text, ls, le, clusters, stray)
    chinese = [c.chinese for c in clusters.items]

    def chinese_at(pos: int) -> bool:
        k = bisect_right(clusters.starts, pos) - 1
        return k >= 0 and pos < clusters.items[k].end and chinese[k]

    converted = _settle(pairs, clusters.items, chinese, text, ls, le, chinese_at)
    for j in stray:  # a bracket with no partner on the line (``2)最后``): by its cluster
        c = clusters.index(j)
        if c is not None and chinese[c]:
            out[j] = "（" if text[j] == "(" else "）"

    quotes = line_quotes(text, ls, le, clusters.protected)
    out.update(quotes)
    for k, pair in enumerate(pairs):
        if not converted[k]:
            continue
        if not pair.quote:
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
                out[i] = _WIDE[ch]
            elif ch == "." and _sentence_end(text, i, cluster, ls, le, quotes):
                out[i] = "。"


def _pairs(
    text: str, ls: int, le: int, clusters: _Clusters, stray: list[int] | None = None
) -> list[_Pair]:
    """Bracket pairs on the line with at least one ASCII half (``stray``, if given, gets
    the ASCII brackets that have no partner)."""
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
            elif stray is not None and text[j] == ")":
                stray.append(j)
        if stray is not None:
            stray.extend(o for o in stack if text[o] == "(")
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
        forced = content_han or left is None or right is None or _blank_to_fill(text, o, c)
        if not forced and not quote and c - o <= 40 and _is_gloss(text[o + 1 : c]):
            continue  # a reading kept on purpose: its brackets stay as they are
        pairs.append(_Pair(o, c, quote, left, right, forced))
    return pairs


def _blank_to_fill(text: str, o: int, c: int) -> bool:
    """A bracket pair holding only blanks, not right after a name (``foo( )`` is a call):
    the blank Chinese text leaves to fill in (``读成：（ ）``), which nothing inside marks
    as another language's, so on a Chinese line it takes the Chinese brackets."""
    if c - o < 2 or text[o + 1 : c].strip(_BLANKS):
        return False
    # at the text's start as at a line's (a line is judged alone, from its own offset 0)
    before = text[o - 1] if o else "\n"
    return not (before.isascii() and (before.isalnum() or before == "_"))


def _is_gloss(content: str) -> bool:
    """A pinyin reading: lowercase syllables, with tones or short (``de``, ``zhōngguó``)."""
    if _PINYIN_GLOSS.fullmatch(content) is None:
        return False
    return len(content) <= 6 or _TONE_MARKED.search(content) is not None


def _settle(
    pairs: list[_Pair],
    clusters: list[_Cluster],
    chinese: list[bool],
    text: str,
    ls: int,
    le: int,
    chinese_at: Callable[[int], bool] | None = None,
) -> list[bool]:
    """Convert pairs to a fixpoint: a converted pair makes the clusters of its halves Chinese.

    ``chinese_at(pos)``: whether the cluster holding ``pos`` is Chinese by now, for a
    bracket whose outer side, past blanks, is another cluster of the line (``中, ,(1)》``:
    the comma before ``(1)`` widens, and a second pass would see ``，``). The rules only
    ever add, so the least fixpoint is reached and a second run of the stage finds nothing
    new (the stage is idempotent).
    """

    def sides_chinese(pair: _Pair) -> bool:
        """Both sides Chinese, or one Chinese and the other at the line's edge."""
        assert pair.left is not None and pair.right is not None
        left, right = chinese[pair.left], chinese[pair.right]
        if left and right:
            return True
        if left:
            return _chinese_past_blanks(text, clusters[pair.right].end, le, 1, chinese_at)
        if right:
            return _chinese_past_blanks(text, clusters[pair.left].start - 1, ls - 1, -1, chinese_at)
        return False

    converted = [False] * len(pairs)
    waiting: dict[int, list[int]] = {}
    for k, pair in enumerate(pairs):
        for c in (pair.left, pair.right):
            if c is not None:
                waiting.setdefault(c, []).append(k)
    queue = list(range(len(pairs)))
    while queue:
        grew = False
        while queue:
            k = queue.pop()
            pair = pairs[k]
            if converted[k] or not (pair.forced or sides_chinese(pair)):
                continue
            converted[k] = True
            for c in (pair.left, pair.right):
                if c is not None and not chinese[c]:
                    chinese[c] = grew = True
                    queue.extend(waiting.get(c, ()))
        if grew and chinese_at is not None:
            # a cluster that turned Chinese may be the outer side of a pair tried before
            queue = [k for k in range(len(pairs)) if not converted[k]]
    return converted


def _chinese_past_blanks(
    text: str, pos: int, stop: int, step: int, chinese_at: Callable[[int], bool] | None = None
) -> bool:
    """Whether, from ``pos`` towards ``stop`` (exclusive; the line's edge), past blanks,
    there is the line's edge, an ideograph, or a run of marks holding a CJK one or judged
    Chinese (``chinese_at``): what a bracket's outer side may show instead of a Chinese
    cluster of its own (``来埠(The Levels) 。``)."""
    j = pos
    while j != stop and text[j] in _BLANKS:
        j += step
    if j == stop:
        return True
    if is_han(text[j]):
        return True
    if chinese_at is not None and text[j] in CLUSTER_SET and chinese_at(j):
        return True
    k = j
    while k != stop and text[k] in CLUSTER_SET:
        k += step
    a, b = (j, k) if step == 1 else (k + 1, j + 1)
    return b > a and cluster_has_cjk_mark(text, a, b)


def _sentence_end(
    text: str, i: int, cluster: _Cluster, ls: int, le: int, quotes: dict[int, str] | None = None
) -> bool:
    """Whether the ``.`` at ``i`` ends a Chinese sentence (see the module notes). ``quotes``:
    the directions of the line's quotes; an ASCII ``"`` that opens closes no sentence
    (``比如".")`` quotes a full stop)."""
    if (i > ls and text[i - 1] == ".") or (i + 1 < le and text[i + 1] == "."):
        return False
    if quotes and i > ls and quotes.get(i - 1) == "\u201c":
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
