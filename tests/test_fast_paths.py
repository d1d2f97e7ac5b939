"""Every shortcut taken for speed gives what the full path gives: each is a proof that work
can be skipped, so switching it off must change no result."""

from __future__ import annotations

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


def test_utf8_starts_are_found_the_same_way_in_long_and_short_texts() -> None:
    big5 = "發布時間，繁體中文".encode().decode("big5", errors="replace")
    text = ("发布时间鍙戝竷鏃堕棿：2020年 於今\u200b鍙\ufffd戝 ¤¤¤å。" + big5) * 300
    for codec in ("gb18030", "big5"):
        pattern = mojibake._tables().start[codec]
        expected = [m.span() for m in pattern.finditer(text)]
        assert expected
        assert [m.span() for m in mojibake._start_matches(text, codec)] == expected


def test_variant_words_are_found_the_same_way_in_long_and_short_texts() -> None:
    from normtext.chars import script

    variants = sorted(script._variant_table())
    text = "".join(f"他的{v}力，{v[:-1]}。" for v in variants) * 40
    expected = [m.span() for m in script._variant_pattern().finditer(text)]
    assert len(expected) >= len(variants)
    assert [m.span() for m in script._variant_matches(text)] == expected
