"""Language scope: Han characters changed in Japanese and Korean text, and the cost on Chinese.

Usage: ``python benchmarks/scope.py [--baseline SRC] [--runs N] [--rounds N]``

Runs each measurement in a subprocess with this tree's ``src`` and with ``--baseline``
(default ``/work/main/src``, the code before the scope work), alternating for ``--rounds``
rounds in the same run; each speed is the median over rounds of the median of ``--runs``.

* Japanese / Korean: the ``expected.txt`` of ``corpus/japanese`` and ``corpus/korean`` (real
  text: CPython's cjkencodings samples and Django's catalogues; see ``corpus/README.md``),
  whole and line by line. Figure: Han characters the normaliser changed per million Han
  characters of input (compared line by line, position by position; a line whose length
  changed counts all its Han as changed). No table was built from these files.
* Speed: ``normalize`` on the clean Simplified news of ``tests/data/clean_news.txt`` (People's
  Daily 1998-01, the domain the tables saw), repeated to about 1 MB, as it is (with its
  English ``#`` header lines) and without them; and its lines one call each. MB/s of UTF-8
  input, median of ``--runs``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_CHILD = r"""
import json, re, statistics, sys, time
import normtext
root = sys.argv[1]; runs = int(sys.argv[2])
han = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
def changed(a, b):
    if "\n" in a and a.count("\n") == b.count("\n"):
        return sum(changed(x, y) for x, y in zip(a.split("\n"), b.split("\n")))
    if len(a) != len(b):
        return len(han.findall(a))
    return sum(1 for x, y in zip(a, b) if x != y and han.match(x))
out = {}
for name in ("japanese", "korean"):
    text = open(f"{root}/corpus/{name}/expected.txt", encoding="utf-8", newline="").read()
    total = len(han.findall(text))
    whole = changed(text, normtext.normalize(text))
    lines = [l for l in text.split("\n") if l]
    single = sum(changed(l, normtext.normalize(l)) for l in lines)
    out[name] = {"han": total, "whole": whole * 1e6 / total, "lines": single * 1e6 / total}
news = open(f"{root}/tests/data/clean_news.txt", encoding="utf-8").read()
chinese = "".join(l for l in news.splitlines(True) if not l.startswith("#"))
for key, body in (("speed", news), ("speed_zh", chinese)):
    text = body * max(1, round(1_000_000 / len(body.encode("utf-8"))))
    size = len(text.encode("utf-8")) / 1e6
    normtext.normalize(text)
    times = []
    for _ in range(runs):
        t = time.perf_counter(); normtext.normalize(text); times.append(time.perf_counter() - t)
    out[key] = size / statistics.median(times)
lines = [l for l in chinese.splitlines() if l] * 3
size = sum(len(l.encode("utf-8")) for l in lines) / 1e6
times = []
for _ in range(runs):
    t = time.perf_counter()
    for l in lines:
        normtext.normalize(l)
    times.append(time.perf_counter() - t)
out["speed_lines"] = size / statistics.median(times)
out["n_lines"] = len(lines) // 3
try:  # the scope pass alone (only in trees that have one)
    from normtext.chars.scope import _compute
except ImportError:
    pass
else:
    text = chinese * max(1, round(1_000_000 / len(chinese.encode("utf-8"))))
    size = len(text.encode("utf-8")) / 1e6
    times = []
    for _ in range(runs):
        t = time.perf_counter(); _compute(text); times.append(time.perf_counter() - t)
    out["scope_ms_per_mb"] = statistics.median(times) * 1000 / size
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        for l in lines:
            _compute(l)
        times.append(time.perf_counter() - t)
    out["scope_us_per_line"] = statistics.median(times) * 1e6 / len(lines)
print(json.dumps(out))
"""


def measure(src: str, runs: int) -> dict:
    env = dict(os.environ, PYTHONPATH=src)
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(ROOT), str(runs)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default="/work/main/src")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    # Alternate the two trees (the machine is shared): each speed is the median over rounds.
    befores, afters = [], []
    for _ in range(args.rounds):
        befores.append(measure(args.baseline, args.runs))
        afters.append(measure(str(ROOT / "src"), args.runs))
    before, after = befores[0], afters[0]
    for key in ("speed", "speed_zh", "speed_lines"):
        before[key] = statistics.median(m[key] for m in befores)
        after[key] = statistics.median(m[key] for m in afters)
    rows = [
        "| measure | domain | before (main) | after (scope) |",
        "|---|---|---|---|",
    ]
    for name in ("japanese", "korean"):
        for key, label in (("whole", "whole file"), ("lines", "line by line")):
            rows.append(
                f"| Han changed per million, {label} | `corpus/{name}` "
                f"({before[name]['han']} Han; tables never saw it) | "
                f"{before[name][key]:,.0f} | {after[name][key]:,.0f} |"
            )
    rows.append(
        "| normalize speed, MB/s "
        f"({args.rounds}×{args.runs} runs) | clean Simplified news, `tests/data/clean_news.txt` ×13 "
        f"(People's Daily 1998-01, tables saw this domain), with its English header lines: a mixed text | {before['speed']:.2f} | "
        f"{after['speed']:.2f} |"
    )
    rows.append(
        f"| normalize speed, MB/s ({args.rounds}×{args.runs} runs) | the same without its English "
        f"`#` header lines: Chinese throughout, the fast path | {before['speed_zh']:.2f} | "
        f"{after['speed_zh']:.2f} |"
    )
    rows.append(
        f"| normalize speed, MB/s ({args.rounds}×{args.runs} runs) | the same Chinese lines one call "
        f"each (3 × {after['n_lines']} lines): the per-call cost | {before['speed_lines']:.2f} | "
        f"{after['speed_lines']:.2f} |"
    )
    rows.append(
        f"| the scope pass alone (`chars.scope`), median of {args.runs} | the Chinese text "
        f"above, about 1 MB / one line | – | {after['scope_ms_per_mb']:.1f} ms per MB / "
        f"{after['scope_us_per_line']:.1f} µs per line |"
    )
    print("\n".join(rows))


if __name__ == "__main__":
    main()
