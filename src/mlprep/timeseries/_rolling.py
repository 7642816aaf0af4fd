"""Rolling-window statistics per group, in time order, leak-free by default."""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np

from mlprep.core import (
    Boolean,
    ColumnSpec,
    Interval,
    Options,
    Predicate,
    output_name,
    rolling_stat,
)
from mlprep.timeseries._base import PanelTransformer, group_columns_ok, time_column_ok
from mlprep.timeseries._panel import Panel, duration_ns, is_lag, locate
from mlprep.timeseries._units import in_units

__all__ = ["RollingFeatures"]

STATS = ("mean", "std", "min", "max", "sum", "median", "count", "quantile")


def _tuple(value: Any) -> tuple[Any, ...]:
    return (value,) if isinstance(value, (int, str, float)) else tuple(value)


def _windows_ok(value: Any) -> bool:
    items = _tuple(value)
    return bool(items) and all(is_lag(v) for v in items)


def _stats_ok(value: Any) -> bool:
    items = _tuple(value)
    return (
        bool(items)
        and all(isinstance(v, str) and v in STATS for v in items)
        and len(set(items)) == len(items)
    )


def _quantiles_ok(value: Any) -> bool:
    items = _tuple(value)
    return bool(items) and all(
        # numbers.Real only promises < and <=; a NaN fails ``v <= 1``.
        isinstance(v, Real) and not isinstance(v, bool) and not v < 0 and v <= 1
        for v in items
    )


def quantile_label(q: float) -> str:
    """``q0.25 -> "q25"``, ``0.025 -> "q2.5"``: the percentile in a column name."""
    return f"q{round(100 * float(q), 10):g}"


def window_bounds(
    panel: Panel, window: Any, closed: str
) -> tuple[np.ndarray, np.ndarray]:
    """Per sorted row, the window ``[lo, hi)`` of sorted positions in its group.

    Row windows follow pandas' ``rolling(w, closed=...)``: ``"right"`` is the
    ``w`` rows ending at the row, ``"left"`` the ``w`` rows before it,
    ``"both"`` ``w + 1`` rows, ``"neither"`` ``w - 1``. Duration windows are
    ``(t - d, t]`` (right), ``[t - d, t)`` (left), ``[t - d, t]`` (both) and
    ``(t - d, t)`` (neither).
    """
    index = panel.index
    hi = index + 1 if closed in ("right", "both") else index
    include_far = closed in ("left", "both")
    if isinstance(window, str):
        lo = locate(
            panel, panel.times - duration_ns(window), "left" if include_far else "right"
        )
        return lo, np.maximum(hi, lo)
    # a row window starts at most at its own row (w >= 1), so lo <= hi already
    lo = index - (int(window) - (0 if include_far else 1))
    np.maximum(lo, panel.starts, out=lo)
    return lo, hi


