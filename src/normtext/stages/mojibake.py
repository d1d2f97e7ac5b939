"""Mojibake: text decoded with the wrong codec, repaired only on evidence.

The kinds that reach Chinese text:

* UTF-8 read as GBK/GB18030 (``鍙戝竷鏃堕棿`` for ``发布时间``) or as Big5;
* UTF-8, GBK or Big5 read as Latin-1/cp1252 (``å\\x8f\\x91``, ``·¢²¼Ê±¼ä``, ``¤¤¤å``);
* GBK read a byte off after a lost byte (``?!巴怀鲋攸c`` for ``。“突出重點``).

A candidate span is turned back into the bytes the wrong decoder saw and decoded with
the codec that should have read them. Where that decoder lost a byte (it left ``?`` or
U+FFFD), the byte is restored when the codecs allow only one value, and otherwise
guessed as the likeliest among those they allow. The repair is kept only when the
repaired characters are far more plausible as Chinese than the garbled ones
(``normtext.chars.frequency``, non-ASCII characters only), and never when it puts a Han
character between Latin letters. A rule that accepts any re-decode that succeeds turns
real words into garbage (``目录`` re-encodes to ``Ŀ¼``, ``谢谢`` to ``лл``) and accented
European words into Han.

Western mojibake (``â€œ``) is left to ``ftfy.fix_encoding``, which knows it better.

Clean text passes through untouched and fast: a span is examined only where a
precompiled character class finds a character that mojibake starts with, and text with
none is turned away before this module loads (``mojibake_gate``, where the stage lives).
"""

from __future__ import annotations

import codecs
import math
import re
import threading
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise, product
from typing import TYPE_CHECKING

from ..chars import frequency
from ..chars.classes import CLUSTER_ASCII, is_han
from .mojibake_gate import SHIFT_END as _SHIFT_END  # noqa: F401 - tests compare against it
from .mojibake_gate import WIDE as _WIDE
from .mojibake_gate import MojibakeStage
from .mojibake_gate import chars_from as _chars_from
from .mojibake_gate import first_chars as _first_chars
from .mojibake_gate import may_start as _may_start
from .mojibake_gate import shift_ends as _shift_ends

if TYPE_CHECKING:
    import numpy as np

_MARKERS = "?\ufffd"  # what a decoder leaves where it met a byte it could not read
_HAN = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
#: Han, or a radical the unicode stage turns into Han (``⺠`` for 民): what makes the text
#: around a run Chinese, on the first pass as on the second.
_HAN_NEAR = re.compile("[\u2e80-\u2fdf\u3400-\u9fff\uf900-\ufaff]")

# --- the bytes behind characters -------------------------------------------------------

#: cp1252's printable characters in 0x80-0x9F; the five bytes it leaves undefined read
#: as C1 controls in browsers (Latin-1), or as U+FFFD in Python.
_CP1252_HIGH = {
    c: 0x80 + i
    for i, c in enumerate(bytes(range(0x80, 0xA0)).decode("cp1252", errors="replace"))
    if c != "\ufffd"
}
_CP1252_UNDEFINED = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_CP1252_CLASS = re.escape("".join(sorted(_CP1252_HIGH)))
#: Characters the unicode stage deletes that no misreading makes: inside a garbled span
#: they are ignored, so that deleting them later cannot join two halves into new mojibake.
_INVISIBLE = "\x00-\x08\x0e-\x1f\x7f\u200b\u2060\ufeff"
_INVISIBLE_CHARS = frozenset(chr(c) for c in [*range(9), *range(0x0E, 0x20), 0x7F])
_INVISIBLE_CHARS |= frozenset("\u200b\u2060\ufeff")
#: Characters a UTF-8 reading of wide characters skips: the invisible ones, and C1
#: controls, which no GBK or Big5 decoder writes and the unicode stage deletes (``鍙\x91?``
#: is read as the ``鍙?`` a second pass sees).
_SKIPPED_WIDE = f"{_INVISIBLE}\x80-\x9f"
_SKIPPED_WIDE_CHARS = _INVISIBLE_CHARS | frozenset(map(chr, range(0x80, 0xA0)))
_LATIN_RUN_CHAR = re.compile(f"[\\x21-\\x7e\\x80-\\xff\\ufffd{_CP1252_CLASS}{_INVISIBLE}]")
_LATIN_RUN = re.compile(f"{_LATIN_RUN_CHAR.pattern}+")
#: A high Latin-1 character followed by one that can be a byte of the same GBK, Big5 or
#: UTF-8 character: every single-byte misreading of CJK text contains such a pair.
_LATIN_PAIR = re.compile(
    f"[\\x80-\\xff{_CP1252_CLASS}][{_INVISIBLE}]*[\\x40-\\x7e\\x80-\\xff\\ufffd{_CP1252_CLASS}]"
)
#: A UTF-8 lead byte read as Latin-1 followed by a continuation byte: Western mojibake.
_WESTERN = re.compile(f"[\\xc2-\\xf4][\\x80-\\xbf{_CP1252_CLASS}]")
#: An ASCII character (the trail byte of a GBK character) right after a non-ASCII one,
#: and not inside an ASCII word: where a reading a byte off falls back in step.
_WIDTHS = {"utf-8": (1, 2, 3, 4), "gb18030": (1, 2, 4), "big5": (1, 2)}

Slot = tuple[int, tuple[int, ...]]  # (index of the character it came from, possible bytes)


def _single_byte(c: str) -> tuple[int, ...] | None:
    """The byte(s) a Latin-1 or cp1252 decoder could have turned into ``c``."""
    code = ord(c)
    if code < 0x100:
        return (code,)
    if c == "\ufffd":
        return _CP1252_UNDEFINED
    byte = _CP1252_HIGH.get(c)
    return None if byte is None else (byte,)


@lru_cache(maxsize=65536)
def _encode(c: str, codec: str) -> bytes | None:
    for name in (codec, "gbk") if codec == "gb18030" else (codec,):
        try:
            return c.encode(name)
        except UnicodeEncodeError:
            continue
    return None


def _decodes(data: bytes, codec: str) -> bool:
    try:
        data.decode(codec)
    except UnicodeDecodeError:
        return False
    return True


@lru_cache(maxsize=1024)
def _lost_options(codec: str, following: int | None) -> tuple[int, ...]:
    """UTF-8 bytes a ``codec`` decoder fails on when ``following`` comes next.

    Only continuation bytes (80-BF) can be lost: a UTF-8 lead is followed by a
    continuation, and the two make a valid pair in GBK and mostly in Big5. Python's CJK
    decoders replace one byte per error, so each marker stands for one byte. ``following``
    is None when the next byte was lost too, so it is a continuation byte as well.
    """
    nxt = 0x80 if following is None else following
    return tuple(b for b in range(0x80, 0xC0) if not _decodes(bytes((b, nxt)), codec))


@dataclass(frozen=True)
class _Tables:
    start: dict[str, re.Pattern[str]]  # a UTF-8 lead and continuation read as one character,
    # then one whose first byte continues it (or a marker of a lost byte)


@lru_cache(maxsize=1)
def _tables() -> _Tables:
    """Character classes built from the codecs themselves, once.

    Every UTF-8 character of CJK text starts with a byte in E0-F4 followed by one in
    80-BF; read as GBK or Big5 that pair is one character, from a small set of mostly
    rare ones, and the next character then starts with a continuation byte. Any span of
    such mojibake contains the pair, so one character-class search clears clean text
    (``mojibake_gate.may_start``, with the pair's first characters).
    """
    gbk, big5 = _first_chars()
    # The next character's first byte continues that UTF-8 character, and its second
    # byte starts the following one (a lead, or ASCII that a GBK character swallowed).
    trails = [*range(0x40, 0x7F), *range(0xC2, 0xF5)]
    cont = {
        "gb18030": _chars_from("gb18030", range(0x81, 0xC0), trails),
        "big5": _chars_from("big5", range(0xA1, 0xC0), trails),
    }
    return _Tables(
        start={
            "gb18030": re.compile(
                f"[{re.escape(gbk)}][{_SKIPPED_WIDE}]*[{re.escape(cont['gb18030'])}?\\ufffd]"
            ),
            "big5": re.compile(
                f"[{re.escape(big5)}][{_SKIPPED_WIDE}]*[{re.escape(cont['big5'])}?\\ufffd]"
            ),
        },
    )


def _width(codec: str, lead: int, second: int | None) -> int:
    """How many bytes the character starting with ``lead`` takes in ``codec`` (0: none)."""
    if lead < 0x80:
        return 1
    if codec == "utf-8":
        return (
            2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else 4 if lead <= 0xF4 else 0
        )
    if lead == 0x80 or lead == 0xFF:
        return 0
    if codec == "gb18030" and second is not None and 0x30 <= second <= 0x39:
        return 4
    return 2


def _read(
    slots: list[Slot], i: int, codec: str, text: str = "", prev: str = ""
) -> tuple[int, str | None]:
    """Read one character of ``codec`` at slot ``i``: (next slot, character or None).

    A slot with several possible bytes (a lost byte) takes the value that makes the
    likeliest character after ``prev`` (and the likeliest to end a line, when the marker
    ends one in ``text``); two such slots in one character are too little to go on.
    """
    known = _read_known(slots, i, codec) if len(slots[i][1]) == 1 else None
    if known is not None:
        return known
    widths = (_lead_width(slots, i, codec),) if len(slots[i][1]) == 1 else _WIDTHS[codec]
    for width in widths:
        if i + width > len(slots):
            break
        window = [slot[1] for slot in slots[i : i + width]]
        open_slots = [slot[0] for slot in slots[i : i + width] if len(slot[1]) > 1]
        if len(open_slots) > 1:
            break
        unigram = frequency.log_prob
        if text and open_slots and text[open_slots[0] + 1 : open_slots[0] + 2] in ("", "\n", "\r"):
            unigram = frequency.log_prob_final

        context = prev if open_slots else ""

        def rate(c: str, unigram=unigram, context=context) -> float:
            return unigram(c) + (frequency.pair_bonus(context, c) if context else 0.0)

        best: str | None = None
        best_rate = -math.inf
        for combo in product(*window):
            try:
                c = bytes(combo).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(c) == 1:
                value = rate(c) if open_slots else 0.0
                if best is None or value > best_rate:
                    best, best_rate = c, value
        if best is not None:
            return i + width, best
    return i + 1, None


def _lead_width(slots: list[Slot], i: int, codec: str) -> int:
    """``_width`` of the character that slot ``i`` (one known byte) begins."""
    second = slots[i + 1][1] if i + 1 < len(slots) else None
    return _width(codec, slots[i][1][0], second[0] if second and len(second) == 1 else None)


def _read_known(slots: list[Slot], i: int, codec: str) -> tuple[int, str | None] | None:
    """``_read`` where every byte is known (the common case, with one reading at most);
    None when a lost byte lies in the character's window."""
    width = _lead_width(slots, i, codec)
    if not width or i + width > len(slots):
        return i + 1, None
    window = slots[i : i + width]
    if any(len(slot[1]) > 1 for slot in window):
        return None
    c = _one_character(bytes(slot[1][0] for slot in window), codec)
    return (i + width, c) if c is not None else (i + 1, None)


@lru_cache(maxsize=65536)
def _one_character(data: bytes, codec: str) -> str | None:
    """``data`` decoded, when that makes exactly one character."""
    try:
        c = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return c if len(c) == 1 else None


# --- judging a repair -------------------------------------------------------------------


def _is_cjk(c: str) -> bool:
    return is_han(c) or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"


def _is_latin_letter(c: str) -> bool:
    return c < "\u0250" and c.isalpha()


def _text_like(text: str, private: bool = False) -> bool:
    """No controls, surrogates, replacement or (unless ``private``) private-use characters.

    Private use is allowed where the bytes are strong evidence: GBK's user-defined codes
    are real characters of real Chinese text (the reviews corpus has them), and three-byte
    UTF-8 of one reads back exactly.
    """
    for c in text:
        code = ord(c)
        if (code < 0x20 and c not in "\t\n\r") or 0x7F <= code < 0xA0:
            return False
        if 0xD800 <= code < 0xE000 or c == "\ufffd":
            return False
        if 0xE000 <= code < 0xF900 and not private:
            return False
    return True


