"""Lazy and large sources at the door: what they are, their schema, their batches.

A *source* is data that is not in memory: a polars ``LazyFrame``, a DuckDB
relation, a ``pyarrow.dataset.Dataset`` (what :func:`mlprep.io.scan`
returns) or a PySpark ``DataFrame``. Fitting one streams Arrow-sized
batches through an estimator's partial state (:mod:`mlprep.state`); nothing
here materializes more than one batch.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import narwhals.stable.v2 as nw
import pyarrow as pa

from mlprep.exceptions import DataError, MissingDependencyError

__all__ = [
    "BATCH_ROWS",
    "as_polars_lazy",
    "iter_batches",
    "lazy_moments",
    "schema_frame",
    "source_kind",
    "transform_lazy",
]

BATCH_ROWS = 1 << 19
"""Rows per streamed batch: ~4 MB per float64 column, so a few columns stay far
below the out-of-core memory budget while numpy still works at full speed."""

_SOURCE_TYPES = {
    ("polars", "LazyFrame"): "polars-lazy",
    ("duckdb", "DuckDBPyRelation"): "duckdb",
    ("_duckdb", "DuckDBPyRelation"): "duckdb",  # duckdb 1.5, the last for Python 3.10
    ("pyarrow", "FileSystemDataset"): "arrow-dataset",
    ("pyarrow", "UnionDataset"): "arrow-dataset",
    ("pyarrow", "InMemoryDataset"): "arrow-dataset",
    ("pyspark", "DataFrame"): "spark",
}


def source_kind(X: Any) -> str | None:
    """``"polars-lazy"``, ``"duckdb"``, ``"arrow-dataset"``, ``"spark"`` or None (in memory).

    Decided from the type's module and name, so no engine is imported to ask.

    Examples
    --------
    >>> import pandas as pd
    >>> source_kind(pd.DataFrame({"a": [1]})) is None
    True
    """
    for cls in type(X).__mro__:
        root = cls.__module__.split(".")[0]
        kind = _SOURCE_TYPES.get((root, cls.__name__))
        if kind is not None:
            return kind
    return None


def schema_frame(X: Any, kind: str) -> nw.DataFrame:
    """An empty eager frame with the source's columns and dtypes."""
    if kind == "polars-lazy":
        import polars as pl

        return nw.from_native(pl.DataFrame(schema=X.collect_schema()), eager_only=True)
    if kind == "duckdb":
        return nw.from_native(_duckdb_arrow(X.limit(0)), eager_only=True)
    if kind == "arrow-dataset":
        return nw.from_native(X.schema.empty_table(), eager_only=True)
    raise DataError(f"Unsupported source kind {kind!r}.")  # pragma: no cover


def _duckdb_arrow(relation: Any) -> pa.Table:
    table = (
        relation.to_arrow_table()
        if hasattr(relation, "to_arrow_table")
        else relation.arrow()
    )
    return table.read_all() if isinstance(table, pa.RecordBatchReader) else table


def iter_batches(
    X: Any, kind: str, columns: list[str], *, batch_rows: int = BATCH_ROWS
) -> Iterator[nw.DataFrame]:
    """The source's rows in batches of at most about ``batch_rows``, only ``columns``.

    Algebraic work (projection, filters the caller built into the query)
    stays in the engine; the batches arrive as narwhals frames backed by
    polars (``LazyFrame``) or pyarrow (DuckDB, datasets).
    """
    if kind == "polars-lazy":
        query = X.select(columns)
        for batch in query.collect_batches(chunk_size=batch_rows, maintain_order=False):
            if batch.height:
                yield nw.from_native(batch, eager_only=True)
        return
    if kind == "duckdb":
        quoted = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
        relation = X.project(quoted)
        # duckdb >= 1.4 names it to_arrow_reader; fetch_record_batch before
        reader = (
            relation.to_arrow_reader(batch_rows)
            if hasattr(relation, "to_arrow_reader")
            else relation.fetch_record_batch(batch_rows)
        )
        for record_batch in reader:
            if record_batch.num_rows:
                yield nw.from_native(
                    pa.Table.from_batches([record_batch]), eager_only=True
                )
        return
    if kind == "arrow-dataset":
        for record_batch in X.to_batches(columns=columns, batch_size=batch_rows):
            if record_batch.num_rows:
                yield nw.from_native(
                    pa.Table.from_batches([record_batch]), eager_only=True
                )
        return
    raise DataError(f"Unsupported source kind {kind!r}.")  # pragma: no cover


