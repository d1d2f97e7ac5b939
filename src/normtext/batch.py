"""Columns in, columns out: ``normalize_batch`` over pyarrow arrays, pandas Series, lists.

Nulls stay nulls and the container keeps its kind (and a Series its index and name), so
a batch can go back where it came from. pyarrow and pandas are imported only when such a
value arrives; neither is a dependency.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from typing import Any

Fix = Callable[[str], str]


def _each(values: Iterable[Any], fix: Fix) -> list[str | None]:
    out: list[str | None] = []
    for value in values:
        if value is None or (isinstance(value, float) and value != value):  # None, NaN
            out.append(None)
        elif isinstance(value, str):
            out.append(fix(value))
        else:
            raise TypeError(
                f"normalize_batch() takes str or None items, not {type(value).__name__}"
            )
    return out


def normalize_container(texts: Any, fix: Fix) -> Any:
    """``texts`` normalised, in a container of the same kind."""
    pa = sys.modules.get("pyarrow")
    if pa is not None:
        if isinstance(texts, pa.ChunkedArray):
            chunks = [pa.array(_each(c.to_pylist(), fix), type=c.type) for c in texts.chunks]
            return pa.chunked_array(chunks, type=texts.type)
        if isinstance(texts, pa.Array):
            return pa.array(_each(texts.to_pylist(), fix), type=texts.type)
    pd = sys.modules.get("pandas")
    if pd is not None and isinstance(texts, pd.Series):
        fixed = _each((None if pd.isna(v) else v for v in texts.tolist()), fix)
        return pd.Series(fixed, index=texts.index, name=texts.name, dtype=texts.dtype)
    if isinstance(texts, (str, bytes)):
        raise TypeError("normalize_batch() takes many texts; use normalize() for one")
    return _each(texts, fix)
