"""Outlier benchmark: IQR clip and z-score clip, N x 10 floats (the PEERS.md workloads).

Rows: mlprep.OutlierHandler on pandas and on polars input (fit + transform,
what a user runs on training data), feature-engine's Winsorizer, polars
expressions, pandas, and the numpy floor. Targets (issue 3): at least 2x
faster than feature-engine, within 2x of polars; (issue 16) on polars input
<= 1.5x the polars expressions, the ratio printed below the table.

Run from the repository root::

    /work/venv/bin/python benchmarks/bench_outliers.py --out benchmarks/RESULTS.md
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from _harness import Task, frame, ratio_line, report, run

IQR_FOLD = 1.5
Z_FOLD = 3.0
COLUMNS = [f"x{i}" for i in range(10)]


def _polars(X: np.ndarray) -> Any:
    import polars as pl

    return pl.from_numpy(X, schema=COLUMNS)


# ------------------------------------------------------------------ mlprep
def _mlprep(
    method: str, data: Callable[[np.ndarray], Any]
) -> Callable[[np.ndarray], Any]:
    def prepare(X: np.ndarray) -> Callable[[], Any]:
        from mlprep.outliers import OutlierHandler

        native = data(X)
        return lambda: OutlierHandler(method=method, action="clip").fit_transform(
            native
        )

    return prepare


mlprep_iqr_pandas = _mlprep("iqr", frame)
mlprep_iqr_polars = _mlprep("iqr", _polars)
mlprep_z_pandas = _mlprep("zscore", frame)
mlprep_z_polars = _mlprep("zscore", _polars)


# ------------------------------------------------------------------- peers
def fe_iqr(X: np.ndarray) -> Callable[[], Any]:
    from feature_engine.outliers import Winsorizer

    df = frame(X)
    return lambda: Winsorizer(
        capping_method="iqr", tail="both", fold=IQR_FOLD
    ).fit_transform(df)


def fe_z(X: np.ndarray) -> Callable[[], Any]:
    from feature_engine.outliers import Winsorizer

    df = frame(X)
    return lambda: Winsorizer(
        capping_method="gaussian", tail="both", fold=Z_FOLD
    ).fit_transform(df)


def polars_iqr(X: np.ndarray) -> Callable[[], Any]:
    import polars as pl

    df = _polars(X)

    def expr(c: str) -> Any:
        q1 = pl.col(c).quantile(0.25, interpolation="linear")
        q3 = pl.col(c).quantile(0.75, interpolation="linear")
        return pl.col(c).clip(q1 - IQR_FOLD * (q3 - q1), q3 + IQR_FOLD * (q3 - q1))

    return lambda: df.select([expr(c) for c in COLUMNS])


def polars_z(X: np.ndarray) -> Callable[[], Any]:
    import polars as pl

    df = _polars(X)

    def expr(c: str) -> Any:
        m, s = pl.col(c).mean(), pl.col(c).std()
        return pl.col(c).clip(m - Z_FOLD * s, m + Z_FOLD * s)

    return lambda: df.select([expr(c) for c in COLUMNS])


def pandas_iqr(X: np.ndarray) -> Callable[[], Any]:
    df = frame(X)

    def run() -> Any:
        q1, q3 = df.quantile(0.25), df.quantile(0.75)
        return df.clip(q1 - IQR_FOLD * (q3 - q1), q3 + IQR_FOLD * (q3 - q1), axis=1)

    return run


def pandas_z(X: np.ndarray) -> Callable[[], Any]:
    df = frame(X)

    def run() -> Any:
        m, s = df.mean(), df.std()
        return df.clip(m - Z_FOLD * s, m + Z_FOLD * s, axis=1)

    return run


def _tasks(variant: str, short: str) -> list[Task]:
    here = "bench_outliers"
    return [
        Task(
            "outliers",
            variant,
            "mlprep (pandas in)",
            "floats",
            f"{here}:mlprep_{short}_pandas",
        ),
        Task(
            "outliers",
            variant,
            "mlprep (polars in)",
            "floats",
            f"{here}:mlprep_{short}_polars",
        ),
        Task(
            "outliers",
            variant,
            "feature_engine.Winsorizer",
            "floats",
            f"{here}:fe_{short}",
        ),
        Task(
            "outliers",
            variant,
            "polars expressions",
            "floats",
            f"{here}:polars_{short}",
        ),
        Task(
            "outliers",
            variant,
            "pandas quantile/mean+clip",
            "floats",
            f"{here}:pandas_{short}",
        ),
    ]


TASKS = [
    Task("floor", "(x-a)*b", "numpy floor", "floats", "_harness:floor"),
    *_tasks("IQR cap 1.5", "iqr"),
    *_tasks("z-score cap 3", "z"),
]


def main() -> None:
    """``python bench_outliers.py [--n N] [--repeats R] [--out FILE]``."""
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(description="Outlier benchmark")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--out", type=Path, default=None, help="append the table to this Markdown file"
    )
    args = parser.parse_args()
    rows = run(TASKS, args.n, args.repeats)
    text = report(
        rows, title="Outliers: IQR and z-score clip, fit + transform", n=args.n
    )
    text += ratio_line(rows, ours="mlprep (polars in)", theirs="polars expressions")
    print(text)
    if args.out:
        with open(args.out, "a", encoding="utf-8") as handle:
            handle.write(text + "\n")


if __name__ == "__main__":
    main()
