"""The subcommands: arguments checked and turned into a ``Plan``, then run over the inputs."""

from __future__ import annotations

import argparse
import codecs
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO, cast

from ..errors import NormtextError, UsageError
from ..files import (
    FileResult,
    Plan,
    Runner,
    Source,
    Transform,
    find_sources,
)
from ..files.sources import (
    WalkRules,
)
from ..opencc.config import CONFIG_NAMES, resolve_config_name
from ..opencc.config_file import find_config_file, is_config_file
from ..options import STAGES, Options
from ..pipeline import Normalizer
from .output import ProgressBar, Tally, format_detect, write_report
from .parser import (
    EXIT_CHANGED,
    EXIT_FAILED,
    EXIT_OK,
)


def run_normalise(args: argparse.Namespace) -> int:
    modes = [name for name in ("check", "diff", "explain") if getattr(args, name)]
    writes = args.in_place or args.output_dir is not None
    if args.in_place and args.output_dir is not None:
        raise UsageError("--in-place and -o cannot be used together: pick one")
    if writes and modes:
        raise UsageError(f"--{modes[0]} writes nothing; drop it or drop -o/--in-place")
    if args.explain and len(modes) > 1:
        raise UsageError("--explain cannot be combined with --check or --diff")
    if args.backup is not None and (not args.backup or "/" in args.backup):
        raise UsageError(
            f"--backup {args.backup!r}: the suffix can be neither empty (the backup would "
            "be the file itself) nor hold '/'; use e.g. .orig"
        )
    if args.backup and not args.in_place:
        raise UsageError("--backup only makes sense with --in-place")
    if args.output_dir is not None and args.output_dir.exists() and not args.output_dir.is_dir():
        raise UsageError(f"-o {args.output_dir}: is a file; -o needs a folder")
    paths = args.paths or ["-"]
    if writes and "-" in paths:
        raise UsageError("standard input cannot go to -o or --in-place; it goes to stdout")
    action = (
        "explain" if args.explain else "diff" if args.diff else "check" if args.check else "write"
    )
    plan = Plan(
        Transform(Normalizer(_build_options(args))),
        action=action,
        fmt=args.format,
        fields=tuple(args.field or ["text"]),
        encoding=_codec(args.encoding, "--encoding"),
        output_encoding=_output_codec(args.output_encoding),
        out_dir=args.output_dir,
        in_place=args.in_place,
        backup=args.backup,
        chunk_size=_chunk_size(args),
    )
    skipped: list[str] = []
    notes: list[tuple[str, str]] = []
    sources, missing = find_sources(
        paths,
        rules=_walk_rules(args),
        skip=args.output_dir,
        skipped=skipped,
        backup=args.backup,
        notes=notes,
    )
    _note_skipped(skipped, quiet=args.quiet)
    if args.explain and len(sources) + len(missing) != 1:
        raise UsageError(f"--explain takes exactly one input, not {len(sources) + len(missing)}")
    return execute(plan, sources, missing, args, summary=True, notes=notes)


def run_detect(args: argparse.Namespace) -> int:
    plan = Plan(
        Transform(Normalizer(_build_options(args))),
        action="detect",
        fmt=args.format,
        fields=tuple(args.field or ["text"]),
        encoding=_codec(args.encoding, "--encoding"),
        chunk_size=_chunk_size(args),
    )
    notes: list[tuple[str, str]] = []
    sources, missing = find_sources(args.paths or ["-"], rules=_walk_rules(args), notes=notes)
    return execute(plan, sources, missing, args, summary=True, notes=notes)


