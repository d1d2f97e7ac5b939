"""How plausible a string is as Chinese text, from character frequencies of real text.

Decoding and mojibake repair both face the same question: of two readings of the same
bytes, which one is text a person wrote? A wrong reading of CJK bytes is not random
noise; it is a string of valid but rare characters (``鍙戝竷鏃堕棿`` for ``发布时间``), so
the log-probability of each reading under a unigram model of real Chinese separates
them well, even on a handful of characters; a table of character pairs (``score_pairs``,
``pair_bonus``) settles the closer calls, such as a word that is both GBK and Big5.

The table (``data/charfreq.tsv``) is built by ``tools/build_charfreq.py`` from the
training lines of the People's Daily, product reviews and HKCanCor (Hong Kong Cantonese
conversation), each counted in both scripts by converting it character by character
(quotation marks as each script writes them, “” and 「」); a character's frequency is
the larger of its two counts.
Characters the table has not seen get a floor by script: an unseen Han character is
merely rare, a private-use or control character is all but impossible in text a person
wrote. The two counts also say which Han characters belong to one script only, so a
repair can follow the script of the text around it.
"""

from __future__ import annotations

import math
import threading
import unicodedata
from itertools import pairwise

from .. import data_files

_lock = threading.Lock()
_table: dict[str, float] | None = None
_floor_han = 0.0
_final: dict[str, float] = {}  # log-probability as the last character of a line
_traditional_only: frozenset[str] = frozenset()
_simplified_only: frozenset[str] = frozenset()
_SCRIPT_RATIO = 20  # a character of one script is this many times commoner in it

#: Log-probability floors for characters absent from the table, relative to the
#: probability of a Han character seen once. Scripts Chinese text borrows from sit
#: above those it never contains.
_FLOORS = (
    # (first, last, floor in nats below one count)
    (0x0000, 0x001F, -9.0),  # C0 controls (tab and newlines are in the table)
    (0x007F, 0x009F, -9.0),  # DEL and C1 controls
    (0x00A0, 0x024F, 1.5),  # Latin-1 and Latin Extended: names, pinyin, loanwords
    (0x0250, 0x036F, -1.0),  # IPA, spacing and combining marks
    (0x0370, 0x052F, -0.5),  # Greek, Cyrillic
    (0x0530, 0x1FFF, -1.0),  # other alphabets
    (0x2000, 0x2BFF, 0.5),  # punctuation, symbols, arrows, shapes
    (0x2E80, 0x2FFF, -1.0),  # radicals
    (0x3000, 0x303F, 0.0),  # CJK punctuation
    (0x3040, 0x30FF, -1.5),  # kana: in Chinese text mostly as mojibake
    (0x3100, 0x31BF, -1.0),  # bopomofo
    (0x3400, 0x4DBF, -2.0),  # Extension A
    (0x4E00, 0x9FFF, 0.0),  # unified ideographs
    (0xAC00, 0xD7AF, -1.5),  # Hangul
    (0xD800, 0xDFFF, -12.0),  # surrogates
    (0xE000, 0xF8FF, -6.0),  # private use: user-defined GBK/Big5 codes
    (0xF900, 0xFAFF, -2.0),  # compatibility ideographs
    (0xFE30, 0xFE4F, -0.5),  # vertical forms
    (0xFF00, 0xFFEF, 0.0),  # full- and halfwidth forms
    (0xFFFD, 0xFFFD, 1.0),  # replacement character: damage, but text
    (0x20000, 0x3FFFF, -3.0),  # Extensions B and later
)


