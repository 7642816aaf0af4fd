"""Balance benchmark: random over/under-sampling and SMOTE against imbalanced-learn.

N rows x 20 float64 columns (one pandas block) with a binary target, 10 % of
the rows in the minority class (shifted by +1 in every column, so SMOTE's
neighbours are the minority's own). Every peer gets the same pandas DataFrame
and Series and returns pandas: mlprep.Balancer keeps the containers itself,
imbalanced-learn converts to numpy and back (both inside the timed call).

* random_over / random_under on N rows: mlprep.Balancer vs
  imblearn.RandomOverSampler / RandomUnderSampler, and ``.iloc`` of the same
  rows on the frame and the series (the least a pandas-out resampler does);
* SMOTE on N / 2 rows (a few seconds a run): mlprep.Balancer(method="smote")
  vs imblearn.SMOTE, both ``k_neighbors=5``, ``sampling_strategy="auto"``.

Targets (issue 14): random_over and random_under at least 2x faster than
imbalanced-learn; SMOTE within 1.2x of imbalanced-learn.

    python benchmarks/bench_balance.py --n 1000000 --out benchmarks/RESULTS.md
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from _harness import DATA as BASE_DATA
from _harness import Task, main

SEED = 12345
FEATURES = 20
MINORITY = 0.10
K_NEIGHBORS = 5
COLUMNS = [f"x{i:02d}" for i in range(FEATURES)]


def imbalanced(n: int) -> tuple[np.ndarray, np.ndarray]:
    """N x 20 float64 and an int64 target with 10 % ones (the ones shifted by +1)."""
    rng = np.random.default_rng([SEED, 14])
    y = (rng.random(n) < MINORITY).astype(np.int64)
    X = rng.normal(0.0, 1.0, (n, FEATURES))
    X[y == 1] += 1.0
    return X, y


def imbalanced_half(n: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`imbalanced` with N / 2 rows (the SMOTE workload)."""
    return imbalanced(n // 2)


DATA = {**BASE_DATA, "imbalanced": imbalanced, "imbalanced_half": imbalanced_half}


def _pandas(data: tuple[np.ndarray, np.ndarray]) -> tuple[Any, Any]:
    import pandas as pd

    X, y = data
    return pd.DataFrame(X, columns=COLUMNS), pd.Series(y, name="target")


# ------------------------------------------------------------------ mlprep
def _mlprep(method: str) -> Callable[[tuple[np.ndarray, np.ndarray]], Any]:
    def prepare(data: tuple[np.ndarray, np.ndarray]) -> Callable[[], Any]:
        from mlprep.balance import Balancer

        df, target = _pandas(data)
        return lambda: Balancer(
            method=method, seed=0, k_neighbors=K_NEIGHBORS
        ).fit_resample(df, target)

    return prepare


mlprep_over = _mlprep("random_over")
mlprep_under = _mlprep("random_under")
mlprep_smote = _mlprep("smote")


# ------------------------------------------------------------------- peers
def imblearn_over(data: tuple[np.ndarray, np.ndarray]) -> Callable[[], Any]:
    from imblearn.over_sampling import RandomOverSampler

    df, target = _pandas(data)
    return lambda: RandomOverSampler(random_state=0).fit_resample(df, target)


def imblearn_under(data: tuple[np.ndarray, np.ndarray]) -> Callable[[], Any]:
    from imblearn.under_sampling import RandomUnderSampler

    df, target = _pandas(data)
    return lambda: RandomUnderSampler(random_state=0).fit_resample(df, target)


def imblearn_smote(data: tuple[np.ndarray, np.ndarray]) -> Callable[[], Any]:
    from imblearn.over_sampling import SMOTE

    df, target = _pandas(data)
    return lambda: SMOTE(k_neighbors=K_NEIGHBORS, random_state=0).fit_resample(
        df, target
    )


def _iloc(over: bool) -> Callable[[tuple[np.ndarray, np.ndarray]], Any]:
    """``.iloc`` of the rows mlprep's Balancer picks, chosen before timing."""

    def prepare(data: tuple[np.ndarray, np.ndarray]) -> Callable[[], Any]:
        from mlprep.balance import Balancer

        df, target = _pandas(data)
        method = "random_over" if over else "random_under"
        _, y_out = Balancer(method=method, seed=0).fit_resample(df, target)
        positions = df.index.get_indexer(y_out.index)
        return lambda: (df.iloc[positions], target.iloc[positions])

    return prepare


iloc_over = _iloc(over=True)
iloc_under = _iloc(over=False)


def _tasks(variant: str, short: str, data: str, *, iloc: bool) -> list[Task]:
    here = "bench_balance"
    peer = {
        "over": "imblearn.RandomOverSampler",
        "under": "imblearn.RandomUnderSampler",
        "smote": "imblearn.SMOTE",
    }[short]
    tasks = [
        Task(
            "balance",
            variant,
            "mlprep.Balancer (pandas in)",
            data,
            f"{here}:mlprep_{short}",
        ),
        Task("balance", variant, peer, data, f"{here}:imblearn_{short}"),
    ]
    if iloc:
        tasks.append(
            Task(
                "balance",
                variant,
                "pandas .iloc, same rows (ref)",
                data,
                f"{here}:iloc_{short}",
            )
        )
    return tasks


TASKS = [
    Task("floor", "(x-a)*b", "numpy floor", "floats", "_harness:floor"),
    *_tasks("random_over", "over", "imbalanced", iloc=True),
    *_tasks("random_under", "under", "imbalanced", iloc=True),
    *_tasks(f"smote k={K_NEIGHBORS}, N/2 rows", "smote", "imbalanced_half", iloc=False),
]

if __name__ == "__main__":
    main(
        TASKS, title="Balance: random over/under-sampling and SMOTE, pandas in and out"
    )
