"""Where the chunks of one input end: right after a line break, found in a stream or a file.

One rule (``cut_points``) with two readers. ``split_lines`` reads a stream and hands out
each chunk's bytes; ``file_ranges`` reads a regular file only around each cut and hands
out ``(offset, length)``, so with --jobs 2 the main process never copies, pickles and
pipes the whole file to the workers (each reads its own range). Both give the same cuts
on the same bytes, which is what keeps --jobs 2 output byte-identical to --jobs 1.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import BinaryIO, Protocol


class Searchable(Protocol):
    def rfind(self, sub: bytes, lo: int, hi: int) -> int:
        """Offset (in the input) of the last ``sub`` inside ``[lo, hi)``, or -1."""


class Window(Searchable, Protocol):
    """Bytes ``[0, end)`` of one input, as far as they have been read."""

    end: int

    def more(self, n: int) -> bool:
        """Read up to ``n`` more bytes (``end`` grows); False at end of input."""


def cut_points(
    window: Window, newline: bytes, size: int, *, cr_breaks: bool = True
) -> Iterator[int]:
    """The offset where each chunk ends, in order (the last one: the end of the input).

    A chunk is the first ``size`` bytes after the previous cut, cut after its last line
    break, so it holds whole lines and whole characters. Without any LF it is cut after
    a CR instead (old Mac files), never one that could be the first half of a CRLF (not
    with ``cr_breaks=False``: in JSON Lines a CR is only whitespace inside a record). A
    line longer than ``size`` makes its chunk longer: lines are never split.
    """
    width = len(newline)
    cr = newline.replace(b"\n", b"\r") if cr_breaks else newline
    offset = 0
    eof = False
    while True:
        while not eof and window.end - offset < size:
            eof = not window.more(size - (window.end - offset))
        if eof:
            if window.end > offset:
                yield window.end
            return
        start = offset
        while True:
            cut = _last_break(window, newline, width, start, window.end)
            if cut < 0 and cr != newline:
                # no LF: a CR not at the very end (whose LF could still be coming)
                cut = _last_break(window, cr, width, start, window.end - width)
            if cut >= 0:
                break
            start = max(offset, window.end - 2 * width + 1)
            if not window.more(size):
                eof = True
                break
        if cut < 0:
            cut = window.end
        yield cut
        offset = cut


def _last_break(window: Searchable, newline: bytes, width: int, lo: int, hi: int) -> int:
    """Offset just past the last aligned ``newline`` in ``[lo, hi)``, or -1."""
    while True:
        i = window.rfind(newline, lo, hi)
        if i < 0:
            return -1
        if width == 1 or i % width == 0:
            return i + width
        hi = i + width - 1


class BufferAt:
    """Bytes that start at ``base`` in their input, searched by input offsets."""

    def __init__(self, buf: bytes | bytearray, base: int) -> None:
        self._buf = buf
        self.base = base

    def rfind(self, sub: bytes, lo: int, hi: int) -> int:
        i = self._buf.rfind(sub, lo - self.base, max(lo, hi) - self.base)
        return i if i < 0 else i + self.base


class StreamWindow(BufferAt):
    """What has been read from a stream and not yet handed out: bytes ``[base, end)``."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._data = bytearray(head)  # grows in place: a long line is not re-copied
        super().__init__(self._data, 0)
        self._stream = stream
        self.end = len(head)

    def more(self, n: int) -> bool:
        data = self._stream.read(n)
        self._data += data
        self.end += len(data)
        return bool(data)

    def take(self, cut: int) -> bytes:
        """The bytes up to ``cut``, dropped from the window."""
        data = bytes(self._data[: cut - self.base])
        del self._data[: cut - self.base]
        self.base = cut
        return data


def split_lines(
    head: bytes,
    stream: BinaryIO,
    newline: bytes,
    size: int,
    *,
    cr_breaks: bool = True,
) -> Iterator[tuple[int, bytes]]:
    """Yield ``(offset, chunk)`` pairs that each end right after a line break (or at EOF).

    ``head`` is what was already read from ``stream``; ``newline`` the encoded line break,
    so UTF-16/32 are cut only at a real, aligned break (see ``cut_points``).
    """
    window = StreamWindow(head, stream)
    offset = 0
    for cut in cut_points(window, newline, size, cr_breaks=cr_breaks):
        yield offset, window.take(cut)
        offset = cut


class FileWindow:
    """A regular file seen through ``os.pread``: only the bytes searched are read."""

    BLOCK = 1 << 16  # a line break is nearly always within the last few hundred bytes

    def __init__(self, fd: int, end: int) -> None:
        self._fd = fd
        self._size = os.fstat(fd).st_size
        self.end = min(end, self._size)

    def more(self, n: int) -> bool:
        grown = min(self.end + n, self._size)
        if grown == self.end:
            return False
        self.end = grown
        return True

    def rfind(self, sub: bytes, lo: int, hi: int) -> int:
        top = min(hi, self.end)
        block = max(self.BLOCK, 2 * len(sub))
        while top - lo >= len(sub):
            bottom = max(lo, top - block)
            i = os.pread(self._fd, top - bottom, bottom).rfind(sub)
            if i >= 0:
                return bottom + i
            top = bottom + len(sub) - 1  # a break across the block's start is still found
        return -1


def file_ranges(
    fd: int, head: int, newline: bytes, size: int, *, cr_breaks: bool = True
) -> Iterator[tuple[int, int]]:
    """``split_lines`` for a regular file, as ``(offset, length)``: the same cuts, no copies.

    ``head`` is how many bytes the caller has already read (its position in the file).
    """
    offset = 0
    for cut in cut_points(FileWindow(fd, head), newline, size, cr_breaks=cr_breaks):
        yield offset, cut - offset
        offset = cut


def last_break(
    buf: bytes | bytearray,
    newline: bytes,
    width: int,
    offset: int,
    start: int = 0,
    end: int | None = None,
) -> int:
    """Index just past the last aligned ``newline`` in ``buf[start:end]``, or -1.

    ``offset`` is where ``buf`` starts in its input (alignment counts from there).
    """
    end = len(buf) if end is None else end
    cut = _last_break(BufferAt(buf, offset), newline, width, offset + start, offset + end)
    return cut if cut < 0 else cut - offset
