"""explain: changes stay per segment for every OpenCC config, name their rule, and print."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normtext import CONFIG_NAMES, Options, explain
from normtext.stages.script import ScriptStage
from normtext.text import Change, Edit, apply_edits

# Pieces OpenCC converts with a change of length in some config (U盘 ↔ 隨身碟), pieces that
# convert one for one, and text no config touches.
PIECES = [
    "我的U盘坏了",
    "隨身碟",
    "网络",
    "網路",
    "鼠标",
    "滑鼠",
    "打印机",
    "印表機",
    "軟體",
    "软件",
    "信息",
    "資訊",
    "這個說",
    "发展",
    "著",
    "乾隆",
    "想像",
    "車伕",
    "abc",
    "12",
    "\n",
    "。",
    "，",
]

texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join)


def _check_minimal(source: str, edits: list[Edit]) -> None:
    for e in edits:
        before = source[e.start : e.end]
        assert before != e.replacement
        if before and e.replacement:
            assert before[0] != e.replacement[0], e
            assert before[-1] != e.replacement[-1], e
        assert "\n" not in before and "\n" not in e.replacement, e


@pytest.mark.parametrize("config", CONFIG_NAMES)
@settings(max_examples=25, deadline=None)
@given(text=texts)
def test_script_edits_are_per_segment_and_reproduce_the_output(config, text):
    stage = ScriptStage(Options(config=config))
    edits = stage.edits(text)
    assert apply_edits(text, edits) == stage.transform(text)
    _check_minimal(text, edits)
    assert all(e.rule and e.rule.startswith("script.") for e in edits)


def _output_spans(changes: list[Change]) -> list[tuple[int, int]]:
    spans, shift = [], 0
    for c in changes:
        start = c.start + shift
        spans.append((start, start + len(c.after)))
        shift += len(c.after) - (c.end - c.start)
    return spans


@pytest.mark.parametrize("config", CONFIG_NAMES)
@settings(max_examples=15, deadline=None)
@given(text=texts)
def test_explain_source_spans_are_exact_for_every_config(config, text):
    result = explain(text, config=config)
    pieces, pos = [], 0
    for c in result.changes:
        pieces += [text[pos : c.start], c.after]
        pos = c.end
    assert "".join(pieces) + text[pos:] == result.text
    for c, (start, end) in zip(result.changes, _output_spans(result.changes)):
        if start < end:
            assert result.source_span(start, end) == (c.start, c.end)


def test_length_changing_conversion_gives_one_change_per_phrase():
    text = "我的U盘坏了\n" * 3 + "网络\n"
    result = explain(text, target="s2twp")
    assert [(c.start, c.end, c.after) for c in result.changes if c.before == "U盘"] == [
        (2, 4, "隨身碟"),
        (9, 11, "隨身碟"),
        (16, 18, "隨身碟"),
    ]
    assert max(c.end - c.start for c in result.changes) == 2
    second = result.text.index("隨身碟", 5)
    assert result.source_span(second, second + 3) == (9, 11)


def test_changes_name_the_rule_and_print_line_and_column():
    result = explain("第一行\n車伕想像力很豐富。", config="tw2s")
    rules = {c.before: c.rule for c in result.changes}
    assert rules["車"] == "script.tw2s"
    assert rules["伕"] == "script.variant_word"
    printed = str(result)
    assert "2:2 [script.variant_word] '伕' -> '夫'" in printed


def test_html_display_escapes_text():
    html = explain("<b>這個</b>")._repr_html_()
    assert "<b>" not in html.replace("<tbody>", "")
    assert "&lt;b&gt;" in html


def test_edit_and_change_keep_positional_construction():
    assert Edit(0, 1, "x") == Edit(0, 1, "x", None)
    assert Change("script", 0, 1, "a", "b").rule is None