def _han_between_letters(text: str, start: int, end: int, repaired: str) -> bool:
    """Whether the repair puts CJK characters between Latin letters (``wei遙點her``)."""
    joined = text[max(0, start - 1) : start] + repaired + text[end : end + 1]
    letter = [_is_latin_letter(c) for c in joined]
    run_start = -1
    for i, c in enumerate(joined):
        if _is_cjk(c):
            if run_start < 0:
                run_start = i
            continue
        if run_start > 0 and letter[run_start - 1] and letter[i]:
            return True
        run_start = -1
    return False


@dataclass(frozen=True)
class Repair:
    """One accepted repair: ``text[start:end]`` becomes ``replacement``."""

    start: int
    end: int
    replacement: str
    gain: float  # log-probability gained, in nats
    kind: str


# --- thresholds: every number the judgement uses, in one place ----------------------
# Log-probabilities are natural logs from ``normtext.chars.frequency`` (an unseen Han
# character sits near -15.9). "Inherited" marks a value set by hand in the first version
# against the in-domain benchmark and not re-derived; the others say how they were chosen.

#: The least mean log-probability of repaired characters: a repair must read as common
#: text (inherited). Three-byte UTF-8 of Latin-1 characters is evidence in itself, so it
#: may bring back characters the table never saw: Cantonese 唔 嘅 佢 (-15.9); -16.0 was
#: chosen on the unseen Cantonese domain and checked against 0 changed clean lines in all.
_MEAN_FLOOR = -12.5
_MEAN_FLOOR_UTF8 = -16.0
_PRIOR = 1.5  # nats per repair against the codec of the other script (inherited)
_MEAN_GAIN = 1.5  # nats per character the repair must be commoner by, on average (inherited)
_UNKNOWN = -15.0  # below this a character is absent from the table (inherited)
_COMMON = -9.0  # punctuation at least this common (，。、“”) can be repaired alone (inherited)
_GAIN_MIN = 4.0  # nats a repair must gain at least (inherited) ...
_GAIN_PER_CHAR = 2.0  # ... and per repaired character (inherited)
_GAIN_NEAR_LETTER = 12.0  # nats when Han would touch a Latin letter outside Chinese text,
# or one character swallowed a letter: ``¡A`` is Spanish before it is Big5 for ， (inherited)
_UNEXPLAINED = 4.0  # nats a run's reading loses per high character it leaves (inherited)
_SHIFT_GAIN_MIN = 15.0  # nats a byte-off GBK re-reading must gain (inherited) ...
_SHIFT_GAIN_PER_CHAR = 3.0  # ... and per character (inherited)
_SHIFT_LOOKBACK = 40  # characters a byte-off span may reach back (inherited)
# (_SHIFT_MIN_LOG_PROB, _SUSPECT_RUN, _SUSPECT_LOG_PROB sit with their code below; the
# cheap gate reuses _MEAN_FLOOR and so needs no number of its own)
#: Text with no Han character near the run (Western text): a repair that writes Han into it
#: must read as Chinese words, a margin no real Western string reaches on the negative set
#: (tests/data/western_strings.txt, 689 strings: 0 may change) nor on generated European
#: words (tests/test_mojibake.py); chosen there, then checked on the in-domain benchmark:
_WESTERN_MIN_HAN = 2  # one Han character from two bytes (``NESTLÉ®``, ``5×£35``) is chance;
# one from three-byte UTF-8 (``çš„``) is not, nor a common one standing apart
# (``_LONE_MIN_LOG_PROB``)
#: (and never from accented letters, ¡¿«», among ASCII letters: Big5 pairs with ASCII
#: trails spell Spanish, ``¿hàa``; Big5 of a Chinese sentence has leads such as ¤ ¦ §)
#: (unless the repair writes this many CJK characters and no letters are cased as words
#: are, or fewer and some letters are cased as no word is: chosen on the unseen ui_hant
#: domain, GBK of Traditional names such as ``·ÆÊ¿ÌmÕZ`` and ``êPßB``; checked on the
#: negative set, European lines and generated words)
_WESTERN_LONG_HAN = 3
#: One two-byte character alone (``%(num)d Äê``, ``上午6ÂI``) is repaired when it stands
#: apart from Latin words and numbers (``_lone_character``) and is at least this common
#: (``log_prob_either_script``). Chosen on the training lines of news, reviews and
#: HKCanCor: -9.0 keeps the 1,407 Han characters that make 91.9% of their Han (the level
#: of ``_COMMON``). Then checked, not tuned, on text the tables never saw
#: (``benchmarks/mojibake.py`` sweeps -8 to -12): the first Western string to change
#: appears below -11 (``¬´`` as 炭, -11.3), and fragments of the unseen ui domains are
#: repaired alike from -8 to -10.
_LONE_MIN_LOG_PROB = -9.0
_WESTERN_DISTINCT_HAN = 2  # one character repeated (``å\x8f\x91`` × n, 发发发) is no text
_CONTEXT = 100  # characters either side of a run in which Han makes the text Chinese (a
# line of news is 60-150 characters; a JSON record holds Latin and Chinese fields apart)
#: Latin-1 characters of European writing: one of them glued to an ASCII letter (``¡A``,
#: ``éB``) is likelier a word than a Big5 or GBK character; ``¤B`` or ``¬O`` is not.
_EUROPEAN = frozenset(
    [chr(c) for c in range(0xC0, 0x100) if c not in (0xD7, 0xF7)] + list("¡¿«»°ºª·")
)


def _judge(
    text: str,
    start: int,
    end: int,
    repaired: str,
    kind: str,
    floor: float = _MEAN_FLOOR,
    *,
    strong: bool = False,
    chinese: bool = False,
    mean_gain: float = _MEAN_GAIN,
    private: bool = False,
    western: bool = False,
) -> Repair | None:
    """Accept a repair only when it is far more plausible than what it replaces.

    Scored on non-ASCII characters only: the gain (in nats) must grow with the repair;
    the repaired characters must be commoner one by one, so that two real characters
    never become one plus a stray letter; a letter the misreading swallowed (``浣燼`` for
    ``你a``) is followed by more ASCII or more repair, never by Chinese. Unless the bytes
    are ``strong`` evidence (three-byte UTF-8, or four high characters in a row, which
    no European word has), a repair never puts Han characters between Latin letters and
    needs a larger gain to touch one: ``Élan`` is likelier than a Chinese word glued to it.
    In ``chinese`` text (Han around it) a word glued to English is normal (``CMOS中的``),
    so only a repair that swallowed ASCII letters must keep off them. Outside Chinese
    text, a lone character that swallowed a letter, or that is no Han character, also
    needs the larger gain.
    """
    original = text[start:end]
    if repaired == original or not _text_like(repaired, private):
        return None
    high = "".join(c for c in repaired if c >= "\x80")
    if not any(_is_cjk(c) or c in _CJK_PUNCT for c in high) and not _chinese_symbols(high):
        return None
    swallowed = any(c < "\x80" for c in original)
    if chinese and not strong and _european_word(text, start, end):
        chinese = False  # a European word in Chinese text: its letters stay letters
    if _breaks_words(text, start, end, repaired, strong=strong, chinese=chinese):
        return None
    if repaired[-1] < "\x80" and text[end : end + 1] >= "\x80":
        return None
    if western and not _reads_as_chinese_words(original, high, 1 if private else _WESTERN_MIN_HAN):
        return None
    scores = [frequency.log_prob(c) for c in high]
    unknown = [c for c, v in zip(high, scores) if v < _UNKNOWN]
    if not all(_is_cjk(c) for c in unknown):
        return None
    score = sum(scores)
    before = frequency.score_non_ascii(original)
    gain = score - before
    needed = max(_GAIN_MIN, _GAIN_PER_CHAR * len(high))
    european = all(c in _EUROPEAN for c in original if c >= "\x80")
    lone = len(high) == 1 and ((swallowed and european) or not is_han(high))
    if not (strong or chinese) and (_han_touches_letter(text, start, end, repaired) or lone):
        needed = max(needed, _GAIN_NEAR_LETTER)
        if lone and not is_han(high) and scores[0] < _COMMON:
            return None  # a rare symbol alone (``¡Ï`` for ＋) is no evidence
    if gain < needed or score < floor * len(high):
        return None
    width = sum(1 for c in original if c >= "\x80")
    if width and score / len(high) - before / width < mean_gain:
        return None
    return Repair(start, end, repaired, gain, kind)


def _breaks_words(
    text: str, start: int, end: int, repaired: str, *, strong: bool, chinese: bool
) -> bool:
    """Whether the repair would break Latin words: open a Spanish ``¡Hola``, or put CJK
    between letters where neither the bytes (``strong``) nor Chinese text around allow."""
    swallowed = any(c < "\x80" for c in text[start:end])
    if swallowed and _spanish_opening(text, start, end):
        return True
    glued = chinese and swallowed and _glued_punctuation(text, start, repaired)
    if strong or (chinese and not swallowed) or glued:
        return False
    return _han_between_letters(text, start, end, repaired)


def _spanish_opening(text: str, start: int, end: int) -> bool:
    """Whether the run opens a Spanish exclamation or question: ``¡Hola``, ``¿Qué``.

    Spanish writes ¡ and ¿ after a space (or at the start) and before a word; Big5 writes
    its punctuation ``¡A`` (，) ``¡u`` (「) glued to what comes before, or before a space
    (``¡u 我``) or letters no word is cased like (``¡uGoogle¡v``).
    """
    if end - start != 2 or text[start] not in "¡¿" or not text[start + 1].isascii():
        return False
    if start and not (text[start - 1].isspace() or text[start - 1] in "\"'(«“"):
        return False
    word = end
    while word < len(text) and _is_latin_letter(text[word]):
        word += 1
    letters = text[start + 1 : word]
    return len(letters) >= 2 and (letters.islower() or letters.istitle() or letters.isupper())


def _glued_punctuation(text: str, start: int, repaired: str) -> bool:
    """Whether the repair is CJK punctuation glued to what comes before (``True¡AFalse``,
    Big5 for ``True，False``): between English words in Chinese text, a full-width mark
    is normal, and no European word glues ¡ to the letter before it."""
    return bool(start) and not text[start - 1].isspace() and not any(is_han(c) for c in repaired)


def _lone_repair(
    text: str, start: int, end: int, repaired: str, codec: str, chinese: bool
) -> Repair | None:
    """A lone two-byte character that ``_judge`` finds too little to go on, kept when it
    stands apart (``_lone_character``): the structure of its bytes is the evidence."""
    if not _lone_character(text, start, end, repaired, codec, chinese=chinese):
        return None
    gain = frequency.log_prob_either_script(repaired) - frequency.score_non_ascii(text[start:end])
    if gain < _GAIN_MIN:
        return None
    return Repair(start, end, repaired, gain, f"{codec} read as cp1252")


def _lone_character(
    text: str, start: int, end: int, repaired: str, codec: str, *, chinese: bool = False
) -> bool:
    """Whether one two-byte character standing alone in text without Han is evidence
    enough (``%(num)d Äê`` for 年, ``IPv4 »ò IPv6`` for 或, ``language¡£`` for 。).

    The bytes must make exactly one character, of two different values, as common as
    ``_LONE_MIN_LOG_PROB`` in either script, and stand apart from the words around: a
    digit on either side (``5×£35``) or a letter touching a letter of the pair
    (``NESTLÉ®``, ``¡Interrumpido``, ``Ôôô``) makes it part of a Western word or number.
    A letter with an ASCII letter after it, cased as words are (Icelandic ``ég``,
    Swedish ``Är``), spells a word; GBK ``ßL`` (週) does not. In ``chinese`` text (Han
    near, the line not Japanese or Korean) digits stand beside characters (``上午6ÂI``,
    6點), and a two-letter token is no European word unless a Latin word stands next to
    it (``Às armas`` quoted in Chinese text is Portuguese, not Big5 龍).
    """
    source = [c for c in text[start:end] if c not in _INVISIBLE_CHARS]
    if len(repaired) != 1 or len(source) != 2 or source[0] == source[1]:
        return False
    if not (_is_cjk(repaired) or repaired in _CJK_PUNCT):
        return False
    if frequency.log_prob_either_script(repaired) < _LONE_MIN_LOG_PROB:
        return False
    lead, trail = source
    if lead in _CURLED_QUOTES or trail in _CURLED_QUOTES:
        return False  # the width stage curls ``"`` beside Han: ``®"`` must read as ``®“`` does
    pair = lead + trail
    if (
        not (chinese and not _beside_latin_word(text, start, end))
        and trail.isascii()
        and trail.isalpha()
        and _is_latin_letter(lead)
        and (pair.islower() or pair.istitle() or pair.isupper())
    ):
        return False
    if _glued(text[start - 1 : start], lead, chinese) or _glued(
        text[end : end + 1], trail, chinese
    ):
        return False
    if _is_latin_letter(lead) and trail == "»":
        return False  # a word closing a quotation (``»Ö»``), not GBK 只
    if lead in "¡¿«" and _is_latin_letter(trail) and text[start - 1 : start].strip(" \"'(“") == "":
        return False  # a word opening one (``¡A comer``, ``¿É``), not Big5 ，or GBK 可
    return not _spanish_opening(text, start, end) and _whole_pairs(text, start, codec)


