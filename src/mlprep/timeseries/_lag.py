"""Lag features per group, in time order, with the training tail carried over."""

from __future__ import annotations

from numbers import Real
from typing import Any, ClassVar

import numpy as np

from mlprep.core import Boolean, ColumnSpec, Predicate, output_name
from mlprep.timeseries._base import PanelTransformer, group_columns_ok, time_column_ok
from mlprep.timeseries._panel import (
    Panel,
    duration_ns,
    is_lag,
    shift_duration,
    shift_rows,
)

__all__ = ["LagFeatures"]


def _lags_ok(value: Any) -> bool:
    items = [value] if isinstance(value, (int, str)) else value
    return (
        isinstance(items, (list, tuple))
        and bool(items)
        and all(is_lag(v) for v in items)
    )


def _as_tuple(value: Any) -> tuple[Any, ...]:
    return (value,) if isinstance(value, (int, str)) else tuple(value)


class LagFeatures(PanelTransformer):
    """The value of each column some rows, or some time, earlier in the same group.

    Rows are ordered by ``time_column`` within each group (entity: store,
    product, sensor) and the output comes back in the caller's row order. A
    lag never crosses groups. ``fit`` keeps each group's last rows, so
    ``transform`` on the period that follows gets real lags at the boundary
    instead of missing values.

    Parameters
    ----------
    {columns}
        They are read, not replaced: the new columns are appended.
    lags : int, str or sequence of them, default=(1,)
        Row lags (``7``: the 7th earlier row of the group) or durations
        (``"7D"``, ``"12h"``: the value exactly that long before, missing when
        the group has no row at that time; needs a datetime or date
        ``time_column``).
    time_column : str or None, default=None
        The column that orders the rows (datetime, date or numeric). None
        means the rows are already in time order.
    group_columns : str, list of str or None, default=None
        The columns identifying a series; None means one series.
    fill_value : float, default=NaN
        The value where no earlier row exists (first rows of a group, or no row
        exactly a duration earlier). A missing value that *is* lagged stays missing.
    {drop_original}

    Attributes
    ----------
    columns_ : list of str
        The lagged columns.
    history_ : dict
        The tail of every group kept by ``fit``: ``{"time": int64 ns (or
        numbers, or row positions), "groups": {group column: [keys]},
        "values": {column: float64}}``, one entry per kept row.
    time_kind_ : str
        ``"datetime"``, ``"date"``, ``"numeric"`` or ``"row"`` (no time column).
    partial_state_ : TailsState
        The same tails in mergeable form (what ``partial_fit``,
        :func:`mlprep.merge` and ``mlprep.save`` keep).
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    See Also
    --------
    RollingFeatures, ExpandingFeatures, DiffFeatures

    Notes
    -----
    Output columns are appended, named ``{col}_lag_{lag}`` (``sales_lag_7``,
    ``sales_lag_7D``), float64; polars and pyarrow outputs hold null where
    pandas holds NaN. A lag copies a value as it is: ``±inf`` and values near
    ``1e308`` are accepted and lagged unchanged.

    History and overlap: ``transform`` works on the union of the fitted tail
    and the new rows. A new row with the same (group, time) as a tail row
    replaces it, so ``fit(X).transform(X)`` equals ``fit_transform(X)``; a
    later period gets its first lags from the tail. The tail holds the last
    ``max(row lags)`` rows and the last ``max(duration)`` of time of each
    group, which is all a later row can need; rows older than the tail see
    only what the tail and the new rows contain. Groups unseen in ``fit``
    start with an empty history. Without ``time_column``, the rows given to
    ``transform`` are taken to follow the fitted rows directly, so
    ``fit_transform(X)`` (no history) differs from ``fit(X).transform(X)``.

    Duplicate (group, time) pairs raise a :class:`~mlprep.exceptions.DataError`
    naming one.

    Batches and shards: each group keeps its latest rows. With
    ``time_column``, ``partial_fit`` batches, the batches of a lazy source
    (polars ``LazyFrame``, DuckDB, Arrow dataset, Spark) and shards combined
    by :func:`mlprep.merge` may come in any order: the tails are those of
    ``fit`` on all the rows (a row sent twice is a duplicate). Without
    ``time_column`` the row order is the time order: each ``partial_fit``
    batch follows the one before, while lazy sources (whose batches have no
    set order) and merges of shards are refused with a DataError. Lazy
    ``transform`` is refused too (a row's features need earlier rows):
    collect the frame first.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.timeseries import LagFeatures
    >>> train = pd.DataFrame({
    ...     "store": ["a", "b", "a", "b"],
    ...     "day": pd.to_datetime(["2024-01-01", "2024-01-01", "2024-01-02", "2024-01-02"]),
    ...     "sales": [10.0, 20.0, 11.0, 21.0],
    ... })
    >>> lag = LagFeatures(lags=(1, "1D"), time_column="day", group_columns="store",
    ...                   drop_original=False)
    >>> lag.fit_transform(train)[["store", "sales", "sales_lag_1", "sales_lag_1D"]]
      store  sales  sales_lag_1  sales_lag_1D
    0     a   10.0          NaN           NaN
    1     b   20.0          NaN           NaN
    2     a   11.0         10.0          10.0
    3     b   21.0         20.0          20.0
    >>> test = pd.DataFrame({"store": ["b", "a"],
    ...                      "day": pd.to_datetime(["2024-01-03", "2024-01-03"]),
    ...                      "sales": [22.0, 12.0]})
    >>> lag.transform(test)["sales_lag_1"].tolist()
    [21.0, 11.0]
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "columns": [ColumnSpec],
        "drop_original": [Boolean],
        "lags": [
            Predicate(
                _lags_ok,
                "an int >= 1, a duration string such as '7D', or a non-empty sequence of them",
            )
        ],
        "time_column": [Predicate(time_column_ok, "a column name or None")],
        "group_columns": [
            Predicate(
                group_columns_ok,
                "a column name, a non-empty list of column names, or None",
            )
        ],
        "fill_value": [
            Predicate(
                lambda v: isinstance(v, Real) and not isinstance(v, bool), "a float"
            )
        ],
    }

    def __init__(
        self,
        *,
        columns: Any = None,
        lags: Any = (1,),
        time_column: str | None = None,
        group_columns: Any = None,
        fill_value: float = np.nan,
        drop_original: bool = True,
    ) -> None:
        self.columns = columns
        self.lags = lags
        self.time_column = time_column
        self.group_columns = group_columns
        self.fill_value = fill_value
        self.drop_original = drop_original

    def _uses_durations(self) -> bool:
        return any(isinstance(v, str) for v in _as_tuple(self.lags))

    def _history_rows(self) -> int:
        return max(
            (v for v in _as_tuple(self.lags) if not isinstance(v, str)), default=0
        )

    def _history_span(self) -> int:
        return max((duration_ns(v) or 0 for v in _as_tuple(self.lags)), default=0)

    def _output_names(self) -> list[str]:
        return [
            output_name(c, f"lag_{lag}")
            for c in self.columns_
            for lag in _as_tuple(self.lags)
        ]

    def _features(
        self, panel: Panel, values: dict[str, np.ndarray]
    ) -> dict[str, np.ndarray]:
        fill = float(self.fill_value)
        out = {}
        for name in self.columns_:
            for lag in _as_tuple(self.lags):
                if isinstance(lag, str):
                    ns = duration_ns(lag)
                    assert ns is not None, (
                        "validated: a string lag is a positive duration"
                    )
                    column = shift_duration(panel, values[name], ns, fill)
                else:
                    column = shift_rows(panel, values[name], int(lag), fill)
                out[output_name(name, f"lag_{lag}")] = column
        return out
