"""mlprep scaling out: fit a pipeline on Parquet shards without loading them.

Run:  pip install '.[polars,scale]' && python examples/scaling_out.py

It writes the bundled customer table, grown to 300,000 rows, as three
Parquet shards in a temporary folder, then:

1. fits a pipeline on the folder through ``mlprep.io.scan`` (batches stream;
   medians and IQRs come from KLL sketches) and compares it with the exact
   in-memory fit;
2. fits one copy per shard, as two SageMaker hosts would, saves each partial
   fit as JSON, and merges them with ``mlprep.merge``;
3. transforms a polars ``LazyFrame`` lazily and sinks the result to Parquet.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
from sklearn.pipeline import make_pipeline

import mlprep
from mlprep.datasets import load_customers
from mlprep.impute import Imputer
from mlprep.io import scan
from mlprep.scale import RobustScaler

NUMERIC = ["annual_income", "account_balance", "age", "monthly_visits"]


def grow(rows: int, seed: int = 0) -> pd.DataFrame:
    """The customer table resampled to ``rows`` rows, with a little noise."""
    rng = np.random.default_rng(seed)
    base = load_customers()[NUMERIC]
    picked = base.iloc[rng.integers(0, len(base), rows)].reset_index(drop=True)
    noise = rng.normal(1.0, 0.01, size=picked.shape)
    return picked * noise  # NaN stays NaN


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="mlprep-shards-"))
    data = grow(300_000)
    for i, part in enumerate(np.array_split(np.arange(len(data)), 3)):
        data.iloc[part].to_parquet(folder / f"part-{i}.parquet", index=False)

    # 1. one machine, larger than memory: the folder is never loaded whole
    lazy = make_pipeline(Imputer(strategy="median"), RobustScaler()).fit(scan(folder))
    exact = make_pipeline(Imputer(strategy="median"), RobustScaler()).fit(data)
    imputer = lazy.named_steps["imputer"]
    print(
        f"median imputer: {imputer.quantile_method_}, rank error ≤ {imputer.rank_error_:.4f}"
    )
    for column in NUMERIC:
        sketch, truth = (
            imputer.statistics_[column],
            exact.named_steps["imputer"].statistics_[column],
        )
        rank = float(np.mean(data[column].dropna() <= sketch))
        print(
            f"  {column:16s} sketch {sketch:12.2f}  exact {truth:12.2f}  rank {rank:.4f}"
        )
        assert abs(rank - 0.5) <= imputer.rank_error_ + 1e-3

    # 2. two hosts, each fits its own shards; the partial fits merge anywhere
    hosts = {"algo-1": ["part-0", "part-1"], "algo-2": ["part-2"]}
    saved = []
    for host, parts in hosts.items():
        partial = Imputer(strategy="median")
        for part in parts:
            partial.partial_fit(pd.read_parquet(folder / f"{part}.parquet"))
        path = folder / f"partial-{host}.json"
        mlprep.save(partial, path)
        saved.append(path)
    merged = mlprep.merge([mlprep.load(p) for p in reversed(saved)])
    print(f"merged from {len(saved)} hosts: age median {merged.statistics_['age']:.2f}")
    assert merged.partial_state_["age"].count == data["age"].notna().sum()

    # 3. transform lazily: nothing is collected until the sink runs
    out = lazy.transform(pl.scan_parquet(folder / "part-*.parquet"))
    assert isinstance(out, pl.LazyFrame)
    target = folder / "transformed.parquet"
    out.sink_parquet(target)
    written = pl.read_parquet(target)
    print(
        f"transformed {written.height:,} rows lazily into {target.name}; "
        f"missing left: {int(written.null_count().sum_horizontal()[0])}"
    )
    assert written.height == len(data)


if __name__ == "__main__":
    main()