def run_convert(args: argparse.Namespace) -> int:
    """``opencc``'s command line, with its defaults: tofu-risk dictionaries left out."""
    for flag in ("segmentation", "inspect", "ambiguities", "resource_zip"):
        if getattr(args, flag):
            name = flag.replace("_", "-")
            raise UsageError(f"--{name} is an opencc option normtext convert does not offer")
    config = _convert_config(args.config, args.path)
    paths = ([args.input] if args.input else []) + list(args.paths)
    sources, missing = find_sources(paths or ["-"], walk=False)
    if args.output is not None:
        if len(sources) + len(missing) > 1:
            raise UsageError("-o FILE takes one input; convert several to stdout instead")
        if args.output.is_dir():
            raise UsageError(f"-o {args.output}: is a folder; -o needs a file name")
        same = [s for s in sources if s.path is not None and _same_file(s.path, args.output)]
        if same and not args.in_place:
            raise UsageError("input and output are the same file; add --in-place to overwrite it")
    transform = Transform(
        config=config,
        include_tofu=args.include_tofu_risk_dictionaries,
        user_dicts=tuple(str(p) for p in args.user_dict or ()),
    )
    started = time.perf_counter()
    try:
        transform.warm()  # a bad config or dictionary is a usage error, before any output
    except NormtextError as exc:
        raise UsageError(str(exc)) from None
    loaded = time.perf_counter()
    plan = Plan(
        transform,
        action="write",
        fmt="text",
        encoding=_codec(args.encoding, "--encoding"),
        output_encoding=_output_codec(args.output_encoding),
        out_file=args.output,
        chunk_size=_chunk_size(args),
        utf8_first=True,
    )
    args.report = None
    status = execute(plan, sources, missing, args, summary=False)
    if args.measured_result is not None:
        _write_timings(args, sources, started, loaded)
    return status


def _convert_config(config: str, search: list[str]) -> str:
    """A built-in config name, or the absolute path of a config file (workers need no cwd)."""
    try:
        if is_config_file(config, CONFIG_NAMES):
            return str(find_config_file(config, search))
        return resolve_config_name(config)
    except NormtextError as exc:
        raise UsageError(str(exc)) from None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _write_timings(
    args: argparse.Namespace, sources: list[Source], started: float, loaded: float
) -> None:
    """``--measured_result``: opencc's timing record (load and total; convert+write as one)."""
    end = time.perf_counter()
    record = {
        "config": args.config,
        "input": args.input,
        "output": None if args.output is None else str(args.output),
        "mode": "file" if args.input else "line_by_line",
        "output_mode": "convert",
        "load_ms": round((loaded - started) * 1000, 3),
        "convert_ms": round((end - loaded) * 1000, 3),
        "write_ms": 0.0,
        "total_ms": round((end - started) * 1000, 3),
        "input_bytes": sum(s.size for s in sources),
    }
    write_report(args.measured_result, record)


def _walk_rules(args: argparse.Namespace) -> WalkRules:
    records = bool(args.field) or args.format in ("jsonl", "parquet")
    return WalkRules(
        globs=tuple(args.glob or ()),
        records=records,
        exclude=tuple(args.exclude),
        gitignore=args.gitignore,
        include_code=args.include_code,
    )


def _note_skipped(skipped: list[str], *, quiet: bool) -> None:
    if skipped and not quiet:
        shown = ", ".join(skipped[:3]) + (", ..." if len(skipped) > 3 else "")
        print(
            f"normtext: skipped {len(skipped)} file(s) of code or markup found in folders "
            f"({shown}); name them, or pass --include-code",
            file=sys.stderr,
        )


def _build_options(args: argparse.Namespace) -> Options:
    values: dict[str, Any] = {}
    if args.target is not None:
        values["target"] = args.target
    if args.config is not None:
        values["config"] = args.config
    for stage in STAGES:
        if getattr(args, stage) is not None:
            values[stage] = getattr(args, stage)
    if args.gloss_all:
        values["gloss"] = "all"
    try:
        return Options.from_kwargs(None, **values)
    except NormtextError as exc:
        raise UsageError(str(exc)) from None


#: Named when a codec is refused (any Python text codec is accepted).
COMMON_CODECS = "utf-8, utf-8-sig, gb18030, gbk, big5, big5hkscs, utf-16, utf-16-le, utf-16-be"


def _codec(name: str | None, flag: str) -> str | None:
    """A Python codec that turns bytes into text: not rot13, base64, zlib and the like
    (codecs to Python, not text encodings: accepted, they failed mid-run as "internal error")."""
    if name is None:
        return None
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise UsageError(
            f"{flag} {name}: unknown encoding; valid choices include {COMMON_CODECS} "
            "(any Python text codec)"
        ) from None
    if not getattr(info, "_is_text_encoding", True):
        raise UsageError(
            f"{flag} {name}: not a text encoding (a bytes-to-bytes or str-to-str codec); "
            f"valid choices include {COMMON_CODECS}"
            + (", or 'input' to keep each input's" if flag == "--output-encoding" else "")
        )
    return name


def _output_codec(name: str) -> str:
    return name if name == "input" else str(_codec(name, "--output-encoding"))


