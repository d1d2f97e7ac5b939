"""normtext: turn damaged Chinese text into clean, canonical text.

The public face: ``normalize`` (alias ``normalise``), ``Normalizer``, ``Options``,
``explain``, ``decode`` and the OpenCC-exact ``convert`` / ``Converter``.
"""

# No ``from __future__ import annotations`` here: it would put ``annotations`` in
# ``dir(normtext)``. Helpers are imported under private names for the same reason.
from functools import lru_cache as _lru_cache
from typing import TYPE_CHECKING as _TYPE_CHECKING

from .errors import (
    DecodeError,
    DictionaryError,
    InputError,
    NormtextError,
    NotTextError,
    OptionsError,
    UnknownConfigError,
    UsageError,
)
from .opencc import CONFIG_NAMES, Converter, convert
from .options import STAGES, TARGETS, Options, OptionsKwargs
from .pipeline import Normalizer
from .result import Result
from .text import Change, Edit

if _TYPE_CHECKING:
    from typing_extensions import Unpack

    from .decoding import Decoded

__version__ = "0.1.0"


@_lru_cache(maxsize=32)
def _normalizer(options: Options) -> Normalizer:
    return Normalizer(options)


def normalize(
    text: str, options: "Options | None" = None, **kwargs: "Unpack[OptionsKwargs]"
) -> str:
    """Repair ``text`` and return clean Simplified Chinese (or ``target``); see ``Options``."""
    return _normalizer(Options.from_kwargs(options, **kwargs)).normalize(text)


normalise = normalize


def explain(
    text: str, options: "Options | None" = None, **kwargs: "Unpack[OptionsKwargs]"
) -> Result:
    """Like ``normalize``, but also return every change and a map back to the source."""
    return _normalizer(Options.from_kwargs(options, **kwargs)).explain(text)


def decode(data: bytes, *, encoding: "str | None" = None) -> "Decoded":
    """Bytes to text: the encoding detected (or ``encoding``), with its confidence.

    A plain function rather than a re-export so that ``import normtext`` stays cheap: the
    detector and its tables load on the first call.
    """
    from .decoding import decode as _decode

    return _decode(data, encoding=encoding)


def __getattr__(name: str) -> object:
    # ``Decoded`` (the type decode returns) loads with the detector, on first use.
    if name == "Decoded":
        from .decoding import Decoded

        return Decoded
    raise AttributeError(f"module 'normtext' has no attribute {name!r}")


__all__ = [
    "CONFIG_NAMES",
    "STAGES",
    "TARGETS",
    "Change",
    "Converter",
    "DecodeError",
    "Decoded",
    "DictionaryError",
    "Edit",
    "InputError",
    "Normalizer",
    "NormtextError",
    "NotTextError",
    "Options",
    "OptionsError",
    "OptionsKwargs",
    "Result",
    "UnknownConfigError",
    "UsageError",
    "convert",
    "decode",
    "explain",
    "normalise",
    "normalize",
]


def __dir__() -> "list[str]":
    return sorted(set(__all__) | {"__version__"})
