"""``normtext.ray``: the documented name of ``normtext.integrations.ray`` (kept as an alias)."""

from __future__ import annotations

from .integrations.ray import normalise_column, normalize_column

__all__ = ["normalise_column", "normalize_column"]
