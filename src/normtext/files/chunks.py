"""Codecs and line-aligned chunks: how the bytes of one input are detected, cut and decoded.

Why chunks: a 1 GB dump must not need 1 GB of memory, and a process pool needs units of
work. Chunks end right after a line break, found in bytes for the detected codec, so no
line and no multi-byte character is ever cut, and a chunk decodes on its own with the
plain codec. Only the first block goes through ``normtext.decode`` (detection); the rest
reuse the codec it found, widened where the detected one is a subset (ASCII -> UTF-8,
GB2312/GBK -> GB18030) so a later rare character still decodes.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO

from ..errors import InputError, NormtextError
from .cuts import last_break as last_break  # re-exported: callers have found them here
from .cuts import split_lines as split_lines

if TYPE_CHECKING:
    from ..decoding import Decoded


#: Bytes per chunk. Big enough that per-chunk overhead vanishes, small enough that a few
#: chunks in flight per worker stay far below the memory budget: repairing a chunk takes
#: about 14 times its size at its peak, so with --jobs 2 a 1 GB file peaked at 290-310 MB
#: (whole process tree) with 4 MiB chunks, and at 180 MB with 2 MiB.
CHUNK_SIZE = 2 << 20


@dataclass(frozen=True)
class Codec:
    """How to read the bytes of one source after detection.

    ``encoding`` is what detection reported (and what the summary shows); ``codec`` is the
    Python codec used for every chunk after the first, ``newline`` its encoded line break.
    """

    encoding: str
    confidence: float
    codec: str
    newline: bytes


def detect(
    head: bytes, *, encoding: str | None, label: str, whole: bool = True
) -> tuple[Codec, Decoded]:
    """Run ``normtext.decode`` on the first block and derive the codec for the rest.

    Returns the codec and the ``Decoded`` result, whose text is used when ``head`` is the
    whole input. When it is not, detection sees the block cut at its last line break, so
    a character cut in half at the block's end cannot mislead it.
    """
    from ..decoding import decode  # lazy: pulls in the detector

    sample = head if whole else detection_sample(head)
    try:
        decoded = decode(sample, encoding=encoding)
    except NormtextError as exc:
        raise InputError(f"{label}: {exc}") from None
    name = str(decoded.encoding)
    codec = continuation_codec(name, head)
    newline = "\n".encode(codec)
    return Codec(name, float(getattr(decoded, "confidence", 1.0)), codec, newline), decoded


def detection_sample(head: bytes) -> bytes:
    """``head`` cut after its last line break (UTF-16/32: at a 4-byte boundary)."""
    from .. import decoding

    return decoding.detection_sample(head)


def undecodable_offsets(decoded: Decoded) -> tuple[int, ...]:
    """Byte offsets of undecodable bytes, if the decoder kept them."""
    for name in ("replaced_offsets", "offsets"):
        offsets = getattr(decoded, name, None)
        if offsets:
            return tuple(offsets)
    return ()


def continuation_codec(encoding: str, head: bytes) -> str:
    """The codec that decodes the chunks after the first one (no BOM, no narrower subset)."""
    from .. import decoding

    try:
        return decoding.continuation_codec(encoding, head)
    except NormtextError as exc:
        raise InputError(str(exc)) from None


def first_bad_offset(data: bytes, codec: str, base: int = 0) -> int | None:
    """Offset of the first byte ``codec`` cannot decode, found by a strict attempt."""
    from .. import decoding

    return decoding.first_bad_offset(data, codec, base)


def decode_chunk(data: bytes, codec: str, base: int) -> tuple[str, int, int | None]:
    """Decode one chunk: its text, how many bytes were undecodable, and where the first was.

    The replacement rule is ``normtext.decoding``'s, so a bad byte counts the same in every
    chunk as in ``decode`` (and no counter lives in this module).
    """
    try:  # the usual case, without loading the decoder's models
        return data.decode(codec), 0, None
    except UnicodeDecodeError:
        pass
    from .. import decoding

    return decoding.decode_chunk(data, codec, base)


#: CRs just before an LF (a run of them counts as one line end, as the unicode stage has it).
_CRS_BEFORE_LF = re.compile("(?<!\r)\r+(?=\n)")


def mixes_line_endings(crlf: int, lf: int, cr: int) -> bool:
    """The unicode stage's rule, on counts: CRLF alongside bare LFs or bare CRs."""
    return crlf > 0 and not crlf == lf == cr


