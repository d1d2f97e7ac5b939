"""Bytes to text: encoding detection that is right on short Chinese text and whole files.

General detectors guess a language model per codec and need hundreds of bytes to be sure;
on eight characters of GB text charset-normalizer answers cp949 or johab. Chinese text
has a sharper test: every Big5 byte pair is also valid GB18030 and most GB pairs are
valid Big5, but only the right reading is made of common characters. Other scripts have
structural evidence that no statistics should override. So the order is:

1. a byte-order mark decides;
2. binary data (file signatures, NULs that are not UTF-16/32) is refused with
   ``NotTextError``, never returned as garbage;
3. escape encodings name themselves: HZ (``~{ ~}``) and ISO-2022-JP/KR/CN (ESC sequences;
   ISO-2022-CN's GB2312 part through a codec registered here, Python has none),
   when the whole input then decodes strictly;
4. NULs mean UTF-16/32 without a byte-order mark, the byte order read from where the
   NULs of ASCII characters fall;
5. text that is valid UTF-8 is UTF-8 (ASCII is reported as ``ascii``);
6. kana make a Shift_JIS/cp932/EUC-JP reading Japanese (from half the letters on);
7. every CJK codec that decodes the bytes strictly is a candidate (UTF-16 only when ASCII
   cannot explain the bytes: the "Bush hid the facts" guard), and the one whose text
   is most plausible under the character and pair frequencies of real Chinese wins, if
   it is plausible enough, and clearly so when a kana or hangul reading or a CJK charset
   declaration competes;
8. otherwise Japanese (kana), Korean (hangul with Korean's share of open syllables) or a
   declared CJK charset; then a declared single-byte charset, chardet 7, and
   charset-normalizer, in that order, never accepting a reading that turns the text Han;
9. bytes that no codec decodes whole get the reading with the fewest undecodable bytes,
   each replaced by U+FFFD and its offset kept, so a caller can warn where they are.

Inputs above ``SAMPLE_BYTES`` are judged on their head and confirmed by a strict decode of
the whole (GBK's fast codec stands in for GB18030 where they agree, which is everywhere
GBK is defined). The CLI's chunked reader uses the functions at the end of this module, so
a bad byte is counted and replaced alike in ``decode`` and in every chunk.
"""

from __future__ import annotations

import codecs
import math
import re
import threading
from dataclasses import dataclass

from .chars import frequency
from .chars.classes import is_han
from .errors import DecodeError, NotTextError

__all__ = [
    "Decoded",
    "continuation_codec",
    "decode",
    "decode_chunk",
    "detection_sample",
    "first_bad_offset",
    "replace_bad_bytes",
]


@dataclass(frozen=True)
class Decoded:
    """The text, the Python codec that produced it, and how sure and how clean that is.

    ``confidence`` is a probability that ``text`` is the text that was encoded: the share
    of right answers, on the tuning half of the real-file set, of the rule that decided
    (a byte-order mark, an escape sequence, NUL structure, valid UTF-8, kana, hangul, a
    charset declaration, the Chinese frequency contest times its posterior, or another
    detector), shrunk by ``k / (k + 0.5)`` for the ``k`` characters of evidence (non-ASCII
    characters; an eighth of the bytes for ASCII). So empty input is 0.0 and one
    character at most 0.67; benchmarks/results/decode.md has the reliability table on
    held-out files. ``replaced`` counts undecodable bytes, each now U+FFFD in ``text``;
    ``replaced_offsets`` holds their byte offsets. A forced ``encoding`` gives 1.0.
    """

    text: str
    encoding: str
    confidence: float
    replaced: int = 0
    replaced_offsets: tuple[int, ...] = ()

    def __str__(self) -> str:
        return self.text


#: Candidates for bytes that are not UTF-8, in the order that names a tie: when two
#: codecs give the same text, the first (the narrower, more common one) is reported.
CJK_CODECS = ("gb18030", "big5", "cp950", "big5hkscs", "utf-16-le", "utf-16-be")
_FAMILY = {"gb18030", "gbk", "gb2312", "big5", "cp950", "big5hkscs", "utf-16-le", "utf-16-be"}

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

