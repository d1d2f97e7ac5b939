"""What the command line accepts: subcommands, flags, help texts and exit codes."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

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

_EXIT_TAIL = """\
  141  stdout was closed before the end (as in `normtext ... | head`)
"""

#: Each command's help describes only its own exit codes.
EPILOGS = {
    "normalise": """\
exit status:
  0    success (with --check: nothing would change)
  1    --check: at least one input would change
  2    at least one input failed (one line per failure on stderr; the others were
       processed), or bad usage
  130  interrupted; every file is either untouched or completely rewritten
"""
    + _EXIT_TAIL,
    "detect": """\
exit status:
  0    every input was inspected
  2    at least one input failed (one line per failure on stderr; the others were
       inspected), or bad usage
  130  interrupted
"""
    + _EXIT_TAIL,
    "convert": """\
exit status:
  0    success
  2    an input failed, or bad usage
  130  interrupted; the output file is either untouched or complete
"""
    + _EXIT_TAIL,
}

EPILOG = (
    EPILOGS["normalise"]
    + """
Run `normtext COMMAND --help` for a command's options; the exit status above is
normalise's (the default command). Options are never abbreviated: `--in` is an error.
"""
)

COMMANDS = ("normalise", "normalize", "detect", "convert")


def _command(
    sub: argparse._SubParsersAction, name: str, summary: str, description: str, **extra: Any
) -> argparse.ArgumentParser:
    """One command's parser: its epilog, no abbreviated options, description kept as written."""
    parser: argparse.ArgumentParser = sub.add_parser(
        name,
        help=summary,
        description=description,
        epilog=EPILOGS[name],
        allow_abbrev=False,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        **extra,
    )
    return parser


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The top-level parser and each command's own (parsed directly, so a usage error
    shows that command's usage). No parser accepts abbreviated options."""
    parser = argparse.ArgumentParser(
        prog="normtext",
        allow_abbrev=False,
        description="Repair damaged Chinese text: encodings, mojibake, pinyin glosses,\n"
        "punctuation, script, width and spacing. Without a command, runs normalise.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"normtext {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    norm = _command(
        sub,
        "normalise",
        "repair files, folders or standard input",
        "Repair text files, folders of them (recursively), JSONL records or\n"
        "Parquet columns. Output goes to stdout, a mirrored folder (-o) or back in place.",
        aliases=["normalize"],
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

    det = _command(
        sub,
        "detect",
        "report encoding, script and damage per file",
        "Report, per input, the encoding (with confidence), the script\n"
        "(Simplified, Traditional and which standard, mixed) and how many changes each\n"
        "stage would make. Big files are judged on their first chunk.",
    )
    _inputs(det)
    det.add_argument("--encoding", metavar="CODEC", help="force the input encoding")
    det.add_argument("--json", action="store_true", help="one JSON object per input (JSON Lines)")
    _options(det)
    _records(det)
    _running(det, report=True)

    conv = _command(
        sub,
        "convert",
        "plain OpenCC conversion (a drop-in for opencc)",
        "Convert between Chinese scripts exactly as OpenCC does, and nothing "
        "else.\nTakes the opencc command's options (-i, -o, -c NAME or FILE.json, --path,\n"
        "--in-place, --noflush, --include-tofu-risk-dictionaries) and its defaults.",
    )
    conv.add_argument("paths", nargs="*", metavar="PATH", help="input files ('-' is stdin)")
    conv.add_argument(
        "-c",
        "--config",
        default="s2t",
        metavar="CONFIG",
        help="OpenCC config: a built-in name, with or without .json (default s2t: "
        f"{', '.join(CONFIG_NAMES)}), or the path of a config file, whose dictionaries "
        "are found beside it, in --path folders or among the built-in ones",
    )
    conv.add_argument("-i", "--input", metavar="FILE", help="input file (default stdin)")
    conv.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="output file, written atomically (default stdout)",
    )
    conv.add_argument(
        "--in-place",
        action="store_true",
        help="allow -o to name the input file itself (it is replaced atomically)",
    )
    conv.add_argument(
        "--include-tofu-risk-dictionaries",
        action="store_true",
        help="also use the dictionaries OpenCC marks may_output_tofu (characters many fonts "
        "cannot show); off by default, as in the opencc command",
    )
    conv.add_argument(
        "--user-dict",
        action="append",
        type=Path,
        metavar="FILE",
        help="a dictionary of your own (OpenCC text format: key<TAB>value, UTF-8) that "
        "takes precedence over the config's; repeatable",
    )
    conv.add_argument(
        "--path",
        action="append",
        default=[],
        metavar="DIR",
        help="more folders in which to look for config files and their dictionaries",
    )
    conv.add_argument(
        "--noflush",
        metavar="BOOL",
        help="accepted for opencc compatibility (output is written in large blocks)",
    )
    conv.add_argument(
        "--measured_result",
        type=Path,
        metavar="FILE",
        help="write timings (load, convert, write, total, in ms) as JSON, as opencc does",
    )
    for flag in ("--segmentation", "--inspect", "--ambiguities"):
        conv.add_argument(flag, action="store_true", help=argparse.SUPPRESS)
    conv.add_argument("--resource-zip", help=argparse.SUPPRESS)
    _encodings(conv)
    _running(conv, report=False, jobs=1)
    commands = {name: sp for name, sp in sub.choices.items()}
    return parser, commands


def _inputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="files or folders (recursive); '-' or nothing reads stdin",
    )
    group = parser.add_argument_group(
        "folders (by default a walk takes text files: .txt .text .srt .vtt .lrc, plus "
        ".jsonl/.ndjson/.parquet when --field, --jsonl or --parquet is given)"
    )
    group.add_argument(
        "--glob",
        action="append",
        metavar="PATTERN",
        help="take only files whose name matches instead (e.g. '*.log'); repeatable",
    )
    group.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="GLOB",
        help="leave out files and folders whose name or path below the folder matches; repeatable",
    )
    group.add_argument(
        "--no-gitignore",
        dest="gitignore",
        action="store_false",
        help="also take files that .gitignore files ignore",
    )
    group.add_argument(
        "--include-code",
        action="store_true",
        help="also take code and markup found in folders (.md, .py, .html, scripts...); "
        "they are skipped by default, as rewriting their characters can break them. "
        "A file named on the command line is always taken",
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


def _running(parser: argparse.ArgumentParser, *, report: bool, jobs: int | None = None) -> None:
    group = parser.add_argument_group("running")
    group.add_argument(
        "-j",
        "--jobs",
        type=int,
        default=jobs or _cores(),
        metavar="N",
        help=(
            f"worker processes (default: cores, here {_cores()})"
            if jobs is None
            else f"worker processes (default {jobs}, as opencc: a pool pays off only for "
            "big inputs on idle cores)"
        ),
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
