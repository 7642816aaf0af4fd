"""The profile log-likelihood of the Yeo-Johnson and Box-Cox λ, and its derivatives.

Both transforms apply, to each value, ``h(μ, L) = (exp(μ L) - 1) / μ`` (``L``
when ``μ = 0``) to a precomputed log (Box-Cox: ``L = log(x)``, ``μ = λ``;
Yeo-Johnson: ``L = log1p(|x|)``, ``μ = λ`` for ``x >= 0`` and ``-h(2 - λ, L)``
for ``x < 0``). :class:`Problem` holds a column's logs and evaluates
``ℓ(λ) = -n/2 · log(var(ψ(x, λ))) + (λ - 1) · Σ sign(x) · L`` with its first and
second derivatives (:meth:`Problem.local`), each sign's logs measured from
their mean so crowded values keep full precision. The search for the maximum
is :mod:`mlprep.scale._lambda`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from mlprep.core import EPS, moments

__all__ = ["Problem"]

_CHUNK = 16_384
_SERIES_BELOW = 1e-2
_FACTORIALS = [math.factorial(k) for k in range(12)]
# scipy's overflow-safe bounds (yeojohnson_normmax): half the exponent range.
_LOG_TINY = (math.log(np.finfo(np.float64).tiny) - math.log(EPS)) / 2
_LOG_MAX = (math.log(np.finfo(np.float64).max) + math.log(EPS)) / 2


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """``Σ a·b`` without BLAS: ``np.dot`` wakes BLAS threads, which stall on a busy machine."""
    return float(np.einsum("i,i->", a, b))


def _moment_sums(
    logs: np.ndarray,
    centre: float,
    mu: float,
    shift: float,
    spread: float,
    *,
    curvature: bool = True,
) -> np.ndarray:
    """Sums over one part of ``g - shift``, ``g'`` and ``g''`` and of their products.

    ``g = h(μ, L - centre)`` with ``h = (exp(μL) - 1) / μ``; the primes are
    derivatives in ``μ``. Returns ``[Σa, Σb, Σc, Σa², Σab, Σac, Σb²]`` for
    ``a = g - shift``, ``b = g'``, ``c = g''``. Measuring the logs from their
    centre keeps ``g`` free of the cancellation that ``h(μ, L)`` suffers when
    ``exp(μL)`` is far from 1 (the values then crowd around ``-1/μ`` and their
    spread is lost to rounding); shifting by (nearly) the mean of ``g`` keeps
    the moments free of cancellation too. The data is walked in cache-sized
    chunks so the dozen elementwise passes stay in cache. ``curvature=False``
    skips ``g''`` (``Σc`` and ``Σac`` are then 0).
    """
    sums = np.zeros(7)
    size = min(_CHUNK, logs.size)
    buffers = (np.empty(size), np.empty(size), np.empty(size), np.empty(size))
    series = abs(mu) * spread <= _SERIES_BELOW
    for start in range(0, logs.size, _CHUNK):
        chunk = logs[start : start + _CHUNK]
        d, a, b, c = (buffer[: chunk.size] for buffer in buffers)
        np.subtract(chunk, centre, out=d)
        if series:
            _series(d, mu, shift, a, b, c, curvature=curvature)
        else:
            _closed_form(d, mu, shift, a, b, c, curvature=curvature)
        sums += (
            a.sum(),
            b.sum(),
            c.sum() if curvature else 0.0,
            _dot(a, a),
            _dot(a, b),
            _dot(a, c) if curvature else 0.0,
            _dot(b, b),
        )
    return sums


def _closed_form(
    logs: np.ndarray,
    mu: float,
    shift: float,
    a: np.ndarray,
    b: np.ndarray,
    c: np.ndarray,
    *,
    curvature: bool = True,
) -> None:
    """Fill ``a = h - shift``, ``b = h'``, ``c = h''`` (μ-derivatives) from the closed forms of ``h``."""
    np.multiply(logs, mu, out=a)
    np.expm1(a, out=a)
    np.multiply(logs, a, out=c)
    c += logs  # L·exp(μL)
    a -= shift * mu
    a /= mu  # h - shift
    np.subtract(c, a, out=b)
    b -= shift
    b /= mu  # h'
    if not curvature:
        return
    c *= logs
    c -= b
    c -= b
    c /= mu  # h''


