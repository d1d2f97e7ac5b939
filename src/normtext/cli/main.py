"""Entry point: the command line in, an exit status out; user errors never print a traceback.

Each user error becomes one line naming the input and what to do, the other inputs go
on, and the exit status says what happened (see ``parser.EPILOG``).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from ..errors import UsageError
from ..files.runner import Terminated
from .commands import (
    run_convert,
    run_detect,
    run_normalise,
)
from .parser import (
    COMMANDS,
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_PIPE_CLOSED,
    build_parser,
)

#: What each subcommand runs (the parser only describes; this is where words become work).
COMMAND_RUNS = {
    "normalise": run_normalise,
    "normalize": run_normalise,
    "detect": run_detect,
    "convert": run_convert,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``normtext`` console script and ``python -m normtext``."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser, commands = build_parser()
    command, rest = _split_command(parser, args_list)
    sub = commands[command]
    args = sub.parse_args(rest)  # a usage error shows this command's usage, exit 2
    args.command = command
    try:
        return int(COMMAND_RUNS[command](args))
    except UsageError as exc:
        sub.exit(EXIT_FAILED, f"{sub.prog}: error: {exc}\n")
    except BrokenPipeError:
        # `normtext ... | head`: the reader is gone. The pool has been shut down cleanly
        # (dying of SIGPIPE would orphan the workers); end quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PIPE_CLOSED
    except Terminated as exc:
        print(
            f"normtext: terminated by signal {exc.signum}; every file is either untouched "
            "or completely rewritten",
            file=sys.stderr,
        )
        return 128 + exc.signum
    except KeyboardInterrupt:
        print(
            "normtext: interrupted; every file is either untouched or completely rewritten",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    return EXIT_OK


def _split_command(parser: argparse.ArgumentParser, args: list[str]) -> tuple[str, list[str]]:
    """The command and its arguments; without one, ``normalise``.

    The first word is a command, an option, or a path that exists (``normtext notes.txt``).
    Anything else is refused before anything is read or written: ``normtext detec x`` must
    not normalise ``x`` and then fail on ``detec``.
    """
    if not args:
        return "normalise", []
    first = args[0]
    if first in COMMANDS:
        return first, args[1:]
    if first in ("-h", "--help", "--version"):
        parser.parse_args([first])  # prints and exits 0
    if first == "-" or first == "--" or first.startswith("-") or os.path.lexists(first):
        return "normalise", args
    import difflib

    close = difflib.get_close_matches(first, COMMANDS, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]}?)" if close else ""
    parser.exit(
        EXIT_FAILED,
        f"{parser.format_usage()}normtext: error: {first!r} is neither a command "
        f"({', '.join(COMMANDS)}) nor an existing file or folder{hint}\n",
    )
