"""The punctuation stage: spurious commas before real marks go, legitimate marks stay."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stage_contract import idempotent, keeps_nfc, transform_equals_edits
from strategies import any_text, clean_news, damaged_text

from normtext import Options
from normtext.chars.classes import is_han
from normtext.chars.script import code_points
from normtext.stages import punctuation as punctuation_module
from normtext.stages.punctuation import PunctuationStage
from normtext.text import Edit, apply_edits

STAGE = PunctuationStage(Options())
SEED = Path(__file__).resolve().parents[1] / "corpus" / "seed" / "input.txt"


def run(text: str) -> str:
    return STAGE.transform(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # From the seed: one spurious comma before a real one, a 、 or a 。
        ("關鍵階段,,2月12日,,習近平", "關鍵階段,2月12日,習近平"),
        ("發表重要講話強調,,要毫不放松", "發表重要講話強調,要毫不放松"),
        ("突出重點,、統籌兼顧", "突出重點、統籌兼顧"),
        ("為您解讀,。", "為您解讀。"),
        ("收治能力,;要嚴格", "收治能力;要嚴格"),
        ("顯得尤為重要,?!巴", "顯得尤為重要?!巴"),
        ("階段”,,會上", "階段”,會上"),
        ("分區施策”,。", "分區施策”。"),
        # Full-width forms and longer runs
        ("好，，坏", "好，坏"),
        ("好,，坏", "好，坏"),
        ("好,,,,坏", "好,坏"),
        ("好，。", "好。"),
        ("好,：坏", "好：坏"),
        ("好,！", "好！"),
        ("仪、邹家华，、杨尚昆", "仪、邹家华、杨尚昆"),  # a real typo in People's Daily, 1998
    ],
)
def test_spurious_commas_are_dropped(text, expected):
    assert run(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "他说……好",
        "啊——对",
        "好！！",
        "真的？！",
        "太好了!!",
        "“好，”他说，“走吧。”",  # a comma before a closing quote is correct
        "他说,“你好”",  # and before an opening one
        "（如苹果,）",
        "1,,000",  # digits on both sides: not Chinese context
        "Wait,,what?!",
        "a,,b,;c,.d",
        "x = [1,,2]  # 列表",
        "见 http://x.cn/a,,b,;c 页",
        "print(f(a,,b))  # 中文",
        'foo("中文",,"字")',
    ],
)
def test_legitimate_marks_and_non_chinese_context_are_kept(text):
    assert run(text) == text


def test_seed_loses_every_spurious_comma():
    text = SEED.read_text(encoding="utf-8")
    out = run(text)
    for bad in (",,", ",、", ",。", ",;", ",?"):
        assert bad not in out
    # Every comma in the seed that stands before another mark is spurious (all of them are
    # in Chinese context), and nothing else goes.
    spurious = len(re.findall(r",(?=[,、。;?])", text))
    assert spurious > 100
    assert out.count(",") == text.count(",") - spurious
    assert [c for c in out if is_han(c)] == [c for c in text if is_han(c)]


# -- properties ------------------------------------------------------------------------------

commas = st.lists(
    st.sampled_from(list("中文好,，,、。；;：:？?！!”“ a1\n") + ["……", "——", "1,000"]), max_size=30
).map("".join)
some_text = st.one_of(commas, damaged_text, any_text)


test_transform_equals_applying_edits = transform_equals_edits(STAGE, some_text)


test_nfc_text_stays_nfc = keeps_nfc(STAGE, some_text)


test_idempotent = idempotent(STAGE, some_text)


@given(some_text)
def test_only_commas_are_removed(text):
    out = run(text)
    assert out.replace(",", "").replace("，", "") == text.replace(",", "").replace("，", "")


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_ascii_text_is_unchanged(text):
    assert run(text) == text


def test_clean_news_is_unchanged():
    text = "\n".join(clean_news())
    assert STAGE.edits(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "," * 1_000_000,
        "中" + "," * 1_000_000,
        "，" * 350_000 + "。",
        "中,a" * 300_000,
        "。" * 350_000 + ",,中",
        "中,,。" * 200_000,
    ],
    ids=["commas", "han-commas", "fullwidth", "alternating", "marks", "damage"],
)
def test_long_runs_finish(text):
    assert len(run(text)) <= len(text)


# -- the vectorised path ---------------------------------------------------------------------

# Texts of several lines that mix what the rules look at: comma runs of both widths before
# every kind of mark, quotes, URLs, emoticons, code.
tricky = st.lists(
    st.sampled_from(
        list(",，,，、。；;：:？?！!”“’‘ 中文好a1\n\r（）()\"'=/@\\-DP.")
        + ["……", "——", "1,000", "http://a.b/c,,d", "www.x", ":-)", ":(", 'f("', "x='", "a@b.cn"]
        + ["\U00020000", "\u3000"]
    ),
    max_size=40,
).map("".join)
several_lines = st.lists(st.one_of(some_text, tricky), min_size=1, max_size=6).map("\n".join)


@given(st.one_of(tricky, several_lines), st.sampled_from([0, 64]))
def test_vectorised_rules_match_the_per_line_rules(text, few):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(punctuation_module, "_FEW", few)  # 0: every run through the scan
        starts, ends = punctuation_module._spurious_vectorised(text, code_points(text))
    vectorised = [Edit(s, e, "") for s, e in zip(starts.tolist(), ends.tolist())]
    assert vectorised == punctuation_module._edits(text)


@given(st.one_of(tricky, several_lines))
def test_short_texts_through_the_vectorised_path_give_the_same_result(text):
    expected = apply_edits(text, punctuation_module._edits(text))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(punctuation_module, "_VECTOR_MIN", 0)
        patch.setattr(punctuation_module, "_FEW", 0)
        assert STAGE.transform(text) == expected
        assert apply_edits(text, STAGE.edits(text)) == expected
