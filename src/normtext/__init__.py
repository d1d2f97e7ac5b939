"""normtext: turn damaged Chinese text into clean, canonical text.

The public face: ``normalize`` (alias ``normalise``), ``Normalizer``, ``Options``,
``explain``, ``decode`` and the OpenCC-exact ``convert`` / ``Converter``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .errors import DecodeError, NormtextError, NotTextError, OptionsError, UnknownConfigError
from .opencc import CONFIG_NAMES, Converter, convert
from .options import STAGES, TARGETS, Options
from .pipeline import Normalizer
from .result import Result
from .text import Change, Edit

__version__ = "0.1.0"


@lru_cache(maxsize=32)
def _normalizer(options: Options) -> Normalizer:
    return Normalizer(options)


def normalize(text: str, options: Options | None = None, **kwargs: Any) -> str:
    """Repair ``text`` and return clean Simplified Chinese (or ``target``); see ``Options``."""
    return _normalizer(Options.from_kwargs(options, **kwargs)).normalize(text)


normalise = normalize


def explain(text: str, options: Options | None = None, **kwargs: Any) -> Result:
    """Like ``normalize``, but also return every change and a map back to the source."""
    return _normalizer(Options.from_kwargs(options, **kwargs)).explain(text)


def __getattr__(name: str) -> Any:
    # decode pulls in charset-normalizer; load it only when someone asks for bytes.
    if name in ("decode", "Decoded"):
        from . import decoding as _decode

        return getattr(_decode, name if name == "Decoded" else "decode")
    raise AttributeError(f"module 'normtext' has no attribute {name!r}")


__all__ = [
    "CONFIG_NAMES",
    "STAGES",
    "TARGETS",
    "Change",
    "Converter",
    "DecodeError",
    "Edit",
    "Normalizer",
    "NormtextError",
    "NotTextError",
    "Options",
    "OptionsError",
    "Result",
    "UnknownConfigError",
    "convert",
    "decode",
    "explain",
    "normalise",
    "normalize",
]
