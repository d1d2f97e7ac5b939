"""What the command line accepts: subcommands, flags, help texts and exit codes."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from .. import __version__
from ..files import (
    CHUNK_SIZE,
)
from ..opencc.config import CONFIG_NAMES
from ..options import STAGES, TARGETS

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
        "--backup",
        metavar="SUFFIX",
        help="with --in-place, keep the original as NAME+SUFFIX (an existing backup is "
        "never replaced; files ending in SUFFIX are never inputs)",
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
