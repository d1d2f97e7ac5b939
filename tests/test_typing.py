"""The public API is typed: ``mypy --strict`` passes on a user's script, and the names are clean."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import normtext

SCRIPT = Path(__file__).parent / "typing" / "user_script.py"


def test_mypy_strict_passes_on_a_user_script() -> None:
    pytest.importorskip("mypy", reason="mypy is in the test extras")
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(SCRIPT)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_user_script_runs() -> None:
    proc = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, check=False, timeout=120
    )
    assert proc.returncode == 0, proc.stderr


def test_dir_shows_the_public_names_only() -> None:
    names = set(dir(normtext))
    assert not names & {"Any", "annotations", "lru_cache", "TYPE_CHECKING"}
    assert {"decode", "Decoded", "DictionaryError", "Converter", "normalize"} <= names
    for name in normtext.__all__:
        assert getattr(normtext, name) is not None


def test_import_normtext_does_not_load_the_detector() -> None:
    code = "import sys, normtext; print('charset_normalizer' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_compat_opencc_has_conversion() -> None:
    from normtext.compat import OpenCC

    cc = OpenCC("t2s")
    assert cc.conversion == "t2s"
    cc.set_conversion("s2t")
    assert cc.conversion == "s2t" and cc.convert("汉字") == "漢字"
