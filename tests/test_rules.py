"""Every change ``explain`` reports names the rule that made it (issue 10)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings

import normtext
from tests.strategies import stage_mix

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _check_rules(result: normtext.Result) -> None:
    for change in result.changes:
        assert change.rule, change
        stages = change.stage.split("+")
        for rule in change.rule.split("+"):
            assert rule.split(".")[0] in stages, (rule, change)


@pytest.mark.parametrize("sample", sorted(p.name for p in CORPUS.iterdir() if p.is_dir()))
def test_every_change_in_the_corpus_names_a_rule_of_its_stage(sample: str) -> None:
    text = (CORPUS / sample / "input.txt").read_text(encoding="utf-8")
    _check_rules(normtext.explain(text))


@settings(max_examples=150, deadline=None)
@given(stage_mix)
def test_every_change_names_a_rule_of_its_stage(text: str) -> None:
    _check_rules(normtext.explain(text))


@pytest.mark.parametrize(
    ("text", "before", "rule"),
    [
        ("要著力解決,,問題", ",", "punctuation.doubled_comma"),
        ("重點,、統籌", ",", "punctuation.comma_before_mark"),
        ("發(fā)布時間", "(fā)", "gloss.reading_match"),
        ("發布時間:2020", ":", "width.han_context"),
        ("共１２３人", "１２３", "width.fold_alnum"),
        ("⼈⺠日报", "⼈", "unicode.radical"),
        ("中 文", " ", "spacing.between_han"),
        ("鍙戝竷鏃堕棿", "鍙戝竷鏃堕棿", "mojibake.utf_8_read_as_gb18030"),
        ("發布時間", "發", "script.t2s"),
        ("軟體裡面", "軟體裡", "script.tw2s"),
    ],
)
def test_change_names_the_rule_that_fired(text: str, before: str, rule: str) -> None:
    changes = [c for c in normtext.explain(text).changes if c.before == before]
    assert changes and rule in changes[0].rule.split("+"), normtext.explain(text).changes
