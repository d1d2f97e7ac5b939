"""Files in and out: finding inputs, reading them in line-aligned chunks, writing atomically.

Why chunks: a 1 GB dump must not need 1 GB of memory, and a process pool needs units of
work. Chunks end right after a line break, found in bytes for the detected codec, so no
line and no multi-byte character is ever cut, and a chunk decodes on its own with the
plain codec. Only the first block goes through ``normtext.decode`` (detection); the rest
reuse the codec it found, widened where the detected one is a subset (ASCII -> UTF-8,
GB2312/GBK -> GB18030) so a later rare character still decodes.

Why atomic writes: an interrupted run must leave every file either old or new. Outputs go
to a temporary file beside the target (``.NAME.normtext-tmp-XXXX``), which is flushed,
fsynced and renamed over the target; the original is never opened for writing.
"""

from __future__ import annotations

import codecs
import ctypes
import difflib
import fnmatch
import io
import json
import multiprocessing
import multiprocessing.context
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, cast

from .errors import NormtextError
from .opencc import Converter
from .pipeline import Normalizer

if TYPE_CHECKING:
    from .decoding import Decoded

#: Bytes per chunk. Big enough that per-chunk overhead vanishes, small enough that a few
#: chunks in flight per worker stay far below the memory budget.
CHUNK_SIZE = 4 << 20

#: Marks our temporary files; folder walks skip them (they are hidden) and a user who
#: finds one after a hard crash knows where it came from.
TEMP_MARK = ".normtext-tmp-"

#: Test hook (documented in docs/cli.md): after this many committed writes, the process
#: kills itself with SIGKILL just before its next rename, the worst moment for a crash.
CRASH_ENV = "NORMTEXT_TEST_CRASH_AFTER"

_WIDER = {"ascii": "utf-8", "gb2312": "gb18030", "gbk": "gb18030"}


class InputError(NormtextError):
    """One input (or its output) cannot be processed; the message names it and what to do."""


# ---------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class Source:
    """One input: a file (``path``), or standard input when ``path`` is None.

    ``rel`` is where the output goes under ``-o DIR``: the path below the folder given on
    the command line, or just the name for a file given directly.
    """

    path: Path | None
    rel: Path
    size: int = 0

    @property
    def label(self) -> str:
        return "<stdin>" if self.path is None else str(self.path)


def find_sources(
    args: Iterable[str], *, glob: str = "*", skip: Path | None = None, walk: bool = True
) -> tuple[list[Source], list[tuple[str, str]]]:
    """Expand command-line paths into sources, and say which could not be found.

    Folders are walked recursively in sorted order, keeping files whose name matches
    ``glob`` and skipping hidden files and folders (``.git``, our own temp files) and
    anything under ``skip`` (the output folder, so a rerun does not eat its own output).
    With ``walk=False`` (commands that take files) a folder is reported instead.
    """
    sources: list[Source] = []
    errors: list[tuple[str, str]] = []
    skip_real = os.path.realpath(skip) if skip is not None else None
    for arg in args:
        if arg == "-":
            sources.append(Source(None, Path("stdin.txt")))
            continue
        path = Path(arg)
        try:
            st = path.stat()
        except FileNotFoundError:
            errors.append((arg, "no such file or folder; check the path"))
            continue
        except OSError as exc:
            errors.append((arg, f"cannot open ({exc.strerror}); check its permissions"))
            continue
        if stat.S_ISDIR(st.st_mode):
            if walk:
                sources.extend(_walk(path, glob, skip_real, errors))
            else:
                errors.append((arg, "is a folder where a file was expected; pass a file"))
        else:
            sources.append(Source(path, Path(path.name), st.st_size))
    return _unique(sources), errors


def _unique(sources: list[Source]) -> list[Source]:
    """Each file once, however often it was named (two workers must not rewrite one file)."""
    seen: set[str] = set()
    unique = []
    for source in sources:
        key = "-" if source.path is None else os.path.realpath(source.path)
        if key not in seen:
            seen.add(key)
            unique.append(source)
    return unique


def _walk(
    root: Path, glob: str, skip: str | None, errors: list[tuple[str, str]]
) -> Iterator[Source]:
    def on_error(exc: OSError) -> None:
        errors.append((str(exc.filename), f"cannot list folder ({exc.strerror})"))

    for folder, dirs, files in os.walk(root, onerror=on_error):
        if skip is not None and os.path.realpath(folder) == skip:
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.startswith(".") or not fnmatch.fnmatch(name, glob):
                continue
            path = Path(folder, name)
            try:
                size = path.stat().st_size
            except OSError:
                size = 0  # reported properly when it is opened
            yield Source(path, path.relative_to(root), size)