def _breaks_ascii(text: str, r: Repair) -> bool:
    """A lone Han character read out of a Western sign and an ASCII letter or digit: the
    other side of ``_lone_character``, judged with every reading of a run (so that a
    reading that only breaks ASCII leaves the field to the others).

    GBK and Big5 take ASCII bytes as second bytes, so ``\xa0C`` reads as 烫 and ``µs`` as
    盗: ``使用\xa0Chrome`` (``&nbsp;`` before a word) or ``延迟为 5 µs。`` would lose a letter
    to a made-up character. The sign must be one Western text puts there — NBSP (no Big5
    lead, a rare GBK one) or a unit sign after a number (µ °; not 4¬P, Big5 for 4星) —
    since a Big5 character glued to an English word (``µLexpress`` is 無express) is real
    mojibake and keeps its repair.
    """
    if sum(1 for c in r.replacement if _is_cjk(c)) != 1 or not any(map(is_han, r.replacement)):
        return False  # a garbled string of several characters carries its own evidence
    start, end = r.start, r.end
    if not any(c.isascii() and c.isalnum() for c in text[start:end]):
        return False
    before = text[max(0, start - 2) : start].rstrip(" ")
    unit = text[start] in "µ°" and bool(before) and before[-1].isdigit()  # 5 µs, 3 °C
    return text[start] == "\xa0" or unit


#: ASCII marks the width stage may turn full-width, which ends the token there: none can
#: be a byte of a two-byte character (trail bytes start at 0x40), and a token that ended
#: at ``（`` but not at ``(`` would be judged again once the mark is widened. The point
#: stays in tokens: it widens only at a sentence's end.
_WIDENED_MARKS = frozenset(CLUSTER_ASCII) - {"."}


def _whole_pairs(text: str, start: int, codec: str) -> bool:
    """Whether every high character of the token (``_LATIN_RUN``, cut at
    ``_WIDENED_MARKS``) holding ``start`` is
    one byte of a two-byte ``codec`` character, with one beginning at ``start``.

    A misread Chinese fragment leaves no byte over (``£¨y/n£©`` is （y/n）); Western
    symbols around an ASCII character do (``(°_°)``, ``»y«``: the second ° and « pair
    with nothing).
    """
    lo = start
    while lo > 0 and text[lo - 1] not in _WIDENED_MARKS and _LATIN_RUN_CHAR.match(text, lo - 1):
        lo -= 1
    hi = start
    while hi < len(text) and text[hi] not in _WIDENED_MARKS and _LATIN_RUN_CHAR.match(text, hi):
        hi += 1
    i, began = lo, False
    while i < hi:
        c = text[i]
        if c < "\x80" or c in _INVISIBLE_CHARS:
            i += 1
            continue
        j = i + 1
        while j < hi and text[j] in _INVISIBLE_CHARS:
            j += 1
        first, second = _single_byte(c), _single_byte(text[j]) if j < hi else None
        if first is None or second is None or len(first) != 1 or len(second) != 1:
            return False
        if _one_character(bytes((first[0], second[0])), codec) is None:
            return False
        began = began or i == start
        i = j + 1
    return began


def _beside_latin_word(text: str, start: int, end: int) -> bool:
    """Whether the nearest character on either side, past spaces, is a Latin letter."""
    before = text[max(0, start - 20) : start].rstrip(" ")[-1:]
    after = text[end : end + 20].lstrip(" ")[:1]
    return _is_latin_letter(before or " ") or _is_latin_letter(after or " ")


def _glued(neighbour: str, c: str, chinese: bool = False) -> bool:
    """Whether ``c`` (a character of a repair) continues the word or number beside it."""
    if not neighbour:
        return False
    return (not chinese and "0" <= neighbour <= "9") or (
        _is_latin_letter(neighbour) and _is_latin_letter(c)
    )


def _reads_as_chinese_words(original: str, high: str, min_han: int) -> bool:
    """Whether a repair in text without Han is Chinese words rather than chance.

    Accented capitals and symbols are valid GBK and Big5 pairs by the thousand, but one
    accented letter beside a symbol makes one character: a Chinese reading of Western
    text needs ``min_han`` CJK characters (Han, CJK punctuation, full-width forms), and
    two different ones. Bytes that repeat one
    value (``ÅÅÅÅ``, ``¡¡¡¡``, ``ÖÖ``) or one UTF-8 character repeated are no evidence.
    Three-byte UTF-8 (``min_han`` 1) is evidence enough for one character: real Western
    text never spells it.
    """
    source = {c for c in original if c >= "\x80"}
    if len(set(original)) < 2 or not source:
        return False  # one byte value over and over (``ÅÅÅÅ``); ``¤@¤U`` (一下) is two
    cjk = [c for c in high if _is_cjk(c)]
    if len(cjk) < min_han:
        return False
    if (
        source <= _EUROPEAN
        and any(c.isascii() and c.isalpha() for c in original)
        and (
            _cased_like_words(original)
            or (len(cjk) < _WESTERN_LONG_HAN and not _miscased(original))
        )
    ):
        return False  # ``¿hàa``: accented letters among ASCII letters spell a word
    if len(cjk) == 1 or len(set(cjk)) >= _WESTERN_DISTINCT_HAN:
        return True
    # a word said twice or thrice from bytes that are not letters only (``¹þ¹þ¹þ`` 哈哈哈,
    # ``¶¡¶¡`` 丁丁, ``ºÃºÃ`` 好好: º is no letter of a word); ``ÈËÈË`` (人人) spells like
    # a word and stays
    return (
        len(cjk) <= 3
        and len(high) == len(cjk)
        and not all(c.isalpha() and c not in "ªº" for c in source)
    )


#: Letters of words: ª and º are letters to Unicode, but mark ordinals after a number
#: (1º, 2ª) and stand inside no word (``ìªk`` is Big5 辦法, not a word ``ìªk``)
_LETTERS = re.compile(r"[^\W\d_ªº]+")


def _miscased(original: str) -> bool:
    """Whether a run of three letters or more is cased as no word is (``êPßB``, GBK 關連;
    ``ÙÈf``, GBK 百萬): then even two characters read as Chinese are no European word."""
    words = [w for w in _LETTERS.findall(original) if len(w) >= 3]
    return any(not (w.islower() or w.istitle() or w.isupper()) for w in words)


def _cased_like_words(original: str) -> bool:
    """Whether the runs of three letters or more are cased as words are: lower, Title or
    CAPITALS (and there is one).

    ``hàa`` and ``PÂTÂPÂ`` are; GBK of Traditional characters with ASCII trail bytes
    (``·ÆÊ¿ÌmÕZ``, 菲士蘭語) mixes cases inside a run (``ÌmÕZ``), as no word does, and
    Big5 (``«Y°Ú¡A«Y°Ú¡C``, 係啊，係啊。) leaves letters one by one between symbols.
    """
    words = [w for w in _LETTERS.findall(original) if len(w) >= 3]
    return bool(words) and all(w.islower() or w.istitle() or w.isupper() for w in words)


