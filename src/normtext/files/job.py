"""One input start to finish: its chunks decoded, repaired, encoded and written in order."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from ..errors import InputError, NormtextError
from .atomic import (
    AtomicWriter,
    check_in_place,
)
from .chunks import (
    Codec,
    OutputCodec,
    decode_chunk,
    detect,
    file_mixes_line_endings,
    first_bad_offset,
    hide_crs_before_lf,
    restore_crs,
    split_lines,
    strip_crs_before_lf,
    text_mixes_line_endings,
    undecodable_offsets,
)
from .cuts import file_ranges
from .formats import (
    jsonl_records,
    repair_parquet,
)
from .plan import Emit, FileResult, Plan, Progress
from .report import (
    Hunk,
    detect_report,
    diff_hunks,
)
from .sources import Source, open_input, read_error_message

if TYPE_CHECKING:
    from ..decoding import Decoded


@dataclass(frozen=True)
class ChunkTask:
    """One line-aligned piece of one text input, ready for any worker."""

    label: str
    fmt: str
    data: bytes
    offset: int
    line0: int
    first: bool
    codec: str
    out: OutputCodec
    text: str | None = None  # already decoded (the whole input was the first block)
    #: one decision for a file read in chunks: "lf" (it mixes line endings: every CRLF
    #: becomes LF) or "keep"; None for a whole input, where the unicode stage decides
    line_ends: str | None = None
    #: set when the worker reads the chunk itself (``data`` is then empty)
    in_file: InFile | None = None

    @property
    def size(self) -> int:
        return len(self.data) if self.in_file is None else self.in_file.length

    def read(self) -> bytes:
        return self.data if self.in_file is None else self.in_file.read(self.offset, self.label)


@dataclass(frozen=True)
class InFile:
    """A chunk a worker reads from the file itself, so its bytes never pass the main process.

    (Read there, pickled and piped, 2 MiB at a time, they cost the main process about as
    much CPU time as a tenth of the work, taken from the workers on a 2-core machine.)
    The file is reopened by path: ``device`` and ``inode`` make sure it is the same one.
    """

    path: str
    length: int
    device: int
    inode: int

    def read(self, offset: int, label: str) -> bytes:
        with open(self.path, "rb") as f:
            st = os.fstat(f.fileno())
            parts = []
            left = self.length
            while left and (st.st_dev, st.st_ino) == (self.device, self.inode):
                part = os.pread(f.fileno(), left, offset + self.length - left)
                if not part:
                    break
                parts.append(part)
                left -= len(part)
        if left:
            raise InputError(f"{label}: the file changed while it was being read; run again")
        return b"".join(parts)


@dataclass
class ChunkOut:
    out: bytes | None
    changed: bool
    counts: dict[str, int]
    bad: int
    first_bad: int | None
    lines_in: int
    lines_out: int
    hunks: list[Hunk]
    missing: int


def work_chunk(plan: Plan, task: ChunkTask) -> ChunkOut:
    """Decode, repair and encode one chunk (pure: runs in any process)."""
    data = task.read()
    if task.text is not None:
        text, bad, first_bad = task.text, 0, None
    else:
        text, bad, first_bad = decode_chunk(data, task.codec, task.offset)
        if task.first and text.startswith("\ufeff"):
            text = text[1:]
    missing = 0
    if task.fmt == "jsonl":
        new, counts, missing = jsonl_records(text, plan, task.label, task.line0)
    else:
        new, counts = _transform(plan, text, task.line_ends)
    out = task.out.encode(new, first=task.first, label=task.label)
    changed = out != data
    diff = plan.action == "diff"
    hunks = diff_hunks(text, new) if diff and new != text else []
    return ChunkOut(
        out if plan.action == "write" else None,
        changed,
        counts,
        bad,
        first_bad,
        text.count("\n") if diff else 0,  # line bases of later hunks; only a diff has any
        new.count("\n") if diff else 0,
        hunks,
        missing,
    )


def _transform(plan: Plan, text: str, line_ends: str | None) -> tuple[str, dict[str, int]]:
    """The plan's transform, with the file's line-ending decision imposed on this chunk."""
    if line_ends == "lf" and "\r\n" in text:
        stripped, fixed = strip_crs_before_lf(text)
        new, counts = plan.transform(stripped)
        counts["unicode"] = counts.get("unicode", 0) + fixed
        return new, counts
    if line_ends == "keep" and text_mixes_line_endings(text):
        hidden, runs = hide_crs_before_lf(text)
        new, counts = plan.transform(hidden)
        restored = restore_crs(new, runs)
        if restored is not None:
            return restored, counts
    return plan.transform(text)


class TextJob:
    """One text or JSONL input going through chunk by chunk, in order.

    ``start`` detects the codec, opens the output and yields the chunk tasks; ``take``
    receives their results in the same order (from this process or from a pool);
    ``finish`` commits the output. ``abort`` after any failure leaves the target untouched.
    """

    def __init__(self, plan: Plan, source: Source, emit: Emit, result: FileResult) -> None:
        self.plan = plan
        self.source = source
        self.emit = emit
        self.result = result
        self.writer: AtomicWriter | None = None
        self.failed = False
        self._lines_read = 0  # line number of the next chunk, for JSONL error messages
        self._a_base = 0  # diff line bases: lines of input and output already taken
        self._b_base = 0
        self._header = False
        self._bad = 0
        self._first_bad: int | None = None
        self._missing = 0

    def start(self, stream: BinaryIO, *, ranges: bool = False) -> Iterator[ChunkTask]:
        """The chunk tasks; with ``ranges``, a regular text file's are ranges workers read."""
        plan, label = self.plan, self.source.label
        fmt = plan.format_of(self.source)
        head = stream.read(plan.chunk_size)
        whole = len(head) < plan.chunk_size
        encoding = plan.encoding
        decoded: Decoded | None = None
        if encoding is None and plan.utf8_first and _valid_utf8(head, complete=whole):
            # valid UTF-8 is read as UTF-8, as opencc does: detection would cost more than
            # the conversion itself, and the chunks decode on their own
            codec = Codec("utf-8", 1.0, "utf-8", b"\n")
        else:
            codec, decoded = detect(head, encoding=encoding, label=label, whole=whole)
        self.result.encoding = codec.encoding
        self.result.confidence = codec.confidence
        out = OutputCodec.named(plan.output_encoding, codec)
        self._open_output()
        if whole and decoded is not None:
            self._note_replaced(decoded, head, codec)
        line_ends = None
        if not whole and fmt == "text" and self._stage_owns_line_endings():
            head_text = decoded.text if decoded is not None else head.decode("utf-8", "replace")
            line_ends = "lf" if self._mixes_line_endings(head_text, codec) else "keep"
        in_file = self._in_file(stream) if ranges and not whole and fmt == "text" else None
        if in_file is not None:
            for offset, length in file_ranges(
                stream.fileno(), len(head), codec.newline, plan.chunk_size
            ):
                yield ChunkTask(
                    label,
                    fmt,
                    b"",
                    offset,
                    0,
                    offset == 0,
                    codec.codec,
                    out,
                    None,
                    line_ends,
                    replace(in_file, length=length),
                )
            return
        pieces = split_lines(head, stream, codec.newline, plan.chunk_size, cr_breaks=fmt == "text")
        for offset, data in pieces:
            text = decoded.text if whole and decoded is not None else None
            yield ChunkTask(
                label,
                fmt,
                data,
                offset,
                self._lines_read,
                offset == 0,
                codec.codec,
                out,
                text,
                line_ends,
            )
            if fmt == "jsonl":  # only JSON Lines messages name a line
                self._lines_read += data.count(codec.newline)

    def _in_file(self, stream: BinaryIO) -> InFile | None:
        """How workers find this input themselves, if it is a regular file they can reopen."""
        path = self.source.path
        try:
            st = os.fstat(stream.fileno())
        except (AttributeError, OSError, io.UnsupportedOperation):
            return None
        if path is None or not stat.S_ISREG(st.st_mode):
            return None
        return InFile(os.path.abspath(path), 0, st.st_dev, st.st_ino)

    def _stage_owns_line_endings(self) -> bool:
        normalizer = self.plan.transform.normalizer
        return normalizer is not None and normalizer.options.unicode

    def _mixes_line_endings(self, head_text: str, codec: Codec) -> bool:
        """One line-ending decision for a file read in chunks (see ``file_mixes_line_endings``).

        Made on the whole file when it is a regular file in an ASCII-compatible codec,
        else (standard input, UTF-16/32) on the first chunk.
        """
        path = self.source.path
        if path is not None and len(codec.newline) == 1 and os.path.isfile(path):
            try:
                with open(path, "rb") as whole:
                    return file_mixes_line_endings(whole)
            except OSError:
                pass  # read errors are reported by the real read
        return text_mixes_line_endings(head_text)

    def _note_replaced(self, decoded: Decoded, head: bytes, codec: Codec) -> None:
        """Undecodable bytes that ``normtext.decode`` replaced, and where the first one was."""
        replaced = int(getattr(decoded, "replaced", 0) or 0)
        if replaced:
            offsets = undecodable_offsets(decoded)
            self._bad = replaced
            self._first_bad = offsets[0] if offsets else first_bad_offset(head, codec.codec)

    def _open_output(self) -> None:
        plan, source = self.plan, self.source
        if not plan.writes_files:
            return
        if plan.in_place:
            if source.path is None:
                raise InputError("<stdin>: --in-place needs files; standard input goes to stdout")
            real = check_in_place(source.path)
            self.writer = AtomicWriter(real, like=real, backup=plan.backup)
        elif plan.out_dir is not None:
            dest = plan.out_dir / source.rel
            if source.path is not None and _same_file(source.path, dest):
                raise InputError(
                    f"{source.label}: the output would overwrite the input; use --in-place "
                    "to rewrite files, or another -o folder"
                )
            self.writer = AtomicWriter(dest)
        elif plan.out_file is not None:
            like = plan.out_file if plan.out_file.exists() else None
            # fsync only when the file replaced is the input itself (convert --in-place):
            # an output file can be made again, and opencc does not sync it either
            replaces_input = source.path is not None and _same_file(source.path, plan.out_file)
            self.writer = AtomicWriter(plan.out_file, like=like, durable=replaces_input)

    def take(self, chunk: ChunkOut) -> None:
        if self.failed:
            return
        self.result.add(chunk.counts)
        self.result.changed |= chunk.changed
        self._missing += chunk.missing
        if chunk.bad:
            if self._first_bad is None:
                self._first_bad = chunk.first_bad
            self._bad += chunk.bad
        if self._bad and self.plan.in_place and self.plan.action == "write":
            raise InputError(
                f"{self.source.label}: {self._bad_message()}; not rewritten in place, as that "
                "would lose them: check the encoding (--encoding) or write to -o DIR"
            )
        if chunk.out is not None:
            if self.writer is not None:
                self.writer.write(chunk.out)
            else:
                self.emit(chunk.out)
        if chunk.hunks:
            parts = []
            if not self._header:
                label = self.source.label
                parts.append(f"--- {label}\t(original)\n+++ {label}\t(normalised)\n")
                self._header = True
            parts.extend(h.format(self._a_base, self._b_base) for h in chunk.hunks)
            self.emit("".join(parts).encode("utf-8", "surrogatepass"))
        self._a_base += chunk.lines_in
        self._b_base += chunk.lines_out

    def finish(self) -> None:
        if self.failed:
            self.abort()
            return
        label = self.source.label
        if self._bad:
            self.result.warnings.append(
                f"{label}: {self._bad_message()}, replaced by U+FFFD; if the encoding is not "
                f"{self.result.encoding}, pass --encoding"
            )
        if self._missing:
            names = ", ".join(repr(f) for f in self.plan.fields)
            self.result.warnings.append(
                f"{label}: {self._missing} record(s) had no text field {names}; "
                "name the field with --field"
            )
        if self.writer is not None:
            if self.plan.in_place and not self.result.changed:
                self.writer.abort()  # unchanged: not rewritten, so no backup either
            else:
                self.writer.commit()
            self.writer = None

    def abort(self) -> None:
        self.failed = True
        if self.writer is not None:
            self.writer.abort()
            self.writer = None

    def _bad_message(self) -> str:
        where = f", the first at byte {self._first_bad}" if self._first_bad is not None else ""
        return f"{self._bad} undecodable byte(s){where}"


