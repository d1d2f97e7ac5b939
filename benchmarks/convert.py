"""Speed and exactness of normtext's OpenCC converter against its peers, in one command.

    python benchmarks/convert.py            # prints a Markdown report, saves results/convert.md

Peers that co-install (normtext, the official OpenCC binding, opencc-pyo3, zhconv-rs) run in
this process, interleaved round by round so the shared machine's noise hits them alike and
the ratios stay fair. opencc-python-reimplemented installs itself as the import package
``opencc`` and would shadow the official binding, so it lives in ``benchmarks/.peers/`` and
runs in a subprocess of its own. The official binding (OpenCC C++) is the reference output.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "convert.md"
PUREPY = "opencc-python-reimplemented"
PUREPY_DIR = HERE / ".peers" / PUREPY
DIRECTIONS = {"t2s": "t", "s2t": "s"}  # config -> corpus variant it reads
ZHCONV_TARGET = {"t2s": "zh-hans", "s2t": "zh-hant"}
PROBE = "漢字"

Convert = Callable[[str], str]


@dataclass
class Peer:
    """A converter under test; ``make(config)`` returns its convert function."""

    name: str
    dist: str
    make: Callable[[str], Convert]
    module: str  # what a fresh process imports, for the start-up timings
    first_call: str  # the first conversion a fresh process makes
    converters: dict[str, Convert] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)


def _normtext(config: str) -> Convert:
    import normtext

    return normtext.Converter(config).convert


def _official(config: str) -> Convert:
    import opencc

    return opencc.OpenCC(config).convert


def _pyo3(config: str) -> Convert:
    import opencc_pyo3

    return opencc_pyo3.OpenCC(config).convert


def _zhconv(config: str) -> Convert:
    import zhconv_rs

    return zhconv_rs.make_converter(ZHCONV_TARGET[config], [])


def in_process_peers(stand_in: bool) -> list[Peer]:
    """The peers run here; with ``stand_in`` the official binding poses as normtext."""
    normtext = Peer(
        "normtext", "normtext", _normtext, "normtext", f"normtext.convert({PROBE!r}, 't2s')"
    )
    official = Peer(
        "OpenCC C++ (official binding)",
        "OpenCC",
        _official,
        "opencc",
        f"opencc.OpenCC('t2s').convert({PROBE!r})",
    )
    if stand_in:
        normtext = Peer(
            "normtext (stand-in: official binding)",
            "OpenCC",
            _official,
            official.module,
            official.first_call,
        )
    return [
        normtext,
        official,
        Peer(
            "opencc-pyo3",
            "opencc-pyo3",
            _pyo3,
            "opencc_pyo3",
            f"opencc_pyo3.OpenCC('t2s').convert({PROBE!r})",
        ),
        Peer(
            "zhconv-rs (MediaWiki tables)",
            "zhconv-rs",
            _zhconv,
            "zhconv_rs",
            f"zhconv_rs.zhconv({PROBE!r}, 'zh-hans')",
        ),
    ]


def load(peer: Peer, configs: list[str]) -> None:
    """Build each converter and try it once; a failure marks the peer not available."""
    for config in configs:
        try:
            convert = peer.make(config)
            convert(PROBE)
        except Exception as exc:  # noqa: BLE001 - any failure just means "not available"
            peer.missing[config] = f"{type(exc).__name__}: {exc}".strip().rstrip(":")
        else:
            peer.converters[config] = convert


def timed(convert: Convert, text: str) -> tuple[float, float, str]:
    """Wall and CPU seconds of one call (CPU > wall means the peer used several cores)."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    out = convert(text)
    return time.perf_counter() - wall, time.process_time() - cpu, out


@dataclass
class Measure:
    """Timings of one converter on one input, and how its output compares to the reference."""

    size: int  # UTF-8 bytes of input
    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    output: str = ""
    same_lines: float | None = None  # fraction of lines identical to the reference
    identical: bool | None = None

    @property
    def mb_s(self) -> float:
        return self.size / 1e6 / statistics.median(self.walls)

    @property
    def cores(self) -> float:
        return statistics.median(self.cpus) / statistics.median(self.walls)


