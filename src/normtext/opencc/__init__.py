"""OpenCC-exact script conversion (work in progress: engine lands next)."""

from __future__ import annotations

from .config import CONFIG_NAMES, resolve_config_name


class Converter:
    def __init__(self, config: str = "t2s", **kwargs) -> None:
        self.config = resolve_config_name(config)

    def convert(self, text: str) -> str:
        raise NotImplementedError("engine not written yet")


def convert(text: str, config: str = "t2s") -> str:
    return Converter(config).convert(text)


__all__ = ["CONFIG_NAMES", "Converter", "convert"]
