"""Result: what ``explain`` returns, kept apart from the pipeline that builds it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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

    def position(self, offset: int) -> tuple[int, int]:
        """Line and column (both from 1, columns in code points) of a ``source`` offset."""
        line = self.source.count("\n", 0, offset) + 1
        return line, offset - (self.source.rfind("\n", 0, offset) + 1) + 1

    def _rows(self) -> list[tuple[str, str, str, str, str]]:
        rows = []
        for c in self.changes:
            line, column = self.position(c.start)
            rows.append((f"{line}:{column}", c.stage, c.rule or "", c.before, c.after))
        return rows

    def __str__(self) -> str:
        lines = [f"{len(self.changes)} change(s)"]
        for key, value in self.notes.items():
            lines.append(f"  {key}: {value}")
        for where, stage, rule, before, after in self._rows():
            named = rule or stage  # a rule name starts with its stage: script.tw2s
            lines.append(f"  {where} [{named}] {before!r} -> {after!r}")
        lines.append(self.text)
        return "\n".join(lines)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        """IPython's plain display: the same text as ``print(result)``."""
        printer.text("Result(...)" if cycle else str(self))

    def _repr_html_(self) -> str:
        """Jupyter's display: the output, then one table row per change."""
        from html import escape  # here: only notebooks need it, every CLI run would load it

        cells = "".join(
            "<tr>" + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>" for row in self._rows()
        )
        notes = "".join(f"<li>{escape(k)}: {escape(v)}</li>" for k, v in self.notes.items())
        return (
            f"<div><pre>{escape(self.text)}</pre>"
            + (f"<ul>{notes}</ul>" if notes else "")
            + "<table><thead><tr><th>line:col</th><th>stage</th><th>rule</th>"
            + "<th>before</th><th>after</th></tr></thead>"
            + f"<tbody>{cells}</tbody></table></div>"
        )