def compare(measure: Measure, reference: str) -> None:
    """Fill in exactness against the reference output of the same input."""
    out, ref = measure.output.splitlines(), reference.splitlines()
    measure.same_lines = sum(a == b for a, b in zip(out, ref)) / max(len(ref), 1)
    measure.identical = measure.output == reference
    measure.output = ""  # free the memory; only the verdict is kept


def run_rounds(jobs: dict[str, tuple[Convert, str]], runs: int) -> dict[str, Measure]:
    """One untimed warm-up each, then ``runs`` rounds, rotating the order every round."""
    measures = {}
    for key, (convert, text) in jobs.items():
        measures[key] = Measure(len(text.encode("utf-8")), output=convert(text))
    keys = list(jobs)
    for r in range(runs):
        for key in keys[r % len(keys) :] + keys[: r % len(keys)]:
            convert, text = jobs[key]
            wall, cpu, _ = timed(convert, text)
            measures[key].walls.append(wall)
            measures[key].cpus.append(cpu)
    return measures


# --- the pure-Python peer, in a subprocess ---------------------------------------------------


def ensure_purepy() -> str | None:
    """Install opencc-python-reimplemented apart; return why it can't be had, or None."""
    if (PUREPY_DIR / "opencc").is_dir():
        return None
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--target", str(PUREPY_DIR), PUREPY]
    done = subprocess.run(cmd, check=False, capture_output=True, text=True)
    if done.returncode != 0:
        return f"pip install failed: {done.stderr.strip().splitlines()[-1:]}"
    return None


def purepy_env() -> dict[str, str]:
    # PYTHONPATH goes before site-packages, so `import opencc` finds the reimplementation
    return {**os.environ, "PYTHONPATH": str(PUREPY_DIR)}


def purepy_version() -> str:
    dists = list(metadata.distributions(path=[str(PUREPY_DIR)]))
    return dists[0].version if dists else "?"


def worker(config: str, infile: str, outfile: str, runs: int) -> None:
    """Subprocess side: time opencc-python-reimplemented, print JSON timings."""
    import opencc

    if not Path(opencc.__file__).resolve().is_relative_to(PUREPY_DIR):
        raise SystemExit(f"wrong opencc imported: {opencc.__file__}")
    text = Path(infile).read_text(encoding="utf-8")
    convert = opencc.OpenCC(config).convert
    Path(outfile).write_text(convert(text), encoding="utf-8", newline="\n")
    times = [timed(convert, text)[:2] for _ in range(runs)]
    print(json.dumps({"walls": [w for w, _ in times], "cpus": [c for _, c in times]}))


def run_purepy(config: str, text: str, runs: int) -> Measure | str:
    """Time the pure-Python peer in its own process; a string result says why it failed."""
    with tempfile.TemporaryDirectory() as tmp:
        infile, outfile = Path(tmp) / "in.txt", Path(tmp) / "out.txt"
        infile.write_text(text, encoding="utf-8", newline="\n")
        cmd = [sys.executable, __file__, "--worker", config, str(infile), str(outfile), str(runs)]
        done = subprocess.run(cmd, check=False, capture_output=True, text=True, env=purepy_env())
        if done.returncode != 0:
            return (done.stderr.strip().splitlines() or ["failed"])[-1]
        timings = json.loads(done.stdout.strip().splitlines()[-1])
        output = outfile.read_text(encoding="utf-8")
    return Measure(len(text.encode("utf-8")), timings["walls"], timings["cpus"], output)


def head(text: str, chars: int) -> str:
    """The first whole lines of ``text`` holding about ``chars`` characters (0: all)."""
    if chars <= 0 or chars >= len(text):
        return text
    end = text.find("\n", chars)
    return text if end < 0 else text[: end + 1]


# --- start-up: import time and first conversion, each in a fresh process --------------------

STARTUP = """
import json, time
t0 = time.perf_counter()
import {module}
t1 = time.perf_counter()
{call}
t2 = time.perf_counter()
print(json.dumps([t1 - t0, t2 - t1]))
"""


