"""Many inputs at once: worker processes, chunks spread over them, results in input order."""

from __future__ import annotations

import io
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING, BinaryIO, cast

from ..errors import NormtextError
from .atomic import HELD_SIGNALS, forget_temp_files, remove_temp_files, signals_held
from .chunks import (
    detect,
)
from .job import (
    ChunkOut,
    ChunkTask,
    TextJob,
    error_message,
    run_file,
    work_chunk,
)
from .plan import FileResult, Plan, Progress
from .sources import Source, open_input

if TYPE_CHECKING:
    import multiprocessing.context
    from concurrent.futures import Future, ProcessPoolExecutor

# multiprocessing and concurrent.futures load only when a pool is started: a run in this
# process alone (every `normtext convert`, --jobs 1) does without their 20-30 ms of import.


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


_PLAN: Plan | None = None


def _init_worker(plan: Plan) -> None:
    """Each worker gets the plan (and its Normalizer) once, not once per task."""
    global _PLAN
    _PLAN = plan
    # Ctrl-C is the main process's business: it lets running tasks finish their atomic
    # writes and then stops, so workers must not die half-way through one.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    forget_temp_files()  # forked: the parent's temp files are the parent's to remove
    for sig in TERMINATING:  # killed with the process group: leave no temp file behind
        signal.signal(sig, _die_cleanly)
    if hasattr(signal, "pthread_sigmask"):  # forked with them held (see Runner._submit)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD_SIGNALS)
    _die_with_parent()


def _die_with_parent() -> None:
    """Ask Linux to kill this worker if the main process dies (kill -9, OOM killer).

    Otherwise an orphaned worker can block forever writing a result nobody reads. Its
    unfinished output is only ever a temporary file, so dying is always safe.
    """
    if sys.platform != "linux":
        return
    import ctypes

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
    import multiprocessing

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
        self.on_progress = on_progress or (lambda _nbytes, _nfiles: None)
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
        with on_termination():
            self._run(sources, streamable=streamable, parallel=parallel, big=big)

    def _run(self, sources: list[Source], *, streamable: bool, parallel: bool, big: int) -> None:
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
            remove_temp_files()  # what an interruption left unfinished in this process

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
        from concurrent.futures import ProcessPoolExecutor

        if self._pool is None:
            context = _mp_context()
            if context.get_start_method() == "fork":
                prime(self.plan, self._sources)
                import gc

                gc.freeze()
            self._pool = ProcessPoolExecutor(
                self.jobs, mp_context=context, initializer=_init_worker, initargs=(self.plan,)
            )
        return self._pool

    def _submit(self, fn: Callable[..., object], arg: object, done: Callable[..., None]) -> None:
        # Workers are forked inside submit. Forked with the main process's handlers, a
        # worker hit by SIGTERM before it installs its own would raise in a copy of the
        # main process's stack and carry on as a second main process: so they are forked
        # with the signals held, and release them once their own handlers are in place.
        from concurrent.futures.process import BrokenProcessPool

        pool = self._executor()
        try:
            with signals_held():
                future = pool.submit(fn, arg)
        except BrokenProcessPool:
            # a worker died (its inputs are reported as failed): go on with a fresh pool
            pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
            pool = self._executor()
            with signals_held():
                future = pool.submit(fn, arg)
        self._pending.append((future, done))
        self._drain(self._limit)

    def _mark(self, done: Callable[[], None]) -> None:
        """Queue a step that runs, in order, once everything queued before it is handled."""
        from concurrent.futures import Future

        future: Future[object] = Future()
        future.set_result(None)
        self._pending.append((future, lambda _f: done()))

    def _drain(self, limit: int) -> None:
        while len(self._pending) > limit:
            future, done = self._pending.popleft()
            done(future)

    def _file_done(self, source: Source, future: Future[FileResult]) -> None:
        from concurrent.futures.process import BrokenProcessPool

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
            for task in job.start(stream, ranges=True):
                result.size += task.size
                self._submit(_chunk_task, task, partial(self._chunk_done, job, task.size))
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
        from concurrent.futures.process import BrokenProcessPool

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
        write_all(self.stdout, data)


def write_all(stream: BinaryIO, data: bytes) -> None:
    """Write every byte, or fail: a pipe whose reader left takes part of a write silently.

    (`normtext big.txt | head -1`: the write in progress when ``head`` exits returns
    short, and only the next one says EPIPE. Ignoring the count lost the rest of the
    output and exited 0; writing on raises ``BrokenPipeError``, which ends the run: 141.)
    """
    while data:
        n = stream.write(data)
        if n is None or n >= len(data):
            return
        data = data[n:]  # copies, but only after a short write, which is rare


class Terminated(BaseException):
    """SIGTERM or SIGHUP reached the main process: unwind (aborting every unfinished write)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


#: Signals that end a run the way Ctrl-C does: temp files removed, originals intact.
TERMINATING = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def _raise_terminated(signum: int, _frame: object) -> None:
    remove_temp_files()
    raise Terminated(signum)


def _die_cleanly(signum: int, _frame: object) -> None:
    """In a worker: drop its unfinished temp files, then die of the signal as usual."""
    remove_temp_files()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


@contextmanager
def on_termination() -> Iterator[None]:
    """While running, SIGTERM/SIGHUP raise ``Terminated`` instead of killing outright.

    Only in the main thread (the only one Python delivers signals to); elsewhere, as in
    a library call from a thread, nothing changes.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, _raise_terminated) for sig in TERMINATING}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _died(label: str) -> str:
    return (
        f"{label}: a worker process died while on this input (out of memory?); "
        "rerun it with --jobs 1"
    )