#: File signatures of common binary formats (offset, magic, name).
_SIGNATURES = (
    (0, b"\x89PNG\r\n\x1a\n", "PNG image"),
    (0, b"GIF87a", "GIF image"),
    (0, b"GIF89a", "GIF image"),
    (0, b"\xff\xd8\xff", "JPEG image"),
    (0, b"%PDF-", "PDF document"),
    (0, b"PK\x03\x04", "ZIP archive"),
    (0, b"PK\x05\x06", "ZIP archive"),
    (0, b"\x1f\x8b", "gzip data"),
    (0, b"BZh", "bzip2 data"),
    (0, b"\xfd7zXZ\x00", "xz data"),
    (0, b"(\xb5/\xfd", "zstd data"),
    (0, b"7z\xbc\xaf\x27\x1c", "7z archive"),
    (0, b"Rar!\x1a\x07", "RAR archive"),
    (0, b"\x7fELF", "ELF executable"),
    (0, b"\xca\xfe\xba\xbe", "Java class or Mach-O"),
    (0, b"SQLite format 3\x00", "SQLite database"),
    (0, b"OggS", "Ogg media"),
    (0, b"ID3", "MP3 audio"),
    (0, b"fLaC", "FLAC audio"),
    (0, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE document (old Office)"),
    (4, b"ftyp", "MP4/QuickTime media"),
    (8, b"WEBP", "WebP image"),
    (8, b"WAVE", "WAV audio"),
)

#: Characters a text file does not contain: C0 controls other than whitespace, BS and
#: ESC, and the C1 block.
_CONTROLS = re.compile("[\x00-\x07\x0e-\x1a\x1c-\x1f\x7f-\x9f]")


#: How many characters of each reading are scored (enough to decide, cheap on big files).
_SCORE_CHARS = 1024

_local = threading.local()


def replace_bad_bytes(error: UnicodeError) -> tuple[str, int]:
    """The one error handler of every decode: each undecodable byte becomes one U+FFFD
    and its offset is kept (per thread), so ``b'\\xe4\\xb8a'`` is ``'\\ufffd\\ufffda'``
    whether it opens a file or sits in its hundredth chunk."""
    assert isinstance(error, UnicodeDecodeError)
    offsets: list[int] | None = getattr(_local, "offsets", None)
    if offsets is not None:
        offsets.extend(range(error.start, error.end))
    return "\ufffd" * (error.end - error.start), error.end


codecs.register_error("normtext.decode", replace_bad_bytes)


def _lenient(data: bytes, encoding: str) -> tuple[str, tuple[int, ...]]:
    """Decode, replacing each undecodable byte by U+FFFD and keeping its offset."""
    _local.offsets = []
    try:
        text = data.decode(encoding, errors="normtext.decode")
        return text, tuple(_local.offsets)
    finally:
        _local.offsets = None


def _strict(data: bytes, encoding: str) -> str | None:
    if encoding == "gb18030":  # GBK's codec is four times faster and gives the same text
        try:
            return data.decode("gbk")
        except UnicodeError:
            pass
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, UnicodeError):
        return None


def _binary_signature(data: bytes) -> str | None:
    for offset, magic, name in _SIGNATURES:
        if data[offset : offset + len(magic)] == magic:
            return name
    return None


def _refuse_binary(data: bytes) -> None:
    name = _binary_signature(data)
    if name is not None:
        raise NotTextError(f"these bytes are a {name}, not text")


def _control_count(text: str) -> int:
    return len(_CONTROLS.findall(text))


def _check_text(text: str, replaced: int, size: int) -> None:
    """Refuse a reading that is mostly undecodable bytes or control characters."""
    bad = replaced + _control_count(text)
    if bad > 2 and bad > 0.1 * max(len(text), 1):
        raise NotTextError(
            f"{bad} of {size} bytes are undecodable or control characters: binary data, not text"
        )


def _log_posteriors(scores: dict[str, float]) -> dict[str, float]:
    top = max(scores.values())
    norm = top + math.log(sum(math.exp(s - top) for s in scores.values()))
    return {name: s - norm for name, s in scores.items()}


def _chinese_mean(text: str) -> float:
    """Mean log-probability of the non-ASCII characters of (a bounded sample of) a reading."""
    sample = _letters(text)
    if not sample or _glued_to_latin(text):
        return -math.inf
    return frequency.score(sample) / len(sample)


def _chinese_bar(text: str) -> float:
    """The mean a reading must reach to be Chinese, lower for short text.

    Real snippets sit near -7, Korean read as GB near -10.6, Japanese read as GB below
    -13; one rare name weighs more in a short text, and the spread of the mean shrinks
    with length, so the bar rises towards -9.6 as the text grows.
    """
    n = len(_letters(text))
    return -9.6 - 4.0 / math.sqrt(max(n, 1))


#: When a kana or hangul reading is also on offer, a Chinese reading must be this plausible.
_STRICT_BAR = -8.3


def _looks_chinese(text: str) -> bool:
    """Whether a reading is made of characters common enough to be Chinese text."""
    return _chinese_mean(text) >= _chinese_bar(text)


_NON_ASCII = re.compile("[^\x00-\x7f]")
_ASCII = re.compile("[\x00-\x7f]+")


def _letters(text: str) -> str:
    """The first ``_SCORE_CHARS`` non-ASCII characters: what tells readings apart."""
    return _ASCII.sub("", text[:_LETTERS_WINDOW])[:_SCORE_CHARS]


#: How far into a text its first non-ASCII characters are looked for (a page's few
#: Chinese words may follow kilobytes of markup).
_LETTERS_WINDOW = 1 << 18


_GLUED = re.compile("[A-Za-z][^\x00-\x7f][A-Za-z]")


def _glued_to_latin(text: str) -> bool:
    """Whether most non-ASCII characters sit inside Latin words (``f點r``).

    That is how accented Western text reads in a double-byte codec: each accented letter
    swallows the next ASCII byte and stays between two Latin letters. Chinese text puts
    its characters next to spaces, punctuation and markup instead.
    """
    sample = text[:65536]
    glued = len(_GLUED.findall(sample))
    return glued > 0 and glued * 3 >= len(_NON_ASCII.findall(sample))


