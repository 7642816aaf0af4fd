"""Fences: the per-column ``[low, high]`` interval outside which a value is an outlier.

Shared by :class:`~mlprep.outliers.OutlierHandler` (which treats outliers) and
:class:`~mlprep.outliers.OutlierRemover` (which drops their rows), so both
learn exactly the same fences from the same parameters.

Definitions, on the finite values of a column (NaN, null and ±inf ignored):

``iqr``
    ``[Q1 - k·IQR, Q3 + k·IQR]`` with ``IQR = Q3 - Q1`` (Tukey's fences).
``zscore``
    ``[mean - k·std, mean + k·std]``, std the population standard deviation
    (``ddof=0``), as :func:`scipy.stats.zscore`: a value is out when ``|z| > k``.
    Mean and variance are :func:`mlprep.core._stats.moments`; a column that
    is constant by :attr:`~mlprep.core._stats.Moments.constant` (scikit-learn's
    rule) gets its observed extremes as fences.
``mad``
    ``[median - k·MAD/0.6745, median + k·MAD/0.6745]``: a value is out when
    its modified z-score ``0.6745·(x - median)/MAD`` exceeds ``k`` in absolute
    value (Iglewicz and Hoaglin).
``quantile``
    ``[q(low), q(high)]`` for ``quantiles=(low, high)``.

Every quantile is numpy's and pandas' default ``"linear"`` definition
(:func:`mlprep.core._stats.nanquantiles`). A value equal to a fence is an
inlier; only values strictly outside are outliers.
"""

from __future__ import annotations

from collections.abc import Mapping
from numbers import Real
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import as_float_array, is_float, moments, nanquantiles
from mlprep.core._warnings import warn_data
from mlprep.exceptions import DataError, InvalidParameterError
from mlprep.state import MomentsState, QuantileSketch
from mlprep.state._engine import quantile_summary

__all__ = [
    "DEFAULT_K",
    "MAD_CONSTANT",
    "METHODS",
    "bounds_from_state",
    "check_numeric",
    "is_quantile_pair",
    "learn_bounds",
    "new_fence_state",
    "outlier_flags",
    "outside_expr",
    "resolve_k",
    "update_fence_state",
]

METHODS = ("iqr", "zscore", "mad", "quantile")
DEFAULT_K = {"iqr": 1.5, "zscore": 3.0, "mad": 3.5}
"""Fence width when ``k=None``: Tukey's 1.5, the 3-std rule, Iglewicz-Hoaglin's 3.5."""
MAD_CONSTANT = 0.6745
"""Φ⁻¹(0.75): scales the MAD of normal data to estimate their std (modified z-score)."""

_SPREAD_WORDS = {
    "iqr": "IQR",
    "zscore": "standard deviation",
    "mad": "MAD",
    "quantile": "quantile range",
}


def is_quantile_pair(value: Any) -> bool:
    """Whether ``value`` is ``(low, high)`` with ``0 <= low < high <= 1``."""
    if not isinstance(value, (tuple, list)) or len(value) != 2:
        return False
    if not all(isinstance(q, Real) and not isinstance(q, bool) for q in value):
        return False
    low, high = float(value[0]), float(value[1])
    return 0.0 <= low < high <= 1.0


def resolve_k(method: str, k: float | None, owner: str) -> float | None:
    """The fence width to use: ``k`` or the method's default; None for ``quantile``."""
    if method == "quantile":
        if k is not None:
            raise InvalidParameterError(
                f"The 'k' parameter of {owner} has no meaning with method='quantile' "
                f"(got k={k!r}): the fences are the quantiles themselves. Leave k=None "
                "and set quantiles=(low, high)."
            )
        return None
    return float(DEFAULT_K[method] if k is None else k)


