"""Entry point: the command line in, an exit status out; user errors never print a traceback.

Each user error becomes one line naming the input and what to do, the other inputs go
on, and the exit status says what happened (see ``parser.EPILOG``).
"""

from __future__ import annotations

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
    first = next((a for a in args_list if a != "--"), None)
    if first is None or (first not in COMMANDS and first not in ("-h", "--help", "--version")):
        args_list.insert(0, "normalise")
    parser = build_parser()
    args = parser.parse_args(args_list)
    try:
        return int(COMMAND_RUNS[args.command](args))
    except UsageError as exc:
        parser.exit(EXIT_FAILED, f"normtext: error: {exc}\n")
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
