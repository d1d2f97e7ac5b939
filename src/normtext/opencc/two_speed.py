"""The engine a ``Converter`` holds: short texts by the plain engine, long ones by numpy's.

Both convert exactly as OpenCC does; they differ in what they cost. The numpy engine
(``engine.py``) pays for importing numpy and setting up arrays once per text, then a
little per character; the plain one (``plain.py``) pays a few microseconds per character
and nothing up front, which is what a fresh process converting a sentence needs (issue
12). The plain engine reads the stored tables (``store.py``); where the store has none
(the first run, or no place to keep them) the numpy engine builds them, and the plain one
reads what it stored.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from .. import lazy_numpy
from .config import ConfigSpec
from .dictionary import shipped, shipped_bytes
from .plain import changes_length, plain_converter
from .store import Reader, config_path, load_views

if TYPE_CHECKING:
    from .cuts import Cuts
    from .engine import FastConverter
    from .reference import ReferenceConverter

Loader = Callable[[str], Mapping[str, str]]

#: Characters: below, the plain engine is the faster (measured on spun and clean news
#: with t2s and tw2s); longer texts take it too while numpy is not loaded (``lazy_numpy``).
PLAIN_MAX = 128


class TwoSpeedConverter:
    """Converts like ``FastConverter(config, load, read)``: the plain engine for short
    texts, the numpy engine, built on first need, for long ones and unit maps."""

    def __init__(self, config: ConfigSpec, *, load: Loader = shipped, read: Reader | None = None):
        self.config, self.load = config, load
        self.read = shipped_bytes if read is None and load is shipped else read
        self._fast: FastConverter | None = None
        self._lock = threading.Lock()
        self._plain, self._changes_length = self._stored()
        if self._changes_length is None:
            # Nothing stored: build now (a dictionary in error says so here, not at first
            # use), and read back what was stored.
            self._fast_engine()
            self._plain, self._changes_length = self._stored()

    def _stored(self) -> tuple[ReferenceConverter | None, bool | None]:
        """The plain engine over the stored tables and whether they change lengths; no
        engine and None when nothing usable is stored."""
        if self.read is None:
            return None, None
        try:
            found = load_views(config_path(self.config, self.read))
            if found is None:
                return None, None
            facts, views = found
            return plain_converter(facts, views), changes_length(facts)
        except (OSError, RuntimeError, ValueError, KeyError, TypeError):
            return None, None  # unreadable, no home for a cache, or damaged: the numpy way

    def _fast_engine(self) -> FastConverter:
        if self._fast is None:
            with self._lock:
                if self._fast is None:
                    from .engine import FastConverter

                    self._fast = FastConverter(self.config, self.load, self.read)
        return self._fast

    @property
    def changes_length(self) -> bool:
        if self._changes_length is None:
            return self._fast_engine().changes_length
        return self._changes_length

    def convert(self, text: str) -> str:
        if self._plain is not None and lazy_numpy.pure_python_for(len(text), PLAIN_MAX):
            return self._plain.convert(text)
        return self._fast_engine().convert(text)

    def convert_with_cuts(self, text: str) -> tuple[str, Cuts]:
        return self._fast_engine().convert_with_cuts(text)
