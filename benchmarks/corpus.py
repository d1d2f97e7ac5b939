"""The corpus module lives in ``tools/corpus.py`` (one module, one train/test split, for
tools, fixtures and benchmarks). Scripts in ``benchmarks/`` that ``import corpus`` get that
module through this stand-in; read its docstring for the domains and the split.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_PATH = Path(__file__).resolve().parents[1] / "tools" / "corpus.py"
if __name__ == "__main__":
    sys.argv[0] = str(_PATH)
    import runpy

    runpy.run_path(str(_PATH), run_name="__main__")
else:
    _spec = importlib.util.spec_from_file_location("corpus", _PATH)
    assert _spec is not None and _spec.loader is not None
    _module = importlib.util.module_from_spec(_spec)
    sys.modules[__name__] = _module
    _spec.loader.exec_module(_module)
