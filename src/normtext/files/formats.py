"""Record formats: the text fields of JSON Lines and the string columns of Parquet."""

from __future__ import annotations

import json
from typing import Any

from ..errors import InputError
from .atomic import (
    AtomicWriter,
    check_in_place,
)
from .plan import FileResult, Plan, Progress
from .sources import Source, read_error_message


def jsonl_records(text: str, plan: Plan, label: str, line0: int) -> tuple[str, dict[str, int], int]:
    """Repair the named fields of each JSON record, keeping every other byte of the line.

    A line whose fields do not change is written back as it was; in a changed one only the
    changed values are replaced (``splice_fields``).
    """
    counts: dict[str, int] = {}
    missing = 0
    replacements: dict[str, str] = {}
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError as exc:
            msg = getattr(exc, "msg", str(exc))
            raise InputError(
                f"{label}: line {line0 + i + 1}: not valid JSON ({msg}); fix the line, "
                "or drop --jsonl to treat the file as plain text"
            ) from None
        if not isinstance(record, dict):
            raise InputError(f"{label}: line {line0 + i + 1}: not a JSON object; --jsonl needs one")
        found = False
        for name in plan.fields:
            value = record.get(name)
            if not isinstance(value, str):
                continue
            found = True
            new, c = plan.transform(value)
            for stage, n in c.items():
                counts[stage] = counts.get(stage, 0) + n
            if new != value:
                replacements[name] = new
        missing += not found
        if replacements:
            lines[i] = splice_fields(line, replacements)
            replacements = {}
    return "\n".join(lines), counts, missing


_WHITESPACE = " \t\n\r"
_DECODER = json.JSONDecoder()


def string_spans(line: str) -> dict[str, tuple[int, int]]:
    """Where each top-level key's string value sits in ``line``: ``(start, end)``, quotes included.

    A small scanner over a line already known to hold one JSON object: each key and value
    is read with ``raw_decode``, which says where it ends (nested objects, ``1E2`` or
    ``1e400`` are skipped whatever they mean).
    A repeated key maps to its last value, as ``json.loads`` keeps the last.
    """
    spans: dict[str, tuple[int, int]] = {}
    i = _skip(line, 0)
    assert line[i] == "{"
    i = _skip(line, i + 1)
    while line[i] != "}":
        key, i = _DECODER.raw_decode(line, i)
        i = _skip(line, i)
        i = _skip(line, i + 1)  # the colon
        start = i
        value, i = _DECODER.raw_decode(line, i)
        if isinstance(value, str):
            spans[key] = (start, i)
        else:
            spans.pop(key, None)
        i = _skip(line, i)
        if line[i] == ",":
            i = _skip(line, i + 1)
    return spans


def _skip(line: str, i: int) -> int:
    while line[i] in _WHITESPACE:
        i += 1
    return i


def splice_fields(line: str, replacements: dict[str, str]) -> str:
    """``line`` with only the named string values replaced: every other byte kept.

    Why not re-serialise the record: ``json.dumps(json.loads(line))`` rewrites numbers
    (``1.10`` -> ``1.1``, ``1E2`` -> ``100.0``, ``1e400`` -> ``Infinity``, not JSON),
    spacing and escapes in fields nobody asked to repair. A value written with ``\\u``
    escapes and no raw non-ASCII keeps that style.
    """
    spans = string_spans(line)
    parts = []
    last = 0
    for start, end, value in sorted(
        (spans[name][0], spans[name][1], value) for name, value in replacements.items()
    ):
        raw = line[start:end]
        ascii_style = "\\u" in raw and raw.isascii()
        parts.append(line[last:start])
        parts.append(json.dumps(value, ensure_ascii=ascii_style))
        last = end
    parts.append(line[last:])
    return "".join(parts)


def jsonl_values(text: str, fields: tuple[str, ...]) -> list[str]:
    values: list[str] = []
    for line in text.split("\n"):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict):
            values.extend(record[f] for f in fields if isinstance(record.get(f), str))
    return values


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise InputError("reading Parquet needs pyarrow: pip install 'normtext[parquet]'") from None
    return pyarrow, pyarrow.parquet


def _open_parquet(plan: Plan, source: Source) -> tuple[Any, list[str]]:
    pa, pq = _pyarrow()
    if source.path is None:
        raise InputError("<stdin>: Parquet cannot come from standard input; pass the file")
    try:
        pf = pq.ParquetFile(source.path)
    except OSError as exc:
        raise InputError(read_error_message(source.label, exc)) from None
    except pa.ArrowException as exc:
        raise InputError(f"{source.label}: not a readable Parquet file ({exc})") from None
    schema = pf.schema_arrow
    names = [n for n in plan.fields if n in schema.names]
    if not names:
        raise InputError(
            f"{source.label}: no column {', '.join(plan.fields)}; its columns are "
            f"{', '.join(schema.names)}: name the text column(s) with --field"
        )
    for name in names:
        kind = schema.field(name).type
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            raise InputError(f"{source.label}: column {name!r} holds {kind}, not text")
    return pf, names


def parquet_sample(plan: Plan, source: Source) -> list[str]:
    pf, names = _open_parquet(plan, source)
    if not pf.num_row_groups:
        return []
    table = pf.read_row_group(0, columns=names)
    return [v for name in names for v in table.column(name).to_pylist() if isinstance(v, str)]


def repair_parquet(
    plan: Plan, source: Source, result: FileResult, progress: Progress | None
) -> None:
    """Repair text columns one row group at a time, keeping schema, order and compression."""
    pa, pq = _pyarrow()
    if plan.action == "diff" or (plan.action == "write" and not plan.writes_files):
        raise InputError(
            f"{source.label}: Parquet is binary: write it with -o DIR or --in-place "
            "(or use --check)"
        )
    pf, names = _open_parquet(plan, source)
    schema = pf.schema_arrow
    writer: AtomicWriter | None = None
    sink = None
    if plan.writes_files:
        if plan.in_place:
            assert source.path is not None
            real = check_in_place(source.path)
            writer = AtomicWriter(real, like=real, backup=plan.backup)
        else:
            assert plan.out_dir is not None
            writer = AtomicWriter(plan.out_dir / source.rel)
        sink = pq.ParquetWriter(writer.file, schema, compression=_compression(pf))
    try:
        for i in range(pf.num_row_groups):
            table = pf.read_row_group(i)
            table = _repair_columns(plan, table, names, result)
            if sink is not None:
                sink.write_table(table)
            if progress is not None:
                progress(pf.metadata.row_group(i).total_byte_size, 0)
        if sink is not None:
            sink.close()
            sink = None
        if writer is not None and (result.changed or not plan.in_place):
            writer.commit()  # an unchanged file is not rewritten in place (nor backed up)
    finally:
        if writer is not None:
            writer.abort()


def _repair_columns(plan: Plan, table: Any, names: list[str], result: FileResult) -> Any:
    """One row group with its text columns repaired (None stays None)."""
    pa, _ = _pyarrow()
    for name in names:
        index = table.schema.get_field_index(name)
        field = table.schema.field(index)
        fixed: list[str | None] = []
        for value in table.column(index).to_pylist():
            if value is None:
                fixed.append(None)
                continue
            new, counts = plan.transform(value)
            result.add(counts)
            result.changed |= new != value
            fixed.append(new)
        table = table.set_column(index, field, pa.array(fixed, type=field.type))
    return table


def _compression(pf: Any) -> str:
    meta = pf.metadata
    if meta.num_row_groups and meta.num_columns:
        name = str(meta.row_group(0).column(0).compression).lower()
        return "none" if name == "uncompressed" else name
    return "snappy"
