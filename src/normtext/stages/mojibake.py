"""Placeholder: the mojibake stage changes nothing yet."""

from __future__ import annotations

from ..text import Edit
from .base import Stage


class MojibakeStage(Stage):
    name = "mojibake"

    def edits(self, text: str) -> list[Edit]:
        return []

    def transform(self, text: str) -> str:
        return text
