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

import warnings
from numbers import Real
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import as_float_array, is_float, moments, nanquantiles
from mlprep.exceptions import DataError, DataWarning, InvalidParameterError

__all__ = [
    "DEFAULT_K",
    "MAD_CONSTANT",
    "METHODS",
    "finite_values",
    "is_quantile_pair",
    "learn_bounds",
    "outlier_flags",
    "outside_expr",
    "resolve_k",
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


def _fence(
    data: np.ndarray, method: str, k: float | None, quantiles: Any
) -> tuple[float, float, bool]:
    """``(low, high, zero_spread)`` for one column's finite values."""
    if method == "quantile":
        low, high = nanquantiles(data, [float(quantiles[0]), float(quantiles[1])])
        return float(low), float(high), bool(high == low)
    assert k is not None, "resolve_k gives a width to every method but 'quantile'"
    if method == "iqr":
        q1, q3 = nanquantiles(data, [0.25, 0.75])
        spread = q3 - q1
        return float(q1 - k * spread), float(q3 + k * spread), bool(spread == 0)
    if method == "zscore":
        stats = moments(data)
        mean, variance = stats.mean, stats.variance
        if not np.isfinite(variance):  # values near the float64 limit
            return -np.inf, np.inf, False
        if stats.constant:
            # (numerically) constant: the mean may differ from the value in the
            # last bit, so the fences are the observed extremes, not mean ± 0.
            return float(data.min()), float(data.max()), True
        half = k * float(np.sqrt(variance))
        return mean - half, mean + half, False
    median = float(nanquantiles(data, [0.5])[0])
    mad = float(nanquantiles(np.abs(data - median), [0.5])[0])
    half = k * mad / MAD_CONSTANT
    return median - half, median + half, bool(mad == 0)


def finite_values(series: nw.Series, owner: str) -> np.ndarray:
    """The finite values of a numeric column as float64 (NaN, null and ±inf dropped).

    One sum decides the common case: it is finite only if every value is
    (NaN and ±inf propagate), so clean columns are returned without a copy.
    """
    values = as_float_array(series, owner=owner)
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
    """Learn ``{column: [low, high]}`` for each column of ``columns``.

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
    bounds: dict[str, list[float]] = {}
    statistics: dict[str, float] = {}
    flat: list[str] = []
    empty: list[str] = []
    for name in columns:
        data = finite_values(frame[name], owner)
        if data.size == 0:
            empty.append(name)
            continue
        low, high, zero = _fence(data, method, k, quantiles)
        bounds[name] = [low, high]
        if zero:
            flat.append(name)
        if inlier_statistic is not None:
            inliers = data[(data >= low) & (data <= high)]
            if inliers.size == 0:
                raise DataError(
                    f"{owner}: no value of column {name!r} lies within its fences "
                    f"[{low!r}, {high!r}], so the {inlier_statistic} of its inliers "
                    "is undefined. Widen the fences (a larger k, or quantiles "
                    "further apart) or use action='clip'."
                )
            statistics[name] = (
                moments(inliers, variance=False).mean
                if inlier_statistic == "mean"
                else float(nanquantiles(inliers, [0.5])[0])
            )
    if empty:
        raise DataError(
            f"{owner} cannot learn fences for column {empty[0]!r}: it has no finite "
            "value (only NaN, null or ±inf)"
            + (f"; nor for {empty[1:]}" if len(empty) > 1 else "")
            + ". Impute or drop the column, or leave it out of columns=."
        )
    if flat:
        warnings.warn(
            f"{owner}: column(s) {flat} have zero {_SPREAD_WORDS[method]} in the "
            f"training data, so their fences collapse to a single value ({method!r} "
            "method): any other value there counts as an outlier. Check these "
            "columns, drop them, or leave them out of columns=.",
            DataWarning,
            stacklevel=4,
        )
    return bounds, statistics


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
