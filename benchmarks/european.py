"""normalize() on European text: MB/s per stage, and linear time on repeated tokens.

Usage: ``python benchmarks/european.py [--runs N] [--base CHARS]``

Issue 13: a French or German document must pass through at tens of MB/s and come out as
it went in (only invisible junk such as a zero-width space may go). The text is the
``european`` domain of ``corpus.py`` (Django 5.2.19 and Sphinx 9.0.4 ``.po`` messages in
French, German, Spanish, Portuguese, the Nordic languages, Turkish and Vietnamese),
repeated to 1 MB: a domain no evidence table saw. Each stage is timed as the pipeline runs
it (behind its language scope) on what the stages before it produced; figures are medians
of ``--runs`` (MB/s of UTF-8 input). Repeated tokens (runs a quadratic scan or a lookback
would show) go through the whole of ``normalize`` at ``--base`` characters and 4× that:
a ratio near 4 is linear. Results go to stdout and ``benchmarks/results/european.md``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from pipeline import best  # the median of several runs

import corpus
import normtext
from normtext.pipeline import Normalizer

#: Runs of accented letters, and byte patterns a UTF-8/GBK/Big5 mix-up shows (issue 13).
REPEATED = ("é", "¡", "å\x8f\x91", "äöü ", "ÅÅ", "¬´", "ñ", "ÄÖÜäöüß", "中文", "·¢²¼")


def european_megabyte() -> str:
    """The European domain's lines, repeated to 1 MB of UTF-8 (cut at a line end)."""
    text = "\n".join(corpus.domain_lines("european")) + "\n"
    text = text * (1 + 1_000_000 // len(text.encode("utf-8")))
    cut = text.encode("utf-8")[:1_000_000].decode("utf-8", "ignore")
    return cut[: cut.rfind("\n") + 1]


def stage_rows(text: str, runs: int) -> tuple[list[str], str, int]:
    normalizer = Normalizer()
    mb = len(text.encode("utf-8")) / 1e6
    out = normalizer.normalize(text)  # build every table first
    whole = mb / best(lambda: normalizer.normalize(text), runs)
    from normtext.chars.scope import _compute

    # The scope pass is timed alone: the stages reuse the scope of the text they are given.
    cells = [f"{mb / best(lambda: _compute(text), runs):,.0f}"]
    current = text
    for stage in normalizer.stages:
        seconds = best(lambda stage=stage, current=current: stage.transform(current), runs)
        cells.append(f"{mb / seconds:,.0f}")
        current = stage.transform(current)
    names = [stage.name for stage in normalizer.stages]
    head = "| MB | normalize MB/s | scope pass | " + " | ".join(names) + " |"
    rows = [
        head,
        "|" + "---|" * (3 + len(names)),
        f"| {mb:.2f} | {whole:.1f} | " + " | ".join(cells) + " |",
    ]
    removed = len(text) - len(out)
    return rows, ("no" if out == text else f"yes ({removed} characters removed)"), removed


def invisible_only(before: str, after: str) -> bool:
    """Whether ``after`` is ``before`` with invisible characters removed, nothing else."""
    result = normtext.explain(before)
    return result.text == after and all(
        c.after == "" and all(ch in "\u200b\u2060\ufeff" or ord(ch) < 0x20 for ch in c.before)
        for c in result.changes
    )


def linear_rows(base: int, runs: int) -> list[str]:
    rows = [
        (
            f"| token | {base:,} chars | {4 * base:,} chars | ratio (4 = linear) "
            f"| MB/s at {4 * base:,} | changed |"
        ),
        "|---|---|---|---|---|---|",
    ]
    for token in REPEATED:
        small = token * (base // len(token))
        large = token * (4 * base // len(token))
        normtext.normalize(small)
        t1 = best(lambda small=small: normtext.normalize(small), runs)
        t4 = best(lambda large=large: normtext.normalize(large), runs)
        changed = "yes" if normtext.normalize(small) != small else "no"
        mbs = len(large.encode("utf-8")) / 1e6 / t4
        rows.append(
            f"| `{token!r}` | {t1 * 1e3:.1f} ms | {t4 * 1e3:.1f} ms | {t4 / t1:.2f} | {mbs:.1f} "
            f"| {changed} |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--base", type=int, default=50_000)
    args = parser.parse_args()
    text = european_megabyte()
    table, changed, _ = stage_rows(text, args.runs)
    kept = invisible_only(text, normtext.normalize(text))
    lines = [
        "# normalize() on European text",
        "",
        (
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; median of {args.runs}; MB/s "
            "of UTF-8 input; each stage timed as the pipeline runs it, on its own input."
        ),
        "",
        (
            f"Text: {corpus.describe('european')} ({', '.join(corpus.EUROPEAN_LOCALES)}), "
            "repeated to 1 MB. No evidence table saw this domain."
        ),
        "",
        *table,
        "",
        f"Output changed: {changed}; only invisible characters removed: {'yes' if kept else 'NO'}.",
        "",
        "## Linear time on repeated tokens (whole `normalize`)",
        "",
        *linear_rows(args.base, args.runs),
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    (HERE / "results" / "european.md").write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
