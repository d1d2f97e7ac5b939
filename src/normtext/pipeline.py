"""Normalizer: runs the enabled stages in order and, when asked, keeps the alignment."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TypeVar, overload

from .options import STAGES, Options, OptionsKwargs
from .result import Result
from .stages import Stage, build_stage
from .text import Alignment, Edit, apply_edits

if TYPE_CHECKING:
    import pandas
    import pyarrow
    from typing_extensions import Unpack

    from .chars.scope import Scope

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
        """The enabled stages in order, each Chinese-only one behind its language scope
        (``ScopedStage``): whoever runs them (``normalize``, ``explain``, the CLI's file
        loop) repairs Chinese stretches only."""
        if self._stages is None:
            with self._lock:
                if self._stages is None:
                    self._stages = [
                        _scoped(build_stage(n, self.options))
                        for n in STAGES
                        if self.options.enabled(n)
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
            current = alignment.compose(
                stage.name, current, stage.named(current, stage.edits(current))
            )
        return Result(text, current, alignment.changes, notes, alignment)


class ScopedStage(Stage):
    """A Chinese-only stage behind its language scope (``chars.scope``).

    It sees the Chinese stretches of a text, joined, so that its evidence counts Chinese
    text alone, and elsewhere does only what its ``edits_outside_chinese`` says. A text that
    is Chinese throughout takes the stage's own fast path, unchanged.
    """

    def __init__(self, inner: Stage) -> None:
        super().__init__(inner.options)
        self.inner = inner
        self.name = inner.name

    def edits(self, text: str) -> list[Edit]:
        return _edits(self.inner, text)

    def transform(self, text: str) -> str:
        return _transform(self.inner, text)

    def notes(self, text: str) -> dict[str, str]:
        return self.inner.notes(_chinese_text(self.inner, text))

    def rule_of(self, text: str, edit: Edit) -> str:
        return self.inner.rule_of(text, edit)

    def __repr__(self) -> str:
        return f"ScopedStage({self.inner!r})"


def _scoped(stage: Stage) -> Stage:
    return ScopedStage(stage) if stage.chinese_only else stage


def _edits(stage: Stage, text: str) -> list[Edit]:
    from .chars.scope import edits_on_spans, keep_chinese, scope_of  # numpy: on first use

    if not stage.chinese_only:
        return stage.edits(text)
    scope = scope_of(text)
    if scope.all_chinese:
        edits = stage.edits(text)
        if edits:
            keep_chinese(apply_edits(text, edits))
        return edits
    if scope.no_chinese:
        return stage.edits_outside_chinese(text)
    inside = edits_on_spans(stage.edits, text, scope.chinese)
    outside = edits_on_spans(stage.edits_outside_chinese, text, scope.other)
    if not outside:
        return inside
    return sorted(inside + outside, key=lambda e: (e.start, e.end))


def _transform(stage: Stage, text: str) -> str:
    from .chars.scope import edits_on_spans, keep_chinese, scope_of  # numpy: on first use

    if not stage.chinese_only:
        return stage.transform(text)
    scope = scope_of(text)
    if scope.all_chinese:
        new = stage.transform(text)
        if new is not text:
            keep_chinese(new)
        return new
    outside = edits_on_spans(stage.edits_outside_chinese, text, scope.other)
    if not scope.chinese:
        return apply_edits(text, outside)
    # The stage's fast path on the Chinese lines, joined. Stages never join or split lines,
    # so its output splits back at the same line feeds; where that cannot be checked (a
    # stretch ending in a lone CR, a line feed count that changed) the edits decide.
    joined = "".join(text[s:e] for s, e in scope.chinese)
    converted = stage.transform(joined)
    if converted == joined and not outside:
        return text
    if converted.count("\n") == joined.count("\n") and all(
        text[e - 1] == "\n" for _, e in scope.chinese[:-1]
    ):
        counts = [text[s:e].count("\n") for s, e in scope.chinese]
        return _assemble(text, scope, _split_like(converted, counts), outside)
    inside = edits_on_spans(stage.edits, text, scope.chinese)
    return apply_edits(text, sorted(inside + outside, key=lambda e: (e.start, e.end)))


def _split_like(text: str, counts: list[int]) -> list[str]:
    """``text`` cut into pieces holding ``counts`` line feeds each, each cut after one."""
    pieces, pos = [], 0
    for count in counts[:-1]:
        end = pos
        for _ in range(count):
            end = text.index("\n", end) + 1
        pieces.append(text[pos:end])
        pos = end
    pieces.append(text[pos:])
    return pieces


def _assemble(text: str, scope: Scope, chinese: list[str], outside: list[Edit]) -> str:
    """The Chinese stretches replaced by ``chinese``, the rest edited by ``outside``."""
    spans = sorted(
        [(s, e, True) for s, e in scope.chinese] + [(s, e, False) for s, e in scope.other]
    )
    parts: list[str] = []
    pieces = iter(chinese)
    k = 0
    for s, e, is_chinese in spans:
        if is_chinese:
            parts.append(next(pieces))
            continue
        mine = []
        while k < len(outside) and (outside[k].start < e or e == len(text)):
            x = outside[k]
            mine.append(Edit(x.start - s, x.end - s, x.replacement))
            k += 1
        parts.append(apply_edits(text[s:e], mine))
    return "".join(parts)


def _chinese_text(stage: Stage, text: str) -> str:
    """What a stage's notes are about: the Chinese stretches for a Chinese-only stage."""
    from .chars.scope import scope_of  # numpy: on first use

    if not stage.chinese_only:
        return text
    scope = scope_of(text)
    if scope.all_chinese:
        return text
    return "".join(text[s:e] for s, e in scope.chinese)
