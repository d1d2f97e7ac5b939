"""CLI throughput on a folder of 200 real files, --jobs 1 against --jobs 2 and the library.

The folder is People's Daily (``corpus.py``) spun and split: the lines are cut into 200
files, each in one of the three variants (Simplified, OpenCC Traditional, Taiwan), saved
in an encoding its variant is found in (UTF-8, GB18030, Big5), with a doubled comma now
and then, so the CLI does what it does on a real folder: detect, repair, write.

Goals (issue 5): ``--jobs 2`` at least 1.7x ``--jobs 1``, and the CLI within 10% of the
library's own throughput. The CLI pays a fixed start-up (interpreter, imports, stages)
that no library call in a warm process pays, so the table shows both the end-to-end rate
and the rate with that start-up taken out (measured on six one-line files, one per
variant and encoding, so it includes what is loaded on first use).

``--big-mb N`` also streams one N MB file with --jobs 2 and samples the resident memory
of the whole process tree (Linux ``/proc``), for the "1 GB file under 300 MB" goal.

    python benchmarks/cli.py [--runs 3] [--big-mb 1000]

``--jobs-mb 100`` instead times ``normalise FILE -o OUT`` on one file of that size (People's
Daily Traditional, Simplified and spun, repeated) with --jobs 1 and --jobs 2, interleaved
round by round (``--runs``, default 5), with bytecode compiled as an installed package has
it, and reports the medians and the median of the rounds' jobs-1 / jobs-2 wall ratios
(issue 12: at least 1.7 on this 2-core machine), after checking both outputs are
byte-identical. ``--before OTHER_TREE/src`` times that tree too, in the same rounds. Saves
results/cli_jobs.md.

``--convert-mb 20`` instead times ``normtext convert`` against the ``opencc`` command (if
installed) on a 20 MB file per direction (People's Daily, repeated; t2s reads the OpenCC
Traditional variant, s2t the Simplified one), median of ``--runs``, all commands
interleaved run by run so the shared machine's load hits them alike; it also times the
parts of normtext's start-up (interpreter, imports, table build). Saves results/convert_cli.md.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # benchmarks/ is not a package: found through sys.path above
import normtext

FILES = 200
VARIANTS = (("s", ("utf-8", "gb18030")), ("t", ("utf-8", "big5")), ("tw", ("utf-8", "big5")))
RESULTS = HERE / "results" / "cli.md"


def spin(folder: Path, files: int = FILES) -> list[Path]:
    """Write the spun corpus into ``folder``: ``files`` files, about 16 MB in all."""
    folder.mkdir(parents=True, exist_ok=True)
    lines = {v: corpus.lines(v) for v, _ in VARIANTS}
    count = len(lines["s"])
    paths = []
    for i in range(files):
        variant, encodings = VARIANTS[i % len(VARIANTS)]
        part = lines[variant][i * count // files : (i + 1) * count // files]
        # a doubled comma in every seventh line: the most common damage in scraped news
        text = "".join(
            (line.replace("，", "，，", 1) if j % 7 == 0 else line) + "\n"
            for j, line in enumerate(part)
        )
        encoding = encodings[(i // len(VARIANTS)) % len(encodings)]
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:  # a character Big5 lacks: keep this one in UTF-8
            data = text.encode("utf-8")
        path = folder / f"{variant}" / f"pd_{i:03d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    return paths


def best(fn: Callable[[], None], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def cli(*args: str) -> None:
    cmd = [sys.executable, "-m", "normtext", "normalise", "--quiet", *args]
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL)


def library_times(paths: list[Path], runs: int) -> tuple[float, float, float]:
    """Normalise only, decode + normalise + encode (wall), and the latter's CPU time."""
    blobs = [p.read_bytes() for p in paths]
    texts = [normtext.decode(b).text for b in blobs]
    normalizer = normtext.Normalizer()
    normalizer.normalize(texts[0])

    def normalise_only() -> None:
        for text in texts:
            normalizer.normalize(text)

    def whole() -> None:
        for blob in blobs:
            normalizer.normalize(normtext.decode(blob).text).encode("utf-8")

    start = process_cpu()
    whole()
    cpu = process_cpu() - start
    return best(normalise_only, runs), best(whole, runs), cpu


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli_time(src: Path, out: Path, jobs: int, runs: int) -> tuple[float, float]:
    """Best wall time and best CPU time (all processes) of ``normalise SRC -o OUT``.

    CPU time does not depend on what else the machine runs; wall time does.
    """
    walls, cpus = [], []
    for _ in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        cpu = children_cpu()
        start = time.perf_counter()
        cli(str(src), "-o", str(out), "--jobs", str(jobs))
        walls.append(time.perf_counter() - start)
        cpus.append(children_cpu() - cpu)
    return min(walls), min(cpus)