def _valid_utf8(data: bytes, *, complete: bool) -> bool:
    """Valid UTF-8 (a block that is not ``complete`` may end in half a character)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        cut = exc.start >= len(data) - 3 and exc.reason == "unexpected end of data"
        return cut and not complete
    return True


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def run_file(
    plan: Plan,
    source: Source,
    emit: Emit,
    *,
    stdin: BinaryIO | None = None,
    progress: Progress | None = None,
) -> FileResult:
    """Process one input start to finish in this process (a pool worker, or the main one).

    Errors about this input become ``result.error``; they never stop the run.
    """
    result = FileResult(source.label, size=source.size)
    job: TextJob | None = None
    try:
        fmt = plan.format_of(source)
        if plan.action == "detect":
            detect_report(plan, source, fmt, result, stdin)
        elif fmt == "parquet":
            repair_parquet(plan, source, result, progress)
        elif plan.action == "explain":
            explain_input(plan, source, emit, result, stdin)
        else:
            stream = open_input(source, stdin)
            try:
                job = TextJob(plan, source, emit, result)
                result.size = 0
                for task in job.start(stream):
                    result.size += len(task.data)
                    job.take(work_chunk(plan, task))
                    if progress is not None:
                        progress(len(task.data), 0)
                job.finish()
            finally:
                if stream is not stdin:
                    stream.close()
    except Exception as exc:  # noqa: BLE001 - one input must not stop the run
        if job is not None:
            job.abort()
        result.error = error_message(source.label, exc)
    return result


def error_message(label: str, exc: BaseException) -> str:
    """One line naming the input and what to do; a traceback only when debugging.

    A closed stdout is not this input's fault: it is re-raised, to end the whole run.
    """
    if isinstance(exc, BrokenPipeError):
        raise exc
    if isinstance(exc, InputError):
        return str(exc)
    if isinstance(exc, NormtextError):
        return f"{label}: {exc}"
    if isinstance(exc, OSError):
        return read_error_message(label, exc)
    if isinstance(exc, MemoryError):
        return f"{label}: out of memory; lower --jobs or --chunk-size"
    if isinstance(exc, NotImplementedError):
        return f"{label}: not available in this version of normtext ({exc})"
    if os.environ.get("NORMTEXT_DEBUG"):
        raise exc
    return (
        f"{label}: internal error ({type(exc).__name__}: {exc}); please report it "
        "(NORMTEXT_DEBUG=1 shows the traceback)"
    )


def read_text(plan: Plan, source: Source, stdin: BinaryIO | None) -> tuple[str, Codec, int]:
    """The whole text of one input (for explain), its codec and its size in bytes."""
    stream = open_input(source, stdin)
    try:
        data = stream.read()
    finally:
        if stream is not stdin:
            stream.close()
    codec, decoded = detect(data, encoding=plan.encoding, label=source.label)
    return decoded.text, codec, len(data)


def explain_input(
    plan: Plan, source: Source, emit: Emit, result: FileResult, stdin: BinaryIO | None
) -> None:
    text, codec, size = read_text(plan, source, stdin)
    result.encoding, result.confidence, result.size = codec.encoding, codec.confidence, size
    normalizer = plan.transform.normalizer
    if normalizer is None:
        raise InputError(f"{source.label}: --explain needs the normalise command")
    explained = normalizer.explain(text)
    for change in explained.changes:
        result.add({change.stage: 1})
    result.changed = explained.text != text
    emit((str(explained) + "\n").encode("utf-8", "surrogatepass"))
