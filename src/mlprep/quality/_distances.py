"""Distances between two distributions of one column: the numeric core of drift.

Pure numpy (and scipy for Wasserstein). A *numeric* distribution is a
:class:`NumericSample`, a weighted sample sorted ascending: built from raw
values (exact) or from a KLL quantile sketch (approximate, with the sketch's
rank error kept on the sample). A *categorical* distribution is a
``dict[value, count]``, e.g. :attr:`mlprep.state.CountsState.counts`.

Each distance returns a :class:`Distance` with ``value`` and ``error``, a
bound on ``|value - exact value|``: 0 when both inputs are exact, NaN when no
bound is known. A distance involving an empty sample is NaN (not an error:
the caller reports it). Write ``r`` and ``c`` for the reference and current
shares, ``F_r`` and ``F_c`` for their cumulative distribution functions.

Definitions
-----------
``ks``
    Two-sample Kolmogorov–Smirnov statistic ``sup_x |F_r(x) - F_c(x)|`` of
    the weighted empirical CDFs (Kolmogorov 1933, Smirnov 1948). On raw
    samples it equals ``scipy.stats.ks_2samp(a, b).statistic``. In [0, 1].
    From sketches the error bound is ``rank_error_r + rank_error_c``: each
    sketch answers every rank within its rank error, so the supremum moves at
    most by their sum (with the sketches' 99 % a-priori confidence).
``wasserstein``
    First Wasserstein (earth mover's) distance ``∫ |F_r(x) - F_c(x)| dx``, in
    the column's units; equal to ``scipy.stats.wasserstein_distance``, which
    computes it. From sketches the bound is derived the same way, integrated
    over each sample's range: ``rank_error_r * (max_r - min_r) +
    rank_error_c * (max_c - min_c)`` (outside its ``[min, max]`` a CDF is 0
    or 1 exactly, inside the sketch's CDF is within its rank error).
``psi``
    Population stability index ``Σ (c_i - r_i) ln(c_i / r_i)`` over bins
    whose edges are the reference's quantiles at ``1/bins, ..., (bins-1)/bins``
    (deduplicated; the first and last bins open to ±∞; bins closed on the
    right, ``(e_(i-1), e_i]``) — Siddiqi, *Credit Risk Scorecards* (Wiley,
    2006), ch. 8; Yurdakul, *Statistical Properties of the Population
    Stability Index* (2018). Shares are floored at :data:`PSI_FLOOR` (1e-4)
    so an empty bin does not give ∞ (floored shares are not renormalized).
    Usual reading: < 0.1 stable, 0.1–0.25 a moderate shift, > 0.25 a
    significant shift.
``js``
    Jensen–Shannon divergence with the natural log,
    ``0.5 * (KL(r || m) + KL(c || m))`` with ``m = (r + c) / 2`` (Lin, IEEE
    Trans. Inf. Theory 37(1), 1991; SageMaker Clarify's JS), on the same bins
    as ``psi``. Equal to ``scipy.spatial.distance.jensenshannon(r, c) ** 2``
    (scipy returns the distance, the square root). In [0, ln 2].
``linf``
    L-infinity norm of the share difference, ``max_i |c_i - r_i|``: SageMaker
    Model Monitor's categorical distribution distance (Deequ's ``LInfinity``
    method); numeric columns use the ``psi`` bins. In [0, 1].

Categorical columns compare category shares over the union of categories (a
category absent from one side has share 0 there, floored for ``psi``).
``ks`` on categories is the largest share difference (= ``linf``), as Clarify
computes KS for labels; ``wasserstein`` on categories is the total variation
distance ``0.5 * Σ |c_i - r_i|``, the earth mover's distance under the 0/1
ground metric (categories have no order or spacing).

Symmetry: ``ks`` and ``wasserstein`` are symmetric in the two samples, and so
are all five categorical distances. Numeric ``psi``, ``js`` and ``linf`` are
symmetric *for fixed bins*, but the bins are the reference's quantiles, so
swapping reference and current changes the bins and, in general, the value.

From sketches, ``psi``, ``js`` and ``linf`` report ``error = NaN``: the bin
edges themselves are approximate quantiles, and no bound on the change of the
binned distance is derived.

Default thresholds (:data:`THRESHOLDS`, a value above flags drift):

* ``psi`` 0.25 — Siddiqi's "significant shift";
* ``ks`` 0.1 and ``linf`` 0.1 — Model Monitor's default
  ``comparison_threshold`` (its numeric distance is Deequ's KLL-based
  L-infinity distance of the CDFs, i.e. KS; its categorical one L-infinity);
* ``js`` 0.03 — the PSI threshold carried over: for small shifts
  ``PSI ≈ χ²`` and ``JS ≈ χ²/8`` (second-order expansion of both), so PSI
  0.25 ≈ JS 0.031;
* ``wasserstein`` NaN — it has the column's units, so no unitless default;
  divide by the reference standard deviation and compare that (e.g. to 0.1).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from numbers import Integral
from typing import Any

import numpy as np
from scipy.stats import wasserstein_distance

from mlprep.exceptions import DataError, InvalidParameterError

__all__ = [
    "METHODS",
    "PSI_FLOOR",
    "THRESHOLDS",
    "Distance",
    "NumericSample",
    "categorical_distance",
    "histogram",
    "numeric_distance",
    "reference_edges",
]

METHODS = ("psi", "ks", "js", "linf", "wasserstein")
"""The distance names, in the order reports list them."""

PSI_FLOOR = 1e-4
"""The smallest share PSI uses: an empty bin counts as 0.01 % of its side."""

THRESHOLDS: dict[str, float] = {
    "psi": 0.25,
    "ks": 0.1,
    "js": 0.03,
    "linf": 0.1,
    "wasserstein": float("nan"),
}
"""Default drift thresholds per method (sources in the module docstring)."""


@dataclass(frozen=True)
class Distance:
    """One distance between two distributions.

    Attributes
    ----------
    method : str
        One of :data:`METHODS`.
    value : float
        The distance; NaN when a side is empty.
    error : float
        A bound on ``|value - exact value|``: 0 when both inputs are exact,
        NaN when no bound is known.
    """

    method: str
    value: float
    error: float


@dataclass(frozen=True)
class NumericSample:
    """A weighted numeric sample, sorted ascending: one side of a numeric distance.

    Parameters
    ----------
    values : ndarray of float64
        Sorted ascending, no NaN.
    weights : ndarray of float64
        Same length, each > 0 (a count, or a KLL item's weight).
    rank_error : float, default=0.0
        The normalized rank-error bound of the sample's CDF (0 when exact).
    low, high : float, default=NaN
        The true minimum and maximum of the data the sample summarizes
        (a sketch's retained items may miss them); NaN means the first and
        last value.

    Examples
    --------
    >>> import numpy as np
    >>> sample = NumericSample.of([3.0, 1.0, np.nan, 3.0])
    >>> sample.values, sample.weights, sample.count
    (array([1., 3.]), array([1., 2.]), 3.0)
    """

    values: np.ndarray
    weights: np.ndarray
    rank_error: float = 0.0
    low: float = field(default=float("nan"))
    high: float = field(default=float("nan"))

    def __post_init__(self) -> None:
        values = np.asarray(self.values, dtype=np.float64)
        weights = np.asarray(self.weights, dtype=np.float64)
        if values.ndim != 1 or weights.shape != values.shape:
            raise DataError(
                "NumericSample needs 1-D values and weights of the same length; got "
                f"shapes {values.shape} and {weights.shape}."
            )
        if np.isnan(values).any():
            raise DataError(
                "NumericSample values must not contain NaN; build it with "
                "NumericSample.of(values), which drops them."
            )
        if values.shape[0] > 1 and np.any(values[1:] < values[:-1]):
            raise DataError(
                "NumericSample values must be sorted ascending; build it with "
                "NumericSample.of(values), which sorts them."
            )
        if not np.all(np.isfinite(weights) & (weights > 0)):
            raise DataError(
                "NumericSample weights must be finite and > 0; got "
                f"{weights[~(np.isfinite(weights) & (weights > 0))][:3].tolist()}."
            )
        rank_error = float(self.rank_error)
        if not 0.0 <= rank_error <= 1.0:
            raise DataError(
                f"NumericSample rank_error must lie in [0, 1]; got {rank_error}."
            )
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "rank_error", rank_error)

    @classmethod
    def of(cls, values: Any) -> NumericSample:
        """The exact sample of raw values: NaN dropped, each value weight 1.

        Infinite values are kept (they are values; a distance over them is
        what scipy gives, e.g. NaN for Wasserstein).
        """
        array = np.asarray(values, dtype=np.float64).ravel()
        array = array[~np.isnan(array)]
        unique, counts = np.unique(array, return_counts=True)
        return cls(unique, counts.astype(np.float64))

    @classmethod
    def from_sketch(cls, sketch: Any) -> NumericSample:
        """The sample a quantile sketch retains (``mlprep.state.QuantileSketch``).

        Its weighted items, its rank error (0 while the sketch is exact) and
        its true minimum and maximum.
        """
        values, weights = sketch.items()
        values = np.asarray(values, dtype=np.float64)
        weights = np.asarray(weights, dtype=np.float64)
        order = np.argsort(values, kind="stable")
        low = float(getattr(sketch, "minimum", float("nan")))
        high = float(getattr(sketch, "maximum", float("nan")))
        return cls(values[order], weights[order], float(sketch.rank_error), low, high)

    @property
    def count(self) -> float:
        """The total weight (the number of values summarized)."""
        return float(self.weights.sum())

    @property
    def empty(self) -> bool:
        """Whether the sample holds no value."""
        return self.values.shape[0] == 0

    @property
    def exact(self) -> bool:
        """Whether the sample is the data itself (no rank error)."""
        return self.rank_error == 0.0

    @property
    def span(self) -> float:
        """``max - min`` of the summarized data (0 when empty)."""
        if self.empty:
            return 0.0
        low = self.values[0] if math.isnan(self.low) else self.low
        high = self.values[-1] if math.isnan(self.high) else self.high
        return float(high - low)

    def cdf(self, x: Any) -> np.ndarray:
        """The weighted empirical CDF ``P(X <= x)`` at each ``x``."""
        cumulative = np.concatenate([[0.0], np.cumsum(self.weights)])
        positions = np.searchsorted(
            self.values, np.asarray(x, dtype=np.float64), "right"
        )
        return cumulative[positions] / cumulative[-1]

    def quantiles(self, qs: Any) -> np.ndarray:
        """The lower quantiles: for each ``q``, the smallest value with ``CDF >= q``.

        numpy's ``"inverted_cdf"`` method, weighted; NaN when empty.
        """
        qs = np.asarray(qs, dtype=np.float64)
        if self.empty:
            return np.full(qs.shape, np.nan)
        cumulative = np.cumsum(self.weights)
        positions = np.searchsorted(cumulative, qs * cumulative[-1], "left")
        return self.values[np.minimum(positions, self.values.shape[0] - 1)]


def reference_edges(sample: NumericSample, bins: int) -> np.ndarray:
    """Bin edges for PSI, JS and L-infinity: the reference's quantiles.

    The interior edges are the lower quantiles at ``1/bins, ...,
    (bins-1)/bins``, deduplicated (a column with few distinct values gets
    fewer bins); ``-inf`` and ``+inf`` close the ends. Bins are closed on the
    right, ``(e_(i-1), e_i]``.

    Parameters
    ----------
    sample : NumericSample
        The reference.
    bins : int >= 2
        The number of bins asked for.

    Returns
    -------
    ndarray of float64
        At most ``bins + 1`` increasing edges, the first ``-inf``, the last
        ``+inf``; just ``[-inf, inf]`` for an empty sample.

    Examples
    --------
    >>> reference_edges(NumericSample.of(range(1, 101)), 4)
    array([-inf,  25.,  50.,  75.,  inf])
    >>> reference_edges(NumericSample.of([1, 1, 1, 2]), 4)
    array([-inf,   1.,  inf])
    """
    _check_bins(bins)
    interior = sample.quantiles(np.arange(1, bins) / bins)
    interior = np.unique(interior[np.isfinite(interior)])
    return np.concatenate([[-np.inf], interior, [np.inf]])


def histogram(sample: NumericSample, edges: Any) -> np.ndarray:
    """The sample's share in each bin ``(edges[i], edges[i+1]]``.

    The first bin also holds ``edges[0]`` itself when it is finite, so bins
    built by :func:`reference_edges` cover the whole line. Shares sum to the
    part of the sample within the edges (1 with open ends); all NaN when the
    sample is empty.

    Examples
    --------
    >>> histogram(NumericSample.of([1, 2, 3, 4]), [-np.inf, 2, np.inf])
    array([0.5, 0.5])
    """
    edges = np.asarray(edges, dtype=np.float64)
    if edges.ndim != 1 or edges.shape[0] < 2 or np.any(np.diff(edges) <= 0):
        raise DataError(
            "histogram needs at least two strictly increasing edges; got "
            f"{edges.tolist()[:12]}."
        )
    if sample.empty:
        return np.full(edges.shape[0] - 1, np.nan)
    cdf = sample.cdf(edges)
    if np.isfinite(edges[0]):
        cdf[0] = sample.cdf(np.nextafter(edges[0], -np.inf))
    return np.diff(cdf)


def _check_bins(bins: Any) -> None:
    if isinstance(bins, bool) or not isinstance(bins, Integral) or bins < 2:
        raise InvalidParameterError(
            f"The 'bins' parameter of the drift distances must be an int >= 2. Got {bins!r} instead."
        )


def _check_method(method: Any) -> str:
    if method not in METHODS:
        raise InvalidParameterError(
            f"The 'method' parameter of the drift distances must be one of "
            f"{', '.join(repr(m) for m in METHODS)}. Got {method!r} instead."
        )
    return str(method)


def _psi(r: np.ndarray, c: np.ndarray) -> float:
    r, c = np.maximum(r, PSI_FLOOR), np.maximum(c, PSI_FLOOR)
    return float(np.sum((c - r) * np.log(c / r)))


def _kl(p: np.ndarray, q: np.ndarray) -> float:
    """``Σ p ln(p / q)`` with ``0 ln 0 = 0`` (∞ where ``q = 0 < p``)."""
    positive = p > 0
    with np.errstate(divide="ignore"):
        return float(np.sum(p[positive] * np.log(p[positive] / q[positive])))


def _js(r: np.ndarray, c: np.ndarray) -> float:
    m = (r + c) / 2.0
    return max(0.5 * (_kl(r, m) + _kl(c, m)), 0.0)


def _shares_distance(method: str, r: np.ndarray, c: np.ndarray) -> float:
    if method == "psi":
        return _psi(r, c)
    if method == "js":
        return _js(r, c)
    if method in ("linf", "ks"):
        return float(np.max(np.abs(c - r))) if r.shape[0] else 0.0
    # total variation; shares of counts can sum to 1 + 1 ulp
    return float(min(0.5 * np.sum(np.abs(c - r)), 1.0))


def _integral_total(sample: NumericSample) -> int | None:
    """The sample's total count when every weight is a whole number, else None."""
    if not np.all(sample.weights == np.floor(sample.weights)):
        return None
    return int(sample.weights.sum())


def _ks(reference: NumericSample, current: NumericSample) -> float:
    points = np.concatenate([reference.values, current.values])
    n1, n2 = _integral_total(reference), _integral_total(current)
    if n1 is None or n2 is None or n1 * n2 >= 2**62:
        return float(np.max(np.abs(reference.cdf(points) - current.cdf(points))))
    # counts: the statistic is the fraction h / lcm(n1, n2), rounded once (as scipy)
    c1 = np.concatenate([[0], np.cumsum(reference.weights.astype(np.int64))])
    c2 = np.concatenate([[0], np.cumsum(current.weights.astype(np.int64))])
    below1 = c1[np.searchsorted(reference.values, points, "right")]
    below2 = c2[np.searchsorted(current.values, points, "right")]
    g = math.gcd(n1, n2)
    h = int(np.max(np.abs(below1 * (n2 // g) - below2 * (n1 // g))))
    return h / (n1 // g * n2)


def numeric_distance(
    method: str, reference: NumericSample, current: NumericSample, *, bins: int = 10
) -> Distance:
    """The distance ``method`` between two numeric samples.

    Parameters
    ----------
    method : {"psi", "ks", "js", "linf", "wasserstein"}
        See the module docstring for each definition.
    reference, current : NumericSample
        The two sides; PSI, JS and L-infinity bin both by the reference's
        quantiles.
    bins : int >= 2, default=10
        Bins asked of :func:`reference_edges` (PSI, JS, L-infinity).

    Returns
    -------
    Distance
        NaN value (and error) when either sample is empty.

    Examples
    --------
    >>> import numpy as np
    >>> a, b = NumericSample.of([1.0, 2.0, 3.0, 4.0]), NumericSample.of([3.0, 4.0, 5.0])
    >>> numeric_distance("ks", a, b)
    Distance(method='ks', value=0.5, error=0.0)
    >>> round(numeric_distance("wasserstein", a, b).value, 6)
    1.5
    >>> numeric_distance("psi", a, a, bins=2).value
    0.0
    """
    method = _check_method(method)
    _check_bins(bins)
    if reference.empty or current.empty:
        return Distance(method, float("nan"), float("nan"))
    exact = reference.exact and current.exact
    if method == "ks":
        error = reference.rank_error + current.rank_error
        return Distance(method, _ks(reference, current), error)
    if method == "wasserstein":
        value = float(
            wasserstein_distance(
                reference.values, current.values, reference.weights, current.weights
            )
        )
        error = (
            reference.rank_error * reference.span + current.rank_error * current.span
        )
        return Distance(method, value, error)
    edges = reference_edges(reference, bins)
    r, c = histogram(reference, edges), histogram(current, edges)
    return Distance(
        method, _shares_distance(method, r, c), 0.0 if exact else float("nan")
    )


def _counts(counts: Any, side: str) -> Mapping[Any, Any]:
    if not isinstance(counts, Mapping):
        raise DataError(
            f"categorical_distance needs the {side} as a dict {{value: count}}; got "
            f"{type(counts).__name__}. Pass e.g. CountsState.counts."
        )
    for value, count in counts.items():
        number = float(count)
        if not (math.isfinite(number) and number >= 0):
            raise DataError(
                f"categorical_distance: the {side} count of {value!r} is {count!r}; "
                "counts must be finite and >= 0."
            )
    return counts


def categorical_distance(method: str, reference: Any, current: Any) -> Distance:
    """The distance ``method`` between two categorical distributions.

    Parameters
    ----------
    method : {"psi", "ks", "js", "linf", "wasserstein"}
        ``psi``, ``js`` and ``linf`` on the category shares; ``ks`` is the
        largest share difference (as ``linf``); ``wasserstein`` is the total
        variation distance (0/1 ground metric).
    reference, current : dict
        ``{category: count}``; a category missing from one side has share 0
        there.

    Returns
    -------
    Distance
        ``error`` is 0 (counts are exact); NaN value and error when a side
        has no count.

    Examples
    --------
    >>> categorical_distance("linf", {"a": 3, "b": 1}, {"a": 1, "b": 1})
    Distance(method='linf', value=0.25, error=0.0)
    >>> categorical_distance("wasserstein", {"a": 1}, {"b": 5})
    Distance(method='wasserstein', value=1.0, error=0.0)
    """
    method = _check_method(method)
    reference, current = _counts(reference, "reference"), _counts(current, "current")
    keys = list(dict.fromkeys([*reference, *current]))
    r = np.array([float(reference.get(k, 0)) for k in keys], dtype=np.float64)
    c = np.array([float(current.get(k, 0)) for k in keys], dtype=np.float64)
    if r.sum() == 0 or c.sum() == 0:
        return Distance(method, float("nan"), float("nan"))
    return Distance(method, _shares_distance(method, r / r.sum(), c / c.sum()), 0.0)