def _japanese(readings: dict[str, str | None]) -> tuple[Decoded, float] | None:
    """A Shift_JIS / cp932 / EUC-JP reading that kana prove Japanese.

    Kana are a fifth or more of any Japanese text and next to none of Chinese text; a
    Chinese or Korean text read as Shift_JIS turns into halfwidth katakana instead, which
    no modern Japanese text is made of. Returns the reading and its share of kana: from
    one half up it decides outright; below, a very plausible Chinese reading (a few kana
    inside Big5 or GB text) still wins.
    """
    for name, text in readings.items():
        if text is None or _control_count(text):
            continue
        sample = _letters(text)
        kana = sum(1 for c in sample if "\u3041" <= c <= "\u30ff")
        halfwidth = sum(1 for c in sample if "\uff61" <= c <= "\uff9f")
        if kana >= 2 and kana >= 0.2 * len(sample) and halfwidth <= 0.05 * len(sample):
            return Decoded(text, name, _calibrated(0.99, kana)), kana / len(sample)
    return None


def _korean(data: bytes) -> Decoded | None:
    """An EUC-KR / cp949 reading that its hangul prove Korean.

    GB text read as EUC-KR is hangul too (GB's common rows are KS X 1001's hangul rows),
    mixed with hanja from GB's rarer rows, and those syllables follow GB's code order, where most carry a final consonant; real
    Korean text is about half open syllables (이, 다, 가, 는 ...), so that share tells them
    apart without a Korean table.
    """
    for name in ("euc_kr", "cp949"):
        text = _strict(data, name)
        if text is None or _control_count(text):
            continue
        sample = _letters(text)
        hangul = [c for c in sample if "\uac00" <= c <= "\ud7a3"]
        if len(hangul) < 2:
            continue
        open_share = sum(1 for c in hangul if (ord(c) - 0xAC00) % 28 == 0) / len(hangul)
        mostly = len(hangul) >= 0.85 * len(sample) and open_share >= 0.3
        if mostly or (len(hangul) >= 30 and open_share >= 0.45):  # hangul with hanja
            return Decoded(text, name, _calibrated(0.98, len(hangul)))
    return None


_ESCAPES_JP = (b"\x1b$B", b"\x1b$@", b"\x1b(J", b"\x1b(I", b"\x1b$(D", b"\x1b$(O", b"\x1b$(Q")
_ISO2022_JP = ("iso2022_jp", "iso2022_jp_ext", "iso2022_jp_1", "iso2022_jp_2", "iso2022_jp_2004")


def _escaped(data: bytes) -> Decoded | None:
    """HZ and ISO-2022-JP/KR/CN, which name themselves by their escape sequences.

    These are 7-bit encodings: as bytes they are ASCII, so only the sequences that switch
    character sets tell them apart. A sequence is evidence only when the whole input then
    decodes strictly (and, for HZ, whose ``~{`` also occurs in code, when the text it
    yields is plausible Chinese).
    """
    if not data.isascii():
        return None
    if b"\x1b" in data:
        names: tuple[str, ...] = ()
        if b"\x1b$)C" in data:
            names = ("iso2022_kr",)
        elif _CN_DESIGNATE in data:
            names = ("iso2022_cn",)
        elif any(seq in data for seq in _ESCAPES_JP):
            names = _ISO2022_JP
        for name in names:
            text = _strict(data, name)
            if text is not None and "\x1b" not in text:
                return Decoded(text, name, _calibrated(0.999, len(_letters(text))))
    if b"~{" in data:
        text = _strict(data, "hz")
        if text is not None and not text.isascii() and _looks_chinese(text):
            return Decoded(text, "hz", _calibrated(0.99, len(_letters(text))))
    return None


def _utf16_possible(data: bytes) -> bool:
    """Whether NUL-free bytes can be UTF-16 at all: the "Bush hid the facts" guard.

    Pairs of printable ASCII bytes are valid UTF-16 code units in the CJK block, so an
    ASCII-heavy page in GB or Big5 reads as fluent-looking UTF-16 Chinese. Real UTF-16
    Chinese has such units too (U+4E20..U+7E7E), but four in a row are rare (about one
    position in 400), while ASCII text is made of long runs. So UTF-16 is heard only when
    little of the input lies in runs of eight or more printable ASCII bytes, or when it
    holds control bytes, which no legacy text explains.
    """
    if len(data) % 2:
        return False
    head = data[:4096]
    in_runs = sum(len(run) for run in _ASCII_RUN.findall(head))
    return in_runs < 0.3 * len(head) or _C0_BYTES.search(head) is not None


_ASCII_RUN = re.compile(rb"[\x20-\x7e\t\r\n]{8,}")
#: Control bytes no legacy text contains: where they occur, ASCII does not explain the bytes.
_C0_BYTES = re.compile(rb"[\x01-\x08\x0b\x0e-\x1a\x1c-\x1f]")