def _european_word(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is letters inside a word cased like a European one.

    ``alcáçova``, ``Größe`` and a whole ``Às`` are; ``CMOSÖÐµÄSATA`` (GBK 中的 glued to
    English) is not, nor a whole word of high characters only (``ÖÐÎÄ``).
    """
    if not all(_is_latin_letter(c) for c in text[start:end]):
        return False
    lo, hi = start, end
    while lo > 0 and _is_latin_letter(text[lo - 1]):
        lo -= 1
    while hi < len(text) and _is_latin_letter(text[hi]):
        hi += 1
    word = text[lo:hi]
    if (
        lo == start
        and hi == end
        and not (
            any(c.isascii() for c in word) and not word.isascii()  # ``Às`` in ``Às armas``
        )
    ):
        return False
    return word.islower() or word.istitle() or word.isupper()


def _chinese_symbols(high: str) -> bool:
    """Symbols common in Chinese text (``∩_∩``), though not CJK: no letters among them."""
    return all(not c.isalpha() and frequency.log_prob(c) >= -13.0 for c in high)


def _han_touches_letter(text: str, start: int, end: int, repaired: str) -> bool:
    """Whether a CJK character of the repair would touch a Latin letter."""
    before, after = text[start - 1 : start], text[end : end + 1]
    return (bool(before) and _is_latin_letter(before) and _is_cjk(repaired[0])) or (
        bool(after) and _is_latin_letter(after) and _is_cjk(repaired[-1])
    )


# --- ruling single-byte mojibake out cheaply ---------------------------------------------

#: Where a run may hold mojibake that ``_judge`` could accept: the gate is a necessary
#: condition, so it never changes a result, only skips work. Around characters that the
#: slots skip or expand (invisible characters, C1 controls, U+FFFD) it looks closer.
_GATE_FALLBACK = re.compile(f"[\\ufffd\\x80-\\x9f{_INVISIBLE}]")  # looked at one by one
_HIGH_THEN_TRAIL = re.compile(
    f"[\\xa0-\\xff{_CP1252_CLASS}](?=[\\x30-\\x7e\\xa0-\\xff{_CP1252_CLASS}])"
)
_NUMPY_FROM = 4096  # characters; below this the regex is cheaper than building arrays
_CJK_PAIR, _UTF8_PAIR = 1, 2  # what a pair may begin: a common GBK/Big5 character, UTF-8
_LONE_PAIR = 3  # a GBK/Big5 character common enough to be repaired alone (_lone_character)


@lru_cache(maxsize=1)
def _pair_table() -> bytearray:
    """For each two bytes, whether they can begin a character some repair keeps.

    A GBK or Big5 repair is kept only when its characters average at least
    ``_MEAN_FLOOR``, so at least one of them is that common: its first two bytes must be
    two adjacent characters of the run. The table lists the first two bytes (GBK, Big5,
    GB18030 four-byte) of every character that common (from every pair decoded, as Big5
    maps some characters from two codes), and every UTF-8 lead byte with a
    continuation (UTF-8 of Chinese, and Western UTF-8 that ftfy repairs). French ``éd``
    (a rare GBK character), Portuguese ``çã`` and Nordic ``øe`` begin none.
    """
    table = bytearray(65536)
    for lead in range(0xC2, 0xF5):
        for trail in range(0x80, 0xC0):
            table[lead << 8 | trail] = _UTF8_PAIR
    for lead in range(0x81, 0xFF):  # decode every pair: Big5 maps some characters twice
        for trail in range(0x40, 0xFF):
            for codec in ("gb18030", "big5"):
                try:
                    c = bytes((lead, trail)).decode(codec)
                except UnicodeDecodeError:
                    continue
                key = lead << 8 | trail
                lone = (_is_cjk(c) or c in _CJK_PUNCT) and (
                    frequency.log_prob_either_script(c) >= _LONE_MIN_LOG_PROB
                )
                if lone and table[key] != _UTF8_PAIR:
                    table[key] = _LONE_PAIR
                if frequency.log_prob(c) >= _MEAN_FLOOR and not table[key]:
                    table[key] = _CJK_PAIR
    for c in frequency.common_characters(_MEAN_FLOOR):  # GB18030's four-byte characters
        data = _encode(c, "gb18030") if c >= "\x80" else None
        if data is not None and len(data) == 4 and not table[data[0] << 8 | data[1]]:
            table[data[0] << 8 | data[1]] = _CJK_PAIR
    return table


@lru_cache(maxsize=1)
def _to_byte() -> dict[str, int]:
    """Latin-1 and cp1252 characters back to their byte."""
    to_byte = {chr(b): b for b in range(0x100)}
    to_byte.update(_CP1252_HIGH)
    return to_byte


@lru_cache(maxsize=1)
def _byte_lookup() -> object:
    """``_to_byte`` as a numpy lookup, for long texts (short ones never import numpy)."""
    import numpy as np

    lookup = np.full(0x2124, -1, dtype=np.int32)  # one past ™ (U+2122): where others clip
    for c, b in _to_byte().items():
        lookup[ord(c)] = b
    return lookup


def _near_han(text: str, start: int, end: int) -> bool:
    """Whether Han stands within ``_CONTEXT`` characters: the text there is Chinese."""
    return bool(_HAN_NEAR.search(text, max(0, start - _CONTEXT), end + _CONTEXT))


def _chinese_context(text: str, start: int, end: int) -> bool:
    """Whether a run stands in Chinese text: Han near it, on a line that is not Japanese
    or Korean. Korean and Japanese lines quote Han too (``因九月``), and their marks
    (``¿¿¿`` beside hangul) deserve the caution of Western text."""
    return _near_han(text, start, end) and not _foreign_cjk_line(text, start)


_KANA_OR_HANGUL = re.compile("[\u3040-\u30ff\u31f0-\u31ff\u1100-\u11ff\uac00-\ud7af]")


def _foreign_cjk_line(text: str, p: int) -> bool:
    """Whether the line holding ``p`` is Japanese or Korean (``chars.scope``)."""
    # each search stops at the line's own ends: a text without CR costs one line, not all
    lo = text.rfind("\n", 0, p) + 1
    lo = text.rfind("\r", lo, p) + 1 or lo
    hi = text.find("\n", p)
    hi = len(text) if hi < 0 else hi
    cr = text.find("\r", p, hi)
    hi = hi if cr < 0 else cr
    line = text[lo:hi]
    if not _KANA_OR_HANGUL.search(line):
        return False  # the common case: no kana or hangul, no need to ask the scope
    from ..chars.scope import JAPANESE, KOREAN, stretches

    return any(s.language in (JAPANESE, KOREAN) for s in stretches(line))


def _pair_starts(text: str, western: bool = False) -> list[int]:
    """Positions of two adjacent characters that may begin a kept single-byte repair.

    In ``western`` text (no Han within ``_CONTEXT``) a GBK or Big5 repair must write two Han
    characters (``_WESTERN_MIN_HAN``), so a plausible pair counts only next to another
    two-byte pair: French ``élève`` passes, ``værdi`` and ``bestående`` do not.
    """
    starts = _gate(text, western)
    fallback = _fallback_positions(text)
    if fallback:
        # next to a skipped or expanded character the bytes are not the text's: every
        # telling pair there is a start
        for f in fallback:
            lo = max(0, f - 3)
            starts.extend(lo + k for k in _pairs_in(text[lo : f + 4]))
        starts = sorted(set(starts))
    return starts


def _fallback_positions(text: str) -> list[int]:
    """Where ``_GATE_FALLBACK`` matches (one character each): for a long text, found among
    its uncommon characters (``_has_fallback``)."""
    if len(text) < _NUMPY_FROM:
        return [f.start() for f in _GATE_FALLBACK.finditer(text)]
    import numpy as np

    from .mojibake_scan import positions

    return positions(np.asarray(_fallback_table()), text)


@lru_cache(maxsize=4096)
def _pairs_in(window: str) -> tuple[int, ...]:
    """Offsets of the ``_LATIN_PAIR`` matches in ``window`` (the pattern looks at nothing
    outside its match, so they depend on the window alone): cached, since a text with many
    skipped characters (``å\x8f\x91…``) repeats the same few windows."""
    return tuple(m.start() for m in _LATIN_PAIR.finditer(window))


def _has_fallback(text: str) -> bool:
    """``_GATE_FALLBACK.search(text)``, for a long text by one numpy lookup over its
    uncommon characters (a regex scan that finds nothing reads the whole text, 3 ms per
    MB; the table holds no common character, see ``chars.points``)."""
    if len(text) < _NUMPY_FROM:
        return _GATE_FALLBACK.search(text) is not None
    import numpy as np

    from ..chars.points import any_in

    return any_in(np.asarray(_fallback_table()), text)


@lru_cache(maxsize=1)
def _fallback_table() -> object:
    """Code point -> whether ``_GATE_FALLBACK`` matches it (past U+FFFF: no, the last entry)."""
    import numpy as np

    table = np.zeros(0x10001, dtype=bool)
    table[[*range(0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0), 0x200B, 0x2060, 0xFEFF]] = True
    table[0xFFFD] = True
    return table


def _gate(text: str, western: bool) -> list[int]:
    table = _pair_table()
    to_byte = _to_byte()
    if len(text) < _NUMPY_FROM:
        found = [
            (p, table[to_byte[text[p]] << 8 | to_byte[text[p + 1]]])
            for m in _HIGH_THEN_TRAIL.finditer(text)
            if (p := m.start()) is not None
        ]
        if not western:
            return [p for p, kind in found if kind]
        pairs = {p: kind for p, kind in found}
        return [
            p
            for p, kind in found
            if kind == _UTF8_PAIR
            or (kind and (p - 2 in pairs or p + 2 in pairs or _near_han(text, p, p)))
            or (kind == _LONE_PAIR and _stands_apart(text, p))
        ]
    import numpy as np

    from ..chars.points import code_points
    from .mojibake_scan import among

    cp = code_points(text)
    candidates, keys = _byte_pairs(text, np.asarray(_byte_lookup()))
    if not len(candidates):
        return []
    kind = np.frombuffer(bytes(table), dtype=np.uint8)[keys]
    if not western:
        return candidates[kind > 0].tolist()
    # A common GBK/Big5 pair counts only beside another pair or near Han: looked at for
    # the few candidates that are such a pair (most accented text has none).
    cjk = np.flatnonzero((kind == _CJK_PAIR) | (kind == _LONE_PAIR))
    keep = kind == _UTF8_PAIR
    if len(cjk):
        at = candidates[cjk]
        beside = among(at - 2, candidates) | among(at + 2, candidates)  # a pair beside
        beside |= np.asarray(_han_near(cp, at))
        keep[cjk] = beside
    lone = np.flatnonzero((kind == _LONE_PAIR) & ~keep)
    if len(lone):  # common characters whose pair is not glued to a word or number
        keep[lone] = _stand_apart(cp, candidates[lone])
    return candidates[keep].tolist()


def _byte_pairs(text: str, lookup: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions where two characters read as bytes (``lookup``: -1 for no byte; past the
    table, clipped to its last entry, -1) make a high byte (0x81 up) and a possible trail
    (0x30 up), and the two bytes as one number. Such a first character is never common
    (``chars.points``), so only the uncommon ones are looked up."""

    from ..chars.points import code_points, uncommon

    cp = code_points(text)
    where, points = uncommon(text)
    at = where[lookup.take(points, mode="clip") >= 0x81]
    at = at[at < len(cp) - 1]
    first = lookup.take(cp[at], mode="clip")
    second = lookup.take(cp[at + 1], mode="clip")
    pair = second >= 0x30
    return at[pair], first[pair] << 8 | second[pair]


def _stands_apart(text: str, p: int) -> bool:
    """Whether the pair at ``p`` touches no word or number around it (``_glued``)."""
    return not _glued(text[p - 1 : p] if p else "", text[p]) and not _glued(
        text[p + 2 : p + 3], text[p + 1]
    )


def _stand_apart(cp: np.ndarray, at: np.ndarray) -> np.ndarray:
    """``_stands_apart`` for each position ``at`` of the text of code points ``cp``, over
    arrays: European text holds thousands of such pairs (``éf``, ``ét``)."""
    import numpy as np

    latin = np.asarray(_latin_letter_table())
    n = len(cp)
    digit_or_letter = [
        (neighbour >= 0x30) & (neighbour <= 0x39)  # a digit beside (``_glued``) ...
        | (latin.take(neighbour, mode="clip") & latin.take(cp[own], mode="clip"))  # ... or letters
        for neighbour, own in (
            (cp[np.maximum(at - 1, 0)], at),
            (cp[np.minimum(at + 2, n - 1)], at + 1),
        )
    ]
    glued_before = (at > 0) & digit_or_letter[0]
    glued_after = (at + 2 < n) & digit_or_letter[1]
    return ~glued_before & ~glued_after


@lru_cache(maxsize=1)
def _latin_letter_table() -> object:
    """Code point -> ``_is_latin_letter`` (past U+024F: no, the last entry)."""
    import numpy as np

    return np.array([_is_latin_letter(chr(c)) for c in range(0x251)], dtype=bool)


def _han_near(cp: object, at: object) -> object:
    """For each position ``at``, whether Han stands within ``_CONTEXT`` characters of it
    (``_near_han``) in the text of code points ``cp``. Most positions of Chinese text have
    Han right beside them: a glance at their neighbours settles those, and only the rest
    look further (``_han_in_window``)."""
    import numpy as np

    points: np.ndarray = np.asarray(cp)
    where: np.ndarray = np.asarray(at)
    if not len(points) or int(points.max()) < 0x3400:
        return np.zeros(len(where), dtype=bool)  # no Han anywhere (Western text)
    beside = np.clip(where[:, None] + np.arange(-_GLANCE, _GLANCE), 0, len(points) - 1)
    near: np.ndarray = _is_han_point(points[beside]).any(axis=1)
    rest = np.flatnonzero(~near)
    if len(rest):
        near[rest] = _han_in_window(points, where[rest])
    return near


_GLANCE = 4  # characters either side looked at first; well inside ``_CONTEXT``


def _is_han_point(points: np.ndarray) -> np.ndarray:
    """Whether each code point is Han (or a radical) as ``_HAN_NEAR`` reads it."""
    return (
        ((points >= 0x3400) & (points <= 0x9FFF))
        | ((points >= 0xF900) & (points <= 0xFAFF))
        | ((points >= 0x2E80) & (points <= 0x2FDF))
    )


def _han_in_window(points: np.ndarray, where: np.ndarray) -> np.ndarray:
    """``_han_near`` for every position by its whole window: a few positions look at their
    own windows; many, at every Han position of the text."""
    import numpy as np

    if len(where) * 2 * _CONTEXT < len(points):
        window = np.clip(where[:, None] + np.arange(-_CONTEXT, _CONTEXT), 0, len(points) - 1)
        return np.asarray(_is_han_point(points[window]).any(axis=1))
    han = np.flatnonzero(_is_han_point(points))
    near: np.ndarray = np.zeros(len(where), dtype=bool)
    if len(han):
        lo = np.maximum(where - _CONTEXT, 0)
        hi = np.minimum(where + _CONTEXT, len(points))
        first_han = np.searchsorted(han, lo)  # the first Han at or after ``lo``
        near = first_han < len(han)
        near[near] = han[first_han[near]] < hi[near]
    return near


# --- UTF-8 read as GBK or Big5 ---------------------------------------------------------


def _utf8_repairs(text: str, codec: str, covered: bytearray) -> list[Repair]:
    repairs: list[Repair] = []
    for p in _start_matches(text, codec):
        if covered[p] or not _utf8_start(text, p, codec):
            continue
        end, tail = _utf8_tail(text, p, codec, covered)
        if end <= p:
            continue
        start, head = _utf8_head(text, p, codec, covered)
        kind = f"utf-8 read as {codec}"
        repair = _judge(text, start, end, head + tail, kind, _MEAN_FLOOR_UTF8, strong=True)
        if repair is None and start < p:
            repair = _judge(text, p, end, tail, kind, _MEAN_FLOOR_UTF8, strong=True)
        if repair is not None:
            repairs.append(repair)
            covered[repair.start : repair.end] = b"\x01" * (repair.end - repair.start)
    return repairs


def _start_matches(text: str, codec: str) -> Iterator[int]:
    """The starts of ``_tables().start[codec].finditer(text)``, less some that
    ``_utf8_start`` would refuse.

    A long text is searched only where one numpy lookup over its code points finds a
    character a match must begin with, then one that may follow it: the regex, trying
    every character against its large first class, cost 6 ms per MB. Where every match is
    two characters (nothing invisible between), the matches are settled in numpy too, and
    those whose first four bytes cannot begin valid UTF-8 are dropped, as ``_utf8_start``
    would drop them (Traditional text holds thousands: 隊的, 鞏固)."""
    pattern = _tables().start[codec]
    if len(text) < _NUMPY_FROM:
        yield from (match.start() for match in pattern.finditer(text))
        return
    import numpy as np

    from ..chars.script import code_points

    lead, follow = (1, 4) if codec == "gb18030" else (2, 8)
    points = code_points(text)
    flags = _start_flags(text, points)
    # a first character, then one that may follow it (or an invisible one, looked at by
    # the regex); the text's last character starts no match
    at = np.flatnonzero((flags[:-1] & lead).astype(bool) & (flags[1:] & (follow | 48) > 0))
    if (flags[at + 1] & 16).any():  # something invisible after a first character
        end = 0
        for p in at.tolist():
            if p >= end and (match := pattern.match(text, p)) is not None:
                end = match.end()
                yield p
        return
    # Every match is two characters: in a row of starts, every other one is a match.
    new_row = np.ones(len(at), dtype=bool)
    new_row[1:] = at[1:] != at[:-1] + 1
    row_start = np.maximum.accumulate(np.where(new_row, np.arange(len(at)), 0))
    at = at[(np.arange(len(at)) - row_start) % 2 == 0]
    yield from at[~np.asarray(_not_utf8(points, at, flags, codec))].tolist()


_last_flags = threading.local()


def _start_flags(text: str, points: object) -> np.ndarray:
    """``_start_table`` over ``points`` (the code points of ``text``), kept for the next
    codec's scan of the same text."""
    import numpy as np

    last = getattr(_last_flags, "last", None)
    if last is not None and last[0] is text:
        return last[1]
    table: np.ndarray = np.asarray(_start_table())
    flags = table.take(np.asarray(points), mode="clip")
    _last_flags.last = (text, flags)
    return flags


def _not_utf8(points: object, at: object, flags: object, codec: str) -> object:
    """For each match start ``at`` (two characters), whether the ``codec`` bytes of its
    first characters are proven not to begin valid UTF-8, so that ``_utf8_window`` fails
    on them: the first four bytes, and six where the third character is known too.
    Unproven (a marker of a lost byte in the window, a character of other than two bytes,
    one the table does not know): False."""
    import numpy as np

    p: np.ndarray = np.asarray(at)
    pts: np.ndarray = np.asarray(points)
    fl: np.ndarray = np.asarray(flags)
    lead_byte, trail_byte = (np.asarray(t) for t in _encoded_bytes(codec))
    last = len(pts) - 1
    # a marker of a lost byte in the window makes ``_utf8_window`` true at once
    marker = (fl[np.minimum(p[:, None] + np.arange(1, 6), last)] & 32).any(axis=1)
    third = np.minimum(p + 2, last)
    c = [pts[p], pts[p + 1], pts[third]]
    data = [t.take(x, mode="clip").astype(np.int32) for x in c for t in (lead_byte, trail_byte)]
    known = (data[0] > 0) & (data[2] > 0) & ~marker
    # the third character counts only when it is the window's third (nothing skipped)
    six = (data[4] > 0) & (p + 2 <= last) & ~(fl[third] & 48).astype(bool)
    need = np.zeros(len(p), dtype=np.int32)
    low = np.full(len(p), 0x80, dtype=np.int32)
    high = np.full(len(p), 0xBF, dtype=np.int32)
    bad = np.zeros(len(p), dtype=bool)
    for i, b in enumerate(data):
        counted = six if i >= 4 else np.ones(len(p), dtype=bool)
        inside = need > 0
        bad |= counted & inside & ((b < low) | (b > high))
        starts = ~inside
        bad |= counted & starts & (((b >= 0x80) & (b < 0xC2)) | (b > 0xF4))
        width = np.where(b < 0x80, 0, np.where(b < 0xE0, 1, np.where(b < 0xF0, 2, 3)))
        need = np.where(inside, need - 1, width)
        low = np.where(starts & (b == 0xE0), 0xA0, np.where(starts & (b == 0xF0), 0x90, 0x80))
        high = np.where(starts & (b == 0xED), 0x9F, np.where(starts & (b == 0xF4), 0x8F, 0xBF))
    # Valid so far: the first character read is the one three bytes make, which must
    # open CJK text (asked of each distinct character once).
    three = ~bad & (data[0] >= 0xE0) & (data[0] <= 0xEF)
    first = (data[0] & 0x0F) << 12 | (data[1] & 0x3F) << 6 | (data[2] & 0x3F)
    distinct, index = np.unique(first[three], return_inverse=True)
    opens = np.array([_opens_utf8_text(chr(x)) for x in distinct.tolist()], dtype=bool)
    bad[three] = ~opens[index] if len(distinct) else bad[three]
    return known & bad


@lru_cache(maxsize=2)
def _encoded_bytes(codec: str) -> tuple[object, object]:
    """Code point -> first and second byte of its ``_encode`` (0: not two bytes), for the
    characters ``_start_table`` marks."""
    import numpy as np

    first = np.zeros(0x10001, dtype=np.uint16)
    second = np.zeros(0x10001, dtype=np.uint16)
    for code in np.flatnonzero(np.asarray(_start_table()) & 15).tolist():
        data = _encode(chr(code), codec)
        if data is not None and len(data) == 2:
            first[code], second[code] = data[0], data[1]
    return first, second


@lru_cache(maxsize=1)
def _start_table() -> object:
    """Code point -> bit 1 if a GB18030 UTF-8 start (``_tables``) may begin with it, bit 2
    if a Big5 one may, bit 4 (8) if it may come second in a GB18030 (Big5) one, bit 16 if
    it is invisible (the regex skips it), 32 if a marker of a lost byte; code points past the
    table clip to its last entry, 0 (none of these is past U+FFFF)."""
    import numpy as np

    table = np.zeros(0x10001, dtype=np.uint8)
    trails = [*range(0x40, 0x7F), *range(0xC2, 0xF5)]
    for bit, codec, leads, seconds in (
        (1, "gb18030", range(0xE0, 0xF5), range(0x80, 0xC0)),
        (2, "big5", range(0xE0, 0xF5), range(0xA1, 0xC0)),
        (4, "gb18030", range(0x81, 0xC0), trails),
        (8, "big5", range(0xA1, 0xC0), trails),
    ):
        table[[ord(c) for c in _chars_from(codec, leads, seconds)]] |= bit
    invisible = [*range(0x09), *range(0x0E, 0x20), *range(0x7F, 0xA0), 0x200B, 0x2060, 0xFEFF]
    table[invisible] |= 16
    table[[ord("?"), 0xFFFD]] |= 32
    return table


def _char_slots(text: str, i: int, codec: str, covered: bytearray) -> list[Slot] | None:
    """The bytes a ``codec`` decoder read to produce ``text[i]``: None unless a multi-byte
    character or a marker of a lost byte (none for an invisible character)."""
    c = text[i]
    if covered[i]:
        return None
    if c in _SKIPPED_WIDE_CHARS:
        return []
    if c in _MARKERS:
        after = text[i + 1 : i + 2]
        if not after:
            options = _lost_options(codec, 0x0A)  # the end: as if before a newline
        elif after in _MARKERS:
            options = _lost_options(codec, None)
        else:
            data = _encode(after, codec) if after >= "\x80" else after.encode("latin-1")
            options = _lost_options(codec, data[0]) if data else ()
        return [(i, options)] if options else None
    data = _encode(c, codec) if c >= "\x80" else None
    if data is None or len(data) < 2:
        return None
    return [(i, (b,)) for b in data]


def _cjk_slots(text: str, start: int, stop: int, codec: str, covered: bytearray) -> list[Slot]:
    """Slots of ``text[start:stop]``, up to the first character that has none."""
    slots: list[Slot] = []
    for i in range(start, stop):
        more = _char_slots(text, i, codec, covered)
        if more is None:
            break
        slots.extend(more)
    return slots


def _score_read(garbled: str) -> float:
    """``frequency.score_non_ascii`` of the characters a UTF-8 reading reads: a skipped one
    (``_SKIPPED_WIDE``; the unicode stage deletes it) is no part of the garbling, and
    scoring it as one made swallowing the next character pay (``鍙戝竷\ufeff使``)."""
    return frequency.score_non_ascii("".join(c for c in garbled if c not in _SKIPPED_WIDE_CHARS))


def _utf8_tail(text: str, p: int, codec: str, covered: bytearray) -> tuple[int, str]:
    """From ``p`` rightwards, the end whose UTF-8 reading gains the most, and the reading."""
    slots: list[Slot] = []
    k = p  # next character to turn into slots
    out: list[str] = []
    best_end, best_gain, best_len = p, 0.0, 0
    gain = original = 0.0
    scored = p
    i = 0
    while True:
        while k < len(text) and len(slots) < i + 4:
            more = _char_slots(text, k, codec, covered)
            if more is None:
                k = len(text)
                break
            slots.extend(more)
            k += 1
        if i >= len(slots):
            break
        nxt, c = _read(slots, i, "utf-8", text, out[-1] if out else text[p - 1 : p])
        if c is None:
            break
        out.append(c)
        if c >= "\x80":
            gain += frequency.log_prob(c)
        owner = slots[nxt - 1][0]
        if nxt == len(slots) or slots[nxt][0] != owner:  # a whole character ends here
            original += _score_read(text[scored : owner + 1])
            scored = owner + 1
            total = gain - original
            if total > best_gain:
                best_end, best_gain, best_len = owner + 1, total, len(out)
        i = nxt
    return best_end, "".join(out[:best_len])


def _utf8_head(text: str, p: int, codec: str, covered: bytearray) -> tuple[int, str]:
    """Left of ``p``, the start whose UTF-8 reading (ending exactly at ``p``) gains most."""
    best: tuple[int, str] = (p, "")
    best_gain = 0.0
    for q in range(p - 1, max(-1, p - 12), -1):
        slots = _cjk_slots(text, q, p, codec, covered)
        if len(slots) == 0 or slots[-1][0] != p - 1 or slots[0][0] != q:
            break
        out, i = [], 0
        while i < len(slots):
            i, c = _read(slots, i, "utf-8")
            if c is None:
                break
            out.append(c)
        else:
            head = "".join(out)
            gain = frequency.score_non_ascii(head) - _score_read(text[q:p])
            if gain > best_gain:
                best, best_gain = (q, head), gain
    return best


# --- UTF-8, GBK or Big5 read as Latin-1 or cp1252 ----------------------------------------


def _latin_runs(
    text: str, western: bool = False, starts: list[int] | None = None
) -> list[tuple[int, int]]:
    """Stretches of characters a single-byte decoder makes, around each telling pair.

    A lone accented letter inside a word (pinyin ``zhàn``, ``Müller``) starts none: read
    as GBK or Big5 it could only put a Han character inside a Latin word. A stretch with
    no pair that could begin an acceptable repair (``_pair_starts``) is no run either.
    """
    runs: list[tuple[int, int]] = []
    starts = _pair_starts(text, western) if starts is None else starts
    k = 0
    while k < len(starts):
        p = starts[k]
        floor = runs[-1][1] if runs else 0
        start = p
        while (
            start > floor
            and text[start - 1] not in _WIDENED_MARKS
            and _LATIN_RUN_CHAR.match(text, start - 1)
        ):
            start -= 1
        end = _run_rest().match(text, p + 1).end()
        if any(_telling(text, m.start()) for m in _LATIN_PAIR.finditer(text, start, end)):
            runs.append((start, end))
        # the starts (sorted) before ``end`` lie in this stretch: they would find the same
        # run, kept or not (the floor stays where it was when it is not)
        k = bisect_left(starts, end, k + 1)
    return runs


@lru_cache(maxsize=1)
def _run_rest() -> re.Pattern[str]:
    """Matches the rest of a run from a position (``_latin_runs``): run characters, up to
    a mark the width stage may widen."""
    from .mojibake_scan import run_rest

    return run_rest(_LATIN_RUN_CHAR, _WIDENED_MARKS)


def _readable(text: str, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``runs`` less those of marks only (``_inert_marks``), which hold no repair: so their
    context is never looked at either."""
    inert = _inert_marks()
    return [(s, e) for s, e in runs if not set(text[s:e]) <= inert]


def _telling(text: str, p: int) -> bool:
    """Whether the pair at ``p`` tells of a run: not a lone accented letter inside a word
    (``_inside_word``), nor a curled quote before ASCII or another quote (``“n``, ``“”``),
    which the width stage makes of straight ones: a run must be one before and after that
    stage."""
    if text[p] in _CURLED_QUOTES and _ascii_or_quote(text[p + 1]):
        return False
    return not _inside_word(text, p)


def _ascii_or_quote(c: str) -> bool:
    """ASCII, or a curled quote the width stage may have made of ASCII."""
    return c < "\x80" or c in _CURLED_QUOTES


_CURLED_QUOTES = frozenset("“”‘’")


def _inside_word(text: str, p: int) -> bool:
    """A lone accented letter between an ASCII letter and ASCII (``Müller``; ``oß”``, the
    quote made of ``"``); ``s¡C`` (Big5 for ``s。``) is not one."""
    return (
        bool(p)
        and text[p].isalpha()
        and text[p - 1].isascii()
        and text[p - 1].isalpha()
        and _ascii_or_quote(text[p + 1])
    )


def _latin_repairs(
    text: str,
    start: int,
    end: int,
    chinese: bool,
    depth: int = 0,
    skip_c1: bool = False,
    exclude: tuple[str, ...] = (),
    marks: bool = True,
) -> list[Repair]:
    """Repairs inside one run, from the codec whose reading explains it best.

    A run that is UTF-8 of accented letters or Western punctuation (``cafÃ©``, ``â€œ``)
    is ftfy's field. Otherwise the best reading gains the most, explains every high
    character of the run (a right reading leaves none behind), and follows the script of
    the text around it: the same bytes are often both a GBK word and a Big5 one (``´«``
    is 传 and 換). Where the run opens right after a CJK character with cp1252 marks that
    Chinese text writes itself (``…“”‘’—``), the run without them is read too, and wins
    when its repairs start right there and gain more: ``文件……`` before a garbled
    sentence is the clean text's own ellipsis, not GBK 厖.
    """
    k = _after_marks(text, start, end) if marks and not depth and not skip_c1 else start
    if start < k < end:
        found = _latin_repairs(text, start, end, chinese, exclude=exclude, marks=False)
        rest = _latin_repairs(text, k, end, chinese, exclude=exclude, marks=False)
        if not rest or rest[0].start != k:  # ``”U`` is GBK 擴 (94 55): a lead byte
            return found
        return rest if sum(r.gain for r in rest) > sum(r.gain for r in found) else found
    if not chinese and len(set(text[start:end])) < 2:
        # outside Chinese text one byte value over and over is no evidence (the rule of
        # ``_reads_as_chinese_words``; ``¤@¤U``, Big5 for 一下, is three values)
        return []
    if not chinese and _one_token_repeated(text, start, end):
        return []  # a cheap test that spares reading the run character by character
    if not chinese and (_accented_words(text, start, end) or _repeated_signs(text, start, end)):
        return []  # ``éléments``, ``ÅÅÅÅ-MM-DD``: no reading can pass (see there)
    if set(text[start:end]) <= _inert_marks():
        return []  # ``——`` and ``”——``: no reading of them can pass ``_judge``
    slots: list[Slot] = []
    for i in range(start, end):
        if text[i] in _INVISIBLE_CHARS or (skip_c1 and "\x80" <= text[i] < "\xa0"):
            continue
        options = _single_byte(text[i])
        slots.append((i, options if options is not None else (0,)))
    found = _read_run(text, start, end, slots, chinese, depth, exclude)
    if not found and not skip_c1 and _C1.search(text, start, end) and not _c1_in_utf8(slots):
        # C1 controls that no reading uses are junk the unicode stage deletes; read the
        # run as it will be then, or deleting them would join new mojibake
        return _latin_repairs(text, start, end, chinese, depth, skip_c1=True, exclude=exclude)
    return found


_CJK_TYPOGRAPHY = frozenset("…“”‘’—")  # in cp1252, and in Chinese text as itself


def _after_marks(text: str, start: int, end: int) -> int:
    """Where a run goes on past the ``_CJK_TYPOGRAPHY`` that opens it after CJK text (or
    after an ASCII mark that the width stage may widen to CJK: ``布)“ß^`` is judged as the
    ``布）“ß^`` a second pass sees).

    Judged as the later stages leave the text: blanks between CJK text and the marks
    (``萬 “ß^``: the spacing stage may remove them; not after an ASCII mark, ``, “Æ`` is
    GBK 撈), characters the unicode stage removes among the marks (``…\ufeffß^``,
    ``月\xad“ß^``) and radicals it makes Han (``⺠”ß^``) do not change where the run goes on.
    """
    before = start
    while before and text[before - 1] in _BLANKS:
        before -= 1
    k = start
    after_cjk = before and _is_cjk_like(text[before - 1])  # past blanks: CJK text only
    if after_cjk or (start and text[start - 1] in _WIDENED_MARKS):
        while k < end and (text[k] in _CJK_TYPOGRAPHY or text[k] in _INVISIBLE_CHARS):
            k += 1
    return k


#: What may stand between CJK text and the marks that open a run, and be gone later.
_BLANKS = frozenset(" \t\u3000") | _INVISIBLE_CHARS


def _is_cjk_like(c: str) -> bool:
    """CJK, or a radical (U+2E80-U+2FDF) the unicode stage may turn into Han."""
    return _is_cjk(c) or "\u2e80" <= c <= "\u2fdf"


_C1 = re.compile("[\x80-\x9f]")
#: Marks of Chinese text that cp1252 also holds, as runs of them stand in news (``——``,
#: ``”——``, ``……``): the ones ``_inert_marks`` proves no repair can come from.
_COMMON_MARKS = "“”—…·’‘–•"


@lru_cache(maxsize=1)
def _inert_marks() -> frozenset[str]:
    """Marks whose runs no reading can repair, so their runs are skipped unread (news
    writes hundreds of ``——``; reading each cost 70 µs).

    Why none can: each is one byte of 80-BF, a UTF-8 continuation that starts no UTF-8
    character nor a GB18030 four-byte one (its second byte would be 30-39), so a reading
    is a run of two-byte GBK or Big5 characters, each made of two of these marks. A mark
    joins the set only if every character it makes with a member (either way round) gains
    less than ``_MEAN_GAIN`` over the mean of its two marks: then any repair of such a run
    fails ``_judge``'s mean-gain test, whose gain is the mean of these terms. The set is
    built from the live frequency table, a mark at a time in order of frequency; a test
    checks the full path agrees.
    """
    inert: list[str] = []
    for mark in _COMMON_MARKS:
        byte = _single_byte(mark)
        if byte is None or len(byte) != 1 or not 0x80 <= byte[0] < 0xC0:
            continue
        trial = [*inert, mark]
        if all(_mean_gain_below(a, b) for a in trial for b in trial):
            inert.append(mark)
    return frozenset(inert)


def _mean_gain_below(a: str, b: str) -> bool:
    """Whether the character the bytes of ``a`` then ``b`` make (GBK or Big5), if any,
    gains less than ``_MEAN_GAIN`` per character over the two marks."""
    data = bytes((*(_single_byte(a) or ()), *(_single_byte(b) or ())))
    marks = (frequency.log_prob(a) + frequency.log_prob(b)) / 2
    for codec in ("gb18030", "big5"):
        c = _one_character(data, codec)
        if c is not None and frequency.log_prob(c) - marks >= _MEAN_GAIN - 1e-6:
            return False
    return True


_TOKEN_MAX = 8  # characters
_TOKEN_REPEATS = 4


def _one_token_repeated(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is one token of up to ``_TOKEN_MAX`` characters said
    ``_TOKEN_REPEATS`` times or more (``¬´¬´¬´¬´``, ``ÄÖÜäöüßÄÖÜäöüß…``). Read as Chinese it
    would be one word over and over, which is no text: a word said twice or thrice is
    (``¹þ¹þ¹þ``, 哈哈哈; see ``_reads_as_chinese_words``), four times is not."""
    run = text[start:end]
    return any(
        len(run) >= _TOKEN_REPEATS * p and run[p:] == run[:-p] for p in range(1, _TOKEN_MAX + 1)
    )


#: Latin-1 letters of European words (``_EUROPEAN``; ª and º split ``_LETTERS``' words).
_ACCENTED = "".join(c for c in sorted(_EUROPEAN) if c.isalpha() and c not in "ªº")
#: ASCII that no two-byte character takes as its second byte (below 0x40), and no digit
#: (GB18030's four-byte characters take those).
_NO_TRAIL = re.escape("".join(chr(c) for c in range(0x21, 0x40) if not chr(c).isdigit()))
_ACCENTED_WORDS = re.compile(
    f"[A-Za-z{_NO_TRAIL}]*(?:[{_ACCENTED}][A-Za-z{_NO_TRAIL}]+)*[{_ACCENTED}]?"
)
_WORD_LETTERS = re.compile("[A-Za-z" + _ACCENTED + "]+")


def _accented_words(text: str, start: int, end: int) -> bool:
    """Whether the run is words with accented letters, each followed by an ASCII letter,
    a mark or the run's end (``éléments``, ``L'élément``, ``ég``), its words cased as
    words are: outside Chinese text no reading of it can be kept, so it need not be read.

    Why: no UTF-8 character starts there (a lead takes a byte of 80-BF next), and every
    GBK or Big5 character read is an accented letter and the ASCII letter after it. Two
    or more in a row swallow those letters, cased as a word, which ``_reads_as_chinese_words``
    refuses outside Chinese text; one alone is a letter pair cased as words are, which
    ``_lone_character`` refuses. (A test compares with the full reading.)
    """
    if not _ACCENTED_WORDS.fullmatch(text, start, end):
        return False
    return all(
        w.islower() or w.isupper() or w.istitle() for w in _WORD_LETTERS.findall(text, start, end)
    )


_REPEATED_SIGNS = re.compile(
    f"(?:[\\x21-\\x7e]|(?P<sign>[\\xa0-\\xff])(?P=sign)*(?=[{_NO_TRAIL}]|\\Z))*"
)


def _repeated_signs(text: str, start: int, end: int) -> bool:
    """Whether the run's Latin-1 characters stand in blocks of one character repeated,
    each followed by a mark or the run's end (``ÅÅÅÅ-MM-DD``, ``ØØ.``): outside Chinese
    text no reading of it can be kept, so it need not be read.

    Why: no UTF-8 character starts there (a lead and a continuation byte are two
    values), and every GBK or Big5 character read is two bytes of one block, one value
    over and over, which ``_reads_as_chinese_words`` and ``_lone_character`` refuse.
    """
    return _REPEATED_SIGNS.fullmatch(text, start, end) is not None


def _c1_in_utf8(slots: list[Slot]) -> bool:
    """Whether some C1 control of the run is a byte of valid multi-byte UTF-8."""
    i = 0
    while i < len(slots):
        nxt, c = _read(slots, i, "utf-8")
        if c is not None and nxt - i > 1 and any(0x80 <= s[1][0] < 0xA0 for s in slots[i:nxt]):
            return True
        i = nxt
    return False


def _read_run(
    text: str,
    start: int,
    end: int,
    slots: list[Slot],
    chinese: bool,
    depth: int,
    exclude: tuple[str, ...] = (),
) -> list[Repair]:
    """The repairs of the best reading of a run's bytes (``slots``)."""
    if _western_utf8(slots):
        return _latin_islands(text, start, slots, "utf-8", chinese) or _western(text, start, end)
    readings: dict[str, list[Repair]] = {}
    for codec in ("utf-8", "gb18030", "big5"):
        found = _latin_islands(text, start, slots, codec, chinese)
        if found:
            readings[codec] = found
    for codec in exclude:
        readings.pop(codec, None)
    if len(readings) < 2:
        found = next(iter(readings.values()), [])
        chosen = next(iter(readings), "")
        return found + _rest_of_run(text, start, end, found, chinese, depth, chosen)
    simplified, traditional = frequency.script_votes(text[max(0, start - 500) : end + 500])
    script = "big5" if traditional > simplified else "gb18030"
    best: list[Repair] = []
    best_codec = ""
    best_value = 0.0
    for codec, found in readings.items():
        explained = sum(r.end - r.start for r in found)
        left = sum(1 for c in text[start:end] if c >= "\x80") - explained
        value = sum(r.gain + _pairs_bonus(text, r) for r in found) - _UNEXPLAINED * max(0, left)
        if codec != "utf-8" and codec != script:
            value -= _PRIOR * len(found)
        value -= _PRIOR * _mixed_scripts(found)
        if value > best_value:
            best, best_codec, best_value = found, codec, value
    return best + _rest_of_run(text, start, end, best, chinese, depth, best_codec)


def _mixed_scripts(found: list[Repair]) -> int:
    """How many repairs of a reading mix Simplified-only and Traditional-only characters
    (``測种`` for GBK 代销): a wrong codec's reading, since text is written in one script."""
    mixed = 0
    for r in found:
        simplified, traditional = frequency.script_votes(r.replacement)
        mixed += bool(simplified and traditional)
    return mixed


def _one_codec(text: str, runs: list[tuple[int, int]], found: list[list[Repair]]) -> list[Repair]:
    """The repairs of every run, read with the one legacy codec most of the text was.

    A page is misread with one codec: where runs chose both GBK and Big5, a run whose
    reading went to the codec with fewer repaired characters is read again without it
    (``©U`` is GBK ︰ but Big5 垃 alone; ``°¦¿ß`` is Big5 隻貓 and GBK 唉窟), and keeps
    its first reading only when the other codec finds nothing there.
    """
    weight = {"gb18030": 0, "big5": 0}
    for run in found:
        for r in run:
            codec = r.kind.split(" ", 1)[0]
            if codec in weight:
                weight[codec] += len(r.replacement)
    if not all(weight.values()) or weight["gb18030"] == weight["big5"]:
        return [r for run in found for r in run]
    minority = min(weight, key=weight.__getitem__)
    majority = max(weight, key=weight.__getitem__)
    out: list[Repair] = []
    for (start, end), run in zip(runs, found):
        if any(r.kind.startswith(minority) for r in run):
            again = _latin_repairs(text, start, end, True, exclude=(minority,))
            run = again or [_in_codec(text, r, majority) for r in run]
        out.extend(run)
    return out


def _in_codec(text: str, repair: Repair, codec: str) -> Repair:
    """``repair``'s bytes read with ``codec`` instead, when that reads them as common
    characters: the judge has already found the span is mojibake, and the page's codec
    settles which (GBK ``©U`` is ︰, too little gain to stand alone)."""
    if repair.kind.startswith(codec) or not repair.kind.endswith("read as cp1252"):
        return repair
    data = bytearray()
    for c in text[repair.start : repair.end]:
        if c in _INVISIBLE_CHARS:
            continue
        options = _single_byte(c)
        if options is None or len(options) != 1:
            return repair
        data.append(options[0])
    try:
        reading = bytes(data).decode(codec)
    except UnicodeDecodeError:
        return repair
    high = [c for c in reading if c >= "\x80"]
    if (
        not high
        or not _text_like(reading)
        or any(frequency.log_prob(c) < _MEAN_FLOOR for c in high)
        or _han_between_letters(text, repair.start, repair.end, reading)
    ):
        return repair
    return Repair(repair.start, repair.end, reading, repair.gain, f"{codec} read as cp1252")


def _rest_of_run(
    text: str,
    start: int,
    end: int,
    found: list[Repair],
    chinese: bool,
    depth: int,
    chosen: str = "",
) -> list[Repair]:
    """The parts of a run the chosen reading left alone, read afresh: one run can hold
    two kinds (``â€œ·¢²¼``: Western quotes, then GBK), but not both GBK and Big5: bytes
    the GBK reading left alone (``¨D``, GBK for ―) are no Big5 character (求)."""
    if not found or depth:
        return []
    exclude = {"gb18030": ("big5",), "big5": ("gb18030",)}.get(chosen, ())
    more: list[Repair] = []
    bounds = [start, *(x for r in found for x in (r.start, r.end)), end]
    for lo, hi in zip(bounds[::2], bounds[1::2]):
        if _LATIN_PAIR.search(text, lo, hi):
            part = _latin_repairs(text, lo, hi, chinese, depth + 1, exclude=exclude)
            if not part and exclude:
                part = _read_as(text, chosen, _latin_repairs(text, lo, hi, chinese, depth + 1))
            more.extend(part)
    return more


def _read_as(text: str, codec: str, repairs: list[Repair]) -> list[Repair]:
    """The ``repairs`` another codec found in a part of a run, read with the run's ``codec``
    (``_in_codec``), where it reads them: the judge found the bytes are mojibake, the run
    says whose (``1520¨D15`` beside GBK is ―, not Big5 求)."""
    return [r for r in (_in_codec(text, r, codec) for r in repairs) if r.kind.startswith(codec)]


def _pairs_bonus(text: str, repair: Repair) -> float:
    """How much better the repair's characters go together (and with their neighbours)."""
    joined = (
        text[repair.start - 1 : repair.start]
        + repair.replacement
        + text[repair.end : repair.end + 1]
    )
    return sum(frequency.pair_bonus(a, b) for a, b in pairwise(joined))


def _western_utf8(slots: list[Slot]) -> bool:
    """Whether the run is UTF-8 of Western text (``cafÃ©`` for café, ``â€œ`` for “).

    Such a run reads as valid multi-byte UTF-8 nearly everywhere, as letters of one
    alphabet or as Western punctuation, and its letters sit in words: next to ASCII
    letters (``cafÃ©``) or three and more together (``Ð¿Ñ€Ð¸``, привет). A GBK or Big5
    run reads so only here and there, by chance: as a jumble of scripts (``Ô¼Û±`` would
    be ``Լ۱``) or as one or two letters standing alone (``Ò»Ð©``, 一些, would be ``һЩ``).
    """
    high = explained = 0
    scripts: set[str] = set()
    letters: list[str] = []
    attached = False
    previous: str | None = None  # the character read before, to see letters attach
    i = 0
    while i < len(slots):
        nxt, c = _read(slots, i, "utf-8")
        if c is not None and nxt - i > 1:
            explained += nxt - i
            scripts.add(_western_script(c))
            if c.isalpha():
                letters.append(c)
                # è stands alone in Italian (c'è, è): Latin-1 letters need no neighbour
                attached = (
                    attached
                    or "\xc0" <= c <= "\xff"
                    or bool(previous and previous.isascii() and previous.isalpha())
                )
        elif c is not None and c.isascii() and c.isalpha() and previous and previous.isalpha():
            attached = attached or not previous.isascii()
        high += sum(1 for slot in slots[i:nxt] if slot[1][0] >= 0x80)
        previous = c
        i = nxt
    scripts.discard("punctuation")
    if not explained or explained < 0.8 * high or len(scripts) > 1 or "other" in scripts:
        return False
    return not letters or attached or len(letters) >= 3


def _western_script(c: str) -> str:
    code = ord(c)
    if code < 0x250:
        return "latin"
    if 0x370 <= code < 0x400:
        return "greek"
    if 0x400 <= code < 0x530:
        return "cyrillic"
    if 0x2000 <= code < 0x2070 or c in "€™":
        return "punctuation"
    return "other"


def _latin_islands(
    text: str, start: int, slots: list[Slot], codec: str, chinese: bool
) -> list[Repair]:
    """Stretches of multi-byte characters in one codec's reading of a run, judged."""
    found = []
    island: list[tuple[int, int, str]] = []  # (first slot, end slot, character)
    i = 0
    while i <= len(slots):
        prev = island[-1][2] if island else ""
        nxt, c = _read(slots, i, codec, text, prev) if i < len(slots) else (i + 1, None)
        if c is not None and nxt - i > 1:
            island.append((i, nxt, c))
        elif island:
            a, b = slots[island[0][0]][0], slots[island[-1][1] - 1][0] + 1
            utf8 = codec == "utf-8" and all(u[1] - u[0] >= 3 for u in island)
            floor = _MEAN_FLOOR_UTF8 if utf8 else _MEAN_FLOOR
            strong = (
                utf8
                or len(island) >= 3
                or (b - a >= 4 and all(c >= "\x80" or c in _INVISIBLE_CHARS for c in text[a:b]))
            )
            kind = f"{codec} read as cp1252"
            repaired = "".join(u[2] for u in island)
            # three-byte UTF-8 made of Latin-1 characters is no one's text, even where
            # cp1252 punctuation (”, ‰) inside it looks common
            mean_gain = 0.0 if utf8 else _MEAN_GAIN
            repair = _judge(
                text,
                a,
                b,
                repaired,
                kind,
                floor,
                strong=strong,
                chinese=chinese,
                mean_gain=mean_gain,
                private=utf8,
                western=not chinese,
            )
            if repair is None and codec != "utf-8":
                repair = _lone_repair(text, a, b, repaired, codec, chinese)
            if repair is not None and not _breaks_ascii(text, repair):
                found.append(repair)
            island = []
        i = nxt
    return found


def _western(text: str, start: int, end: int) -> list[Repair]:
    """Western mojibake (``â€œ``) in a run, fixed by ftfy or not at all."""
    run = text[start:end]
    if not _WESTERN.search(run):
        return []
    import ftfy

    fixed = ftfy.fix_encoding(run)
    if fixed == run or any(is_han(c) for c in fixed):
        return []
    return [Repair(start, end, fixed, 0.0, "ftfy")]


# --- GBK read one byte off ------------------------------------------------------------

_FOLD = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}  # ASCII back to fullwidth
_SHIFT_MIN_LOG_PROB = -12.0
_SHIFT_PUNCT = frozenset("“”‘’—…·")
_CJK_PUNCT = _SHIFT_PUNCT


def _shift_repairs(text: str, covered: bytearray) -> list[Repair]:
    """GBK read one byte late after a lost byte, back in step at an ASCII trail byte.

    Read a byte off, every pair straddles two characters: ``“突出重點`` (A1B0 CDBB B3F6
    D6D8 FC63) becomes ``!巴怀鲋攸c`` (A3A1 B0CD BBB3 F6D6 D8FC, 63): the reading falls
    back in step where the last true character's trail byte is ASCII. So each ASCII
    character right after a non-ASCII one may end such a span. Walking left from it,
    the span is re-read one byte earlier, pair by pair; its first byte is the trail of a
    character whose lead was lost (often left as ``?``) and gets the likeliest lead.
    ASCII punctuation inside such a span can only have been fullwidth (a later pass
    folded ``！`` to ``!``), so it is read as fullwidth. The walk stops at the first pair
    that reads as a rare character, which on clean text is almost always the first.
    """
    repairs: list[Repair] = []
    for e in _shift_ends(text):
        if covered[e] or covered[e - 1]:
            continue
        repair = _best_shift(text, e, covered)
        if repair is not None:
            repairs.append(repair)
            covered[repair.start : repair.end] = b"\x01" * (repair.end - repair.start)
    return repairs


def _best_shift(text: str, e: int, covered: bytearray) -> Repair | None:
    following = ord(text[e])  # the trail byte the last true character lost to ASCII
    body: list[str] = []  # repaired characters, right to left
    body_score = 0.0
    folded = False
    orphan = 0  # the first byte of the leftmost character: a trail whose lead was lost
    best: Repair | None = None
    for s in range(e - 1, max(-1, e - _SHIFT_LOOKBACK), -1):
        c = text[s]
        if covered[s]:
            break
        if c in _MARKERS:
            if body:  # the marker is the lost lead byte: it goes with the repair
                best = _better(best, _shift_candidate(text, s, e, body, body_score, orphan))
            break
        if c < "\x80":
            if c not in _FOLD or c.isalnum():
                break
            c, folded = _FOLD[c], True
        data = _encode(c, "gb18030")
        if data is None or len(data) != 2:
            break
        try:
            pair = bytes((data[1], following)).decode("gb18030")
        except UnicodeDecodeError:
            break
        if len(pair) != 1:
            break
        value = frequency.log_prob(pair)
        if value < _SHIFT_MIN_LOG_PROB or not (_is_cjk(pair) or pair in _SHIFT_PUNCT):
            break
        body.append(pair)
        body_score += value
        following = orphan = data[0]
        if not folded:
            best = _better(best, _shift_candidate(text, s, e, body, body_score, orphan))
    return best


def _better(a: Repair | None, b: Repair | None) -> Repair | None:
    if a is None or (b is not None and b.gain > a.gain):
        return b
    return a


def _shift_candidate(
    text: str, start: int, e: int, body: list[str], body_score: float, trail: int
) -> Repair | None:
    """``text[start:e+1]`` re-read a byte earlier, led by the likeliest lost character."""
    head = _likeliest_with_trail(trail)
    if head is None:
        return None
    repaired = head + "".join(reversed(body))
    gain = frequency.log_prob(head) + body_score - frequency.score(text[start : e + 1])
    if gain < max(_SHIFT_GAIN_MIN, _SHIFT_GAIN_PER_CHAR * len(repaired)):
        return None
    return Repair(start, e + 1, repaired, gain, "gbk read a byte off")


@lru_cache(maxsize=256)
def _likeliest_with_trail(trail: int) -> str | None:
    options = []
    for lead in range(0x81, 0xFF):
        try:
            c = bytes((lead, trail)).decode("gb18030")
        except UnicodeDecodeError:
            continue
        if len(c) == 1 and _text_like(c) and frequency.log_prob(c) >= _SHIFT_MIN_LOG_PROB:
            options.append(c)
    return max(options, key=frequency.log_prob) if options else None


# --- the stage ------------------------------------------------------------------------


def _suspicious(text: str, starts: list[int] | None = None) -> bool:
    """The fast check: one character class first, the pairs only where it hits. ``starts``
    found in the text as runs read it (``e\u0301x`` composed) are enough."""
    if starts:
        return True
    if _may_start(text):
        if _pair_starts(text, western=True) if starts is None else starts:
            return True
        if not _WIDE.search(text):  # the kinds below misread into characters from U+3000 up
            return False
        for codec in ("gb18030", "big5"):
            for match in _tables().start[codec].finditer(text):
                if _utf8_start(text, match.start(), codec):
                    return True
    elif not _WIDE.search(text):
        return False
    return bool(_shift_ends(text))


def _utf8_start(text: str, p: int, codec: str) -> bool:
    """Whether the ``codec`` bytes from ``p`` start like UTF-8 of CJK text.

    Traditional text is full of pairs that pass the character classes (``於今`` is EC B6
    BD F1); the bytes of the next few characters rarely stay valid UTF-8 for long.
    """
    return _utf8_window(text[p : p + 6], codec)


@lru_cache(maxsize=65536)
def _utf8_window(window: str, codec: str) -> bool:
    data = b""
    for c in window:
        if c in _MARKERS:
            return True
        if c in _SKIPPED_WIDE_CHARS:
            continue
        encoded = _encode(c, codec) if c >= "\x80" else None
        if encoded is None or len(encoded) < 2:
            break
        data += encoded
    try:
        head, _ = codecs.utf_8_decode(data, "strict", False)
    except UnicodeDecodeError as error:
        if error.start < min(len(data), 6):
            return False
        head = data[: error.start].decode("utf-8")
    return bool(head) and _opens_utf8_text(head[0])


def _opens_utf8_text(c: str) -> bool:
    """Whether UTF-8 of CJK text may begin with ``c`` (a CJK character or punctuation)."""
    return _is_cjk(c) or "\u2000" <= c <= "\u206f"


def find_repairs(text: str) -> list[Repair]:
    """Every repair the evidence supports, sorted and non-overlapping."""
    latin = _composed(_width_folded(text))  # what single-byte runs are read in
    starts = _pair_starts(latin, western=True) if _may_start(latin) else []
    if not _suspicious(text, starts):
        # settling (below) only takes characters out of runs, so it cannot make text
        # suspicious: clean and Western text (French sets NBSP) is not read twice
        return []
    repairs = _repairs_read_in(text, latin, starts)
    if not _changed_near(latin, starts):
        return repairs
    settled = _settled(latin, repairs)
    return repairs if settled == latin else _repairs_read_in(text, settled)


_NEAR = 8  # characters either side of a suspicious pair that may join its run


def _changed_near(latin: str, starts: list[int]) -> bool:
    """Whether a character the unicode stage changes stands within ``_NEAR`` of a pair that
    made the text suspicious: only then can settling it change a run's reading (Western
    text holds NBSP far from any such pair, and is not read twice)."""
    if len(starts) > _MANY_STARTS and len(latin) >= _NUMPY_FROM:
        return _changed_near_many(latin, starts)
    for start in starts:  # a few per text, where a whole-text scan would cost milliseconds
        lo = max(0, start - _NEAR)
        for m in _CHANGED_LATER.finditer(latin, lo, start + _NEAR + 1):
            if _changed_later(latin, m):
                return True
    return False


_MANY_STARTS = 64  # starts (sorted) beyond which the changed characters are found first


def _changed_near_many(latin: str, starts: list[int]) -> bool:
    """``_changed_near`` for a long text with many starts (``¡¡¡…``: every character is
    one): its changed characters are few and found over code points, then each asks for
    a start within ``_NEAR``."""
    import numpy as np

    from .mojibake_scan import near_any, positions

    for i in near_any(positions(np.asarray(_changed_later_table()), latin), starts, _NEAR):
        m = _CHANGED_LATER.match(latin, i)
        if m is not None and _changed_later(latin, m):
            return True
    return False


@lru_cache(maxsize=1)
def _changed_later_table() -> object:
    """Code point -> whether ``_CHANGED_LATER`` matches it (past U+FFFF: no, the last entry)."""
    import numpy as np

    table = np.zeros(0x10001, dtype=bool)
    table[[*range(0x80, 0xA1), 0xAD]] = True
    return table


def _changed_later(latin: str, m: re.Match[str]) -> bool:
    """Whether the unicode stage changes the character ``m`` found: a C1 control goes from
    any text; a no-break space and a soft hyphen change in Chinese only (a line with Han),
    so French NBSP and German soft hyphens stay and are read as they are."""
    if m[0] < "\xa0":
        return True
    i = m.start()
    return _HAN.search(latin, latin.rfind("\n", 0, i) + 1, _line_end(latin, i)) is not None


def _line_end(text: str, i: int) -> int:
    end = text.find("\n", i)
    return len(text) if end < 0 else end


#: What the unicode stage changes that a single-byte run may hold: a no-break space (a
#: space on Chinese lines), a soft hyphen and C1 controls (removed).
_CHANGED_LATER = re.compile("[\x80-\x9f\xa0\xad]")


def _settled(latin: str, repairs: list[Repair]) -> str:
    """``latin`` with the characters of ``_CHANGED_LATER`` that no repair takes up as the
    unicode stage leaves them (a space; a zero-width space, which runs skip, for one it
    removes), one for one. Left in, they join or split runs, and the second pass, reading
    the text without them, decides otherwise (``发\xa0ß^``, ``月\xad¬´``)."""
    covered = bytearray(len(latin))
    for r in repairs:
        covered[r.start : r.end] = b"\x01" * (r.end - r.start)

    def settle(m: re.Match[str]) -> str:
        if covered[m.start()] or not _changed_later(latin, m):
            return m[0]
        return " " if m[0] == "\xa0" else "\u200b"

    return _CHANGED_LATER.sub(settle, latin)


def _repairs_read_in(text: str, latin: str, starts: list[int] | None = None) -> list[Repair]:
    """``find_repairs`` with single-byte runs read in ``latin`` (``text`` one for one)."""
    if starts is None:
        starts = _pair_starts(latin, western=True) if _may_start(latin) else []
    if not _suspicious(text, starts):
        return []
    covered = bytearray(len(text))
    repairs: list[Repair] = []
    runs = _readable(latin, _latin_runs(latin, western=True, starts=starts))
    repairs = [
        r
        for start, end in runs
        for r in _latin_repairs(latin, start, end, _chinese_context(latin, start, end))
    ]
    if any(_HAN.search(r.replacement) for r in repairs):
        # the repairs show Chinese text: read every run again, as Chinese (but a Japanese
        # or Korean line keeps the caution of Western text)
        runs = _readable(latin, _latin_runs(latin))
        found = [_latin_repairs(latin, s, e, not _foreign_cjk_line(latin, s)) for s, e in runs]
        repairs = _one_codec(latin, runs, found)
    if not _has_wide(text):  # both kinds below misread into characters from U+3000 up
        return sorted(repairs, key=lambda r: r.start)
    for r in repairs:
        covered[r.start : r.end] = b"\x01" * (r.end - r.start)
    for codec in ("gb18030", "big5"):
        repairs.extend(_utf8_repairs(text, codec, covered))
    repairs.extend(_shift_repairs(text, covered))
    repairs.sort(key=lambda r: r.start)
    return repairs


_FULLWIDTH_ALNUM = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_FOLD_ALNUM = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF5B) if chr(c).isalnum()}


