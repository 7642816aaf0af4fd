"""The numerics the families share, written once (impute, scale, outliers).

* :func:`moments` / :class:`Moments`: THE mean and variance (count, mean and
  sum of squared deviations, mergeable across batches);
* :func:`nanquantiles`: quantiles, numpy's default ``"linear"`` method;
* :data:`EPS` and the constant-column rule (:attr:`Moments.constant`,
  :func:`zero_scale_to_one`), as scikit-learn's scalers apply them;
* :func:`numpy_float_values`: a numpy-backed float column without a copy, for
  kernels that beat expressions on such columns;
* :func:`unit_for_squares` / :func:`from_units`: the power-of-two unit in
  which sums of squares of values near ``1e308`` (variances, distances,
  regressions) stay finite, and the way back from it.

Each statistic takes a float64 numpy vector whose missing values are NaN (as
:func:`mlprep.core.as_float_array` returns) and ignores the NaN.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "EPS",
    "SQUARES_SAFE",
    "Moments",
    "from_units",
    "is_unit",
    "moments",
    "nanquantiles",
    "unit_for_squares",
    "zero_scale_to_one",
]

EPS: float = float(np.finfo(np.float64).eps)
"""The one epsilon: float64 machine epsilon, ``2**-52`` (``np.spacing(1.0)``).

