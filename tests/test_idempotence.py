"""One pass does all the work: ``normalize`` is a fixed point on every mix of the constructs
the stages act on, and ``explain`` composes its changes to the same text.

The CI profile runs a few hundred examples; ``benchmarks/idempotence.py`` runs hundreds of
thousands from the same generator and reports every failure.
"""

from __future__ import annotations

from hypothesis import given
from strategies import stage_mix

import normtext


@given(stage_mix)
def test_normalize_is_a_fixed_point_on_mixed_constructs(text):
    once = normtext.normalize(text)
    assert normtext.normalize(once) == once


@given(stage_mix)
def test_explain_text_equals_normalize(text):
    assert normtext.explain(text).text == normtext.normalize(text)
