"""The files in ``normtext/data/``: frequency tables, readings, character sets.

Read straight from the package's folder, where every supported install (wheel, editable,
source tree) puts them: importing ``importlib.resources`` (with pathlib, tempfile and
zipfile) cost about 10 ms of a fresh process's first call, more than reading the files.
A package imported from a zip archive has no such folder; there ``importlib.resources``
reads them.
"""

from __future__ import annotations

import os

_FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def _path(name: str) -> str | None:
    path = os.path.join(_FOLDER, name)
    return path if os.path.isfile(path) else None


def read_bytes(name: str) -> bytes:
    path = _path(name)
    if path is None:
        from importlib import resources

        return resources.files("normtext").joinpath("data", name).read_bytes()
    with open(path, "rb") as handle:
        return handle.read()


def read_text(name: str) -> str:
    """The UTF-8 file ``name``, read as ``importlib.resources`` reads text (newlines
    translated)."""
    path = _path(name)
    if path is None:
        from importlib import resources

        return resources.files("normtext").joinpath("data", name).read_text(encoding="utf-8")
    with open(path, encoding="utf-8") as handle:
        return handle.read()