_CHARSET = re.compile(
    rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_:.\-]{2,30})""", re.IGNORECASE
)

#: Labels pages declare, mapped as browsers do (a Latin-1 label means windows-1252).
_LABEL_SUPERSETS = {
    "iso8859-1": ("cp1252", "iso8859-1"),
    "ascii": ("cp1252", "iso8859-1"),
    "iso8859-9": ("cp1254", "iso8859-9"),
    "tis-620": ("cp874",),
    "iso8859-11": ("cp874",),
}


def _declared(data: bytes) -> tuple[str, ...]:
    """The codecs a ``charset=`` or ``encoding=`` declaration in the head names."""
    m = _CHARSET.search(data[:2048])
    if m is None:
        return ()
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name
    except LookupError:
        return ()
    return _LABEL_SUPERSETS.get(name, (name,))


#: Declared CJK labels, each with the codecs to try (the declared one, then its superset).
_CJK_LABELS = {
    "shift_jis": ("shift_jis", "cp932"),
    "cp932": ("cp932",),
    "euc_jp": ("euc_jp",),
    "euc_kr": ("euc_kr", "cp949"),
    "cp949": ("cp949",),
    "gb2312": ("gb18030",),
    "gbk": ("gb18030",),
    "gb18030": ("gb18030",),
    "big5": ("big5", "cp950"),
    "cp950": ("cp950",),
    "big5hkscs": ("big5hkscs",),
}


def _declared_cjk(data: bytes) -> Decoded | None:
    """The reading a CJK charset declaration names, if it decodes the bytes cleanly.

    A declaration is the page author's word: it settles the pages whose few CJK words
    are too short for any statistics (``<meta charset=euc-kr>`` over two hangul words).
    It is heard after the evidence of the bytes themselves, and only when the named
    codec decodes everything without control characters or halfwidth katakana.
    """
    for label in _declared(data):
        for name in _CJK_LABELS.get(label, ()):
            text = _strict(data, name)
            if text is None or _control_count(text):
                continue
            sample = _letters(text)
            if not sample or any("\uff61" <= c <= "\uff9f" for c in sample):
                continue
            return Decoded(text, name, _calibrated(_DECLARED_PRIOR, len(sample)))
    return None


def _declaration_proven(declared: Decoded) -> bool:
    """Whether a declared Japanese or Korean reading proves itself: it holds kana (hangul).

    A page that says ``charset=euc-kr`` and whose bytes decode under it, cleanly, into
    hangul is Korean, however fluent a GB reading of its few short words would be: the
    author's word and the bytes agree, and no Chinese reading can claim both.
    """
    name = declared.encoding
    if name in ("euc_kr", "cp949"):
        return any("\uac00" <= c <= "\ud7a3" for c in declared.text)
    if name in ("shift_jis", "cp932", "euc_jp"):
        return any("\u3041" <= c <= "\u30fa" for c in declared.text)
    return False


def _kanji_readings(readings: dict[str, str | None]) -> dict[str, str]:
    """Japanese readings made of kanji only, to be scored with the Chinese readings.

    A Japanese page whose only non-ASCII words are kanji (``整数``, ``日本語``) has no kana
    to prove it, but its kanji are the characters Chinese text is made of, so they win
    the frequency contest against the GB and Big5 readings of the same bytes.
    """
    out = {}
    for name, text in readings.items():
        if text is None or _control_count(text):
            continue
        sample = _letters(text)
        if sample and all(
            is_han(c) or "\u3000" <= c <= "\u303f" or "\uff01" <= c <= "\uff5e" for c in sample
        ):
            out[name] = text
    return out


def _foreign_han(text: str) -> bool:
    """Whether a non-Chinese reading is mostly Han with no kana: the reading to refuse."""
    letters = [c for c in _letters(text) if c.isalpha()]
    han = sum(1 for c in letters if is_han(c))
    kana = sum(1 for c in letters if "\u3041" <= c <= "\u30ff" or "\uac00" <= c <= "\ud7a3")
    return han > 0.3 * max(1, len(letters)) and kana < 0.1 * max(1, len(letters))


def _other_language(data: bytes) -> Decoded | None:
    """The reading of a text that is neither Chinese, Japanese nor Korean.

    Measured on the tuning files (``benchmarks/files.py``), chardet 7 names Western,
    Cyrillic, Greek, Hebrew and Arabic single-byte codecs far more often than
    charset-normalizer, so it is asked first; a charset declaration in the head that
    decodes the bytes strictly beats both (``iso-8859-1`` read as windows-1252, as
    browsers do). A reading that would turn the text into Han characters is refused:
    Chinese was already ruled out.
    """
    for name in _declared(data):
        if name in _FAMILY or name.startswith(("utf", "hz", "iso2022")):
            break
        text = _strict(data, name)
        if text is not None and not _foreign_han(text) and not _control_count(text):
            return Decoded(text, name, _calibrated(_DECLARED_PRIOR, len(_letters(text))))
    for answer in (_chardet, _charset_normalizer):
        found = answer(data)
        if found is None:
            continue
        name = found
        text = _strict(data, name)
        if text is not None and not _foreign_han(text) and not _control_count(text):
            return Decoded(text, name, _calibrated(_DETECTOR_PRIOR, len(_letters(text))))
    return None


_DECLARED_PRIOR = 0.97
_DETECTOR_PRIOR = 0.85


def _chardet(data: bytes) -> str | None:
    try:
        import chardet
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    found = chardet.detect(data)["encoding"]
    return _python_name(found)


def _charset_normalizer(data: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return None if best is None else _python_name(best.encoding)


def _python_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


#: Share of Chinese-scored readings that are right on the tuning files, before length.
_CJK_PRIOR = 0.995


def _weight(text: str) -> int:
    return len(_letters(text))


def _calibrated(prior: float, evidence: int) -> float:
    """A probability of being right: the path's measured reliability, shrunk for little evidence.

    ``prior`` is how often the path that decided is right on the tuning files;
    ``evidence`` counts the characters that carried the decision (non-ASCII characters,
    or an eighth of the bytes for pure ASCII). With ``k`` of them the result is
    ``prior * k / (k + 0.5)``: one character gives at most 0.67, four 0.89, eight 0.94,
    a page 0.99 and more; nothing gives 0.
    """
    return prior * evidence / (evidence + 0.5)


def _probe(text: str) -> str:
    """What a reading is scored on: all of a short one; of a long one, its first non-ASCII
    characters and its control characters, so a page whose few Chinese words come after
    4 KB of markup is still judged on them."""
    if len(text) <= _SCORE_CHARS:
        return text
    return _letters(text) + "".join(_CONTROLS.findall(text[:_SCORE_CHARS]))


def _choose(readings: dict[str, str]) -> tuple[str, str, float]:
    """The most plausible of several readings: (codec, text, posterior).

    Character frequencies first; the pair table (ten times slower) only for a close call,
    where a collocation can still turn the verdict.
    """
    by_text: dict[str, str] = {}
    for name, text in readings.items():
        by_text.setdefault(text, name)  # same text from several codecs: keep the first name
    probes = {name: _probe(text) for text, name in by_text.items()}
    scores = {name: frequency.score(probe) for name, probe in probes.items()}
    ranked = sorted(scores.values(), reverse=True)
    if len(ranked) > 1 and ranked[0] - ranked[1] < _CLOSE_CALL:
        scores = {name: frequency.score_pairs(probe) for name, probe in probes.items()}
    posteriors = _log_posteriors(scores)
    name = max(posteriors, key=posteriors.__getitem__)
    return name, readings[name], math.exp(posteriors[name])


#: Nats between the two best unigram scores below which the pair table is consulted.
_CLOSE_CALL = 20.0


def _rival_of_utf8(data: bytes, text: str) -> Decoded | None:
    """A CJK reading of bytes that are valid UTF-8 only by accident, if there is one.

    Two cases, both only on evidence: UTF-16 of Chinese without a byte-order mark is often
    all bytes below 0x80, so it reads as ASCII full of control characters; and a few GB or
    Big5 characters inside ASCII can form valid two-byte UTF-8 (``台`` reads as a combining
    ogonek, ``装`` as a Hebrew ligature). Real UTF-8 text has neither control characters
    nor letters of two scripts inside one word, so a rival is heard only then.
    """
    if _control_count(text) or "\x0b" in text or "\x0c" in text:
        readings = {"utf-8": text}
        if len(data) % 2 == 0:
            for name in ("utf-16-le", "utf-16-be"):
                if (t := _strict(data, name)) is not None and _looks_chinese(t):
                    readings[name] = t
        name, best, confidence = _choose(readings)
        if name == "utf-8":
            return None
        return Decoded(best, name, _calibrated(confidence * _CJK_PRIOR, _weight(best)))
    if max(text) >= "\u0800" or _coherent(text):
        return None
    readings = {name: t for name in CJK_CODECS[:4] if (t := _strict(data, name)) is not None}
    readings = {name: t for name, t in readings.items() if _looks_chinese(t)}
    if not readings:
        return None
    name, best, confidence = _choose(readings)
    return Decoded(best, name, _calibrated(confidence * _CJK_PRIOR, _weight(best)))


def _coherent(text: str) -> bool:
    """Whether every word keeps to one script and every non-ASCII character is a letter.

    Holds for real Latin, Greek, Cyrillic, Hebrew or Arabic text; fails for the accidents
    of GB bytes read as UTF-8 (``Ŀ¼``, ``װpower``, a combining mark after ASCII).
    """
    for word in text.split():
        scripts = set()
        for c in word:
            if c < "\x80":
                if c.isalpha():
                    scripts.add("Latin")
                continue
            if not c.isalpha() and c not in _LATIN1_SIGNS:
                return False
            if c.isalpha():
                scripts.add(_script(c))
        if len(scripts) > 1:
            return False
    return True


_LATIN1_SIGNS = frozenset("\xa0¡¢£¤¥§©«®°±²³µ¶·¹»¿×÷")


def _script(c: str) -> str:
    code = ord(c)
    if code < 0x250:
        return "Latin"
    if 0x370 <= code < 0x400:
        return "Greek"
    if 0x400 <= code < 0x530:
        return "Cyrillic"
    if 0x590 <= code < 0x600:
        return "Hebrew"
    if 0x600 <= code < 0x700:
        return "Arabic"
    return f"other-{code >> 7}"


def _decode_forced(data: bytes, encoding: str) -> Decoded:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise DecodeError(f"unknown encoding {encoding!r}: use a Python codec name") from None
    try:
        text, offsets = _lenient(data, name)
    except (UnicodeError, TypeError, LookupError) as exc:  # a codec that is not for text
        raise DecodeError(f"cannot decode with {encoding!r}: {exc}") from None
    if name == "utf-8" and text.startswith("\ufeff"):
        text = text[1:]
    if not name.startswith(("utf-16", "utf-32")) and b"\x00" in data:
        _check_text(text, len(offsets), len(data))
    return Decoded(text, name, 1.0, len(offsets), offsets)


def _decode_nul(data: bytes) -> Decoded:
    """Bytes with NULs: UTF-16/32 without a byte-order mark, or binary.

    The NULs say the byte order: the ASCII characters of UTF-16-LE text put theirs at odd
    offsets, of UTF-16-BE at even ones. Each counts as evidence next to the frequency
    scores, so markup settles an Arabic or Russian page and a few ideographs with a zero
    byte (``一``) do not overturn a Chinese one.
    """
    readings = {}
    for name in ("utf-32-le", "utf-32-be", "utf-16-le", "utf-16-be"):
        text = _strict(data, name)
        if text is not None and _control_count(text) <= 0.02 * len(text):
            readings[name] = text
    if not readings:
        raise NotTextError(
            "these bytes contain NUL bytes and are not UTF-16 or UTF-32: binary data"
        )
    utf32 = [name for name in readings if name.startswith("utf-32")]
    if len(utf32) == 1:
        return Decoded(readings[utf32[0]], utf32[0], _calibrated(0.99, len(data) // 8))
    head = data[:65536]
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    utf16 = {name: text for name, text in readings.items() if name.startswith("utf-16")}
    if len(utf16) == 1:
        name, text = next(iter(utf16.items()))
        return Decoded(text, name, _calibrated(0.99, max(odd, even) // 4))
    # each NUL on the ASCII side of a byte order counts for it; the frequency scores
    # outweigh a few ideographs whose low byte is 0 (一 U+4E00, 最 U+6700)
    lean = {"utf-16-le": odd - even, "utf-16-be": even - odd}
    scores = {
        name: frequency.score(_probe(text)) + _NUL_WEIGHT * lean[name]
        for name, text in utf16.items()
    }
    posteriors = _log_posteriors(scores)
    name = max(posteriors, key=posteriors.__getitem__)
    evidence = max(abs(odd - even) // 4, _weight(utf16[name]))
    return Decoded(utf16[name], name, _calibrated(0.99 * math.exp(posteriors[name]), evidence))


#: Nats each NUL on one side of the byte pairs adds to that byte order's reading.
_NUL_WEIGHT = 3.0


def decode(data: bytes, *, encoding: str | None = None) -> Decoded:
    """Turn bytes into text, detecting the encoding unless ``encoding`` names it.

    A big input is judged on its first ``SAMPLE_BYTES`` (cut at a line break) and then
    decoded whole with the codec found; only if that strict decode fails is the whole
    input judged again, so the answer never depends on where the sample ends.

    Raises ``NotTextError`` for binary data and ``DecodeError`` for an unknown codec.
    """
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise TypeError(f"decode() takes bytes, not {type(data).__name__}")
    _refuse_binary(data)
    if encoding is not None:
        return _decode_forced(data, encoding)
    if not data:
        return Decoded("", "ascii", 0.0)
    for bom, name in _BOMS:
        if data.startswith(bom):
            text, offsets = _lenient(data, name)
            _check_text(text, len(offsets), len(data))
            return Decoded(text, name, _calibrated(0.999, len(data)), len(offsets), offsets)
    if len(data) > SAMPLE_BYTES:
        guess = _detect(_sample(data))
        if not guess.replaced:
            whole = _strict(data, _WIDER.get(guess.encoding, guess.encoding))
            if whole is not None:
                name = _WIDER.get(guess.encoding, guess.encoding) if not data.isascii() else "ascii"
                return Decoded(whole, name, guess.confidence)
    return _detect(data)


#: Bytes judged before a big input is decoded whole with the codec they point to.
SAMPLE_BYTES = 1 << 14
_WIDER = {"ascii": "utf-8", "gb2312": "gb18030", "gbk": "gb18030"}


def _sample(data: bytes) -> bytes:
    """The head of ``data``, cut after a line break (UTF-16/32: at a 4-byte boundary)."""
    head = data[:SAMPLE_BYTES]
    if b"\x00" in head[:4096]:
        return head[: len(head) - len(head) % 4]
    cut = head.rfind(b"\n")
    return head[: cut + 1] if cut > 0 else head


def _detect(data: bytes) -> Decoded:
    """The detection proper, for non-empty bytes without a byte-order mark."""
    escaped = _escaped(data)
    if escaped is not None:
        return escaped
    if b"\x00" in data:
        return _decode_nul(data)
    text = _strict(data, "utf-8")
    if text is not None:
        name = "ascii" if data.isascii() else "utf-8"
        rival = _rival_of_utf8(data, text)
        if rival is not None:
            return rival
        _check_text(text, 0, len(data))
        if name == "ascii":  # any ASCII-compatible codec is right; the doubt is UTF-16
            return Decoded(text, name, _calibrated(0.999, len(data) // 8))
        return Decoded(text, name, _calibrated(0.995, _weight(text)))

    japanese_readings = {name: _strict(data, name) for name in ("shift_jis", "cp932", "euc_jp")}
    japanese = _japanese(japanese_readings)
    if japanese is not None and japanese[1] >= 0.5:
        return japanese[0]
    nearly = _nearly_utf8(data)
    readings = {name: t for name in CJK_CODECS[:4] if (t := _strict(data, name)) is not None}
    if not readings or _utf16_possible(data):  # UTF-16 only when ASCII cannot explain it
        readings.update(
            {name: t for name in CJK_CODECS[4:] if (t := _strict(data, name)) is not None}
        )
    if nearly is not None and (
        not readings or _choose({"utf-8": nearly.text, **readings})[0] == "utf-8"
    ):
        return nearly
    korean = _korean(data)
    declared = _declared_cjk(data)
    if declared is not None and _declaration_proven(declared):
        return declared
    if japanese is None:
        readings.update(_kanji_readings(japanese_readings))
    best = ""
    if readings:
        name, best, confidence = _choose(readings)
        mean = _chinese_mean(best)
        contested = korean is not None or japanese is not None or declared is not None
        bar = _chinese_bar(best)
        if mean >= bar and (not contested or mean >= min(_STRICT_BAR, bar + 2.5)):
            _check_text(best, 0, len(data))
            return Decoded(best, name, _calibrated(confidence * _CJK_PRIOR, _weight(best)))
    if japanese is not None:
        return japanese[0]
    if korean is not None:
        return korean
    if declared is not None:
        return declared
    damaged = _decode_damaged(data) if not readings else None
    if damaged is not None and damaged.replaced <= max(1, len(data) // 50):  # noqa: SIM102
        if _looks_chinese(damaged.text):
            return damaged  # a few bad bytes in Chinese text: not a reason to ask elsewhere
    other = _other_language(data)
    if other is not None:
        return other
    if readings:
        _check_text(best, 0, len(data))
        return Decoded(best, name, _calibrated(0.3, _weight(best)))
    assert damaged is not None
    _check_text(damaged.text, damaged.replaced, len(data))
    return damaged


def _nearly_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few bad bytes, as a candidate reading, when its valid multi-byte
    sequences far outnumber them: without it an even-length UTF-8 text with one bad byte
    "decodes" as garbage UTF-16, the only codec that reads every byte.
    """
    rough = data.decode("utf-8", "replace")  # in C: most non-UTF-8 data stops here
    bad = rough.count("\ufffd")
    multibyte = len(_ASCII.sub("", rough)) - bad
    if not bad or multibyte < 4 * bad:
        return None
    text, offsets = _lenient(data, "utf-8")
    if not offsets or multibyte < 4 * len(offsets):
        return None
    _check_text(text, len(offsets), len(data))
    confidence = 1.0 - len(offsets) / (multibyte + len(offsets))
    return Decoded(text, "utf-8", _calibrated(confidence, multibyte), len(offsets), offsets)


