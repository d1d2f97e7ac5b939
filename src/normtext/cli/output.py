"""What the command line shows: the summary, the progress bar and the detect report."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from ..errors import NormtextError
from ..files import (
    AtomicWriter,
    FileResult,
)


def write_report(path: Path, report: dict[str, object]) -> None:
    try:
        writer = AtomicWriter(path)
        writer.write(json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")
        writer.commit()
    except NormtextError as exc:
        print(f"normtext: error: --report: {exc}", file=sys.stderr)


_STANDARD_NAMES = {"opencc": "OpenCC standard", "tw": "Taiwan standard", "hk": "Hong Kong standard"}


def format_detect(info: dict[str, object], *, as_json: bool) -> str:
    if as_json:
        return json.dumps(info, ensure_ascii=False)
    lines = [f"{info['path']}"]
    if "encoding" in info:
        encoding = f"{info['encoding']} (confidence {info['confidence']})"
        if info.get("undecodable_bytes"):
            encoding += (
                f", {info['undecodable_bytes']} undecodable byte(s), the first at byte "
                f"{info['first_undecodable_at']}"
            )
        lines.append(f"  encoding  {encoding}")
    script = info.get("script")
    if isinstance(script, dict):
        text = str(script.get("script"))
        standard = script.get("standard")
        if standard:
            text += f", {_STANDARD_NAMES.get(str(standard), str(standard))}"
        if "traditional_evidence" in script:
            text += (
                f" (evidence: {script['traditional_evidence']} Traditional, "
                f"{script['simplified_evidence']} Simplified, of {script['han']} Han characters)"
            )
        lines.append(f"  script    {text}")
    damage = info.get("damage")
    if isinstance(damage, dict):
        found = ", ".join(f"{stage} {n}" for stage, n in damage.items()) or "none found"
        lines.append(f"  damage    {found}")
    notes = info.get("notes")
    if isinstance(notes, dict):
        lines.extend(f"  note      {key}: {value}" for key, value in notes.items())
    if info.get("sampled"):
        lines.append("  (judged on the first chunk of a big file)")
    return "\n".join(lines)


@dataclass
class Tally:
    """What the run did, for the closing summary and ``--report``."""

    files: int = 0
    failed: int = 0
    changed: int = 0
    bytes: int = 0
    changes: Counter[str] = field(default_factory=Counter)
    encodings: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changed_files: list[str] = field(default_factory=list)
    started: float = field(default_factory=time.perf_counter)
    seconds: float = 0.0

    def add(self, result: FileResult, action: str) -> None:
        self.files += 1
        self.bytes += result.size
        self.warnings.extend(result.warnings)
        if result.error:
            self.fail(result.error)
            return
        self.changes.update(result.changes)
        if result.encoding:
            self.encodings[result.encoding] += 1
        if result.changed and action != "detect":
            self.changed += 1
            self.changed_files.append(result.label)

    def fail(self, message: str) -> None:
        self.failed += 1
        self.errors.append(message)

    def as_dict(self, action: str) -> dict[str, object]:
        return {
            "action": action,
            "files": self.files,
            "bytes": self.bytes,
            "megabytes": round(self.bytes / 1e6, 3),
            "seconds": round(self.seconds, 3),
            "changed": self.changed,
            "changed_files": self.changed_files,
            "changes": dict(self.changes.most_common()),
            "encodings": dict(self.encodings.most_common()),
            "failed": self.failed,
            "errors": self.errors,
            "warnings": self.warnings,
        }

    def render(self, action: str) -> str:
        mb = self.bytes / 1e6
        rate = mb / self.seconds if self.seconds > 0 else 0.0
        verb = {"check": "would change", "diff": "would change", "detect": "inspected"}.get(
            action, "changed"
        )
        head = (
            f"normtext: {self.files} file(s), {mb:.1f} MB in {self.seconds:.1f} s ({rate:.1f} MB/s)"
        )
        if action != "detect":
            head += f"; {self.changed} {verb}"
        head += f"; {self.failed} failed" if self.failed else ""
        lines = [head]
        if self.changes:
            kind = "damage found" if action == "detect" else "changes"
            lines.append(
                f"  {kind}: " + ", ".join(f"{k} {v:,}" for k, v in self.changes.most_common())
            )
        if self.encodings:
            lines.append(
                "  encodings: " + ", ".join(f"{k} {v}" for k, v in self.encodings.most_common())
            )
        if self.warnings:
            lines.append(f"  warnings: {len(self.warnings)} (above)")
        if self.failed:
            lines.append(f"  errors: {self.failed} (above); exit status 2")
        return "\n".join(lines)


class ProgressBar:
    """Files, MB, MB/s and ETA on stderr, redrawn in place; only when stderr is a terminal."""

    def __init__(self, stream: TextIO, *, files: int, total: int, enabled: bool) -> None:
        self.stream = stream
        self.files = files
        self.total = total
        self.enabled = enabled
        self.done_files = 0
        self.done_bytes = 0
        self.started = time.perf_counter()
        self._drawn = 0.0
        self._visible = False

    def update(self, nbytes: int, nfiles: int) -> None:
        self.done_bytes += nbytes
        self.done_files += nfiles
        now = time.perf_counter()
        if self.enabled and (now - self._drawn > 0.1 or self.done_files == self.files):
            self._draw(now)

    def message(self, text: str, stream: TextIO | None = None) -> None:
        """Print a line above the bar (results to stdout, messages to stderr)."""
        self._clear()
        out = stream or self.stream
        print(text, file=out, flush=True)
        if self.enabled and self.done_files < self.files:
            self._draw(time.perf_counter())

    def close(self) -> None:
        self._clear()

    def _draw(self, now: float) -> None:
        self._drawn = now
        elapsed = max(now - self.started, 1e-9)
        mb, total_mb = self.done_bytes / 1e6, self.total / 1e6
        rate = mb / elapsed
        eta = "--:--"
        if rate > 0 and self.total > self.done_bytes:
            left = int((total_mb - mb) / rate)
            eta = f"{left // 60}:{left % 60:02d}"
        elif self.total and self.done_bytes >= self.total:
            eta = "0:00"
        import shutil

        width = shutil.get_terminal_size((80, 20)).columns
        text = (
            f" {self.done_files}/{self.files} files  {mb:.1f}/{total_mb:.1f} MB  "
            f"{rate:.1f} MB/s  ETA {eta}"
        )
        room = max(10, min(30, width - len(text) - 3))
        fraction = (
            self.done_bytes / self.total
            if self.total
            else (self.done_files / self.files if self.files else 0.0)
        )
        filled = int(room * min(1.0, fraction))
        bar = "[" + "#" * filled + "." * (room - filled) + "]"
        self.stream.write("\r" + (bar + text)[: width - 1] + "\x1b[K")
        self.stream.flush()
        self._visible = True

    def _clear(self) -> None:
        if self._visible:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._visible = False
