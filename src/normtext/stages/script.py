"""Placeholder: the script stage changes nothing yet."""

from __future__ import annotations

from ..text import Edit
from .base import Stage


class ScriptStage(Stage):
    name = "script"

    def edits(self, text: str) -> list[Edit]:
        return []

    def transform(self, text: str) -> str:
        return text
