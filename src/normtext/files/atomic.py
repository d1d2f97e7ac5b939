"""Atomic writes and backups.

Why atomic writes: an interrupted run must leave every file either old or new. Outputs go
to a temporary file beside the target (``.NAME.normtext-tmp-XXXX``), which is flushed,
fsynced and renamed over the target; the original is never opened for writing.
"""

from __future__ import annotations

import functools
import os
import signal
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError

#: Marks our temporary files; folder walks skip them (they are hidden) and a user who
#: finds one after a hard crash knows where it came from.
TEMP_MARK = ".normtext-tmp-"

#: Test hook (documented in docs/cli.md): after this many committed writes, the process
#: kills itself with SIGKILL just before its next rename, the worst moment for a crash.
CRASH_ENV = "NORMTEXT_TEST_CRASH_AFTER"


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
            fd, tmp = _make_temp(dest)
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
                make_backup(self.like, Path(f"{self.like}{self.backup}"))
            os.replace(self.tmp, self.dest)
            self._done = True
            _LIVE.discard(str(self.tmp))
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
        _LIVE.discard(str(self.tmp))

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


def make_backup(original: Path, backup: Path) -> None:
    """Keep the old content under ``backup``, never replacing a backup that exists.

    Why never replace: a second run must not turn ``a.txt.orig`` (the first original) into
    a copy of the first run's output. So an existing backup is an error for this file
    (``InputError``, the file is left as it is), checked by the link itself: ``os.link``
    refuses an existing name atomically. A hard link is instant; where the filesystem
    has none, a copy is made beside it and linked (or, failing that, renamed) into place.
    """
    try:
        os.link(original, backup, follow_symlinks=False)
        return
    except FileExistsError:
        raise InputError(backup_exists_message(original, backup)) from None
    except OSError:
        pass  # no hard links here (another filesystem, FAT, ...): copy instead
    fd, tmp = _make_temp(backup)
    os.close(fd)
    try:
        import shutil

        shutil.copy2(original, tmp)
        try:
            os.link(tmp, backup)
        except FileExistsError:
            raise InputError(backup_exists_message(original, backup)) from None
        except OSError:
            if os.path.lexists(backup):
                raise InputError(backup_exists_message(original, backup)) from None
            os.rename(tmp, backup)
    finally:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        _LIVE.discard(tmp)


def backup_exists_message(original: Path, backup: Path) -> str:
    return (
        f"{original}: its backup {backup} already exists (from an earlier run?), so the "
        "file was left untouched to keep that backup; move the backup away or pick "
        "another --backup suffix"
    )


#: Temporary files this process has open and not yet renamed or removed: what a signal
#: handler deletes before the process dies (see ``runner.on_termination``).
_LIVE: set[str] = set()


def _make_temp(beside: Path) -> tuple[int, str]:
    """A new temporary file next to ``beside``, registered in ``_LIVE`` before any signal
    handler can run (a SIGTERM between its creation and its registration would leave it)."""
    flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        # tempfile.mkstemp's recipe (a fresh random name, created exclusively, 0600)
        # without its 3-5 ms of import (random, hashing) on every CLI start
        tmp = str(beside.parent / f".{beside.name}{TEMP_MARK}{os.urandom(6).hex()}")
        with signals_held():
            try:
                fd = os.open(tmp, flags, 0o600)
            except FileExistsError:
                continue
            _LIVE.add(tmp)
        return fd, tmp
    raise FileExistsError(f"no free temporary name beside {beside}")


#: What ``signals_held`` holds back: the signals whose handlers end a run.
HELD_SIGNALS = frozenset(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name)
)


@contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGTERM, SIGHUP and SIGINT back in this thread for a few steps that must not be
    cut (they arrive right after); a no-op where ``pthread_sigmask`` does not exist."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def forget_temp_files() -> None:
    """Drop the list without deleting anything (a forked child inherits its parent's)."""
    _LIVE.clear()


def remove_temp_files() -> None:
    """Delete this process's unfinished temporary files (safe inside a signal handler)."""
    for tmp in list(_LIVE):
        try:
            os.unlink(tmp)
        except OSError:
            pass
        _LIVE.discard(tmp)


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


@functools.cache
def _umask() -> int:
    """The process umask (reading it means setting it; once per process is enough)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_commits = 0


def _crash_hook() -> None:
    global _commits
    limit = os.environ.get(CRASH_ENV)
    if limit is not None and _commits >= int(limit):
        os.kill(os.getpid(), signal.SIGKILL)
    _commits += 1
