"""The stage contract shared by every repair stage."""

from __future__ import annotations

from ..options import Options
from ..text import Edit, apply_edits


class Stage:
    """One kind of repair.

    ``edits`` is the contract: sorted, non-overlapping edits on the stage's input, so the
    pipeline can compose an alignment. ``transform`` is the fast path used when nobody
    asks for alignment; a stage may override it, but it must return exactly what applying
    its edits returns (a property test checks this for every stage).
    """

    name: str = ""

    def __init__(self, options: Options) -> None:
        self.options = options

    def edits(self, text: str) -> list[Edit]:
        raise NotImplementedError

    def transform(self, text: str) -> str:
        return apply_edits(text, self.edits(text))

    def notes(self, text: str) -> dict[str, str]:
        """Decisions worth showing in ``explain`` (for example the OpenCC config chosen)."""
        return {}
