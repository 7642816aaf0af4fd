"""Maximum-likelihood λ of the Yeo-Johnson and Box-Cox transforms, found fast.

Both transforms apply, to each value, ``h(μ, L) = (exp(μ L) - 1) / μ`` (``L``
when ``μ = 0``) to a precomputed log:

* Box-Cox: ``L = log(x)`` and ``μ = λ``;
* Yeo-Johnson: ``L = log1p(|x|)``; ``μ = λ`` for ``x >= 0`` and the value is
  ``-h(2 - λ, L)`` for ``x < 0``.

The profile log-likelihood maximised is scikit-learn's (and scipy's)::

    ℓ(λ) = -n/2 · log(var(ψ(x, λ))) + (λ - 1) · Σ sign(x) · L

The search runs scipy's bounded Brent method on a strided subsample of at
most ``SUBSAMPLE`` values (or the column, when smaller), then refines on the
full data with Newton steps that use the analytic first and second
derivatives of ``ℓ`` (each step one ``expm1`` over the data, versus scipy's
~40 full evaluations). The answer is bracketed (ℓ' changes sign across it)
and verified (ℓ concave at every step, no less likely than the start);
otherwise Brent runs over the full data.

The likelihood and its derivatives live in :mod:`mlprep.scale._likelihood`.
Precision: where ``exp(μL)`` is far from 1 the values ``h`` crowd around
``-1/μ`` and their spread is lost to rounding (diamonds' ``table`` column:
λ ≈ -4.2, spread 1e-7 of the values). Each sign's logs are therefore
measured from their mean ``c``: ``h(μ, L) = exp(μc)·h(μ, L - c) + h(μ, c)``,
so the moments come from ``h(μ, L - c)`` at full precision, ``exp(μc)``
enters as a log, and the two signs of a Yeo-Johnson column combine by the
parallel-variance formula.

Speed and exactness against scipy's ``yeojohnson_normmax`` and
``boxcox_normmax(method="mle")`` (which scikit-learn calls) are measured by
``benchmarks/bench_lambda.py``: the λ found here is the root of ℓ'(λ) to
about 1e-12, closer to the maximum-likelihood λ than scipy's, whose Brent
search on float64 values of ℓ stops where ℓ is flat to rounding.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy import optimize

from mlprep.core import EPS
from mlprep.scale._likelihood import Problem

__all__ = [
    "SUBSAMPLE",
    "TOLERANCE",
    "box_cox_lambda",
    "fit_lambda",
    "yeo_johnson_lambda",
]

SUBSAMPLE = 20_000
"""Largest subsample the first (Brent) stage of the search works on."""
TOLERANCE = 1e-12
"""Predicted error of λ (relative when |λ| > 1) at which the Newton refinement stops."""

_MAX_NEWTON = 8
_NOISE = 64 * EPS
"""Relative rounding allowed when comparing two values of ℓ (times ``|ℓ| + n``)."""
_BRACKET = 1e-9
"""Least distance (relative for |λ| > 1) past the predicted root at which ℓ' is probed."""
_PROBE = 1e-7
"""Predicted error (relative for |λ| > 1) below which the next Newton evaluation probes past the root."""
_START_XATOL = 1e-4
"""Brent's tolerance for Newton's start (on a subsample its λ differs from the column's by ~1e-2 anyway)."""


def _brent(problem: Problem, xatol: float = 1.48e-8) -> float:
    low, high = problem.bounds()
    # Where ψ overflows the likelihood is -inf; scipy's bracketing arithmetic
    # then meets inf - inf, which is harmless (that side is simply rejected).
    with np.errstate(invalid="ignore", over="ignore"):
        result = optimize.minimize_scalar(
            lambda lam: -problem.loglike(lam),
            bounds=(low, high),
            method="bounded",
            options={"xatol": xatol},
        )
    return float(result.x)


