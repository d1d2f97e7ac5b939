"""The stage contract shared by every repair stage."""

from __future__ import annotations

from typing import ClassVar

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
    #: True for a stage that repairs Chinese text only: the pipeline then shows it the
    #: Chinese stretches of a text (``chars.scope``) and, for the rest, asks
    #: ``edits_outside_chinese``. False: the stage sees the whole text (mojibake repair,
    #: whose evidence is the bytes, not the language).
    chinese_only: ClassVar[bool] = True

    def __init__(self, options: Options) -> None:
        self.options = options

    def edits(self, text: str) -> list[Edit]:
        raise NotImplementedError

    def transform(self, text: str) -> str:
        return apply_edits(text, self.edits(text))

    def edits_outside_chinese(self, text: str) -> list[Edit]:
        """What the stage does to Japanese, Korean and non-CJK text: by default, nothing."""
        return []

    def rule_of(self, text: str, edit: Edit) -> str:
        """The name of the rule that made ``edit`` on ``text`` (``explain`` shows it).

        Asked only when someone explains, so naming costs nothing on the fast path; a
        stage names its finer rules by overriding this.
        """
        return f"{self.name}.repair"

    def named(self, text: str, edits: list[Edit]) -> list[Edit]:
        """``edits`` with every rule filled in (``rule_of``), for ``explain``."""
        return [
            e if e.rule else Edit(e.start, e.end, e.replacement, self.rule_of(text, e))
            for e in edits
        ]

    def notes(self, text: str) -> dict[str, str]:
        """Decisions worth showing in ``explain`` (for example the OpenCC config chosen)."""
        return {}
