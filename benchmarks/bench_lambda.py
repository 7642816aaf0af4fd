"""λ search benchmark: mlprep's Yeo-Johnson / Box-Cox λ against scipy's, time AND exactness.

``mlprep.scale._lambda`` (Brent on a subsample, then Newton steps on the
full column) is kept only if it is both faster than scipy's
``stats.yeojohnson_normmax`` / ``stats.boxcox_normmax(method="mle")`` (what
scikit-learn's PowerTransformer calls) and at least as exact (issue 10).

Time: each (method, distribution, n) is timed for both peers by the shared
harness, each in its own process, in the same run; ``scipy ×`` = scipy's
time / mlprep's. mlprep's timed call (``yeo_johnson_lambda`` /
``box_cox_lambda``) also computes the transformed column, which scipy's
``normmax`` does not: the comparison is conservative.

Exactness: the reference λ* is the root of the derivative of the profile
log-likelihood ℓ'(λ) = -n·cov(ψ, ∂ψ/∂λ)/var(ψ) + Σ sign(x)·log1p|x| (Box-Cox:
log x), evaluated in ``np.longdouble`` (80-bit extended precision on x86-64,
eps ~1.1e-19) and solved by ``scipy.optimize.brentq`` to float64 resolution
of λ. Solving ℓ' = 0 locates λ* to ~1e-15; maximising float64 values of ℓ
(what both searches do at some stage) cannot locate it better than ~1e-8,
because ℓ is flat to rounding there. The table gives ``ℓ(λ*) - ℓ(λ)`` in
extended precision for both λ (>= 0 up to rounding; "0" means below the
noise bound ``64·n·eps_longdouble``) and ``|λ - λ*|``. The verdict line says
whether mlprep's λ is at least as likely as scipy's in every case (up to
that noise) and faster in every case.

Run from the repository root::

    /work/venv/bin/python benchmarks/bench_lambda.py --out benchmarks/RESULTS.md

``--n`` is the largest size (default 1,000,000; the sizes run are 1e3, 1e5
and 1e6 up to it). Expect a few minutes: scipy's Box-Cox search on 1e6
values takes seconds per call.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from _harness import SEED, Row, Task, run

HERE = "bench_lambda"
SIZES = (1_000, 100_000, 1_000_000)
LONG = np.longdouble


# ------------------------------------------------------------------- data
def _rng(stream: int) -> np.random.Generator:
    return np.random.default_rng([SEED, 100 + stream])


DISTRIBUTIONS: dict[str, Callable[[int], np.ndarray]] = {
    "lognormal(0,1)": lambda n: _rng(1).lognormal(0.0, 1.0, n),
    "exponential(1)": lambda n: _rng(2).exponential(1.0, n),
    "uniform(0,1)": lambda n: _rng(3).uniform(0.0, 1.0, n),
    "normal(100,15)": lambda n: _rng(4).normal(100.0, 15.0, n),
    "normal(0,1) ±": lambda n: _rng(5).normal(0.0, 1.0, n),
    "uniform(-1,1) ±": lambda n: _rng(6).uniform(-1.0, 1.0, n),
    "-lognormal(0,1) −": lambda n: -_rng(7).lognormal(0.0, 1.0, n),
}
"""Positive data (both methods), then data with negatives (Yeo-Johnson only)."""

_TABLE_COUNTS = {
    43: 1, 44: 1, 49: 1, 50: 2, 51: 3, 52: 30, 53: 906, 54: 2594, 55: 6268,
    56: 9881, 57: 9724, 58: 8369, 59: 6572, 60: 5202, 61: 2236, 62: 1405,
    63: 579, 64: 353, 65: 160, 66: 90, 67: 40, 68: 20, 69: 12, 70: 8, 71: 5,
    72: 4, 73: 3, 76: 1, 79: 1, 95: 1,
}  # fmt: skip


def _table(n: int) -> np.ndarray:
    """Like diamonds' ``table``: whole percents, mode 56/57, 6.4% one-decimal values."""
    rng = _rng(8)
    values = np.array(list(_TABLE_COUNTS), dtype=float)
    weights = np.array(list(_TABLE_COUNTS.values()), dtype=float)
    x = rng.choice(values, size=n, p=weights / weights.sum())
    decimal = rng.random(n) < 0.064
    x[decimal] = np.round(rng.normal(57.5, 1.64, int(decimal.sum())), 1)
    return x


DISTRIBUTIONS["diamonds-table-like"] = _table

CASES: list[tuple[str, str]] = [
    *(("yeo-johnson", name) for name in DISTRIBUTIONS),
    *(("box-cox", name) for name in [*list(DISTRIBUTIONS)[:4], "diamonds-table-like"]),
]
DATA = DISTRIBUTIONS  # the harness looks data generators up here


