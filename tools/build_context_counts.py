"""Build ``src/normtext/data/context_counts.tsv``: how often edited Simplified text writes
each word of ``context_words.tsv``.

``context_choice`` reads 著/乾/於 by the word around them, and two words can claim the
same character: 会上著名 holds 上著 (上着, "wearing") and 著名 ("famous"); 他接著作出 holds
接著 (接着) and 著作. Greedy reading takes the earlier word, which is wrong in the first
case. The counts here settle such a conflict: each word written the way its reading
wants (上着, 著名), counted as a string in the training lines of People's Daily 1998-01
(``tools/corpus.py``, never its held-out lines): 上着 0 against 著名 147, 接着 52 against
著作 28. Words the lines never hold are left out (count 0).

Run: python tools/build_context_counts.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import corpus

DATA = ROOT / "src" / "normtext" / "data"


def main() -> None:
    text = "\n".join(corpus.training_lines("news"))  # reviews mix scripts: no evidence
    rows: list[tuple[str, int]] = []
    for line in (DATA / "context_words.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        word, offset, char = line.split("\t")
        k = int(offset)
        written = word[:k] + char + word[k + 1 :]
        count = text.count(written)
        if count:
            rows.append((word, count))
    out = DATA / "context_counts.tsv"
    lines = [
        "# word<TAB>count: a word of context_words.tsv (key spelling), and how often the",
        "# training lines of People's Daily 1998-01 (tools/corpus.py split) write it the way",
        "# its reading wants. Built by tools/build_context_counts.py.",
        *(f"{w}\t{n}" for w, n in rows),
    ]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(rows)} words with a count")


if __name__ == "__main__":
    main()