class RollingFeatures(PanelTransformer):
    """Statistics over a sliding window of each group's earlier rows.

    Parameters
    ----------
    {columns}
        They are read, not replaced: the new columns are appended.
    windows : int, str or sequence of them, default=(7,)
        Row windows (``7``) or durations (``"7D"``, needing a datetime or date
        ``time_column``).
    stats : str or sequence of str, default=("mean",)
        Any of ``"mean"``, ``"std"`` (ddof=1), ``"min"``, ``"max"``, ``"sum"``,
        ``"median"``, ``"count"`` (non-missing values in the window) and
        ``"quantile"`` (one column per entry of ``quantiles``).
    quantiles : float or sequence of float, default=(0.5,)
        The quantiles (in [0, 1], linear interpolation) computed by ``"quantile"``.
    time_column : str or None, default=None
        The column ordering the rows; None means they are in time order.
    group_columns : str, list of str or None, default=None
        The columns identifying a series.
    closed : {"left", "right", "both", "neither"}, default="left"
        Which end of the window is included, as in pandas. The default
        ``"left"`` ends the window just before the current row, so a rolling
        feature of the target never contains the target itself.
    min_periods : int, default=1
        Fewer non-missing values than this in a window give a missing value
        (``count`` is never missing).
    {drop_original}

    Attributes
    ----------
    columns_ : list of str
    history_ : dict
        The tail of every group kept by ``fit`` (see :class:`LagFeatures`).
    time_kind_ : str
    partial_state_ : TailsState
        The tails in mergeable form (see :class:`LagFeatures`).
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    See Also
    --------
    LagFeatures, ExpandingFeatures

    Notes
    -----
    Output columns ``{col}_roll_{window}_{stat}`` (``sales_roll_7_mean``,
    ``sales_roll_7D_std``, ``sales_roll_28_q90``) are appended as float64.
    Missing values inside a window are skipped. The statistics run on pandas'
    compiled rolling kernels over windows bounded within each group, so the
    numbers equal ``df.sort_values([g, t]).groupby(g)[col].rolling(...)``.

    Infinities are accepted, with pandas' rule: every statistic skips
    ``±inf`` as it skips a missing value (and ``min_periods`` does not count
    them), except ``count``, which counts them as values. Finite values near
    the float64 limit (``1e308``) are computed in power-of-two units per
    group, so a mean, std, median or quantile of finite values is finite;
    only a ``sum`` beyond ``±1.8e308`` is ``±inf`` (its rounded value).

    History, overlap, unseen groups, batches and shards follow
    :class:`LagFeatures`; the tail keeps the last ``max(row windows)`` rows
    and ``max(durations)`` of time.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.timeseries import RollingFeatures
    >>> X = pd.DataFrame({"store": ["a", "a", "a", "b", "b"],
    ...                   "day": [3, 1, 2, 1, 2],
    ...                   "sales": [30.0, 10.0, 20.0, 5.0, 7.0]})
    >>> roll = RollingFeatures(windows=2, stats=("mean", "max"), time_column="day",
    ...                        group_columns="store")
    >>> roll.fit_transform(X)
      store  day  sales_roll_2_mean  sales_roll_2_max
    0     a    3               15.0              20.0
    1     a    1                NaN               NaN
    2     a    2               10.0              10.0
    3     b    1                NaN               NaN
    4     b    2                5.0               5.0
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "columns": [ColumnSpec],
        "drop_original": [Boolean],
        "windows": [
            Predicate(
                _windows_ok,
                "an int >= 1, a duration string such as '7D', or a non-empty sequence of them",
            )
        ],
        "stats": [
            Predicate(
                _stats_ok, f"a non-empty sequence of distinct names among {STATS}"
            )
        ],
        "quantiles": [
            Predicate(
                _quantiles_ok, "a float in [0, 1] or a non-empty sequence of them"
            )
        ],
        "time_column": [Predicate(time_column_ok, "a column name or None")],
        "group_columns": [
            Predicate(
                group_columns_ok,
                "a column name, a non-empty list of column names, or None",
            )
        ],
        "closed": [Options("left", "right", "both", "neither")],
        "min_periods": [Interval(Integral, 1, None)],
    }

    def __init__(
        self,
        *,
        columns: Any = None,
        windows: Any = (7,),
        stats: Any = ("mean",),
        quantiles: Any = (0.5,),
        time_column: str | None = None,
        group_columns: Any = None,
        closed: str = "left",
        min_periods: int = 1,
        drop_original: bool = True,
    ) -> None:
        self.columns = columns
        self.windows = windows
        self.stats = stats
        self.quantiles = quantiles
        self.time_column = time_column
        self.group_columns = group_columns
        self.closed = closed
        self.min_periods = min_periods
        self.drop_original = drop_original

    def _uses_durations(self) -> bool:
        return any(isinstance(w, str) for w in _tuple(self.windows))

    def _history_rows(self) -> int:
        return max(
            (w for w in _tuple(self.windows) if not isinstance(w, str)), default=0
        )

    def _history_span(self) -> int:
        return max((duration_ns(w) or 0 for w in _tuple(self.windows)), default=0)

    def _named_stats(self) -> list[tuple[str, str, float | None]]:
        """(label, stat, quantile) for each output statistic."""
        named: list[tuple[str, str, float | None]] = []
        for stat in _tuple(self.stats):
            if stat == "quantile":
                named += [
                    (quantile_label(q), stat, float(q)) for q in _tuple(self.quantiles)
                ]
            else:
                named.append((stat, stat, None))
        return named

    def _output_names(self) -> list[str]:
        return [
            output_name(c, f"roll_{w}_{label}")
            for c in self.columns_
            for w in _tuple(self.windows)
            for label, _, _ in self._named_stats()
        ]

    def _features(
        self, panel: Panel, values: dict[str, np.ndarray]
    ) -> dict[str, np.ndarray]:
        out = {}
        bounds = {w: window_bounds(panel, w, self.closed) for w in _tuple(self.windows)}
        for name in self.columns_:
            # values near 1e308 are computed in power-of-two units (exact)
            x, units = in_units(values[name], panel.heads)
            for window, (lo, hi) in bounds.items():
                for label, stat, q in self._named_stats():
                    column = rolling_stat(
                        x, lo, hi, stat, min_periods=self.min_periods, quantile=q
                    )
                    if units is not None and stat != "count":
                        with np.errstate(over="ignore"):  # a sum beyond float64: ±inf
                            column = column * units
                    out[output_name(name, f"roll_{window}_{label}")] = column
        return out