# ------------------------------------------------------------------ peers
def mlprep_yeo_johnson(x: np.ndarray) -> Callable[[], Any]:
    from mlprep.scale._lambda import yeo_johnson_lambda

    return lambda: yeo_johnson_lambda(x)


def mlprep_box_cox(x: np.ndarray) -> Callable[[], Any]:
    from mlprep.scale._lambda import box_cox_lambda

    return lambda: box_cox_lambda(x)


def scipy_yeo_johnson(x: np.ndarray) -> Callable[[], Any]:
    from scipy import stats

    return lambda: stats.yeojohnson_normmax(x)


def scipy_box_cox(x: np.ndarray) -> Callable[[], Any]:
    from scipy import stats

    return lambda: stats.boxcox_normmax(x, method="mle")


PEERS = {
    "mlprep": {"yeo-johnson": mlprep_yeo_johnson, "box-cox": mlprep_box_cox},
    "scipy": {"yeo-johnson": scipy_yeo_johnson, "box-cox": scipy_box_cox},
}


def _task(method: str, name: str, peer: str) -> Task:
    function = PEERS[peer][method].__name__
    return Task("lambda", f"{method} {name}", peer, name, f"{HERE}:{function}")


# -------------------------------------------------------------- reference
class ExtendedLikelihood:
    """ℓ(λ) and ℓ'(λ) of one column in ``np.longdouble``, and its root λ*."""

    def __init__(self, x: np.ndarray, method: str) -> None:
        data = np.asarray(x, dtype=np.float64).astype(LONG)
        self.n = data.size
        if method == "box-cox":
            self.positive, self.negative = np.log(data), np.empty(0, dtype=LONG)
        else:
            below = data < 0
            self.positive = np.log1p(data[~below])
            self.negative = np.log1p(-data[below])
        self.total = self.positive.sum() - self.negative.sum()

    @staticmethod
    def _h(logs: np.ndarray, mu: Any) -> tuple[np.ndarray, np.ndarray]:
        """``h = expm1(μL)/μ`` and ``∂h/∂μ``; a series where ``|μL|`` is small."""
        mu = LONG(mu)
        if mu == 0:
            return logs.copy(), logs * logs / 2
        t = mu * logs
        h = np.expm1(t) / mu
        slope = (logs * (h * mu + 1) - h) / mu
        small = np.abs(t) < LONG(0.05)
        if small.any():  # ∂h/∂μ = L² Σ_k k·t^(k-1)/(k+1)!, free of cancellation
            ts = t[small]
            total, powers = np.zeros_like(ts), np.ones_like(ts)
            for k in range(1, 26):
                total += k * powers / LONG(math.factorial(k + 1))
                powers = powers * ts
            slope[small] = logs[small] * logs[small] * total
        return h, slope

    def _psi(self, lam: float) -> tuple[np.ndarray, np.ndarray]:
        """ψ(λ) and ∂ψ/∂λ of every value."""
        h, slope = self._h(self.positive, lam)
        if not self.negative.size:
            return h, slope
        hn, slope_n = self._h(self.negative, LONG(2) - LONG(lam))
        return np.concatenate([h, -hn]), np.concatenate([slope, slope_n])

    def loglike(self, lam: float) -> Any:
        psi, _ = self._psi(lam)
        centred = psi - psi.mean()
        return (
            -LONG(self.n) / 2 * np.log((centred * centred).mean())
            + (LONG(lam) - 1) * self.total
        )

    def slope(self, lam: float) -> Any:
        psi, dpsi = self._psi(lam)
        centred = psi - psi.mean()
        variance = (centred * centred).mean()
        covariance = (centred * (dpsi - dpsi.mean())).mean()
        return -LONG(self.n) * covariance / variance + self.total

    def argmax(self, guess: float) -> float:
        """λ* with ℓ'(λ*) = 0, bracketed around ``guess`` (ℓ is concave there)."""
        from scipy import optimize

        step = 1e-6 * max(1.0, abs(guess))
        low, high = guess - step, guess + step
        while self.slope(low) < 0:
            step *= 4
            low -= step
        while self.slope(high) > 0:
            step *= 4
            high += step
        return float(
            optimize.brentq(
                lambda lam: float(self.slope(lam)),
                low,
                high,
                xtol=1e-300,
                rtol=4 * np.finfo(np.float64).eps,
                maxiter=200,
            )
        )

    @property
    def noise(self) -> float:
        """Bound on the rounding of :meth:`loglike` (64·n·eps of ``longdouble``)."""
        return 64.0 * self.n * float(np.finfo(LONG).eps)


@dataclass
class Exactness:
    reference: float
    lam: dict[str, float]
    deficit: dict[str, float]  # ℓ(λ*) - ℓ(λ), extended precision
    noise: float

    def at_least_as_likely(self) -> bool:
        return self.deficit["mlprep"] <= self.deficit["scipy"] + self.noise


