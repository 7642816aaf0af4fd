"""Fitting lazy and large sources, partial fits, merge and persistence of partial state."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pyarrow.dataset as ds
import pytest

import mlprep
from mlprep.exceptions import DataError
from mlprep.impute import Imputer
from mlprep.io import scan
from mlprep.outliers import OutlierHandler
from mlprep.scale import (
    Binner,
    LogTransformer,
    MaxAbsScaler,
    MinMaxScaler,
    PowerTransformer,
    RobustScaler,
    StandardScaler,
)

duckdb = pytest.importorskip("duckdb")

N = 3_000


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    data = pd.DataFrame(
        {
            "x": rng.normal(10, 2, N),
            "y": rng.lognormal(size=N),
            "label": rng.integers(0, 2, N).astype(float),
        }
    )
    data.loc[::9, "y"] = np.nan
    return data


@pytest.fixture(scope="module")
def parquet(tmp_path_factory, frame) -> str:
    folder = tmp_path_factory.mktemp("shards")
    for i, part in enumerate(np.array_split(np.arange(N), 3)):
        frame.iloc[part].to_parquet(folder / f"part-{i}.parquet", index=False)
    return str(folder)


EXACT = [
    StandardScaler(),
    MinMaxScaler(),
    MaxAbsScaler(),
    LogTransformer(offset=1.0, columns=["y"]),
    Imputer(strategy="mean"),
    Imputer(strategy="most_frequent", columns=["label"]),
    Binner(strategy="uniform"),
]
XY = ["x", "y"]
SKETCHED = [
    RobustScaler(columns=XY),
    Imputer(strategy="median", columns=XY),
    OutlierHandler(method="iqr", columns=XY),
    OutlierHandler(method="mad", action="median", columns=XY),
    OutlierHandler(method="quantile", action="mean", columns=XY),
    Binner(strategy="quantile", n_bins=4, columns=XY),
]


def _sources(frame: pd.DataFrame, parquet: str):
    return {
        "polars-lazy": pl.scan_parquet(f"{parquet}/*.parquet"),
        "duckdb": duckdb.sql(f"select * from '{parquet}/*.parquet'"),
        "arrow-dataset": ds.dataset(parquet, format="parquet"),
        "scan": scan(parquet),
    }


def _fitted(estimator):
    return {
        k: v
        for k, v in vars(estimator).items()
        if k.endswith("_") and k != "partial_state_"
    }


@pytest.mark.parametrize("estimator", EXACT, ids=repr)
def test_exact_statistics_equal_the_in_memory_fit_on_every_source(
    estimator, frame, parquet
):
    reference = estimator.__class__(**estimator.get_params()).fit(frame)
    for name, source in _sources(frame, parquet).items():
        fitted = estimator.__class__(**estimator.get_params()).fit(source)
        expected, got = _fitted(reference), _fitted(fitted)
        assert got.keys() == expected.keys(), name
        for key, value in expected.items():
            if isinstance(value, dict):
                for column, number in value.items():
                    assert got[key][column] == pytest.approx(
                        number, rel=1e-9, nan_ok=True
                    ), (
                        name,
                        key,
                        column,
                    )


@pytest.mark.parametrize("estimator", SKETCHED, ids=repr)
def test_sketched_statistics_are_within_the_rank_error(estimator, frame, parquet):
    source = pl.scan_parquet(f"{parquet}/*.parquet")
    fitted = estimator.__class__(**estimator.get_params()).fit(source)
    exact = estimator.__class__(**estimator.get_params()).fit(frame)
    assert fitted.quantile_method_ == "kll" and 0 < fitted.rank_error_ < 0.05
    assert exact.quantile_method_ == "exact" and exact.rank_error_ == 0.0
    # the transformed columns agree except near the sketched cut points
    out = fitted.transform(frame)
    ref = exact.transform(frame)
    close = np.isclose(
        out[fitted.columns_].to_numpy(dtype=float),
        ref[exact.columns_].to_numpy(dtype=float),
        rtol=0.1,
        atol=0.1,
        equal_nan=True,
    )
    assert close.mean() > 0.9


def test_sketched_median_ranks_within_the_bound(frame, parquet):
    imputer = Imputer(strategy="median").fit(scan(parquet))
    for column in ("x", "y"):
        present = frame[column].dropna().to_numpy()
        rank = np.mean(present <= imputer.statistics_[column])
        assert abs(rank - 0.5) <= imputer.rank_error_ + 1 / present.size


def test_lazy_transform_stays_lazy_and_sinks(frame, parquet, tmp_path):
    scaler = StandardScaler(columns=["x", "y"]).fit(frame)
    lazy = pl.scan_parquet(f"{parquet}/*.parquet")
    out = scaler.transform(lazy)
    assert isinstance(out, pl.LazyFrame)
    target = tmp_path / "out.parquet"
    out.sink_parquet(target)
    written = pl.read_parquet(target).sort("x")
    eager = pl.from_pandas(scaler.transform(frame)).sort("x")
    assert written.columns == ["x", "y", "label"]
    np.testing.assert_allclose(written["x"].to_numpy(), eager["x"].to_numpy())


@pytest.mark.parametrize("source", ["polars-lazy", "duckdb", "arrow-dataset", "scan"])
def test_pipeline_fits_and_transforms_every_source(frame, parquet, source):
    from sklearn.pipeline import make_pipeline

    pipe = make_pipeline(Imputer(strategy="median"), StandardScaler())
    lazy = _sources(frame, parquet)[source]
    out = pipe.fit(lazy).transform(lazy)
    assert isinstance(out, pl.LazyFrame)  # a DuckDB relation or dataset maps lazily too
    collected = out.collect()
    assert collected.columns == ["x", "y", "label"]
    assert collected["y"].null_count() == 0
    assert abs(collected["x"].mean()) < 1e-9


def test_partial_fit_over_batches_merge_and_save_load(frame, tmp_path):
    halves = np.array_split(np.arange(N), 4)
    shards = [StandardScaler().partial_fit(frame.iloc[h]) for h in halves]
    merged = mlprep.merge(shards)
    reversed_ = mlprep.merge(shards[::-1])
    whole = StandardScaler().fit(frame)
    for result in (merged, reversed_):
        for column in ("x", "y", "label"):
            assert result.mean_[column] == pytest.approx(whole.mean_[column], rel=1e-12)
            assert result.var_[column] == pytest.approx(whole.var_[column], rel=1e-9)
    path = tmp_path / "partial.json"
    mlprep.save(shards[0], path)
    loaded = mlprep.load(path)
    assert loaded.partial_state_ == shards[0].partial_state_
    continued = loaded.partial_fit(frame.iloc[halves[1]])
    assert continued.mean_ == pytest.approx(mlprep.merge(shards[:2]).mean_)


def test_merge_refuses_what_cannot_merge(frame):
    a = StandardScaler().partial_fit(frame)
    with pytest.raises(DataError, match="other parameters"):
        mlprep.merge([a, StandardScaler(with_mean=False).partial_fit(frame)])
    with pytest.raises(DataError, match="other columns"):
        mlprep.merge([a, StandardScaler().partial_fit(frame[["x", "y"]])])
    with pytest.raises(DataError, match="no partial state"):
        mlprep.merge([RobustScaler().partial_fit(frame), RobustScaler().fit(frame)])
    with pytest.raises(DataError, match="MinMaxScaler, estimator 0 a StandardScaler"):
        mlprep.merge([a, MinMaxScaler().partial_fit(frame)])
    with pytest.raises(DataError, match="at least one"):
        mlprep.merge([])


def test_partial_fit_after_an_exact_fit_is_refused(frame):
    with pytest.raises(DataError, match="fitted with fit"):
        RobustScaler().fit(frame).partial_fit(frame)


def test_power_transformer_reservoir_is_exact_on_small_columns(frame, parquet):
    lazy = PowerTransformer().fit(pl.scan_parquet(f"{parquet}/*.parquet"))
    eager = PowerTransformer().fit(frame)
    for column in ("x", "y"):
        assert lazy.lambdas_[column] == pytest.approx(eager.lambdas_[column], rel=1e-6)


def test_source_errors_name_the_problem(frame, parquet):
    lazy = pl.scan_parquet(f"{parquet}/*.parquet")
    with pytest.raises(DataError, match="'nope'"):
        StandardScaler(columns=["nope"]).fit(lazy)
    with pytest.raises(DataError, match="no rows"):
        StandardScaler().fit(lazy.filter(pl.col("x") > 1e9))
    with pytest.raises(DataError, match="name of a column"):
        StandardScaler().fit(lazy, y=np.zeros(N))
    with pytest.raises(DataError, match="target column 'missing'"):
        StandardScaler().fit(lazy, y="missing")
    with pytest.raises(DataError, match="'s'"):
        StandardScaler(columns=["s"]).fit(lazy.with_columns(s=pl.lit("a")))
    fitted = StandardScaler().fit(frame)
    with pytest.raises(DataError, match="lacks the column 'x'"):
        fitted.transform(lazy.drop("x"))
    with pytest.raises(DataError, match="partially fitted on the columns"):
        StandardScaler().partial_fit(lazy).partial_fit(lazy.drop("label"))


def test_target_column_is_left_out_of_the_features(parquet):
    lazy = pl.scan_parquet(f"{parquet}/*.parquet")
    scaler = StandardScaler().fit(lazy, y="label")
    assert scaler.columns_ == ["x", "y"]
    assert list(scaler.feature_names_in_) == ["x", "y"]


def test_lazy_batches_keep_the_declared_schema_when_gaps_turn_integers_float():
    import datetime as dt

    from mlprep.timeseries import DatetimeFeatures

    days = [dt.datetime(2024, 1, 1), None, dt.datetime(2024, 3, 5)]
    frame = pl.DataFrame({"d": days * 4})
    features = DatetimeFeatures(features=("year", "month")).fit(frame)
    out = features.transform(frame.lazy()).collect()
    assert out.schema["d_month"] == pl.Int64
    assert out["d_month"].to_list() == [1, None, 3] * 4
