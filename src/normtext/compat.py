"""Drop-in for ``opencc-python-reimplemented`` / ``opencc-py`` users: change one import line.

``from normtext.compat import OpenCC`` then ``OpenCC("t2s").convert(text)`` as before,
with the current OpenCC data and OpenCC's exact results.
"""

from __future__ import annotations

from .opencc import Converter


class OpenCC(Converter):
    """``OpenCC(conversion)`` with ``convert(text)``, ``conversion`` and ``set_conversion``,
    as in the old API."""

    def __init__(self, conversion: str = "t2s") -> None:
        super().__init__(conversion)

    @property
    def conversion(self) -> str:
        """The config in use, as it was set (``"t2s"``); opencc-python-reimplemented has it."""
        return self.config

    def set_conversion(self, conversion: str) -> None:
        self.__init__(conversion)  # type: ignore[misc]


__all__ = ["OpenCC"]
