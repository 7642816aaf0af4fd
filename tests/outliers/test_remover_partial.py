"""OutlierRemover's fences over batches, lazy sources and shards."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest

import mlprep
from mlprep.exceptions import DataError
from mlprep.outliers import Deduplicator, OutlierRemover


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(5)
    data = pd.DataFrame({"a": rng.normal(size=4000), "b": rng.exponential(size=4000)})
    data.loc[::400, "a"] = 40.0
    data.loc[7, "b"] = np.nan
    return data


@pytest.mark.parametrize("method", ["zscore", "iqr", "mad", "quantile"])
def test_partial_fit_learns_the_fences_fit_resample_would(frame, method):
    batched = OutlierRemover(method=method)
    for part in np.array_split(np.arange(len(frame)), 5):
        batched.partial_fit(frame.iloc[part])
    exact = OutlierRemover(method=method)
    exact.fit_resample(frame)
    for column in ("a", "b"):
        if method == "zscore":  # merged moments: exact
            np.testing.assert_allclose(batched.bounds_[column], exact.bounds_[column])
        else:  # a KLL sketch: each fence within the rank error (plus the fence width)
            data = np.sort(frame[column].dropna().to_numpy())
            spread = np.ptp(data)
            assert np.allclose(
                batched.bounds_[column], exact.bounds_[column], atol=0.1 * spread
            )
    expected = "exact" if method == "zscore" else "kll"
    assert batched.quantile_method_ == expected and exact.quantile_method_ == "exact"


def test_lazy_fit_resample_keeps_the_rows_eager_keeps(frame):
    kept, _ = OutlierRemover(method="zscore").fit_resample(frame)
    lazy, lazy_y = OutlierRemover(method="zscore").fit_resample(
        pl.from_pandas(frame).lazy()
    )
    assert isinstance(lazy, pl.LazyFrame) and lazy_y is None
    collected = lazy.collect()
    assert collected.height == len(kept)
    np.testing.assert_allclose(collected["a"].to_numpy(), kept["a"].to_numpy())


def test_lazy_target_column_stays_in_the_frame(frame):
    labelled = pl.from_pandas(frame.assign(label=np.arange(len(frame)) % 2)).lazy()
    remover = OutlierRemover(method="zscore")
    out, _ = remover.fit_resample(labelled, y="label")
    assert remover.columns_ == ["a", "b"]
    assert out.collect().columns == ["a", "b", "label"]


def test_shards_merge_in_any_order_and_save(frame, tmp_path):
    halves = np.array_split(np.arange(len(frame)), 3)
    parts = [OutlierRemover(method="zscore").partial_fit(frame.iloc[h]) for h in halves]
    one, other = mlprep.merge(parts), mlprep.merge(parts[::-1])
    exact = OutlierRemover(method="zscore").partial_fit(frame)
    for column in ("a", "b"):
        np.testing.assert_allclose(one.bounds_[column], exact.bounds_[column])
        np.testing.assert_allclose(other.bounds_[column], exact.bounds_[column])
    path = tmp_path / "remover.json"
    mlprep.save(parts[0], path)
    loaded = mlprep.load(path)
    assert loaded.partial_state_ == parts[0].partial_state_
    np.testing.assert_allclose(
        loaded.partial_fit(frame.iloc[halves[1]]).bounds_["a"],
        mlprep.merge(parts[:2]).bounds_["a"],
    )


def test_an_exact_fit_resample_replaces_a_partial_fit_and_takes_no_batches(frame):
    remover = OutlierRemover().partial_fit(frame)
    remover.fit_resample(frame)
    assert not hasattr(remover, "partial_state_")
    with pytest.raises(DataError, match="fitted with fit"):
        remover.partial_fit(frame)


def test_deduplicator_needs_rows_in_memory(frame):
    with pytest.raises(DataError, match="needs the rows in memory"):
        Deduplicator().fit_resample(pl.from_pandas(frame).lazy())


def test_spark_fit_learns_the_same_fences(spark, frame):
    rows = [
        tuple(map(float, r)) for r in frame.fillna({"b": 0.0}).itertuples(index=False)
    ]
    sdf = spark.createDataFrame(spark.sparkContext.parallelize(rows, 3), ["a", "b"])
    remover = OutlierRemover(method="zscore").fit(sdf)
    exact = OutlierRemover(method="zscore").partial_fit(frame.fillna({"b": 0.0}))
    for column in ("a", "b"):
        np.testing.assert_allclose(remover.bounds_[column], exact.bounds_[column])
    with pytest.raises(DataError, match="not lazy-mapped"):
        OutlierRemover(method="zscore").fit_resample(sdf)