def _has_wide(text: str) -> bool:
    """``_WIDE.search(text)``; a long text by its code points (``mojibake_scan.has_wide``)."""
    if len(text) < _NUMPY_FROM:
        return _WIDE.search(text) is not None
    from .mojibake_scan import has_wide

    return has_wide(text)


def _width_folded(text: str) -> str:
    """``text`` with full-width letters and digits as the ASCII the width stage folds them
    to, one for one. No single-byte decoder makes them, so they are read as that ASCII
    around single-byte runs: a run must read the same before and after the fold, or a
    second pass would repair what the first left (``…Ａmß^``)."""
    if len(text) < _NUMPY_FROM:
        return text.translate(_FOLD_ALNUM) if _FULLWIDTH_ALNUM.search(text) else text
    # A long text is folded over its code points: news writes full-width digits in every
    # article, and ``str.translate`` reads a megabyte in ~50 ms, numpy in ~2 ms.
    # Full-width letters and digits are uncommon characters (``chars.points``): they are
    # found among those, and the folded text's code points handed on with its own.
    from ..chars.points import code_points, remember, uncommon

    where, cp = uncommon(text)
    fold = (
        ((cp >= 0xFF10) & (cp <= 0xFF19))
        | ((cp >= 0xFF21) & (cp <= 0xFF3A))
        | ((cp >= 0xFF41) & (cp <= 0xFF5A))
    )
    if not fold.any():
        return text
    folded = code_points(text).copy()
    folded[where[fold]] -= 0xFEE0
    latin = folded.tobytes().decode("utf-32-le", "surrogatepass")
    remember(latin, folded, (where[~fold], cp[~fold]))
    return latin


