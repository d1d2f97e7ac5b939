"""The CLI's file machinery, one job per module; data flows down this list, never up.

``sources`` (finding inputs) -> ``chunks`` (codecs, line-aligned chunks) -> ``atomic``
(writes and backups) -> ``plan`` (what to do, what happened) -> ``formats`` (JSONL,
Parquet) -> ``report`` (detect report, diff hunks) -> ``job`` (one input) -> ``runner``
(many inputs on a process pool).
"""

from __future__ import annotations

from .atomic import TEMP_MARK, AtomicWriter, check_in_place
from .chunks import CHUNK_SIZE, OutputCodec
from .plan import FileResult, Plan, Transform
from .runner import Runner
from .sources import Source, find_sources

__all__ = [
    "CHUNK_SIZE",
    "TEMP_MARK",
    "AtomicWriter",
    "FileResult",
    "OutputCodec",
    "Plan",
    "Runner",
    "Source",
    "Transform",
    "check_in_place",
    "find_sources",
]
