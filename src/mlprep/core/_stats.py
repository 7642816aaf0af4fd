"""NaN-aware statistics shared by the families (impute, scale, outliers).

Each function takes a float64 numpy vector whose missing values are NaN (as
:func:`mlprep.core.as_float_array` returns) and ignores the NaN.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Moments", "moments", "nanquantiles"]


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
    """Count, mean and sum of squared deviations of one column (Chan et al.)."""

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


def moments(values: np.ndarray) -> Moments:
    """Count, mean and squared-deviation sum of the non-NaN values (two-pass)."""
    present = ~np.isnan(values)
    data = values if present.all() else values[present]
    count = int(data.shape[0])
    if count == 0:
        return Moments(0, float("nan"), 0.0)
    mean = float(data.mean())
    centred = data - mean
    # einsum, not np.dot: BLAS threads stall on a busy machine (16 ms vs 0.04 ms per 100k).
    return Moments(count, mean, float(np.einsum("i,i->", centred, centred)))
