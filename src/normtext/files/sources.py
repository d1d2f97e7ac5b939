"""Finding inputs: command-line paths expanded into ``Source`` values, and opening them."""

from __future__ import annotations

import errno
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


#: What a folder walk takes by default: plain text. Records only where a field is named.
TEXT_SUFFIXES: tuple[str, ...] = (".txt", ".text", ".srt", ".vtt", ".lrc")
RECORD_SUFFIXES: tuple[str, ...] = (".jsonl", ".ndjson", ".parquet")

#: Files that hold code, markup or documents *about* characters: rewriting their
#: punctuation, width or script would break them. A walk skips them unless asked.
CODE_SUFFIXES = frozenset(
    ".md .markdown .rst .adoc .tex .html .htm .xml .xhtml .svg .json .yaml .yml .toml .ini "
    ".cfg .conf .po .pot .ipynb .py .pyi .pyx .js .mjs .cjs .ts .tsx .jsx .vue .c .h .cc "
    ".cpp .cxx .hpp .hh .m .mm .java .kt .kts .scala .go .rs .rb .php .pl .pm .lua .swift "
    ".cs .fs .vb .r .jl .dart .sh .bash .zsh .fish .ps1 .bat .cmd .sql .css .scss .sass "
    ".less .csv .tsv .el .vim .hs .ml .ex .exs .erl .clj .proto .gradle .cmake .mk".split()
)


@dataclass(frozen=True)
class WalkRules:
    """Which files a folder walk takes. Files named on the command line are always taken.

    ``globs`` (file-name patterns) replaces the default suffixes; ``records`` adds JSONL
    and Parquet; ``exclude`` patterns match a name or a path below the folder given;
    ``gitignore`` honours ``.gitignore`` files met on the way; ``include_code`` takes code
    and markup too (otherwise skipped, and listed in ``skipped``).
    """

    globs: tuple[str, ...] = ()
    records: bool = False
    exclude: tuple[str, ...] = ()
    gitignore: bool = True
    include_code: bool = False

    def wants(self, name: str) -> bool:
        if self.globs:
            return any(fnmatch.fnmatch(name, g) for g in self.globs)
        suffixes = TEXT_SUFFIXES + (RECORD_SUFFIXES if self.records else ())
        return name.lower().endswith(suffixes)

    def excluded(self, rel: str) -> bool:
        name = rel.rsplit("/", 1)[-1]
        return any(fnmatch.fnmatch(rel, g) or fnmatch.fnmatch(name, g) for g in self.exclude)


def looks_like_code(path: Path) -> bool:
    """Code or markup by its name, or a script by its first bytes (``#!``)."""
    if path.suffix.lower() in CODE_SUFFIXES or path.name in ("Makefile", "Dockerfile"):
        return True
    try:
        with open(path, "rb") as handle:
            return handle.read(2) == b"#!"
    except OSError:
        return False  # reported properly when it is opened


def find_sources(
    args: Iterable[str],
    *,
    glob: str | None = None,
    rules: WalkRules | None = None,
    skip: Path | None = None,
    walk: bool = True,
    skipped: list[str] | None = None,
    backup: str | None = None,
    notes: list[tuple[str, str]] | None = None,
) -> tuple[list[Source], list[tuple[str, str]]]:
    """Expand command-line paths into sources, and say which could not be found.

    Folders are walked recursively in sorted order, keeping the files ``rules`` wants
    (``glob`` is a shorthand for one pattern) and skipping hidden files and folders
    (``.git``, our own temp files), what ``.gitignore`` files ignore, and anything under
    ``skip`` (the output folder, so a rerun does not eat its own output). Code and markup
    found in folders go to ``skipped``. With ``walk=False`` (commands that take files) a
    folder is reported instead.

    Never an input: a file ending in the ``backup`` suffix (a rerun must not repair, and
    back up again, its own backups; noted in ``notes`` only when named directly), and in
    folders anything that is not a regular file (a FIFO would block the run forever, a
    device could be endless), listed in ``notes``. A FIFO, socket or device named directly
    is an error, except the pipes the shell hands over (``/dev/stdin``, ``/dev/fd/N``).
    """
    if rules is None:
        rules = WalkRules(globs=(glob,) if glob else ())
    sources: list[Source] = []
    errors: list[tuple[str, str]] = []
    noted = notes if notes is not None else []
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
            errors.append((arg, open_error_reason(exc)))
            continue
        if stat.S_ISDIR(st.st_mode):
            if walk:
                sources.extend(_walk(path, rules, skip_real, errors, skipped, backup, noted))
            else:
                errors.append((arg, "is a folder where a file was expected; pass a file"))
        elif not stat.S_ISREG(st.st_mode) and not is_shell_pipe(arg):
            errors.append((arg, special_file_message(st.st_mode, named=True)))
        elif backup and path.name.endswith(backup):
            noted.append((arg, f"skipped: ends in the --backup suffix {backup!r}, a backup"))
        else:
            sources.append(Source(path, Path(path.name), st.st_size))
    return _unique(sources), errors


def is_shell_pipe(arg: str) -> bool:
    """Whether ``arg`` names a pipe the shell opened for us (it has a writer: safe to read)."""
    return arg == "/dev/stdin" or arg.startswith(("/dev/fd/", "/proc/self/fd/"))


def special_file_message(mode: int, *, named: bool) -> str:
    kind = (
        "a FIFO (named pipe)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "not a regular file"
    )
    if not named:
        return f"skipped: {kind}, not a regular file"
    return (
        f"is {kind}, not a regular file; reading it could block forever: "
        "pipe it in instead (normtext < NAME)"
    )


