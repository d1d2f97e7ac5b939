"""Unicode hygiene: NFC, radicals to ideographs, invisible junk out, odd spaces plain.

Why it runs early: later stages match characters by code point, so a ⺠ that should be
民, a zero-width space inside a word or a no-break space between fields would hide the
damage from them. Every change is reported as an edit, NFC's included: NFC folds CJK
compatibility ideographs (U+F900 block) into unified ones, and a user should see that.

Decisions:
- Removed: C0 controls except TAB, LF and CR, DEL, C1 controls, soft hyphen, zero-width
  space, word joiner, and U+FEFF anywhere (a BOM at the start or a stray one inside).
- Line endings stay as they are when a text uses one convention (all CRLF, all LF, all
  CR). A text that mixes them has picked up stray CRs from pieces pasted together: there
  CRLF becomes LF. Lone CRs stay, since they may be the text's only line breaks.
- Form feed and vertical tab separate pages or lines: each becomes LF, unless it sits
  next to a line break already (or at either end of the text), where it is removed.
- ZWJ and ZWNJ stay between two characters that can join (emoji 👨‍👩‍👧, skin tones, variation
  selectors, Indic and Arabic letters) and go where they touch Han, CJK punctuation,
  ASCII, spaces or an end of the text. Variation selectors are always kept (they choose
  glyphs, e.g. Han ideographic variation sequences).
- No-break space, U+2000–U+200A, U+202F and U+205F become a plain space, and so does
  U+3000 except in a line's leading indentation (``　　正文`` is intentional); the spacing
  stage then drops the spaces that Chinese text does not have.
- Kangxi radicals map to the ideograph their decomposition names; CJK Radicals Supplement
  characters map by Unicode's Equivalent_Unified_Ideograph property (table below).
- Bidi controls (LRM, RLM, embeddings) are left alone: right-to-left text needs them.

Outside Chinese stretches (Japanese, Korean, Western text; see ``chars.scope``) only what
is invisible and broken goes: a BOM or U+FEFF anywhere, zero-width space and word joiner
(except between two letters of a script written without spaces, Thai, Lao, Khmer, Myanmar
or Tibetan, where they mark word boundaries), C0 controls other than TAB, LF, VT, FF and CR,
DEL and C1 controls. Everything else stays as written: no-break and other spaces (French
sets NBSP before ``; : ! ?``), the soft hyphen (a hyphenation hint in German or Finnish),
ZWJ and ZWNJ (emoji sequences, Persian, Indic scripts), line endings and form feeds, NFC
(Korean writes compatibility ideographs on purpose; NFC would unify them), radicals.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import cache
from typing import TYPE_CHECKING

from ..chars.classes import is_han, line_bounds
from ..chars.points import any_in, uncommon
from ..text import Edit, apply_edits
from .base import Stage

if TYPE_CHECKING:
    import numpy as np
else:
    from ..lazy_numpy import np

# CJK Radicals Supplement -> unified ideograph, from Unicode's EquivalentUnifiedIdeograph
# 14.0.0 (UCD, by Ken Lunde), the version matching Python's unicodedata here. Every row of
# that file for U+2E81..U+2EF3 is included; U+2E80 (REPEAT) has no equivalent there and
# U+2E9A is unassigned. Only U+2E9F and U+2EF3 also have a decomposition, and a test
# checks that the two sources agree on them.
_SUPPLEMENT: dict[int, int] = {
    0x2E81: 0x5382, 0x2E82: 0x4E5B, 0x2E83: 0x4E5A, 0x2E84: 0x4E59, 0x2E85: 0x4EBB,
    0x2E86: 0x5182, 0x2E87: 0x20628, 0x2E88: 0x5200, 0x2E89: 0x5202, 0x2E8A: 0x535C,
    0x2E8B: 0x353E, 0x2E8C: 0x5C0F, 0x2E8D: 0x5C0F, 0x2E8E: 0x5140, 0x2E8F: 0x5C23,
    0x2E90: 0x5C22, 0x2E91: 0x21BC2, 0x2E92: 0x5DF3, 0x2E93: 0x5E7A, 0x2E94: 0x5F51,
    0x2E95: 0x5F50, 0x2E96: 0x5FC4, 0x2E97: 0x5FC3, 0x2E98: 0x624C, 0x2E99: 0x6535,
    0x2E9B: 0x65E1, 0x2E9C: 0x65E5, 0x2E9D: 0x6708, 0x2E9E: 0x6B7A, 0x2E9F: 0x6BCD,
    0x2EA0: 0x6C11, 0x2EA1: 0x6C35, 0x2EA2: 0x6C3A, 0x2EA3: 0x706C, 0x2EA4: 0x722B,
    0x2EA5: 0x722B, 0x2EA6: 0x4E2C, 0x2EA7: 0x725B, 0x2EA8: 0x72AD, 0x2EA9: 0x738B,
    0x2EAA: 0x24D14, 0x2EAB: 0x76EE, 0x2EAC: 0x793A, 0x2EAD: 0x793B, 0x2EAE: 0x25AD7,
    0x2EAF: 0x7CF9, 0x2EB0: 0x7E9F, 0x2EB1: 0x7F53, 0x2EB2: 0x7F52, 0x2EB3: 0x34C1,
    0x2EB4: 0x5197, 0x2EB5: 0x2626B, 0x2EB6: 0x7F8A, 0x2EB7: 0x2634C, 0x2EB8: 0x2634B,
    0x2EB9: 0x8002, 0x2EBA: 0x8080, 0x2EBB: 0x807F, 0x2EBC: 0x8089, 0x2EBD: 0x26951,
    0x2EBE: 0x8279, 0x2EBF: 0x8279, 0x2EC0: 0x8279, 0x2EC1: 0x864E, 0x2EC2: 0x8864,
    0x2EC3: 0x8980, 0x2EC4: 0x897F, 0x2EC5: 0x89C1, 0x2EC6: 0x89D2, 0x2EC7: 0x278B2,
    0x2EC8: 0x8BA0, 0x2EC9: 0x8D1D, 0x2ECA: 0x27FB7, 0x2ECB: 0x8F66, 0x2ECC: 0x8FB6,
    0x2ECD: 0x8FB6, 0x2ECE: 0x8FB6, 0x2ECF: 0x9091, 0x2ED0: 0x9485, 0x2ED1: 0x9577,
    0x2ED2: 0x9578, 0x2ED3: 0x957F, 0x2ED4: 0x95E8, 0x2ED5: 0x28E0F, 0x2ED6: 0x961D,
    0x2ED7: 0x96E8, 0x2ED8: 0x9752, 0x2ED9: 0x97E6, 0x2EDA: 0x9875, 0x2EDB: 0x98CE,
    0x2EDC: 0x98DE, 0x2EDD: 0x98DF, 0x2EDE: 0x2967F, 0x2EDF: 0x98E0, 0x2EE0: 0x9963,
    0x2EE1: 0x29810, 0x2EE2: 0x9A6C, 0x2EE3: 0x9AA8, 0x2EE4: 0x9B3C, 0x2EE5: 0x9C7C,
    0x2EE6: 0x9E1F, 0x2EE7: 0x5364, 0x2EE8: 0x9EA6, 0x2EE9: 0x9EC4, 0x2EEA: 0x9EFE,
    0x2EEB: 0x6589, 0x2EEC: 0x9F50, 0x2EED: 0x6B6F, 0x2EEE: 0x9F7F, 0x2EEF: 0x7ADC,
    0x2EF0: 0x9F99, 0x2EF1: 0x9F9C, 0x2EF2: 0x4E80, 0x2EF3: 0x9F9F,
}  # fmt: skip


def _kangxi() -> dict[int, int]:
    """Kangxi radicals (U+2F00–U+2FD5) from their <compat> decompositions in unicodedata."""
    table = {}
    for cp in range(0x2F00, 0x2FD6):
        tag, _, target = unicodedata.decomposition(chr(cp)).partition(" ")
        if tag == "<compat>" and " " not in target:
            table[cp] = int(target, 16)
    return table


#: Radical code point -> the unified ideograph it stands for.
RADICALS: dict[int, int] = {**_SUPPLEMENT, **_kangxi()}

_REMOVE = "\x00-\x08\x0e-\x1f\x7f-\x9f\xad\u200b\u2060\ufeff"
_BREAKS = "\x0b\x0c"
_JOINERS = "\u200c\u200d"
_ODD_SPACES = "\xa0\u2000-\u200a\u202f\u205f"
_RADICAL_RANGE = "\u2e80-\u2fdf"

_TRIGGER = re.compile(f"[{_REMOVE}{_BREAKS}{_JOINERS}{_ODD_SPACES}{_RADICAL_RANGE}]")
_SPECIAL = re.compile(f"[{_REMOVE}{_BREAKS}{_JOINERS}{_ODD_SPACES}{_RADICAL_RANGE}\u3000]")
_REMOVE_SET = frozenset(
    chr(c) for lo, hi in ((0, 8), (0xE, 0x1F), (0x7F, 0x9F)) for c in range(lo, hi + 1)
) | frozenset("\xad\u200b\u2060\ufeff")
_LINE_BREAKS = frozenset("\n\r\x0b\x0c")
_IDEO_SPACES = re.compile("\u3000+")
# What a line's leading indentation may hold (besides U+3000 itself).
_INDENT = re.compile(f"[\t \u3000{_REMOVE}{_JOINERS}{_ODD_SPACES}]*")
_CRS_BEFORE_LF = re.compile("(?<!\r)\r+(?=\n)")  # starts only at a run's start: linear
# Characters that never take part in NFC composition with their neighbours (checked
# against unicodedata in the tests): NFC may be applied to the stretches between them.
_NFC_UNSAFE_RUN = re.compile("[^\x00-\x7f\u3001-\u3029\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff9d]+")


_OUTSIDE_REMOVE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b\u2060\ufeff]+")
# Scripts written without spaces between words, where a zero-width space is a word boundary.
_UNSPACED = re.compile("[\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff]")


_NUMPY_FROM = 4096  # characters; below this one regex search is cheaper


@cache
def _outside_junk_table() -> np.ndarray:
    """Code point (BMP; higher ones clip to the last entry, False) -> one ``_OUTSIDE_REMOVE``
    would match: the same set, as a table (a test checks that they agree)."""
    table = np.zeros(0x10001, dtype=bool)
    for lo, hi in ((0x00, 0x08), (0x0E, 0x1F), (0x7F, 0x9F)):
        table[lo : hi + 1] = True
    table[[0x200B, 0x2060, 0xFEFF]] = True
    return table


def _outside_junk_runs(text: str) -> list[tuple[int, int]]:
    """The spans of ``_OUTSIDE_REMOVE.finditer(text)`` (maximal runs of junk), found among
    the text's uncommon characters (``chars.points``): a regex scan of a megabyte of
    European text that holds a few zero-width spaces reads all of it."""
    where, points = uncommon(text)
    junk = where[_outside_junk_table().take(points, mode="clip")]
    if not len(junk):
        return []  # the common case
    # a run breaks where the next junk character is not the next character
    breaks = np.flatnonzero(np.diff(junk) != 1) + 1
    starts = junk[np.concatenate(([0], breaks))]
    ends = junk[np.concatenate((breaks - 1, [len(junk) - 1]))] + 1
    return list(zip(starts.tolist(), ends.tolist()))


def _has_trigger(text: str) -> bool:
    """``_TRIGGER.search(text)``: for a long text by one table lookup over its uncommon
    characters (``chars.points``, shared with the stages before; the table holds no
    common one), since a search that finds nothing reads it all."""
    if len(text) < _NUMPY_FROM:
        return _TRIGGER.search(text) is not None
    return any_in(_trigger_table(), text)


@cache
def _trigger_table() -> np.ndarray:
    """Code point (BMP; higher ones clip to the last entry, False) -> ``_TRIGGER`` matches
    it: the regex itself, run once over every BMP character."""
    table = np.zeros(0x10001, dtype=bool)
    every = "".join(map(chr, range(0x10000)))
    table[[m.start() for m in _TRIGGER.finditer(every)]] = True
    return table


def _unspaced_sides(text: str, start: int, end: int) -> bool:
    return (
        start > 0
        and end < len(text)
        and _UNSPACED.match(text, start - 1) is not None
        and _UNSPACED.match(text, end) is not None
    )


def _hanlike(ch: str) -> bool:
    """Han, or a radical that this stage turns into Han."""
    return is_han(ch) or ord(ch) in RADICALS


def _joinable(ch: str) -> bool:
    """Whether a ZWJ/ZWNJ next to ``ch`` can be doing real work (emoji, joining scripts)."""
    o = ord(ch)
    if o < 0x80 or ch.isspace() or _hanlike(ch):
        return False
    if 0x2E80 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF:
        return False
    return unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co", "Cn")


class UnicodeStage(Stage):
    name = "unicode"

    def rule_of(self, text: str, edit: Edit) -> str:
        before = text[edit.start : edit.end]
        if not edit.replacement:
            return "unicode.invisible"
        if before.isspace():
            return "unicode.space"
        if any("\u2e80" <= c <= "\u2fdf" for c in before):
            return "unicode.radical"
        if any("\uf900" <= c <= "\ufaff" or c >= "\U0002f800" for c in before):
            return "unicode.compatibility_ideograph"
        return "unicode.nfc"

    def edits(self, text: str) -> list[Edit]:
        if not self._needs_work(text):
            return []
        return self._edits(text)

    def transform(self, text: str) -> str:
        if not self._needs_work(text):
            return text
        return apply_edits(text, self._edits(text))

    def edits_outside_chinese(self, text: str) -> list[Edit]:
        if len(text) >= _NUMPY_FROM:
            spans = _outside_junk_runs(text)
        else:
            spans = [m.span() for m in _OUTSIDE_REMOVE.finditer(text)]
        edits = []
        for s, e in spans:
            if text[s:e] in ("\u200b", "\u2060") and _unspaced_sides(text, s, e):
                continue
            edits.append(Edit(s, e, ""))
        return edits

    # -- detection -----------------------------------------------------------------------

    @staticmethod
    def _needs_work(text: str) -> bool:
        if _has_trigger(text):
            return True
        if not unicodedata.is_normalized("NFC", text):
            return True
        if "\u3000" in text and _midline_ideographic_spaces(text, first_only=True):
            return True
        return "\r" in text and bool(_stray_crs(text))  # form feeds were caught above

    # -- the edits -----------------------------------------------------------------------

    def _edits(self, text: str) -> list[Edit]:
        n = len(text)
        deleted: list[int] = []
        replaced: dict[int, str] = {}
        joiners: list[int] = []
        for m in _SPECIAL.finditer(text):
            i = m.start()
            ch = text[i]
            if ch in _REMOVE_SET:
                deleted.append(i)
            elif ch in _JOINERS:
                joiners.append(i)
            elif ch in _BREAKS:
                before = text[i - 1] if i > 0 else "\n"
                after = text[i + 1] if i + 1 < n else "\n"
                if before in _LINE_BREAKS or after in "\r\n":
                    deleted.append(i)
                else:
                    replaced[i] = "\n"
            elif ch == "\u3000":
                continue  # decided below, by position in the line
            elif ord(ch) in RADICALS:
                replaced[i] = chr(RADICALS[ord(ch)])
            elif "\u2e80" <= ch <= "\u2fdf":
                continue  # a radical with no ideograph of its own (U+2E80)
            else:  # one of _ODD_SPACES
                replaced[i] = " "
        for i in joiners:
            left = _neighbour(text, i, -1)
            right = _neighbour(text, i, +1)
            if left is None or right is None or not (_joinable(left) and _joinable(right)):
                deleted.append(i)
        if "\u3000" in text:
            for j in _midline_ideographic_spaces(text):
                replaced[j] = " "
        deleted.sort()
        simple = _simple_edits(text, deleted, replaced)
        mid = apply_edits(text, simple)
        if "\r" in mid:
            # Judged on the text as it comes out (form feeds become LF, removed characters
            # may bring a CR next to an LF), so that a second run agrees with the first.
            stray = [_source(deleted, j) for j in _stray_crs(mid)]
            if stray:
                deleted = sorted(deleted + stray)
                simple = _simple_edits(text, deleted, replaced)
                mid = apply_edits(text, simple)
        if unicodedata.is_normalized("NFC", mid):
            return simple
        return _with_nfc(text, mid, deleted, simple)


def _midline_ideographic_spaces(text: str, first_only: bool = False) -> list[int]:
    """Positions of U+3000 that are not part of a line's leading indentation."""
    found: list[int] = []
    line_end, indent_end = -1, -1
    for m in _IDEO_SPACES.finditer(text):
        s, e = m.span()
        if s > 0 and text[s - 1] in "\n\r":
            continue  # the common case: indentation right after a line break
        if s >= line_end:
            line_start, line_end = line_bounds(text, s)
            indent_end = _INDENT.match(text, line_start).end()
        if s >= indent_end:
            found.extend(range(s, e))
            if first_only:
                break
    return found


