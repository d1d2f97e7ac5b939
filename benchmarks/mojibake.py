"""Mojibake repair: garbled sentences and words repaired, clean text untouched, speed.

Usage: ``python benchmarks/mojibake.py [--sentences N] [--quick]``

* Every table names its domain and whether the evidence tables saw it (``tools/corpus.py``:
  one split; seen domains are measured on held-out lines only).
* Garbled sentences: held-out sentences of the seen domains (People's Daily 1998-01,
  product reviews, HKCanCor Cantonese conversation), sentences of a corpus the tables
  never saw of a variety they did (CTCPC Cantonese, "unseen corpus"), and of two domains
  the tables never saw (Simplified and Traditional software messages), encoded with one
  codec and decoded with another. Rows
  "lossless" count only garblings the wrong decoder read without error (every byte is
  still there, so exact repair is possible); "lossy" rows decode with
  ``errors="replace"`` and need the lost bytes guessed. "in context" puts the garbled
  sentence between two clean ones (a garbled title in a clean page).
* Unseen domains by Han count: the same sentences, split into those with at least two
  Han characters and fragments with one or none (``%(num)d 年``), where a lone two-byte
  character is repaired only when it stands apart and is common (``_lone_character``).
* The least frequency of a lone character: the threshold's share of training-line Han,
  and what it repairs and changes on text no table saw, at the chosen value and around.
* Garbled words: 1-3 character words of the held-out news segmentation inside English
  sentences.
* Clean text: every held-out line of each seen domain, every line of each unseen domain,
  and the Simplified ones in Traditional (OpenCC ``s2tw``); any changed line is a false
  repair.
* Western strings (``tests/data/western_strings.txt``): changed by the stage, and given
  CJK characters by ``normalize``.
* Accented European words (pyspellchecker's fr, de, es, pt, it dictionaries) alone and
  in a sentence: how many come out with a Han character.
* Speed of the stage on clean text, and on 1 MB of European text (stage and
  ``normalize``); time against input size for repeated tokens (4x the input should take
  about 4x the time).

``ftfy.fix_text`` and ``ftfy.fix_encoding`` are run on the same inputs for comparison.
The tables go to stdout and to ``benchmarks/results/mojibake.md``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import corpus
from normtext.options import Options
from normtext.stages.mojibake import MojibakeStage

RESULT = ROOT / "benchmarks" / "results" / "mojibake.md"
SEED = Path("/work/shared/seeds/000_7a834d35549ee95d.txt")

_SLOPPY = {i: bytes((i,)).decode("cp1252", errors="replace") for i in range(256)}
_SLOPPY.update({i: chr(i) for i, c in _SLOPPY.items() if c == "\ufffd"})


def sloppy_cp1252(data: bytes) -> str:
    """cp1252 as browsers decode it: the five undefined bytes become C1 controls."""
    return "".join(_SLOPPY[b] for b in data)


#: (name, source codec, how the wrong decoder reads bytes, traditional text?)
KINDS: list[tuple[str, str, Callable[[bytes], str], bool]] = [
    ("utf-8 read as gb18030", "utf-8", lambda b: b.decode("gb18030"), False),
    ("utf-8 read as gbk", "utf-8", lambda b: b.decode("gbk"), False),
    ("utf-8 read as big5", "utf-8", lambda b: b.decode("big5"), True),
    ("utf-8 read as latin-1", "utf-8", lambda b: b.decode("latin-1"), False),
    ("utf-8 read as cp1252", "utf-8", sloppy_cp1252, False),
    ("gbk read as latin-1", "gbk", lambda b: b.decode("latin-1"), False),
    ("gbk read as cp1252", "gbk", sloppy_cp1252, False),
    ("big5 read as latin-1", "big5", lambda b: b.decode("latin-1"), True),
    ("big5 read as cp1252", "big5", sloppy_cp1252, True),
]
LOSSY: list[tuple[str, str, str, bool]] = [
    ("utf-8 read as gb18030", "utf-8", "gb18030", False),
    ("utf-8 read as big5", "utf-8", "big5", True),
    ("utf-8 read as cp1252 (Python)", "utf-8", "cp1252", False),
    ("gbk read as cp1252 (Python)", "gbk", "cp1252", False),
]
TEMPLATES = (
    "The word {} is here.",
    "see {} for details",
    "Title: {}",
    "<b>{}</b>",
    '"{}", she said',
    "({})",
    "{}",
)

_SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]?")


def sentences(domain: str, limit: int) -> list[str]:
    found = []
    for line in corpus.heldout_lines(domain):
        found.extend(s for s in _SENTENCE.findall(line) if 4 <= len(s) <= 80)
    step = max(1, len(found) // limit)
    return found[::step][:limit]


def traditional(texts: list[str]) -> list[str]:
    import opencc

    converter = opencc.OpenCC("s2tw.json")
    return [converter.convert(t) for t in texts]


def pct(right: int, total: int) -> str:
    return f"{100 * right / total:.2f}% ({total - right})" if total else "n/a"


def garble(text: str, source: str, read: Callable[[bytes], str]) -> str | None:
    try:
        return read(text.encode(source))
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None


def sentence_table(stage: MojibakeStage, limit: int, rng: random.Random) -> list[str]:
    rows = [
        "| garbling | domain | sentences | repaired exactly | in context, exactly |",
        "|---|---|---|---|---|",
    ]
    totals = [0, 0, 0]
    for domain in corpus.DOMAINS:
        simple = sentences(domain, limit)
        trad = simple if corpus.SCRIPT[domain] == "t" else traditional(simple)
        domain = f"{domain} ({corpus.seen_label(domain)})"
        for name, source, read, use_trad in KINDS:
            pool = trad if use_trad else simple
            ok = ok_ctx = n = 0
            for s in pool:
                bad = garble(s, source, read)
                if bad is None or bad == s:
                    continue
                n += 1
                ok += stage.transform(bad) == s
                before, after = rng.choice(pool), rng.choice(pool)
                ok_ctx += stage.transform(before + bad + after) == before + s + after
            totals[0] += n
            totals[1] += ok
            totals[2] += ok_ctx
            rows.append(f"| {name} (lossless) | {domain} | {n} | {pct(ok, n)} | {pct(ok_ctx, n)} |")
        for name, source, codec, use_trad in LOSSY:
            pool = trad if use_trad else simple
            ok = n = 0
            for s in pool:
                try:
                    data = s.encode(source)
                except UnicodeEncodeError:
                    continue
                try:
                    data.decode(codec)
                    continue  # lossless: counted above
                except UnicodeDecodeError:
                    bad = data.decode(codec, errors="replace")
                n += 1
                ok += stage.transform(bad) == s
            rows.append(f"| {name} (lossy) | {domain} | {n} | {pct(ok, n)} | |")
    rows.append(
        f"| **all lossless** | all | {totals[0]} | {pct(totals[1], totals[0])} | "
        f"{pct(totals[2], totals[0])} |"
    )
    return rows


def lines_table(stage: MojibakeStage, limit: int) -> list[str]:
    """Whole lines (at least 4 Han) of the unseen domains, garbled in their own script.

    The sentence table splits software messages into fragments such as ``%(num)d 年``,
    where one two-byte character stands in ASCII text (``_lone_character``). Whole lines
    show the repair rate on running text.
    """
    rows = [
        "| garbling | domain | lines | repaired exactly | clean lines changed |",
        "|---|---|---|---|---|",
    ]
    for domain in corpus.UNSEEN:
        pool = [
            t
            for t in dict.fromkeys(corpus.heldout_lines(domain))
            if sum(c >= "\u4e00" for c in t) >= 4
        ]
        lines = random.Random(1).sample(pool, min(limit, len(pool)))
        clean = sum(stage.transform(t) != t for t in lines)
        for name, source, read, _trad in KINDS:
            if name == "utf-8 read as big5":
                continue
            n = ok = 0
            for t in lines:
                bad = garble(t, source, read)
                if bad is None or bad == t:
                    continue
                n += 1
                ok += stage.transform(bad) == t
            rows.append(
                f"| {name} | {domain} ({corpus.seen_label(domain)}) | {n} | {pct(ok, n)} | "
                f"{clean} of {len(lines)} |"
            )
    return rows


def fragment_table(stage: MojibakeStage, limit: int) -> list[str]:
    """The sentence rows of the unseen domains, split by how many Han characters the
    sentence has: one Han character among ASCII (``%(num)d 年``) has only the structure
    of its bytes and its frequency to go on (``_lone_character``), so the two parts say
    where the misses are."""
    rows = [
        "| garbling | domain | sentences with 2+ Han | repaired exactly | "
        "sentences with 0-1 Han | repaired exactly |",
        "|---|---|---|---|---|---|",
    ]
    for domain in corpus.UNSEEN:
        simple = sentences(domain, limit)
        trad = simple if corpus.SCRIPT[domain] == "t" else traditional(simple)
        for name, source, read, use_trad in KINDS:
            if not name.startswith(("gbk", "big5")):
                continue
            counts = {True: [0, 0], False: [0, 0]}
            for s in trad if use_trad else simple:
                bad = garble(s, source, read)
                if bad is None or bad == s:
                    continue
                many = sum(1 for c in s if "\u3400" <= c <= "\u9fff") >= 2
                counts[many][0] += 1
                counts[many][1] += stage.transform(bad) == s
            (n2, ok2), (n1, ok1) = counts[True], counts[False]
            rows.append(
                f"| {name} | {domain} ({corpus.seen_label(domain)}) | {n2} | {pct(ok2, n2)} | "
                f"{n1} | {pct(ok1, n1)} |"
            )
    return rows


def lone_threshold_table(stage: MojibakeStage, limit: int) -> list[str]:
    """What ``_LONE_MIN_LOG_PROB`` (a lone two-byte character standing apart in text
    without Han) trades, at the chosen value and around it.

    Chosen on training lines: the share of their Han characters at least that common.
    Reported beside it, never tuned on: fragments (0-1 Han) of the unseen domains garbled
    as GBK/Big5 read as Latin-1, and the Western strings and European lines that must
    pass unchanged.
    """
    from collections import Counter

    from normtext.chars import frequency
    from normtext.stages import mojibake

    counts: Counter[str] = Counter()
    for domain in corpus.SEEN:
        for line in corpus.training_lines(domain):
            counts.update(c for c in line if "\u3400" <= c <= "\u9fff")
    total = sum(counts.values())
    fragments = []
    for domain in corpus.UNSEEN[1:]:
        for s in sentences(domain, limit):
            if sum(1 for c in s if "\u3400" <= c <= "\u9fff") < 2:
                for codec in ("gbk", "big5"):
                    bad = garble(s, codec, lambda b: b.decode("latin-1"))
                    if bad is not None and bad != s:
                        fragments.append((bad, s))
    path = ROOT / "tests" / "data" / "western_strings.txt"
    western = [
        line.split("\t", 1)[1]
        for line in path.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    european = list(corpus.domain_lines("european"))
    chosen = mojibake._LONE_MIN_LOG_PROB
    rows = [
        (
            "| least log-probability | training lines: share of Han at least as common | "
            "unseen ui fragments repaired | Western strings changed | European lines changed |"
        ),
        "|---|---|---|---|---|",
    ]
    try:
        for value in (-8.0, chosen, -10.0, -11.0, -12.0):
            mojibake._LONE_MIN_LOG_PROB = value
            mojibake._pair_table.cache_clear()
            share = (
                sum(n for c, n in counts.items() if frequency.log_prob_either_script(c) >= value)
                / total
            )
            ok = sum(stage.transform(bad) == s for bad, s in fragments)
            changed_w = sum(stage.transform(t) != t for t in western)
            changed_e = sum(stage.transform(t) != t for t in european)
            label = f"{value:.1f}" + (" (chosen)" if value == chosen else "")
            rows.append(
                f"| {label} | {100 * share:.1f}% | {pct(ok, len(fragments))} | "
                f"{changed_w} of {len(western)} | {changed_e} of {len(european)} |"
            )
    finally:
        mojibake._LONE_MIN_LOG_PROB = chosen
        mojibake._pair_table.cache_clear()
    return rows


def word_table(stage: MojibakeStage, rng: random.Random) -> list[str]:
    """Words of held-out news lines (seen domain) inside ASCII sentences."""
    words = sorted(
        {
            w
            for w in corpus.heldout_words()
            if 1 <= len(w) <= 3 and all("\u4e00" <= c <= "\u9fff" for c in w)
        }
    )
    trad_words = traditional(words)
    rows = [
        "| garbling | words | lossless: repaired exactly | lossy: repaired exactly | all |",
        "|---|---|---|---|---|",
    ]
    all_ok = all_n = lossless_ok = lossless_n = 0
    for name, source, read, use_trad in KINDS:
        pool = trad_words if use_trad else words
        ok = n = lossy_ok = lossy_n = 0
        for w in pool:
            template = rng.choice(TEMPLATES)
            try:
                data = w.encode(source)
            except UnicodeEncodeError:
                continue
            expected = template.format(w)
            raw = template.format("\x00").encode("ascii").split(b"\x00")
            full = raw[0] + data + raw[1]
            try:
                bad = read(full)
                lossy = False
            except UnicodeDecodeError:
                codec = "gb18030" if "gb18030" in name or "gbk" in name else "big5"
                bad = full.decode(codec, errors="replace")
                lossy = True
            fixed = stage.transform(bad) == expected
            if lossy:
                lossy_n += 1
                lossy_ok += fixed
            else:
                n += 1
                ok += fixed
        all_ok += ok + lossy_ok
        all_n += n + lossy_n
        lossless_ok += ok
        lossless_n += n
        rows.append(
            f"| {name} | {n + lossy_n} | {pct(ok, n)} | {pct(lossy_ok, lossy_n)} | "
            f"{pct(ok + lossy_ok, n + lossy_n)} |"
        )
    rows.append(f"| **all lossless** | {lossless_n} | {pct(lossless_ok, lossless_n)} | | |")
    rows.append(f"| **all** | {all_n} | | | {pct(all_ok, all_n)} |")
    return rows


def clean_table(stage: MojibakeStage) -> tuple[list[str], list[str]]:
    import ftfy

    rows = [
        (
            "| clean text | lines | changed by normtext | changed by ftfy.fix_encoding | "
            "changed by ftfy.fix_text |"
        ),
        "|---|---|---|---|---|",
    ]
    examples: list[str] = []
    for domain in corpus.DOMAINS:
        lines = list(corpus.heldout_lines(domain))
        pools = [(corpus.describe(domain), lines)]
        if corpus.SCRIPT[domain] == "s":
            pools.append((f"{corpus.describe(domain)}, in Traditional", traditional(lines)))
        for label, pool in pools:
            changed = [t for t in pool if stage.transform(t) != t]
            examples.extend(changed[:5])
            enc = sum(ftfy.fix_encoding(t) != t for t in pool[::10]) * 10
            txt = sum(ftfy.fix_text(t) != t for t in pool[::10]) * 10
            rows.append(f"| {label} | {len(pool)} | {len(changed)} | ~{enc} | ~{txt} |")
    return rows, examples


def european_words() -> list[str]:
    import spellchecker

    base = Path(spellchecker.__file__).parent / "resources"
    words: set[str] = set()
    for lang in ("fr", "de", "es", "pt", "it"):
        with gzip.open(base / f"{lang}.json.gz", "rt", encoding="utf-8") as fh:
            words.update(w for w in json.load(fh) if re.search("[\u00c0-\u00ff]", w))
    return sorted(words)


def european_table(stage: MojibakeStage) -> list[str]:
    try:
        words = european_words()
    except ImportError:
        return ["(pyspellchecker not installed: `pip install pyspellchecker`)"]
    rows = [
        (
            "| accented words | words | given more Han characters by normtext | changed at all | "
            "output is the clean form |"
        ),
        "|---|---|---|---|---|",
    ]

    def han(s: str) -> int:
        return sum(1 for c in s if "\u3400" <= c <= "\u9fff")

    for label, make, clean in (
        ("alone", lambda w: w, lambda w: w),
        ("in a sentence", lambda w: f"Le mot {w} est ici.", lambda w: f"Le mot {w} est ici."),
        ("in Chinese text", lambda w: f"他说{w}很好", lambda w: f"他说{w}很好"),
        ("as UTF-8 read as cp1252", lambda w: sloppy_cp1252(w.encode("utf-8")), lambda w: w),
    ):
        inputs = [make(w) for w in words]
        outs = [stage.transform(t) for t in inputs]
        turned = sum(han(o) > han(i) for i, o in zip(inputs, outs))
        changed = sum(o != i for i, o in zip(inputs, outs))
        right = sum(o == clean(w) for w, o in zip(words, outs))
        rows.append(
            f"| {label} | {len(words)} | {pct(turned, len(words)).split(' ')[0]} "
            f"({turned}) | {changed} | {pct(right, len(words))} |"
        )
    return rows


def western_table(stage: MojibakeStage) -> list[str]:
    import normtext

    path = ROOT / "tests" / "data" / "western_strings.txt"
    rows = [
        line.split("\t", 1)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    cjk = re.compile("[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\ufe30-\ufe6f\uff00-\uffef]")
    out = [
        "| source | strings | changed by the stage | given CJK by normalize | changed by normalize |",
        "|---|---|---|---|---|",
    ]
    for label in ("handwritten", "faker", "django", None):
        pool = [s for src, s in rows if label is None or src.startswith(label)]
        stage_changed = sum(stage.transform(s) != s for s in pool)
        normalized = [normtext.normalize(s) for s in pool]
        gained = sum(bool(cjk.search(o)) and not cjk.search(s) for s, o in zip(pool, normalized))
        changed = sum(o != s for s, o in zip(pool, normalized))
        out.append(
            f"| {label or '**all**'} | {len(pool)} | {stage_changed} | {gained} | {changed} |"
        )
    return out


def european_megabyte() -> str:
    """1 MB of European software messages (unseen domain), repeated to size."""
    text = "\n".join(corpus.heldout_lines("european"))
    text = text * (1 + 1_000_000 // len(text.encode("utf-8")))
    return text.encode("utf-8")[:1_000_000].decode("utf-8", "ignore")


def _best_time(fn: Callable[[str], str], text: str, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):  # CPU time, best of three: the machine is shared
        start = time.process_time()
        fn(text)
        best = min(best, time.process_time() - start)
    return best


def european_speed_table(stage: MojibakeStage) -> list[str]:
    import normtext

    text = european_megabyte()
    size = len(text.encode("utf-8"))
    rows = [
        (
            f"Text: {corpus.describe('european')}, {size / 1e6:.2f} MB "
            f"({', '.join(corpus.EUROPEAN_LOCALES)})."
        ),
        "",
        "| through | MB/s (best of 3, CPU time) | changed |",
        "|---|---|---|",
    ]
    for label, fn in (
        ("mojibake stage", stage.transform),
        ("normtext.normalize", normtext.normalize),
    ):
        fn(text[:1000])  # load tables first
        seconds = _best_time(fn, text)
        changed = "no" if fn(text) == text else "yes"
        rows.append(f"| {label} | {size / 1e6 / seconds:.1f} | {changed} |")
    return rows


#: Repeated tokens: runs a quadratic scan or a lookback would show (issue 13).
REPEATED = ("é", "¡", "å\x8f\x91", "äöü ", "ÅÅ", "¬´", "ñ", "ÄÖÜäöüß", "中文", "·¢²¼")


def linear_table(stage: MojibakeStage, base: int = 50_000) -> list[str]:
    rows = [
        (
            f"| token | time for {base:,} chars | time for {4 * base:,} chars | ratio (4 = linear) "
            "| output changed |"
        ),
        "|---|---|---|---|---|",
    ]
    for token in REPEATED:
        small = token * (base // len(token))
        large = token * (4 * base // len(token))
        t1, t4 = _best_time(stage.transform, small), _best_time(stage.transform, large)
        changed = "yes" if stage.transform(small) != small else "no"
        ratio = t4 / t1 if t1 > 0 else float("nan")
        rows.append(
            f"| `{token!r}` | {t1 * 1e3:.1f} ms | {t4 * 1e3:.1f} ms | {ratio:.2f} | {changed} |"
        )
    return rows


def speed_table(stage: MojibakeStage) -> list[str]:
    rows = [
        "Whole month of news and all reviews (speed does not depend on the split).",
        "",
        "| text | size | MB/s (UTF-8 bytes per CPU second, best of 3) |",
        "|---|---|---|",
    ]
    news = "\n".join(corpus.domain_lines("news"))
    reviews = "\n".join(corpus.domain_lines("reviews"))
    trad = "\n".join(traditional(list(corpus.domain_lines("news"))))
    seed = SEED.read_text(encoding="utf-8") if SEED.exists() else ""

    def measure(label: str, texts: Iterable[str]) -> None:
        texts = list(texts)
        size = sum(len(t.encode("utf-8")) for t in texts)
        best = float("inf")
        for _ in range(3):  # CPU time, best of three: the machine is shared
            start = time.process_time()
            for t in texts:
                stage.transform(t)
            best = min(best, time.process_time() - start)
        rows.append(f"| {label} | {size / 1e6:.1f} MB | {size / 1e6 / best:.0f} |")

    measure("news, one string", [news])
    measure("news, line by line", news.split("\n"))
    measure("reviews, line by line", reviews.split("\n"))
    measure("news in Traditional, line by line", trad.split("\n"))
    if seed:
        measure("seed page (Traditional, glossed) x 200", [seed] * 200)
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=1500, help="per domain")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--quick", action="store_true", help="skip the whole-corpus checks")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    stage = MojibakeStage(Options())
    command = f"python benchmarks/mojibake.py --sentences {args.sentences} --seed {args.seed}"
    out = ["# Mojibake repair", "", f"Generated by `{command}`.", ""]
    out += ["## Garbled sentences", "", *sentence_table(stage, args.sentences, rng), ""]
    out += ["## Garbled whole lines of the unseen domains", "", *lines_table(stage, 1000), ""]
    out += ["## Garbled sentences of the unseen domains by Han count", ""]
    out += [*fragment_table(stage, args.sentences), ""]
    out += ["## The least frequency of a lone character (`_LONE_MIN_LOG_PROB`)", ""]
    out += [*lone_threshold_table(stage, args.sentences), ""]
    out += ["## Garbled 1-3 character words inside ASCII text", ""]
    out += [f"Words: {corpus.describe('news')}.", "", *word_table(stage, rng), ""]
    if not args.quick:
        rows, examples = clean_table(stage)
        out += ["## Clean text (false repairs)", "", *rows, ""]
        if examples:
            out += ["Changed clean lines (first few):", ""]
            out += [f"- `{t[:80]!r}`" for t in examples]
            out.append("")
        out += ["## Accented European words", "", *european_table(stage), ""]
        out += ["## Western strings (negative set)", "", *western_table(stage), ""]
    out += ["## Speed on clean text", "", *speed_table(stage), ""]
    out += ["## Speed on European text", "", *european_speed_table(stage), ""]
    out += ["## Linear time on repeated tokens (mojibake stage)", "", *linear_table(stage), ""]
    table = "\n".join(out)
    print(table)
    if not args.quick:
        RESULT.parent.mkdir(parents=True, exist_ok=True)
        RESULT.write_text(table, encoding="utf-8")


if __name__ == "__main__":
    main()