def _load() -> dict[str, float]:
    global _table, _floor_han, _traditional_only, _simplified_only
    with _lock:
        if _table is None:
            counts: dict[str, int] = {}
            finals: dict[str, int] = {}
            traditional, simplified = set(), set()
            total = lines = 0
            for line in data_files.read_text("charfreq.tsv").splitlines():
                if line.startswith("# total\t"):
                    total = int(line.split("\t")[1])
                elif line.startswith("# lines\t"):
                    lines = int(line.split("\t")[1])
                elif line and not line.startswith("#"):
                    code, simp, trad, final = (
                        int(field, 16 if i == 0 else 10) for i, field in enumerate(line.split("\t"))
                    )
                    c = chr(code)
                    counts[c] = max(simp, trad)
                    if final:
                        finals[c] = final
                    if not _votes(c):
                        continue  # punctuation: 「」 is a convention of the table, not script
                    if simp * _SCRIPT_RATIO < trad:  # 發: a few in Simplified text, as names
                        traditional.add(c)
                    elif trad * _SCRIPT_RATIO < simp:
                        simplified.add(c)
            log_total = math.log(total)
            _floor_han = math.log(0.5) - log_total
            _traditional_only = frozenset(traditional)
            _simplified_only = frozenset(simplified)
            _final.update({c: math.log(n / lines) for c, n in finals.items()})
            table = {c: math.log(n) - log_total for c, n in counts.items()}
            for c in _cjk_punctuation():
                table[c] = max(table.get(c, -math.inf), PUNCTUATION_FLOOR)
            _table = table
    return _table


def _votes(c: str) -> bool:
    """Whether ``c`` may say which script a text is in: Han characters only."""
    return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" or c >= "\U00020000"


#: The least log-probability of CJK punctuation and numbering that Big5 or GBK encodes
#: (``｜ ﹐ ︰ 「 」 ﹏ ⑥``): Taiwan and Hong Kong text writes it all the time, the mainland news and reviews
#: the table counts hardly ever, so the table alone would call it rare. -11.5 sits among
#: the punctuation the table did see (``『`` -8.7, ``「`` -13.1 before this floor).
PUNCTUATION_FLOOR = -11.5
_PUNCTUATION_BLOCKS = (
    (0x2010, 0x2027),  # dashes, quotes, ellipsis (GBK's ―, Big5's ‧)
    (0x2160, 0x217F),  # Roman numerals (Ⅱ), and below circled and bracketed numbers (⑥ ⑴ ⒈)
    (0x2460, 0x249B),
    (0x3000, 0x303F),
    (0xFE10, 0xFE1F),
    (0xFE30, 0xFE6F),
    (0xFF01, 0xFF65),
)


def _cjk_punctuation() -> list[str]:
    out = []
    for first, last in _PUNCTUATION_BLOCKS:
        for code in range(first, last + 1):
            c = chr(code)
            if not unicodedata.category(c).startswith(("P", "Z", "S", "No", "Nl")):
                continue
            for codec in ("big5", "gbk"):
                try:
                    c.encode(codec)
                except UnicodeEncodeError:
                    continue
                out.append(c)
                break
    return out


def _floor(c: str) -> float:
    code = ord(c)
    for first, last, offset in _FLOORS:
        if first <= code <= last:
            return _floor_han + offset
    if unicodedata.category(c) in ("Cn", "Co", "Cs", "Cc"):
        return _floor_han - 9.0
    return _floor_han - 1.0


def log_prob(c: str) -> float:
    """Natural-log probability of one character in Chinese text."""
    table = _table if _table is not None else _load()
    value = table.get(c)
    if value is None:
        value = table[c] = _floor(c)  # remember: each unseen character is looked up once
    return value


def log_prob_final(c: str) -> float:
    """Log-probability of ``c`` as the last character of a line.

    A lost final byte is most often the end of a sentence: ``。！？）`` rather than the
    ``，`` that is likelier anywhere else.
    """
    if _table is None:
        _load()
    value = _final.get(c)
    return value if value is not None else log_prob(c) - 3.0


def score(text: str) -> float:
    """Log-probability of ``text`` as a sequence of independent characters."""
    table = _table if _table is not None else _load()
    total = 0.0
    get = table.get
    for c in text:
        value = get(c)
        total += value if value is not None else log_prob(c)
    return total


def score_non_ascii(text: str) -> float:
    """Like ``score`` but over non-ASCII characters only.

    Mojibake repair compares a garbled span with its repair; ASCII that both share (or
    that a multi-byte character swallowed) says nothing about which is Chinese.
    """
    return score("".join(c for c in text if c >= "\x80"))


_pairs_lock = threading.Lock()
_pairs: dict[str, int] | None = None
_to_simplified: dict[str, str] = {}
_counts: dict[str, float] = {}
_PAIR_PRIOR = 100.0  # pseudo-count of the unigram prior behind each pair estimate