def _series(
    logs: np.ndarray,
    mu: float,
    shift: float,
    a: np.ndarray,
    b: np.ndarray,
    c: np.ndarray,
    *,
    curvature: bool = True,
) -> None:
    """As :func:`_closed_form`, by a power series in ``t = μL`` (``|t| <= 0.01``)."""
    t = mu * logs
    phi0 = np.full_like(logs, 1.0 / _FACTORIALS[7])
    phi1 = np.full_like(logs, 7.0 / _FACTORIALS[8])
    phi2 = np.full_like(logs, 56.0 / _FACTORIALS[9])
    for k in range(5, -1, -1):
        phi0 = phi0 * t + 1.0 / _FACTORIALS[k + 1]
        phi1 = phi1 * t + (k + 1.0) / _FACTORIALS[k + 2]
        if curvature:
            phi2 = phi2 * t + (k + 1.0) * (k + 2.0) / _FACTORIALS[k + 3]
    squared = logs * logs
    a[:] = logs * phi0 - shift
    b[:] = squared * phi1
    if curvature:
        c[:] = squared * logs * phi2


def _at(log: float, mu: float) -> tuple[float, float, float]:
    """``h(μ, L)``, ``h'`` and ``h''`` of one log, in floats (series or closed form, as the sums)."""
    t = mu * log
    if abs(t) <= _SERIES_BELOW:
        phi0, phi1, phi2 = (
            1.0 / _FACTORIALS[7],
            7.0 / _FACTORIALS[8],
            56.0 / _FACTORIALS[9],
        )
        for k in range(5, -1, -1):
            phi0 = phi0 * t + 1.0 / _FACTORIALS[k + 1]
            phi1 = phi1 * t + (k + 1.0) / _FACTORIALS[k + 2]
            phi2 = phi2 * t + (k + 1.0) * (k + 2.0) / _FACTORIALS[k + 3]
        return log * phi0, log * log * phi1, log * log * log * phi2
    grown = math.exp(t)
    h = math.expm1(t) / mu
    slope = (log * grown - h) / mu
    return h, slope, (log * log * grown - 2.0 * slope) / mu


def _mean_m2(values: np.ndarray) -> tuple[float, float]:
    """Mean and sum of squared deviations (:func:`mlprep.core.moments` where they overflow)."""
    mean = float(np.add.reduce(values)) / values.size
    deviations = values - mean
    m2 = _dot(deviations, deviations)
    if math.isfinite(m2):
        return mean, m2
    stats = moments(values)
    return stats.mean, stats.m2


def _h(logs: np.ndarray, mu: float) -> np.ndarray:
    """``(exp(μL) - 1) / μ``, exactly as the transform computes it (``L`` when ``|μ|`` < eps)."""
    if abs(mu) < EPS:
        return logs.copy()
    return np.expm1(mu * logs) / mu


@dataclass
class _Part:
    """The logs of the values of one sign and the centre they are measured from.

    Values ``x >= 0`` (sign +1) transform to ``ψ = h(λ, L)``, values
    ``x < 0`` (sign -1) to ``ψ = -h(2 - λ, L)``. With ``L = centre + d``,
    ``h(μ, L) = exp(μ·centre)·h(μ, d) + h(μ, centre)``: the moments of ψ
    follow from those of ``g = h(μ, d)``, which keep their precision.
    """

    logs: np.ndarray
    sign: float
    total: float
    low: float
    high: float

    @classmethod
    def of(cls, logs: np.ndarray, sign: float) -> _Part:
        return cls(logs, sign, float(logs.sum()), float(logs.min()), float(logs.max()))

    @property
    def centre(self) -> float:
        """The mean log."""
        return self.total / self.logs.size

    @property
    def spread(self) -> float:
        """The largest distance of a log from the centre."""
        return max(self.high - self.centre, self.centre - self.low)

    def mu(self, lam: float) -> float:
        return lam if self.sign > 0 else 2.0 - lam

    @cached_property
    def centred(self) -> np.ndarray:
        """``L - centre`` (made on first use: the Newton sums centre chunk by chunk)."""
        return self.logs - self.centre


@dataclass
class _Local:
    """ℓ, ℓ' and ℓ'' at one λ, and the means of ``g`` per part (the next shifts)."""

    loglike: float
    first: float
    second: float
    shifts: tuple[float, ...]

    @property
    def step(self) -> float:
        """The Newton step ``-ℓ'/ℓ''``; NaN where ℓ is not locally concave or overflows."""
        if not (np.isfinite(self.first) and np.isfinite(self.second)):
            return float("nan")
        if self.second >= 0 or not np.isfinite(self.loglike):
            return float("nan")
        return -self.first / self.second


