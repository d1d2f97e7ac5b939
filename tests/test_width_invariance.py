"""Width invariance (issue 10): in Chinese text the full-width form of a mark is canonical,
so changing the width of any punctuation mark does not change ``normalize``'s output; nor
does the form of a double quote (``"``, ``＂``, “ or ”): it faces by its place."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import chinese_with_marks

import normtext


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