def _decode_damaged(data: bytes) -> Decoded:
    """No codec reads every byte: the reading with the fewest undecodable bytes wins."""
    lenient = {name: _lenient(data, name) for name in ("utf-8", *CJK_CODECS[:4])}
    fewest = min(len(offsets) for _, offsets in lenient.values())
    readings = {name: text for name, (text, offsets) in lenient.items() if len(offsets) == fewest}
    name, text, confidence = _choose(readings)
    offsets = lenient[name][1]
    share = 1.0 - len(offsets) / max(1, len(data))
    return Decoded(
        text, name, _calibrated(confidence * share, _weight(text)), len(offsets), offsets
    )


# ---------------------------------------------------------------- ISO-2022-CN
# Python has codecs for HZ and ISO-2022-JP/KR but none for ISO-2022-CN (RFC 1922), the
# 7-bit form of GB2312 in old Chinese mail. This is its GB2312 part: ``ESC $ ) A``
# designates GB2312, SO shifts into it (each character two bytes 0x21-0x7E, GB2312 with
# the high bits cleared), SI shifts back to ASCII; designation and shift end with the
# line. CNS 11643 (``ESC $ ) G``, ``ESC $ * H``) has no Python codec and is refused.

_CN_DESIGNATE = b"\x1b$)A"
_SO, _SI = 0x0E, 0x0F