class _Exact:
    """A column's finite values in memory: every statistic exact.

    ``values`` may still hold NaN and ``±inf``: the finite values
    (:attr:`data`) are taken out on first use. With ``moments_first=True``
    (z-score fences, which need only the moments) the moments are computed
    on ``values`` directly, which drops NaN itself: when they come out finite
    the column held no ``±inf``, so they are the finite values' moments, and
    the column is read twice instead of three times.
    """

    def __init__(self, values: np.ndarray, *, moments_first: bool = False) -> None:
        self._values = values
        self._data: np.ndarray | None = None
        self._moments: Any = None
        if moments_first:
            found = moments(values)
            if np.isfinite(found.mean):
                self._moments = found

    @property
    def data(self) -> np.ndarray:
        """The finite values, float64 (no copy when every value is finite)."""
        if self._data is None:
            self._data = _finite(self._values)
        return self._data

    @property
    def size(self) -> int:
        """The number of finite values."""
        if self._moments is not None:
            return int(self._moments.count)
        return int(self.data.size)

    def quantiles(self, qs: list[float]) -> np.ndarray:
        return nanquantiles(self.data, qs)

    def moments(self) -> Any:
        if self._moments is None:
            self._moments = moments(self.data)
        return self._moments

    def extremes(self) -> tuple[float, float]:
        return float(self.data.min()), float(self.data.max())

    def mad(self, median: float) -> float:
        with np.errstate(over="ignore"):  # a deviation beyond float64 is inf: far out
            deviations = np.abs(self.data - median)
        return float(nanquantiles(deviations, [0.5])[0])

    def inliers(self, low: float, high: float) -> tuple[np.ndarray, np.ndarray | None]:
        data = self.data
        return data[(data >= low) & (data <= high)], None


class _Sketched:
    """A column summarised by its partial state: a KLL sketch and exact moments.

    Quantiles, the MAD (the half-width ``d`` with ``F(m + d) - F(m - d) = 1/2``,
    by bisection on the sketch's ranks) and the inliers' statistics come from
    the sketch; mean and variance from the moments, exactly.
    """

    def __init__(self, part: dict[str, Any]) -> None:
        self.sketch, self.stats = part["sketch"], part["moments"]
        self.size = int(self.stats.count)

    def quantiles(self, qs: list[float]) -> np.ndarray:
        return self.sketch.quantiles(qs)

    def moments(self) -> Any:
        return self.stats.moments

    def extremes(self) -> tuple[float, float]:
        return self.stats.minimum, self.stats.maximum

    def mad(self, median: float) -> float:
        lo, hi = 0.0, max(self.stats.maximum - median, median - self.stats.minimum)
        for _ in range(100):
            mid = 0.5 * (lo + hi)
            if mid in (lo, hi):
                break
            inside = self.sketch.rank(median + mid) - self.sketch.rank(
                np.nextafter(median - mid, -np.inf)
            )
            lo, hi = (mid, hi) if inside < 0.5 else (lo, mid)
        return hi

    def inliers(self, low: float, high: float) -> tuple[np.ndarray, np.ndarray | None]:
        values, weights = self.sketch.items()
        keep = (values >= low) & (values <= high)
        return values[keep], weights[keep]


def _summary(part: Any) -> _Exact | _Sketched:
    """A state's summary; a sketch that still holds every value is exact."""
    if part["sketch"] is not None and part["sketch"].exact:
        return _Exact(part["sketch"].items()[0])  # finite already: no copy
    return _Sketched(part)


