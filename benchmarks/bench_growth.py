"""Scaling benchmark (issue 16): time against N, the growth exponent, ratios to peers.

Every workload runs at each size, each measurement in its own spawned process
(``_harness.run``: best of ``--repeats`` runs, peak RSS of the task's own
process). The *exponent* is the slope of log(time) on log(N) over the sizes
run, fitted by least squares: 1.0 is linear growth. Ratios are peer time /
mlprep time at the same N in the same run (> 1: mlprep is faster).

Workloads (N rows; the data generators of the family benchmarks):

* lag + rolling: lags 1, 7, 28 and rolling mean/std over 7 and 28 rows, 1000
  groups (``bench_timeseries``), mlprep on pandas and on polars input vs pandas
  groupby and polars ``over()``;
* Imputer(median): N x 10 floats, 10 % NaN, pandas and polars input vs
  scikit-learn's SimpleImputer and polars ``fill_null(median)`` by hand;
* TargetEncoder: one column of 20 levels, continuous target, vs
  scikit-learn's TargetEncoder (both cross-fit with 5 folds);
* check_leakage: N train x N test rows, key + time + duplicate checks
  (``bench_split``), vs pandas ``isin`` + row hashes and a polars semi-join by hand;
* TF-IDF (1,2)-grams: N / 10 documents (10k, 100k, 300k at N = 100k, 1M, 3M)
  vs scikit-learn's TfidfVectorizer.

Sizes default to 100k, 1M and 5M rows (text: 100k, 1M, 3M, i.e. 10k to 300k
documents); ``MLPREP_BENCH_10M=1`` adds 10M rows (needs ~16 GB). A shorter run::

    python benchmarks/bench_growth.py --sizes 100000 1000000 --repeats 2

The table is printed; ``--out FILE`` appends it to a Markdown file.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from _harness import DATA as BASE_DATA
from _harness import SEED, Row, Task, exponent, frame, run, short_time

# --------------------------------------------------------------------- data
LEVELS = 20


def target(n: int) -> dict[str, np.ndarray]:
    """One string column of 20 uniform levels and a continuous target."""
    rng = np.random.default_rng([SEED, 7])
    levels = np.array([f"cat_{i:02d}" for i in range(LEVELS)], dtype=object)
    codes = rng.integers(0, LEVELS, n)
    effect = rng.normal(0.0, 1.0, LEVELS)
    return {"c": levels[codes], "y": effect[codes] + rng.normal(0.0, 1.0, n)}


def panel(n: int) -> dict[str, np.ndarray]:
    from bench_timeseries import panel as make

    return make(n)


def splits(n: int) -> dict[str, np.ndarray]:
    from bench_split import splits as make

    return make(n)


def text(n: int) -> list[str]:
    from bench_text import text as make

    return make(n)


DATA: dict[str, Callable[[int], Any]] = {
    **BASE_DATA,
    "target": target,
    "panel": panel,
    "splits": splits,
    "text": text,
}


# ------------------------------------------------------------ lag + rolling
def lag_rolling_pandas(d: dict[str, np.ndarray]) -> Callable[[], Any]:
    from bench_timeseries import mlprep_pandas

    return mlprep_pandas(d)


def lag_rolling_polars(d: dict[str, np.ndarray]) -> Callable[[], Any]:
    from bench_timeseries import mlprep_polars

    return mlprep_polars(d)


def pandas_groupby(d: dict[str, np.ndarray]) -> Callable[[], Any]:
    from bench_timeseries import pandas_groupby as prepare

    return prepare(d)


def polars_over(d: dict[str, np.ndarray]) -> Callable[[], Any]:
    from bench_timeseries import polars_over as prepare

    return prepare(d)


# ------------------------------------------------------------------ imputer
COLUMNS = [f"x{i}" for i in range(10)]


def imputer_pandas(X: np.ndarray) -> Callable[[], Any]:
    from mlprep.impute import Imputer

    df = frame(X)
    return lambda: Imputer(strategy="median").fit_transform(df)


def imputer_polars(X: np.ndarray) -> Callable[[], Any]:
    import polars as pl

    from mlprep.impute import Imputer

    df = pl.from_numpy(X, schema=COLUMNS).fill_nan(None)
    return lambda: Imputer(strategy="median").fit_transform(df)


def sklearn_imputer(X: np.ndarray) -> Callable[[], Any]:
    from sklearn.impute import SimpleImputer

    return lambda: SimpleImputer(strategy="median").fit_transform(X)


def polars_median(X: np.ndarray) -> Callable[[], Any]:
    import polars as pl

    df = pl.from_numpy(X, schema=COLUMNS).fill_nan(None)
    return lambda: df.with_columns(
        [pl.col(c).fill_null(pl.col(c).median()) for c in COLUMNS]
    )


# ----------------------------------------------------------- target encoder
def target_mlprep(d: dict[str, np.ndarray]) -> Callable[[], Any]:
    import pandas as pd

    from mlprep.encode import TargetEncoder

    X = pd.DataFrame({"c": d["c"]})
    y = d["y"]
    return lambda: TargetEncoder(cv=5, target_type="continuous").fit_transform(X, y)


def target_sklearn(d: dict[str, np.ndarray]) -> Callable[[], Any]:
    from sklearn.preprocessing import TargetEncoder

    X = d["c"].reshape(-1, 1)
    y = d["y"]
    return lambda: TargetEncoder(cv=5, target_type="continuous").fit_transform(X, y)


# ----------------------------------------------------------- check_leakage
def leakage_pandas(d: dict[str, np.ndarray]) -> Callable[[], Any]:
    from bench_split import mlprep_leakage_pandas

    return mlprep_leakage_pandas(d)


def leakage_polars(d: dict[str, np.ndarray]) -> Callable[[], Any]:
    from bench_split import mlprep_leakage_polars

    return mlprep_leakage_polars(d)


def leakage_pandas_by_hand(d: dict[str, np.ndarray]) -> Callable[[], Any]:
    """Keys in both (isin), time overlap (min / max), shared rows (64-bit row hashes)."""
    from bench_leakage import pandas_by_hand

    return pandas_by_hand(d)


def leakage_polars_by_hand(d: dict[str, np.ndarray]) -> Callable[[], Any]:
    """The same three checks as polars semi-joins."""
    from bench_leakage import polars_by_hand

    return polars_by_hand(d)


# ------------------------------------------------------------------- TF-IDF
PATTERN = r"(?u)\b\w\w+\b"


def tfidf_mlprep(docs: list[str]) -> Callable[[], Any]:
    import pandas as pd

    from mlprep.text import TfidfVectorizer

    df = pd.DataFrame({"doc": docs})
    return lambda: TfidfVectorizer(
        ngram_range=(1, 2), token_pattern=PATTERN
    ).fit_transform(df)


def tfidf_sklearn(docs: list[str]) -> Callable[[], Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return lambda: TfidfVectorizer(
        ngram_range=(1, 2), token_pattern=PATTERN
    ).fit_transform(docs)


# -------------------------------------------------------------------- tasks
def _task(workload: str, peer: str, data: str, function: str) -> Task:
    return Task(workload, "growth", peer, data, f"bench_growth:{function}")


TASKS = [
    _task("lag + rolling", "mlprep (pandas in)", "panel", "lag_rolling_pandas"),
    _task("lag + rolling", "mlprep (polars in)", "panel", "lag_rolling_polars"),
    _task("lag + rolling", "pandas groupby", "panel", "pandas_groupby"),
    _task("lag + rolling", "polars over()", "panel", "polars_over"),
    _task("Imputer(median)", "mlprep (pandas in)", "floats_nan", "imputer_pandas"),
    _task("Imputer(median)", "mlprep (polars in)", "floats_nan", "imputer_polars"),
    _task("Imputer(median)", "sklearn SimpleImputer", "floats_nan", "sklearn_imputer"),
    _task("Imputer(median)", "polars by hand", "floats_nan", "polars_median"),
    _task("TargetEncoder c20", "mlprep", "target", "target_mlprep"),
    _task("TargetEncoder c20", "sklearn TargetEncoder", "target", "target_sklearn"),
    _task("check_leakage", "mlprep (pandas in)", "splits", "leakage_pandas"),
    _task("check_leakage", "mlprep (polars in)", "splits", "leakage_polars"),
    _task(
        "check_leakage",
        "pandas isin + row hashes",
        "splits",
        "leakage_pandas_by_hand",
    ),
    _task("check_leakage", "polars semi-join", "splits", "leakage_polars_by_hand"),
    _task("TF-IDF (1,2)-grams", "mlprep", "text", "tfidf_mlprep"),
    _task("TF-IDF (1,2)-grams", "sklearn TfidfVectorizer", "text", "tfidf_sklearn"),
]

TEXT_SIZES = {100_000: 100_000, 1_000_000: 1_000_000, 5_000_000: 3_000_000}
"""Row size -> the N given to the text generator (N / 10 documents): 10k, 100k, 300k."""


def text_size(n: int) -> int:
    """The N the text generator gets at row size ``n`` (it makes N / 10 documents)."""
    return TEXT_SIZES.get(n, min(n, 3_000_000))


# ------------------------------------------------------------------ report
def report(results: dict[int, list[Row]], sizes: list[int]) -> str:
    """One row per workload and peer: time per N, exponent, ratio and peak at the largest N."""
    largest = sizes[-1]
    header = " | ".join(f"N = {n:,}" for n in sizes)
    lines = [
        f"## Growth with N (issue 16; sizes {', '.join(f'{n:,}' for n in sizes)})",
        "",
        "Best of the runs, each task in its own process. Exponent = slope of log time "
        "on log N (1.0: linear). `mlprep ×` = peer time / mlprep time at the largest N "
        "(> 1: mlprep faster). Peak = RSS high-water mark at the largest N. TF-IDF runs "
        "on N / 10 documents (the largest row size capped at 300k documents).",
        "",
        f"| workload | peer | {header} | exponent | mlprep × | peak MiB |",
        "|---|---|" + "---:|" * len(sizes) + "---:|---:|---:|",
    ]
    peers: dict[tuple[str, str], dict[int, Row]] = {}
    for n, rows in results.items():
        for row in rows:
            peers.setdefault((row.task.workload, row.task.peer), {})[n] = row
    for (workload, peer), by_n in peers.items():
        ns = [n for n in sizes if n in by_n]
        times = [by_n[n].best_s for n in ns]
        measured = [text_size(n) if by_n[n].task.data == "text" else n for n in ns]
        ours = next(
            (
                r
                for (w, p), r in peers.items()
                if w == workload and p.startswith("mlprep")
            ),
            {},
        )
        ratio = (
            f"{by_n[largest].best_s / ours[largest].best_s:.2f}"
            if largest in by_n and largest in ours
            else "—"
        )
        cells = " | ".join(
            short_time(by_n[n].best_s) if n in by_n else "—" for n in sizes
        )
        peak = f"{by_n[largest].peak_mib:.0f}" if largest in by_n else "—"
        lines.append(
            f"| {workload} | {peer} | {cells} | {exponent(measured, times):.2f} | "
            f"{ratio} | {peak} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="Scaling benchmark")
    default = [100_000, 1_000_000, 5_000_000]
    if os.environ.get("MLPREP_BENCH_10M") == "1":
        default.append(10_000_000)
    parser.add_argument("--sizes", type=int, nargs="+", default=default)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--only", default=None, help="run only workloads whose name contains this"
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    sizes = sorted(args.sizes)
    tasks = [t for t in TASKS if args.only is None or args.only in t.workload]
    results: dict[int, list[Row]] = {}
    for n in sizes:
        rows = run([t for t in tasks if t.data != "text"], n, args.repeats)
        text_tasks = [t for t in tasks if t.data == "text"]
        if text_tasks:
            text_rows = run(text_tasks, text_size(n), 1)
            rows += text_rows
        results[n] = rows
    table = report(results, sizes)
    print(table)
    if args.out:
        with open(args.out, "a", encoding="utf-8") as handle:
            handle.write(table + "\n")


if __name__ == "__main__":
    main()
