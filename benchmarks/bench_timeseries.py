"""Time-series benchmark: the PEERS.md workload.

1000 groups x (N / 1000) daily steps; rows sorted by time, entities in random
order within a step (as ``../shared/bench/peers.py``). Features: lags 1, 7, 28
and rolling mean / std over 7 and 28 rows of y[t-w .. t-1] per group. mlprep
runs LagFeatures + RollingFeatures (time_column and group_columns given, so it
sorts by group and time itself); the peers get the rows already in time order,
except ``polars over(order_by=ts)``, which orders each group by time itself as
mlprep does (the window-expression path a polars-native implementation would
take).

    python benchmarks/bench_timeseries.py --n 1000000 --out benchmarks/RESULTS.md
"""

from __future__ import annotations

from typing import Any

import numpy as np
from _harness import DATA as BASE_DATA
from _harness import Task, main

GROUPS = 1000
LAGS = (1, 7, 28)
WINDOWS = (7, 28)


def panel(n: int) -> dict[str, np.ndarray]:
    """The peers.py panel: same distributions, same seed stream."""
    rng = np.random.default_rng([12345, 4])
    t = max(1, n // GROUPS)
    level = rng.uniform(50.0, 150.0, GROUPS)
    walk = level + np.cumsum(rng.normal(0.0, 1.0, (t, GROUPS)), axis=0)
    perm = rng.permuted(np.tile(np.arange(GROUPS, dtype=np.int64), (t, 1)), axis=1)
    return {
        "key": perm.ravel(),
        "ts": np.datetime64("2020-01-01", "D") + np.repeat(np.arange(t), GROUPS),
        "y": np.take_along_axis(walk, perm, axis=1).ravel(),
    }


DATA = {**BASE_DATA, "panel": panel}


def _pandas_frame(d: dict[str, np.ndarray]) -> Any:
    import pandas as pd

    return pd.DataFrame(
        {"key": d["key"], "ts": d["ts"].astype("datetime64[ns]"), "y": d["y"]}
    )


def _pipeline() -> Any:
    from sklearn.pipeline import make_pipeline

    from mlprep.timeseries import LagFeatures, RollingFeatures

    keys = {"columns": "y", "time_column": "ts", "group_columns": "key"}
    return make_pipeline(
        LagFeatures(lags=LAGS, **keys),
        RollingFeatures(windows=WINDOWS, stats=("mean", "std"), min_periods=7, **keys),
    ).set_output(transform="default")


def _mlprep_both(frame: Any) -> Any:
    from mlprep.timeseries import LagFeatures, RollingFeatures

    keys = {"columns": "y", "time_column": "ts", "group_columns": "key"}
    lag = LagFeatures(lags=LAGS, **keys)
    roll = RollingFeatures(
        windows=WINDOWS, stats=("mean", "std"), min_periods=7, **keys
    )

    def run() -> Any:
        out = lag.fit_transform(frame)
        return roll.fit_transform(frame), out

    return run


def mlprep_pandas(d: dict[str, np.ndarray]) -> Any:
    return _mlprep_both(_pandas_frame(d))


def mlprep_polars(d: dict[str, np.ndarray]) -> Any:
    import polars as pl

    return _mlprep_both(pl.from_pandas(_pandas_frame(d)))


def pandas_groupby(d: dict[str, np.ndarray]) -> Any:
    df = _pandas_frame(d)

    def run() -> Any:
        g = df.groupby("key", sort=False)["y"]
        feats = {f"lag_{k}": g.shift(k) for k in LAGS}
        g1 = feats["lag_1"].groupby(df["key"], sort=False)
        for w in WINDOWS:
            r = g1.rolling(w)
            feats[f"mean_{w}"] = r.mean().droplevel(0)
            feats[f"std_{w}"] = r.std().droplevel(0)
        return df.assign(**feats)

    return run


def polars_over(d: dict[str, np.ndarray]) -> Any:
    import polars as pl

    df = pl.from_pandas(_pandas_frame(d))
    y = pl.col("y")
    exprs = [y.shift(k).over("key").alias(f"lag_{k}") for k in LAGS]
    for w in WINDOWS:
        exprs.append(y.shift(1).rolling_mean(w).over("key").alias(f"mean_{w}"))
        exprs.append(y.shift(1).rolling_std(w).over("key").alias(f"std_{w}"))
    return lambda: df.with_columns(exprs)


def polars_over_ordered(d: dict[str, np.ndarray]) -> Any:
    """polars over(order_by=ts): polars orders each group by time itself, as mlprep does.

    The window-expression path mlprep would take on polars input (issue 16),
    with the NaN-as-missing rule mlprep keeps (``fill_nan(None)``) and
    ``min_periods=7``: its time bounds what that path could reach.
    """
    import polars as pl

    df = pl.from_pandas(_pandas_frame(d))
    y = pl.col("y").fill_nan(None)
    over = {"partition_by": "key", "order_by": "ts"}
    exprs = [y.shift(k).over(**over).alias(f"lag_{k}") for k in LAGS]
    for w in WINDOWS:
        shifted = y.shift(1)
        exprs.append(
            shifted.rolling_mean(w, min_samples=7).over(**over).alias(f"mean_{w}")
        )
        exprs.append(
            shifted.rolling_std(w, min_samples=7).over(**over).alias(f"std_{w}")
        )
    return lambda: df.with_columns(exprs)


def polars_over_sorted(d: dict[str, np.ndarray]) -> Any:
    """polars over() with an explicit sort by (key, ts) and the order restored: mlprep's job."""
    import polars as pl

    df = pl.from_pandas(_pandas_frame(d)).with_row_index("row")
    y = pl.col("y")
    exprs = [y.shift(k).over("key").alias(f"lag_{k}") for k in LAGS]
    for w in WINDOWS:
        exprs.append(y.shift(1).rolling_mean(w).over("key").alias(f"mean_{w}"))
        exprs.append(y.shift(1).rolling_std(w).over("key").alias(f"std_{w}"))
    return lambda: df.sort("key", "ts").with_columns(exprs).sort("row")


def feature_engine_apply(d: dict[str, np.ndarray]) -> Any:
    import pandas as pd
    from feature_engine.timeseries.forecasting import LagFeatures, WindowFeatures

    df = pd.DataFrame({"key": d["key"], "y": d["y"]})
    lags = LagFeatures(variables=["y"], periods=list(LAGS))
    wins = WindowFeatures(
        variables=["y"], window=list(WINDOWS), functions=["mean", "std"], periods=1
    )

    def per_group(g: Any) -> Any:
        return wins.fit_transform(lags.fit_transform(g[["y"]]))

    return lambda: (
        df.groupby("key", group_keys=False, sort=False).apply(per_group).sort_index()
    )


W, V = "timeseries", "lag 1,7,28 + roll mean/std 7,28 by group"
TASKS = [
    Task(W, V, "numpy floor", "floats", "_harness:floor"),
    Task(W, V, "mlprep (pandas in)", "panel", "bench_timeseries:mlprep_pandas"),
    Task(W, V, "mlprep (polars in)", "panel", "bench_timeseries:mlprep_polars"),
    Task(
        W, V, "pandas.groupby shift/rolling", "panel", "bench_timeseries:pandas_groupby"
    ),
    Task(W, V, "polars over()", "panel", "bench_timeseries:polars_over"),
    Task(
        W,
        V,
        "polars over(order_by=ts)",
        "panel",
        "bench_timeseries:polars_over_ordered",
    ),
    Task(
        W,
        V,
        "polars sort+over()+unsort",
        "panel",
        "bench_timeseries:polars_over_sorted",
    ),
    Task(
        W,
        V,
        "feature_engine Lag/WindowFeatures",
        "panel",
        "bench_timeseries:feature_engine_apply",
    ),
]

if __name__ == "__main__":
    import sys

    if "--no-feature-engine" in sys.argv:
        sys.argv.remove("--no-feature-engine")
        TASKS = [t for t in TASKS if not t.peer.startswith("feature_engine")]
    main(TASKS, title="Time series")
