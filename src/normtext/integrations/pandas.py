"""``series.normtext.normalize()``: a pandas accessor, registered when this module is imported.

    import normtext.integrations.pandas  # once; pandas itself is not imported by normtext
    df["text"] = df["text"].normtext.normalize(target="zh-tw")

Nulls stay nulls, the index and name are kept. The Normalizer for each set of options is
built once per process and reused.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..options import Options
from ..pipeline import Normalizer

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from ..options import OptionsKwargs


@lru_cache(maxsize=8)
def _normalizer(options: Options) -> Normalizer:
    return Normalizer(options)


@pd.api.extensions.register_series_accessor("normtext")
class NormtextAccessor:
    """The ``normtext`` namespace on a Series of str (and None/NaN)."""

    def __init__(self, series: pd.Series) -> None:
        self._series = series

    def normalize(self, options: Options | None = None, **kwargs: Unpack[OptionsKwargs]) -> Any:
        """The Series normalised (same index, name and dtype); see ``normtext.normalize``."""
        normalizer = _normalizer(Options.from_kwargs(options, **kwargs))
        return normalizer.normalize_batch(self._series)

    normalise = normalize
