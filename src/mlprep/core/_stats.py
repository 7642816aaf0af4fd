"""The numerics the families share, written once (impute, scale, outliers).

* :func:`moments` / :class:`Moments`: THE mean and variance (count, mean and
  sum of squared deviations, mergeable across batches);
* :func:`nanquantiles`: quantiles, numpy's default ``"linear"`` method;
* :data:`EPS` and the constant-column rule (:attr:`Moments.constant`,
  :func:`zero_scale_to_one`), as scikit-learn's scalers apply them;
* :func:`numpy_float_values`: a numpy-backed float column without a copy, for
  kernels that beat expressions on such columns.

Each statistic takes a float64 numpy vector whose missing values are NaN (as
:func:`mlprep.core.as_float_array` returns) and ignores the NaN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "EPS",
    "Moments",
    "moments",
    "nanquantiles",
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
    with np.errstate(invalid="ignore"):
        result = np.where(
            fraction < 0.5,
            below + (above - below) * fraction,
            above - (above - below) * (1 - fraction),
        )
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

    Examples
    --------
    >>> a = moments(np.array([1.0, 2.0, np.nan]))
    >>> a
    Moments(count=2, mean=1.5, m2=0.5)
    >>> a.merge(moments(np.array([3.0, 4.0])))
    Moments(count=4, mean=2.5, m2=5.0)
    >>> a.variance
    0.25
    """

    count: int
    mean: float
    m2: float

    def merge(self, other: Moments) -> Moments:
        """The moments of both batches together, exactly as if seen at once."""
        if other.count == 0:
            return self
        if self.count == 0:
            return other
        count = self.count + other.count
        delta = other.mean - self.mean
        mean = self.mean + delta * other.count / count
        m2 = self.m2 + other.m2 + delta * delta * self.count * other.count / count
        return Moments(count, mean, m2)

    @property
    def variance(self) -> float:
        """Population variance (``ddof=0``), NaN for an empty column."""
        return self.m2 / self.count if self.count else float("nan")

    @property
    def constant(self) -> bool:
        """The constant-column rule: the variance is rounding noise of the mean.

        scikit-learn's (``_is_constant_feature``): ``var <= n·eps·var +
        (n·mean·eps)²``, the bound on the variance that the rounding of ``n``
        equal values can produce. Such a column's scale is 1
        (:func:`zero_scale_to_one`) and its z-score fences are its extremes.
        False for an empty column.

        Examples
        --------
        >>> moments(np.full(10, 0.1)).constant, moments(np.array([0.1, 0.2])).constant
        (True, False)
        """
        variance = self.variance
        bound = self.count * EPS * variance + (self.count * self.mean * EPS) ** 2
        return bool(variance <= bound)


_CHUNK = 1 << 15


def moments(values: np.ndarray, *, variance: bool = True) -> Moments:
    """Count, mean and squared-deviation sum of the non-NaN values (two-pass).

    The mean is ``np.add.reduce(values) / n`` (numpy's ``mean``); the sum of
    squared deviations is accumulated in cache-sized chunks, so no array of
    deviations the size of the column is allocated. ``variance=False`` skips
    that second pass (``m2`` is NaN). When the values overflow float64 (or
    hold ±inf) the mean is ±inf or NaN and ``m2`` is NaN.

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
        if not variance or not np.isfinite(mean):
            return Moments(count, mean, float("nan"))
        m2 = 0.0
        block = np.empty(min(_CHUNK, count))
        for start in range(0, count, _CHUNK):
            chunk = data[start : start + _CHUNK]
            centred = block[: chunk.shape[0]]
            np.subtract(chunk, mean, out=centred)
            np.multiply(centred, centred, out=centred)  # no BLAS: its threads stall
            m2 += float(np.add.reduce(centred))
    return Moments(count, mean, m2)


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
