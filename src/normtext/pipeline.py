"""Normalizer: runs the enabled stages in order and, when asked, keeps the alignment."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from .options import STAGES, Options
from .result import Result
from .stages import Stage, build_stage
from .text import Alignment


class Normalizer:
    """Build once, normalise many texts; safe to share between threads and to pickle.

    The compiled stages are built lazily on first use, so a pickled Normalizer carries only
    its options: workers (multiprocessing, Spark, Ray) rebuild the stages themselves.
    """

    def __init__(self, options: Options | None = None, **kwargs: Any) -> None:
        self.options = Options.from_kwargs(options, **kwargs)
        self._stages: list[Stage] | None = None
        self._lock = threading.Lock()

    def __reduce__(self) -> tuple[Any, ...]:
        return (Normalizer, (self.options,))

    def __repr__(self) -> str:
        return f"Normalizer({self.options!r})"

    @property
    def stages(self) -> list[Stage]:
        if self._stages is None:
            with self._lock:
                if self._stages is None:
                    self._stages = [
                        build_stage(n, self.options) for n in STAGES if self.options.enabled(n)
                    ]
        return self._stages

    def normalize(self, text: str) -> str:
        if not isinstance(text, str):
            raise TypeError(
                f"normalize() takes str, not {type(text).__name__}; use normtext.decode() for bytes"
            )
        for stage in self.stages:
            text = stage.transform(text)
        return text

    normalise = normalize

    def normalize_batch(self, texts: Iterable[str]) -> list[str]:
        """Normalise many texts (the shape ``datasets.map(batched=True)`` and pandas want)."""
        return [self.normalize(t) for t in texts]

    normalise_batch = normalize_batch

    def explain(self, text: str) -> Result:
        if not isinstance(text, str):
            raise TypeError(f"explain() takes str, not {type(text).__name__}")
        alignment = Alignment(text)
        notes: dict[str, str] = {}
        current = text
        for stage in self.stages:
            notes.update(stage.notes(current))
            current = alignment.compose(stage.name, current, stage.edits(current))
        return Result(text, current, alignment.changes, notes, alignment)
