"""Power-of-two units per group: window statistics of values near ``1e308`` without overflow.

A window's sum, mean, variance, median or quantile of finite values near
the float64 limit overflows when computed as it is (``1e308 + 1e308``), even
where the result itself is finite (a mean, a median). Dividing a group's
values by a power of two ``u`` at their largest magnitude is exact, puts
them in ``(-2, 2)``, and binary floating point rounds ``x / u`` exactly as it
rounds ``x`` scaled: a statistic computed there and multiplied back by ``u``
is the statistic of the values, finite wherever the true result is (a sum
beyond ``1.8e308`` still rounds to ``±inf``, its correctly rounded value).
Groups never share a window, so each group has its own unit: small values in
one group are not scaled down by huge values in another. Groups whose values
stay below :data:`HUGE` (all ordinary data) have unit 1 and are computed
exactly as before, with no division at all.
"""

from __future__ import annotations

import numpy as np

__all__ = ["HUGE", "group_units", "in_units", "row_units"]

HUGE = 2.0**500
"""Magnitudes above which a group is computed in power-of-two units (as
:mod:`mlprep.core._stats` does for column moments): far enough from the
float64 limit that squares and sums of ordinary lengths stay finite."""


def group_units(x: np.ndarray, heads: np.ndarray) -> np.ndarray | None:
    """Per group (starting at ``heads``), the unit its values are computed in.

    The unit is the power of two ``u`` with ``u <= m < 2u`` for the group's
    largest finite magnitude ``m`` when ``m > HUGE``, else 1.0. ``None``
    when every group has unit 1 (no scaling needed), which costs two
    passes over ``x`` to find out. ``±inf`` and NaN take no part.

    Parameters
    ----------
    x : ndarray of float64
        Values sorted by group.
    heads : ndarray of int
        The first position of each group, ascending.

    Returns
    -------
    ndarray of float64, shape (len(heads),), or None

    Examples
    --------
    >>> x = np.array([1.0, 1e308, np.inf, 3.0, np.nan])
    >>> group_units(x, np.array([0, 3]))
    array([8.98846567e+307, 1.00000000e+000])
    >>> group_units(np.array([1.0, -np.inf]), np.array([0])) is None
    True
    """
    if x.size == 0 or heads.size == 0:
        return None
    # fmax/fmin skip NaN and never warn; a NaN-only column gives NaN (not huge)
    top, bottom = float(np.fmax.reduce(x)), float(np.fmin.reduce(x))
    if top != top or (-HUGE <= bottom and top <= HUGE):  # all NaN, or ordinary
        return None
    magnitude = np.where(np.isfinite(x), np.abs(x), 0.0)
    largest = np.maximum.reduceat(magnitude, heads)
    if not (largest > HUGE).any():
        return None
    exponents = np.frexp(largest)[1]  # largest = f * 2**e with 0.5 <= f < 1
    return np.where(largest > HUGE, np.ldexp(1.0, exponents - 1), 1.0)


def row_units(units: np.ndarray, heads: np.ndarray, size: int) -> np.ndarray:
    """The unit of each row: ``units`` (one per group at ``heads``) repeated over its group.

    Examples
    --------
    >>> row_units(np.array([4.0, 1.0]), np.array([0, 2]), 5).tolist()
    [4.0, 4.0, 1.0, 1.0, 1.0]
    """
    return np.repeat(units, np.diff(np.r_[heads, size]))


def in_units(x: np.ndarray, heads: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """``x`` divided by the unit of each row's group, and those units (None: all 1).

    Without huge values ``x`` itself comes back, not a copy. A statistic of
    the scaled values times the row's unit is the statistic of ``x``.

    Examples
    --------
    >>> scaled, units = in_units(np.array([1e308, -1e308, 2.0]), np.array([0, 2]))
    >>> scaled.tolist(), (scaled * units).tolist()
    ([1.1125369292536007, -1.1125369292536007, 2.0], [1e+308, -1e+308, 2.0])
    """
    units = group_units(x, heads)
    if units is None:
        return x, None
    rows = row_units(units, heads, x.size)
    return x / rows, rows