def _fence(
    data: _Exact | _Sketched, method: str, k: float | None, quantiles: Any
) -> tuple[float, float, bool]:
    """``(low, high, zero_spread)`` for one column's finite values."""
    if method == "quantile":
        low, high = data.quantiles([float(quantiles[0]), float(quantiles[1])])
        return float(low), float(high), bool(high == low)
    assert k is not None, "resolve_k gives a width to every method but 'quantile'"
    if method == "iqr":
        q1, q3 = data.quantiles([0.25, 0.75])
        # near ±1e308 a fence beyond the float64 range is ±inf: nothing is out there
        with np.errstate(over="ignore", invalid="ignore"):
            spread = q3 - q1
            return float(q1 - k * spread), float(q3 + k * spread), bool(spread == 0)
    if method == "zscore":
        stats = data.moments()
        mean, std = stats.mean, stats.std  # std in power-of-two units near 1e308
        if not np.isfinite(std):  # a lazy source's sums beyond float64
            return -np.inf, np.inf, False
        if stats.constant:
            # (numerically) constant: the mean may differ from the value in the
            # last bit, so the fences are the observed extremes, not mean ± 0.
            return (*data.extremes(), True)
        with np.errstate(over="ignore"):  # a fence beyond float64 is ±inf
            half = k * std
            return float(mean - half), float(mean + half), False
    median = float(data.quantiles([0.5])[0])
    mad = data.mad(median)
    with np.errstate(over="ignore", invalid="ignore"):  # fences beyond float64: ±inf
        half = k * mad / MAD_CONSTANT
        return float(median - half), float(median + half), bool(mad == 0)


def _inlier_statistic(
    inliers: np.ndarray, weights: np.ndarray | None, which: str
) -> float:
    """Mean or median of the inliers (weighted by the sketch's weights if any)."""
    if weights is None:
        if which == "mean":
            return moments(inliers, variance=False).mean
        return float(nanquantiles(inliers, [0.5])[0])
    if which == "mean":
        return float(np.average(inliers, weights=weights))
    order = np.argsort(inliers)
    cumulative = np.cumsum(weights[order])
    return float(inliers[order][np.searchsorted(cumulative, 0.5 * cumulative[-1])])


def _finite(values: np.ndarray) -> np.ndarray:
    """The finite values of a float64 vector (NaN and ±inf dropped).

    One sum decides the common case: it is finite only if every value is
    (NaN and ±inf propagate), so clean columns are returned without a copy.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(np.add.reduce(values)):
            return values
    return values[np.isfinite(values)]


def learn_bounds(
    frame: nw.DataFrame,
    columns: list[str],
    *,
    method: str,
    k: float | None,
    quantiles: Any,
    owner: str,
    inlier_statistic: str | None = None,
) -> tuple[dict[str, list[float]], dict[str, float]]:
    """Learn ``{column: [low, high]}`` for each column of ``columns``, exactly.

    With ``inlier_statistic="mean"`` or ``"median"``, also return that
    statistic of each column's inliers (finite values within the fences),
    computed in the same pass; otherwise the second dict is empty.

    Raises
    ------
    DataError
        A column has no finite value to learn fences from.

    Warns
    -----
    DataWarning
        Columns whose spread is zero: their fences collapse to one value.
    """
    summaries = {
        name: _Exact(
            as_float_array(frame[name], owner=owner), moments_first=method == "zscore"
        )
        for name in columns
    }
    return _bounds(summaries, method, k, quantiles, owner, inlier_statistic)


def new_fence_state(columns: list[str], method: str, inliers: bool) -> dict[str, Any]:
    """An empty partial state per column: exact moments, and a KLL sketch if needed.

    ``zscore`` fences need only the moments (so they stay exact); quantile
    fences, the MAD and the inliers' statistics need the sketch.
    """
    sketch = method != "zscore" or inliers
    return {
        name: {
            "moments": MomentsState(),
            "sketch": QuantileSketch() if sketch else None,
        }
        for name in columns
    }


def update_fence_state(
    state: dict[str, Any], frame: nw.DataFrame, columns: list[str], owner: str
) -> dict[str, Any]:
    """The state with a batch's finite values added."""
    for name in columns:
        values = as_float_array(frame[name], owner=owner)
        with np.errstate(invalid="ignore"):
            finite = np.where(np.isfinite(values), values, np.nan)
        part = state[name]
        part["moments"] = part["moments"].merge(MomentsState.of(finite))
        if part["sketch"] is not None:
            part["sketch"] = part["sketch"].update(finite)
    return state


