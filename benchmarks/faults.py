"""The CLI's file path on CR-only and mixed line endings: linear in the file size (issue 14).

A CR-only file (old Mac line endings) has no LF, and the chunker cut only at LF: the
whole file became one chunk, read by re-copying a growing buffer (quadratic), and every
stage ran on one huge text. This measures, at 1x and 4x the size, for LF, CR-only and
mixed CRLF/LF input, in this process (no interpreter start-up in the figures):

- ``split``: the chunker alone (``files.chunks.split_lines``);
- ``file bare``: one input through the CLI's file path (``files.job.run_file``, what
  ``normtext normalise FILE -j1`` runs) with every stage off: read, detect, chunk,
  decode, encode, write; the stages are not timed;
- ``file``: the same with the default stages (their own cost on CR-only text is the
  stages' business; chunking bounds each text they see to about 4 MiB).

Input: People's Daily 1998 (``corpus.py``), lines joined with the ending under test and
repeated to the size. No table or threshold is involved: timing only. Times are medians;
linear means 4x / 1x near 4.

    python benchmarks/faults.py [--mb 16] [--runs 3] [--no-stages]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # benchmarks/ is not a package: found through sys.path above
from normtext.files.chunks import split_lines
from normtext.files.job import run_file
from normtext.files.plan import Plan, Transform
from normtext.files.sources import Source
from normtext.options import STAGES
from normtext.pipeline import Normalizer

ENDINGS = {"LF": "\n", "CR": "\r", "mixed": None}


def make(size: int, ending: str) -> bytes:
    """``size`` bytes (about) of news lines ending in ``ending`` (mixed: LF and CRLF)."""
    lines = corpus.lines("s")
    out: list[str] = []
    total = 0
    i = 0
    while total < size:
        line = lines[i % len(lines)]
        end = ENDINGS[ending] or ("\r\n" if i % 3 == 0 else "\n")
        out.append(line + end)
        total += len(line.encode("utf-8")) + len(end)
        i += 1
    return "".join(out).encode("utf-8")


def time_split(data: bytes) -> float:
    started = time.perf_counter()
    stream = io.BytesIO(data)
    head = stream.read(4 << 20)
    n = sum(1 for _ in split_lines(head, stream, b"\n", 4 << 20))
    assert n >= 1
    return time.perf_counter() - started


def time_file(path: Path, plan: Plan) -> float:
    source = Source(path, Path(path.name), path.stat().st_size)
    started = time.perf_counter()
    result = run_file(plan, source, lambda _data: None)
    assert result.error is None, result.error
    return time.perf_counter() - started


def median(fn: Callable[[], float], runs: int) -> float:
    return statistics.median(fn() for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=16.0, help="the 1x size in MB")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-stages", action="store_true", help="skip the default-stage run")
    args = parser.parse_args()
    base = int(args.mb * 1e6)
    plans = {"file bare": Plan(Transform(Normalizer(**dict.fromkeys(STAGES, False))))}
    if not args.no_stages:
        plans["file"] = Plan(Transform(Normalizer()))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        warm = Path(tmp, "warm.txt")
        warm.write_bytes(make(100_000, "mixed"))
        for plan in plans.values():  # first use loads the detector and the stages
            time_file(warm, plan)
        for ending in ENDINGS:
            times: dict[str, list[float]] = {}
            for factor in (1, 4):
                data = make(base * factor, ending)
                path = Path(tmp, f"{ending}-{factor}.txt")
                path.write_bytes(data)
                times.setdefault("split", []).append(
                    median(lambda d=data: time_split(d), 2 * args.runs + 1)
                )
                for name, plan in plans.items():
                    times.setdefault(name, []).append(
                        median(lambda p=path, q=plan: time_file(p, q), args.runs)
                    )
            for what, (t1, t4) in times.items():
                rows.append((ending, what, t1, t4, t4 / t1))
    print(f"| ending | path | {args.mb:g} MB (s) | {4 * args.mb:g} MB (s) | 4x / 1x |")
    print("|---|---|---:|---:|---:|")
    for ending, what, t1, t4, ratio in rows:
        print(f"| {ending} | {what} | {t1:.3f} | {t4:.3f} | {ratio:.2f} |")


if __name__ == "__main__":
    main()
