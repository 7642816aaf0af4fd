"""Expanding-window statistics per group, with the training period summarised."""

from __future__ import annotations

from numbers import Integral
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
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
from mlprep.timeseries._base import (
    PanelTransformer,
    group_columns_ok,
    time_column_ok,
)
from mlprep.timeseries._panel import Panel, build_panel, group_codes, key_values
from mlprep.timeseries._summary import SummaryState
from mlprep.timeseries._units import in_units

__all__ = ["ExpandingFeatures"]

STATS = ("mean", "std", "min", "max", "sum", "count")


def _tuple(value: Any) -> tuple[Any, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _stats_ok(value: Any) -> bool:
    items = _tuple(value)
    return (
        bool(items)
        and all(isinstance(v, str) and v in STATS for v in items)
        and len(set(items)) == len(items)
    )


class ExpandingFeatures(PanelTransformer):
    """Statistics over all earlier rows of each group (an ever-growing window).

    Parameters
    ----------
    {columns}
        They are read, not replaced: the new columns are appended.
    stats : str or sequence of str, default=("mean",)
        Any of ``"mean"``, ``"std"`` (ddof=1), ``"min"``, ``"max"``, ``"sum"``
        and ``"count"`` (non-missing values so far). These merge exactly, which
        is what lets ``fit`` summarise the training period in a few numbers per
        group; medians and quantiles do not (use :class:`RollingFeatures` with
        a long window).
    time_column : str or None, default=None
        The column ordering the rows; None means they are in time order.
    group_columns : str, list of str or None, default=None
        The columns identifying a series.
    closed : {"left", "right"}, default="left"
        ``"left"`` uses the rows strictly before the current one (leak-free
        for a target); ``"right"`` includes the current row.
    min_periods : int, default=1
        Fewer non-missing values than this give a missing value (``count``
        is never missing).
    {drop_original}

    Attributes
    ----------
    columns_ : list of str
    history_ : dict
        One entry per group seen in ``fit``: ``{"time": last time (without
        time_column: the group's number of rows), "groups": {group column:
        [keys]}, "summary": {column: {"count", "finite", "sum", "mean",
        "m2", "min", "max", "unit": float64 arrays}}}``. ``count`` counts the
        non-missing values, ``finite`` those that are not ``±inf``;
        ``sum`` and ``m2`` are in units of ``unit`` (``sum / unit``,
        ``m2 / unit**2``), a power of two that is 1.0 unless the group holds
        values beyond ``2**500``.
    time_kind_ : str
    partial_state_ : SummaryState
        The summaries in mergeable form (what ``partial_fit``,
        :func:`mlprep.merge` and ``mlprep.save`` keep).
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    See Also
    --------
    RollingFeatures, LagFeatures

    Notes
    -----
    Output columns ``{col}_expanding_{stat}`` are appended as float64.

    Infinities are accepted, with pandas' rule (as in
    :class:`RollingFeatures`): every statistic skips ``±inf`` as it skips a
    missing value, and ``min_periods`` does not count them, except ``count``,
    which counts them. Finite values near the float64 limit (``1e308``) are
    summarised in power-of-two units per group, so a mean or std of finite
    values is finite, in ``fit_transform`` and after ``fit`` alike; only a
    ``sum`` beyond ``±1.8e308`` is ``±inf`` (its rounded value).

    History rule: a new row later than its group's last fitted time sees the
    whole fitted history of the group (through the stored summary) plus the
    earlier new rows that are also later than it. A new row at or before that
    time replays the training period: it sees only the new rows of its group
    up to it, so ``fit(X).transform(X)`` equals ``fit_transform(X)`` and no
    row is counted twice. Groups unseen in ``fit`` start empty. Without
    ``time_column`` every row given to ``transform`` follows the fitted ones.

    Batches and shards: ``partial_fit`` batches, lazy sources and
    :func:`mlprep.merge` of shards merge the per-group summaries (Chan et
    al.'s rule for mean and M2), in any order and with or without
    ``time_column`` (sums, moments and extremes do not depend on the row
    order); the result equals ``fit`` on all the rows up to float rounding.
    Lazy ``transform`` is refused (a row's features need earlier rows).

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.timeseries import ExpandingFeatures
    >>> train = pd.DataFrame({"day": [1, 2, 3], "sales": [1.0, 2.0, 6.0]})
    >>> exp = ExpandingFeatures(stats=("mean", "max"), time_column="day")
    >>> exp.fit_transform(train)
       day  sales_expanding_mean  sales_expanding_max
    0    1                   NaN                  NaN
    1    2                   1.0                  1.0
    2    3                   1.5                  2.0
    >>> exp.transform(pd.DataFrame({"day": [4, 5], "sales": [3.0, 0.0]}))
       day  sales_expanding_mean  sales_expanding_max
    0    4                   3.0                  6.0
    1    5                   3.0                  6.0
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "columns": [ColumnSpec],
        "drop_original": [Boolean],
        "stats": [
            Predicate(
                _stats_ok, f"a non-empty sequence of distinct names among {STATS}"
            )
        ],
        "time_column": [Predicate(time_column_ok, "a column name or None")],
        "group_columns": [
            Predicate(
                group_columns_ok,
                "a column name, a non-empty list of column names, or None",
            )
        ],
        "closed": [Options("left", "right")],
        "min_periods": [Interval(Integral, 1, None)],
    }

    def __init__(
        self,
        *,
        columns: Any = None,
        stats: Any = ("mean",),
        time_column: str | None = None,
        group_columns: Any = None,
        closed: str = "left",
        min_periods: int = 1,
        drop_original: bool = True,
    ) -> None:
        self.columns = columns
        self.stats = stats
        self.time_column = time_column
        self.group_columns = group_columns
        self.closed = closed
        self.min_periods = min_periods
        self.drop_original = drop_original

    def _output_names(self) -> list[str]:
        return [
            output_name(c, f"expanding_{s}")
            for c in self.columns_
            for s in _tuple(self.stats)
        ]

    # ------------------------------------------------------------------- fit
    def _order_dependent(self) -> bool:
        return False  # sums, moments and extremes do not care about row order

    def _new_state(self) -> SummaryState:
        return SummaryState(
            time_column=self.time_column,
            groups=self._group_list(),
            columns=self.columns_,
        )

    def _update_state(
        self, state: SummaryState, frame: nw.DataFrame, y: Any
    ) -> SummaryState:
        """Merge the batch's per-group summary into the state."""
        self.time_kind_ = self._check_frame(frame)
        panel, values, _ = self._panel(frame, None)
        return self._summary(state, frame, panel, values)

    def _panel_state(
        self, frame: nw.DataFrame, panel: Panel, values: dict[str, np.ndarray]
    ) -> SummaryState:
        return self._summary(self._new_state(), frame, panel, values)

    def _summary(
        self,
        state: SummaryState,
        frame: nw.DataFrame,
        panel: Panel,
        values: dict[str, np.ndarray],
    ) -> SummaryState:
        """``state`` with each group's summary of ``panel`` merged in."""
        heads = panel.heads
        last = panel.tails - 1
        rows = panel.order[last]
        # the last time, or without a time column the number of rows
        times = panel.times[last] if self.time_column is not None else last + 1 - heads
        return state.of_groups(
            {g: key_values(frame[g])[rows] for g in self._group_list()},
            times,
            {
                name: SummaryState.describe(values[name], heads)
                for name in self.columns_
            },
            time_kind=self.time_kind_,
        )

    # ------------------------------------------------------------- transform
    def _compute(self, frame: nw.DataFrame, history: dict[str, Any]) -> nw.DataFrame:
        panel, values, _ = self._panel(frame, None)
        panel, values, slots = self._split(frame, panel, values, history)
        return self._attach(frame, panel, self._expand(panel, values, history, slots))

    def _split(
        self,
        frame: nw.DataFrame,
        panel: Panel,
        values: dict[str, np.ndarray],
        history: dict[str, Any],
    ) -> tuple[Panel, dict[str, np.ndarray], np.ndarray]:
        """Separate each group's replayed rows from its later rows; find their summaries."""
        last = np.asarray(history["time"])
        hist_codes, codes, _ = group_codes(
            frame, self._group_list(), history["groups"], last.size
        )
        slot = np.full(
            int(max(codes.max(initial=-1), hist_codes.max(initial=-1))) + 1, -1
        )
        slot[hist_codes] = np.arange(hist_codes.size)
        row_slot = slot[codes[panel.new_rows]]
        if self.time_column is None:
            after = row_slot >= 0
        else:
            after = row_slot >= 0
            after[after] = panel.times[after] > last[row_slot[after]]
        split = build_panel(
            panel.codes * 2 + after, np.arange(panel.size), 0, describe=str, owner=""
        )
        moved = Panel(
            panel.order[split.order],
            split.codes,
            panel.times[split.order],
            split.heads,
            np.arange(panel.size),
            panel.new_rows[split.order],
        )
        slots = np.where(after, row_slot, -1)[split.order]
        return moved, {k: v[split.order] for k, v in values.items()}, slots

    def _features(
        self, panel: Panel, values: dict[str, np.ndarray]
    ) -> dict[str, np.ndarray]:
        return self._expand(panel, values, None, None)

    def _expand(
        self,
        panel: Panel,
        values: dict[str, np.ndarray],
        history: dict[str, Any] | None,
        slots: np.ndarray | None,
    ) -> dict[str, np.ndarray]:
        index = np.arange(panel.size)
        hi = index + 1 if self.closed == "right" else index
        lo = panel.starts
        stats = _tuple(self.stats)
        out = {}
        for name in self.columns_:
            x = values[name]
            count = rolling_stat(x, lo, hi, "count", min_periods=1)
            infinite = np.isinf(x)
            finite = count
            if infinite.any():  # skipped as missing by all but ``count``
                x = np.where(infinite, np.nan, x)
                finite = rolling_stat(x, lo, hi, "count", min_periods=1)
            # values near 1e308 in power-of-two units per group (exact)
            x, units = in_units(x, panel.heads)
            mean = rolling_stat(x, lo, hi, "mean", min_periods=1)
            parts = {
                "count": count,
                "finite": finite,
                "mean": np.where(finite > 0, mean, 0.0),
            }
            if units is not None:
                parts["unit"] = units
            if "sum" in stats:
                parts["sum"] = np.nan_to_num(
                    rolling_stat(x, lo, hi, "sum", min_periods=1)
                )
            if "std" in stats:
                var = rolling_stat(x, lo, hi, "var", min_periods=1)
                parts["m2"] = np.where(finite > 1, var * (finite - 1), 0.0)
            if "min" in stats or "max" in stats:
                low = rolling_stat(x, lo, hi, "min", min_periods=1)
                high = rolling_stat(x, lo, hi, "max", min_periods=1)
                parts["min"] = low if units is None else low * units
                parts["max"] = high if units is None else high * units
            if history is not None and slots is not None:
                parts = _merge(parts, history["summary"][name], slots)
            for stat in stats:
                out[output_name(name, f"expanding_{stat}")] = _finish(
                    parts, stat, self.min_periods
                )
        return out


def _merge(
    window: dict[str, np.ndarray], summary: dict[str, Any], slots: np.ndarray
) -> dict[str, np.ndarray]:
    """Chan's merge of each row's window with its group's fitted summary.

    Weighted by the finite counts, in the larger of the two units (the
    window's ``mean``/``sum``/``m2`` are in the window's unit, the summary's
    ``sum``/``m2`` in its own, its ``mean`` plain).
    """
    seen = slots >= 0
    safe = np.where(seen, slots, 0)

    def pick(key: str, empty: float) -> np.ndarray:
        if key not in summary:  # a history_ saved before ``finite``/``unit`` existed
            key, empty = ("count", empty) if key == "finite" else (key, 1.0)
            if key not in summary:
                return np.full(slots.shape, empty)
        column = np.asarray(summary[key], dtype=np.float64)
        return np.where(seen, column[safe] if column.size else empty, empty)

    n_h, mean_h = pick("finite", 0.0), np.nan_to_num(pick("mean", 0.0))
    n_w, mean_w = window["finite"], window["mean"]
    unit_h = pick("unit", 1.0)
    unit_w = window.get("unit")
    ordinary = unit_w is None and bool(np.all(unit_h == 1.0))
    unit = unit_h if unit_w is None else np.maximum(unit_h, unit_w)
    ratio_h = 1.0 if ordinary else unit_h / unit  # powers of two: exact
    ratio_w = 1.0 if unit_w is None else unit_w / unit
    if not ordinary:
        mean_h = mean_h / unit
        mean_w = mean_w * ratio_w
    n = n_h + n_w
    delta = mean_w - mean_h
    share = np.divide(n_w, n, out=np.zeros(n.shape), where=n > 0)
    merged = {
        "count": window["count"] + pick("count", 0.0),
        "finite": n,
        "mean": mean_h + delta * share,
    }
    if not ordinary:
        merged["unit"] = unit
    if "sum" in window:
        sum_h = pick("sum", 0.0)
        merged["sum"] = (
            window["sum"] + sum_h
            if ordinary
            else window["sum"] * ratio_w + sum_h * ratio_h
        )
    if "m2" in window:
        extra = np.where(n > 0, delta * delta * n_h * share, 0.0)
        m2_h = np.nan_to_num(pick("m2", 0.0))
        m2_w = window["m2"]
        if not ordinary:
            m2_h, m2_w = m2_h * ratio_h * ratio_h, m2_w * ratio_w * ratio_w
        merged["m2"] = m2_h + m2_w + extra
    if "min" in window:
        merged["min"] = np.fmin(window["min"], pick("min", np.nan))
        merged["max"] = np.fmax(window["max"], pick("max", np.nan))
    return merged


def _finish(parts: dict[str, np.ndarray], stat: str, min_periods: int) -> np.ndarray:
    """One output statistic; ``mean``, ``std`` and ``sum`` times the row's unit."""
    if stat == "count":
        return parts["count"].astype(np.float64)
    finite = parts["finite"]
    if stat == "std":
        m2 = parts["m2"]
        value = np.full(m2.shape, np.nan)
        np.sqrt(np.divide(m2, finite - 1, out=value, where=finite > 1), out=value)
    else:
        value = parts[stat]
    unit = parts.get("unit")
    if unit is not None and stat in ("mean", "std", "sum"):
        with np.errstate(over="ignore"):  # a sum beyond float64 rounds to ±inf
            value = value * unit
    return np.where(finite >= min_periods, value, np.nan)
