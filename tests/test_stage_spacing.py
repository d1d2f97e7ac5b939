"""The spacing stage: spaces Chinese text does not have go, deliberate spacing stays."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stage_contract import idempotent, keeps_nfc, transform_equals_edits
from strategies import any_text, clean_news, damaged_text

from normtext import Options
from normtext.stages.spacing import SpacingStage

STAGE = SpacingStage(Options())


def run(text: str) -> str:
    return STAGE.transform(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("在 十 五 大 精 神 指 引 下 胜 利 前 进 —— 元 旦", "在十五大精神指引下胜利前进——元旦"),
        ("我们即将 以丰收 的喜 悦", "我们即将以丰收的喜悦"),
        ("一年 。刚刚过去", "一年。刚刚过去"),
        ("这 一 年 ， 以 江 泽 民", "这一年，以江泽民"),
        ("房间！ 电梯内不许吸烟， 还是", "房间！电梯内不许吸烟，还是"),
        ("受害者！ （中国", "受害者！（中国"),
        ("3.2亿。 不到", "3.2亿。不到"),
        ("他说 “你好” 然后", "他说“你好”然后"),
        ("熊猫   100HZ", "熊猫 100HZ"),  # a run between Han and a digit collapses
        ("使用  Python  编程", "使用 Python 编程"),
        ("末尾有空格   ", "末尾有空格"),
        ("一行  \n二行 \r\n三行 ", "一行\n二行\r\n三行"),
    ],
)
def test_artefact_spaces_go(text, expected):
    assert run(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "发布时间：2020-02-14 浏览量： 来源：新华网",  # fields
        "使用 Python 编程",
        "共 3 个",
        "在线演示： http://jiebademo.ap01.aws.af.cm/",
        "先下载 https://pypi.python.org/pypi/jieba/ ，解压后运行",
        "library, 并有一个 fast prototyping 的 programming language 可",
        "-  支持三种分词模式：",
        "   -  精确模式，试图将句子最精确地切开",
        "1.  第一条",
        "    缩进的一行：中文",
        "\u3000\u3000目前，北京",
        "姓名\t年龄\t籍贯",  # tabs separate columns
        '    cuttest("境地。 ")',  # program code keeps its strings
        "English  text   with runs  ",  # no Han on the line
        "中文 abc  def",  # runs between Latin words stay
    ],
)
def test_deliberate_spacing_stays(text):
    assert run(text) == text


def test_english_lines_pass_through_next_to_chinese_ones():
    text = "Two  spaces here.  \n中 文\nand   there  "
    assert run(text) == "Two  spaces here.  \n中文\nand   there  "


# -- properties ------------------------------------------------------------------------------

spaced = st.lists(
    st.sampled_from(list("中文，。：“”—ab1  \u3000\t\n-") + ["\r\n", "http://x.cn/ ", '"'] * 2),
    max_size=30,
).map("".join)
some_text = st.one_of(spaced, damaged_text, any_text)


test_transform_equals_applying_edits = transform_equals_edits(STAGE, some_text)


test_nfc_text_stays_nfc = keeps_nfc(STAGE, some_text)


test_idempotent = idempotent(STAGE, some_text)


@given(some_text)
def test_only_spaces_change(text):
    out = run(text)
    assert out.replace(" ", "") == text.replace(" ", "")


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)))
def test_ascii_text_is_unchanged(text):
    assert run(text) == text


def test_clean_news_is_unchanged():
    text = "\n".join(clean_news())
    assert STAGE.edits(text) == []


@pytest.mark.parametrize(
    "text",
    [
        " " * 1_000_000,
        "中" + " " * 1_000_000 + "文",
        "中 " * 350_000,
        "a " * 500_000 + "中",
        "中" + " \t" * 500_000,
        ("中 文\n" * 200_000),
    ],
    ids=["spaces", "between-han", "han-space", "english", "tabs", "lines"],
)
def test_long_runs_finish(text):
    assert len(run(text)) <= len(text)


def test_space_after_an_at_handle_is_kept():
    assert run("@张三 你好") == "@张三 你好"
    assert run("你 好") == "你好"


def test_cr_only_lines_are_lines():
    assert run("胜 利\r前 进\r") == "胜利\r前进\r"
