"""Build ``src/normtext/data/mark_widths.tsv``: which width Chinese text writes a mark in
when a Latin letter or digit stands beside it (``chars/mark_widths.py`` reads it).

Usage: ``python tools/build_mark_widths.py [--check]``

Counted on TRAINING lines only (``tools/corpus.py``) of the domains whose writers choose a
width: news and reviews. HKCanCor (hkcancor) is left out by a general rule, not by name: a
domain counts only when most of its marks between two ideographs are full-width, i.e. when
its writers choose full-width where the choice is plain. HKCanCor's transcribers wrote
every mark ASCII with blanks around it (0 of 7,291 commas between ideographs full-width),
so its marks beside Latin say nothing about a width choice there.

Each single mark ``, ; : ? !`` on a Chinese line (one with an ideograph, not code) is
counted by its neighbour class (``chars.mark_widths.neighbour_class``): the kinds left
and right of it past blanks (L Latin, D digit, H ideograph) and whether blanks stand
between. Only classes with L or D on a side and no ideograph right beside the mark are
decided (a mark touching an ideograph is Chinese already), and only between letters,
digits and ideographs (a sign or the line's edge beside a mark says nothing of the text).

A class is *clear* when one width has at least 80 % of its uses and the 95 % Wilson lower
bound of that share is above one half (so a handful of uses decides nothing). The mark's
own counts decide when they are clear; otherwise the counts of the five marks pooled
decide when those are clear; otherwise the class is ``typed`` (kept as the input has it).
Rows: mark, class, decision (wide, ascii, typed), full-width uses, ASCII uses, and which
counts decided.
"""

from __future__ import annotations

import math
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tools"))

from build_readings import run

import corpus
from normtext.chars.classes import has_han, is_code_line
from normtext.chars.mark_widths import DECIDED_MARKS, neighbour_class

OUTPUT = ROOT / "src" / "normtext" / "data" / "mark_widths.tsv"
DOMAINS = ("news", "reviews", "hkcancor")
WIDE = dict(zip(DECIDED_MARKS, "，；：？！"))
MARK_OF = {**{m: m for m in DECIDED_MARKS}, **{w: m for m, w in WIDE.items()}}
ALL_MARKS = ",;:?!()\uff08\uff09\"“”'‘’.。、《》〈〉「」『』【】…—，；：？！"
CLEAR_SHARE = 0.8
Z95 = 1.96


def count(domain: str) -> Counter[tuple[str, str, bool]]:
    """(mark, class, full-width) -> uses, single marks on the domain's Chinese lines."""
    out: Counter[tuple[str, str, bool]] = Counter()
    for line in corpus.training_lines(domain):
        n = len(line)
        if not has_han(line) or is_code_line(line, 0, n):
            continue
        for i, ch in enumerate(line):
            mark = MARK_OF.get(ch)
            if mark is None:
                continue
            if (i > 0 and line[i - 1] in ALL_MARKS) or (i + 1 < n and line[i + 1] in ALL_MARKS):
                continue  # part of a run of marks: its neighbours are marks
            out[(mark, neighbour_class(line, i, i + 1, 0, n), ch != mark)] += 1
    return out


def chooses_width(counts: Counter[tuple[str, str, bool]]) -> bool:
    """Whether most marks between two ideographs (blanks or not) are full-width."""
    wide = sum(v for (_, k, w), v in counts.items() if k.startswith("H") and k.endswith("H") and w)
    total = sum(v for (_, k, _), v in counts.items() if k.startswith("H") and k.endswith("H"))
    return total > 0 and wide > total / 2


def wilson_lower(hits: int, n: int) -> float:
    if n == 0:
        return 0.0
    p = hits / n
    centre = p + Z95 * Z95 / (2 * n)
    spread = Z95 * math.sqrt(p * (1 - p) / n + Z95 * Z95 / (4 * n * n))
    return (centre - spread) / (1 + Z95 * Z95 / n)


def decide(wide: int, narrow: int) -> str | None:
    n = wide + narrow
    for name, hits in (("wide", wide), ("ascii", narrow)):
        if n and hits / n >= CLEAR_SHARE and wilson_lower(hits, n) > 0.5:
            return name
    return None


def decided_class(klass: str) -> bool:
    """A letter, digit or ideograph on each side (not a sign or the line's edge, which
    say nothing about the text around), L or D on one side at least, and no ideograph
    right beside the mark."""
    left, right = klass.split("|")
    sides = {left[0], right[-1]}
    if not sides <= {"L", "D", "H"} or not sides & {"L", "D"}:
        return False
    return left != "H" and right != "H"


def build() -> str:
    per_domain = {d: count(d) for d in DOMAINS}
    used = [d for d in DOMAINS if chooses_width(per_domain[d])]
    counts: Counter[tuple[str, str, bool]] = Counter()
    for d in used:
        counts.update(per_domain[d])
    classes = sorted({k for (_, k, _) in counts if decided_class(k)})
    pooled = {k: (0, 0) for k in classes}
    for k in classes:
        pooled[k] = (
            sum(counts[(m, k, True)] for m in DECIDED_MARKS),
            sum(counts[(m, k, False)] for m in DECIDED_MARKS),
        )
    rows = []
    for k in classes:
        for m in DECIDED_MARKS:
            wide, narrow = counts[(m, k, True)], counts[(m, k, False)]
            decision, by = decide(wide, narrow), "mark"
            if decision is None:
                decision, by = decide(*pooled[k]), "pooled"
                wide, narrow = pooled[k]
            rows.append(f"{m}\t{k}\t{decision or 'typed'}\t{wide}\t{narrow}\t{by}")
    skipped = [d for d in DOMAINS if d not in used]
    lines = [
        "# Mark widths beside Latin letters and digits in Chinese lines. Built by",
        "# tools/build_mark_widths.py from training lines; do not edit.",
        f"# counted: {', '.join(used)}; left out (no width choice between ideographs): "
        f"{', '.join(skipped) or 'none'}",
        "# mark, class (left|right past blanks; _ = blanks), decision, full-width uses,",
        "# ASCII uses, counts that decided (the mark's own, or the five marks pooled)",
    ]
    return "\n".join(lines + rows) + "\n"


if __name__ == "__main__":
    sys.exit(run(__doc__, OUTPUT, build))
