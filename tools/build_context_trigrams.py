"""Build ``src/normtext/data/context_trigrams.tsv``: how edited Simplified text writes 着/著,
干/乾 and 于/於 between two given characters.

``context_choice`` reads 著/乾/於 by the word around them, and two words can claim the
same character: 会上著名 holds 上著 (上着, "wearing") and 著名 ("famous"); 闪耀著名人
holds 闪耀著 (闪耀着) and 著名. Greedy reading takes the earlier word, right in the second
case and wrong in the first. The counts here settle such a conflict by the characters
on either side: 上着名 0 against 上著名 2, 耀着名 0 against 耀著名 0 (no evidence: the
greedy choice stands). Counted in the training lines of People's Daily 1998-01
(``tools/corpus.py``, never its held-out lines); windows never seen are left out.

Run: python tools/build_context_trigrams.py
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from tables import write_table

import corpus

OUT = ROOT / "src" / "normtext" / "data" / "context_trigrams.tsv"
#: The characters ``chars.script.CONTEXT_CHARS`` decides, in both spellings.
CHARS = frozenset("着著干乾于於")


def main() -> None:
    counts: Counter[str] = Counter()
    for line in corpus.training_lines("news"):  # reviews mix scripts: no evidence
        for i in range(1, len(line) - 1):
            if line[i] in CHARS:
                counts[line[i - 1 : i + 2]] += 1
    comments = [
        "trigram<TAB>count: a character before, 着/著/干/乾/于/於, a character after, as the",
        "training lines of People's Daily 1998-01 write them (tools/corpus.py split).",
        "Built by tools/build_context_trigrams.py.",
    ]
    write_table(OUT, comments, sorted(counts.items()))
    print(f"{len(counts)} trigrams")


if __name__ == "__main__":
    main()
