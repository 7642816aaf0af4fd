"""Fixtures of the scale tests: the power transforms' log-likelihood in extended precision."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

LoglikeFn = Callable[[np.ndarray, float, str], float]


def extended_loglike(x: np.ndarray, lam: float, method: str) -> np.longdouble:
    """The profile log-likelihood ℓ(λ) of scipy/scikit-learn, in ``np.longdouble``.

    On x86-64 this is 80-bit extended precision (eps ~1.1e-19), so two λ a
    float64 search cannot tell apart (ℓ rounds to ~n·eps64 there) get
    distinguishable values; where ``longdouble`` is float64 it degrades to
    float64 and tolerances written as multiples of ``finfo(longdouble).eps``
    grow with it.
    """
    data = np.asarray(x, dtype=np.longdouble)
    lmbda = np.longdouble(lam)
    if method == "box-cox":
        logs = np.log(data)
        psi = logs if lmbda == 0 else np.expm1(lmbda * logs) / lmbda
        total = logs.sum()
    else:
        negative = data < 0
        logs = np.log1p(np.abs(data))
        mu = np.where(negative, 2 - lmbda, lmbda)
        safe = np.where(mu == 0, 1, mu)
        psi = np.where(mu == 0, logs, np.expm1(mu * logs) / safe)
        psi = np.where(negative, -psi, psi)
        total = np.where(negative, -logs, logs).sum()
    centred = psi - psi.mean()
    variance = (centred * centred).mean()
    return -np.longdouble(data.size) / 2 * np.log(variance) + (lmbda - 1) * total


def loglike_noise(n: int) -> float:
    """A bound on the rounding of :func:`extended_loglike` for ``n`` values (64·n·eps)."""
    return 64.0 * n * float(np.finfo(np.longdouble).eps)


@pytest.fixture
def loglike() -> LoglikeFn:
    return extended_loglike  # type: ignore[return-value]


@pytest.fixture
def noise() -> Callable[[int], float]:
    return loglike_noise
