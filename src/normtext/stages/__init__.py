"""The repair stages, one kind of damage per module.

Each module defines one ``Stage`` subclass. A stage knows one kind of damage and nothing
about the others or their order; the pipeline owns the order (``options.STAGES``).
"""

from __future__ import annotations

from importlib import import_module

from ..options import Options
from .base import Stage

_CLASSES = {
    "mojibake": "MojibakeStage",
    "unicode": "UnicodeStage",
    "gloss": "GlossStage",
    "punctuation": "PunctuationStage",
    "script": "ScriptStage",
    "width": "WidthStage",
    "spacing": "SpacingStage",
}


#: Stages whose class lives in a module other than their name: the mojibake stage's sits
#: with its gate, so that text with nothing to repair never loads the repairs.
_MODULES = {"mojibake": "mojibake_gate"}


def build_stage(name: str, options: Options) -> Stage:
    """Instantiate the stage called ``name`` (imported on first use to keep import light)."""
    module = import_module(f".{_MODULES.get(name, name)}", __name__)
    return getattr(module, _CLASSES[name])(options)


__all__ = ["Stage", "build_stage"]