def process_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def tree_memory(pid: int) -> int:
    """Proportional set size (PSS) of ``pid`` and all its descendants, in bytes.

    PSS splits each page shared by several processes among them, so pages that forked
    workers share with the parent count once in the sum; summed RSS would count them
    once per process.
    """
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    stack.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def big_file(tmp: Path, megabytes: int) -> tuple[float, int, float, int | None]:
    """Stream one big file with --jobs 2: (MB, peak tree PSS in bytes, seconds, and the
    largest single process's peak RSS in bytes as ``/usr/bin/time -v`` reports it)."""
    block = (corpus.traditional() + corpus.simplified()).encode("utf-8")
    path = tmp / "big.txt"
    with open(path, "wb") as f:
        written = 0
        while written < megabytes * 1_000_000:
            f.write(block)
            written += len(block)
    cmd = [
        sys.executable,
        "-m",
        "normtext",
        "normalise",
        "--quiet",
        "--jobs",
        "2",
        str(path),
        "-o",
        str(tmp / "big-out"),
    ]
    timer = shutil.which("time") or ("/usr/bin/time" if os.path.exists("/usr/bin/time") else None)
    report = tmp / "time-v.txt"
    if timer:
        cmd = [timer, "-v", "-o", str(report), *cmd]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_memory(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    proc.wait()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - start
    max_rss = None
    if timer and report.exists():
        for line in report.read_text().splitlines():
            if "Maximum resident set size" in line:
                max_rss = int(line.split(":")[1]) * 1024
    path.unlink()
    shutil.rmtree(tmp / "big-out", ignore_errors=True)
    return written / 1e6, peak, seconds, max_rss


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="best of N (default 3)")
    parser.add_argument("--big-mb", type=int, default=0, help="also stream one file this big")
    parser.add_argument("--convert-mb", type=int, default=0, help="normtext convert vs opencc")
    parser.add_argument("--jobs-mb", type=int, default=0, help="--jobs 2 / --jobs 1 on one file")
    parser.add_argument("--before", help="with --jobs-mb: another tree's src, timed alike")
    args = parser.parse_args(argv)
    if args.jobs_mb:
        jobs_ratio(args.jobs_mb, args.runs, args.before)
        return
    if args.convert_mb:
        convert_vs_opencc(args.convert_mb, args.runs)
        return

    with tempfile.TemporaryDirectory(prefix="normtext-bench-") as tmp_name:
        tmp = Path(tmp_name)
        paths = spin(tmp / "in")
        mb = sum(p.stat().st_size for p in paths) / 1e6
        lib_norm, lib_whole, lib_cpu = library_times(paths, args.runs)
        # start-up: the first line of one file per variant and encoding, so it includes
        # everything loaded on first use (each standard's tables, the decoder's model)
        tiny = tmp / "tiny"
        tiny.mkdir()
        for path in paths[:6]:
            (tiny / path.name).write_bytes(path.read_bytes().split(b"\n", 1)[0] + b"\n")
        startup, startup_cpu = cli_time(tiny, tmp / "tiny-out", 1, args.runs)
        j1, j1_cpu = cli_time(tmp / "in", tmp / "out1", 1, args.runs)
        j2, j2_cpu = cli_time(tmp / "in", tmp / "out2", 2, args.runs)
        big = big_file(tmp, args.big_mb) if args.big_mb else None
        load = os.getloadavg()[0]

    def rate(seconds: float) -> str:
        return f"{mb / seconds:.1f}"

    rows = [
        ("library: normalize() only", lib_norm, None, ""),
        ("library: decode + normalize + encode", lib_whole, lib_cpu, "baseline"),
        ("CLI --jobs 1", j1, j1_cpu, f"{lib_whole / j1:.0%} of baseline"),
        (
            "CLI --jobs 1, start-up taken out",
            j1 - startup,
            j1_cpu - startup_cpu,
            (
                f"{lib_whole / (j1 - startup):.0%} of baseline (CPU: "
                f"{lib_cpu / (j1_cpu - startup_cpu):.0%})"
            ),
        ),
        ("CLI --jobs 2", j2, j2_cpu, f"{j1 / j2:.2f}x --jobs 1"),
        (
            "CLI --jobs 2, start-up taken out",
            j2 - startup,
            j2_cpu - startup_cpu,
            f"{(j1 - startup) / (j2 - startup):.2f}x --jobs 1",
        ),
    ]
    lines = [
        f"# CLI throughput: {len(paths)} files, {mb:.1f} MB (People's Daily, spun)",
        "",
        (
            f"normtext {normtext.__version__}, Python {sys.version.split()[0]}, "
            f"{os.cpu_count()} cores (load average {load:.1f} at the end), best of "
            f"{args.runs}. CLI start-up (six one-line files, one per variant and encoding): "
            f"{startup:.2f} s wall, "
            f"{startup_cpu:.2f} s CPU. Wall time counts what other processes take from us; "
            "CPU time does not."
        ),
        "",
        "| what | wall s | MB/s | CPU s | note |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    lines += [
        f"| {name} | {t:.2f} | {rate(t)} | {'' if cpu is None else f'{cpu:.2f}'} | {note} |"
        for name, t, cpu, note in rows
    ]
    if big is not None:
        size, peak, seconds, max_rss = big
        largest = (
            ""
            if max_rss is None
            else f"; largest single process (/usr/bin/time -v) {max_rss / 1e6:.0f} MB"
        )
        lines += [
            "",
            (
                f"One {size:.0f} MB file (People's Daily, Traditional and Simplified, repeated), "
                f"--jobs 2, -o: {seconds:.1f} s ({size / seconds:.1f} MB/s); peak resident "
                f"memory of the whole process tree (PSS, sampled every 0.2 s) {peak / 1e6:.0f} MB"
                f"{largest}."
            ),
        ]
    report = "\n".join(lines) + "\n"
    print(report)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(report, encoding="utf-8")