def exactness(method: str, name: str, n: int) -> Exactness:
    x = DISTRIBUTIONS[name](n)
    lam = {peer: float(PEERS[peer][method](x)()) for peer in ("mlprep", "scipy")}
    problem = ExtendedLikelihood(x, method)
    star = problem.argmax(lam["mlprep"])
    best = problem.loglike(star)
    deficit = {
        peer: float(best - problem.loglike(value)) for peer, value in lam.items()
    }
    return Exactness(star, lam, deficit, problem.noise)


# ----------------------------------------------------------------- report
def _ms(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1e3:.2f} ms"


def _deficit(value: float, noise: float) -> str:
    return "0" if abs(value) <= noise else f"{value:.1e}"


def report(
    times: dict[tuple[str, str, int], dict[str, float]],
    exact: dict[tuple[str, str, int], Exactness],
) -> str:
    precise = np.finfo(LONG).eps < np.finfo(np.float64).eps
    lines = [
        "## λ search: mlprep vs scipy normmax (time and exactness)",
        "",
        f"Python {platform.python_version()}, {os.cpu_count()} cores; best of the runs, "
        "each peer in its own process, same run. `scipy ×` = scipy time / mlprep time "
        "(> 1: mlprep is faster). λ* = root of ℓ'(λ) in "
        + (
            "80-bit extended precision"
            if precise
            else "float64 (no extended precision on this platform)"
        )
        + "; `Δℓ` = ℓ(λ*) − ℓ(λ) in that precision (0 = below 64·n·eps of it); "
        "mlprep's timed call also computes the transformed column.",
        "",
        "| n | method | data | mlprep | scipy | scipy × | Δℓ mlprep | Δℓ scipy "
        "| abs(λ−λ*) mlprep | abs(λ−λ*) scipy | λ* |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    ratios, likely = [], []
    for key in sorted(exact, key=lambda k: (k[2], k[0] != "yeo-johnson")):
        method, name, n = key
        ex = exact[key]
        timing = times.get(key, {})
        ours, theirs = timing.get("mlprep"), timing.get("scipy")
        ratio = theirs / ours if ours and theirs else float("nan")
        ratios.append(ratio)
        likely.append(ex.at_least_as_likely())
        lines.append(
            f"| {n:,} | {method} | {name} | {_ms(ours) if ours else '—'} | "
            f"{_ms(theirs) if theirs else '—'} | {ratio:.1f} | "
            f"{_deficit(ex.deficit['mlprep'], ex.noise)} | "
            f"{_deficit(ex.deficit['scipy'], ex.noise)} | "
            f"{abs(ex.lam['mlprep'] - ex.reference):.1e} | "
            f"{abs(ex.lam['scipy'] - ex.reference):.1e} | {ex.reference:.10g} |"
        )
    finite = [r for r in ratios if np.isfinite(r)]
    keep = bool(finite) and min(finite) > 1 and all(likely)
    lines += [
        "",
        f"Verdict: mlprep faster in {sum(r > 1 for r in finite)}/{len(finite)} cases "
        f"(scipy × from {min(finite, default=float('nan')):.1f} to "
        f"{max(finite, default=float('nan')):.1f}); at least as likely as scipy's λ "
        f"(up to the noise bound) in {sum(likely)}/{len(likely)} cases: "
        + (
            "keep `_lambda.py`."
            if keep
            else "**switch PowerTransformer to scipy's normmax.**"
        ),
    ]
    return "\n".join(lines) + "\n"


def _repeats_for(n: int, repeats: int) -> int:
    if n <= 10_000:
        return max(repeats, 10)
    return repeats if n <= 100_000 else min(repeats, 2)


def main() -> None:
    """``python bench_lambda.py [--n N] [--repeats R] [--out FILE]``."""
    parser = argparse.ArgumentParser(description="λ search benchmark")
    parser.add_argument("--n", type=int, default=SIZES[-1], help="the largest size")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--out", type=Path, default=None, help="append the table to this Markdown file"
    )
    args = parser.parse_args()
    sizes = sorted({s for s in SIZES if s <= args.n} | {args.n})
    times: dict[tuple[str, str, int], dict[str, float]] = {}
    exact: dict[tuple[str, str, int], Exactness] = {}
    for n in sizes:
        tasks = [_task(m, d, peer) for m, d in CASES for peer in ("mlprep", "scipy")]
        rows: list[Row] = run(tasks, n, _repeats_for(n, args.repeats))
        for row in rows:
            method, _, name = row.task.variant.partition(" ")
            times.setdefault((method, name, n), {})[row.task.peer] = row.best_s
        for method, name in CASES:
            print(f"  exactness {method} {name} n={n:,}...", file=sys.stderr)
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore", RuntimeWarning)
                exact[(method, name, n)] = exactness(method, name, n)
    text = report(times, exact)
    print(text)
    if args.out:
        with open(args.out, "a", encoding="utf-8") as handle:
            handle.write(text + "\n")


if __name__ == "__main__":
    main()
