"""Encoding detection on whole real files: normtext vs chardet vs charset-normalizer.

Usage: ``python benchmarks/files.py [--split heldout|tune] [--files DIR] [--show-failures]``

The files are built by ``tools/build_decode_files.py`` (translated UI text from Django
(tuning split) and Sphinx (held-out split) .po files, wrapped as HTML pages, RSS feeds,
mail, .srt subtitles and plain text, encoded in 40 codecs). A detector scores when
decoding with its answer gives the file's text back exactly. "Turned into Han" counts
non-Chinese files whose wrong reading has more Han characters than the real text: the
worst failure for a Chinese text tool.

Also reports normtext's confidence reliability (how often results at each confidence are
right) and decoding speed (MB/s, median of 5) on 400 KB GB18030 and Big5 files and on
short records. The tables go to stdout and, for the held-out split, to their section of
``benchmarks/results/decode.md``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

import normtext
import normtext.decoding  # registers the iso2022_cn codec
from normtext.chars.classes import is_han

sys.path.insert(0, str(Path(__file__).resolve().parent))
from detect import detectors as snippet_detectors
from detect import write_section  # one writer of results/decode.md's sections

RESULT = ROOT / "benchmarks" / "results" / "decode.md"
Detector = Callable[[bytes], "str | None"]


def load(folder: Path, split: str) -> list[tuple[str, str, str, bytes, str]]:
    """(name, language, codec, bytes, expected text) for each file of ``split``."""
    out = []
    for line in (folder / "manifest.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        name, row_split, lang, codec, *_ = line.split("\t")
        if row_split != split:
            continue
        data = (folder / split / name).read_bytes()
        out.append((name, lang, codec, data, data.decode(codec)))
    return out


def _via(encoding: str | None, data: bytes) -> str | None:
    if not encoding:
        return None
    try:
        return data.decode(encoding, errors="replace")
    except (LookupError, UnicodeError):
        return None


def detectors() -> dict[str, Detector]:
    """detect.py's detectors, chardet labelled with its version, in table order."""
    import chardet

    found = snippet_detectors()
    return {
        "normtext": found["normtext"],
        "chardet " + chardet.__version__: lambda d: _via(chardet.detect(d)["encoding"], d),
        "charset-normalizer": found["charset-normalizer"],
    }


def _han(text: str) -> int:
    return sum(1 for c in text if is_han(c))


def accuracy(files: list[tuple[str, str, str, bytes, str]], show: bool) -> list[str]:
    found = detectors()
    chinese = [f for f in files if f[1].startswith("zh") or f[2].startswith("utf")]
    other = [f for f in files if f not in chinese]
    rows = [
        f"| on the same real files ({len(files)}) | " + " | ".join(found) + " |",
        "|---|" + "---|" * len(found),
    ]
    cells: dict[str, list[str]] = {name: [] for name in found}
    for name, detect in found.items():
        right_cn = right_other = han = 0
        for fname, lang, codec, data, expected in files:
            got = detect(data)
            ok = got == expected
            if (fname, lang, codec, data, expected) in chinese:
                right_cn += ok
            else:
                right_other += ok
                if not ok and got is not None and _han(got) > _han(expected):
                    han += 1
            if show and not ok and name == "normtext":
                print(f"FAIL {fname} ({codec}): {got[:60] if got else got!r}", file=sys.stderr)
        cells[name] = [
            f"{right_cn}",
            f"{100 * right_other / max(1, len(other)):.1f}% ({len(other) - right_other} wrong)",
            f"{han}",
        ]
    labels = [
        f"Chinese and Unicode files decoded exactly ({len(chinese)})",
        f"other languages decoded exactly ({len(other)})",
        "non-Chinese files turned into Han text",
    ]
    for i, label in enumerate(labels):
        rows.append(f"| {label} | " + " | ".join(cells[name][i] for name in found) + " |")
    return rows


BINS = (0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 1.01)