def open_input(source: Source, stdin: BinaryIO | None = None) -> BinaryIO:
    """Open a source for binary reading, turning OS errors into actionable messages."""
    if source.path is None:
        if stdin is None:
            raise InputError("<stdin>: standard input is not available here")
        return stdin
    try:
        return open(source.path, "rb")
    except OSError as exc:
        raise InputError(read_error_message(source.label, exc)) from None


def read_error_message(label: str, exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return f"{label}: no such file (removed while running?); check the path"
    if isinstance(exc, IsADirectoryError):
        return f"{label}: is a folder where a file was expected; pass a file"
    if isinstance(exc, PermissionError):
        return f"{label}: permission denied; make it readable (chmod u+r) or skip it"
    return f"{label}: cannot read ({exc.strerror}); check the file"


# ---------------------------------------------------------------------------- decoding


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
    from . import decode  # lazy: pulls in the detector

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
    from . import decoding

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
    from . import decoding

    try:
        return decoding.continuation_codec(encoding, head)
    except NormtextError as exc:
        raise InputError(str(exc)) from None


def first_bad_offset(data: bytes, codec: str, base: int = 0) -> int | None:
    """Offset of the first byte ``codec`` cannot decode, found by a strict attempt."""
    from . import decoding

    return decoding.first_bad_offset(data, codec, base)


def decode_chunk(data: bytes, codec: str, base: int) -> tuple[str, int, int | None]:
    """Decode one chunk: its text, how many bytes were undecodable, and where the first was."""
    from . import decoding

    return decoding.decode_chunk(data, codec, base)


_bad = [0]
_COUNTING = "normtext-count"


def _count_bad(err: UnicodeError) -> tuple[str, int]:
    # one replacement rule for every decode: the one in normtext.decoding
    from . import decoding

    return decoding.replace_bad_bytes(err)


codecs.register_error(_COUNTING, _count_bad)


def split_lines(
    head: bytes, stream: BinaryIO, newline: bytes, size: int = CHUNK_SIZE
) -> Iterator[tuple[int, bytes]]:
    """Yield ``(offset, chunk)`` pairs that each end right after a line break (or at EOF).

    ``head`` is what was already read from ``stream``. ``newline`` is the encoded line
    break, so UTF-16/32 are cut only at a real, aligned break. A line longer than ``size``
    makes its chunk longer: lines are never split.
    """
    width = len(newline)
    buf = head
    offset = 0
    eof = False
    while True:
        while not eof and len(buf) < size:
            more = stream.read(size - len(buf))
            if more:
                buf += more
            else:
                eof = True
        if eof:
            if buf:
                yield offset, buf
            return
        cut = _last_break(buf, newline, width, offset)
        while cut < 0 and not eof:
            more = stream.read(size)
            if not more:
                eof = True
                break
            start = max(0, len(buf) - width + 1)
            buf += more
            cut = _last_break(buf, newline, width, offset, start)
        if cut < 0:
            cut = len(buf)
        yield offset, buf[:cut]
        offset += cut
        buf = buf[cut:]


def _last_break(buf: bytes, newline: bytes, width: int, offset: int, start: int = 0) -> int:
    """Index just past the last aligned ``newline`` in ``buf[start:]``, or -1."""
    end = len(buf)
    while True:
        i = buf.rfind(newline, start, end)
        if i < 0:
            return -1
        if width == 1 or (offset + i) % width == 0:
            return i + width
        end = i + width - 1


# ---------------------------------------------------------------------------- encoding


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


# ---------------------------------------------------------------------------- writing


class AtomicWriter:
    """Write a file so that, whatever happens, ``dest`` is either its old self or the new one.

    Data goes to a temporary file in the same folder (same filesystem, so the final
    ``os.replace`` is atomic), takes the mode of ``like`` (the original, for in-place) and
    is renamed over ``dest``. On any error the temp file is removed. ``durable`` (the
    default when ``like`` is given, that is when an existing file is replaced) fsyncs the
    data before the rename and the folder after it, so not even a power cut can leave the
    replaced file empty; fresh outputs skip it, as an fsync per file costs more than
    normalising it.
    """

    def __init__(
        self,
        dest: Path,
        *,
        like: Path | None = None,
        backup: str | None = None,
        durable: bool | None = None,
    ) -> None:
        self.dest = dest
        self.like = like
        self.backup = backup
        self.durable = like is not None if durable is None else durable
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}{TEMP_MARK}", dir=dest.parent)
        except OSError as exc:
            raise InputError(write_error_message(dest, exc)) from None
        self.tmp = Path(tmp)
        self._file: BinaryIO | None = os.fdopen(fd, "wb")
        self._done = False

    def write(self, data: bytes) -> None:
        assert self._file is not None, "write after commit/abort"
        try:
            self._file.write(data)
        except OSError as exc:
            self.abort()
            raise InputError(write_error_message(self.dest, exc)) from None

    def commit(self) -> None:
        f = self._file
        assert f is not None, "commit after commit/abort"
        try:
            f.flush()
            if self.durable:
                os.fsync(f.fileno())
            f.close()
            self._file = None
            self._set_mode()
            _crash_hook()
            if self.backup and self.like is not None:
                _make_backup(self.like, Path(f"{self.like}{self.backup}"))
            os.replace(self.tmp, self.dest)
            self._done = True
        except OSError as exc:
            self.abort()
            raise InputError(write_error_message(self.dest, exc)) from None
        except BaseException:
            self.abort()
            raise
        if self.durable:
            _fsync_dir(self.dest.parent)

    @property
    def file(self) -> BinaryIO:
        """The temporary file, for writers that want a file object (pyarrow)."""
        assert self._file is not None, "file after commit/abort"
        return self._file

    def abort(self) -> None:
        """Drop the temporary file; ``dest`` stays as it was. Safe to call twice."""
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._done:
            return
        self._done = True
        try:
            self.tmp.unlink()
        except FileNotFoundError:
            pass

    def _set_mode(self) -> None:
        if self.like is not None:
            st = os.stat(self.like)
            os.chmod(self.tmp, stat.S_IMODE(st.st_mode))
            if hasattr(os, "chown") and (st.st_uid, st.st_gid) != _owner(self.tmp):
                try:
                    os.chown(self.tmp, st.st_uid, st.st_gid)
                except PermissionError:
                    pass  # only root may give files away; the mode is what matters
        else:
            os.chmod(self.tmp, 0o666 & ~_umask())  # what open() would have made


