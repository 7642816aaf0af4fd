"""The λ search kernel: subsample + Newton agrees with a direct bounded search."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy import optimize, stats

from mlprep.scale import _lambda
from mlprep.scale._lambda import SUBSAMPLE, box_cox_lambda, yeo_johnson_lambda


def test_derivatives_match_finite_differences() -> None:
    rng = np.random.default_rng(9)
    problem = _lambda.Problem.yeo_johnson(rng.standard_t(4, 3000))
    for lam in (-1.3, 0.002, 0.7, 1.999, 2.4):
        step, _ = problem.newton_step(lam, 0.0)
        h = 1e-4
        first = (problem.loglike(lam + h) - problem.loglike(lam - h)) / (2 * h)
        second = (
            problem.loglike(lam + h)
            - 2 * problem.loglike(lam)
            + problem.loglike(lam - h)
        ) / h**2
        assert step == pytest.approx(-first / second, rel=1e-4, abs=1e-9)


@pytest.mark.parametrize("scale", [1e-3, 1.0, 1e3])
def test_yeo_johnson_lambda_is_the_maximum(scale: float) -> None:
    rng = np.random.default_rng(10)
    x = rng.gamma(1.5, scale, 3 * SUBSAMPLE)
    lam = yeo_johnson_lambda(x)
    assert lam == pytest.approx(stats.yeojohnson(x)[1], rel=1e-6)
    problem = _lambda.Problem.yeo_johnson(x)
    assert problem.loglike(lam) >= problem.loglike(lam + 1e-4)
    assert problem.loglike(lam) >= problem.loglike(lam - 1e-4)


def test_box_cox_lambda_near_zero_uses_series() -> None:
    rng = np.random.default_rng(11)
    x = rng.lognormal(0, 1, 3 * SUBSAMPLE)  # log-normal: the Box-Cox λ is close to 0
    lam = box_cox_lambda(x)
    reference = optimize.minimize_scalar(
        lambda value: -stats.boxcox_llf(value, x),
        bounds=(-1, 1),
        method="bounded",
        options={"xatol": 1e-12},
    ).x
    assert abs(lam) < 0.05
    # 1e-6 relative, the contract: scipy < 1.11 evaluates the log-likelihood less
    # precisely, which moves its optimum by ~6e-7 relative.
    assert lam == pytest.approx(reference, rel=1e-6)


def test_constant_yeo_johnson_is_one() -> None:
    assert yeo_johnson_lambda(np.full(10, -4.0)) == 1.0


@pytest.mark.parametrize("size", [1_000, 3 * SUBSAMPLE])
@pytest.mark.parametrize(
    ("method", "draw"),
    [
        ("yeo-johnson", lambda rng, n: rng.standard_t(3, n)),
        ("yeo-johnson", lambda rng, n: -rng.lognormal(0, 1, n)),
        ("yeo-johnson", lambda rng, n: rng.uniform(0, 1, n)),
        ("box-cox", lambda rng, n: rng.lognormal(0, 1, n)),
        ("box-cox", lambda rng, n: rng.exponential(1, n)),
    ],
)
def test_lambda_is_at_least_as_likely_as_scipys(
    size: int, method: str, draw: Any, loglike: Any, noise: Any
) -> None:
    x = draw(np.random.default_rng(12), size)
    ours = yeo_johnson_lambda(x) if method == "yeo-johnson" else box_cox_lambda(x)
    scipys = (
        stats.yeojohnson_normmax(x)
        if method == "yeo-johnson"
        else stats.boxcox_normmax(x, method="mle")
    )
    assert loglike(x, ours, method) >= loglike(x, scipys, method) - noise(size)
    # and ours is a maximum at a resolution scipy's float64 search cannot reach
    best = loglike(x, ours, method)
    for shift in (-1e-8, 1e-8):
        assert best >= loglike(x, ours + shift, method) - noise(size)