def _stray_crs(text: str) -> list[int]:
    """CRs before an LF in a text that mixes line-end conventions (see the module notes)."""
    crlf = text.count("\r\n")
    if crlf == 0:
        return []
    lf, cr = text.count("\n"), text.count("\r")
    if crlf == lf == cr:
        return []  # a CRLF text
    return [i for m in _CRS_BEFORE_LF.finditer(text) for i in range(*m.span())]


def _source(deleted: list[int], j: int) -> int:
    """Position in the input of the character at ``j`` once ``deleted`` (sorted) are gone."""
    k = 0
    while True:
        i = j + k
        k2 = bisect_right(deleted, i)
        if k2 == k:
            return i
        k = k2


def _neighbour(text: str, i: int, step: int) -> str | None:
    """The nearest character beside ``i`` that this stage never removes outright."""
    j = i + step
    while 0 <= j < len(text):
        if text[j] not in _REMOVE_SET:
            return text[j]
        j += step
    return None


def _simple_edits(text: str, deleted: list[int], replaced: dict[int, str]) -> list[Edit]:
    """Deletions (merged into runs) and one-for-one replacements, in order."""
    edits: list[Edit] = []
    positions = sorted([(i, "") for i in deleted] + list(replaced.items()))
    for i, rep in positions:
        if rep == "" and edits and edits[-1].end == i and edits[-1].replacement == "":
            edits[-1] = Edit(edits[-1].start, i + 1, "")
        else:
            edits.append(Edit(i, i + 1, rep))
    return edits