def _iso2022_cn_decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
    data = bytes(data)
    out: list[str] = []
    i, designated, shifted = 0, False, False
    while i < len(data):
        b = data[i]
        problem = None
        if data.startswith(_CN_DESIGNATE, i):
            designated = True
            i += len(_CN_DESIGNATE)
            continue
        if b == 0x1B:
            problem = (i, i + 1, "escape sequence other than ESC $ ) A (GB2312)")
        elif b == _SO:
            if designated:
                shifted = True
                i += 1
                continue
            problem = (i, i + 1, "SO before ESC $ ) A")
        elif b == _SI:
            shifted = False
            i += 1
            continue
        elif b in (0x0A, 0x0D):
            designated = shifted = False
            out.append(chr(b))
            i += 1
            continue
        elif b >= 0x80:
            problem = (i, i + 1, "byte above 0x7F in a 7-bit encoding")
        elif shifted:
            pair = data[i : i + 2]
            if len(pair) == 2 and 0x21 <= pair[0] <= 0x7E and 0x21 <= pair[1] <= 0x7E:
                try:
                    out.append(bytes((pair[0] | 0x80, pair[1] | 0x80)).decode("gb2312"))
                    i += 2
                    continue
                except UnicodeDecodeError:
                    pass
            problem = (i, min(i + 2, len(data)), "not a GB2312 character")
        else:
            out.append(chr(b))
            i += 1
            continue
        start, end, reason = problem
        exc = UnicodeDecodeError("iso2022_cn", data, start, end, reason)
        if errors == "strict":
            raise exc
        replacement, i = codecs.lookup_error(errors)(exc)
        out.append(str(replacement))
    return "".join(out), len(data)


