"""The stage contract as property tests, built once and bound in each stage's test file.

Every stage promises the same three things: its fast ``transform`` returns exactly what
applying its (sorted, non-overlapping) ``edits`` returns; running it twice changes nothing
more; and it does not undo the NFC the unicode stage established. Each stage test file
binds these to its own stage and its own input strategy:
``test_idempotent = idempotent(STAGE, some_text)``.
"""

from __future__ import annotations

import unicodedata
from itertools import pairwise

from hypothesis import given
from hypothesis.strategies import SearchStrategy

from normtext.stages import Stage
from normtext.text import apply_edits


def transform_equals_edits(stage: Stage, texts: SearchStrategy[str]):
    @given(texts)
    def test(text: str) -> None:
        edits = stage.edits(text)
        assert all(a.end <= b.start for a, b in pairwise(edits))
        assert stage.transform(text) == apply_edits(text, edits)

    return test


def idempotent(stage: Stage, texts: SearchStrategy[str]):
    @given(texts)
    def test(text: str) -> None:
        once = stage.transform(text)
        assert stage.transform(once) == once

    return test


def keeps_nfc(stage: Stage, texts: SearchStrategy[str]):
    @given(texts)
    def test(text: str) -> None:
        text = unicodedata.normalize("NFC", text)
        assert unicodedata.is_normalized("NFC", stage.transform(text))

    return test