def big_input(path: Path, megabytes: int) -> None:
    """People's Daily Traditional, Simplified and spun (see pipeline.py), repeated."""
    from pipeline import spun

    block = (corpus.traditional() + corpus.simplified() + spun()).encode("utf-8")
    with open(path, "wb") as f:
        for _ in range(max(1, round(megabytes * 1_000_000 / len(block)))):
            f.write(block)


def jobs_ratio(megabytes: int, runs: int, before: str | None) -> None:
    """--jobs 1 against --jobs 2 on one big file, per tree, rounds interleaved; medians."""
    import statistics

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    trees = {"this tree": str(Path(normtext.__file__).resolve().parents[1])}
    if before:
        trees["before"] = str(Path(before).resolve())
    times: dict[tuple[str, int], list[tuple[float, float]]] = {}
    same: dict[str, bool] = {}
    with tempfile.TemporaryDirectory(prefix="normtext-bench-") as tmp_name:
        tmp = Path(tmp_name)
        src = tmp / "big.txt"
        big_input(src, megabytes)
        size = src.stat().st_size / 1e6
        tiny = tmp / "tiny.txt"
        with open(src, "rb") as f:  # what the main process primes on before forking
            tiny.write_bytes(f.read(1 << 16).rsplit(b"\n", 1)[0] + b"\n")
        for tree in trees.values():  # bytecode for every module used, as installed
            tree_env = {**env, "PYTHONPATH": tree}
            subprocess.run([*NORMALISE, str(tiny)], check=True, env=tree_env, stdout=DEVNULL)
        for run in range(runs):
            for name, tree in trees.items():
                # alternate which goes first: a load that comes and goes hits both alike
                for jobs in (1, 2) if run % 2 == 0 else (2, 1):
                    out = tmp / f"out-{jobs}"
                    cmd = [*NORMALISE, "--jobs", str(jobs), str(src), "-o", str(out)]
                    times.setdefault((name, jobs), []).append(
                        timed(cmd, {**env, "PYTHONPATH": tree})
                    )
                times.setdefault((name, 0), []).append(  # start-up: the first 64 KB
                    timed([*NORMALISE, str(tiny)], {**env, "PYTHONPATH": tree})
                )
                if run == 0:
                    one, two = (tmp / f"out-{j}" / src.name for j in (1, 2))
                    same[name] = one.read_bytes() == two.read_bytes()
        load = os.getloadavg()

    def median(name: str, jobs: int, which: int) -> float:
        return statistics.median(t[which] for t in times[(name, jobs)])

    lines = [
        f"# normalise --jobs 2 against --jobs 1: one {size:.0f} MB file",
        "",
        (
            f"People's Daily (Traditional, Simplified, spun) repeated to {size:.0f} MB, "
            f"`normalise FILE -o DIR`. normtext {normtext.__version__}, Python "
            f"{sys.version.split()[0]}, {os.cpu_count()} cores shared with other jobs, load "
            f"average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min) at the "
            f"end. {runs} rounds, each running every command once, --jobs 1 and --jobs 2 "
            "in turn (which goes first alternates); medians. The ratio is the median of "
            "the rounds' own ratios. CPU is user + system of the whole process tree. "
            "The wall ratio needs the 2 cores to itself: Linux shares the CPU between "
            "sessions (autogroup), so while another session is busy --jobs 2 gets no more "
            "than --jobs 1. The CPU model is what the CPU figures allow on 2 idle cores: "
            "--jobs 1 CPU / (start-up CPU + (--jobs 2 CPU - start-up CPU) / 2), start-up "
            "being the CPU time of the same command on the file's first 64 KB (serial in "
            "both: imports, tables, what is loaded on first use; a little work too, so the "
            "model errs low)."
        ),
        "",
        "| tree | --jobs 1 wall s | --jobs 2 wall s | ratio (goal >= 1.7) | --jobs 1 CPU s "
        "| --jobs 2 CPU s | start-up CPU s | CPU model | same output |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for name in trees:
        one, two = times[(name, 1)], times[(name, 2)]
        ratio = statistics.median(a[0] / b[0] for a, b in zip(one, two))
        startup = median(name, 0, 1)
        model = median(name, 1, 1) / (startup + (median(name, 2, 1) - startup) / 2)
        lines.append(
            f"| {name} | {median(name, 1, 0):.2f} | {median(name, 2, 0):.2f} | {ratio:.2f}x "
            f"| {median(name, 1, 1):.2f} | {median(name, 2, 1):.2f} | {startup:.2f} "
            f"| {model:.2f}x | {'yes' if same[name] else 'NO'} |"
        )
    rounds = [
        f"{name}: "
        + " ".join(f"{a[0] / b[0]:.2f}" for a, b in zip(times[(name, 1)], times[(name, 2)]))
        for name in trees
    ]
    lines += ["", "Ratio per round: " + "; ".join(rounds) + "."]
    report = "\n".join(lines) + "\n"
    print(report)
    RESULTS.with_name("cli_jobs.md").write_text(report, encoding="utf-8")


NORMALISE = [sys.executable, "-m", "normtext", "normalise", "--quiet"]
DEVNULL = subprocess.DEVNULL


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU seconds (user + system, the whole process tree) of one command."""
    before = children_cpu()
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start, children_cpu() - before


def opencc_commands() -> dict[str, tuple[list[str], str, Callable[[str], str]]]:
    """Every opencc command found: label -> (command, version, config name -> ``-c`` value).

    The one on PATH (in a venv, the binding's Python wrapper), the C++ command the
    official binding ships inside its package (``opencc/clib/bin/opencc``, which takes
    config files by path), and the system's (Debian: apt-get install opencc). A command
    that does not answer ``--version`` is left out and named in the notes.
    """
    import importlib.util

    candidates: list[tuple[str, Callable[[str], str]]] = []
    on_path = shutil.which("opencc")
    if on_path:
        candidates.append((on_path, lambda c: c))
    spec = importlib.util.find_spec("opencc")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        clib = Path(folder) / "clib"
        binary = clib / "bin" / "opencc"
        if binary.exists():
            share = clib / "share" / "opencc"
            candidates.append((str(binary), partial(_config_file, share)))
    if os.path.exists("/usr/bin/opencc"):
        candidates.append(("/usr/bin/opencc", lambda c: c))
    found: dict[str, tuple[list[str], str, Callable[[str], str]]] = {}
    seen: set[str] = set()
    for path, config_arg in candidates:
        real = os.path.realpath(path)
        if real in seen:
            continue
        seen.add(real)
        proc = subprocess.run([path, "--version"], capture_output=True, text=True, check=False)
        words = (proc.stdout + proc.stderr).split()
        version = " ".join(words[-2:]) if proc.returncode == 0 else ""
        kind = "C++" if "clib" in path or path.startswith("/usr/") else "Python wrapper"
        label = f"{path} ({kind}, {version or 'BROKEN: --version fails'})"
        found[label] = ([path], version, config_arg)
    return found


def _config_file(share: Path, config: str) -> str:
    return str(share / f"{config}.json")


def convert_vs_opencc(megabytes: int, runs: int) -> None:
    """normtext convert (cold and warm table store) against every opencc command found."""
    peers = opencc_commands()
    working = {label: peer for label, peer in peers.items() if peer[1]}
    py = sys.executable
    # Installed packages carry compiled bytecode; this environment may forbid writing it
    # (PYTHONDONTWRITEBYTECODE), which would charge normtext a recompile on every start.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="normtext-bench-") as tmp_name:
        tmp = Path(tmp_name)
        warm_cache = tmp / "warm-cache"
        files = {}
        for config, variant in (("t2s", "t"), ("s2t", "s")):
            data = ("\n".join(corpus.lines(variant)) + "\n").encode("utf-8")
            data = (data * (megabytes * 1_000_000 // len(data) + 1))[: megabytes * 1_000_000]
            files[config] = tmp / f"{variant}.txt"
            files[config].write_bytes(data[: data.rfind(b"\n") + 1])
        empty = tmp / "empty.txt"
        empty.write_bytes(b"")

        def normtext_cmd(config: str, path: Path, jobs: str = "1") -> list[str]:
            out = str(tmp / f"out-{config}.txt")
            return [
                py,
                "-m",
                "normtext",
                "convert",
                "-c",
                config,
                "--jobs",
                jobs,
                "-i",
                str(path),
            ] + [
                "-o",
                out,
            ]

        commands: dict[str, tuple[list[str], str | None]] = {  # command, cache (None: warm)
            "python -c pass": ([py, "-c", "pass"], None),
            "import numpy": ([py, "-c", "import numpy"], None),
            "import normtext.cli": ([py, "-c", "import normtext.cli"], None),
        }
        for config, path in files.items():
            rows = (  # label, input, --jobs, store
                (f"normtext convert -c {config}, empty input, cold store", empty, "1", "cold"),
                (f"normtext convert -c {config}, empty input, warm store", empty, "1", None),
                (f"normtext convert -c {config}, cold store (builds, saves)", path, "1", "cold"),
                (f"**normtext convert -c {config}, warm store**", path, "1", None),
                (f"normtext convert -c {config} --jobs 2, warm store", path, "2", None),
            )
            for label, source, jobs, store in rows:
                commands[label] = (normtext_cmd(config, source, jobs), store)
            for label, (cmd, _version, config_arg) in working.items():
                out = str(tmp / f"out-{config}.txt")
                commands[f"**{label} -c {config}**"] = (
                    [*cmd, "-c", config_arg(config), "-i", str(path), "-o", out],
                    None,
                )
        warm_env = {**env, "NORMTEXT_CACHE_DIR": str(warm_cache)}
        for config in files:  # the warm store, and bytecode for every module used
            subprocess.run(normtext_cmd(config, empty), check=True, env=warm_env)
        same = _same_output(working, files, tmp, warm_env)
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for run in range(runs):
            for name, (cmd, cache) in commands.items():
                run_env = warm_env
                if cache == "cold":
                    run_env = {**env, "NORMTEXT_CACHE_DIR": str(tmp / f"cold-{run}-{len(name)}")}
                    shutil.rmtree(run_env["NORMTEXT_CACHE_DIR"], ignore_errors=True)
                times[name].append(timed(cmd, run_env))
        load = os.getloadavg()
        store_mb = sum(f.stat().st_blocks * 512 for f in warm_cache.rglob("*.npt")) / 1e6
        store_files = sorted(f.name for f in warm_cache.rglob("*.npt"))
    notes = [
        f"Table store after both configs: {len(store_files)} files, {store_mb:.0f} MB on disk."
    ]
    notes += [f"Left out, not working here: {label}." for label in peers if label not in working]
    _convert_report(megabytes, runs, load, working, same, times, notes)


def _same_output(
    peers: dict[str, tuple[list[str], str, Callable[[str], str]]],
    files: dict[str, Path],
    tmp: Path,
    env: dict[str, str],
) -> dict[str, bool]:
    py = sys.executable
    same = {}
    for label, (cmd, _version, config_arg) in peers.items():
        for config, path in files.items():
            a, b = tmp / "a.txt", tmp / "b.txt"
            subprocess.run(
                [*cmd, "-c", config_arg(config), "-i", str(path), "-o", str(a)], check=True
            )
            subprocess.run(
                [py, "-m", "normtext", "convert", "-c", config, "-i", str(path), "-o", str(b)],
                check=True,
                env=env,
            )
            same[f"{config} vs {label}"] = a.read_bytes() == b.read_bytes()
    return same


def _convert_report(
    megabytes: int,
    runs: int,
    load: tuple[float, float, float],
    peers: dict[str, tuple[list[str], str, Callable[[str], str]]],
    same: dict[str, bool],
    times: dict[str, list[tuple[float, float]]],
    notes: list[str],
) -> None:
    import statistics

    def median(name: str, which: int) -> float:
        return statistics.median(sample[which] for sample in times[name])

    lines = [
        f"# normtext convert against the opencc command: {megabytes} MB per direction",
        "",
        (
            f"People's Daily repeated to {megabytes} MB (t2s reads the OpenCC Traditional "
            f"variant, s2t the Simplified one; the tables saw none of it: conversion has no "
            f"tables of ours). normtext {normtext.__version__}, Python "
            f"{sys.version.split()[0]}, {os.cpu_count()} cores shared with other jobs, load "
            f"average {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min) at the "
            f"end. Median of {runs}, every command once per round, rounds interleaved. CPU is "
            "user + system of the whole process tree: it does not depend on the machine's "
            "load; wall time does. Cold store: NORMTEXT_CACHE_DIR is a new empty folder (the "
            "tables are built and saved); warm: the store holds them (mapped, not built). "
            "normtext runs with its bytecode compiled, as an installed package has it."
        ),
    ]
    if same:
        lines += [
            "",
            "Output byte-identical to the opencc command: "
            + ", ".join(f"{c} {'yes' if s else 'NO'}" for c, s in same.items()),
        ]
    lines += ["", "| command | wall s | CPU s |", "| --- | ---: | ---: |"]
    for name in times:
        lines.append(f"| {name} | {median(name, 0):.2f} | {median(name, 1):.2f} |")
    verdicts = []
    for config in ("t2s", "s2t"):
        ours = f"**normtext convert -c {config}, warm store**"
        for label in peers:
            theirs = f"**{label} -c {config}**"
            if ours in times and theirs in times:
                verdicts.append(
                    f"{config}: normtext (warm) / {label.split(' (')[0]} = "
                    f"{median(ours, 0) / median(theirs, 0):.2f} wall, "
                    f"{median(ours, 1) / median(theirs, 1):.2f} CPU"
                )
    lines += ["", "Ratios (below 1: normtext is faster):", ""]
    lines += [f"- {v}" for v in verdicts]
    lines += ["", *notes]
    report = "\n".join(lines) + "\n"
    print(report)
    target = RESULTS.with_name("convert_cli.md")
    target.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
