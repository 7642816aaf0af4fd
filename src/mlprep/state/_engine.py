"""The engine that feeds partial states: fitting and transforming lazy sources.

An estimator is mergeable when it writes the state hooks of
:class:`mlprep.core.MlprepTransformer` (``_new_state``, ``_update_state``,
``_finish_state``). Fitting a source then needs nothing else: the schema
decides the columns (no rows are read for that), the batches stream through
``_update_state`` one at a time, and ``_finish_state`` turns the merged state
into the fitted attributes. Spark sources go to :mod:`mlprep.state._spark`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any

import narwhals.stable.v2 as nw

from mlprep.core._sources import (
    as_polars_lazy,
    iter_batches,
    lazy_moments,
    schema_frame,
    transform_lazy,
)
from mlprep.exceptions import DataError
from mlprep.state._merge import merge_states
from mlprep.state._moments import MomentsState
from mlprep.state._quantiles import QuantileSketch

__all__ = ["BATCH_PROGRESS", "fit_source", "quantile_summary", "transform_source"]

BATCH_PROGRESS: ContextVar[Callable[[int], None] | None] = ContextVar(
    "BATCH_PROGRESS", default=None
)
"""Called with the row count of every batch a source fit reads (the command
line's progress bar sets it; nothing else does)."""

_SOURCE_NAMES = {
    "polars-lazy": "polars LazyFrame",
    "duckdb": "DuckDB relation",
    "arrow-dataset": "pyarrow dataset",
    "spark": "Spark DataFrame",
}


def _target_column(y: Any, columns: list[str], owner: str, source: str) -> str | None:
    if y is None:
        return None
    if not isinstance(y, str):
        raise DataError(
            f"{owner}.fit on a {source} takes y as the name of a column of X "
            f"(e.g. y='label'), not a {type(y).__name__}: a source has no row "
            "order to align an array with."
        )
    if y not in columns:
        raise DataError(
            f"The target column {y!r} is not in the {source}; its columns are "
            f"{columns[:20]}."
        )
    return y


def start_source_fit(
    estimator: Any, schema: nw.DataFrame, y: Any, *, partial: bool, source: str
) -> tuple[str | None, Any]:
    """Set the columns from a source's schema, or check them when continuing.

    Returns the target column (None without one) and the partial state to
    continue (None when a new fit was started). Shared by every engine.
    """
    owner = type(estimator).__name__
    target = _target_column(y, list(schema.columns), owner, source)
    features = schema.drop(target) if target is not None else schema
    state = getattr(estimator, "partial_state_", None) if partial else None
    if state is None:
        if partial and estimator._is_fitted():
            estimator._refuse_continuing()
        estimator._start_schema(features)
    else:
        estimator._check_schema(features)
    return target, state


def fit_source(estimator: Any, X: Any, kind: str, y: Any, *, partial: bool) -> Any:
    """Fit (or, with ``partial=True``, continue fitting) ``estimator`` on a source."""
    owner = type(estimator).__name__
    source = _SOURCE_NAMES[kind]
    estimator._validate_params()
    if not estimator._supports_partial_fit():
        raise DataError(
            f"{owner} cannot fit a {source}: {estimator._partial_fit_refusal()}"
        )
    if kind == "spark":
        from mlprep.state._spark import fit_spark

        return fit_spark(estimator, X, y, partial=partial)
    target, state = start_source_fit(
        estimator, schema_frame(X, kind), y, partial=partial, source=source
    )
    if state is None:
        state = estimator._new_state()
    moment_columns = estimator._moment_columns() if kind == "polars-lazy" else None
    if moment_columns is not None:
        # algebraic statistics only: one query in polars' streaming engine
        rows, found = lazy_moments(X, moment_columns)
        state = merge_states(
            state, {n: MomentsState(*found[n]) for n in moment_columns}
        )
        if (tick := BATCH_PROGRESS.get()) is not None:
            tick(rows)
    else:
        read = estimator._read_columns()
        rows = 0
        tick = BATCH_PROGRESS.get()
        for batch in iter_batches(X, kind, read + ([target] if target else [])):
            target_values = batch[target].to_numpy() if target is not None else None
            state = estimator._update_state(state, batch.select(read), target_values)
            rows += batch.shape[0]
            if tick is not None:
                tick(batch.shape[0])
    if rows == 0 and getattr(estimator, "partial_state_", None) is None:
        raise DataError(f"The {source} has no rows: {owner} has nothing to fit.")
    estimator._adopt_state(state)
    return estimator


def transform_source(estimator: Any, X: Any, kind: str) -> Any:
    """Transform a source lazily: a Spark DataFrame for Spark, else a polars LazyFrame."""
    owner = type(estimator).__name__
    if kind == "spark":
        from mlprep.state._spark import transform_spark

        return transform_spark(estimator, X)
    X = as_polars_lazy(X, kind)  # a DuckDB relation or dataset maps as a LazyFrame
    if not estimator._batch_local:
        raise DataError(
            f"{owner} computes each row from earlier rows, so its transform cannot "
            "run batch by batch on a LazyFrame. Collect the frame first "
            "(lf.collect())."
        )
    features = estimator._input_names()
    schema = schema_frame(X, "polars-lazy")
    missing = [c for c in features if c not in schema.columns]
    if missing:
        raise DataError(
            f"The LazyFrame lacks the column {missing[0]!r} that {owner} was fitted on"
            + (f" (also: {missing[1:]})" if len(missing) > 1 else "")
            + "."
        )
    empty_out = estimator._transform(estimator._ingest_schema(schema.select(features)))
    if not isinstance(empty_out, nw.DataFrame):
        raise DataError(
            f"{owner} returns a sparse matrix, which a LazyFrame cannot hold. Set "
            "sparse_output=False to transform lazily."
        )

    def apply(batch: Any) -> Any:
        frame, _ = estimator._ingest(batch, reset=False)
        return nw.to_native(estimator._transform(frame))

    return transform_lazy(X, features, apply, empty_out)


def quantile_summary(sketches: Iterable[QuantileSketch] | None) -> tuple[str, float]:
    """``(quantile_method_, rank_error_)``: ``("exact", 0.0)`` without sketches."""
    bounds = [s.rank_error for s in sketches or ()]
    if not bounds:
        return "exact", 0.0
    return "kll", max(bounds)