def startup(
    module: str,
    call: str,
    runs: int,
    env: dict[str, str] | None = None,
    fresh_dir: str | None = None,
) -> tuple[float, float] | str:
    """Median (import, first convert) seconds over ``runs`` fresh interpreters.

    ``fresh_dir`` names an environment variable pointed at a new empty directory each run,
    to measure a cold disk cache.
    """
    code = STARTUP.format(module=module, call=call)
    imports, firsts = [], []
    for _ in range(runs):
        run_env = dict(env or os.environ)
        with tempfile.TemporaryDirectory() as tmp:
            if fresh_dir:
                run_env[fresh_dir] = tmp
            done = subprocess.run(
                [sys.executable, "-c", code],
                check=False,
                capture_output=True,
                text=True,
                env=run_env,
            )
        if done.returncode != 0:
            return (done.stderr.strip().splitlines() or ["failed"])[-1]
        imp, first = json.loads(done.stdout.strip().splitlines()[-1])
        imports.append(imp)
        firsts.append(first)
    return statistics.median(imports), statistics.median(firsts)


def cache_variable() -> str | None:
    """The environment variable normtext reads for its table cache directory, if it has one."""
    try:
        import normtext.opencc as package
    except Exception:  # noqa: BLE001
        return None
    names: set[str] = set()
    for source in Path(package.__file__).parent.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        names.update(re.findall(r"['\"](NORMTEXT_[A-Z0-9_]*CACHE[A-Z0-9_]*)['\"]", text))
    return min(names) if names else None


# --- report -----------------------------------------------------------------------------------


def version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


def fmt_speed(m: Measure | str | None) -> str:
    if not isinstance(m, Measure):
        return "n/a"
    flag = f" ({m.cores:.1f} cores)" if m.cores > 1.2 else ""
    return f"{m.mb_s:.2f}{flag}"


def fmt_ratio(ours: Measure | str | None, theirs: Measure | str | None) -> str:
    if not isinstance(ours, Measure) or not isinstance(theirs, Measure):
        return "—"
    return f"{ours.mb_s / theirs.mb_s:.2f}×"


def fmt_same(m: Measure | str | None) -> str:
    if not isinstance(m, Measure) or m.same_lines is None:
        return "—"
    if m.identical:
        return "byte-identical"
    return f"no: {100 * m.same_lines:.2f}% of lines"


def ms(seconds: float) -> str:
    return f"{1000 * seconds:.1f}"