def open_error_reason(exc: OSError) -> str:
    """Why a path cannot be opened, in words a user can act on."""
    if exc.errno == errno.ELOOP:
        return "is a symlink loop (ELOOP: the links point at each other); fix or remove the link"
    if isinstance(exc, PermissionError):
        return "permission denied; check its permissions"
    return f"cannot open ({exc.strerror}); check its permissions"


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
    root: Path,
    rules: WalkRules,
    skip: str | None,
    errors: list[tuple[str, str]],
    skipped: list[str] | None,
    backup: str | None,
    notes: list[tuple[str, str]],
) -> Iterator[Source]:
    def on_error(exc: OSError) -> None:
        errors.append((str(exc.filename), f"cannot list folder ({exc.strerror})"))

    ignores: dict[str, GitIgnore] = {}  # folder -> the rules in force there
    for folder, dirs, files in os.walk(root, onerror=on_error):
        if skip is not None and os.path.realpath(folder) == skip:
            dirs[:] = []
            continue
        rel_folder = Path(folder).relative_to(root).as_posix()
        parent = ignores.get(os.path.dirname(folder), GitIgnore())
        ignore = parent.extended(Path(folder), rel_folder) if rules.gitignore else parent
        ignores[folder] = ignore
        dirs[:] = sorted(
            d
            for d in dirs
            if not d.startswith(".")
            and not ignore.ignored(_join(rel_folder, d), is_dir=True)
            and not rules.excluded(_join(rel_folder, d))
        )
        for name in sorted(files):
            rel = _join(rel_folder, name)
            if name.startswith(".") or not rules.wants(name) or rules.excluded(rel):
                continue
            if ignore.ignored(rel, is_dir=False):
                continue
            path = Path(folder, name)
            if backup and name.endswith(backup):
                continue  # our own backup: silently, as a rerun over a folder meets many
            try:
                st = path.stat()
            except OSError:
                yield Source(path, path.relative_to(root), 0)  # reported when it is opened
                continue
            if not stat.S_ISREG(st.st_mode):
                notes.append((str(path), special_file_message(st.st_mode, named=False)))
                continue
            # after the type check: looking for a #! line opens the file (a FIFO would block)
            if not rules.include_code and looks_like_code(path):
                if skipped is not None:
                    skipped.append(str(path))
                continue
            yield Source(path, path.relative_to(root), st.st_size)


def _join(folder: str, name: str) -> str:
    return name if folder == "." else f"{folder}/{name}"


@dataclass(frozen=True)
class GitIgnore:
    """The ``.gitignore`` rules in force in one folder: its own and its parents'.

    The common patterns: ``#`` comments, ``!`` to re-include, a trailing ``/`` for folders
    only, a ``/`` inside or in front to anchor the pattern to its file's folder (else it
    matches a name at any depth), ``*``/``?``/``[...]`` and ``**/``. The last match wins.
    """

    rules: tuple[tuple[str, str, bool, bool, bool], ...] = ()  # base, pattern, neg, dir, anchored

    def extended(self, folder: Path, rel_folder: str) -> GitIgnore:
        try:
            text = (folder / ".gitignore").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return self
        base = "" if rel_folder == "." else rel_folder + "/"
        added = []
        for raw in text.splitlines():
            line = raw.rstrip()
            if not line or line.startswith("#"):
                continue
            negate = line.startswith("!")
            line = line[1:] if negate else line
            dir_only = line.endswith("/")
            line = line.rstrip("/")
            if line.startswith("**/"):
                line, anchored = line[3:], False
            else:
                anchored = "/" in line
            line = line.lstrip("/")
            if line.endswith("/**"):
                line, dir_only = line[:-3], True
            if line:
                added.append((base, line, negate, dir_only, anchored))
        return GitIgnore(self.rules + tuple(added))

    def ignored(self, rel: str, *, is_dir: bool) -> bool:
        verdict = False
        for base, pattern, negate, dir_only, anchored in self.rules:
            if not rel.startswith(base) or (dir_only and not is_dir):
                continue
            below = rel[len(base) :]
            target = below if anchored else below.rsplit("/", 1)[-1]
            if fnmatch.fnmatchcase(target, pattern):
                verdict = not negate
        return verdict


def open_input(source: Source, stdin: BinaryIO | None = None) -> BinaryIO:
    """Open a source for binary reading, turning OS errors into actionable messages.

    Opened without blocking and checked: a file that became a FIFO after the folder walk
    must not hang the run.
    """
    if source.path is None:
        if stdin is None:
            raise InputError("<stdin>: standard input is not available here")
        return stdin
    try:
        fd = os.open(source.path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(read_error_message(source.label, exc)) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(read_error_message(source.label, IsADirectoryError()))
        if not stat.S_ISREG(mode) and not is_shell_pipe(str(source.path)):
            raise InputError(f"{source.label}: {special_file_message(mode, named=True)}")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return open(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_error_message(label: str, exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return f"{label}: no such file (removed while running?); check the path"
    if isinstance(exc, IsADirectoryError):
        return f"{label}: is a folder where a file was expected; pass a file"
    if isinstance(exc, PermissionError):
        return f"{label}: permission denied; make it readable (chmod u+r) or skip it"
    if exc.errno == errno.ELOOP:
        return f"{label}: {open_error_reason(exc)}"
    return f"{label}: cannot read ({exc.strerror}); check the file"
