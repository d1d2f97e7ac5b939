"""What ``detect`` and ``--diff`` show: the per-input report and unified-diff hunks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from ..pipeline import Normalizer
from .chunks import (
    decode_chunk,
    detect,
    first_bad_offset,
    last_break,
    undecodable_offsets,
)
from .formats import (
    jsonl_values,
    parquet_sample,
)
from .plan import FileResult, Plan
from .sources import Source, open_input


@dataclass(frozen=True)
class Hunk:
    """One unified-diff hunk, with line numbers relative to its chunk."""

    a_start: int
    a_len: int
    b_start: int
    b_len: int
    lines: tuple[str, ...]

    def format(self, a_base: int, b_base: int) -> str:
        head = (
            f"@@ -{_span(a_base + self.a_start, self.a_len)} "
            f"+{_span(b_base + self.b_start, self.b_len)} @@\n"
        )
        body = []
        for line in self.lines:
            body.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
        return head + "".join(body)


def _span(start: int, length: int) -> str:
    first = start + 1 if length else start
    return f"{first}" if length == 1 else f"{first},{length}"


def _lines(text: str) -> list[str]:
    """Lines with their ``\\n`` (only ``\\n`` splits: U+2028 and friends are content here)."""
    parts = text.split("\n")
    lines = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def diff_hunks(a: str, b: str, context: int = 3) -> list[Hunk]:
    """The hunks of a unified diff from ``a`` to ``b``, ready to shift by a chunk's base."""
    a_lines, b_lines = _lines(a), _lines(b)
    import difflib  # only diffs need it

    matcher = difflib.SequenceMatcher(None, a_lines, b_lines, autojunk=False)
    hunks = []
    for group in matcher.get_grouped_opcodes(context):
        body: list[str] = []
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                body.extend(" " + line for line in a_lines[i1:i2])
                continue
            body.extend("-" + line for line in a_lines[i1:i2])
            body.extend("+" + line for line in b_lines[j1:j2])
        first, last = group[0], group[-1]
        hunks.append(Hunk(first[1], last[2] - first[1], first[3], last[4] - first[3], tuple(body)))
    return hunks


def detect_report(
    plan: Plan, source: Source, fmt: str, result: FileResult, stdin: BinaryIO | None
) -> None:
    """Encoding, script and damage of one input, from its first chunk (the whole of most)."""
    if fmt == "parquet":
        texts = parquet_sample(plan, source)
        info: dict[str, object] = {"path": source.label, "format": "parquet"}
        text = "\n".join(texts)
        result.size = source.size
    else:
        stream = open_input(source, stdin)
        try:
            head = stream.read(plan.chunk_size)
            whole = not stream.read(1)
        finally:
            if stream is not stdin:
                stream.close()
        codec, decoded = detect(head, encoding=plan.encoding, label=source.label, whole=whole)
        if whole:
            text = decoded.text
            bad = int(getattr(decoded, "replaced", 0) or 0)
            offsets = undecodable_offsets(decoded)
            first = offsets[0] if offsets else first_bad_offset(head, codec.codec) if bad else None
        else:
            cut = last_break(head, codec.newline, len(codec.newline), 0)
            text, bad, first = decode_chunk(head[: cut if cut > 0 else len(head)], codec.codec, 0)
        result.encoding, result.confidence = codec.encoding, codec.confidence
        result.size = source.size or len(head)
        info = {
            "path": source.label,
            "format": fmt,
            "encoding": codec.encoding,
            "confidence": round(codec.confidence, 3),
            "undecodable_bytes": bad,
            "first_undecodable_at": first,
            "sampled": not whole,
        }
        if fmt == "jsonl":
            text = "\n".join(jsonl_values(text, plan.fields))
    normalizer = plan.transform.normalizer
    counts, notes = damage(normalizer, text)
    result.add(counts)
    info["characters"] = len(text)
    info["script"] = script_profile(text)
    info["damage"] = counts
    info["notes"] = notes
    result.info = info


def damage(normalizer: Normalizer | None, text: str) -> tuple[dict[str, int], dict[str, str]]:
    """How many changes each stage would make, and the stages' notes: the damage found."""
    if normalizer is None:
        return {}, {}
    explained = normalizer.explain(text)
    counts: dict[str, int] = {}
    for change in explained.changes:
        for stage in change.stage.split("+"):
            counts[stage] = counts.get(stage, 0) + 1
    return counts, dict(explained.notes)


def script_profile(text: str) -> dict[str, object]:
    """Simplified, Traditional (and which standard), mixed, neutral or none, with evidence:
    the script stage's own verdict (``chars.script.script_verdict``), so ``detect`` and the
    pipeline never disagree about a text."""
    from ..chars.script import script_verdict

    return script_verdict(text)
