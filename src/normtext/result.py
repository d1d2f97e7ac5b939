"""Result: what ``explain`` returns, kept apart from the pipeline that builds it."""

from __future__ import annotations

from dataclasses import dataclass, field

from .text import Alignment, Change


@dataclass
class Result:
    """What ``explain`` returns: the repaired text, every change, and offset lookups."""

    source: str
    text: str
    changes: list[Change]
    notes: dict[str, str] = field(default_factory=dict)
    _alignment: Alignment | None = field(default=None, repr=False)

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of ``source`` that ``text[start:end]`` came from."""
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"span {start}:{end} is outside the output (length {len(self.text)})")
        if self._alignment is None:
            return start, end
        return self._alignment.source_span(start, end)

    def __str__(self) -> str:
        lines = [f"{len(self.changes)} change(s)"]
        for key, value in self.notes.items():
            lines.append(f"  {key}: {value}")
        for c in self.changes:
            lines.append(f"  [{c.stage}] {c.start}:{c.end} {c.before!r} -> {c.after!r}")
        lines.append(self.text)
        return "\n".join(lines)
