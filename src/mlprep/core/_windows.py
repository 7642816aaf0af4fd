"""Array kernels for windows and groups: statistics over row ranges, key lookup.

The time-series family sorts its rows by (group, time) once and describes
every window as a range ``[lo[i], hi[i])`` of sorted positions. The
statistics over those ranges run on pandas' compiled rolling kernels, and
looking history keys up among a call's keys runs on pandas' hash tables;
families call these helpers instead of pandas.

Like :mod:`mlprep.core._codes`, the kernels take numpy arrays the caller has
already materialized and return numpy arrays; they never receive a
container. Factorizing keys is :func:`mlprep.core._codes.factorize`.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.indexers import BaseIndexer

__all__ = ["WINDOW_STATS", "index_in", "rolling_stat"]

WINDOW_STATS = (
    "count",
    "mean",
    "sum",
    "std",
    "var",
    "min",
    "max",
    "median",
    "quantile",
)
"""The statistics :func:`rolling_stat` computes."""


class _Bounds(BaseIndexer):
    """Precomputed window bounds for pandas' rolling kernels."""

    # Set by BaseIndexer.__init__ from the ``lo=`` and ``hi=`` keyword arguments.
    lo: np.ndarray
    hi: np.ndarray

    def get_window_bounds(
        self,
        num_values: int = 0,
        min_periods: int | None = None,
        center: bool | None = None,
        closed: str | None = None,
        step: int | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        return self.lo, self.hi


def rolling_stat(
    values: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    stat: str,
    *,
    min_periods: int,
    quantile: float | None = None,
) -> np.ndarray:
    """One statistic over ``values[lo[i]:hi[i]]`` for every ``i``.

    Missing values (NaN) inside a window are skipped. ``count`` is the
    number of non-missing values (never missing itself); the other
    statistics are NaN below ``min_periods`` non-missing values. ``std`` and
    ``var`` use ddof=1; ``quantile`` interpolates linearly. The numbers equal
    pandas' ``Series.rolling`` with the same bounds.

    Parameters
    ----------
    values : ndarray of float64, shape (n,)
    lo, hi : ndarray of int, shape (n,)
        Window ``i`` is ``[lo[i], hi[i])``; ``lo <= hi``, both within ``[0, n]``
        and each non-decreasing (windows slide forward).
    stat : str
        One of :data:`WINDOW_STATS`.
    min_periods : int
        The fewest non-missing values that give a result.
    quantile : float or None
        The quantile in [0, 1], for ``stat="quantile"``.

    Returns
    -------
    ndarray of float64, shape (n,)

    Examples
    --------
    >>> import numpy as np
    >>> values = np.array([1.0, 2.0, np.nan, 4.0])
    >>> lo, hi = np.array([0, 0, 0, 1]), np.array([0, 1, 2, 3])
    >>> rolling_stat(values, lo, hi, "mean", min_periods=1).tolist()
    [nan, 1.0, 1.5, 2.0]
    >>> rolling_stat(values, lo, hi, "count", min_periods=1).tolist()
    [0.0, 1.0, 2.0, 1.0]
    """
    if stat not in WINDOW_STATS:
        raise ValueError(f"rolling_stat computes {WINDOW_STATS}, not {stat!r}.")
    if stat == "count":
        present = np.concatenate(([0], np.cumsum(~np.isnan(values))))
        return (present[hi] - present[lo]).astype(np.float64)
    if values.size == 0:
        return values.copy()
    lo, hi = lo.astype(np.int64, copy=False), hi.astype(np.int64, copy=False)
    result = _kernel_stat(values, lo, hi, stat, min_periods, quantile)
    if result is not None:
        return result
    window = pd.Series(values, copy=False).rolling(
        _Bounds(lo=lo, hi=hi), min_periods=min_periods
    )
    if stat == "quantile":
        series = window.quantile(quantile, interpolation="linear")
    elif stat == "std":
        return np.sqrt(window.var().to_numpy(dtype=np.float64))
    else:
        series = getattr(window, stat)()
    return series.to_numpy(dtype=np.float64)


def _kernels() -> dict[str, Any]:
    """pandas' compiled window kernels by statistic; empty if they cannot be imported.

    These are the functions ``Series.rolling(...).mean()`` etc. call once the
    bounds are known; calling them directly skips building two Series per
    statistic. The public API is the fallback.
    """
    try:
        kernels = importlib.import_module("pandas._libs.window.aggregations")

        return {
            "mean": kernels.roll_mean,
            "sum": kernels.roll_sum,
            "var": kernels.roll_var,
            "std": kernels.roll_var,
            "min": kernels.roll_min,
            "max": kernels.roll_max,
            "median": kernels.roll_median_c,
            "quantile": kernels.roll_quantile,
        }
    except (ImportError, AttributeError):  # pragma: no cover - a pandas without them
        return {}


_KERNELS = _kernels()


def _kernel_stat(
    values: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    stat: str,
    min_periods: int,
    quantile: float | None,
) -> np.ndarray | None:
    """``rolling_stat`` through pandas' kernel, prepared as pandas prepares it; None
    when the kernel is unavailable or refuses the call (the public path runs then)."""
    kernel = _KERNELS.get(stat)
    if kernel is None:
        return None
    x = np.ascontiguousarray(values, dtype=np.float64)
    infinite = np.isinf(x)
    if infinite.any():  # pandas' rolling treats infinities as missing
        x = np.where(infinite, np.nan, x)
    try:
        with np.errstate(all="ignore"):
            if stat == "quantile":
                assert quantile is not None, "rolling_stat: quantile= is required"
                out = kernel(x, lo, hi, min_periods, float(quantile), "linear")
            else:
                out = kernel(x, lo, hi, min_periods)
    except (TypeError, ValueError):  # pragma: no cover - a changed kernel signature
        return None
    out = np.asarray(out, dtype=np.float64)
    return np.sqrt(out) if stat == "std" else out


def index_in(values: np.ndarray, among: np.ndarray) -> np.ndarray:
    """The position of every entry of ``values`` in ``among``; -1 where absent.

    A hash-table lookup, linear in ``len(values) + len(among)``. Missing
    values (None, NaN) find a missing entry of ``among``.

    Parameters
    ----------
    values : ndarray of shape (n,)
    among : ndarray of shape (m,)
        Distinct values (e.g. the uniques of
        :func:`mlprep.core._codes.factorize`).

    Returns
    -------
    ndarray of int64, shape (n,)

    Examples
    --------
    >>> import numpy as np
    >>> index_in(np.array(["b", "z", None], dtype=object),
    ...          np.array(["a", "b", None], dtype=object)).tolist()
    [1, -1, 2]
    """
    return np.asarray(pd.Index(among).get_indexer(values), dtype=np.int64)
