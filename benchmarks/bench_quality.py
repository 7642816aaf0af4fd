"""Data-quality benchmark: Baseline fit vs pandas and polars statistics; the HTML report.

Rows:

* ``baseline fit``: N rows x 20 columns (14 numeric with 5 % NaN, 6 strings of
  5 to 1 000 distinct values). mlprep ``Baseline().fit`` on pandas and on
  polars input; pandas ``describe()`` (count, mean, std, min, quartiles, max)
  plus ``value_counts()`` per string column; polars computing the same
  statistics as the Baseline (count, nulls, mean, std, min, max, the seven
  quantiles; ``value_counts`` and ``n_unique`` per string column). Targets
  (issue 13): <= 2x pandas, <= 1.5x polars.
* ``report``: ``mlprep.quality.report`` of 100 columns (70 numeric, 30
  strings) x 100 000 rows against a baseline (fit, check, drift and pictures).
  Target: <= 5 s and <= 5 MB; the page size is printed after the table.

Run from the repository root (the issue's figure is N = 10 M)::

    /work/venv/bin/python benchmarks/bench_quality.py --n 1000000 --out benchmarks/RESULTS.md
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from _harness import Task, _rng, floats, main

QUANTILES = (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)
CARDINALITY = (5, 20, 50, 100, 300, 1000)
REPORT_ROWS = 100_000


def mixed(n: int) -> Any:
    """N x 20 pandas frame: 14 float columns (5 % NaN), 6 string columns."""
    import pandas as pd

    rng = _rng(7)
    numeric = np.column_stack([floats(n), floats(n)[:, :4] * 3.0])
    numeric[rng.random(numeric.shape) < 0.05] = np.nan
    data: dict[str, Any] = {f"x{i}": numeric[:, i] for i in range(numeric.shape[1])}
    for j, size in enumerate(CARDINALITY):
        vocabulary = np.array([f"v{j}_{k}" for k in range(size)], dtype=object)
        data[f"s{j}"] = pd.array(vocabulary[rng.integers(0, size, n)], dtype="string")
    return pd.DataFrame(data)


DATA = {"mixed": mixed, "floats": floats}


def _strings(df: Any) -> list[str]:
    return [c for c in df.columns if c.startswith("s")]


def mlprep_pandas(df: Any) -> Callable[[], Any]:
    from mlprep.quality import Baseline

    return lambda: Baseline().fit(df)


def mlprep_polars(df: Any) -> Callable[[], Any]:
    import polars as pl

    from mlprep.quality import Baseline

    frame = pl.from_pandas(df)
    return lambda: Baseline().fit(frame)


def pandas_describe(df: Any) -> Callable[[], Any]:
    strings = _strings(df)

    def run() -> Any:
        described = df.describe()
        return described, [df[c].value_counts() for c in strings]

    return run


def polars_stats(df: Any) -> Callable[[], Any]:
    import polars as pl

    frame = pl.from_pandas(df)
    strings = _strings(df)
    numbers = [c for c in frame.columns if c not in strings]

    def run() -> Any:
        exprs = []
        for c in numbers:
            col = pl.col(c).fill_nan(None)
            exprs += [
                col.count().alias(f"{c}_n"),
                col.null_count().alias(f"{c}_z"),
                col.mean().alias(f"{c}_mean"),
                col.std(ddof=0).alias(f"{c}_std"),
                col.min().alias(f"{c}_min"),
                col.max().alias(f"{c}_max"),
                *(col.quantile(q).alias(f"{c}_q{q}") for q in QUANTILES),
            ]
        exprs += [pl.col(c).n_unique().alias(f"{c}_u") for c in strings]
        stats = frame.select(exprs)
        return stats, [frame[c].value_counts() for c in strings]

    return run


def _report_frame(n: int, seed: int) -> Any:
    import pandas as pd

    rng = np.random.default_rng(seed)
    data: dict[str, Any] = {}
    for i in range(70):
        data[f"n{i}"] = rng.lognormal(i % 5, 1.0, n)
    for j in range(30):
        size = 5 + 10 * j
        data[f"c{j}"] = rng.choice(
            np.array([f"c{j}_{k}" for k in range(size)], dtype=object), n
        )
    return pd.DataFrame(data)


def report_100(_: Any) -> Callable[[], Any]:
    from mlprep.quality import Baseline
    from mlprep.quality._report import report

    reference = _report_frame(REPORT_ROWS, 1)
    current = _report_frame(REPORT_ROWS, 2)
    baseline = Baseline().fit(reference)
    return lambda: report(current, baseline=baseline)


TASKS = [
    Task("baseline fit", "20 cols", "mlprep.Baseline (pandas in)", "mixed", "bench_quality:mlprep_pandas"),
    Task("baseline fit", "20 cols", "mlprep.Baseline (polars in)", "mixed", "bench_quality:mlprep_polars"),
    Task("baseline fit", "20 cols", "pandas describe + value_counts", "mixed", "bench_quality:pandas_describe"),
    Task("baseline fit", "20 cols", "polars same statistics", "mixed", "bench_quality:polars_stats"),
    Task("report", "100 cols x 100k rows", "mlprep.quality.report", "floats", "bench_quality:report_100"),
]  # fmt: skip

if __name__ == "__main__":
    main(TASKS, title="Data quality: Baseline fit and the HTML report")
    page = report_100(None)()
    print(
        f"report page: {len(page.html.encode('utf-8')) / 2**20:.2f} MB, {page.n_columns} columns"
    )
