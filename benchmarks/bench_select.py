"""Feature-selection benchmark: constant, duplicate and correlated columns vs feature-engine.

N rows x 100 float64 columns (one pandas block), named x000..x099 so that
feature-engine's walk in name order and mlprep's walk in column order are the
same walk. In column order, spread by a fixed permutation:

* 60 independent columns (normal, lognormal, uniform, exponential, Student t);
* 20 noisy copies of one of them, correlation about 0.95 (over the threshold);
* 5 noisier copies, correlation about 0.8 (under it);
* 10 exact duplicates of independent columns (correlation 1);
* 5 constant columns.

Every peer runs ``fit_transform`` on the same pandas frame and returns
pandas. Workloads: DropConstantFeatures (tol=1), DropDuplicateFeatures and
DropCorrelatedFeatures(threshold=0.9, Pearson), mlprep vs feature-engine; for
the correlations also ``numpy.corrcoef`` over the same array (the BLAS
reference for the matrix alone). Target (issue 14): DropCorrelatedFeatures
within 1.5x of feature-engine or faster.

    python benchmarks/bench_select.py --n 1000000 --out benchmarks/RESULTS.md
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from _harness import DATA as BASE_DATA
from _harness import Task, main

SEED = 12345
THRESHOLD = 0.9
N_INDEPENDENT = 60
N_CLOSE = 20  # noise 0.33 sd of the source: correlation ~0.95
N_LOOSE = 5  # noise 0.75 sd of the source: correlation ~0.8
N_DUPLICATE = 10
N_CONSTANT = 5
N_COLUMNS = N_INDEPENDENT + N_CLOSE + N_LOOSE + N_DUPLICATE + N_CONSTANT
COLUMNS = [f"x{i:03d}" for i in range(N_COLUMNS)]


def wide(n: int) -> np.ndarray:
    """N x 100 float64 with correlated groups, duplicates and constants (see above)."""
    rng = np.random.default_rng([SEED, 15])
    draws = (
        lambda: rng.normal(0.0, 1.0, n),
        lambda: rng.lognormal(0.0, 0.5, n),
        lambda: rng.uniform(-1.0, 1.0, n),
        lambda: rng.exponential(1.0, n),
        lambda: rng.standard_t(5, n),
    )
    columns = [draws[i % len(draws)]() for i in range(N_INDEPENDENT)]
    sources = rng.choice(N_INDEPENDENT, N_CLOSE + N_LOOSE + N_DUPLICATE, replace=False)
    for k, source in enumerate(sources):
        base = columns[source]
        if k < N_CLOSE + N_LOOSE:
            noise = 0.33 if k < N_CLOSE else 0.75
            columns.append(base + rng.normal(0.0, noise * base.std(), n))
        else:
            columns.append(base.copy())
    columns += [np.full(n, float(c)) for c in range(N_CONSTANT)]
    order = rng.permutation(N_COLUMNS)
    return np.ascontiguousarray(np.column_stack([columns[i] for i in order]))


DATA = {**BASE_DATA, "wide": wide}


def _frame(X: np.ndarray) -> Any:
    import pandas as pd

    return pd.DataFrame(X, columns=COLUMNS)


def _mlprep(selector: str, **params: Any) -> Callable[[np.ndarray], Any]:
    def prepare(X: np.ndarray) -> Callable[[], Any]:
        import mlprep.select as sel

        df = _frame(X)
        return lambda: getattr(sel, selector)(**params).fit_transform(df)

    return prepare


def _feature_engine(selector: str, **params: Any) -> Callable[[np.ndarray], Any]:
    def prepare(X: np.ndarray) -> Callable[[], Any]:
        import feature_engine.selection as sel

        df = _frame(X)
        return lambda: getattr(sel, selector)(**params).fit_transform(df)

    return prepare


mlprep_constant = _mlprep("DropConstantFeatures", tol=1.0)
mlprep_duplicate = _mlprep("DropDuplicateFeatures")
mlprep_correlated = _mlprep("DropCorrelatedFeatures", threshold=THRESHOLD)
fe_constant = _feature_engine("DropConstantFeatures", tol=1.0)
fe_duplicate = _feature_engine("DropDuplicateFeatures")
fe_correlated = _feature_engine("DropCorrelatedFeatures", threshold=THRESHOLD)


def numpy_corrcoef(X: np.ndarray) -> Callable[[], Any]:
    def run() -> Any:
        with np.errstate(invalid="ignore"):  # the constant columns give NaN
            return np.corrcoef(X, rowvar=False)

    return run


def _tasks(variant: str, short: str, selector: str) -> list[Task]:
    here = "bench_select"
    return [
        Task(
            "select",
            variant,
            f"mlprep.{selector} (pandas in)",
            "wide",
            f"{here}:mlprep_{short}",
        ),
        Task(
            "select",
            variant,
            f"feature_engine.{selector}",
            "wide",
            f"{here}:fe_{short}",
        ),
    ]


TASKS = [
    Task("floor", "(x-a)*b", "numpy floor", "floats", "_harness:floor"),
    *_tasks("constant tol=1", "constant", "DropConstantFeatures"),
    *_tasks("duplicate", "duplicate", "DropDuplicateFeatures"),
    *_tasks(f"correlated {THRESHOLD} pearson", "correlated", "DropCorrelatedFeatures"),
    Task(
        "select",
        f"correlated {THRESHOLD} pearson",
        "numpy.corrcoef (matrix only, ref)",
        "wide",
        "bench_select:numpy_corrcoef",
    ),
]

if __name__ == "__main__":
    main(
        TASKS,
        title="Feature selection: constant, duplicate, correlated (N x 100 floats)",
    )
