"""The ``normtext`` command: ``parser`` (what it accepts), ``commands`` (what each does),
``output`` (what it shows), ``main`` (the entry point of the console script)."""

from __future__ import annotations

from .main import main

__all__ = ["main"]
