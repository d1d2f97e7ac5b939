"""Placeholder: the gloss stage changes nothing yet."""

from __future__ import annotations

from ..text import Edit
from .base import Stage


class GlossStage(Stage):
    name = "gloss"

    def edits(self, text: str) -> list[Edit]:
        return []

    def transform(self, text: str) -> str:
        return text
