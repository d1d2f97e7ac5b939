"""Width invariance (issue 10): in Chinese text the full-width form of a mark is canonical,
so changing the width of any punctuation mark does not change ``normalize``'s output; nor
does the form of a double quote (``"``, ``＂``, “ or ”): it faces by its place. Beside Latin
words and digits the width follows ``data/mark_widths.tsv`` (what edited Chinese text
writes there): in a class it decides, the output does not depend on the input's width."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import chinese_with_marks

import normtext
from normtext.chars.mark_widths import neighbour_class, wide_classes

_WIDE = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_SIDES = {"L": ["Egan", "Erica", "SBS", "Kevin"], "D": ["1947", "2018", "30"], "H": ["好", "年"]}


@st.composite
def _mark_beside_latin(draw: st.DrawFn) -> tuple[str, str]:
    """A Chinese line with a mark in a class the evidence writes full-width, as
    (ASCII form, full-width form): ``终年，Egan,1947年`` and ``终年，Egan，1947年``."""
    mark, klass = draw(st.sampled_from(sorted(wide_classes())))
    left, right = klass.split("|")
    before = draw(st.sampled_from(_SIDES[left[0]])) + (" " if left.endswith("_") else "")
    after = (" " if right.startswith("_") else "") + draw(st.sampled_from(_SIDES[right[-1]]))
    head, tail = "香港大律师，", "之后离世。"
    if left[0] != "H":
        head += " "  # the Latin word stands apart from the Han before it
    if right[-1] != "H":
        tail = " " + tail
    ascii_text = f"{head}{before}{mark}{after}{tail}"
    assert neighbour_class(ascii_text, len(head + before), len(head + before) + 1, 0, 99) == klass
    return ascii_text, f"{head}{before}{_WIDE[mark]}{after}{tail}"


@given(chinese_with_marks(), st.randoms(use_true_random=False))
def test_width_of_a_mark_does_not_change_the_output(pieces, rng):
    ascii_text = "".join(a for a, _ in pieces)
    mixed = "".join(w if rng.random() < 0.5 else a for a, w in pieces)
    assert normtext.normalize(mixed) == normtext.normalize(ascii_text)


@pytest.mark.parametrize(
    ("wide", "narrow"),
    [
        ("使用代理了！！使用", "使用代理了!!使用"),
        ("真的吗？！好", "真的吗?!好"),
        ("百度Google，Yahoo都", "百度Google,Yahoo都"),
        ("“包”轻“扶”，乃", '"包"轻"扶",乃'),
        ("好好，非常", "好好 , 非常"),
    ],
)
def test_issue_examples_normalise_the_same(wide, narrow):
    assert normtext.normalize(narrow) == normtext.normalize(wide) == wide


def test_the_evidence_decides_some_classes_beside_latin():
    # a property over an empty table could not fail
    assert wide_classes()


@given(_mark_beside_latin())
def test_width_of_a_mark_beside_latin_does_not_change_the_output(texts):
    ascii_text, wide_text = texts
    assert normtext.normalize(ascii_text) == normtext.normalize(wide_text)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("艾勤賢（Kevin Barry Egan,1947年—2018年）", "艾勤贤（Kevin Barry Egan，1947年—2018年）"),
        ("我哋講好咗 , Erica 一齊去", "我哋讲好咗， Erica 一齐去"),
        # English in a Chinese line, numbers: kept as typed
        ("他说 Hello, world 是英文", "他说 Hello, world 是英文"),
        ("共1,000元", "共1,000元"),
        ("时间 12:30 开始", "时间 12:30 开始"),
    ],
)
def test_marks_beside_latin_follow_the_evidence(typed, expected):
    assert normtext.normalize(typed) == expected
