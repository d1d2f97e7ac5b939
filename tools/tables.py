"""Writing the evidence tables the tools build: comment lines that say what a table is and
where it came from, then one ``key<TAB>value`` row per line (``chars.script._data_lines``
reads them back, skipping the comments)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def write_table(path: Path, comments: Iterable[str], rows: Iterable[tuple[str, object]]) -> None:
    lines = [f"# {c}" for c in comments]
    lines += [f"{key}\t{value}" for key, value in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
