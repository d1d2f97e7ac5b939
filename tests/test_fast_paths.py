"""Every shortcut taken for speed gives what the full path gives: each is a proof that work
can be skipped, so switching it off must change no result."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from normtext.stages import mojibake

MARKS = "“”—…·’‘–•"
CONTEXTS = ["", "中国人民", "The quick brown", "発表する", "ÀÉ", "1998", "“好”"]


@given(
    run=st.text(alphabet=MARKS, min_size=1, max_size=9),
    before=st.sampled_from(CONTEXTS),
    after=st.sampled_from(CONTEXTS),
    chinese=st.booleans(),
)
def test_runs_of_inert_marks_hold_no_repair_on_the_full_path(
    run: str, before: str, after: str, chinese: bool
) -> None:
    text = before + run + after
    start, end = len(before), len(before) + len(run)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mojibake, "_inert_marks", lambda: frozenset())
        full = mojibake._latin_repairs(text, start, end, chinese)
    assert full == mojibake._latin_repairs(text, start, end, chinese) == []


def test_the_inert_marks_are_the_dashes_and_quotes_of_chinese_text() -> None:
    # the marks news writes in runs; a mark that could start a repair would be left out
    assert set("—“”…") <= mojibake._inert_marks()
    assert not mojibake._inert_marks() & set("°±©¥")


def _utf8_starts(text: str, codec: str, found: Iterable[int]) -> list[int]:
    return [p for p in found if mojibake._utf8_start(text, p, codec)]


@pytest.mark.parametrize("codec", ["gb18030", "big5"])
@pytest.mark.parametrize("invisible", ["", "\u200b"])
def test_utf8_starts_are_found_the_same_way_in_long_and_short_texts(
    codec: str, invisible: str
) -> None:
    big5 = "發布時間，繁體中文".encode().decode("big5", errors="replace")
    text = ("发布时间鍙戝竷鏃堕棿：2020年 於今鍙\ufffd戝 ¤¤¤å。隊的鞏固" + big5) * 300 + invisible
    pattern = mojibake._tables().start[codec]
    expected = _utf8_starts(text, codec, (m.start() for m in pattern.finditer(text)))
    assert expected
    assert _utf8_starts(text, codec, mojibake._start_matches(text, codec)) == expected


@pytest.mark.parametrize("codec", ["gb18030", "big5"])
def test_utf8_starts_agree_on_random_runs_of_the_characters_they_begin_with(codec: str) -> None:
    import random

    import numpy as np

    marked = np.flatnonzero(np.asarray(mojibake._start_table()) & 15).tolist()
    rng = random.Random(7)
    alphabet = [chr(c) for c in rng.sample(marked, 400)] + list("的一是?\ufffd，a1 ")
    text = "".join(rng.choice(alphabet) for _ in range(20000))
    pattern = mojibake._tables().start[codec]
    expected = _utf8_starts(text, codec, (m.start() for m in pattern.finditer(text)))
    assert len(expected) > 10
    assert _utf8_starts(text, codec, mojibake._start_matches(text, codec)) == expected


def test_variant_words_are_found_the_same_way_in_long_and_short_texts() -> None:
    from normtext.chars import script

    variants = sorted(script._variant_table())
    text = "".join(f"他的{v}力，{v[:-1]}。" for v in variants) * 40
    expected = [m.span() for m in script._variant_pattern().finditer(text)]
    assert len(expected) >= len(variants)
    assert [m.span() for m in script._variant_matches(text)] == expected


def test_the_fallback_table_is_the_fallback_class() -> None:
    table = mojibake._fallback_table()
    expected = [c for c in range(0x10000) if mojibake._GATE_FALLBACK.match(chr(c))]
    assert table.nonzero()[0].tolist() == expected  # type: ignore[attr-defined]
    text = "中文" * 3000
    assert not mojibake._has_fallback(text)
    assert mojibake._has_fallback(text + "\u200b")


@given(st.lists(st.integers(0, 5999), min_size=1, max_size=40, unique=True))
def test_han_is_near_the_same_way_in_windows_and_over_the_text(at: list[int]) -> None:
    import numpy as np

    from normtext.chars.script import code_points

    text = ("abc " * 100 + "中" + "xyz" * 200) * 8
    cp = code_points(text[:6000])
    where = np.array(sorted(at))
    expected = [mojibake._near_han(text[:6000], p, p) for p in where.tolist()]
    assert np.asarray(mojibake._han_near(cp, where)).tolist() == expected


@pytest.mark.parametrize(
    "extra", ["", "\u00a0", "\u2f08", "\x0c", "\u200d", "\U0002a6b2", "\u3000"]
)
def test_unicode_triggers_are_found_the_same_way_in_long_and_short_texts(extra: str) -> None:
    from normtext.stages import unicode

    text = "中文，English 123。" * 400 + extra
    assert unicode._has_trigger(text) == (unicode._TRIGGER.search(text) is not None)
    assert unicode._has_trigger(text) == unicode._has_trigger(text[-60:])


def test_marks_widened_on_some_lines_are_those_the_whole_text_widens_there() -> None:
    from pathlib import Path

    from normtext.chars.classes import line_bounds
    from normtext.chars.context import widened_marks, widened_on_lines

    corpus = Path(__file__).parents[1] / "corpus"
    text = "".join(
        (corpus / name / "input.txt").read_text(encoding="utf-8")
        for name in ("spun", "seed", "code_url", "western", "gloss_parens")
    )
    positions = list(range(0, len(text), 37))
    lines = {line_bounds(text, p) for p in positions}
    whole = widened_marks(text)
    expected = {p for p in whole if line_bounds(text, p) in lines}
    assert expected
    assert widened_on_lines(text, positions) == expected


def _gloss_rows(text: str) -> tuple[list[tuple[int, int, int]], list[bool]]:
    from normtext.stages.gloss import _candidates_vectorised

    rows, picks = _candidates_vectorised(text)
    return [tuple(r) for r in rows.tolist()], picks.tolist()


def _gloss_expected(text: str) -> tuple[list[tuple[int, int, int]], list[bool]]:
    from normtext.options import Options
    from normtext.stages.gloss import GlossStage

    found = GlossStage(Options())._candidates(text)
    return [c[:3] for c in found], [c[3] for c in found]


def test_glosses_are_found_the_same_way_in_long_texts_of_the_corpus() -> None:
    from pathlib import Path

    corpus = Path(__file__).parents[1] / "corpus"
    for name in ("seed", "spun", "gloss_parens", "glossed_teaching", "code_url"):
        text = (corpus / name / "input.txt").read_text(encoding="utf-8") * 20
        assert _gloss_rows(text) == _gloss_expected(text), name


GLOSS_PIECES = [
    "發(fā)",
    "發(fā)(fā)",
    "發(fa1)（fā）",
    "布(bù)",
    "銀行(háng)",
    "行(xíng)走",
    "(fā)",
    "a(fā)",
    "廣州(廣州)",
    "(IC)",
    "\n",
    "，",
    "蜜(mì)蜂(fēng)",
    "發布(fā bù)",
    "發((fā)",
    "發(fā",
    "𠀀(fā)",
    "（）",
]


@given(st.lists(st.sampled_from(GLOSS_PIECES), min_size=1, max_size=60))
def test_glosses_are_found_the_same_way_in_any_mix(pieces: list[str]) -> None:
    text = "".join(pieces) * (4200 // max(1, len("".join(pieces))) + 1)
    assert _gloss_rows(text) == _gloss_expected(text)


def test_han_points_are_han() -> None:
    import numpy as np

    from normtext.chars.classes import is_han
    from normtext.stages.gloss import _is_han_points

    points = np.arange(0x40000, dtype=np.uint32)
    expected = [is_han(chr(c)) for c in range(0x40000)]
    assert _is_han_points(points).tolist() == expected


@given(st.lists(st.booleans(), min_size=1, max_size=30))
def test_converted_stretches_are_kept_and_the_rest_restored(hits: list[bool]) -> None:
    import numpy as np

    from normtext.stages.script import Plan, _outside_kept

    text = "".join(f"句{k}。" for k in range(len(hits)))
    converted = text.replace("句", "换")
    ends = np.cumsum([len(f"句{k}。") for k in range(len(hits))])
    starts = np.concatenate(([0], ends[:-1]))
    hit = np.array(hits)
    plan = Plan(False, starts[hit], ends[hit], np.repeat(hit, ends - starts))
    expected = "".join(
        (converted if h else text)[s:e] for h, s, e in zip(hits, starts.tolist(), ends.tolist())
    )
    assert _outside_kept(text, converted, plan) == expected


@given(st.text(alphabet='“”＂"\n\r 中a', max_size=80))
def test_misfacing_lines_are_found_the_same_over_code_points(text: str) -> None:
    from normtext.chars import quotes

    assert quotes._misfacing_vectorised(text) == quotes._misfacing_scanned(text)
    long = text * (quotes._NUMPY_FROM // max(1, len(text)) + 1)
    assert quotes.misfacing_lines(long) == quotes._misfacing_scanned(long)


def test_the_rare_character_tables_hold_no_common_character() -> None:
    # ``chars.points.any_in`` asks a table of the uncommon characters only
    import numpy as np

    from normtext.chars.points import is_common
    from normtext.stages import unicode

    common = np.flatnonzero(is_common(np.arange(0x110000)))
    to_byte = np.asarray(mojibake._byte_lookup())
    for table in (
        unicode._trigger_table(),
        unicode._outside_junk_table(),
        np.asarray(mojibake._fallback_table()),
        to_byte >= 0x81,  # a high byte begins a pair (``mojibake._byte_pairs``)
    ):
        assert not table[np.minimum(common, len(table) - 1)].any()
        assert not table[-1]  # where code points past the table clip


GATE_PIECES = [
    "中国",
    "发布",
    "é",
    "ß^",
    "Ã©",
    "·",
    "１９",
    "Ａ",
    "e\u0301",
    "\x85",
    "™",
    " ",
    "\n",
    "ab",
]


def _byte_pairs_everywhere(text: str) -> tuple[list[int], list[int]]:
    """``mojibake._byte_pairs`` by its definition: every position, looked up."""
    lookup = mojibake._byte_lookup()
    byte = [int(lookup[min(ord(c), len(lookup) - 1)]) for c in text]
    at = [p for p in range(len(text) - 1) if byte[p] >= 0x81 and byte[p + 1] >= 0x30]
    return at, [byte[p] << 8 | byte[p + 1] for p in at]


@given(st.lists(st.sampled_from(GATE_PIECES), min_size=1, max_size=40))
def test_a_long_text_is_gated_as_a_short_one(pieces: list[str]) -> None:
    text = "".join(pieces)
    text *= mojibake._NUMPY_FROM // len(text) + 1
    at, keys = mojibake._byte_pairs(text, mojibake._byte_lookup())
    assert (at.tolist(), keys.tolist()) == _byte_pairs_everywhere(text)
    found = (mojibake._width_folded(text), mojibake._composed(text), mojibake._has_fallback(text))
    _assert_points_kept_right(found[0])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mojibake, "_NUMPY_FROM", len(text) + 1)
        assert found == (
            mojibake._width_folded(text),
            mojibake._composed(text),
            mojibake._has_fallback(text),
        )


def _assert_points_kept_right(text: str) -> None:
    """What ``chars.points`` holds for ``text`` (maybe handed over by a stage) is what it
    would compute afresh."""
    import numpy as np

    from normtext.chars import points

    kept_points, (kept_at, kept_codes) = points.code_points(text), points.uncommon(text)
    fresh = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    at = np.flatnonzero(~points.is_common(fresh))
    assert kept_points.tolist() == fresh.tolist()
    assert kept_at.tolist() == at.tolist()
    assert kept_codes.tolist() == fresh[at].tolist()


def _context_pieces() -> list[str]:
    from normtext.chars import script as hanzi

    words = sorted(hanzi._context_words()[0])
    return [*words[::40], "著", "着", "乾", "干", "於", "于", "名", "上", "。", "\n"]


@given(st.lists(st.sampled_from(_context_pieces()), min_size=1, max_size=30))
def test_positions_left_uncontested_keep_their_character(pieces: list[str]) -> None:
    from normtext.chars import script as hanzi

    text = "".join(pieces)
    for original in hanzi.CONTEXT_CHARS:
        # the character there now: what OpenCC wrote for the source's ``original``
        found = [p for p, c in enumerate(text) if c in (original, hanzi.CONTEXT_CHARS[original])]
        if not found:
            continue
        asked = hanzi.contested(text, found, original)
        for pos, flag in zip(found, asked.tolist()):
            if not flag:
                assert hanzi.context_choice(text, pos, original) in (None, text[pos])


@given(st.lists(st.sampled_from(["中", "a", " ", "——", "é", "\n"]), max_size=300), st.data())
def test_han_is_found_near_by_a_glance_as_by_the_whole_window(pieces: list[str], data) -> None:
    import numpy as np

    text = "".join(pieces) + "x" * data.draw(st.integers(0, 250))
    if not text:
        return
    points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    at = np.array(data.draw(st.lists(st.integers(0, len(text) - 1), max_size=20)), dtype=np.int64)
    expected = [mojibake._near_han(text, p, p) for p in at.tolist()]
    assert np.asarray(mojibake._han_near(points, at)).tolist() == expected
    assert mojibake._han_in_window(points, at).tolist() == expected


def test_the_changed_later_table_is_the_changed_later_class() -> None:
    table = mojibake._changed_later_table()
    expected = [c for c in range(0x10000) if mojibake._CHANGED_LATER.match(chr(c))]
    assert table.nonzero()[0].tolist() == expected  # type: ignore[attr-defined]
    assert not table[-1]  # type: ignore[index]


def test_the_latin_letter_table_is_the_latin_letter_test() -> None:
    table = mojibake._latin_letter_table()
    expected = [c for c in range(0x1000) if mojibake._is_latin_letter(chr(c))]
    assert table.nonzero()[0].tolist() == expected  # type: ignore[attr-defined]
    assert not table[-1]  # type: ignore[index]


SCAN_PIECES = [*GATE_PIECES, "\u200b", "\xa0", "\xad", "¡", "ÅÅ", "¬´", "·¢²¼", "ÄÖÜäöüß", "élé"]


@given(st.lists(st.sampled_from(SCAN_PIECES), min_size=1, max_size=40))
def test_a_long_text_is_scanned_as_by_the_loops(pieces: list[str]) -> None:
    """The scans of a long text over code points (the fallback characters, characters
    from U+3000 up, pairs standing apart or beside another, changed characters near many
    starts, runs) find what the loops and patterns they stand for find."""
    import numpy as np

    from normtext.stages import mojibake_scan

    text = "".join(pieces)
    text *= mojibake._NUMPY_FROM // len(text) + 1
    starts = mojibake._pair_starts(text, western=True)
    found = (
        mojibake._fallback_positions(text),
        mojibake._has_wide(text),
        starts,
        mojibake._pair_starts(text),
        mojibake._changed_near(text, starts),
        mojibake._latin_runs(text, western=True, starts=starts),
    )

    def one_by_one(cp: np.ndarray, at: np.ndarray) -> np.ndarray:
        return np.array([mojibake._stands_apart(text, int(p)) for p in at], dtype=bool)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mojibake, "_MANY_STARTS", len(text) + 1)
        patch.setattr(mojibake, "_stand_apart", one_by_one)
        patch.setattr(mojibake_scan, "among", np.isin)
        assert found == (
            [m.start() for m in mojibake._GATE_FALLBACK.finditer(text)],
            mojibake._WIDE.search(text) is not None,
            mojibake._pair_starts(text, western=True),
            mojibake._pair_starts(text),
            mojibake._changed_near(text, starts),
            _latin_runs_one_by_one(text, starts),
        )


def _latin_runs_one_by_one(text: str, starts: list[int]) -> list[tuple[int, int]]:
    """``mojibake._latin_runs`` by its definition: every start, each run grown a character
    at a time."""
    runs: list[tuple[int, int]] = []
    for p in starts:
        if runs and p < runs[-1][1]:
            continue
        floor = runs[-1][1] if runs else 0
        start, end = p, p + 1

        def grows(i: int) -> bool:
            return text[i] not in mojibake._WIDENED_MARKS and bool(
                mojibake._LATIN_RUN_CHAR.match(text, i)
            )

        while start > floor and grows(start - 1):
            start -= 1
        while end < len(text) and grows(end):
            end += 1
        pairs = mojibake._LATIN_PAIR.finditer(text, start, end)
        if any(not mojibake._inside_word(text, m.start()) for m in pairs):
            runs.append((start, end))
    return runs


@given(
    st.lists(st.integers(-3, 3), max_size=30),
    st.lists(st.integers(0, 6000), min_size=1, max_size=30),
)
def test_membership_among_positions_is_isin(shifts: list[int], at: list[int]) -> None:
    import numpy as np

    from normtext.stages.mojibake_scan import among

    candidates = np.unique(np.asarray(at))
    values = np.asarray([a + s for a, s in zip(at, shifts)], dtype=np.int64)
    assert among(values, candidates).tolist() == np.isin(values, candidates).tolist()


ACCENTED_PIECES = ["é", "É", "l", "L", "ments", "M", "'", "-", "ß", "à", "Ö", "g", "1", "·", "\xa0"]
ACCENTED_PIECES += ["ÅÅ", "Å", "¡", "«", "@", "ü", "s"]


@given(
    run=st.lists(st.sampled_from(ACCENTED_PIECES), min_size=1, max_size=12).map("".join),
    before=st.sampled_from(CONTEXTS + [" ", "d'", "5 "]),
    after=st.sampled_from(CONTEXTS + [" ", ".", " 3"]),
)
def test_accented_words_hold_no_repair_on_the_full_path(run: str, before: str, after: str) -> None:
    """``_accented_words`` is a proof: where it holds, the full reading finds nothing."""
    text = before + run + after
    start, end = len(before), len(before) + len(run)
    if not (
        mojibake._accented_words(text, start, end) or mojibake._repeated_signs(text, start, end)
    ):
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(mojibake, "_accented_words", lambda text, start, end: False)
        patch.setattr(mojibake, "_repeated_signs", lambda text, start, end: False)
        assert mojibake._latin_repairs(text, start, end, False) == []


def test_accented_words_are_the_european_words_of_runs() -> None:
    for word in ("éléments", "L'élément", "ég", "Élément", "ÉLÉMENT", "mot-clé"):
        assert mojibake._accented_words(word, 0, len(word))
    for run in ("éé", "é1", "ÉlÉment", "supprimé\xa0", "¿número", "Größe", "é_a", "·¢²¼"):
        assert not mojibake._accented_words(run, 0, len(run))
    for run in ("ÅÅÅÅ-MM-DD", "ÖÖ", "¡-¡¡", "ØØ."):
        assert mojibake._repeated_signs(run, 0, len(run))
    for run in ("ÅÅÅÅMM", "ÅÖ", "Å1Å1", "¬´", "éa"):
        assert not mojibake._repeated_signs(run, 0, len(run))


def test_the_rest_of_a_run_is_matched_as_the_loop_grows_it() -> None:
    rest = mojibake._run_rest()
    for c in map(chr, range(0x10000)):
        grows = c not in mojibake._WIDENED_MARKS and bool(mojibake._LATIN_RUN_CHAR.match(c))
        assert (rest.match(c).end() == 1) == grows, hex(ord(c))  # type: ignore[union-attr]