def _chunk_size(args: argparse.Namespace) -> int:
    if args.chunk_size < 1:
        raise UsageError("--chunk-size must be a positive number of bytes")
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    return int(args.chunk_size)


def execute(
    plan: Plan,
    sources: list[Source],
    missing: list[tuple[str, str]],
    args: argparse.Namespace,
    *,
    summary: bool,
    notes: Sequence[tuple[str, str]] = (),
) -> int:
    if args.report is not None and args.report.is_dir():
        raise UsageError(f"--report {args.report}: is a folder; give a file name")
    tally = Tally()
    stdout = sys.stdout.buffer
    tail = _Tail(stdout)
    if any(s.path is None for s in sources) and sys.stdin is not None and sys.stdin.isatty():
        print(
            "normtext: reading standard input (end it with Ctrl-D; --help for usage)",
            file=sys.stderr,
        )
    bar = _progress_bar(plan, sources, quiet=args.quiet)
    _report_unread(tally, bar, missing, notes)

    def on_result(result: FileResult) -> None:
        tally.add(result, plan.action)
        for warning in result.warnings:
            bar.message(f"normtext: warning: {warning}")
        if result.error:
            bar.message(f"normtext: error: {result.error}")
        elif plan.action == "check" and result.changed:
            bar.message(result.label, sys.stdout)
        elif plan.action == "detect" and result.info is not None:
            bar.message(format_detect(result.info, as_json=args.json), sys.stdout)

    runner = Runner(
        plan,
        jobs=args.jobs,
        stdout=cast(BinaryIO, tail),
        stdin=sys.stdin.buffer if sys.stdin is not None else None,
        on_result=on_result,
        on_progress=bar.update,
    )
    try:
        runner.run(sources)
    finally:
        bar.close()
        stdout.flush()
    tally.seconds = time.perf_counter() - tally.started
    if summary and not args.quiet and _summary_helps(plan, sources, missing):
        if not tail.ended_line and _same_terminal():
            print(file=sys.stderr)  # never glue the summary onto the last line of text
        print(tally.render(plan.action), file=sys.stderr)
    if args.report is not None:
        write_report(args.report, tally.as_dict(plan.action))
    return _exit_status(plan, tally, check=getattr(args, "check", False))


def _report_unread(
    tally: Tally,
    bar: ProgressBar,
    missing: Sequence[tuple[str, str]],
    notes: Sequence[tuple[str, str]],
) -> None:
    """Inputs that cannot be read are errors; those skipped on purpose are warnings."""
    for label, message in missing:
        tally.fail(f"{label}: {message}")
        bar.message(f"normtext: error: {label}: {message}")
    for label, message in notes:  # skipped in folders: FIFOs, devices, backups
        tally.warnings.append(f"{label}: {message}")
        bar.message(f"normtext: warning: {label}: {message}")


def _progress_bar(plan: Plan, sources: list[Source], *, quiet: bool) -> ProgressBar:
    """A bar on stderr when it is a terminal, unless results are drawn on the same one."""
    results_on_tty = sys.stdout.isatty() and (
        plan.action in ("diff", "explain") or plan.action == "write" and not plan.writes_files
    )
    return ProgressBar(
        sys.stderr,
        files=len(sources),
        total=sum(s.size for s in sources),
        enabled=sys.stderr.isatty() and not quiet and not results_on_tty,
    )


def _summary_helps(plan: Plan, sources: list[Source], missing: list[tuple[str, str]]) -> bool:
    """The summary adds something only for several inputs or files written.

    For one input read to stdout it repeats what the user sees (and used to end up on the
    last line of text); for standard input it says nothing at all.
    """
    if not any(s.path is not None for s in sources):
        return False
    return len(sources) + len(missing) > 1 or plan.writes_files


def _same_terminal() -> bool:
    return sys.stdout.isatty() and sys.stderr.isatty()


def _exit_status(plan: Plan, tally: Tally, *, check: bool) -> int:
    if tally.failed:
        return EXIT_FAILED
    if plan.action in ("check", "diff") and check and tally.changed:
        return EXIT_CHANGED
    return EXIT_OK


class _Tail:
    """Standard output that remembers whether what it wrote last ended a line."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.ended_line = True

    def write(self, data: bytes) -> int:
        if data:
            self.ended_line = data.endswith(b"\n")
        return self.stream.write(data)

    def flush(self) -> None:
        self.stream.flush()
