"""Normalizer: runs the enabled stages in order and, when asked, keeps the alignment."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar, overload

from .options import STAGES, Options, OptionsKwargs
from .result import Result
from .stages import Stage, build_stage
from .text import Alignment

if TYPE_CHECKING:
    import pandas
    import pyarrow
    from typing_extensions import Unpack

_Batch = TypeVar("_Batch", "pyarrow.Array", "pyarrow.ChunkedArray", "pandas.Series")


class Normalizer:
    """Build once, normalise many texts; safe to share between threads and to pickle.

    The compiled stages are built lazily on first use, so a pickled Normalizer carries only
    its options: workers (multiprocessing, Spark, Ray) rebuild the stages themselves.
    """

    def __init__(self, options: Options | None = None, **kwargs: Unpack[OptionsKwargs]) -> None:
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

    @overload
    def normalize_batch(self, texts: list[str]) -> list[str]: ...

    @overload
    def normalize_batch(self, texts: Iterable[str | None]) -> list[str | None]: ...

    @overload
    def normalize_batch(self, texts: _Batch) -> _Batch: ...

    def normalize_batch(self, texts: Any) -> Any:
        """Normalise many texts; None (a null) stays None.

        Takes what data tools hand over and gives back the same kind: a pyarrow ``Array``
        or ``ChunkedArray`` (string or large_string), a pandas ``Series`` (index and name
        kept), or any iterable of str, as a list (the shape ``datasets.map(batched=True)``
        wants).
        """
        from .batch import normalize_container

        return normalize_container(texts, self.normalize)

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
