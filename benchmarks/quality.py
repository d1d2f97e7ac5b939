"""Repair quality on spun news text: how close does ``normtext.normalize`` get to the original?

    python benchmarks/quality.py            # prints a Markdown report, saves results/quality.md
    python benchmarks/quality.py --help     # --lines, --seed, --clean-lines

The damage imitates the seed page of issue 3 (``corpus/seed/input.txt``), applied to real
Simplified text no evidence table saw (``tools/corpus.py``): held-out lines of People's
Daily, January 1998 (a domain the tables saw), and software messages from Django and
Sphinx (a domain they never saw):

1. Traditional script via the official OpenCC binding, ``s2tw`` (Taiwan glyphs, so the aspect
   particle 着 comes out as 著, as on the seed page);
2. a ``(pinyin)`` gloss after every occurrence of a fixed set of characters (the set glossed on
   the seed page), with the reading the character has in its context (pypinyin, on the
   Simplified original, so 发 in 头发 is glossed ``fà``);
3. full-width marks ，：；？！（）“” turned into ASCII (``“”`` both into ``"``: harsher than the
   seed page, which keeps its quotes; the agreement table reports both); 。、《》 and the
   dashes and ellipses stay, as on the seed page;
4. a spurious ``,`` before a share of the marks , 、 。 ; : ? ! (each line draws its share
   uniformly from 30–70 %).

Scores compare each system's output with the clean original in its canonical form: the
People's Daily text writes digits and Latin letters full-width (１９９８年), which the
canonical form of issue 3 writes in ASCII (1998年), so the reference folds the full-width
digits and letters of U+FF01–U+FF5E to ASCII and changes nothing else.

- exact lines: share of lines whose output equals the reference;
- CER: character error rate, the summed edit distance (Levenshtein over code points)
  divided by the summed reference length;
- Han changes per million: ``normalize`` run on *clean* originals (no damage at all); every
  Han character it changes, drops or inserts counts, per million Han characters read.
  Anything but 0 means the normaliser damages clean text.

OpenCC ``t2s`` and ``tw2s`` alone (official binding) are scored beside normtext: they convert
the script but leave glosses, commas and ASCII marks in place.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import platform
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache, lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "quality.md"

#: The characters the seed page glosses (there in Traditional: 區統發現戰經醫產節協環優聯農穩網
#: 創續衛監業規), every occurrence of each. Kept as Simplified: the gloss is chosen on the original.
GLOSSED = frozenset("区统发现战经医产节协环优联农稳网创续卫监业规")

#: Full-width marks the spinner writes in ASCII (the seed page shows , : ; ? ! as ASCII;
#: it holds no bracket of the original, so （） are turned too, the harsher guess).
TO_ASCII = {
    "，": ",",
    "：": ":",
    "；": ";",
    "？": "?",
    "！": "!",
    "（": "(",
    "）": ")",
}
#: Quotes: the seed page keeps all 33 of its “ ” curled, so the faithful spinner leaves
#: them. ``Spinner(ascii_quotes=True)`` turns them into ``"`` as well, a harsher damage
#: than the seed's that tests the pairing of ASCII quotes (chars/quotes.py).
QUOTES_TO_ASCII = {"“": '"', "”": '"'}

#: Marks a spurious comma may precede (after the ASCII step), as on the seed page.
COMMA_BEFORE = frozenset(",、。;:?!")
#: The marks of the Chinese prose, as the original writes them: the only ones the spinner's
#: comma lands before. On the seed page every spurious comma (64 before `,`, 30 before 、,
#: 24 before 。, 5 before ;) stands before a mark of the prose; no ASCII mark of the
#: original (there: the date 2020-02-14) gets one. So a mark the original already wrote in
#: ASCII (``https://``, ``%(name)s:``, ``1,000``, an English sentence, a reviewer's ASCII
#: comma) is left alone: putting commas into URLs and format strings is damage no spinner
#: of this kind does, and it made the unseen software messages look far worse than they are.
PROSE_MARKS = frozenset("，、。；：？！")

HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")


def is_han(ch: str) -> bool:
    return HAN_RE.match(ch) is not None


# --------------------------------------------------------------------------- the text


def _corpus_lines(domain: str = "news") -> list[str]:
    """Lines no evidence table saw: held-out lines of a seen domain, or an unseen domain
    (``tools/corpus.py``, through ``benchmarks/corpus.py``)."""
    sys.path.insert(0, str(HERE))
    import corpus

    return list(corpus.heldout_lines(domain))


def _describe(domain: str) -> str:
    import corpus

    return corpus.describe(domain)


def pick_lines(
    lines: list[str], count: int, seed: int, min_len: int = 20, max_len: int = 300
) -> list[str]:
    """A fixed random sample of paragraphs of ordinary length (headlines and lists are short)."""
    pool = [
        ln for ln in lines if min_len <= len(ln) <= max_len and sum(map(is_han, ln)) >= min_len // 2
    ]
    rng = random.Random(seed)
    picked = rng.sample(pool, min(count, len(pool)))
    return picked


DECIMAL_RE = re.compile(r"(?<=[0-9])．(?=[0-9])")
NUMBER_COLON_RE = re.compile(r"(?<=[0-9])：(?=[0-9])")


def canonical_reference(text: str) -> str:
    """Fold full-width digits and Latin letters (U+FF10–19, FF21–3A, FF41–5A) to ASCII, and
    the full-width point and colon between digits (３．５ → 3.5, 16：9 → 16:9): a number is
    written in ASCII in the canonical form, not half in one width and half in the other.
    A line whose curled double quotes come in pairs writes them “ ” in turn (a writer's
    “包”轻”扶” is “包”轻“扶”: quotes face by their place)."""
    folded = "".join(
        chr(ord(c) - 0xFEE0) if ("０" <= c <= "９" or "Ａ" <= c <= "Ｚ" or "ａ" <= c <= "ｚ") else c
        for c in text
    )
    folded = NUMBER_COLON_RE.sub(":", DECIMAL_RE.sub(".", folded))
    return "\n".join(_quotes_in_turn(line) for line in folded.split("\n"))


def _quotes_in_turn(line: str) -> str:
    quotes = [i for i, c in enumerate(line) if c in "“”"]
    if len(quotes) % 2:
        return line
    chars = list(line)
    for k, i in enumerate(quotes):
        chars[i] = "“" if k % 2 == 0 else "”"
    return "".join(chars)


# --------------------------------------------------------------------------- the damage


class Spinner:
    """Damages clean Simplified text the way the seed page was damaged (see module doc)."""

    def __init__(self, seed: int = 3, ascii_quotes: bool = False) -> None:
        import opencc
        from pypinyin import Style, pinyin

        self._s2tw = opencc.OpenCC("s2tw").convert
        self._pinyin = pinyin
        self._style = Style.TONE
        self.rng = random.Random(seed)
        self.to_ascii = {**TO_ASCII, **QUOTES_TO_ASCII} if ascii_quotes else TO_ASCII

    def readings(self, text: str) -> list[str] | None:
        """One reading per code point (None where pypinyin's alignment cannot be trusted)."""
        items = self._pinyin(text, style=self._style, errors=lambda chunk: list(chunk))
        if len(items) != len(text):
            return None
        return [item[0] for item in items]

    def spin(self, original: str) -> str:
        trad = self._s2tw(original)
        aligned = len(trad) == len(original)
        readings = self.readings(original) if aligned else None
        out: list[tuple[str, bool]] = []  # (piece, a mark of the prose in the original)
        for i, ch in enumerate(trad):
            out.append((self.to_ascii.get(ch, ch), ch in PROSE_MARKS))
            if readings is not None and _glossed(original[i]) and readings[i].isalpha():
                out.append((f"({readings[i]})", False))
        share = self.rng.uniform(0.3, 0.7)
        spun: list[str] = []
        for piece, prose in out:
            if prose and piece in COMMA_BEFORE and self.rng.random() < share:
                spun.append(",")
            spun.append(piece)
        return "".join(spun)


@cache
def _glossed(char: str) -> bool:
    """Whether the spinner glosses ``char``: one of the seed page's characters, in either
    script (a Traditional original writes 發 where the seed's source wrote 发)."""
    return char in GLOSSED or _t2s()(char) in GLOSSED


@lru_cache(maxsize=1)
def _t2s() -> Callable[[str], str]:
    import opencc

    convert: Callable[[str], str] = opencc.OpenCC("t2s").convert
    return convert


# --------------------------------------------------------------------------- the scores


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance over code points (common prefix and suffix trimmed first)."""
    if a == b:
        return 0
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a -= 1
        end_b -= 1
    a, b = a[start:end_a], b[start:end_b]
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def han_changes(before: str, after: str) -> int:
    """Han characters changed, dropped or inserted on the way from ``before`` to ``after``."""
    if before == after:
        return 0
    changed = 0
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            changed += max(sum(map(is_han, before[i1:i2])), sum(map(is_han, after[j1:j2])))
    return changed


@dataclass
class Score:
    name: str
    exact: float | None = None
    cer: float | None = None
    han_per_million: float | None = None
    seconds: float = 0.0
    note: str = ""


def score_repair(
    fn: Callable[[str], str], spun: list[str], refs: list[str]
) -> tuple[float, float, float, list[str]]:
    t0 = time.perf_counter()
    outputs = [fn(s) for s in spun]
    seconds = time.perf_counter() - t0
    exact = sum(o == r for o, r in zip(outputs, refs)) / len(refs)
    errors = sum(edit_distance(o, r) for o, r in zip(outputs, refs))
    cer = errors / sum(len(r) for r in refs)
    return exact, cer, seconds, outputs


def misses(outputs: list[str], refs: list[str], limit: int = 12) -> list[str]:
    """Markdown lines describing where ``outputs`` differ from ``refs``, for stage authors."""
    wrong = [(o, r) for o, r in zip(outputs, refs) if o != r]
    if not wrong:
        return ["normtext matches every reference line."]
    summary = f"normtext misses {len(wrong)} line(s)."
    out = [
        summary,
        "",
        "Other differences (normtext → reference, with context):",
        "",
    ]
    shown = 0
    for o, r2 in wrong:
        matcher = difflib.SequenceMatcher(None, o, r2, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal" or shown >= limit:
                continue
            got, want = o[max(0, i1 - 4) : i2 + 4], r2[max(0, j1 - 4) : j2 + 4]
            out.append(f"- `{got}` → `{want}`")
            shown += 1
    return out


def score_clean(fn: Callable[[str], str], originals: Iterable[str]) -> float:
    han = changed = 0
    for line in originals:
        han += sum(map(is_han, line))
        changed += han_changes(line, fn(line))
    return changed / han * 1e6 if han else 0.0


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "?"


def run(n_lines: int, seed: int, clean_lines: int, domain: str = "news") -> str:
    import opencc

    started = time.perf_counter()
    lines = _corpus_lines(domain)
    originals = pick_lines(lines, n_lines, seed)
    spinner = Spinner(seed, ascii_quotes=True)
    spun = [spinner.spin(o) for o in originals]
    refs = [canonical_reference(o) for o in originals]
    clean = originals + pick_lines(lines, clean_lines, seed + 1) if clean_lines else originals

    systems: list[tuple[str, Callable[[str], str] | None, str]] = []
    try:
        import normtext

        systems.append((f"normtext.normalize {_version('normtext')}", normtext.normalize, ""))
    except Exception as exc:  # noqa: BLE001 - a half-built normtext must not stop the report
        systems.append(("normtext.normalize", None, f"not available: {exc!r}"))
    systems.append(
        (
            f"OpenCC t2s alone (official binding {_version('opencc')})",
            opencc.OpenCC("t2s").convert,
            "",
        )
    )
    systems.append(
        (
            f"OpenCC tw2s alone (official binding {_version('opencc')})",
            opencc.OpenCC("tw2s").convert,
            "",
        )
    )
    systems.append(("input as is (no repair)", lambda s: s, ""))

    scores: list[Score] = []
    normtext_outputs: list[str] | None = None
    for name, fn, note in systems:
        score = Score(name, note=note)
        if fn is not None:
            try:
                score.exact, score.cer, score.seconds, outputs = score_repair(fn, spun, refs)
                if name.startswith("normtext"):
                    normtext_outputs = outputs
                score.han_per_million = score_clean(fn, clean)
            except Exception as exc:  # noqa: BLE001 - report it in the table and go on
                score.note = f"raised {exc!r}"
        scores.append(score)

    clean_han = sum(sum(map(is_han, ln)) for ln in clean)
    header = (
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; Python {platform.python_version()}; "
        f"normtext {_version('normtext')}, opencc {_version('opencc')}, pypinyin {_version('pypinyin')}."
    )
    sample = (
        f"- {len(originals)} paragraphs (20–300 characters) of {_describe(domain)} "
        f"(tools/corpus.py), sample seed {seed}; "
        f"{sum(len(r) for r in refs):,} reference characters."
    )
    damage = (
        "- Damage as on the seed page: `s2tw`, `(pinyin)` after every "
        f"{''.join(sorted(GLOSSED))} (reading in context), ，：；？！（）“” to ASCII, "
        "a spurious `,` before 30–70 % of , 、 。 ; : ? !"
    )
    reference = (
        "- Reference: the clean original in canonical form: full-width digits and Latin letters "
        "(U+FF10–FF19, FF21–FF3A, FF41–FF5A) folded to ASCII (１９９８年 → 1998年), a "
        "full-width point or colon between digits folded (３．５ → 3.5, 16：9 → 16:9), and on a "
        "line whose curled double quotes come in pairs, the quotes written “ ” in turn (a "
        "writer's “包”轻”扶” → “包”轻“扶”); nothing else changed."
    )
    clean_note = (
        f"- Han changes per million: each system run on {len(clean):,} clean original paragraphs "
        f"({clean_han:,} Han characters); must be 0 for normtext."
    )
    lines_out = [
        f"# Repair quality on spun text: {domain}",
        "",
        header,
        "",
        sample,
        damage,
        reference,
        clean_note,
        "",
        "| system | exact lines | CER | Han changes / M on clean text | repair time (s) | note |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for s in scores:
        exact = f"{s.exact:.1%}" if s.exact is not None else "–"
        cer = f"{s.cer:.3%}" if s.cer is not None else "–"
        han = f"{s.han_per_million:.0f}" if s.han_per_million is not None else "–"
        secs = f"{s.seconds:.2f}" if s.exact is not None else "–"
        lines_out.append(f"| {s.name} | {exact} | {cer} | {han} | {secs} | {s.note} |")
    lines_out += [
        "",
        "Exact lines and CER measure repair of the spun text; lower CER is better. "
        + "'input as is' is the damage itself, for scale.",
        "",
        *(misses(normtext_outputs, refs) if normtext_outputs is not None else []),
        "",
        "An example (first sampled paragraph):",
        "",
        f"- spun: `{spun[0]}`",
        f"- reference: `{refs[0]}`",
        "",
        f"Run time {time.perf_counter() - started:.1f} s.",
        "",
    ]
    return "\n".join(lines_out)


# --------------------------------------------------------------------------- agreement

#: The domains whose spun lines are compared with their clean lines through ``normalize``.
AGREEMENT_DOMAINS = ("news", "reviews", "ui_hans", "ui_hant", "cantonese")


def agreement(domain: str, n_lines: int, seed: int) -> dict[str, Any]:
    """``normalize(spun) == normalize(clean)`` on one domain, and Han changes on clean text.

    The reference is the clean line put through ``normalize`` itself: the question is only
    whether damage changes the result, so it holds for any domain, whatever the writer's
    punctuation habits (reviews write ASCII commas) or script (Traditional lines are taken
    to Simplified both ways). Han changes on clean text are counted with the domain's own
    script as the target (``_written_in``: a Traditional review is left Traditional), so
    conversion to the other script is not counted.
    """
    import normtext

    lines = _corpus_lines(domain)
    originals = pick_lines(lines, n_lines, seed)
    spinner = Spinner(seed)
    spun = [spinner.spin(o) for o in originals]
    stress = Spinner(seed, ascii_quotes=True)
    spun_quotes = [stress.spin(o) for o in originals]
    own = "zh-hant" if _script(domain) == "t" else "zh-hans"
    targets = [_written_in(o, own) for o in originals]
    wrong: list[str] = []
    wrong_quotes: list[str] = []
    agree = agree_quotes = 0
    for o, sp, sq in zip(originals, spun, spun_quotes):
        want, got = normtext.normalize(o), normtext.normalize(sp)
        if want == got:
            agree += 1
        else:
            wrong.extend(misses([got], [want], limit=3)[4:])
        got = normtext.normalize(sq)
        if want == got:
            agree_quotes += 1
        else:
            wrong_quotes.extend(misses([got], [want], limit=3)[4:])
    pure = [(o, t) for o, t in zip(originals, targets) if t is not None]
    han = sum(sum(map(is_han, o)) for o, _ in pure)
    changed = sum(han_changes(o, normtext.normalize(o, target=t)) for o, t in pure)
    return {
        "domain": domain,
        "label": _seen_label(domain),
        "lines": len(originals),
        "agree": agree,
        "agree_quotes": agree_quotes,
        "wrong_quotes": wrong_quotes,
        "han": han,
        "han_changed": changed,
        "other_script": sum(t is not None and t != own for t in targets),
        "mixed": len(originals) - len(pure),
        "wrong": wrong,
    }


def _written_in(line: str, own: str) -> str | None:
    """The target that leaves a clean line's script as it is: the one script its characters
    show (reviews hold whole Traditional reviews, CTCPC some Simplified sentences), the
    domain's own when they show none. None for a line that mixes both scripts (設 in a
    Simplified review): converting its minority characters is a repair, not damage, so it
    is left out of the clean-text count."""
    from normtext.chars.script import script_verdict

    verdict = script_verdict(line)
    traditional, simplified = verdict["traditional_evidence"], verdict["simplified_evidence"]
    if traditional and simplified:
        return None
    if traditional:
        return "zh-hant"
    return "zh-hans" if simplified else own


def _script(domain: str) -> str:
    import corpus

    return str(corpus.SCRIPT.get(domain, "s"))


def _seen_label(domain: str) -> str:
    import corpus

    return str(corpus.seen_label(domain))


def baseline_agreement(src: str, n_lines: int, seed: int, domains: str) -> list[dict[str, Any]]:
    """The same figures for another normtext source tree (``src``), in a child process."""
    env = {**os.environ, "PYTHONPATH": src}
    cmd = [sys.executable, __file__, "--agreement-json", "--lines", str(n_lines)]
    cmd += ["--seed", str(seed), "--domains", domains]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    rows: list[dict[str, Any]] = json.loads(done.stdout)
    return rows


def agreement_report(
    rows: list[dict[str, Any]], before: list[dict[str, Any]] | None, baseline: str
) -> str:
    by_domain = {r["domain"]: r for r in before or []}
    out = [
        "# Canonical agreement: normalize(spun) == normalize(clean), every domain",
        "",
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; Python {platform.python_version()}.",
        "",
        "Each clean line is spun as above (`Spinner`: the seed page's damage, which keeps "
        "“ ” curled; and again with the quotes turned ASCII too) and both go "
        "through `normalize`; a line agrees when the two outputs are equal. Han changes: "
        "`normalize(clean, target=<the script the line is written in>)` against the clean "
        "line, per million Han characters, on the clean lines written in one script; "
        "must be 0. Lines mixing both scripts are left out of that count (converting their "
        "minority characters is a repair): their number is given.",
    ]
    if before is not None:
        out += ["", f"Before: `{baseline}`; after: this tree; same run, same spun lines."]
    head = (
        "| domain | tables | lines | agree (seed's damage) | agree (quotes ASCII too) "
        "| Han changes / M on clean text | mixed lines |"
    )
    out += ["", head, "|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        agree = f"{r['agree'] / r['lines']:.1%}"
        agree_q = f"{r['agree_quotes'] / r['lines']:.1%}"
        han = f"{r['han_changed'] / r['han'] * 1e6:.0f}"
        b = by_domain.get(r["domain"])
        if b is not None:
            agree = f"{b['agree'] / b['lines']:.1%} → {agree}"
            agree_q = f"{b['agree_quotes'] / b['lines']:.1%} → {agree_q}"
            han = f"{b['han_changed'] / b['han'] * 1e6:.0f} → {han}"
        cells = [r["domain"], r["label"], r["lines"], agree, agree_q, han, r["mixed"]]
        out.append("| " + " | ".join(map(str, cells)) + " |")
    for r in rows:
        for key, what in (("wrong", "seed's damage"), ("wrong_quotes", "quotes ASCII too")):
            if r[key]:
                out += ["", f"{r['domain']} ({what}): normalize(spun) → normalize(clean):", ""]
                out += r[key][:15]
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--lines", type=int, default=600, help="paragraphs to spin and repair (600)"
    )
    parser.add_argument("--seed", type=int, default=1998, help="sampling and spinning seed (1998)")
    parser.add_argument(
        "--clean-lines",
        type=int,
        default=2000,
        help="extra clean paragraphs for 'Han changes per million', beyond the spun ones (2000)",
    )
    parser.add_argument(
        "--no-save", action="store_true", help=f"print only, do not write {RESULTS.name}"
    )
    parser.add_argument(
        "--domains",
        default="news,ui_hans",
        help="tools/corpus.py domains, comma-separated (news: held-out lines of a domain the "
        "tables saw; ui_hans: software messages they never saw)",
    )
    parser.add_argument(
        "--agreement-domains",
        default=",".join(AGREEMENT_DOMAINS),
        help="domains for normalize(spun) == normalize(clean) (all five; '' to skip)",
    )
    parser.add_argument(
        "--baseline",
        default="",
        help="another normtext source tree (its src/): agreement figures before → after",
    )
    parser.add_argument("--agreement-json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.agreement_json:
        rows = [agreement(d, args.lines, args.seed) for d in args.domains.split(",")]
        print(json.dumps(rows, ensure_ascii=False))
        return
    report = "\n".join(
        run(args.lines, args.seed, args.clean_lines, domain)
        for domain in args.domains.split(",")
        if domain
    )
    if args.agreement_domains:
        domains = args.agreement_domains
        before = (
            baseline_agreement(args.baseline, args.lines, args.seed, domains)
            if args.baseline
            else None
        )
        rows = [agreement(d, args.lines, args.seed) for d in domains.split(",")]
        report += "\n" + agreement_report(rows, before, args.baseline)
    print(report)
    if not args.no_save:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
