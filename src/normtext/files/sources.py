"""Finding inputs: command-line paths expanded into ``Source`` values, and opening them."""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError


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