def bounds_from_state(
    state: dict[str, Any],
    *,
    method: str,
    k: float | None,
    quantiles: Any,
    owner: str,
    inlier_statistic: str | None = None,
) -> tuple[dict[str, list[float]], dict[str, float], tuple[str, float]]:
    """:func:`learn_bounds` from a partial state, plus ``(quantile_method_, rank_error_)``."""
    summaries = {name: _summary(part) for name, part in state.items()}
    bounds, statistics = _bounds(
        summaries, method, k, quantiles, owner, inlier_statistic
    )
    sketches = [p["sketch"] for p in state.values() if p["sketch"] is not None]
    return bounds, statistics, quantile_summary(sketches)


def _bounds(
    summaries: Mapping[str, _Exact | _Sketched],
    method: str,
    k: float | None,
    quantiles: Any,
    owner: str,
    inlier_statistic: str | None,
) -> tuple[dict[str, list[float]], dict[str, float]]:
    bounds: dict[str, list[float]] = {}
    statistics: dict[str, float] = {}
    flat: list[str] = []
    empty: list[str] = []
    for name, data in summaries.items():
        if data.size == 0:
            empty.append(name)
            continue
        low, high, zero = _fence(data, method, k, quantiles)
        bounds[name] = [low, high]
        if zero:
            flat.append(name)
        if inlier_statistic is not None:
            inliers, weights = data.inliers(low, high)
            if inliers.size == 0:
                raise DataError(
                    f"{owner}: no value of column {name!r} lies within its fences "
                    f"[{low!r}, {high!r}], so the {inlier_statistic} of its inliers "
                    "is undefined. Widen the fences (a larger k, or quantiles "
                    "further apart) or use action='clip'."
                )
            statistics[name] = _inlier_statistic(inliers, weights, inlier_statistic)
    if empty:
        raise DataError(
            f"{owner} cannot learn fences for column {empty[0]!r}: it has no finite "
            "value (only NaN, null or ±inf)"
            + (f"; nor for {empty[1:]}" if len(empty) > 1 else "")
            + ". Impute or drop the column, or leave it out of columns=."
        )
    if flat:
        warn_data(
            f"{owner}: column(s) {flat} have zero {_SPREAD_WORDS[method]} in the "
            f"training data, so their fences collapse to a single value ({method!r} "
            "method): any other value there counts as an outlier. Check these "
            "columns, drop them, or leave them out of columns=."
        )
    return bounds, statistics


def check_numeric(name: str, dtype: Any, owner: str) -> None:
    """Refuse a column that is not numeric (or boolean) where fences are applied.

    The fit refuses such a column (:func:`mlprep.core.as_float_array`); a
    column that arrives as strings after the fit is refused alike, whatever
    the method and action, rather than parsed by some treatments and
    compared as text by others.
    """
    if dtype == nw.Boolean or dtype.is_numeric():
        return
    raise DataError(
        f"{owner} needs numeric columns, but column {name!r} has dtype {dtype} "
        "(it was numeric in fit). Convert it to numbers first (e.g. "
        "pandas.to_numeric, or cast in polars) or leave it out of columns=."
    )


def outside_expr(name: str, dtype: Any, low: float, high: float) -> nw.Expr:
    """True where column ``name`` lies strictly outside ``[low, high]``.

    NaN gives False and null gives null (polars orders NaN above every
    number, so NaN is excluded explicitly): a missing value is never an outlier.
    """
    column = nw.col(name)
    expr = (column < low) | (column > high)
    if is_float(dtype):
        expr = expr & ~column.is_nan()
    return expr


def outlier_flags(frame: nw.DataFrame, bounds: dict[str, list[float]]) -> np.ndarray:
    """Boolean ``(n_rows, n_columns)`` array: which cells lie outside their fences."""
    schema = frame.schema
    exprs = [
        outside_expr(name, schema[name], low, high).fill_null(False).alias(name)
        for name, (low, high) in bounds.items()
    ]
    return np.asarray(frame.select(*exprs).to_numpy(), dtype=bool)
