"""Short texts take pure-Python paths that never import numpy (issue 12's first call); each
gives what the numpy path gives, so which one a text takes can change no result."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import damaged_text, stage_mix

import normtext
from normtext import lazy_numpy
from normtext.chars import scope
from normtext.opencc import CONFIG_NAMES, Converter, _engine
from normtext.opencc.config import load_config
from normtext.opencc.engine import FastConverter
from normtext.stages import gloss

SRC = Path(normtext.__file__).resolve().parents[1]


def _first_call(code: str) -> subprocess.CompletedProcess[str]:
    # the store of this test run (conftest) holds the tables: the child maps them
    for config in ("t2s", "tw2s", "hk2s"):
        Converter(config).convert("x")
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(SRC)},
        timeout=120,
    )


SHORT_TEXTS = [
    "發(fā)布",
    "網(wǎng)站發佈時間：2020年1月1日。",
    "这是一个测试,我们来看看吧!",
    "The character 乾 in names, `今天，开发`",
    "日本語の文章です。発表する",
    "조선(朝鮮) 시대",
    "鍙戝竷鏃堕棿",
    "⼈⺠日报 ＡＢＣ １２月\u200b",
    "為了說著裡",
    "",
]


def test_a_first_call_on_short_texts_never_imports_numpy() -> None:
    code = (
        "import sys, normtext\n"
        "assert 'numpy' not in sys.modules, 'import normtext'\n"
        f"for text in {SHORT_TEXTS!r}:\n"
        "    normtext.normalize(text)\n"
        "    assert 'numpy' not in sys.modules, text\n"
        "print(normtext.normalize('發(fā)布'))\n"
    )
    done = _first_call(code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "发布"


def test_a_long_text_still_takes_numpy() -> None:
    done = _first_call(
        "import sys, normtext\n"
        "normtext.normalize('發佈時間，' * 2000)\n"
        "assert 'numpy' in sys.modules\n"
    )
    assert done.returncode == 0, done.stderr


def _normalise_by(text: str, pure: bool) -> str:
    """``normalize(text)`` with every choice ``lazy_numpy.pure_python_for`` makes (the
    language scope, the script stage's plan, the OpenCC engine) made the same way,
    whatever the length: the pure-Python path (``pure``) or numpy's."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lazy_numpy, "pure_python_for", lambda length, warm_limit: pure)
        if not pure:
            patch.setattr(scope, "_SHORT", 0)  # not even the regex shortcuts
        scope._cache.last = None  # the scope of the last text is not reused
        return normtext.Normalizer().normalize(text)


@given(st.one_of(stage_mix, damaged_text))
def test_short_and_long_paths_normalise_alike(text: str) -> None:
    assert _normalise_by(text, pure=True) == _normalise_by(text, pure=False)


@given(stage_mix)
def test_glosses_on_teaching_lines_are_found_alike_in_short_and_long_texts(text: str) -> None:
    import numpy as np

    candidates = gloss.GlossStage(normtext.Options())._candidates(text)
    found = np.array([c[:3] for c in candidates], dtype=np.int64).reshape(-1, 3)
    picks = np.array([c[3] for c in candidates], dtype=bool)
    long = gloss._outside_teaching_lines(text, found, picks).tolist() if candidates else []
    expected = [(start, end) for start, end in long]
    assert gloss._outside_teaching_lines_short(text, candidates) == expected


_IDS = "⿰⿱⿲⿳⿴⿵⿶⿷⿸⿹⿺⿻⿼⿽⿾⿿"
_SCRIPT_TEXT = st.text(
    st.sampled_from(list("發網時間們這個說為著裡乾後於萧王头发台湾計算機軟體鼠標滑鼠。，a\n"))
    | st.sampled_from(list(_IDS))
    | st.characters(),
    max_size=60,
)


@given(_SCRIPT_TEXT, st.sampled_from(CONFIG_NAMES))
def test_the_plain_engine_converts_as_the_numpy_engine(text: str, config: str) -> None:
    plain = _engine(config, True)._plain
    assert plain is not None
    assert plain.convert(text) == FastConverter(load_config(config)).convert(text)


_SCOPE_TEXT = st.text(
    st.sampled_from(list("中文乾従们見あア한 aZé1，。\n\r`%(_{$\u0301\u200b\u00ad佢歳"))
    | st.sampled_from(["\u2e8c", "\u3005", "\u3007", "\U00020000", "\U00040000"])
    | st.characters(),
    max_size=60,
)


@given(_SCOPE_TEXT)
def test_short_line_languages_are_the_line_rules(text: str) -> None:
    ends, lang = scope.line_languages(text)
    assert scope.short_line_languages(text) == (ends.tolist(), lang.tolist())


def test_a_process_that_normalises_much_text_imports_numpy_after_all() -> None:
    # the pure-Python paths cost more per character: past a budget numpy pays for itself
    done = _first_call(
        "import sys, normtext\n"
        "for k in range(60):\n"
        "    normtext.normalize(f'{k}發佈時間 ABC。' * 120)\n"
        "assert 'numpy' in sys.modules\n"
    )
    assert done.returncode == 0, done.stderr
