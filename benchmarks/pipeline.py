"""normalize() speed, stage by stage, beside OpenCC C++ t2s alone, in one run.

Usage: ``python benchmarks/pipeline.py [--runs N] [--before OTHER_TREE/src]``

Inputs (People's Daily 1998-01 from ``corpus.py``): the first 6,000 lines spun the way the
seed page was spun (``quality.Spinner``: Traditional via OpenCC s2tw, pinyin glosses,
ASCII punctuation, spurious commas), the clean Simplified and Traditional corpora, and
the Taiwan corpus (OpenCC s2tw of the same news), and the seed page repeated 150 times.
Each figure is the median of ``--runs`` (MB/s of UTF-8 input; the machine is shared, so
compare ratios within one run); each stage is timed as the pipeline runs it (behind its
language scope) on what the stages before it produced, and the scope pass, which the
stages share, is timed alone. ``--before`` times another tree's normtext too, in a fresh
process, input by input in turn with this one: a before/after table of the same minutes. Issue 12's goal is a ratio of at least 1: the whole
pipeline as fast as OpenCC C++ doing conversion only.
Results go to stdout and ``benchmarks/results/pipeline.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus
import normtext

SEED = HERE.parent / "corpus" / "seed" / "input.txt"
SPUN = corpus.DATA / "pd_spun_6000.txt"


def spun() -> str:
    if not SPUN.exists():
        from quality import Spinner

        spinner = Spinner(seed=1)
        lines = corpus.simplified().splitlines()[:6000]
        SPUN.write_text("\n".join(spinner.spin(line) for line in lines) + "\n", encoding="utf-8")
    return SPUN.read_text(encoding="utf-8")


def best(fn: Callable[[], object], runs: int) -> float:
    """The median time of ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def inputs() -> dict[str, str]:
    return {
        "spun (6,000 lines)": spun(),
        "clean Simplified": corpus.simplified(),
        "clean Traditional": corpus.traditional(),
        "clean Taiwan": corpus.taiwan(),
        "seed page ×150": SEED.read_text(encoding="utf-8") * 150,
    }


def measure(
    label: str, runs: int
) -> tuple[list[str], tuple[str, float, float, float, list[float]]]:
    """One input's row: normalize and OpenCC t2s MB/s, and each stage's (with the stage names)."""
    import opencc

    from normtext.chars.scope import _compute
    from normtext.pipeline import Normalizer

    t2s = opencc.OpenCC("t2s").convert
    text = inputs()[label]
    stages = Normalizer().stages
    names = ["scope pass", *(stage.name for stage in stages)]
    mb = len(text.encode("utf-8")) / 1e6
    normtext.normalize(text)  # build every table first
    per_stage = [mb / best(lambda: _compute(text), runs)]
    current = text
    for stage in stages:
        seconds = best(lambda stage=stage, current=current: stage.transform(current), runs)
        per_stage.append(mb / seconds)
        current = stage.transform(current)
    whole = mb / best(lambda: normtext.normalize(text), runs)
    opencc_speed = mb / best(lambda: t2s(text), runs)
    return names, (label, mb, whole, opencc_speed, per_stage)


def measure_elsewhere(src: str, label: str, runs: int) -> tuple[list[str], tuple]:
    """``measure`` in a fresh process that imports normtext from ``src`` (another tree)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([src, os.environ.get("PYTHONPATH", "")])}
    argv = [sys.executable, __file__, "--runs", str(runs), "--one", label]
    out = subprocess.run(argv, env=env, check=True, capture_output=True, text=True).stdout
    names, row = json.loads(out)
    return names, tuple(row)


def table(names: list[str], rows: list[tuple]) -> list[str]:
    head = (
        "| input | MB | normalize MB/s | OpenCC C++ t2s MB/s | ratio | " + " | ".join(names) + " |"
    )
    lines = [head, "|" + "---|" * (5 + len(names))]
    for label, mb, whole, ref, per_stage in rows:
        cells = " | ".join(f"{s:,.0f}" for s in per_stage)
        lines.append(
            f"| {label} | {mb:.2f} | {whole:.1f} | {ref:.1f} | {whole / ref:.2f} | {cells} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--before",
        metavar="SRC",
        help="also measure the normtext of another tree (its src folder), input by input in "
        "turn with this one, for a before/after table of the same minutes",
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)  # one input, as JSON (for --before)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.runs)))
        return
    rows, before = [], []
    names: list[str] = []
    for label in inputs():
        if args.before:
            before.append(measure_elsewhere(args.before, label, args.runs)[1])
        names, row = measure(label, args.runs)
        rows.append(row)
    lines = [
        "# normalize() speed",
        "",
        (
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; median of {args.runs}; MB/s of "
            "UTF-8 input; per-stage columns: the scope pass alone, then each stage as the pipeline "
            "runs it, on its own input."
        ),
        "",
        *table(names, rows),
    ]
    if args.before:
        lines += [
            "",
            f"Before: `{args.before}`, measured input by input in turn with the above:",
            "",
        ]
        lines += table(names, before)
    report = "\n".join(lines) + "\n"
    print(report)
    out = HERE / "results" / "pipeline.md"
    out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
