"""Bytes to text: encoding detection that is right on short Chinese text.

General detectors guess a language model per codec and need hundreds of bytes to be sure;
on eight characters of GB text charset-normalizer answers cp949 or johab. Chinese text
has a sharper test: every Big5 byte pair is also valid GB18030 and most GB pairs are
valid Big5, but only the right reading is made of common characters. So the order is:

1. a byte-order mark decides;
2. binary data (NUL bytes outside UTF-16, file signatures) is refused with
   ``NotTextError``, never returned as garbage;
3. text that is valid UTF-8 is UTF-8 (ASCII is reported as ``ascii``);
4. otherwise every CJK codec that decodes the bytes strictly is a candidate, and the
   one whose text is most plausible under the character and pair frequencies of real
   text wins (this also settles the codes where Python's ``big5`` and ``big5hkscs``
   disagree, ``①`` vs ``ヾ``);
5. when no reading looks like Chinese, charset-normalizer names the codec, since the
   text is then in some other language;
6. bytes that no codec decodes whole get the reading with the fewest undecodable bytes,
   each replaced by U+FFFD and its offset kept, so a caller can warn where they are.
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

__all__ = ["Decoded", "decode"]


@dataclass(frozen=True)
class Decoded:
    """The text, the Python codec that produced it, and how sure and how clean that is.

    ``confidence`` is the posterior of the chosen reading among the candidates tried
    (1.0 for a byte-order mark or valid UTF-8). ``replaced`` counts undecodable bytes,
    each now U+FFFD in ``text``; ``replaced_offsets`` holds their byte offsets.
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
_SCORE_CHARS = 4096

_local = threading.local()


def _record(error: UnicodeDecodeError) -> tuple[str, int]:
    offsets: list[int] = _local.offsets
    offsets.extend(range(error.start, error.end))
    return "\ufffd" * (error.end - error.start), error.end


codecs.register_error("normtext.decode", _record)  # type: ignore[arg-type]


def _lenient(data: bytes, encoding: str) -> tuple[str, tuple[int, ...]]:
    """Decode, replacing each undecodable byte by U+FFFD and keeping its offset."""
    _local.offsets = []
    try:
        text = data.decode(encoding, errors="normtext.decode")
        return text, tuple(_local.offsets)
    finally:
        _local.offsets = []


def _strict(data: bytes, encoding: str) -> str | None:
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


def _looks_chinese(text: str) -> bool:
    """Whether a reading is made of characters common enough to be Chinese text.

    The bar is the mean log-probability of its non-ASCII characters, lowered for short
    text, where one rare name weighs more: real snippets sit near -7, Korean read as GB
    near -10.6, Japanese read as GB below -13. The spread of the mean shrinks with
    length, so the bar rises towards -9.6 as the text grows.
    """
    sample = [c for c in text[:_SCORE_CHARS] if c >= "\x80"]
    if not sample:
        return False
    mean = frequency.score("".join(sample)) / len(sample)
    return mean >= -9.6 - 4.0 / math.sqrt(len(sample))


def _other_language(data: bytes) -> tuple[str, str, float] | None:
    """charset-normalizer's reading, when it is a coherent non-Chinese text."""
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        return None
    encoding = codecs.lookup(best.encoding).name
    if encoding in _FAMILY:
        return None
    text = str(best)
    letters = [c for c in text if c >= "\x80" and c.isalpha()]
    foreign = [c for c in letters if not is_han(c)]
    if not letters or len(foreign) < 0.3 * len(letters):
        return None
    return text, encoding, max(0.0, 1.0 - best.chaos)


