"""Variant words and 著/着, 乾/干, 於/于 on held-out sentences: normtext against OpenCC.

    pip download --no-deps -d DL django==5.2.19 sphinx==9.0.4 jieba==0.42.1 jionlp==1.5.31 \
        pycorrector==1.1.4
    # unpack each into DL (sdists with tar, wheels with unzip into DL/sphinx, DL/jionlp)
    python benchmarks/script_words.py DL        # prints Markdown; --save adds it to results

Gold is Simplified text its writers edited: msgstr lines of Django 5.2.19's zh_Hans and
Sphinx 9.0.4's zh_CN translation catalogues (.po), string literals of jieba 0.42.1's
tests, sentences of jionlp 1.5.31's LLM test questions (Apache-2.0), and the corrected
side of pycorrector 1.1.4's ``data/sighan2015_test.tsv`` (Apache-2.0). Each line goes to Taiwan Traditional
with OpenCC s2tw (what a Taiwan writer would have typed, 著 for the particle, 想像), then
back with each system; an error is a Han character that differs from the gold. The
tables (jieba's and wordfreq's counts, pypinyin's readings) never saw these catalogues,
so the domain is unseen; the clean People's Daily lines of tests/data are a second
domain, one jieba's counts may well have seen.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from normtext import Normalizer
from normtext.opencc import convert

TARGET = re.compile("[着著干乾于於]")
HAN = re.compile(r"[\u3400-\u9fff]")


def po_lines(root: Path, pattern: str) -> list[str]:
    lines: list[str] = []
    for path in sorted(root.glob(pattern)):
        text = path.read_text(encoding="utf-8")
        for block in re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', text, re.MULTILINE):
            line = "".join(re.findall(r'"(.*)"', block)).replace("\\n", "\n").strip()
            for part in line.split("\n"):
                if HAN.search(part):
                    lines.append(part)
    return list(dict.fromkeys(lines))


def jsonl_sentences(root: Path, pattern: str) -> list[str]:
    """Sentences of every string value in JSON-lines files (jionlp's question sets)."""
    import json

    def strings(value: object):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from strings(v)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)

    found: list[str] = []
    for path in sorted(root.glob(pattern)):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            for text in strings(json.loads(line)):
                found += [
                    s.strip()
                    for s in re.split(r"(?<=[。！？\n])", text)
                    if len(HAN.findall(s)) >= 4
                ]
    return list(dict.fromkeys(found))


def errors(gold: str, output: str, only_words: bool = False) -> int:
    """Han characters that differ from the gold; ``only_words``: only at 着著干乾于於 and in
    the standard spellings of variant words (what this comparison is about)."""
    if len(gold) != len(output):
        return sum(1 for c in gold if HAN.match(c))
    watched = set()
    if only_words:
        from normtext.chars.script import variant_words

        for i, (a, b) in enumerate(zip(gold, output)):
            if TARGET.match(a) or TARGET.match(b):
                watched.add(i)
        for standard in set(variant_words().values()) | set(variant_words()):
            for m in re.finditer(re.escape(standard), gold):
                watched.update(range(m.start(), m.end()))
    return sum(
        1
        for i, (a, b) in enumerate(zip(gold, output))
        if a != b and (HAN.match(a) or HAN.match(b)) and (not only_words or i in watched)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("downloads", type=Path)
    parser.add_argument("--save", action="store_true")
    args = parser.parse_args()
    domains = {
        "Django zh_Hans .po (unseen)": po_lines(
            args.downloads, "django-*/django/**/locale/zh_Hans/LC_MESSAGES/*.po"
        ),
        "Sphinx zh_CN .po (unseen)": po_lines(
            args.downloads, "sphinx/sphinx/locale/zh_CN/LC_MESSAGES/*.po"
        ),
    }
    jieba_tests = sorted(args.downloads.glob("jieba-*/test/*.py"))
    domains["jieba 0.42.1 test/*.py sentences (unseen)"] = list(
        dict.fromkeys(
            s
            for path in jieba_tests
            for s in re.findall(r"[\u4e00-\u9fff][^\"'\n]*", path.read_text(encoding="utf-8"))
            if len(HAN.findall(s)) >= 4
        )
    )
    domains["jionlp 1.5.31 LLM test questions (unseen)"] = jsonl_sentences(
        args.downloads, "jionlp/jionlp/dictionary/jionlp_LLM_test/*.json"
    )
    domains["pycorrector 1.1.4 SIGHAN-2015 corrected sentences (unseen, untouched)"] = [
        line.split("\t")[-1]
        for path in sorted(
            args.downloads.glob("pycorrector-*/pycorrector/data/sighan2015_test.tsv")
        )
        for line in path.read_text(encoding="utf-8").splitlines()
        if "\t" in line
    ]
    news = HERE.parent / "tests" / "data" / "clean_news.txt"
    domains["People's Daily clean_news (jieba may have seen)"] = [
        line for line in news.read_text(encoding="utf-8").splitlines() if line and line[0] != "#"
    ]
    script_only = Normalizer(
        mojibake=False, unicode=False, gloss=False, punctuation=False, width=False, spacing=False
    )
    systems = {
        "OpenCC t2s": lambda t: convert(t, "t2s"),
        "OpenCC tw2s": lambda t: convert(t, "tw2s"),
        "normtext (script stage)": script_only.normalize,
    }
    rows = []
    for name, lines in domains.items():
        for subset, chosen in (
            ("all lines", lines),
            ("lines with 着著干乾于於 or a variant word", None),
        ):
            if chosen is None:
                chosen = [
                    g for g in lines if TARGET.search(g) or convert(g, "s2tw") != g and _variant(g)
                ]
            taiwan = [convert(g, "s2tw") for g in chosen]
            han = sum(len(HAN.findall(g)) for g in chosen)
            outputs = {s: [fn(t) for t in taiwan] for s, fn in systems.items()}
            counts = {
                system: (
                    sum(errors(g, o) for g, o in zip(chosen, outs)),
                    sum(errors(g, o, True) for g, o in zip(chosen, outs)),
                )
                for system, outs in outputs.items()
            }
            rows.append((name, subset, len(chosen), han, counts))
    out = [
        "Errors: all Han characters / only at 着著干乾于於 and variant-word positions.",
        "",
        "| domain | lines | Han chars | " + " | ".join(systems) + " |",
        "|---|---|---|" + "---|" * len(systems),
    ]
    for name, subset, n, han, counts in rows:
        cells = " | ".join(f"{counts[s][0]} / {counts[s][1]}" for s in systems)
        out.append(f"| {name}, {subset} | {n} | {han} | {cells} |")
    report = "\n".join(out)
    print(report)
    if args.save:
        path = HERE / "results" / "canon.md"
        path.write_text(path.read_text(encoding="utf-8") + "\n" + report + "\n", encoding="utf-8")


def _variant(gold: str) -> bool:
    from normtext.chars.script import variant_words

    return any(standard in gold for standard in variant_words().values())


if __name__ == "__main__":
    main()
