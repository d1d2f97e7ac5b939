"""Properties of the whole pipeline: what normalize and explain promise for any text."""

from __future__ import annotations

import pickle
import re
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import CLEAN_LINES, clean_simplified, damaged_text

import normtext
from normtext import Normalizer, Options, OptionsError

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]")


@given(damaged_text)
def test_normalize_is_idempotent(text):
    once = normtext.normalize(text)
    assert normtext.normalize(once) == once


@given(st.text())
def test_no_exception_on_any_string(text):
    assert isinstance(normtext.normalize(text), str)


@given(st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.sampled_from("\n\t")))
def test_pure_ascii_text_is_returned_unchanged(text):
    # Printable ASCII and line breaks: C0 controls are damage the unicode stage removes.
    assert normtext.normalize(text) == text


@given(clean_simplified)
def test_clean_simplified_text_keeps_every_han_character(text):
    assert HAN.findall(normtext.normalize(text)) == HAN.findall(text)


@given(damaged_text)
def test_explain_text_equals_normalize(text):
    assert normtext.explain(text).text == normtext.normalize(text)


@given(damaged_text)
def test_changes_name_their_source_and_rebuild_the_output(text):
    result = normtext.explain(text)
    pieces, pos = [], 0
    for change in result.changes:
        assert change.before == text[change.start : change.end]
        assert change.start >= pos
        pieces.append(text[pos : change.start])
        pieces.append(change.after)
        pos = change.end
    pieces.append(text[pos:])
    assert "".join(pieces) == result.text


@given(damaged_text, st.data())
def test_source_span_of_an_unchanged_stretch_is_the_same_text(text, data):
    result = normtext.explain(text)
    out = result.text
    start = data.draw(st.integers(0, len(out)))
    end = data.draw(st.integers(start, len(out)))
    src_start, src_end = result.source_span(start, end)
    assert 0 <= src_start <= src_end <= len(text)
    touched = any(c.start < src_end and c.end > src_start for c in result.changes)
    if not touched and not any(
        c.start == c.end and src_start < c.start < src_end for c in result.changes
    ):
        assert text[src_start:src_end] == out[start:end]


def test_seed_page_is_repaired():
    # The spots the issue names; the golden file in corpus/seed checks every character.
    from pathlib import Path

    seed = Path(__file__).parents[1] / "corpus" / "seed" / "input.txt"
    out = normtext.normalize(seed.read_text(encoding="utf-8"))
    for expected in [
        "发布时间",
        "新华网",
        "要着力解决",
        "盯着一个",
        "阶段，2月12日",
        "重点、统筹",
        "为您解读。",
    ]:
        assert expected in out
    for damage in ["(fā)", "(wǎng)", ",,", ",、", ",。"]:
        assert damage not in out


def test_normalizer_pickles_and_gives_the_same_result():
    normalizer = Normalizer(target="zh-hans", gloss="all")
    clone = pickle.loads(pickle.dumps(normalizer))
    text = "蜜(mì)蜂(fēng)。發(fā)布時間"
    assert clone.options == normalizer.options
    assert clone.normalize(text) == normalizer.normalize(text)


def test_normalizer_is_safe_to_share_between_threads():
    normalizer = Normalizer()
    lines = CLEAN_LINES[:40]
    expected = [normalizer.normalize(normtext.convert(x, "s2tw")) for x in lines]
    results: list[list[str]] = []

    def work():
        results.append([normalizer.normalize(normtext.convert(x, "s2tw")) for x in lines])

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == expected for r in results)


def test_stages_can_be_switched_off_by_name():
    text = "發(fā)布"
    assert normtext.normalize(text, gloss=False, script=False, width=False) == text
    assert normtext.normalize(text, script=False) == "發布"
    assert normtext.normalize(text, gloss=False, width=False) == "发(fā)布"


def test_unknown_option_is_named():
    with pytest.raises(OptionsError, match="glos"):
        normtext.normalize("x", glos=False)
    with pytest.raises(OptionsError, match="zh-hans"):
        Options(target="klingon")


def test_normalize_refuses_bytes_with_a_pointer_to_decode():
    with pytest.raises(TypeError, match="decode"):
        normtext.normalize(b"abc")  # type: ignore[arg-type]


def test_normalise_is_an_alias():
    assert normtext.normalise is normtext.normalize
    assert normtext.normalize_batch if hasattr(normtext, "normalize_batch") else True
    assert Normalizer().normalize_batch(["發(fā)布", "abc"]) == ["发布", "abc"]
