"""Differences and percentage changes per group, in time order."""

from __future__ import annotations

from numbers import Integral
from typing import Any, ClassVar

import numpy as np

from mlprep.core import Boolean, ColumnSpec, Interval, Options, Predicate, output_name
from mlprep.timeseries._base import PanelTransformer, group_columns_ok, time_column_ok
from mlprep.timeseries._panel import Panel, shift_rows

__all__ = ["DiffFeatures"]


def _tuple(value: Any) -> tuple[Any, ...]:
    return (value,) if isinstance(value, (int, np.integer)) else tuple(value)


def _periods_ok(value: Any) -> bool:
    items = _tuple(value)
    return bool(items) and all(
        isinstance(v, (int, np.integer)) and not isinstance(v, bool) and v >= 1
        for v in items
    )


class DiffFeatures(PanelTransformer):
    """The change of each column over ``periods`` rows of the same group.

    ``diff``: ``x[t - shift] - x[t - shift - p]``; ``pct_change``:
    ``x[t - shift] / x[t - shift - p] - 1`` (pandas' ``pct_change`` without
    filling: a missing operand gives a missing result, a zero divisor ±inf).

    Parameters
    ----------
    {columns}
        They are read, not replaced: the new columns are appended.
    periods : int or sequence of int, default=(1,)
        Row distances ``p >= 1``.
    method : {"diff", "pct_change"}, default="diff"
        Absolute difference or relative change.
    shift : int, default=1
        How many rows back the change ends. The default 1 is the change up to
        the previous row, which is safe to compute on a target; ``shift=0``
        is the plain ``diff(p)`` including the current row.
    time_column : str or None, default=None
        The column ordering the rows; None means they are in time order.
    group_columns : str, list of str or None, default=None
        The columns identifying a series.
    {drop_original}

    Attributes
    ----------
    columns_ : list of str
    history_ : dict
        The last ``shift + max(periods)`` rows of every group (see :class:`LagFeatures`).
    time_kind_ : str
    partial_state_ : TailsState
        The tails in mergeable form (see :class:`LagFeatures`).
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    See Also
    --------
    LagFeatures

    Notes
    -----
    Output columns ``{col}_diff_{p}`` or ``{col}_pct_change_{p}`` are appended
    as float64. History, overlap, unseen groups, batches and shards follow
    :class:`LagFeatures`.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.timeseries import DiffFeatures
    >>> X = pd.DataFrame({"day": [1, 2, 3, 4], "sales": [10.0, 12.0, 15.0, 30.0]})
    >>> DiffFeatures(time_column="day").fit_transform(X)["sales_diff_1"].tolist()
    [nan, nan, 2.0, 3.0]
    >>> DiffFeatures(time_column="day", shift=0, method="pct_change").fit_transform(X)[
    ...     "sales_pct_change_1"].tolist()
    [nan, 0.2, 0.25, 1.0]
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "columns": [ColumnSpec],
        "drop_original": [Boolean],
        "periods": [
            Predicate(_periods_ok, "an int >= 1 or a non-empty sequence of them")
        ],
        "method": [Options("diff", "pct_change")],
        "shift": [Interval(Integral, 0, None)],
        "time_column": [Predicate(time_column_ok, "a column name or None")],
        "group_columns": [
            Predicate(
                group_columns_ok,
                "a column name, a non-empty list of column names, or None",
            )
        ],
    }

    def __init__(
        self,
        *,
        columns: Any = None,
        periods: Any = (1,),
        method: str = "diff",
        shift: int = 1,
        time_column: str | None = None,
        group_columns: Any = None,
        drop_original: bool = True,
    ) -> None:
        self.columns = columns
        self.periods = periods
        self.method = method
        self.shift = shift
        self.time_column = time_column
        self.group_columns = group_columns
        self.drop_original = drop_original

    def _history_rows(self) -> int:
        return int(self.shift) + max(int(p) for p in _tuple(self.periods))

    def _output_names(self) -> list[str]:
        return [
            output_name(c, f"{self.method}_{p}")
            for c in self.columns_
            for p in _tuple(self.periods)
        ]

    def _features(
        self, panel: Panel, values: dict[str, np.ndarray]
    ) -> dict[str, np.ndarray]:
        out = {}
        for name in self.columns_:
            end = shift_rows(panel, values[name], int(self.shift), np.nan)
            for p in _tuple(self.periods):
                begin = shift_rows(
                    panel, values[name], int(self.shift) + int(p), np.nan
                )
                with np.errstate(divide="ignore", invalid="ignore"):
                    change = end - begin if self.method == "diff" else end / begin - 1.0
                out[output_name(name, f"{self.method}_{p}")] = change
        return out