def text_mixes_line_endings(text: str) -> bool:
    return mixes_line_endings(text.count("\r\n"), text.count("\n"), text.count("\r"))


def file_mixes_line_endings(stream: BinaryIO, block: int = CHUNK_SIZE) -> bool:
    """Whether a whole file (ASCII-compatible codec) mixes CRLF with bare LF or CR.

    Why the whole file: the unicode stage decides per text (one convention: kept; mixed:
    CRLF becomes LF), and a big file is normalised chunk by chunk, so a chunk that is all
    CRLF inside a mixed file kept its CRLFs while its neighbours lost theirs. Counting
    bytes runs at memory speed; a CRLF cut by a block boundary is counted once. Most files
    have no CR at all, which a first pass (a byte search) finds at several GB/s: the
    counting pass, five times slower, is serial work before the first chunk starts.
    """
    if not _has_cr(stream, block):
        return False
    stream.seek(0)
    crlf = lf = cr = 0
    prev_cr = False
    while True:
        data = stream.read(block)
        if not data:
            return mixes_line_endings(crlf, lf, cr)
        crlf += data.count(b"\r\n") + (prev_cr and data[:1] == b"\n")
        lf += data.count(b"\n")
        cr += data.count(b"\r")
        prev_cr = data[-1:] == b"\r"


def _has_cr(stream: BinaryIO, block: int) -> bool:
    while True:
        data = stream.read(block)
        if not data:
            return False
        if b"\r" in data:
            return True


def strip_crs_before_lf(text: str) -> tuple[str, int]:
    """CRLF (and CR...CRLF) to LF, and how many line ends changed."""
    new, n = _CRS_BEFORE_LF.subn("", text)
    return new, n


def hide_crs_before_lf(text: str) -> tuple[str, list[str]]:
    """``text`` with its CRs before LF taken out, and those CR runs, one per LF.

    For a chunk of a file whose decision is to keep its line endings: the stages see no
    CRLF (so the unicode stage cannot decide this chunk alone) and ``restore_crs`` puts
    every run back before the same LF.
    """
    parts = text.split("\n")
    runs = []
    for k in range(len(parts) - 1):
        bare = parts[k].rstrip("\r")
        runs.append(parts[k][len(bare) :])
        parts[k] = bare
    return "\n".join(parts), runs


def restore_crs(text: str, runs: list[str]) -> str | None:
    """Put the CR runs back before their LFs; None if the stages changed the line count."""
    parts = text.split("\n")
    if len(parts) != len(runs) + 1:
        return None
    return "\n".join([part + run for part, run in zip(parts, runs)] + parts[-1:])


@dataclass(frozen=True)
class OutputCodec:
    """How to encode output chunks: a BOM once at the start, then a stateless codec."""

    bom: bytes
    codec: str

    @classmethod
    def named(cls, name: str, source: Codec | None = None) -> OutputCodec:
        """``name`` is a codec, or ``"input"`` for the codec each input came in."""
        if name == "input":
            if source is None:
                return cls(b"", "utf-8")
            bom = "\ufeff".encode(source.codec) if has_bom(source.encoding) else b""
            return cls(bom, source.codec)
        try:
            canonical = codecs.lookup(name).name
        except LookupError:
            raise InputError(
                f"unknown output encoding {name!r}; use a Python codec such as utf-8"
            ) from None
        if canonical == "utf-8-sig":
            return cls(codecs.BOM_UTF8, "utf-8")
        if canonical in ("utf-16", "utf-32"):
            codec = f"{canonical}-le"
            return cls("\ufeff".encode(codec), codec)
        return cls(b"", canonical)

    def encode(self, text: str, *, first: bool, label: str) -> bytes:
        try:
            data = text.encode(self.codec)
        except UnicodeEncodeError as exc:
            ch = exc.object[exc.start]
            raise InputError(
                f"{label}: character {ch!r} (U+{ord(ch):04X}) cannot be written in "
                f"{self.codec}; use --output-encoding utf-8"
            ) from None
        return self.bom + data if first else data


def has_bom(encoding: str) -> bool:
    """Whether text in ``encoding`` starts with a byte-order mark that is not content."""
    try:
        return codecs.lookup(encoding).name in ("utf-8-sig", "utf-16", "utf-32")
    except LookupError:
        return False