def _iso2022_cn_encode(text: str, errors: str = "strict") -> tuple[bytes, int]:
    out = bytearray()
    for line in text.splitlines(keepends=True):
        designated = shifted = False
        for index, c in enumerate(line):
            if c < "\x80":
                if shifted:
                    out.append(_SI)
                    shifted = False
                out += c.encode("ascii")
                continue
            try:
                code = c.encode("gb2312")
            except UnicodeEncodeError:
                if errors != "strict":
                    out += b"?"
                    continue
                raise UnicodeEncodeError(
                    "iso2022_cn", text, index, index + 1, "not in GB2312"
                ) from None
            if not designated:
                out += _CN_DESIGNATE
                designated = True
            if not shifted:
                out.append(_SO)
                shifted = True
            out += bytes((code[0] & 0x7F, code[1] & 0x7F))
        if shifted:
            out.append(_SI)
    return bytes(out), len(text)


def _search(name: str) -> codecs.CodecInfo | None:
    if name.replace("-", "_") in ("iso2022_cn", "iso_2022_cn", "csiso2022cn"):
        return codecs.CodecInfo(
            _iso2022_cn_encode,
            _iso2022_cn_decode,  # type: ignore[arg-type]
            name="iso2022_cn",
        )
    return None


codecs.register(_search)