Used by the constant-column rule, by the power transforms' ``λ == 0``
branches (as scipy's) and by the λ search's overflow bounds.
"""


def nanquantiles(values: np.ndarray, quantiles: Sequence[float]) -> np.ndarray:
    """Quantiles of the non-NaN values, numpy's default ``"linear"`` method.

    The value at quantile ``q`` of ``n`` sorted values ``v`` is
    ``v[i] + (v[i+1] - v[i]) * f`` with ``i + f = q * (n - 1)`` — numpy's and
    pandas' default, and scikit-learn's RobustScaler's. One ``np.partition``
    call selects the ``v[i]`` in linear time instead of a sort; each
    neighbour ``v[i+1]`` is then the minimum of the partitioned slice above
    ``v[i]``, which halves the selection work of partitioning at both.

    Parameters
    ----------
    values : ndarray of float64
    quantiles : sequence of float in [0, 1]

    Returns
    -------
    ndarray of float64
        NaN for every quantile when no value is present.

    Examples
    --------
    >>> nanquantiles(np.array([4.0, np.nan, 1.0, 3.0, 2.0]), [0.25, 0.5])
    array([1.75, 2.5 ])
    """
    qs = np.asarray(quantiles, dtype=np.float64)
    present = ~np.isnan(values)
    data = values if present.all() else values[present]
    n = data.shape[0]
    if n == 0:
        return np.full(qs.shape, np.nan)
    position = qs * (n - 1)
    low = np.floor(position).astype(np.intp)
    pairs = _order_statistic_pairs(data, np.unique(low))
    fraction = position - low
    below = np.array([pairs[int(i)][0] for i in low], dtype=np.float64)
    above = np.array([pairs[int(i)][1] for i in low], dtype=np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        gap = above - below
        result = np.where(
            fraction < 0.5,
            below + gap * fraction,
            above - gap * (1 - fraction),
        )
        overflowed = np.isinf(gap) & np.isfinite(below) & np.isfinite(above)
        if overflowed.any():  # neighbours near ±1e308: a convex combination
            convex = below * (1 - fraction) + above * fraction
            result = np.where(overflowed, convex, result)
    return np.where(below == above, below, result)


_SAMPLED_SELECT_MIN = 1 << 16
_SAMPLE_SIZE = 1 << 15


def _order_statistic_pairs(
    data: np.ndarray, ranks: np.ndarray
) -> dict[int, tuple[float, float]]:
    """``{i: (v[i], v[i+1])}`` for the sorted values ``v`` of ``data`` (``v[n]`` := ``v[n-1]``).

    Large inputs bracket each rank with an evenly spaced sample, count the
    values below the bracket and select within the few values inside it
    (exact; a rank that falls outside its bracket falls back to the full
    selection). Otherwise one ``np.partition`` at the ranks selects ``v[i]``
    and ``v[i+1]`` is the minimum of the partitioned slice above it.
    """
    n = data.shape[0]
    pairs: dict[int, tuple[float, float]] = {}
    if n >= _SAMPLED_SELECT_MIN:
        sample = np.sort(data[:: n // _SAMPLE_SIZE])
        m = sample.shape[0]
        for i in ranks:
            share = (i + 0.5) / n
            centre = share * m
            # the sample rank of v[i] has a standard deviation of about
            # sqrt(m·p·(1-p)): five of them make a fallback very rare
            margin = 5.0 * np.sqrt(m * share * (1.0 - share)) + 2.0
            lo_rank, hi_rank = int(centre - margin), int(centre + margin) + 1
            lo = sample[lo_rank] if lo_rank >= 0 else -np.inf
            hi = sample[hi_rank] if hi_rank < m else np.inf
            below = int(np.count_nonzero(data < lo))
            inside = data[(data >= lo) & (data <= hi)]
            top = min(int(i) + 1, n - 1)
            if below <= i and top < below + inside.shape[0]:
                chosen = np.partition(inside, [int(i) - below, top - below])
                pairs[int(i)] = (chosen[int(i) - below], chosen[top - below])
        ranks = np.array([i for i in ranks if int(i) not in pairs], dtype=np.intp)
    if ranks.size:
        ordered = np.partition(data, ranks)
        ends = np.append(ranks[1:] + 1, n)
        for i, end in zip(ranks, ends):
            following = ordered[i + 1 : end].min() if i + 1 < n else ordered[i]
            pairs[int(i)] = (ordered[i], following)
    return pairs


@dataclass(frozen=True)
class Moments:
    """Count, mean and sum of squared deviations of one column (Chan et al.).

    ``m2`` is NaN when only the mean was asked for (``moments(values,
    variance=False)``); merging keeps it NaN.

    Values near the float64 limit (``1e308``) are summed in units of a power
    of two (``unit``, exact to divide and multiply by): ``mean`` stays finite
    and ``std`` is exact even where the variance itself exceeds float64 (then
    ``m2`` and ``variance`` are ``inf``, the true values rounded, and
    ``m2_in_units`` is ``m2 / unit**2``). Ordinary data have ``unit = 1``,
    and their arithmetic is the plain one.

    Examples
    --------
    >>> a = moments(np.array([1.0, 2.0, np.nan]))
    >>> a
    Moments(count=2, mean=1.5, m2=0.5)
    >>> a.merge(moments(np.array([3.0, 4.0])))
    Moments(count=4, mean=2.5, m2=5.0)
    >>> a.variance
    0.25
    >>> huge = moments(np.array([-1e308, 1e308]))
    >>> huge.mean, huge.variance, huge.std
    (0.0, inf, 1e+308)
    """

    count: int
    mean: float
    m2: float
    unit: float = field(default=1.0, repr=False)
    m2_in_units: float = field(default=float("nan"), repr=False)

    def _in_units(self, unit: float) -> tuple[float, float]:
        """``(mean / unit, m2 / unit**2)``; ``unit`` a power of two >= ``self.unit``."""
        ratio = self.unit / unit  # a power of two: exact
        if self.unit == 1.0:
            return self.mean / unit, self.m2 / unit * (1.0 / unit)
        return self.mean / unit, self.m2_in_units * ratio * ratio

    def merge(self, other: Moments) -> Moments:
        """The moments of both batches together, exactly as if seen at once."""
        if other.count == 0:
            return self
        if self.count == 0:
            return other
        count = self.count + other.count
        if self.unit == other.unit == 1.0:
            with np.errstate(over="ignore", invalid="ignore"):
                delta = other.mean - self.mean
                mean = self.mean + delta * other.count / count
                m2 = (
                    self.m2
                    + other.m2
                    + delta * delta * self.count * other.count / count
                )
            if np.isfinite(mean) and (np.isfinite(m2) or np.isnan(m2)):
                return Moments(count, mean, m2)
            if not (_finite(self) and _finite(other)):
                return Moments(count, mean, m2)
        unit = max(self.unit, other.unit, _unit_of(self), _unit_of(other))
        mean_a, m2_a = self._in_units(unit)
        mean_b, m2_b = other._in_units(unit)
        delta = mean_b - mean_a
        mean = mean_a + delta * other.count / count
        m2 = m2_a + m2_b + delta * delta * self.count * other.count / count
        return _from_units(count, mean, m2, unit)

    @property
    def variance(self) -> float:
        """Population variance (``ddof=0``), NaN for an empty column (``inf`` beyond float64)."""
        return self.m2 / self.count if self.count else float("nan")

    @property
    def std(self) -> float:
        """Population standard deviation, exact (finite) even where ``variance`` overflows."""
        if not self.count:
            return float("nan")
        if self.unit == 1.0:
            return float(np.sqrt(self.variance))
        return float(np.sqrt(self.m2_in_units / self.count)) * self.unit

    @property
    def constant(self) -> bool:
        """The constant-column rule: the variance is rounding noise of the mean.

        scikit-learn's (``_is_constant_feature``): ``var <= n·eps·var +
        (n·mean·eps)²``, the bound on the variance that the rounding of ``n``
        equal values can produce. Such a column's scale is 1
        (:func:`zero_scale_to_one`) and its z-score fences are its extremes.
        False for an empty column. Both sides are homogeneous of degree two,
        so beyond float64 they are compared in units of ``unit``.

        Examples
        --------
        >>> moments(np.full(10, 0.1)).constant, moments(np.array([0.1, 0.2])).constant
        (True, False)
        >>> moments(np.array([1e200, 2e200])).constant
        False
        """
        if not self.count:
            return False
        variance = self.variance
        with np.errstate(over="ignore", invalid="ignore"):
            rounding = np.float64(self.count * self.mean * EPS)
            bound = float(self.count * EPS * variance + rounding * rounding)
        if np.isfinite(bound) and np.isfinite(variance):
            return bool(variance <= bound)
        if not (np.isfinite(self.mean) and _finite(self)):
            return bool(variance <= bound)
        unit = max(self.unit, _unit_of(self))
        mean, m2 = self._in_units(unit)
        variance = m2 / self.count
        bound = self.count * EPS * variance + (self.count * mean * EPS) ** 2
        return bool(variance <= bound)


def _finite(stats: Moments) -> bool:
    """Whether ``stats`` describe finite values (a NaN ``m2`` means "not asked")."""
    if stats.unit != 1.0:
        return True
    return bool(np.isfinite(stats.mean) and not np.isinf(stats.m2))


def _unit_for(value: float) -> float:
    """The power of two ``u`` with ``u <= value < 2·u`` (``value`` > 0, finite)."""
    exponent = math.frexp(value)[1]  # value = f * 2**e with 0.5 <= f < 1
    return math.ldexp(1.0, exponent - 1)


def _unit_of(stats: Moments) -> float:
    """A unit in which ``stats``' mean and squared deviations stay far from overflow."""
    if stats.unit != 1.0:
        return stats.unit
    with np.errstate(over="ignore", invalid="ignore"):
        spread = float(np.sqrt(stats.m2)) if np.isfinite(stats.m2) else 0.0
    size = max(abs(stats.mean), spread, 1.0)
    return _unit_for(size) if size > _SCALED_ABOVE else 1.0


def _from_units(count: int, mean: float, m2: float, unit: float) -> Moments:
    """Moments from a mean and an ``m2`` computed in units of ``unit``."""
    with np.errstate(over="ignore"):
        return Moments(count, mean * unit, m2 * unit * unit, unit, m2)


_CHUNK = 1 << 15
_SCALED_ABOVE = 2.0**500
"""Magnitudes above which sums and squares are computed in power-of-two units."""


def moments(values: np.ndarray, *, variance: bool = True) -> Moments:
    """Count, mean and squared-deviation sum of the non-NaN values (two-pass).

    The mean is ``np.add.reduce(values) / n`` (numpy's ``mean``); the sum of
    squared deviations is accumulated in cache-sized chunks, so no array of
    deviations the size of the column is allocated. ``variance=False`` skips
    that second pass (``m2`` is NaN). Finite values whose sum or squares
    overflow float64 are divided by a power of two above their largest
    magnitude first (exact), so the mean and :attr:`Moments.std` stay finite;
    only ``±inf`` in the values gives a mean of ``±inf`` or NaN (and a NaN
    ``m2``).

    Parameters
    ----------
    values : ndarray of float64
        Missing values as NaN.
    variance : bool, default=True
        Also compute the sum of squared deviations.

    Returns
    -------
    Moments

    Examples
    --------
    >>> moments(np.array([2.0, 4.0, np.nan, 9.0]))
    Moments(count=3, mean=5.0, m2=26.0)
    >>> moments(np.array([2.0, 4.0]), variance=False)
    Moments(count=2, mean=3.0, m2=nan)
    >>> moments(np.array([1e308, 1e308])).mean
    1e+308
    """
    with np.errstate(over="ignore", invalid="ignore"):
        total = float(np.add.reduce(values))
        data = values
        if not np.isfinite(total):  # NaN to drop, or ±inf / overflow
            data = values[~np.isnan(values)]
            total = float(np.add.reduce(data))
        count = int(data.shape[0])
        if count == 0:
            return Moments(0, float("nan"), 0.0)
        mean = total / count
        if not np.isfinite(mean):
            if np.isinf(data).any():
                return Moments(count, mean, float("nan"))
            return _scaled_moments(data, variance)
        if not variance:
            return Moments(count, mean, float("nan"))
        m2 = _squared_deviations(data, mean)
    if not np.isfinite(m2):
        return _scaled_moments(data, variance)
    return Moments(count, mean, m2)


def _squared_deviations(data: np.ndarray, mean: float) -> float:
    """``sum((data - mean)**2)`` in cache-sized chunks."""
    count = data.shape[0]
    m2 = 0.0
    block = np.empty(min(_CHUNK, count))
    for start in range(0, count, _CHUNK):
        chunk = data[start : start + _CHUNK]
        centred = block[: chunk.shape[0]]
        np.subtract(chunk, mean, out=centred)
        np.multiply(centred, centred, out=centred)  # no BLAS: its threads stall
        m2 += float(np.add.reduce(centred))
    return m2


def _scaled_moments(data: np.ndarray, variance: bool) -> Moments:
    """:func:`moments` of finite values whose sum or squares overflow float64.

    The values are divided by the power of two at their largest magnitude
    (exact; the quotients lie in ``(-2, 2)``), summed and squared there, and the mean multiplied
    back; ``m2`` is kept in those units too (``Moments.m2_in_units``).
    """
    unit = _unit_for(float(np.max(np.abs(data))))
    scaled = data / unit
    count = int(scaled.shape[0])
    mean = float(np.add.reduce(scaled)) / count
    m2 = _squared_deviations(scaled, mean) if variance else float("nan")
    return _from_units(count, mean, m2, unit)


def zero_scale_to_one(scale: float, *, constant: bool | None = None) -> float:
    """The constant-column rule applied to a scale: a zero scale becomes 1 (scikit-learn's).

    With ``constant`` given (from :attr:`Moments.constant`, as StandardScaler
    and PowerTransformer decide) that flag alone decides; without it, a scale
    below ``10 * EPS`` counts as zero (the min-max, max-abs and robust
    scalers, as scikit-learn's ``_handle_zeros_in_scale``). A NaN scale (an
    all-missing column) stays NaN.

    Examples
    --------
    >>> zero_scale_to_one(0.0), zero_scale_to_one(2.5), zero_scale_to_one(2.5, constant=True)
    (1.0, 2.5, 1.0)
    """
    if not np.isfinite(scale) and not constant:
        return scale
    is_zero = constant if constant is not None else scale < 10 * EPS
    return 1.0 if is_zero else scale


SQUARES_SAFE: float = 2.0**400
"""Magnitudes up to which sums of squares are computed as they are.

Squares of values up to ``2**400`` (about ``2.6e120``) stay below
``2**800``, so sums of squared deviations, squared distances and the normal
equations of a regression cannot overflow float64 for any realistic number
of rows or columns (fewer than ``2**200``). Larger values are divided by a
power of two first (:func:`unit_for_squares`); ordinary data never are, so
their arithmetic, and its results, are the plain ones bit for bit.
"""

_FLOAT_MAX = float(np.finfo(np.float64).max)


def unit_for_squares(*arrays: np.ndarray | float) -> float:
    """1.0, or the power of two at the largest finite magnitude when it exceeds :data:`SQUARES_SAFE`.

    Dividing by the unit is exact (a power of two), so a computation that
    squares its inputs can run on ``values / unit``, whose magnitudes are
    below 2, and scale its results back (:func:`from_units`). NaN and
    ``±inf`` are ignored (callers refuse ``±inf`` by name before).

    Examples
    --------
    >>> unit_for_squares(np.array([1.0, -2e120, np.nan]))
    1.0
    >>> unit_for_squares(np.array([1.0, np.nan]), -1e308) == 2.0**1023
    True
    """
    top = 0.0
    for array in arrays:
        values = np.abs(np.asarray(array, dtype=np.float64)).ravel()
        if values.size == 0:
            continue
        with np.errstate(invalid="ignore"):
            largest = float(np.fmax.reduce(values))
        if largest == np.inf:  # ±inf ignored: the largest finite magnitude
            finite = values[np.isfinite(values)]
            largest = float(finite.max()) if finite.size else 0.0
        if largest > top:
            top = largest
    return 1.0 if top <= SQUARES_SAFE else _unit_for(top)


def from_units(values: np.ndarray | float, unit: float) -> np.ndarray:
    """``values * unit`` (exact), with a rounding past the float64 limit held at it.

    Results computed in units (means, blends, predictions of values that
    are at most ``1.8e308``) can round a hair beyond ``±1.797e308`` before
    the unit is multiplied back; they come back as ``±max`` float64, never
    ``±inf``. NaN stays NaN.

    Examples
    --------
    >>> from_units(np.array([1.0, -2.0, np.nan]), 2.0**1023).tolist()
    [8.98846567431158e+307, -1.7976931348623157e+308, nan]
    """
    array = np.asarray(values, dtype=np.float64)
    with np.errstate(over="ignore"):
        scaled = array * unit
    return np.clip(scaled, -_FLOAT_MAX, _FLOAT_MAX)


def is_unit(value: object) -> bool:
    """Whether ``value`` is a unit as the states store one: a finite power of two >= 1.

    Examples
    --------
    >>> is_unit(1.0), is_unit(2.0**1023), is_unit(3.0), is_unit(0.5), is_unit(True)
    (True, True, False, False, False)
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)):
        return False
    number = float(value)
    return math.isfinite(number) and number >= 1.0 and math.frexp(number)[0] == 0.5
