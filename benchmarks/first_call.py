"""The first call: a fresh process that imports normtext and normalises one text.

Usage: ``python benchmarks/first_call.py [--runs 7] [--compare SRC ...]``

Issue 12's goal is ``python -c "import normtext; normtext.normalize('發(fā)布')"`` in at most
0.25 s on the 2-core machine. Each command runs in ``--runs`` fresh processes (from a
temporary directory, ``PYTHONPATH`` naming the source tree), and the table gives the
median wall time and the median CPU time (user + system) of each; the machine is shared,
so CPU time is the steadier figure, and trees given with ``--compare`` (a checkout of an
earlier commit, say) run in the same interleaved rounds. Texts: the two characters and
their gloss, and the seed page (``corpus/seed/input.txt``, spun news the tables never saw
as such).

Then, in fresh processes, the CPU time of each step of the first call (median of the
runs; in the compiled copy with ``--bytecode``): ``import normtext``, and for each stage its
import and construction and its first transform (the script stage's converter build
apart), whether numpy was imported at all (a short text takes pure-Python paths, see
``normtext.lazy_numpy``), then the imports that cost most (``-X importtime``, self time).

Whether Python may cache bytecode matters: with ``PYTHONDONTWRITEBYTECODE`` set and no
``__pycache__`` in the tree, every run compiles normtext's sources again (an installed
wheel has its bytecode). The report says which case it measured.
Results go to stdout and ``benchmarks/results/first_call.md``.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
SEED = HERE.parent / "corpus" / "seed" / "input.txt"

COMMANDS = {
    "normalize('發(fā)布')": "import normtext; normtext.normalize('發(fā)布')",
    "normalize(seed page)": (
        f"import normtext; normtext.normalize(open({str(SEED)!r}, encoding='utf-8').read())"
    ),
}

# Run in the child: times each step of the first call, prints them as JSON.
_STEPS = r"""
import json, sys, time
clock = time.process_time
laps = {}
def lap(name, since):
    laps[name] = (clock() - since) * 1000
t = clock(); import normtext; lap("import normtext", t)
from normtext.chars.scope import scope_of
from normtext.opencc import Converter
from normtext.options import STAGES, Options
from normtext.pipeline import _scoped
from normtext.stages import build_stage
text = sys.argv[1]
options = Options()
t = clock(); scope_of(text); lap("language scope (shared by the stages)", t)
for name in STAGES:
    if not options.enabled(name):
        continue
    t = clock(); stage = _scoped(build_stage(name, options)); lap(f"{name}: import and build", t)
    if name == "script":
        t = clock(); config, plan = stage.inner.decide(text)
        lap("script: evidence and standard", t)
        if plan is not None:
            t = clock(); Converter(config).convert("x"); lap(f"script: Converter({config!r}) build", t)
    t = clock(); text = stage.transform(text); lap(f"{name}: first transform", t)
laps["numpy imported (1: yes)"] = float("numpy" in sys.modules)
print(json.dumps(laps))
"""


def _env(src: str) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=src)


def _run(args: list[str], src: str, cwd: str) -> tuple[float, float, str]:
    """Wall and CPU milliseconds of one child process, and its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(args, env=_env(src), cwd=cwd, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall * 1000, cpu * 1000, done.stdout + done.stderr


def timings(trees: list[str], runs: int, cwd: str) -> dict[tuple[str, str], tuple[float, float]]:
    """(command label, tree) -> (median wall, median CPU), the trees in interleaved rounds."""
    samples: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for _ in range(runs):
        for label, code in COMMANDS.items():
            for tree in trees:
                wall, cpu, _ = _run([sys.executable, "-c", code], tree, cwd)
                samples.setdefault((label, tree), []).append((wall, cpu))
    bare = []
    for _ in range(runs):
        bare.append(_run([sys.executable, "-c", "pass"], trees[0], cwd)[:2])
    samples[("python -c pass (start-up alone)", trees[0])] = bare
    return {
        key: (statistics.median(w for w, _ in s), statistics.median(c for _, c in s))
        for key, s in samples.items()
    }


def steps(tree: str, text: str, runs: int, cwd: str) -> dict[str, float]:
    rows = [
        json.loads(
            _run([sys.executable, "-c", _STEPS, text], tree, cwd)[2].strip().splitlines()[-1]
        )
        for _ in range(runs)
    ]
    return {name: statistics.median(row[name] for row in rows) for name in rows[0]}


def import_tops(tree: str, cwd: str, count: int = 12) -> list[tuple[int, str]]:
    """The imports with the largest self time (µs) in one first call."""
    out = _run(
        [sys.executable, "-X", "importtime", "-c", COMMANDS["normalize('發(fā)布')"]], tree, cwd
    )[2]
    found = []
    for line in out.splitlines():
        if line.startswith("import time:") and "|" in line and "self" not in line:
            self_us, _, name = line[len("import time:") :].split("|")
            found.append((int(self_us), name.strip()))
    return sorted(found, reverse=True)[:count]


def _bytecode(tree: str) -> str:
    cached = any(Path(tree, "normtext").rglob("__pycache__/*.pyc"))
    if cached:
        return "bytecode cached in the tree (as an installed wheel has it)"
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return "no bytecode cache (PYTHONDONTWRITEBYTECODE set): sources compiled on every run"
    return "bytecode written on the first run and reused"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--compare", nargs="*", default=[], help="other source trees")
    parser.add_argument(
        "--bytecode", action="store_true", help="also time a compiled copy of each tree"
    )
    args = parser.parse_args()
    trees = [str(SRC), *args.compare]
    names = {str(SRC): "this tree"}
    with tempfile.TemporaryDirectory() as cwd:
        if args.bytecode:
            for k, tree in enumerate(list(trees)):
                copy = shutil.copytree(tree, Path(cwd, f"compiled{k}"))
                compileall.compile_dir(copy, quiet=1)
                trees.append(str(copy))
                names[str(copy)] = f"{names.get(tree, tree)}, compiled copy"
        found = timings(trees, args.runs, cwd)
        caching = {tree: _bytecode(tree) for tree in trees}
        mine = trees[len(trees) // 2] if args.bytecode else str(SRC)  # its compiled copy
        breakdown = steps(mine, "發(fā)布", args.runs, cwd)
        tops = import_tops(mine, cwd)
    lines = [
        "# The first call",
        "",
        (
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; median of {args.runs} fresh "
            f"processes each, run from an empty directory; {os.cpu_count()} cores, load average "
            f"{os.getloadavg()[0]:.1f}. Goal (issue 12): ≤ 250 ms for normalize('發(fā)布')."
        ),
        "",
        "| command | source tree | wall ms | CPU ms |",
        "|---|---|---|---|",
    ]
    for (label, tree), (wall, cpu) in found.items():
        name = names.get(tree, tree)
        lines.append(f"| {label} | {name} ({caching[tree]}) | {wall:.0f} | {cpu:.0f} |")
    lines += ["", f"CPU time of each step of normalize('發(fā)布') in {names[mine]} (median):", ""]
    lines += ["| step | CPU ms |", "|---|---|"]
    lines += [f"| {name} | {ms:.1f} |" for name, ms in breakdown.items()]
    lines += ["", "Largest imports by self time (`-X importtime`, one run):", ""]
    lines += ["| module | self ms |", "|---|---|"]
    lines += [f"| {name} | {us / 1000:.1f} |" for us, name in tops]
    report = "\n".join(lines) + "\n"
    print(report)
    (HERE / "results" / "first_call.md").write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