def as_polars_lazy(X: Any, kind: str) -> Any:
    """A DuckDB relation or pyarrow dataset as a polars ``LazyFrame`` (nothing read).

    Transforming a source returns a ``LazyFrame``: the one lazy frame every
    step of a pipeline can map batch by batch and ``sink_parquet`` streams.
    """
    if kind == "polars-lazy":
        return X
    try:
        import polars as pl
    except ImportError as exc:
        raise MissingDependencyError(
            "Transforming a DuckDB relation or a pyarrow dataset lazily returns a "
            "polars LazyFrame: pip install 'mlprep-kit[polars]'"
        ) from exc
    if kind == "arrow-dataset":
        return pl.scan_pyarrow_dataset(X)
    try:
        return X.pl(lazy=True)
    except TypeError as exc:  # duckdb < 1.4 has no lazy polars export
        raise DataError(
            "This duckdb version cannot hand a relation to polars lazily; upgrade "
            "duckdb (>= 1.4), or transform pl.scan_parquet(...) instead."
        ) from exc


def _as_declared(result: Any, declared: dict[str, Any]) -> Any:
    """A batch's output in the schema declared from an empty batch.

    An integer column comes back as float when a batch has gaps (NaN marks
    them); it is cast back with the gaps as nulls. Any other mismatch is cast
    strictly, so a value that does not fit fails loudly.
    """

    wrong = {c: t for c, t in declared.items() if result.schema[c] != t}
    if not wrong:
        return result
    for name, dtype in wrong.items():
        column = result[name]
        if dtype.is_integer() and column.dtype.is_float():
            present = column.drop_nans().drop_nulls()
            if not (present == present.round(0)).all():
                raise DataError(
                    f"The output column {name!r} holds fractions in this batch but "
                    f"integers ({dtype}) in the declared lazy schema."
                )
            result = result.with_columns(column.cast(dtype, strict=False))
        else:
            result = result.with_columns(column.cast(dtype))
    return result.select(list(declared))


def transform_lazy(
    X: Any, features: list[str], apply: Any, empty_out: nw.DataFrame
) -> Any:
    """A polars LazyFrame mapped batch by batch with ``apply`` (still lazy).

    ``apply`` turns an eager polars frame of the ``features`` columns into
    the transformed frame; columns of ``X`` beyond ``features`` (a target, an
    id) pass through after the transformed ones. ``empty_out`` is ``apply``
    of an empty batch: it gives polars the output schema. The mapping is
    streamable, so ``sink_parquet`` of the result runs batch by batch.
    """
    import polars as pl

    extra = [c for c in X.collect_schema().names() if c not in set(features)]
    out_schema = dict(nw.to_native(empty_out).schema)
    clash = [c for c in extra if c in out_schema]
    if clash:
        raise DataError(
            f"The column {clash[0]!r} passes through untouched but is also an output "
            "of the transform. Rename or drop it before transforming."
        )
    input_schema = X.collect_schema()
    out_schema.update({c: input_schema[c] for c in extra})

    declared = dict(nw.to_native(empty_out).schema)

    def run(batch: pl.DataFrame) -> pl.DataFrame:
        result = (
            apply(batch.select(features)) if batch.height else nw.to_native(empty_out)
        )
        result = _as_declared(result, declared)
        return (
            pl.concat([result, batch.select(extra)], how="horizontal")
            if extra
            else result
        )

    return X.map_batches(run, schema=out_schema, streamable=True)


Moments6 = tuple[int, int, float, float, float, float]
"""Count, missing, mean, m2, min and max of one column."""


def lazy_moments(X: Any, columns: list[str]) -> tuple[int, dict[str, Moments6]]:
    """Count, missing, mean, ``m2``, min and max of ``columns`` in one streaming query.

    The algebraic statistics stream in polars' own engine (no batch reaches
    Python), NaN counted as missing as everywhere in mlprep. Returns the
    number of rows and ``{column: (count, missing, mean, m2, min, max)}``.
    """
    import polars as pl

    exprs: list[Any] = [pl.len().alias("__rows__")]
    for i, name in enumerate(columns):
        x = pl.col(name).cast(pl.Float64).fill_nan(None)
        exprs += [
            x.count().alias(f"c{i}"),
            x.mean().alias(f"m{i}"),
            x.var(ddof=0).alias(f"v{i}"),
            x.min().alias(f"lo{i}"),
            x.max().alias(f"hi{i}"),
        ]
    row = X.select(exprs).collect(engine="streaming").row(0, named=True)
    rows = int(row["__rows__"])
    out: dict[str, Moments6] = {}
    for i, name in enumerate(columns):
        count = int(row[f"c{i}"])
        nan = float("nan")
        mean = row[f"m{i}"] if count else nan
        variance = row[f"v{i}"] if count else nan
        out[name] = (
            count,
            rows - count,
            nan if mean is None else float(mean),
            0.0 if not count or variance is None else float(variance) * count,
            nan if row[f"lo{i}"] is None else float(row[f"lo{i}"]),
            nan if row[f"hi{i}"] is None else float(row[f"hi{i}"]),
        )
    return rows, out
