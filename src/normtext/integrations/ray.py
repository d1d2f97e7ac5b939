"""Normalise text columns of a Ray Data dataset, on one machine or a whole cluster.

Ray Data is the engine data-juicer, datatrove and NeMo Curator use to go past one
machine, so normtext brings no scheduler of its own: ``normalize_column`` adds one
``map_batches`` step to a dataset, and Ray spreads the batches over whatever cluster
``ray.init`` connected to. Needs ``pip install 'normtext[ray]'`` on every node.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..options import Options
from ..pipeline import Normalizer

if TYPE_CHECKING:
    import pyarrow
    import ray.data

__all__ = ["normalise_column", "normalize_column"]


def normalize_column(
    dataset: ray.data.Dataset,
    column: str | list[str] = "text",
    *,
    output_column: str | list[str] | None = None,
    options: Options | None = None,
    batch_size: int = 256,
    **kwargs: Any,
) -> ray.data.Dataset:
    """Return ``dataset`` with ``column`` (one name or several) normalised.

    ``output_column`` writes the result to a new column instead, keeping the original.
    ``options`` or keyword options (``target="zh-tw"``, ``gloss=False``) are the same as
    ``normtext.normalize``; they are checked here, before any task starts. Nulls stay null.
    Other keyword arguments that ``Dataset.map_batches`` knows (``concurrency``,
    ``num_cpus``...) are passed on to it.
    """
    ray_args = {k: kwargs.pop(k) for k in list(kwargs) if k in _MAP_BATCHES_ARGS}
    opts = Options.from_kwargs(options, **kwargs)  # fail fast on a bad option
    columns = [column] if isinstance(column, str) else list(column)
    if output_column is None:
        outputs = columns
    else:
        outputs = [output_column] if isinstance(output_column, str) else list(output_column)
    if len(outputs) != len(columns):
        raise ValueError(f"{len(columns)} column(s) but {len(outputs)} output column(s)")
    return dataset.map_batches(
        _normalize_batch,  # type: ignore[arg-type]  # keyword-only options: fn_kwargs
        batch_format="pyarrow",
        batch_size=batch_size,
        fn_kwargs={"options": opts, "columns": columns, "outputs": outputs},
        **ray_args,
    )


normalise_column = normalize_column

#: map_batches arguments that pass through ``normalize_column``'s keywords.
_MAP_BATCHES_ARGS = frozenset(
    {"concurrency", "num_cpus", "memory", "compute", "ray_remote_args_fn", "resources"}
)


@lru_cache(maxsize=8)
def _normalizer(options: Options) -> Normalizer:
    # Ray reuses worker processes across tasks: build the stages once per process.
    return Normalizer(options)


def _normalize_batch(
    batch: pyarrow.Table, *, options: Options, columns: list[str], outputs: list[str]
) -> pyarrow.Table:
    import pyarrow as pa

    normalizer = _normalizer(options)
    for name, out in zip(columns, outputs):
        if name not in batch.column_names:
            raise KeyError(f"no column {name!r}; the dataset has {', '.join(batch.column_names)}")
        values = batch.column(name).to_pylist()
        fixed = pa.array(
            [v if v is None else normalizer.normalize(v) for v in values], type=pa.string()
        )
        if out in batch.column_names:
            batch = batch.set_column(batch.column_names.index(out), out, fixed)
        else:
            batch = batch.append_column(out, fixed)
    return batch