# ---------------------------------------------------------------- the chunked path
# The CLI decodes big inputs in line-aligned chunks: the first block is detected with
# ``decode``, the rest decoded with the codec found. These are the pieces it uses, here so
# that a bad byte is counted and replaced the same way in every chunk as in ``decode``.


def detection_sample(head: bytes) -> bytes:
    """``head`` cut after its last line break (UTF-16/32: at a 4-byte boundary)."""
    if b"\x00" in head[:4096] or head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head[: len(head) - len(head) % 4]
    cut = head.rfind(b"\n")
    if cut > 0:
        return head[: cut + 1]
    # one enormous line: at least do not end inside a UTF-8 sequence
    end = len(head)
    while end > 0 and len(head) - end < 4 and 0x80 <= head[end - 1] < 0xC0:
        end -= 1
    if end and head[end - 1] >= 0xC0:
        end -= 1
    return head[:end]


def continuation_codec(encoding: str, head: bytes) -> str:
    """The codec that decodes the chunks after the first (no BOM, no narrower subset)."""
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise DecodeError(
            f"unknown encoding {encoding!r}; pass --encoding with a Python codec"
        ) from None
    if name in ("utf-16", "utf-32"):
        bits = name[4:]
        big = head.startswith(codecs.BOM_UTF16_BE if bits == "16" else codecs.BOM_UTF32_BE)
        return f"utf-{bits}-{'be' if big else 'le'}"
    if name == "utf-8-sig":
        return "utf-8"
    return _WIDER.get(name, name)


def first_bad_offset(data: bytes, codec: str, base: int = 0) -> int | None:
    """Offset of the first byte ``codec`` cannot decode, found by a strict attempt."""
    try:
        data.decode(codec)
    except UnicodeDecodeError as exc:
        return base + exc.start
    except LookupError:
        return None
    return None


def decode_chunk(data: bytes, codec: str, base: int) -> tuple[str, int, int | None]:
    """One chunk: its text, how many bytes were undecodable, and where the first was
    (``base`` is the chunk's offset in the file). Same replacement as ``decode``."""
    try:
        return data.decode(codec), 0, None
    except UnicodeDecodeError:
        pass
    text, offsets = _lenient(data, codec)
    return text, len(offsets), base + offsets[0] if offsets else None
