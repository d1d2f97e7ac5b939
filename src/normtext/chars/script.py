"""Character facts the stages share: which characters prove a script, and which standard.

*Traditional-only* characters are those OpenCC's t2s changes and that are not part of
GB 2312, the mainland's Simplified repertoire (so 乾 and 著, which Simplified text uses
in 乾隆 and 著名, prove nothing), less the few that clean Simplified news still uses
(``data/simplified_seen.txt``). *Simplified-only* characters are those s2t changes and
that Big5 lacks. Both come from the shipped OpenCC dictionaries and Python's codecs, not
from a hand-made list.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np

from ..opencc.dictionary import shipped

NEUTRAL, TRADITIONAL, SIMPLIFIED = 0, 1, 2


def _encodable(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@cache
def simplified_seen() -> frozenset[str]:
    """Characters t2s changes that clean Simplified news uses anyway (built from a corpus)."""
    text = (
        resources.files("normtext")
        .joinpath("data", "simplified_seen.txt")
        .read_text(encoding="utf-8")
    )
    return frozenset(
        line.split("\t")[0] for line in text.splitlines() if line and not line.startswith("#")
    )


@cache
def traditional_only() -> frozenset[str]:
    chars = set()
    for name in ("TSCharacters.txt", "TSCharactersExt.txt"):
        chars.update(k for k, v in shipped(name).items() if k != v and not _encodable(k, "gb2312"))
    return frozenset(chars - simplified_seen())


@cache
def simplified_only() -> frozenset[str]:
    table = shipped("STCharacters.txt")
    return frozenset(k for k, v in table.items() if k != v and not _encodable(k, "big5"))


@cache
def script_classes() -> np.ndarray:
    """Code point -> NEUTRAL, TRADITIONAL or SIMPLIFIED, for counting evidence in one pass."""
    table = np.zeros(0x110000, dtype=np.int8)
    table[[ord(c) for c in traditional_only()]] = TRADITIONAL
    table[[ord(c) for c in simplified_only()]] = SIMPLIFIED
    return table


@cache
def standard_markers() -> dict[str, frozenset[str]]:
    """Glyphs that tell the three Traditional standards apart.

    OpenCC's own standard writes 爲 僞 衆, which both Taiwan and Hong Kong replace; Taiwan
    writes 著 裡 where OpenCC's Hong Kong standard keeps 着 裏; Hong Kong has glyphs of its
    own outside Big5 (説 温 脱 衞). All three sets are read off the variant dictionaries.
    """
    tw = {k: v for k, v in shipped("TWVariants.txt").items() if k != v}
    hk = {k: v for k, v in shipped("HKVariants.txt").items() if k != v}
    hk_glyphs = set(hk.values())
    # A Taiwan glyph that OpenCC's own s2t also writes (參, 梁) is no evidence.
    opencc_output = set(shipped("STCharacters.txt").values())
    return {
        "opencc": frozenset(set(tw) & set(hk)),
        "tw": frozenset(
            v
            for k, v in tw.items()
            if k not in hk and v not in hk_glyphs and v not in opencc_output
        ),
        "hk": frozenset(v for v in hk_glyphs - set(tw.values()) if not _encodable(v, "big5")),
    }


STANDARDS = ("opencc", "tw", "hk")


@cache
def standard_classes() -> np.ndarray:
    """Code point -> 0, or 1 + index in ``STANDARDS`` of the standard its glyph points to."""
    table = np.zeros(0x110000, dtype=np.int8)
    for index, name in enumerate(STANDARDS):
        table[[ord(c) for c in standard_markers()[name]]] = index + 1
    return table


def code_points(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


@cache
def _zhu_words() -> dict[tuple[int, int], frozenset[str]]:
    """Words in which 著 reads zhù (著作 显著 论著), by (length, offset of 著).

    From pypinyin's phrase readings. Taiwan text writes the particle 着 as 著 too, and
    tw2s turns every 著 outside OpenCC's short phrase list into 着: 论著 → 论着.
    """
    from pypinyin.phrases_dict import phrases_dict

    words: dict[tuple[int, int], set[str]] = {}
    for word, readings in phrases_dict.items():
        for offset, char in enumerate(word):
            if char == "著" and readings[offset][0].startswith("zhù"):
                words.setdefault((len(word), offset), set()).add(word)
    return {key: frozenset(group) for key, group in words.items()}


def restore_zhu(source: str, converted: str) -> str:
    """Put back 著 where tw2s made 着 but a known word reads it zhù (same-length texts)."""
    words = _zhu_words()
    keep: list[int] = []
    pos = source.find("著")
    while pos >= 0:
        if converted[pos] == "着":
            for (length, offset), group in words.items():
                start = pos - offset
                if start < 0 or start + length > len(converted):
                    continue
                window = converted[start:pos] + "著" + converted[pos + 1 : start + length]
                if window in group:
                    keep.append(pos)
                    break
        pos = source.find("著", pos + 1)
    if not keep:
        return converted
    parts, prev = [], 0
    for pos in keep:
        parts.append(converted[prev:pos])
        parts.append("著")
        prev = pos + 1
    parts.append(converted[prev:])
    return "".join(parts)


def standard_of(points: np.ndarray) -> str:
    """``"opencc"``, ``"tw"`` or ``"hk"``: the Traditional standard the glyphs point to."""
    classes = standard_classes()[points]
    opencc, tw, hk = (int(np.count_nonzero(classes == k)) for k in (1, 2, 3))
    if hk and hk >= tw:
        return "hk"
    if tw and tw >= opencc:
        return "tw"
    if opencc:
        return "opencc"
    return "tw" if (points == ord("為")).any() else "opencc"


#: A text is "mixed" when the minority script has at least this share of the majority's
#: evidence (one Traditional-only character in a long Simplified page is a name, not a mix).
MIXED_RATIO = 0.2


def script_verdict(text: str) -> dict[str, object]:
    """Simplified, Traditional (with its standard), mixed, neutral or none, with the counts.

    The evidence is the script stage's own: characters only Traditional text writes
    (``traditional_only``) and only Simplified text writes (``simplified_only``), so
    ``normtext detect`` and the pipeline never disagree about a text (a clean Simplified
    sentence with 乾 is Simplified or neutral for both, never "mixed").
    """
    from .classes import CLASS_TABLE, CP_HAN

    points = code_points(text)
    han = int(np.count_nonzero(CLASS_TABLE.take(points, mode="clip") == CP_HAN))
    classes = script_classes()[points]
    traditional = int(np.count_nonzero(classes == TRADITIONAL))
    simplified = int(np.count_nonzero(classes == SIMPLIFIED))
    verdict: dict[str, object] = {
        "han": han,
        "traditional_evidence": traditional,
        "simplified_evidence": simplified,
    }
    low, high = sorted((traditional, simplified))
    if not han:
        verdict["script"] = "none"
    elif low and low >= MIXED_RATIO * high:
        verdict["script"] = "mixed"
    elif simplified > traditional:
        verdict["script"] = "simplified"
    elif traditional:
        verdict["script"] = "traditional"
        verdict["standard"] = standard_of(points)
    else:
        verdict["script"] = "neutral"  # Han text with no script-specific character
    return verdict
