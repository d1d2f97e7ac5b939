"""normalize() speed, stage by stage, beside OpenCC C++ t2s alone, in one run.

Usage: ``python benchmarks/pipeline.py [--runs N]``

Inputs (People's Daily 1998-01 from ``corpus.py``): the first 6,000 lines spun the way the
seed page was spun (``quality.Spinner``: Traditional via OpenCC s2tw, pinyin glosses,
ASCII punctuation, spurious commas), the clean Simplified and Traditional corpora, and
the Taiwan corpus (OpenCC s2tw of the same news), and the seed page repeated 150 times.
Each figure is the median of ``--runs`` (MB/s of UTF-8 input; the machine is shared, so
compare ratios within one run); each stage is timed as the pipeline runs it (behind its
language scope) on what the stages before it produced, and the scope pass, which the
stages share, is timed alone. Issue 12's goal is a ratio of at least 1: the whole
pipeline as fast as OpenCC C++ doing conversion only.
Results go to stdout and ``benchmarks/results/pipeline.md``.
"""

from __future__ import annotations

import argparse
import statistics
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import opencc

    t2s = opencc.OpenCC("t2s").convert
    inputs = {
        "spun (6,000 lines)": spun(),
        "clean Simplified": corpus.simplified(),
        "clean Traditional": corpus.traditional(),
        "clean Taiwan": corpus.taiwan(),
        "seed page ×150": SEED.read_text(encoding="utf-8") * 150,
    }
    from normtext.chars.scope import _compute
    from normtext.pipeline import Normalizer

    stages = Normalizer().stages
    names = ["scope pass", *(stage.name for stage in stages)]
    rows = []
    for label, text in inputs.items():
        mb = len(text.encode("utf-8")) / 1e6
        normtext.normalize(text)  # build every table first
        per_stage = [mb / best(lambda text=text: _compute(text), args.runs)]
        current = text
        for stage in stages:
            seconds = best(lambda stage=stage, current=current: stage.transform(current), args.runs)
            per_stage.append(mb / seconds)
            current = stage.transform(current)
        whole = mb / best(lambda text=text: normtext.normalize(text), args.runs)
        opencc_speed = mb / best(lambda text=text: t2s(text), args.runs)
        rows.append((label, mb, whole, opencc_speed, per_stage))
    head = (
        "| input | MB | normalize MB/s | OpenCC C++ t2s MB/s | ratio | " + " | ".join(names) + " |"
    )
    lines = [
        "# normalize() speed",
        "",
        (
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; median of {args.runs}; MB/s of "
            "UTF-8 input; per-stage columns: the scope pass alone, then each stage as the pipeline "
            "runs it, on its own input."
        ),
        "",
        head,
        "|" + "---|" * (5 + len(names)),
    ]
    for label, mb, whole, ref, per_stage in rows:
        cells = " | ".join(f"{s:,.0f}" for s in per_stage)
        lines.append(
            f"| {label} | {mb:.2f} | {whole:.1f} | {ref:.1f} | {whole / ref:.2f} | {cells} |"
        )
    report = "\n".join(lines) + "\n"
    print(report)
    out = HERE / "results" / "pipeline.md"
    out.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
