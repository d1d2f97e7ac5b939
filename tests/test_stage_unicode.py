"""The unicode stage: NFC, radicals to ideographs, invisible junk out, odd spaces plain."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stage_contract import idempotent, transform_equals_edits
from strategies import any_text, clean_news, damaged_text

from normtext import Options
from normtext.chars.classes import is_han
from normtext.stages.unicode import _NFC_UNSAFE_RUN, _SUPPLEMENT, RADICALS, UnicodeStage

STAGE = UnicodeStage(Options())


def run(text: str) -> str:
    return STAGE.transform(text)


# -- examples --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("⼈⺠⽇报", "人民日报"),  # Kangxi ⼈ ⽇ and supplement ⺠ from a PDF text layer
        ("⻓江⼤桥，⻔⼝", "长江大桥，门口"),
        ("⻛⻜⻢⻥⻦", "风飞马鱼鸟"),
        ("⺟亲", "母亲"),  # U+2E9F, one of the two supplement radicals with a decomposition
    ],
)
def test_radicals_become_the_ideographs_they_stand_for(text, expected):
    assert run(text) == expected


def test_cjk_radical_repeat_has_no_ideograph_and_stays():
    assert run("\u2e80") == "\u2e80"


def test_compatibility_ideograph_is_unified_and_reported():
    text = "\uf98e年"  # U+F98E, a compatibility ideograph for 年
    edits = STAGE.edits(text)
    assert [(e.start, e.end, e.replacement) for e in edits] == [(0, 1, "年")]
    assert run(text) == "年年"


def test_unified_ideographs_in_the_compatibility_block_stay():
    # U+FA0E 﨎 and friends are real unified ideographs without a decomposition.
    assert run("\ufa0e\ufa0f\ufa11") == "\ufa0e\ufa0f\ufa11"


def test_nfc_composes_combining_marks():
    assert run("cafe\u0301 e\u0301") == "café é"


def test_nfc_sees_through_a_removed_zero_width_space():
    # Removing the ZWSP lets the accent reach its letter; a second run must find nothing.
    out = run("e\u200b\u0301")
    assert out == "é"
    assert run(out) == out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\ufeff中文", "中文"),
        ("中\ufeff文", "中文"),
        ("中\u200b文", "中文"),
        ("中\u2060文", "中文"),
        ("中\u00ad文", "中文"),
        ("中\u200d文", "中文"),
        ("中\u200c文", "中文"),
        ("中\x00文\x08\x1b[0m", "中文[0m"),
        ("中\x7f文\x85\x96", "中文"),
        ("a\tb\nc", "a\tb\nc"),
    ],
)
def test_invisible_characters_and_controls_are_removed(text, expected):
    assert run(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "👨\u200d👩\u200d👧",  # family
        "👩🏽\u200d💻",  # skin tone, then ZWJ
        "❤\ufe0f\u200d🔥",  # variation selector, then ZWJ
        "क्\u200dष",  # Devanagari half form
        "می\u200cخواهم",  # Persian ZWNJ between letters
    ],
)
def test_joiners_doing_real_work_are_kept(text):
    assert run(text) == text


@pytest.mark.parametrize("text", ["葛\U000e0100城", "❤\ufe0f", "邊\U000e0101"])
def test_variation_selectors_are_kept(text):
    assert run(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("熊猫\xa0100HZ", "熊猫 100HZ"),
        ("北京的\u2003CDMA", "北京的 CDMA"),
        ("a\u2009b\u202fc\u205fd", "a b c d"),
        ("开发\u3000及测试", "开发 及测试"),
        ("\u3000\u3000目前，北京", "\u3000\u3000目前，北京"),  # indentation stays
        ("甲\n\u3000\u3000乙\u3000丙", "甲\n\u3000\u3000乙 丙"),
        ("\ufeff\u3000\u3000正文", "\u3000\u3000正文"),  # a BOM does not end the indentation
    ],
)
def test_odd_spaces_become_plain_spaces(text, expected):
    assert run(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一\r\n二\r\n", "一\r\n二\r\n"),  # a CRLF text keeps CRLF
        ("一\r二\r", "一\r二\r"),  # old Mac line ends
        ("一\n二\n", "一\n二\n"),
        ("一\n二\r\n三\n", "一\n二\n三\n"),  # one stray CR in an LF text
        ("一\r\r\n二\n", "一\n二\n"),
        ("一\r\n二\f三\r\n", "一\n二\n三\n"),  # the form feed makes the text mixed
    ],
)
def test_line_endings_kept_unless_mixed(text, expected):
    assert run(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("一页\f二页", "一页\n二页"), ("一页\n\f二页", "一页\n二页"), ("甲\v乙", "甲\n乙")],
)
def test_form_feed_separates_lines_without_adding_blank_ones(text, expected):
    assert run(text) == expected


# -- the data behind the mappings --------------------------------------------------------------


def test_every_kangxi_radical_maps_to_a_unified_ideograph():
    kangxi = {cp: RADICALS[cp] for cp in range(0x2F00, 0x2FD6)}
    assert len(kangxi) == 214
    for cp, target in kangxi.items():
        assert unicodedata.name(chr(target)).startswith("CJK UNIFIED IDEOGRAPH"), hex(cp)


def test_supplement_table_targets_are_unified_ideographs():
    assert set(_SUPPLEMENT) == set(range(0x2E81, 0x2EF4)) - {0x2E9A}
    for cp, target in _SUPPLEMENT.items():
        assert unicodedata.name(chr(cp)).startswith("CJK RADICAL"), hex(cp)
        assert unicodedata.name(chr(target)).startswith("CJK UNIFIED IDEOGRAPH"), hex(cp)


def test_supplement_table_agrees_with_the_decompositions_unicode_gives():
    for cp in range(0x2E80, 0x2EF4):
        decomposition = unicodedata.decomposition(chr(cp))
        if decomposition:
            assert int(decomposition.split()[1], 16) == _SUPPLEMENT[cp]


def test_nfc_safe_characters_never_compose_with_a_neighbour():
    # The stage applies NFC only to stretches between these characters; check that no
    # canonical composition or reordering can cross one of them.
    second = set()
    for cp in range(0x110000):
        d = unicodedata.decomposition(chr(cp))
        if d and not d.startswith("<") and len(d.split()) == 2:
            second.add(int(d.split()[1], 16))
    safe = [chr(c) for c in range(0x110000) if not _NFC_UNSAFE_RUN.match(chr(c))]
    assert len(safe) > 20000
    for ch in safe:
        assert unicodedata.combining(ch) == 0
        assert unicodedata.normalize("NFC", ch) == ch
        assert ord(ch) not in second


# -- properties ------------------------------------------------------------------------------

noisy = st.lists(
    st.sampled_from(
        list("中文民日\u3000\u00a0\u2003\u200b\u200c\u200d\ufeff\u00ad\x00\x85\r\n\f\t e")
        + ["\u0301", "\u0327", "\uf900", "\u2f08", "\u2ea0", "👨", "\ufe0f", "\U000e0100"]
    ),
    max_size=30,
).map("".join)
some_text = st.one_of(any_text, noisy, damaged_text)


test_transform_equals_applying_edits = transform_equals_edits(STAGE, some_text)


test_idempotent = idempotent(STAGE, some_text)


@given(some_text)
def test_nothing_left_to_edit_after_one_pass(text):
    assert STAGE.edits(run(text)) == []


@given(some_text)
def test_output_is_nfc(text):
    assert unicodedata.is_normalized("NFC", run(text))


@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.just("\n")))
def test_printable_ascii_is_unchanged(text):
    assert run(text) == text


clean_chars = st.text(
    alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
    | st.sampled_from(list("，。、“”：；？！（）《》—…abc123 \n")),
    max_size=60,
)


@given(clean_chars)
def test_clean_text_is_unchanged_and_keeps_every_han_character(text):
    assert run(text) == text


@given(noisy)
def test_han_characters_are_never_dropped(text):
    out = run(text)
    assert sum(map(is_han, out)) == sum(map(is_han, text)) + sum(
        1 for ch in text if 0x2E80 <= ord(ch) <= 0x2FDF and ord(ch) in RADICALS
    )


def test_clean_news_is_unchanged():
    text = "\n".join(clean_news())
    assert len(text) > 10000
    assert STAGE.edits(text) == []
    assert run(text) == text


# About 1 MB of UTF-8 each: every stage must stay linear on floods of what it handles.
@pytest.mark.parametrize(
    "text",
    [
        "\u200d" * 350_000,
        "中" + "\u3000" * 350_000 + "文",
        "中\u3000" * 175_000,
        "\x00" * 1_000_000,
        "e" + "\u0301" * 500_000,
        "\u200b\u200d" * 175_000,
        "\r\n\n" * 350_000,
        "\r" * 1_000_000 + "\r\n\n",
        " " * 1_000_000,
    ],
    ids=[
        "zwj",
        "ideographic-space",
        "han-space",
        "nul",
        "marks",
        "zw-mix",
        "crlf-mix",
        "crs",
        "spaces",
    ],
)
def test_long_runs_finish(text):
    assert len(run(text)) <= len(text)


# -- outside Chinese stretches: only invisible and broken characters ---------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\ufeffBonjour\u200b le\x07 monde\x85", "Bonjour le monde"),
        ("vrai\xa0! oui\u202f;", "vrai\xa0! oui\u202f;"),  # French spacing stays
        ("Silben\xadtrennung", "Silben\xadtrennung"),  # a hyphenation hint
        ("a\r\nb\nc\x0cd", "a\r\nb\nc\x0cd"),  # line ends and form feeds are layout
        ("낙원(\uf914園)", "낙원(\uf914園)"),  # no NFC: the compatibility ideograph stays
        ("⼈ and e\u0301", "⼈ and e\u0301"),  # no radicals folded, no NFC
        ("👨\u200d👩 می\u200cخواهم", "👨\u200d👩 می\u200cخواهم"),
        ("ภาษา\u200bไทย\u2060", "ภาษา\u200bไทย"),  # a word boundary in Thai stays
    ],
)
def test_outside_chinese_only_invisible_and_broken_characters_go(text, expected):
    from normtext.text import apply_edits

    stage = UnicodeStage(Options())
    assert apply_edits(text, stage.edits_outside_chinese(text)) == expected


def test_outside_junk_table_matches_the_outside_pattern():
    """The numpy fast check outside Chinese and the regex it stands for are one set."""
    from normtext.stages.unicode import _OUTSIDE_REMOVE, _outside_junk_table

    table = _outside_junk_table()
    for cp in range(0x10000):
        assert table[cp] == (_OUTSIDE_REMOVE.match(chr(cp)) is not None), hex(cp)
    assert not table[0x10000]  # where every higher code point clips to


@pytest.mark.parametrize(
    "junk", ["", "\u200b", "\u200b\u200b", "\x01\x7f\x85", "\ufeff", "\u200b\U0001f600\u200b"]
)
def test_junk_runs_are_found_the_same_way_in_long_and_short_texts(junk):
    """A long text's junk is found among its uncommon characters, a short one's by the
    pattern: the same spans, runs of neighbours joined."""
    from normtext.stages.unicode import _NUMPY_FROM, _OUTSIDE_REMOVE, _outside_junk_runs

    text = ("élément" + junk + " Größe\u200b" + junk + "x ") * (_NUMPY_FROM // 10)
    text = junk + text + junk
    assert _outside_junk_runs(text) == [m.span() for m in _OUTSIDE_REMOVE.finditer(text)]