def reliability(files: list[tuple[str, str, str, bytes, str]]) -> list[str]:
    counts = {b: [0, 0] for b in BINS[:-1]}
    for _, _, _, data, expected in files:
        try:
            result = normtext.decode(data)
        except normtext.NormtextError:
            continue
        low = max(b for b in BINS[:-1] if result.confidence >= b)
        counts[low][0] += 1
        counts[low][1] += result.text == expected
    rows = ["| confidence | results | right | share right |", "|---|---|---|---|"]
    for low, high in pairwise(BINS):
        n, right = counts[low]
        share = f"{100 * right / n:.1f}%" if n else "-"
        rows.append(
            f"| [{low:.2f}, {min(high, 1.0):.2f}{']' if high > 1 else ')'} | {n} | {right} | {share} |"
        )
    high_n = sum(counts[b][0] for b in BINS[:-1] if b >= 0.9)
    high_right = sum(counts[b][1] for b in BINS[:-1] if b >= 0.9)
    rows.append(f"| ≥ 0.90 | {high_n} | {high_right} | {100 * high_right / max(1, high_n):.1f}% |")
    return rows


def speed(files: list[tuple[str, str, str, bytes, str]]) -> list[str]:
    import chardet
    from charset_normalizer import from_bytes

    base = {lang: "\n".join(f[4] for f in files if f[1] == lang) for lang in ("zh_Hans", "zh_Hant")}
    samples = {}
    for lang, codec in (("zh_Hans", "gb18030"), ("zh_Hant", "big5")):
        text = base[lang]
        while len(text.encode(codec, "ignore")) < 400_000:
            text += "\n" + text
        samples[codec] = text.encode(codec, "ignore")[:400_000].rsplit(b"\n", 1)[0]
    # short records: one line of Chinese text each (30-120 bytes), as in a JSONL or CSV column
    lines = [
        ln
        for f in files
        if f[1].startswith("zh") and not f[2].startswith("utf")
        for ln in f[3].split(b"\n")
        if 30 <= len(ln) <= 120 and not ln.isascii()
    ]
    short = lines[:500]

    def bench(fn: Callable[[bytes], object], data: bytes) -> float:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            fn(data)
            times.append(time.perf_counter() - start)
        return len(data) / statistics.median(times) / 1e6

    tools: dict[str, Callable[[bytes], object]] = {
        "normtext": normtext.decode,
        "chardet": chardet.detect,
        "charset-normalizer": lambda d: from_bytes(d).best(),
    }
    rows = [
        "| detector | GB18030 400 KB, MB/s | Big5 400 KB, MB/s | short records/s |",
        "|---|---|---|---|",
    ]
    for name, fn in tools.items():
        gb = bench(fn, samples["gb18030"])
        b5 = bench(fn, samples["big5"])
        for r in short[:20]:  # warm up: tables load on first use
            try:
                fn(r)
            except normtext.NormtextError:
                pass
        start = time.perf_counter()
        for r in short:
            try:
                fn(r)
            except normtext.NormtextError:
                pass
        per_s = len(short) / (time.perf_counter() - start)
        rows.append(f"| {name} | {gb:.1f} | {b5:.1f} | {per_s:,.0f} |")
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="heldout", choices=("heldout", "tune"))
    parser.add_argument("--files", type=Path, default=ROOT / "build" / "decode_files")
    parser.add_argument("--show-failures", action="store_true")
    parser.add_argument("--no-speed", action="store_true")
    args = parser.parse_args(argv)
    files = load(args.files, args.split)
    out = [
        f"## Whole real files ({args.split} split)",
        "",
        f"{len(files)} files from `tools/build_decode_files.py` ({args.split}: "
        + (
            "Sphinx 9.0.4 .po text, never used for tuning"
            if args.split == "heldout"
            else "Django 5.2.19 .po text and CPython cjkencodings, used for tuning"
        )
        + "). Generated by `python benchmarks/files.py`.",
        "",
        *accuracy(files, args.show_failures),
        "",
        "### normtext confidence reliability",
        "",
        *reliability(files),
    ]
    if not args.no_speed:
        out += ["", "### Speed (median of 5)", "", *speed(files)]
    table = "\n".join(out) + "\n"
    print(table)
    if args.split == "heldout":
        write_section(RESULT, "files", table)


if __name__ == "__main__":
    main()