def write_error_message(dest: Path, exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return f"{dest}: permission denied writing; check that its folder is writable"
    return f"{dest}: cannot write ({exc.strerror}); check the disk and the folder"


def check_in_place(path: Path) -> Path:
    """The file to replace for ``--in-place`` on ``path`` (symlinks followed), if allowed."""
    real = Path(os.path.realpath(path))
    st = real.stat()
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{path}: not a regular file; --in-place needs one (use stdout instead)")
    if not st.st_mode & stat.S_IWUSR:
        raise InputError(
            f"{path}: is read-only, left untouched; make it writable (chmod u+w) "
            "or write elsewhere with -o DIR"
        )
    return real


def _make_backup(original: Path, backup: Path) -> None:
    """Keep the old content under ``backup``: a hard link if possible (instant), else a copy."""
    fd, tmp = tempfile.mkstemp(prefix=f".{backup.name}{TEMP_MARK}", dir=backup.parent)
    os.close(fd)
    os.unlink(tmp)
    try:
        os.link(original, tmp)
    except OSError:
        shutil.copy2(original, tmp)
    os.replace(tmp, backup)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # not every filesystem allows it; the rename itself is still atomic
    finally:
        os.close(fd)


def _owner(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_uid, st.st_gid


_UMASK: int | None = None


def _umask() -> int:
    global _UMASK
    if _UMASK is None:
        _UMASK = os.umask(0o022)
        os.umask(_UMASK)
    return _UMASK


_commits = 0


def _crash_hook() -> None:
    global _commits
    limit = os.environ.get(CRASH_ENV)
    if limit is not None and _commits >= int(limit):
        os.kill(os.getpid(), signal.SIGKILL)
    _commits += 1


# ---------------------------------------------------------------------------- the work


class Transform:
    """Text in, repaired text and change counts per stage out; what every worker runs.

    It holds a ``Normalizer`` (or an OpenCC config name for ``convert``) and pickles small:
    a worker started by fork inherits the stages already built, one started by spawn
    rebuilds them once.
    """

    def __init__(self, normalizer: Normalizer | None = None, *, config: str | None = None) -> None:
        self.normalizer = normalizer
        self.config = config
        self._converter: Converter | None = None

    def __getstate__(self) -> dict[str, object]:
        return {"normalizer": self.normalizer, "config": self.config, "_converter": None}

    def warm(self) -> None:
        """Build the stages now, before workers fork, so they share them."""
        if self.normalizer is not None:
            self.normalizer.stages  # noqa: B018 - building them is the point
        elif self.config is not None:
            self._convert_fn()

    def _convert_fn(self) -> Converter:
        if self._converter is None:
            self._converter = Converter(self.config or "s2t")
        return self._converter

    def __call__(self, text: str) -> tuple[str, dict[str, int]]:
        """The repaired text and, per stage that changed something, how many lines it changed.

        Lines, not edits: asking a stage for its edit list costs as much again as running
        it, while comparing lines is nearly free and still says where the damage was.
        """
        if self.normalizer is None:
            return self._convert_fn().convert(text), {}
        counts: dict[str, int] = {}
        for stage in self.normalizer.stages:
            new = stage.transform(text)
            if new != text:
                counts[stage.name] = counts.get(stage.name, 0) + lines_changed(text, new)
                text = new
        return text, counts


def lines_changed(a: str, b: str) -> int:
    """How many lines differ between ``a`` and ``b`` (at least 1 when they differ)."""
    la, lb = a.split("\n"), b.split("\n")
    if len(la) == len(lb):
        return sum(map(str.__ne__, la, lb))
    head = 0
    while head < min(len(la), len(lb)) and la[head] == lb[head]:
        head += 1
    tail = 0
    while tail < min(len(la), len(lb)) - head and la[-1 - tail] == lb[-1 - tail]:
        tail += 1
    return max(len(la), len(lb)) - head - tail


def prime(plan: Plan, sources: list[Source], *, files: int = 8, size: int = 1 << 16) -> None:
    """Run the work on the first bytes of a few inputs, here, before workers fork.

    Much is loaded on first use (OpenCC tables per standard, the decoder's frequency
    model): primed in the parent, it is loaded once and shared copy-on-write by every
    forked worker, instead of once per worker. Samples of the real inputs load exactly
    what this run needs. Any error is left for the real run to report.
    """
    plan.transform.warm()
    named = [s for s in sources if s.path is not None]
    step = max(1, len(named) // files)  # spread out: folders are sorted, not mixed
    for source in named[::step][:files]:
        if plan.format_of(source) != "text":
            continue
        try:
            with open(str(source.path), "rb") as f:
                head = f.read(size)
            _, decoded = detect(head, encoding=plan.encoding, label=source.label, whole=False)
            plan.transform(decoded.text)
        except (NormtextError, OSError, UnicodeError):
            continue


@dataclass(frozen=True)
class Plan:
    """What to do with every input; built once by the CLI, pickled once per worker.

    ``action`` is ``"write"`` (stdout, ``out_dir``, ``out_file`` or ``in_place``),
    ``"check"`` (only say whether it would change), ``"diff"``, ``"explain"`` or
    ``"detect"``. ``fmt`` is ``"auto"`` (by extension), ``"text"``, ``"jsonl"`` or
    ``"parquet"``; ``fields`` are the record fields to repair.
    """

    transform: Transform
    action: str = "write"
    fmt: str = "auto"
    fields: tuple[str, ...] = ("text",)
    encoding: str | None = None
    output_encoding: str = "utf-8"
    out_dir: Path | None = None
    out_file: Path | None = None
    in_place: bool = False
    backup: str | None = None
    chunk_size: int = CHUNK_SIZE

    def format_of(self, source: Source) -> str:
        if self.fmt != "auto":
            return self.fmt
        suffix = source.rel.suffix.lower()
        if suffix in (".jsonl", ".ndjson"):
            return "jsonl"
        if suffix == ".parquet":
            return "parquet"
        return "text"

    @property
    def writes_files(self) -> bool:
        return self.action == "write" and (
            self.in_place or self.out_dir is not None or self.out_file is not None
        )


@dataclass
class FileResult:
    """What happened to one input; the CLI turns these into messages and the summary."""

    label: str
    size: int = 0
    encoding: str | None = None
    confidence: float | None = None
    changes: dict[str, int] = field(default_factory=dict)
    changed: bool = False
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    output: bytes = b""
    info: dict[str, object] | None = None

    def add(self, counts: dict[str, int]) -> None:
        for stage, n in counts.items():
            self.changes[stage] = self.changes.get(stage, 0) + n


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
    if task.text is not None:
        text, bad, first_bad = task.text, 0, None
    else:
        text, bad, first_bad = decode_chunk(task.data, task.codec, task.offset)
        if task.first and text.startswith("\ufeff"):
            text = text[1:]
    missing = 0
    if task.fmt == "jsonl":
        new, counts, missing = _jsonl(text, plan, task.label, task.line0)
    else:
        new, counts = plan.transform(text)
    out = task.out.encode(new, first=task.first, label=task.label)
    changed = out != task.data
    hunks = diff_hunks(text, new) if plan.action == "diff" and new != text else []
    return ChunkOut(
        out if plan.action == "write" else None,
        changed,
        counts,
        bad,
        first_bad,
        text.count("\n"),
        new.count("\n"),
        hunks,
        missing,
    )


def _jsonl(text: str, plan: Plan, label: str, line0: int) -> tuple[str, dict[str, int], int]:
    """Repair the named fields of each JSON record, keeping every other field and the order.

    A line whose fields do not change is written back byte for byte.
    """
    counts: dict[str, int] = {}
    missing = 0
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            msg = getattr(exc, "msg", str(exc))
            raise InputError(
                f"{label}: line {line0 + i + 1}: not valid JSON ({msg}); fix the line, "
                "or drop --jsonl to treat the file as plain text"
            ) from None
        if not isinstance(record, dict):
            raise InputError(f"{label}: line {line0 + i + 1}: not a JSON object; --jsonl needs one")
        found = False
        changed = False
        for name in plan.fields:
            value = record.get(name)
            if not isinstance(value, str):
                continue
            found = True
            new, c = plan.transform(value)
            for stage, n in c.items():
                counts[stage] = counts.get(stage, 0) + n
            if new != value:
                record[name] = new
                changed = True
        missing += not found
        if changed:
            ending = "\r" if line.endswith("\r") else ""
            lines[i] = json.dumps(record, ensure_ascii=False) + ending
    return "\n".join(lines), counts, missing


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

    def start(self, stream: BinaryIO) -> Iterator[ChunkTask]:
        plan, label = self.plan, self.source.label
        fmt = plan.format_of(self.source)
        head = stream.read(plan.chunk_size)
        whole = len(head) < plan.chunk_size
        codec, decoded = detect(head, encoding=plan.encoding, label=label, whole=whole)
        self.result.encoding = codec.encoding
        self.result.confidence = codec.confidence
        out = OutputCodec.named(plan.output_encoding, codec)
        self._open_output()
        if whole:
            self._note_replaced(decoded, head, codec)
        for offset, data in split_lines(head, stream, codec.newline, plan.chunk_size):
            text = decoded.text if whole else None
            yield ChunkTask(
                label, fmt, data, offset, self._lines_read, offset == 0, codec.codec, out, text
            )
            self._lines_read += data.count(codec.newline)

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
            self.writer = AtomicWriter(plan.out_file, like=like)

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


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


# ---------------------------------------------------------------------------- diff


@dataclass(frozen=True)
class Hunk:
    """One unified-diff hunk, with line numbers relative to its chunk."""

    a_start: int
    a_len: int
    b_start: int
    b_len: int
    lines: tuple[str, ...]

    def format(self, a_base: int, b_base: int) -> str:
        head = (
            f"@@ -{_span(a_base + self.a_start, self.a_len)} "
            f"+{_span(b_base + self.b_start, self.b_len)} @@\n"
        )
        body = []
        for line in self.lines:
            body.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
        return head + "".join(body)


def _span(start: int, length: int) -> str:
    first = start + 1 if length else start
    return f"{first}" if length == 1 else f"{first},{length}"


def _lines(text: str) -> list[str]:
    """Lines with their ``\\n`` (only ``\\n`` splits: U+2028 and friends are content here)."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def diff_hunks(a: str, b: str, context: int = 3) -> list[Hunk]:
    """The hunks of a unified diff from ``a`` to ``b``, ready to shift by a chunk's base."""
    a_lines, b_lines = _lines(a), _lines(b)
    matcher = difflib.SequenceMatcher(None, a_lines, b_lines, autojunk=False)
    hunks = []
    for group in matcher.get_grouped_opcodes(context):
        body: list[str] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                body.extend(" " + line for line in a_lines[i1:i2])
                continue
            body.extend("-" + line for line in a_lines[i1:i2])
            body.extend("+" + line for line in b_lines[j1:j2])
        first, last = group[0], group[-1]
        hunks.append(Hunk(first[1], last[2] - first[1], first[3], last[4] - first[3], tuple(body)))
    return hunks


# ---------------------------------------------------------------------------- one input


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
            _detect(plan, source, fmt, result, stdin)
        elif fmt == "parquet":
            _parquet(plan, source, result, progress)
        elif plan.action == "explain":
            _explain(plan, source, emit, result, stdin)
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


def _explain(
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


def _detect(
    plan: Plan, source: Source, fmt: str, result: FileResult, stdin: BinaryIO | None
) -> None:
    """Encoding, script and damage of one input, from its first chunk (the whole of most)."""
    if fmt == "parquet":
        texts = _parquet_sample(plan, source)
        info: dict[str, object] = {"path": source.label, "format": "parquet"}
        text = "\n".join(texts)
        result.size = source.size
    else:
        stream = open_input(source, stdin)
        try:
            head = stream.read(plan.chunk_size)
            whole = not stream.read(1)
        finally:
            if stream is not stdin:
                stream.close()
        codec, decoded = detect(head, encoding=plan.encoding, label=source.label, whole=whole)
        if whole:
            text = decoded.text
            bad = int(getattr(decoded, "replaced", 0) or 0)
            offsets = undecodable_offsets(decoded)
            first = offsets[0] if offsets else first_bad_offset(head, codec.codec) if bad else None
        else:
            cut = _last_break(head, codec.newline, len(codec.newline), 0)
            text, bad, first = decode_chunk(head[: cut if cut > 0 else len(head)], codec.codec, 0)
        result.encoding, result.confidence = codec.encoding, codec.confidence
        result.size = source.size or len(head)
        info = {
            "path": source.label,
            "format": fmt,
            "encoding": codec.encoding,
            "confidence": round(codec.confidence, 3),
            "undecodable_bytes": bad,
            "first_undecodable_at": first,
            "sampled": not whole,
        }
        if fmt == "jsonl":
            text = "\n".join(_jsonl_values(text, plan.fields))
    normalizer = plan.transform.normalizer
    counts, notes = damage(normalizer, text)
    result.add(counts)
    info["characters"] = len(text)
    info["script"] = script_profile(text)
    info["damage"] = counts
    info["notes"] = notes
    result.info = info


def _jsonl_values(text: str, fields: tuple[str, ...]) -> list[str]:
    values: list[str] = []
    for line in text.split("\n"):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            values.extend(record[f] for f in fields if isinstance(record.get(f), str))
    return values


def damage(normalizer: Normalizer | None, text: str) -> tuple[dict[str, int], dict[str, str]]:
    """How many changes each stage would make, and the stages' notes: the damage found."""
    if normalizer is None:
        return {}, {}
    explained = normalizer.explain(text)
    counts: dict[str, int] = {}
    for change in explained.changes:
        for stage in change.stage.split("+"):
            counts[stage] = counts.get(stage, 0) + 1
    return counts, dict(explained.notes)


def script_profile(text: str) -> dict[str, object]:
    """Simplified, Traditional (and which standard), mixed, neutral or none, with evidence:
    the script stage's own verdict (``chars.script.script_verdict``)."""
    from .chars.script import script_verdict

    return script_verdict(text)


def _standard(text: str) -> str:
    from .chars.script import code_points, standard_of

    return standard_of(code_points(text))


def _changed(a: str, b: str) -> int:
    """Characters that differ (conversions are almost always one for one)."""
    if len(a) == len(b):
        return sum(map(str.__ne__, a, b))
    return sum(
        1
        for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
        if op[0] != "equal"
    )


# ---------------------------------------------------------------------------- parquet


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise InputError("reading Parquet needs pyarrow: pip install 'normtext[parquet]'") from None
    return pyarrow, pyarrow.parquet


def _open_parquet(plan: Plan, source: Source) -> tuple[Any, list[str]]:
    pa, pq = _pyarrow()
    if source.path is None:
        raise InputError("<stdin>: Parquet cannot come from standard input; pass the file")
    try:
        pf = pq.ParquetFile(source.path)
    except OSError as exc:
        raise InputError(read_error_message(source.label, exc)) from None
    except pa.ArrowException as exc:
        raise InputError(f"{source.label}: not a readable Parquet file ({exc})") from None
    schema = pf.schema_arrow
    names = [n for n in plan.fields if n in schema.names]
    if not names:
        raise InputError(
            f"{source.label}: no column {', '.join(plan.fields)}; its columns are "
            f"{', '.join(schema.names)}: name the text column(s) with --field"
        )
    for name in names:
        kind = schema.field(name).type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            raise InputError(f"{source.label}: column {name!r} holds {kind}, not text")
    return pf, names


def _parquet_sample(plan: Plan, source: Source) -> list[str]:
    pf, names = _open_parquet(plan, source)
    if not pf.num_row_groups:
        return []
    table = pf.read_row_group(0, columns=names)
    return [v for name in names for v in table.column(name).to_pylist() if isinstance(v, str)]


def _parquet(plan: Plan, source: Source, result: FileResult, progress: Progress | None) -> None:
    """Repair text columns one row group at a time, keeping schema, order and compression."""
    pa, pq = _pyarrow()
    if plan.action == "diff" or (plan.action == "write" and not plan.writes_files):
        raise InputError(
            f"{source.label}: Parquet is binary: write it with -o DIR or --in-place "
            "(or use --check)"
        )
    pf, names = _open_parquet(plan, source)
    schema = pf.schema_arrow
    writer: AtomicWriter | None = None
    sink = None
    if plan.writes_files:
        if plan.in_place:
            assert source.path is not None
            real = check_in_place(source.path)
            writer = AtomicWriter(real, like=real, backup=plan.backup)
        else:
            assert plan.out_dir is not None
            writer = AtomicWriter(plan.out_dir / source.rel)
        sink = pq.ParquetWriter(writer.file, schema, compression=_compression(pf))
    try:
        for i in range(pf.num_row_groups):
            table = pf.read_row_group(i)
            for name in names:
                index = table.schema.get_field_index(name)
                values = table.column(index).to_pylist()
                fixed: list[str | None] = []
                for value in values:
                    if value is None:
                        fixed.append(None)
                        continue
                    new, counts = plan.transform(value)
                    result.add(counts)
                    result.changed |= new != value
                    fixed.append(new)
                column = pa.array(fixed, type=schema.field(name).type)
                table = table.set_column(index, schema.field(name), column)
            if sink is not None:
                sink.write_table(table)
            if progress is not None:
                progress(pf.metadata.row_group(i).total_byte_size, 0)
        if sink is not None:
            sink.close()
            sink = None
        if writer is not None:
            writer.commit()
    finally:
        if writer is not None:
            writer.abort()


def _compression(pf: Any) -> str:
    meta = pf.metadata
    if meta.num_row_groups and meta.num_columns:
        name = str(meta.row_group(0).column(0).compression).lower()
        return "none" if name == "uncompressed" else name
    return "snappy"


# ---------------------------------------------------------------------------- the runner

Emit = Callable[[bytes], None]
Progress = Callable[[int, int], None]  # (bytes done, files done)

_PLAN: Plan | None = None


def _init_worker(plan: Plan) -> None:
    """Each worker gets the plan (and its Normalizer) once, not once per task."""
    global _PLAN
    _PLAN = plan
    # Ctrl-C is the main process's business: it lets running tasks finish their atomic
    # writes and then stops, so workers must not die half-way through one.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_parent()


def _die_with_parent() -> None:
    """Ask Linux to kill this worker if the main process dies (kill -9, OOM killer).

    Otherwise an orphaned worker can block forever writing a result nobody reads. Its
    unfinished output is only ever a temporary file, so dying is always safe.
    """
    if sys.platform != "linux":
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def _file_task(source: Source) -> FileResult:
    assert _PLAN is not None
    out: list[bytes] = []
    result = run_file(_PLAN, source, out.append)
    result.output = b"".join(out)
    return result


def _chunk_task(task: ChunkTask) -> ChunkOut:
    assert _PLAN is not None
    return work_chunk(_PLAN, task)


def _mp_context() -> multiprocessing.context.BaseContext:
    """Fork when it is safe (Linux, one thread: workers inherit the built stages), else spawn."""
    methods = multiprocessing.get_all_start_methods()
    if sys.platform == "linux" and "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class _Prefixed:
    """A stream that first returns ``head`` (already read to peek) and then the rest."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def read(self, n: int = -1) -> bytes:
        if self._head:
            if n < 0:
                data, self._head = self._head + self._rest.read(), b""
                return data
            data, self._head = self._head[:n], self._head[n:]
            return data
        return self._rest.read(n)


class Runner:
    """Run a plan over many inputs, results in input order, inline or on a process pool.

    Small inputs go to the pool whole. Big ones (and a big standard input) are read here
    and their chunks spread over the pool, at most a few per worker in flight, so memory
    stays bounded whatever the file size. With ``jobs=1`` everything runs in this process.
    """

    def __init__(
        self,
        plan: Plan,
        *,
        jobs: int,
        stdout: BinaryIO,
        stdin: BinaryIO | None = None,
        on_result: Callable[[FileResult], None],
        on_progress: Progress | None = None,
    ) -> None:
        self.plan = plan
        self.jobs = max(1, jobs)
        self.stdout = stdout
        self.stdin = stdin
        self.on_result = on_result
        self.on_progress = on_progress or (lambda nbytes, nfiles: None)
        self._pool: ProcessPoolExecutor | None = None
        self._pending: deque[tuple[Future[object], Callable[[Future[object]], None]]] = deque()
        self._open: set[TextJob] = set()
        self._limit = 2 * self.jobs + 1
        self._sources: list[Source] = []

    def run(self, sources: list[Source]) -> None:
        self._sources = sources
        big = 2 * self.plan.chunk_size
        streamable = self.plan.action in ("write", "check", "diff")
        if not any(s.path is None or s.size > big for s in sources):
            self.jobs = min(self.jobs, len(sources))  # no chunks to share: a worker per file
        parallel = self.jobs > 1
        try:
            for source in sources:
                fmt = self.plan.format_of(source)
                chunked = streamable and fmt in ("text", "jsonl")
                if not parallel or (source.path is None and not chunked):
                    self._inline(source)  # workers have no stdin
                elif source.path is None and chunked:
                    self._stdin(source)
                elif chunked and source.size > big:
                    self._stream(source, self.stdin)
                else:
                    self._submit(_file_task, source, partial(self._file_done, source))
            self._drain(0)
        finally:
            for job in list(self._open):
                job.abort()
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)

    # -- inline

    def _inline(self, source: Source, stdin: BinaryIO | None = None) -> None:
        self._drain(0)  # keep stdout in input order
        result = run_file(
            self.plan, source, self._emit, stdin=stdin or self.stdin, progress=self.on_progress
        )
        self.on_result(result)
        self.on_progress(0, 1)

    def _stdin(self, source: Source) -> None:
        assert self.stdin is not None
        head = self.stdin.read(self.plan.chunk_size)
        if len(head) < self.plan.chunk_size:
            self._inline(source, io.BytesIO(head))
        else:
            self._stream(source, cast(BinaryIO, _Prefixed(head, self.stdin)))

    # -- pool

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            context = _mp_context()
            if context.get_start_method() == "fork":
                prime(self.plan, self._sources)
            self._pool = ProcessPoolExecutor(
                self.jobs, mp_context=context, initializer=_init_worker, initargs=(self.plan,)
            )
        return self._pool

    def _submit(self, fn: Callable[..., object], arg: object, done: Callable[..., None]) -> None:
        try:
            future = self._executor().submit(fn, arg)
        except BrokenProcessPool:
            # a worker died (its inputs are reported as failed): carry on with a fresh pool
            assert self._pool is not None
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
            future = self._executor().submit(fn, arg)
        self._pending.append((future, done))
        self._drain(self._limit)

    def _mark(self, done: Callable[[], None]) -> None:
        """Queue a step that runs, in order, once everything queued before it is handled."""
        future: Future[object] = Future()
        future.set_result(None)
        self._pending.append((future, lambda _f: done()))

    def _drain(self, limit: int) -> None:
        while len(self._pending) > limit:
            future, done = self._pending.popleft()
            done(future)

    def _file_done(self, source: Source, future: Future[FileResult]) -> None:
        try:
            result = future.result()
        except BrokenProcessPool:
            result = FileResult(source.label, size=source.size, error=_died(source.label))
        if result.output:
            self._emit(result.output)
        self.on_result(result)
        self.on_progress(result.size, 1)

    def _stream(self, source: Source, stdin: BinaryIO | None) -> None:
        result = FileResult(source.label, size=0)
        job = TextJob(self.plan, source, self._emit, result)
        self._open.add(job)
        stream: BinaryIO | None = None
        try:
            stream = open_input(source, stdin)
            for task in job.start(stream):
                result.size += len(task.data)
                self._submit(_chunk_task, task, partial(self._chunk_done, job, len(task.data)))
        except Exception as exc:  # noqa: BLE001 - one input must not stop the run
            if not job.failed:
                result.error = error_message(source.label, exc)
            job.abort()
        finally:
            if stream is not None and stream is not stdin:
                stream.close()
        self._mark(partial(self._stream_done, job))

    def _chunk_done(self, job: TextJob, nbytes: int, future: Future[ChunkOut]) -> None:
        self.on_progress(nbytes, 0)
        if job.failed:
            return
        try:
            job.take(future.result())
        except BrokenProcessPool:
            job.result.error = _died(job.source.label)
            job.abort()
        except Exception as exc:  # noqa: BLE001 - one input must not stop the run
            job.result.error = error_message(job.source.label, exc)
            job.abort()

    def _stream_done(self, job: TextJob) -> None:
        if not job.failed:
            try:
                job.finish()
            except Exception as exc:  # noqa: BLE001 - one input must not stop the run
                job.result.error = error_message(job.source.label, exc)
                job.abort()
        self._open.discard(job)
        self.on_result(job.result)
        self.on_progress(0, 1)

    def _emit(self, data: bytes) -> None:
        self.stdout.write(data)


def _died(label: str) -> str:
    return (
        f"{label}: a worker process died while on this input (out of memory?); "
        "rerun it with --jobs 1"
    )