def _choose(readings: dict[str, str]) -> tuple[str, str, float]:
    """The most plausible of several readings: (codec, text, posterior)."""
    by_text: dict[str, str] = {}
    for name, text in readings.items():
        by_text.setdefault(text, name)  # same text from several codecs: keep the first name
    scores = {name: frequency.score_pairs(text[:_SCORE_CHARS]) for text, name in by_text.items()}
    posteriors = _log_posteriors(scores)
    name = max(posteriors, key=posteriors.__getitem__)
    return name, readings[name], math.exp(posteriors[name])


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
        return None if name == "utf-8" else Decoded(best, name, confidence)
    if max(text) >= "\u0800" or _coherent(text):
        return None
    readings = {name: t for name in CJK_CODECS[:4] if (t := _strict(data, name)) is not None}
    readings = {name: t for name, t in readings.items() if _looks_chinese(t)}
    if not readings:
        return None
    name, best, confidence = _choose(readings)
    return Decoded(best, name, confidence)


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
    """Bytes with NULs: UTF-16/32 without a byte-order mark, or binary."""
    readings = {}
    for name in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        text = _strict(data, name)
        if text is not None and _control_count(text) <= 0.02 * len(text):
            readings[name] = text
    if not readings:
        raise NotTextError(
            "these bytes contain NUL bytes and are not UTF-16 or UTF-32: binary data"
        )
    name, text, confidence = _choose(readings)
    return Decoded(text, name, confidence)


def decode(data: bytes, *, encoding: str | None = None) -> Decoded:
    """Turn bytes into text, detecting the encoding unless ``encoding`` names it.

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
        return Decoded("", "ascii", 1.0)
    for bom, name in _BOMS:
        if data.startswith(bom):
            text, offsets = _lenient(data, name)
            _check_text(text, len(offsets), len(data))
            return Decoded(text, name, 1.0, len(offsets), offsets)
    if b"\x00" in data:
        return _decode_nul(data)
    text = _strict(data, "utf-8")
    if text is not None:
        name = "ascii" if data.isascii() else "utf-8"
        rival = _rival_of_utf8(data, text)
        if rival is not None:
            return rival
        _check_text(text, 0, len(data))
        return Decoded(text, name, 1.0)

    nearly = _nearly_utf8(data)
    readings = {name: t for name in CJK_CODECS if (t := _strict(data, name)) is not None}
    if nearly is not None and (
        not readings or _choose({"utf-8": nearly.text, **readings})[0] == "utf-8"
    ):
        return nearly
    if readings:
        name, text, confidence = _choose(readings)
        if _looks_chinese(text):
            _check_text(text, 0, len(data))
            return Decoded(text, name, confidence)
    damaged = _decode_damaged(data) if not readings else None
    if damaged is not None and damaged.replaced <= max(1, len(data) // 50):  # noqa: SIM102
        if _looks_chinese(damaged.text):
            return damaged  # a few bad bytes in Chinese text: not a reason to ask elsewhere
    other = _other_language(data)
    if other is not None:
        text, name, confidence = other
        _check_text(text, 0, len(data))
        return Decoded(text, name, confidence)
    if readings:
        _check_text(text, 0, len(data))
        return Decoded(text, name, confidence)
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
    multibyte = sum(1 for c in rough if c >= "\x80") - bad
    if not bad or multibyte < 4 * bad:
        return None
    text, offsets = _lenient(data, "utf-8")
    if not offsets or multibyte < 4 * len(offsets):
        return None
    _check_text(text, len(offsets), len(data))
    confidence = 1.0 - len(offsets) / (multibyte + len(offsets))
    return Decoded(text, "utf-8", confidence, len(offsets), offsets)


def _decode_damaged(data: bytes) -> Decoded:
    """No codec reads every byte: the reading with the fewest undecodable bytes wins."""
    lenient = {name: _lenient(data, name) for name in ("utf-8", *CJK_CODECS[:4])}
    fewest = min(len(offsets) for _, offsets in lenient.values())
    readings = {name: text for name, (text, offsets) in lenient.items() if len(offsets) == fewest}
    name, text, confidence = _choose(readings)
    offsets = lenient[name][1]
    return Decoded(text, name, confidence, len(offsets), offsets)