def _load_pairs() -> dict[str, int]:
    global _pairs
    with _pairs_lock:
        if _pairs is None:
            import gzip

            section = ""
            pairs: dict[str, int] = {}
            for line in (
                gzip.decompress(data_files.read_bytes("charpairs.tsv.gz"))
                .decode("utf-8")
                .splitlines()
            ):
                if line.startswith("@"):
                    section = line
                elif line and not line.startswith("#"):
                    if section == "@map":
                        _to_simplified[line[0]] = line[1]
                    else:
                        pair, count = line.split("\t")
                        pairs[pair] = int(count)
            _pairs = pairs
    return _pairs


_map_loaded = False


def _load_map() -> None:
    """The ``@map`` section of the pair table alone, read up to ``@pairs``: the map to
    Simplified without the time it takes to read every pair."""
    global _map_loaded
    import gzip
    import io

    with _pairs_lock:
        if _map_loaded or _pairs is not None:
            return
        raw = io.BytesIO(data_files.read_bytes("charpairs.tsv.gz"))
        with gzip.open(raw, "rt", encoding="utf-8") as lines:
            section = ""
            for line in lines:
                if line.startswith("@"):
                    if section == "@map":
                        break
                    section = line.strip()
                elif section == "@map" and line.strip() and not line.startswith("#"):
                    _to_simplified[line[0]] = line[1]
        _map_loaded = True


def pair_bonus(a: str, b: str) -> float:
    """``log P(b | a) - log P(b)``: how much likelier ``b`` is right after ``a``.

    Pairs are counted in Simplified form (Traditional text folds onto them) and only
    outside ASCII; a pair the table lacks is backed off to the unigram, so the bonus is
    negative after a common character and near zero after a rare one.
    """
    if a < "\u3000" or b < "\u3000":
        return 0.0
    pairs = _pairs if _pairs is not None else _load_pairs()
    a = _to_simplified.get(a, a)
    b = _to_simplified.get(b, b)
    prior = math.exp(log_prob(b))
    context = _counts.get(a)
    if context is None:
        context = _counts[a] = math.exp(log_prob(a) - _floor_han) / 2  # back to a count
    p = (pairs.get(a + b, 0) + _PAIR_PRIOR * prior) / (context + _PAIR_PRIOR)
    return math.log(p) - math.log(prior)


def log_prob_either_script(c: str) -> float:
    """``log_prob`` of ``c`` or of its Simplified form, whichever is larger.

    The table counts Traditional text made character by character from Simplified, so a
    Traditional character that only a word-level conversion writes (週 for 周 in 一週)
    looks rare though Taiwan writes it daily: folded onto 周 it gets 周's frequency.
    """
    if _pairs is None and not _map_loaded:
        _load_map()
    folded = _to_simplified.get(c)
    value = log_prob(c)
    return value if folded is None else max(value, log_prob(folded))


def score_pairs(text: str) -> float:
    """``score`` plus the pair bonus of each two adjacent characters: a bigram model."""
    return score(text) + sum(pair_bonus(a, b) for a, b in pairwise(text))


def mean_score(text: str) -> float:
    """Average log-probability per character (``-inf`` for the empty string)."""
    return score(text) / len(text) if text else -math.inf


def script_votes(text: str) -> tuple[int, int]:
    """(Simplified-only, Traditional-only) characters in ``text``: which script it is in."""
    if _table is None:
        _load()
    simplified = sum(1 for c in text if c in _simplified_only)
    traditional = sum(1 for c in text if c in _traditional_only)
    return simplified, traditional


def common_characters(min_log_prob: float) -> list[str]:
    """The characters of the table at least this likely (``log_prob(c) >= min_log_prob``).

    Lets a stage precompute, once, which byte patterns can lead to a plausible reading.
    """
    table = _table if _table is not None else _load()
    return [c for c, v in list(table.items()) if v >= min_log_prob]


def pair_seen(a: str, b: str) -> bool:
    """Whether the pair table attests ``b`` right after ``a`` (in Simplified form)."""
    pairs = _pairs if _pairs is not None else _load_pairs()
    return _to_simplified.get(a, a) + _to_simplified.get(b, b) in pairs