def _with_nfc(text: str, mid: str, deleted: list[int], simple: list[Edit]) -> list[Edit]:
    """Add NFC to ``simple`` edits: NFC runs on ``mid`` (the text after them), mapped back."""

    starts = [e.start for e in simple]
    spans: list[tuple[int, int]] = []  # full source span of each NFC change
    nfc_edits: list[Edit] = []
    for m in _NFC_UNSAFE_RUN.finditer(mid):
        a, b = m.span()
        if a > 0:
            a -= 1  # the starter before the run may compose with it
        seg = mid[a:b]
        norm = unicodedata.normalize("NFC", seg)
        if norm == seg:
            continue
        s, e = _source(deleted, a), _source(deleted, b - 1) + 1
        before = text[s:e]
        # Report the smallest change: trim what source and result share, but never past
        # one of the simple edits inside the span (their effect is in ``norm``).
        lo = bisect_right(starts, s - 1)
        hi = bisect_right(starts, e - 1)
        max_p = (simple[lo].start - s) if lo < hi else len(before)
        max_q = (e - simple[hi - 1].end) if lo < hi else len(before)
        p = 0
        while p < min(max_p, len(before), len(norm)) and before[p] == norm[p]:
            p += 1
        q = 0
        limit = min(max_q, len(before) - p, len(norm) - p)
        while q < limit and before[-1 - q] == norm[-1 - q]:
            q += 1
        spans.append((s, e))
        nfc_edits.append(Edit(s + p, e - q, norm[p : len(norm) - q]))
    if not nfc_edits:
        return simple
    merged: list[Edit] = []
    k = 0
    for (s, e), edit in zip(spans, nfc_edits):
        while k < len(simple) and simple[k].start < s:
            merged.append(simple[k])
            k += 1
        while k < len(simple) and simple[k].start < e:
            k += 1  # inside the NFC span: ``norm`` already holds this change
        merged.append(edit)
    merged.extend(simple[k:])
    return merged
