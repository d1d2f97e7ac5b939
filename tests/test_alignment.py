"""The alignment composes stage edits into one list of source edits."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

import normtext
from normtext.text import Alignment, Edit, apply_edits, diff_edits


@st.composite
def edits_on(draw, text):
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=6)))
    edits = []
    for a, b in zip(cuts[::2], cuts[1::2]):
        edits.append(Edit(a, b, draw(st.text("xyz", max_size=3))))
    return edits


@settings(max_examples=1500)
@given(st.text("abcdef", max_size=20), st.data())
def test_composed_edits_rebuild_every_stage_output(source, data):
    alignment = Alignment(source)
    current = source
    for stage in ("one", "two", "three"):
        edits = data.draw(edits_on(current))
        current = alignment.compose(stage, current, edits)
    rebuilt, pos = [], 0
    for change in alignment.changes:
        assert change.before == source[change.start : change.end]
        rebuilt.append(source[pos : change.start] + change.after)
        pos = change.end
    rebuilt.append(source[pos:])
    assert "".join(rebuilt) == current


def test_later_stage_rewriting_an_earlier_change_merges_them():
    alignment = Alignment("發(fā)布")
    text = alignment.compose("gloss", "發(fā)布", [Edit(1, 5, "")])
    text = alignment.compose("script", text, [Edit(0, 2, "发布")])
    assert text == "发布"
    assert [(c.stage, c.start, c.end, c.before, c.after) for c in alignment.changes] == [
        ("gloss+script", 0, 6, "發(fā)布", "发布")
    ]


def test_source_span_maps_through_deletions_and_replacements():
    source = "ab,,cd(x)ef"
    alignment = Alignment(source)
    text = alignment.compose("punct", source, [Edit(2, 3, "")])  # ab,cd(x)ef
    text = alignment.compose("gloss", text, [Edit(5, 8, "")])  # ab,cdef
    assert text == "ab,cdef"
    assert alignment.source_span(0, 2) == (0, 2)
    assert alignment.source_span(3, 5) == (4, 6)  # "cd"
    assert alignment.source_span(5, 7) == (9, 11)  # "ef"
    assert alignment.source_span(2, 3) == (3, 4)


def test_diff_edits_groups_runs_of_changed_characters():
    assert diff_edits("發布時間", "发布时间") == [Edit(0, 1, "发"), Edit(2, 4, "时间")]
    assert apply_edits("發布時間", diff_edits("發布時間", "发布时间")) == "发布时间"


def test_explain_keeps_every_change_of_a_text_with_many():
    # Many changes: the alignment composes them in one pass (no lookup per change rebuilt).
    text = "中,," * 2000
    result = normtext.explain(text)
    assert result.text == normtext.normalize(text)
    assert len(result.changes) == 4000  # per group: one comma dropped, one widened
    assert result.source_span(len(result.text) - 1, len(result.text)) == (len(text) - 1, len(text))
