"""The ``normtext`` command: arguments, messages and exit codes. The work is in ``io``.

User errors never print a traceback: each becomes one line naming the input and what to
do, the other inputs go on, and the exit status says what happened (see ``EPILOG``).
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import shutil
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from . import __version__
from .errors import NormtextError
from .io import (
    CHUNK_SIZE,
    AtomicWriter,
    FileResult,
    Plan,
    Runner,
    Source,
    Transform,
    find_sources,
)
from .opencc.config import CONFIG_NAMES, resolve_config_name
from .options import STAGES, TARGETS, Options
from .pipeline import Normalizer

EXIT_OK = 0
EXIT_CHANGED = 1
EXIT_FAILED = 2
EXIT_INTERRUPTED = 130
EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE, what a shell shows for `yes | head`

EPILOG = """\
exit status:
  0    success (with --check: nothing would change)
  1    --check: at least one input would change
  2    at least one input failed (one line per failure on stderr; the others were
       processed), or bad usage
  130  interrupted; every file is either untouched or completely rewritten
  141  stdout was closed before the end (as in `normtext ... | head`)
"""

COMMANDS = ("normalise", "normalize", "detect", "convert")


class UsageError(NormtextError):
    """Arguments that do not fit together; reported like argparse errors (exit 2)."""


# ---------------------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="normtext",
        description="Repair damaged Chinese text: encodings, mojibake, pinyin glosses,\n"
        "punctuation, script, width and spacing. Without a command, runs normalise.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"normtext {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    norm = sub.add_parser(
        "normalise",
        aliases=["normalize"],
        help="repair files, folders or standard input",
        description="Repair text files, folders of them (recursively), JSONL records or\n"
        "Parquet columns. Output goes to stdout, a mirrored folder (-o) or back in place.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _inputs(norm)
    out = norm.add_argument_group("output (default: stdout)")
    out.add_argument(
        "-o",
        "--output-dir",
        type=Path,
        metavar="DIR",
        help="write each output under DIR, mirroring the input tree",
    )
    out.add_argument(
        "--in-place",
        action="store_true",
        help="rewrite files atomically (temp file, fsync, rename; mode kept)",
    )
    out.add_argument(
        "--backup", metavar="SUFFIX", help="with --in-place, keep the original as NAME+SUFFIX"
    )
    out.add_argument(
        "--check",
        action="store_true",
        help="write nothing; list inputs that would change on stdout, exit 1 if any",
    )
    out.add_argument(
        "--diff", action="store_true", help="write nothing; print a unified diff of the changes"
    )
    out.add_argument(
        "--explain",
        action="store_true",
        help="print every change made to one input, with its stage",
    )
    _encodings(norm)
    _options(norm)
    _records(norm)
    _running(norm, report=True)
    norm.set_defaults(run=_normalise)

    det = sub.add_parser(
        "detect",
        help="report encoding, script and damage per file",
        description="Report, per input, the encoding (with confidence), the script\n"
        "(Simplified, Traditional and which standard, mixed) and how many changes each\n"
        "stage would make. Big files are judged on their first chunk.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _inputs(det)
    det.add_argument("--encoding", metavar="CODEC", help="force the input encoding")
    det.add_argument("--json", action="store_true", help="one JSON object per input (JSON Lines)")
    _options(det)
    _records(det)
    _running(det, report=True)
    det.set_defaults(run=_detect)

    conv = sub.add_parser(
        "convert",
        help="plain OpenCC conversion (a drop-in for opencc -c)",
        description="Convert between Chinese scripts exactly as OpenCC does, and nothing "
        "else. Accepts opencc's -i/-o/-c.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    conv.add_argument("paths", nargs="*", metavar="PATH", help="input files ('-' is stdin)")
    conv.add_argument(
        "-c",
        "--config",
        default="s2t",
        help=f"OpenCC config, with or without .json (default s2t): {', '.join(CONFIG_NAMES)}",
    )
    conv.add_argument("-i", "--input", metavar="FILE", help="input file (default stdin)")
    conv.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="output file, written atomically (default stdout)",
    )
    conv.add_argument("--noflush", help=argparse.SUPPRESS)  # opencc's, accepted and ignored
    conv.add_argument("--path", help=argparse.SUPPRESS)  # opencc's data path: data is built in
    _encodings(conv)
    _running(conv, report=False)
    conv.set_defaults(run=_convert)
    return parser


def _inputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or folders (recursive); '-' or nothing reads stdin",
    )
    parser.add_argument(
        "--glob",
        default="*",
        metavar="PATTERN",
        help="in folders, only files whose name matches (e.g. '*.txt')",
    )


def _encodings(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("encodings")
    group.add_argument(
        "--encoding", metavar="CODEC", help="force the input encoding (default: detect per file)"
    )
    group.add_argument(
        "--output-encoding",
        default="utf-8",
        metavar="CODEC",
        help="output encoding (default utf-8; 'input' keeps each input's)",
    )


def _options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("repairs (as normtext.Options)")
    group.add_argument(
        "--target",
        metavar="NAME",
        help=f"script to produce: {', '.join(TARGETS)} or an OpenCC config (default zh-hans)",
    )
    group.add_argument(
        "--config", metavar="NAME", help="pin the OpenCC config of the script stage (e.g. tw2sp)"
    )
    for stage in STAGES:
        group.add_argument(
            f"--{stage}",
            action=argparse.BooleanOptionalAction,
            default=None,
            help=f"the {stage} stage (default on)",
        )
    group.add_argument(
        "--gloss-all",
        action="store_true",
        help="remove pinyin glosses even from deliberately glossed teaching text",
    )


def _records(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "records (.jsonl/.ndjson and .parquet are recognised by extension)"
    )
    group.add_argument(
        "--jsonl",
        action="store_const",
        const="jsonl",
        dest="format",
        help="inputs are JSON Lines: repair --field, keep the rest and the order",
    )
    group.add_argument(
        "--parquet",
        action="store_const",
        const="parquet",
        dest="format",
        help="inputs are Parquet (needs pyarrow): repair --field columns",
    )
    group.add_argument(
        "--text",
        action="store_const",
        const="text",
        dest="format",
        help="inputs are plain text, whatever their extension",
    )
    group.add_argument(
        "--field",
        action="append",
        metavar="NAME",
        help="record field or column to repair; repeatable (default: text)",
    )
    parser.set_defaults(format="auto")


def _running(parser: argparse.ArgumentParser, *, report: bool) -> None:
    group = parser.add_argument_group("running")
    group.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=_cores(),
        metavar="N",
        help=f"worker processes (default: cores, here {_cores()})",
    )
    group.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress bar and no summary (errors are still shown)",
    )
    if report:
        group.add_argument(
            "--report", type=Path, metavar="FILE.json", help="write the summary as JSON"
        )
    group.add_argument(
        "--chunk-size", type=int, default=CHUNK_SIZE, metavar="BYTES", help=argparse.SUPPRESS
    )


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


# ---------------------------------------------------------------------------- commands


def _normalise(args: argparse.Namespace) -> int:
    modes = [name for name in ("check", "diff", "explain") if getattr(args, name)]
    writes = args.in_place or args.output_dir is not None
    if args.in_place and args.output_dir is not None:
        raise UsageError("--in-place and -o cannot be used together: pick one")
    if writes and modes:
        raise UsageError(f"--{modes[0]} writes nothing; drop it or drop -o/--in-place")
    if args.explain and len(modes) > 1:
        raise UsageError("--explain cannot be combined with --check or --diff")
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
    sources, missing = find_sources(paths, glob=args.glob, skip=args.output_dir)
    if args.explain and len(sources) + len(missing) != 1:
        raise UsageError(f"--explain takes exactly one input, not {len(sources) + len(missing)}")
    return _execute(plan, sources, missing, args, summary=True)


def _detect(args: argparse.Namespace) -> int:
    plan = Plan(
        Transform(Normalizer(_build_options(args))),
        action="detect",
        fmt=args.format,
        fields=tuple(args.field or ["text"]),
        encoding=_codec(args.encoding, "--encoding"),
        chunk_size=_chunk_size(args),
    )
    sources, missing = find_sources(args.paths or ["-"], glob=args.glob)
    return _execute(plan, sources, missing, args, summary=True)


def _convert(args: argparse.Namespace) -> int:
    try:
        config = resolve_config_name(args.config)
    except NormtextError as exc:
        raise UsageError(str(exc)) from None
    paths = ([args.input] if args.input else []) + list(args.paths)
    sources, missing = find_sources(paths or ["-"], walk=False)
    if args.output is not None:
        if len(sources) + len(missing) > 1:
            raise UsageError("-o FILE takes one input; convert several to stdout instead")
        if args.output.is_dir():
            raise UsageError(f"-o {args.output}: is a folder; -o needs a file name")
    plan = Plan(
        Transform(config=config),
        action="write",
        fmt="text",
        encoding=_codec(args.encoding, "--encoding"),
        output_encoding=_output_codec(args.output_encoding),
        out_file=args.output,
        chunk_size=_chunk_size(args),
    )
    args.report = None
    return _execute(plan, sources, missing, args, summary=False)


def _build_options(args: argparse.Namespace) -> Options:
    values: dict[str, object] = {}
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
        return Options.from_kwargs(None, **values)  # type: ignore[arg-type]
    except NormtextError as exc:
        raise UsageError(str(exc)) from None


def _codec(name: str | None, flag: str) -> str | None:
    if name is None:
        return None
    try:
        codecs.lookup(name)
    except LookupError:
        raise UsageError(
            f"{flag} {name}: unknown encoding; use a Python codec name such as "
            "gb18030, big5 or utf-16"
        ) from None
    return name


def _output_codec(name: str) -> str:
    return name if name == "input" else str(_codec(name, "--output-encoding"))


def _chunk_size(args: argparse.Namespace) -> int:
    if args.chunk_size < 1:
        raise UsageError("--chunk-size must be a positive number of bytes")
    if args.jobs < 1:
        raise UsageError("--jobs must be at least 1")
    return int(args.chunk_size)


# ---------------------------------------------------------------------------- running


def _execute(
    plan: Plan,
    sources: list[Source],
    missing: list[tuple[str, str]],
    args: argparse.Namespace,
    *,
    summary: bool,
) -> int:
    if args.report is not None and args.report.is_dir():
        raise UsageError(f"--report {args.report}: is a folder; give a file name")
    tally = Tally()
    stdout = sys.stdout.buffer
    if any(s.path is None for s in sources) and sys.stdin is not None and sys.stdin.isatty():
        print(
            "normtext: reading standard input (end it with Ctrl-D; --help for usage)",
            file=sys.stderr,
        )
    results_on_tty = sys.stdout.isatty() and (
        plan.action in ("diff", "explain") or plan.action == "write" and not plan.writes_files
    )
    bar = ProgressBar(
        sys.stderr,
        files=len(sources),
        total=sum(s.size for s in sources),
        enabled=sys.stderr.isatty() and not args.quiet and not results_on_tty,
    )
    for label, message in missing:
        tally.fail(f"{label}: {message}")
        bar.message(f"normtext: error: {label}: {message}")

    def on_result(result: FileResult) -> None:
        tally.add(result, plan.action)
        for warning in result.warnings:
            bar.message(f"normtext: warning: {warning}")
        if result.error:
            bar.message(f"normtext: error: {result.error}")
        elif plan.action == "check" and result.changed:
            bar.message(result.label, sys.stdout)
        elif plan.action == "detect" and result.info is not None:
            bar.message(_format_detect(result.info, as_json=args.json), sys.stdout)

    runner = Runner(
        plan,
        jobs=args.jobs,
        stdout=stdout,
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
    if summary and not args.quiet and any(s.path is not None for s in sources):
        print(tally.render(plan.action), file=sys.stderr)
    if args.report is not None:
        _write_report(args.report, tally.as_dict(plan.action))
    if tally.failed:
        return EXIT_FAILED
    if plan.action in ("check", "diff") and getattr(args, "check", False) and tally.changed:
        return EXIT_CHANGED
    return EXIT_OK


def _write_report(path: Path, report: dict[str, object]) -> None:
    try:
        writer = AtomicWriter(path)
        writer.write(json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8") + b"\n")
        writer.commit()
    except NormtextError as exc:
        print(f"normtext: error: --report: {exc}", file=sys.stderr)


_STANDARD_NAMES = {"opencc": "OpenCC standard", "tw": "Taiwan standard", "hk": "Hong Kong standard"}


def _format_detect(info: dict[str, object], *, as_json: bool) -> str:
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


# ---------------------------------------------------------------------------- summary


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


# ---------------------------------------------------------------------------- entry


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``normtext`` console script and ``python -m normtext``."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in args_list if a != "--"), None)
    if first is None or (first not in COMMANDS and first not in ("-h", "--help", "--version")):
        args_list.insert(0, "normalise")
    parser = build_parser()
    args = parser.parse_args(args_list)
    try:
        return int(args.run(args))
    except UsageError as exc:
        parser.exit(EXIT_FAILED, f"normtext: error: {exc}\n")
    except BrokenPipeError:
        # `normtext ... | head`: the reader is gone. The pool has been shut down cleanly
        # (dying of SIGPIPE would orphan the workers); end quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PIPE_CLOSED
    except KeyboardInterrupt:
        print(
            "normtext: interrupted; every file is either untouched or completely rewritten",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