@dataclass
class Problem:
    """The logs of one column, split by sign (Yeo-Johnson) or not (Box-Cox)."""

    positive: np.ndarray
    negative: np.ndarray
    total: float
    largest: float
    parts: tuple[_Part, ...]
    n: int

    @classmethod
    def yeo_johnson(cls, x: np.ndarray) -> Problem:
        negative_mask = x < 0
        if negative_mask.any():
            positive = np.log1p(x[~negative_mask])
            negative = np.log1p(-x[negative_mask])
        else:
            positive = np.log1p(x)
            negative = np.empty(0)
        return cls._make(positive, negative)

    @classmethod
    def box_cox(cls, x: np.ndarray) -> Problem:
        return cls._make(np.log(x), np.empty(0))

    @classmethod
    def _make(cls, positive: np.ndarray, negative: np.ndarray) -> Problem:
        parts = tuple(
            _Part.of(logs, sign)
            for logs, sign in ((positive, 1.0), (negative, -1.0))
            if logs.size
        )
        total = sum(part.sign * part.total for part in parts)
        largest = max(max(abs(part.low), abs(part.high)) for part in parts)
        return cls(
            positive, negative, total, largest, parts, positive.size + negative.size
        )

    def values(self, lam: float) -> np.ndarray:
        """ψ(x, λ) of every value (positives first)."""
        parts = [_h(self.positive, lam)]
        if self.negative.size:
            parts.append(-_h(self.negative, 2.0 - lam))
        return np.concatenate(parts) if len(parts) > 1 else parts[0]

    def means_near(self, lam: float) -> tuple[float, ...]:
        """Cheap estimates of the mean of ``g`` per part, from about 1,000 of the values."""
        every = max(1, self.n // 1000)
        shifts = []
        with np.errstate(over="ignore", invalid="ignore"):
            for part in self.parts:
                mean = float(_h(part.logs[::every] - part.centre, part.mu(lam)).mean())
                shifts.append(mean if np.isfinite(mean) else 0.0)
        return tuple(shifts)

    def _loglike(self, variance: float, top: float, lam: float) -> float:
        """ℓ from the variance of ψ in units of ``exp(top)``; -inf where it vanishes or overflows."""
        if not np.isfinite(variance) or variance <= 0.0:
            return -np.inf
        log_variance = math.log(variance) + 2.0 * top
        return -self.n / 2.0 * log_variance + (lam - 1.0) * self.total

    def loglike(self, lam: float) -> float:
        """The profile log-likelihood ℓ(λ); -inf where the variance vanishes or overflows.

        The variance of ψ is that of ``g`` per part, scaled, plus the spread
        of the part means (the parallel-variance formula), all in units of
        ``exp(M)`` with ``M`` the largest ``μ·centre``: no value of ψ is
        formed, so none loses its precision.
        """
        with np.errstate(over="ignore", invalid="ignore"):
            if len(self.parts) == 1:
                part = self.parts[0]
                mu = part.mu(lam)
                _, m2 = _mean_m2(_h(part.centred, mu))
                return self._loglike(m2 / self.n, mu * part.centre, lam)
            top = max(part.mu(lam) * part.centre for part in self.parts)
            within, means = 0.0, []
            for part in self.parts:
                mu = part.mu(lam)
                mean, m2 = _mean_m2(_h(part.centred, mu))
                scale = math.exp(mu * part.centre - top)
                within += scale * scale * m2
                start = _at(part.centre, mu)[0] * math.exp(-top)
                mean = part.sign * (scale * mean + start)
                means.append((part.logs.size, mean, mean, mean, mean))
            variance = (within + _between(means)[0]) / self.n
        return self._loglike(variance, top, lam)

    def local(
        self,
        lam: float,
        shifts: Sequence[float] | float,
        *,
        given: float | None = None,
    ) -> _Local:
        """ℓ(λ), ℓ'(λ) and ℓ''(λ) from one pass over the data.

        Per part, the sums of ``g`` and its μ-derivatives give the part's
        co-moments of ψ, ψ' and ψ'' (``ψ = sign·(exp(μc)·g + h(μ, c))``
        with ``c`` the part's centre); the parts combine by the parallel
        formula. ``shifts`` guesses the mean of ``g`` per part (a float: the
        same for every part); it only guards precision. A ``given`` ℓ''
        (from a λ close by) is used as is, which saves a third of the work.
        """
        if not isinstance(shifts, Sequence):
            shifts = (float(shifts),) * len(self.parts)
        several = len(self.parts) > 1
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            exponents = [part.mu(lam) * part.centre for part in self.parts]
            top = max(exponents)
            # n · (var ψ, cov(ψ, ψ'), cov(ψ, ψ''), var ψ') within the parts
            co = [0.0, 0.0, 0.0, 0.0]
            means, new_shifts = [], []
            for part, shift, exponent in zip(self.parts, shifts, exponents):
                mu, size = part.mu(lam), part.logs.size
                sums = _moment_sums(
                    part.logs,
                    part.centre,
                    mu,
                    shift,
                    part.spread,
                    curvature=given is None,
                )
                m0, m1, m2, s00, s01, s02, s11 = (sums / size).tolist()
                g00, g01 = s00 - m0 * m0, s01 - m0 * m1
                g02, g11 = s02 - m0 * m2, s11 - m1 * m1
                mean = shift + m0
                new_shifts.append(mean)
                c, sign = part.centre, part.sign
                scale = math.exp(exponent - top)
                weight = scale * scale * size
                co[0] += weight * g00
                co[1] += weight * sign * (c * g00 + g01)
                co[2] += weight * (c * c * g00 + 2.0 * c * g01 + g02)
                co[3] += weight * (c * c * g00 + 2.0 * c * g01 + g11)
                if several:
                    down = math.exp(-top)
                    h0, h1, h2 = (value * down for value in _at(c, mu))
                    curve = c * c * mean + 2.0 * c * m1 + m2
                    means.append(
                        (
                            size,
                            sign * (scale * mean + h0),
                            scale * (c * mean + m1) + h1,
                            sign * (scale * curve + h2),
                            scale * (c * mean + m1) + h1,
                        )
                    )
            if several:
                co = [w + b for w, b in zip(co, _between(means))]
            n = self.n
            var, d1, d2, v1 = (value / n for value in co)
            loglike = self._loglike(var, top, lam)
            if not np.isfinite(loglike) or var * var == 0.0:
                return _Local(-np.inf, math.nan, math.nan, tuple(new_shifts))
            first = -n * d1 / var + self.total
            if given is None:
                second = -n * (v1 + d2) / var + 2.0 * n * d1 * d1 / (var * var)
            else:
                second = given
        return _Local(loglike, first, second, tuple(new_shifts))

    def newton_step(
        self, lam: float, shifts: Sequence[float] | float
    ) -> tuple[float, tuple[float, ...]]:
        """The Newton step ``-ℓ'(λ) / ℓ''(λ)`` and the means of ``g`` per part.

        The step is NaN when ℓ is not locally concave or overflows.
        """
        local = self.local(lam, shifts)
        return local.step, local.shifts

    def bounds(self) -> tuple[float, float]:
        """λ range over which the transformed values neither overflow nor underflow (scipy's)."""
        scale = (
            math.log1p(20 * math.expm1(self.largest))
            if self.largest < 700
            else self.largest
        )
        scale = max(scale, 1e-300)
        low, high = _LOG_TINY / scale, _LOG_MAX / scale
        if self.negative.size and not self.positive.size:
            return 2.0 - high, 2.0 - low
        if self.negative.size:
            return max(2.0 - high, low), min(2.0 - low, high)
        return low, high


def _between(means: Sequence[tuple[int, float, float, float, float]]) -> list[float]:
    """The co-spread of the part means, what the parallel formula adds to the within-part sums.

    ``means`` holds per part ``(size, a, b, c, d)``; returns
    ``Σ k·(a - ā)·(x - x̄)`` for ``x`` in ``a, b, c`` and ``Σ k·(d - d̄)²``
    (means weighted by the sizes ``k``): for two parts,
    ``k₁k₂/(k₁ + k₂)`` times the products of the differences. One part adds nothing.
    """
    if len(means) == 1:
        return [0.0, 0.0, 0.0, 0.0]
    (k1, a1, b1, c1, d1), (k2, a2, b2, c2, d2) = means
    weight = k1 * k2 / (k1 + k2)
    spread = a1 - a2
    return [
        weight * spread * spread,
        weight * spread * (b1 - b2),
        weight * spread * (c1 - c2),
        weight * (d1 - d2) * (d1 - d2),
    ]
