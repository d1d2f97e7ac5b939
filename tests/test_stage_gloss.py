"""The gloss stage removes a (pinyin) gloss only when it reads the character before it."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stage_contract import idempotent, transform_equals_edits

from normtext import Options
from normtext.stages.gloss import GlossStage, parse_syllable


def run(text: str, **options) -> str:
    return GlossStage(Options(**options)).transform(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("發(fā)布", "發布"),
        ("網(wǎng)站", "網站"),
        ("發(fa1)布", "發布"),
        ("發(fa)布", "發布"),
        ("發（fā）布", "發布"),
        ("綠(lǜ)色", "綠色"),
        ("綠(lv4)色", "綠色"),
        ("綠(lu:4)色", "綠色"),
        ("原創(chuàng)品牌", "原創品牌"),
        ("发布(fā bù)时间", "发布时间"),
        ("发布(fa1bu4)时间", "发布时间"),
        ("發(Fā)布", "發布"),
    ],
)
def test_gloss_removed_when_it_reads_the_character(text, expected):
    assert run(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "总部(廣州)",
        "型智能(IC)卡",
        "成立(1997)年",
        "病毒(COVID-19)",
        "他(a)说",
        "發(fǎ)布",  # a tone that is not a reading of 發
        "發(wang)布",
        "发布(fā)",  # one syllable after two characters: reads 布? no
        "abc(fa)",
        "（fā）开头",
    ],
)
def test_gloss_kept_when_reading_does_not_match(text):
    assert run(text) == text


def test_teaching_text_keeps_its_glosses_unless_asked():
    teaching = "蜜(mì)蜂(fēng)采(cǎi)蜜(mì)。"
    assert run(teaching) == teaching
    assert run(teaching, gloss="all") == "蜜蜂采蜜。"


def test_sparse_glosses_in_a_long_line_are_removed():
    line = "新華社《學習進行時》原創(chuàng)品牌欄目“講習所”推出文章,為您解讀,。"
    assert run(line) == line.replace("(chuàng)", "")


@pytest.mark.parametrize(
    ("syllable", "parsed"),
    [
        ("fā", ("fa", 1)),
        ("lǜ", ("lv", 4)),
        ("nv3", ("nv", 3)),
        ("de5", ("de", 5)),
        ("de0", ("de", 5)),
        ("ma", ("ma", None)),
    ],
)
def test_syllables_parse_to_letters_and_tone(syllable, parsed):
    assert parse_syllable(syllable) == parsed


@pytest.mark.parametrize("syllable", ["IC-", "1997", "fā2", "ab:c", "x y"])
def test_non_pinyin_is_not_a_syllable(syllable):
    assert parse_syllable(syllable) is None


glossy_text = st.text(alphabet=st.sampled_from(list("發布網蜜蜂a(fā)（）wǎng 1\n")), max_size=60)
test_transform_equals_applying_edits = transform_equals_edits(GlossStage(Options()), glossy_text)
test_idempotent = idempotent(GlossStage(Options()), glossy_text)


def test_parentheses_flood_finishes():
    text = "發(" * 200_000 + "發(fā" * 50_000
    assert run(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("發(fā)(fā)布", "發布"),
        ("發(fa1)（fā）布", "發布"),
        ("解發(fā)(fā)%", "解發%"),
        ("發(fā)(xué)布", "發(xué)布"),  # the chain stops at the first gloss that does not read
    ],
)
def test_a_chain_of_glosses_goes_in_one_pass(text, expected):
    assert run(text) == expected
    assert run(run(text)) == run(text)


def test_gloss_picking_a_polyphones_other_reading_is_data():
    # 行 reads xíng first; háng is chosen on purpose, so the line is about readings.
    assert run("行(xíng)走和银行(háng)") == "行(xíng)走和银行(háng)"
    assert run("行(xíng)走和银行(háng)", gloss="all") == "行走和银行"


def test_gloss_judged_over_the_characters_family():
    # tw2s turns 著 into 着, whose first reading is zhe: judged the same before and after.
    assert run("盯著(zhe)") == "盯著"
    assert run("盯着(zhe)") == "盯着"


@pytest.mark.parametrize("end", ["\n", "\r", "\r\n"])
def test_teaching_lines_found_with_any_line_end(end):
    teaching = "蜜(mì)蜂(fēng)采(cǎi)蜜(mì)。"
    spun = "發(fā)布時間很長的一段新聞正文"
    text = end.join([spun, teaching, spun])
    assert run(text) == end.join(
        ["發布時間很長的一段新聞正文", teaching, "發布時間很長的一段新聞正文"]
    )


# -- the vectorised candidate scan -------------------------------------------------------------


def test_the_openers_table_is_what_syllables_may_begin_with() -> None:
    # an inside left out by its first character is one ``_syllables`` rejects
    from normtext.stages.gloss import _SEPARATORS, _SYLLABLE, _syllable_openers

    table = _syllable_openers()
    for code in range(0x110000):
        char = chr(code)
        may = (
            char.isspace()
            or _SEPARATORS.fullmatch(char) is not None
            or _SYLLABLE.match(char) is not None
        )
        assert bool(table[min(code, len(table) - 1)]) == may, hex(code)


@given(
    st.lists(
        st.text(alphabet=st.sampled_from("fāa1中 \U00020000"), min_size=1, max_size=9),
        min_size=1,
        max_size=30,
    )
)
def test_insides_are_told_apart_as_strings_are(insides: list[str]) -> None:
    import numpy as np

    from normtext.chars.script import code_points
    from normtext.stages.gloss import _distinct_insides

    text = "".join(f"字({inside})" for inside in insides)
    starts = np.array([m.start() for m in re.finditer(r"\(", text)])
    ends = np.array([m.end() for m in re.finditer(r"\)", text)])
    ids, distinct = _distinct_insides(code_points(text), starts, ends)
    assert [distinct[k] for k in ids.tolist()] == insides
    assert len(distinct) == len(set(insides))