@dataclass
class Report:
    args: argparse.Namespace
    sizes: dict[str, tuple[int, int, int]]  # config -> (chars, bytes, lines) of input
    speed: dict[str, dict[str, Measure | str]]  # peer name -> config -> measure or why not
    normalize: dict[str, Measure | str]
    startups: list[tuple[str, tuple[float, float] | str]]
    versions: dict[str, str]
    notes: list[str]

    def markdown(self) -> str:
        a = self.args
        out = ["# Conversion benchmark", ""]
        out.append(
            f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; Python {platform.python_version()}"
            f" on {platform.machine()}, {os.cpu_count()} cores (shared: compare ratios, not"
            " absolute speeds)."
        )
        for config, (chars, size, lines) in self.sizes.items():
            src = "Traditional (s2t of the Simplified)" if config == "t2s" else "Simplified"
            out.append(
                f"- {config} input: People's Daily 1998-01, {src}: {chars:,} chars, "
                f"{lines:,} lines, {size / 1e6:.2f} MB UTF-8"
            )
        out += ["", "## Throughput", ""]
        out.append(
            f"MB/s = 10^6 bytes of UTF-8 input per second, median of {a.runs} runs (the "
            f"pure-Python peer: {a.slow_runs} runs in its own process). 'normtext is N×' = "
            "normtext MB/s / peer MB/s. 'Identical' compares with the official binding's output."
        )
        header = "".join(f" {c} MB/s | normtext is N× | {c} identical |" for c in DIRECTIONS)
        out += ["", "| peer | version |" + header, "|---|---|" + "---:|---:|---|" * len(DIRECTIONS)]
        ours = self.speed[next(iter(self.speed))]
        for name, by_config in self.speed.items():
            cells = [name, self.versions.get(name, "?")]
            for config in DIRECTIONS:
                m = by_config.get(config)
                cells += [fmt_speed(m), fmt_ratio(ours.get(config), m), fmt_same(m)]
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
        out.append("(N cores): the peer's CPU time exceeded its wall time: it ran multi-threaded.")
        for name, by_config in self.speed.items():
            reasons = sorted({m for m in by_config.values() if isinstance(m, str)})
            out += [f"\n{name}: not available ({reason})" for reason in reasons]
        out += ["", "## Whole pipeline vs conversion alone", ""]
        out.append(
            "normtext.normalize (default options) on the Traditional corpus, timed in the same "
            "rounds as OpenCC C++ t2s. Goal (issue 3): ratio ≥ 1."
        )
        out += ["", "| what | MB/s | speed / OpenCC C++ t2s | identical to OpenCC t2s |"]
        out.append("|---|---:|---:|---|")
        ref = self.normalize.get("opencc")
        for label, key in (("normtext.normalize", "normalize"), ("OpenCC C++ t2s", "opencc")):
            m = self.normalize.get(key)
            reason = f" ({m})" if isinstance(m, str) else ""
            cells = [f"{label}{reason}", fmt_speed(m), fmt_ratio(m, ref), fmt_same(m)]
            out.append("| " + " | ".join(cells) + " |")
        out += ["", "## Start-up", ""]
        out.append(
            f"Fresh interpreter each time, median of {a.startup_runs}: time of the import "
            f"statement, then of the first conversion of {PROBE!r} (t2s), which builds tables."
        )
        out += ["", "| peer | import ms | first convert ms | total ms |", "|---|---:|---:|---:|"]
        for label, result in self.startups:
            if isinstance(result, str):
                out.append(f"| {label} | n/a | n/a | n/a ({result}) |")
            else:
                imp, first = result
                out.append(f"| {label} | {ms(imp)} | {ms(first)} | {ms(imp + first)} |")
        if self.notes:
            out += ["", "## Notes", ""] + [f"- {note}" for note in self.notes]
        return "\n".join(out) + "\n"


def normalizer() -> Convert | str:
    """``normtext.normalize`` if it runs, else why not."""
    try:
        import normtext

        normtext.normalize(PROBE)
    except Exception as exc:  # noqa: BLE001
        return f"{type(exc).__name__}: {exc}"
    return normtext.normalize


def measure_speed(
    args: argparse.Namespace, peers: list[Peer], texts: dict[str, str], notes: list[str]
) -> tuple[dict, dict, dict[str, str]]:
    """Throughput of every peer in both directions, the normalize row, the reference outputs."""
    references: dict[str, str] = {}
    speed: dict[str, dict[str, Measure | str]] = {p.name: dict(p.missing) for p in peers}
    normalize_row: dict[str, Measure | str] = {}
    normalize = normalizer()
    if isinstance(normalize, str):
        normalize_row["normalize"] = normalize
    official = peers[1]
    for config, text in texts.items():
        jobs = {p.name: (p.converters[config], text) for p in peers if config in p.converters}
        if config == "t2s" and not isinstance(normalize, str):
            jobs["normalize"] = (normalize, text)
        print(f"timing {config}: {', '.join(jobs)}", file=sys.stderr)
        measures = run_rounds(jobs, args.runs)
        reference = references[config] = measures[official.name].output
        if "normalize" in measures:
            normalize_row["normalize"] = measures.pop("normalize")
            if normalize_row["normalize"].output == text:
                notes.append("normtext.normalize returned its input unchanged: stages are stubs.")
            normalize_row["opencc"] = measures[official.name]
            compare(normalize_row["normalize"], reference)
        for name, m in measures.items():
            if name != official.name:
                compare(m, reference)
            speed[name][config] = m
        compare(measures[official.name], reference)
    return speed, normalize_row, references


