"""Split benchmark: the 70/20/10 split workloads of PEERS.md over 1M rows, and check_leakage.

Workloads (data as in ../shared/bench/peers.py ``gen_splits``: N x 10 floats,
5 imbalanced classes, keys of ~20 rows, unsorted epoch-second times):

* stratified 70/20/10: mlprep vs two calls of scikit-learn's train_test_split
  (issue 7 target: mlprep at least 3x faster) and the numpy reference;
* group 70/20/10: mlprep's key split vs two GroupShuffleSplit calls;
* ordered by time: mlprep vs pandas sort+iloc, polars sort+slice, numpy;
* key-hash 70/20/10 into three frames: mlprep vs polars hash+filter
  (target: within 2x) and pandas hash_array;
* check_leakage on 1M train x 1M test rows (key, time and duplicate checks).

Run from the repository root::

    /work/venv/bin/python benchmarks/bench_split.py --out benchmarks/RESULTS.md
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from _harness import SEED, Task, floats, main

FRACS = (0.7, 0.2, 0.1)
CLASSES_P = (0.50, 0.25, 0.15, 0.07, 0.03)
ROWS_PER_KEY = 20
COLUMNS = [f"x{i}" for i in range(10)]


def splits(n: int) -> dict[str, np.ndarray]:
    """X, y (5 imbalanced classes), groups (~20 rows each) and ts (unsorted), as peers.py."""
    rng = np.random.default_rng([SEED, 6])
    return {
        "X": floats(n),
        "y": rng.choice(len(CLASSES_P), n, p=CLASSES_P).astype(np.int64),
        "groups": rng.integers(0, max(1, n // ROWS_PER_KEY), n),
        "ts": rng.integers(1_577_836_800, 1_609_459_200, n),
    }


DATA: dict[str, Callable[[int], Any]] = {"splits": splits}


def _pandas(d: dict[str, np.ndarray]) -> Any:
    import pandas as pd

    df = pd.DataFrame(d["X"], columns=COLUMNS)
    df["y"], df["key"], df["ts"] = d["y"], d["groups"], d["ts"]
    return df


def _polars(d: dict[str, np.ndarray]) -> Any:
    import polars as pl

    return pl.from_pandas(_pandas(d))


def floor(d: dict[str, np.ndarray]) -> Callable[[], Any]:
    X = d["X"]
    a, b = X.mean(axis=0), 1.0 / X.std(axis=0)
    return lambda: (X - a) * b


# ------------------------------------------------------------ stratified
def mlprep_stratified(d):
    from mlprep.split import train_val_test_split

    X, y = d["X"], d["y"]
    return lambda: train_val_test_split(X, y=y, method="stratified")


def sklearn_stratified(d):
    from sklearn.model_selection import train_test_split

    X, y = d["X"], d["y"]

    def run():
        Xtr, Xr, ytr, yr = train_test_split(
            X, y, test_size=0.3, stratify=y, random_state=0
        )
        return (
            Xtr,
            ytr,
            *train_test_split(Xr, yr, test_size=1 / 3, stratify=yr, random_state=0),
        )

    return run


def numpy_stratified(d):
    X, y = d["X"], d["y"]

    def run():
        n = len(y)
        perm = np.random.default_rng(0).permutation(n)
        order = perm[np.argsort(y[perm], kind="stable")]
        ys = y[order]
        starts = np.flatnonzero(np.r_[True, ys[1:] != ys[:-1]])
        counts = np.diff(np.r_[starts, n])
        pos = np.arange(n) - np.repeat(starts, counts)
        size = np.repeat(counts, counts)
        part = (pos >= size * FRACS[0]).astype(np.int8) + (pos >= size * (1 - FRACS[2]))
        return [(X[order[part == k]], y[order[part == k]]) for k in range(3)]

    return run


# ------------------------------------------------------------------ group
def mlprep_group(d):
    from mlprep.split import train_val_test_split

    X, y, groups = d["X"], d["y"], d["groups"]
    return lambda: train_val_test_split(X, y=y, method="key", key=groups)


def sklearn_group(d):
    from sklearn.model_selection import GroupShuffleSplit

    X, y, groups = d["X"], d["y"], d["groups"]

    def run():
        tr, rest = next(
            GroupShuffleSplit(n_splits=1, test_size=0.3, random_state=0).split(
                X, y, groups
            )
        )
        Xr, yr, gr = X[rest], y[rest], groups[rest]
        va, te = next(
            GroupShuffleSplit(n_splits=1, test_size=1 / 3, random_state=0).split(
                Xr, yr, gr
            )
        )
        return X[tr], Xr[va], Xr[te], y[tr], yr[va], yr[te]

    return run


# ---------------------------------------------------------------- ordered
def mlprep_ordered_numpy(d):
    from mlprep.split import train_val_test_split

    X, y, ts = d["X"], d["y"], d["ts"]
    return lambda: train_val_test_split(X, y=y, method="ordered", order_by=ts)


def mlprep_ordered_polars(d):
    from mlprep.split import train_val_test_split

    df = _polars(d)
    return lambda: train_val_test_split(df, method="ordered", order_by="ts")


def _bounds(n):
    a = round(n * FRACS[0])
    return a, a + round(n * FRACS[1])


def pandas_ordered(d):
    df = _pandas(d)

    def run():
        s = df.sort_values("ts", kind="stable")
        a, b = _bounds(len(s))
        return s.iloc[:a], s.iloc[a:b], s.iloc[b:]

    return run


def polars_ordered(d):
    df = _polars(d)

    def run():
        s = df.sort("ts", maintain_order=True)
        a, b = _bounds(s.height)
        return s.slice(0, a), s.slice(a, b - a), s.slice(b)

    return run


# -------------------------------------------------------------------- key
def mlprep_key_polars(d):
    from mlprep.split import train_val_test_split

    df = _polars(d)
    return lambda: train_val_test_split(df, method="key", key="key")


def mlprep_key_pandas(d):
    from mlprep.split import train_val_test_split

    df = _pandas(d)
    return lambda: train_val_test_split(df, method="key", key="key")


def polars_key(d):
    import polars as pl

    df = _polars(d)
    lo, hi = int(FRACS[0] * 100), int((1 - FRACS[2]) * 100)

    def run():
        b = df.with_columns((pl.col("key").hash(seed=0) % 100).alias("_bucket"))
        return (
            b.filter(pl.col("_bucket") < lo),
            b.filter(pl.col("_bucket").is_between(lo, hi, closed="left")),
            b.filter(pl.col("_bucket") >= hi),
        )

    return run


def pandas_key(d):
    import pandas as pd

    df = _pandas(d)

    def run():
        bucket = pd.util.hash_array(df["key"].to_numpy()) % 100
        lo, hi = FRACS[0] * 100, (1 - FRACS[2]) * 100
        return df[bucket < lo], df[(bucket >= lo) & (bucket < hi)], df[bucket >= hi]

    return run


# ---------------------------------------------------------- check_leakage
def _two_sets(d, backend):
    """1M train and 1M test rows: the same generator twice, test shifted a little in time."""
    import pandas as pd

    train = _pandas(d)
    test = train.sample(frac=1.0, random_state=1).reset_index(drop=True)
    original = test[["x0", "ts"]].copy()
    test["x0"] = test["x0"] + 1e-3  # mostly not duplicates
    test["ts"] = test["ts"] + 86_400
    test.loc[:999, ["x0", "ts"]] = original.loc[
        :999
    ].to_numpy()  # 1000 exact duplicates
    if backend == "polars":
        import polars as pl

        return pl.from_pandas(train), pl.from_pandas(test)
    return train, pd.DataFrame(test)


def _leakage(backend):
    def prepare(d):
        from mlprep.split import check_leakage

        train, test = _two_sets(d, backend)
        return lambda: check_leakage(train, test, key="key", time="ts")

    return prepare


mlprep_leakage_pandas = _leakage("pandas")
mlprep_leakage_polars = _leakage("polars")


TASKS = [
    Task("splits", "floor", "numpy floor", "splits", "bench_split:floor"),
    Task(
        "splits",
        "stratified 70/20/10",
        "mlprep (numpy X, y)",
        "splits",
        "bench_split:mlprep_stratified",
    ),
    Task(
        "splits",
        "stratified 70/20/10",
        "sklearn.train_test_split x2",
        "splits",
        "bench_split:sklearn_stratified",
    ),
    Task(
        "splits",
        "stratified 70/20/10",
        "numpy (ref)",
        "splits",
        "bench_split:numpy_stratified",
    ),
    Task(
        "splits",
        "group 70/20/10",
        "mlprep key (numpy X, y)",
        "splits",
        "bench_split:mlprep_group",
    ),
    Task(
        "splits",
        "group 70/20/10",
        "sklearn.GroupShuffleSplit x2",
        "splits",
        "bench_split:sklearn_group",
    ),
    Task(
        "splits",
        "ordered by time 70/20/10",
        "mlprep (numpy X, y)",
        "splits",
        "bench_split:mlprep_ordered_numpy",
    ),
    Task(
        "splits",
        "ordered by time 70/20/10",
        "mlprep (polars)",
        "splits",
        "bench_split:mlprep_ordered_polars",
    ),
    Task(
        "splits",
        "ordered by time 70/20/10",
        "pandas.sort_values+iloc",
        "splits",
        "bench_split:pandas_ordered",
    ),
    Task(
        "splits",
        "ordered by time 70/20/10",
        "polars.sort+slice",
        "splits",
        "bench_split:polars_ordered",
    ),
    Task(
        "splits",
        "key-hash 70/20/10",
        "mlprep (polars)",
        "splits",
        "bench_split:mlprep_key_polars",
    ),
    Task(
        "splits",
        "key-hash 70/20/10",
        "mlprep (pandas)",
        "splits",
        "bench_split:mlprep_key_pandas",
    ),
    Task(
        "splits", "key-hash 70/20/10", "polars hash", "splits", "bench_split:polars_key"
    ),
    Task(
        "splits",
        "key-hash 70/20/10",
        "pandas hash_array",
        "splits",
        "bench_split:pandas_key",
    ),
    Task(
        "leakage",
        "check_leakage N x N",
        "mlprep (polars)",
        "splits",
        "bench_split:mlprep_leakage_polars",
    ),
    Task(
        "leakage",
        "check_leakage N x N",
        "mlprep (pandas)",
        "splits",
        "bench_split:mlprep_leakage_pandas",
    ),
]

if __name__ == "__main__":
    main(TASKS, title="Splits and check_leakage")
