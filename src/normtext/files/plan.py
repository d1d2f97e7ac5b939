"""What a run does to each input (``Plan``, ``Transform``) and what came of it (``FileResult``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..opencc import Converter
from ..pipeline import Normalizer
from .chunks import (
    CHUNK_SIZE,
)
from .sources import Source


class Transform:
    """Text in, repaired text and change counts per stage out; what every worker runs.

    It holds a ``Normalizer`` (or an OpenCC config, a name or a resolved file path, for
    ``convert``) and pickles small:
    a worker started by fork inherits the stages already built, one started by spawn
    rebuilds them once.
    """

    def __init__(
        self,
        normalizer: Normalizer | None = None,
        *,
        config: str | None = None,
        include_tofu: bool = True,
        user_dicts: tuple[str, ...] = (),
    ) -> None:
        self.normalizer = normalizer
        self.config = config
        self.include_tofu = include_tofu
        self.user_dicts = user_dicts
        self._converter: Converter | None = None

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "_converter": None}

    def warm(self) -> None:
        """Build the stages now, before workers fork, so they share them."""
        if self.normalizer is not None:
            self.normalizer.stages  # noqa: B018 - building them is the point
        elif self.config is not None:
            self._convert_fn()

    def _convert_fn(self) -> Converter:
        if self._converter is None:
            self._converter = Converter(
                self.config or "s2t",
                include_tofu=self.include_tofu,
                user_dict_files=self.user_dicts,
            )
        return self._converter

    def __call__(self, text: str) -> tuple[str, dict[str, int]]:
        """The repaired text and, per stage that changed something, how many lines it changed.

        Lines, not edits: asking a stage for its edit list costs as much again as running
        it, while comparing lines is nearly free and still says where the damage was.
        """
        if self.normalizer is None:
            return self._convert_fn().convert(text), {}
        counts: dict[str, int] = {}
        for stage in self.normalizer.stages:
            new = stage.transform(text)
            if new != text:
                counts[stage.name] = counts.get(stage.name, 0) + lines_changed(text, new)
                text = new
        return text, counts


def lines_changed(a: str, b: str) -> int:
    """How many lines differ between ``a`` and ``b`` (at least 1 when they differ)."""
    la, lb = a.split("\n"), b.split("\n")
    if len(la) == len(lb):
        return sum(map(str.__ne__, la, lb))
    head = 0
    while head < min(len(la), len(lb)) and la[head] == lb[head]:
        head += 1
    tail = 0
    while tail < min(len(la), len(lb)) - head and la[-1 - tail] == lb[-1 - tail]:
        tail += 1
    return max(len(la), len(lb)) - head - tail


@dataclass(frozen=True)
class Plan:
    """What to do with every input; built once by the CLI, pickled once per worker.

    ``action`` is ``"write"`` (stdout, ``out_dir``, ``out_file`` or ``in_place``),
    ``"check"`` (only say whether it would change), ``"diff"``, ``"explain"`` or
    ``"detect"``. ``fmt`` is ``"auto"`` (by extension), ``"text"``, ``"jsonl"`` or
    ``"parquet"``; ``fields`` are the record fields to repair. ``utf8_first`` reads valid
    UTF-8 as UTF-8 without running detection (what opencc assumes; ``convert`` uses it).
    """

    transform: Transform
    action: str = "write"
    fmt: str = "auto"
    fields: tuple[str, ...] = ("text",)
    encoding: str | None = None
    output_encoding: str = "utf-8"
    out_dir: Path | None = None
    out_file: Path | None = None
    in_place: bool = False
    backup: str | None = None
    chunk_size: int = CHUNK_SIZE
    utf8_first: bool = False

    def format_of(self, source: Source) -> str:
        if self.fmt != "auto":
            return self.fmt
        suffix = source.rel.suffix.lower()
        if suffix in (".jsonl", ".ndjson"):
            return "jsonl"
        if suffix == ".parquet":
            return "parquet"
        return "text"

    @property
    def writes_files(self) -> bool:
        return self.action == "write" and (
            self.in_place or self.out_dir is not None or self.out_file is not None
        )


@dataclass
class FileResult:
    """What happened to one input; the CLI turns these into messages and the summary."""

    label: str
    size: int = 0
    encoding: str | None = None
    confidence: float | None = None
    changes: dict[str, int] = field(default_factory=dict)
    changed: bool = False
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    output: bytes = b""
    info: dict[str, object] | None = None

    def add(self, counts: dict[str, int]) -> None:
        for stage, n in counts.items():
            self.changes[stage] = self.changes.get(stage, 0) + n


Emit = Callable[[bytes], None]
Progress = Callable[[int, int], None]  # (bytes done, files done)