def _newton(problem: Problem, lam: float, *, tolerance: float) -> float | None:
    """Newton steps from ``lam`` to the root of ℓ', bracketed and verified; None if they fail.

    Each step evaluates ℓ, ℓ' and ℓ'' in one pass. The answer is returned
    only when (1) its predicted error is below ``tolerance`` (relative for
    |λ| > 1), (2) it lies between two evaluated λ where ℓ' has opposite
    signs, with ℓ concave at every iterate (a bracketed local maximum), and
    (3) ℓ at the last iterate is no less than at ``lam``. To get the
    bracket without an extra pass, once the error left is below
    ``_PROBE`` the next evaluation is placed just past the predicted root
    (by four times that error): ℓ' changes sign there, and the Newton step
    from that point is the answer. Returns None when a step is not finite,
    grows, or the checks fail; the caller then runs Brent on the full data.
    """
    local = problem.local(lam, problem.means_near(lam))
    start = local.loglike
    rises: float | None = None  # an iterate where ℓ' > 0 (the root lies above it)
    falls: float | None = None  # an iterate where ℓ' < 0 (the root lies below it)
    previous: float | None = None
    rate = 1.0
    for _ in range(_MAX_NEWTON):
        delta = local.step
        if not np.isfinite(delta) or abs(delta) > 4.0:
            return None
        if local.first > 0:
            rises = lam
        elif local.first < 0:
            falls = lam
        size = abs(delta)
        # Quadratic convergence: the error left after a step is ~ C·δ², with C
        # estimated from two consecutive steps (and assumed 1 before that).
        if previous is not None:
            if size > previous:
                return None
            rate = size / previous**2 if previous * previous > 0.0 else rate
        answer = lam + delta
        scale = max(1.0, abs(answer))
        error = rate * size * size
        bracketed = (
            rises is not None
            and falls is not None
            and min(rises, falls) <= answer <= max(rises, falls)
        )
        if error <= tolerance * scale and (bracketed or size == 0.0):
            noise = _NOISE * (abs(start) + problem.n)
            return answer if local.loglike >= start - noise else None
        if error <= _PROBE * scale and not bracketed:
            lam = answer + math.copysign(max(4.0 * error, _BRACKET * scale), delta)
            previous = None  # the step back from the probe is no Newton iterate
            # ℓ'' barely moves over so short a step: reuse it (its error only
            # scales the tiny step back from the probe)
            local = problem.local(lam, local.shifts, given=local.second)
        else:
            lam, previous = answer, size
            local = problem.local(lam, local.shifts)
    return None


def _search(
    x: np.ndarray, build: Callable[[np.ndarray], Problem]
) -> tuple[float, Problem]:
    """Brent on a strided subsample (or the data, when small), then Newton on the full data.

    Newton runs until its predicted error is below ``TOLERANCE`` (relative,
    for |λ| > 1): it solves ℓ'(λ) = 0 with analytic derivatives, so it lands
    on the maximum-likelihood λ to ~1e-12, where a search on float64 values
    of ℓ (scipy's) stops within ~1e-8 of it (ℓ is flat to rounding there).
    Its answer is verified (bracketed, and at least as likely as the start);
    Brent over the full data is the fallback when Newton stalls or the
    answer fails the check. Returns λ and the full problem (whose logs give
    the transformed values without a new log).
    """
    step = max(1, -(-x.size // SUBSAMPLE))
    full = build(x)
    start = _brent(full if step == 1 else build(x[::step]), xatol=_START_XATOL)
    refined = _newton(full, start, tolerance=TOLERANCE)
    if refined is not None:
        return refined, full
    return _brent(full), full


def fit_lambda(x: np.ndarray, method: str) -> tuple[float, np.ndarray]:
    """λ of ``x`` (finite, no NaN) and the transformed values, in some order.

    ``method`` is ``"yeo-johnson"`` or ``"box-cox"``. The values are computed
    from the logs the search already took, with the same operations as the
    transform (so their moments are exactly those of ``transform``'s output).
    A constant column gets λ = 1 under Yeo-Johnson.
    """
    if method == "yeo-johnson" and np.all(x == x[0]):
        return 1.0, Problem.yeo_johnson(x).values(1.0)
    build = Problem.yeo_johnson if method == "yeo-johnson" else Problem.box_cox
    lam, problem = _search(x, build)
    with np.errstate(over="ignore", invalid="ignore"):
        return float(lam), problem.values(float(lam))


def yeo_johnson_lambda(x: np.ndarray) -> float:
    """Maximum-likelihood Yeo-Johnson λ of the finite values ``x`` (no NaN); 1 when constant.

    Examples
    --------
    >>> x = np.array([1.0, 3.0, 5.0, 7.0, -1.0, -3.0])
    >>> round(yeo_johnson_lambda(x), 6)
    0.915461
    """
    return fit_lambda(x, "yeo-johnson")[0]


def box_cox_lambda(x: np.ndarray) -> float:
    """Maximum-likelihood Box-Cox λ of the strictly positive, non-constant values ``x`` (no NaN).

    Examples
    --------
    >>> x = np.array([1.0, 3.0, 5.0, 7.0, 9.0, 30.0])
    >>> round(box_cox_lambda(x), 4)
    0.0147
    """
    return fit_lambda(x, "box-cox")[0]