def measure_purepy(
    args: argparse.Namespace, texts: dict[str, str], references: dict[str, str]
) -> dict[str, Measure | str]:
    why = ensure_purepy()
    results: dict[str, Measure | str] = {}
    for config, text in texts.items():
        if why:
            results[config] = why
            continue
        print(f"timing {config}: {PUREPY} (subprocess)", file=sys.stderr)
        part = head(text, args.slow_chars)
        m = run_purepy(config, part, args.slow_runs)
        if isinstance(m, Measure):  # OpenCC never matches across a line end: slice by lines
            lines = references[config].splitlines(keepends=True)[: part.count("\n")]
            compare(m, "".join(lines))
        results[config] = m
    return results


def measure_startup(
    args: argparse.Namespace, peers: list[Peer], notes: list[str]
) -> list[tuple[str, tuple[float, float] | str]]:
    """Import and first-convert times of every peer, and of normtext with a cold/warm cache."""
    rows: list[tuple[str, tuple[float, float] | str]] = []
    n = args.startup_runs
    ours = peers[0]
    variable = None if args.stand_in else cache_variable()
    print(f"start-up: {ours.name}", file=sys.stderr)
    if variable:
        cold = startup(ours.module, ours.first_call, n, fresh_dir=variable)
        rows.append((f"{ours.name}, cold cache ({variable} = new empty dir)", cold))
        with tempfile.TemporaryDirectory() as warm:
            env = {**os.environ, variable: warm}
            startup(ours.module, ours.first_call, 1, env=env)  # fills the cache
            rows.append(
                (f"{ours.name}, warm cache", startup(ours.module, ours.first_call, n, env=env))
            )
    else:
        notes.append("normtext.opencc reads no NORMTEXT_*CACHE* variable: one start-up row.")
        rows.append((ours.name, startup(ours.module, ours.first_call, n)))
    for peer in peers[1:]:
        print(f"start-up: {peer.name}", file=sys.stderr)
        rows.append((peer.name, startup(peer.module, peer.first_call, n)))
    if ensure_purepy() is None:
        call = f"opencc.OpenCC('t2s').convert({PROBE!r})"
        rows.append((PUREPY, startup("opencc", call, n, env=purepy_env())))
    return rows


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=7, help="timed runs per in-process converter")
    p.add_argument("--slow-runs", type=int, default=3, help=f"timed runs of {PUREPY}")
    p.add_argument(
        "--slow-chars",
        type=int,
        default=0,
        help=f"give {PUREPY} only the first N chars (whole lines); 0 = all",
    )
    p.add_argument("--startup-runs", type=int, default=5, help="fresh processes per start-up row")
    p.add_argument(
        "--stand-in",
        action="store_true",
        help="test the script: the official binding poses as normtext",
    )
    p.add_argument("--no-save", action="store_true", help=f"don't write {RESULTS.name}")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    import corpus

    texts = {config: corpus.text(variant) for config, variant in DIRECTIONS.items()}
    peers = in_process_peers(args.stand_in)
    for peer in peers:
        load(peer, list(DIRECTIONS))
        if peer.missing:
            print(f"{peer.name}: not available ({next(iter(peer.missing.values()))})")
    if peers[1].missing:
        raise SystemExit("the official OpenCC binding is the reference: pip install opencc==1.4.2")

    notes: list[str] = []
    speed, normalize_row, references = measure_speed(args, peers, texts, notes)
    speed[PUREPY] = measure_purepy(args, texts, references)
    del references
    startups = measure_startup(args, peers, notes)

    versions = {p.name: version(p.dist) for p in peers}
    versions[PUREPY] = purepy_version() if PUREPY_DIR.is_dir() else "?"
    for name, by_config in speed.items():
        for config, m in by_config.items():
            if isinstance(m, Measure) and m.size < len(texts[config].encode("utf-8")):
                notes.append(f"{name} {config} ran on the first {m.size / 1e6:.2f} MB only.")
    if args.stand_in:
        notes.append("STAND-IN RUN: the 'normtext' row is the official binding, not normtext.")
    sizes = {c: (len(t), len(t.encode("utf-8")), t.count("\n")) for c, t in texts.items()}
    report = Report(args, sizes, speed, normalize_row, startups, versions, notes)
    text = report.markdown()
    print(text)
    if not args.no_save:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(text, encoding="utf-8")
        print(f"saved {RESULTS.relative_to(HERE.parent)}", file=sys.stderr)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--worker"]:
        worker(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        main()