_COMBINING = re.compile("[\u0300-\u036f]")
_COMPOSABLE = re.compile("[\x21-\x7e\x80-\xff][\u0300-\u036f]+")


def _composed(text: str) -> str:
    """``text`` with a letter and the combining marks NFC joins to it (``e\u0301``) as the
    composed character the unicode stage makes, followed by zero-width spaces for the
    marks it took up: positions stay one for one, and runs skip the zero-width space. A
    run must read ``e\u0301x`` as the ``éx`` a second pass reads."""
    if len(text) < _NUMPY_FROM:
        if not _COMBINING.search(text):
            return text
    else:  # a megabyte's regex scan costs ~5 ms; combining marks are uncommon characters
        from ..chars.points import uncommon

        cp = uncommon(text)[1]
        if not ((cp >= 0x300) & (cp <= 0x36F)).any():
            return text
    return _COMPOSABLE.sub(_compose_one, text)


def _compose_one(m: re.Match[str]) -> str:
    joined = unicodedata.normalize("NFC", m[0])
    return joined + "\u200b" * (len(m[0]) - len(joined))


_SUSPECT_RUN = 3
_SUSPECT_LOG_PROB = -13.0


def suspect_spans(text: str, repairs: list[Repair]) -> list[tuple[int, int]]:
    """Runs of characters too rare for real text that no repair explained."""
    fixed = [False] * len(text)
    for r in repairs:
        fixed[r.start : r.end] = [True] * (r.end - r.start)
    spans = []
    run_start = -1
    for i in range(len(text) + 1):
        rare = (
            i < len(text)
            and not fixed[i]
            and text[i] >= "\x80"
            and frequency.log_prob(text[i]) < _SUSPECT_LOG_PROB
        )
        if rare and run_start < 0:
            run_start = i
        elif not rare and run_start >= 0:
            if i - run_start >= _SUSPECT_RUN:
                spans.append((run_start, i))
            run_start = -1
    return spans


__all__ = ["MojibakeStage", "Repair", "find_repairs", "suspect_spans"]
