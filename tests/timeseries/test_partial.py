"""Time-series transformers in batches: per-group tails and summaries merge like one fit."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.base import clone

import mlprep
from mlprep.exceptions import DataError, PersistenceError
from mlprep.state import state_from_dict
from mlprep.testing.data import panel_data
from mlprep.testing.strategies import panels
from mlprep.timeseries import (
    DatetimeFeatures,
    DiffFeatures,
    ExpandingFeatures,
    LagFeatures,
    RollingFeatures,
)
from mlprep.timeseries._state import TailsState

KEYS = {"time_column": "day", "group_columns": "store"}
TAILS = [
    LagFeatures(lags=(1, 7, "7D"), **KEYS),
    RollingFeatures(windows=(3, "5D"), stats=("mean", "median", "max"), **KEYS),
    DiffFeatures(periods=(1, 2), method="pct_change", **KEYS),
]
EXPANDING = ExpandingFeatures(
    stats=("mean", "std", "min", "max", "sum", "count"), **KEYS
)
PANEL = [*TAILS, EXPANDING]


def _later(frame: pd.DataFrame, days: int = 45) -> pd.DataFrame:
    """The same stores, a later period (some rows overlap the fitted one)."""
    later = frame.copy()
    later["day"] = later["day"] + pd.Timedelta(days=days)
    return later


def _shards(frame: pd.DataFrame, n: int) -> list[pd.DataFrame]:
    return [frame.iloc[i::n] for i in range(n)]


def _assert_same(ours, expected, frame: pd.DataFrame, *, exact: bool = True) -> None:
    later = _later(frame)
    if exact:
        assert ours.partial_state_ == expected.partial_state_
        pd.testing.assert_frame_equal(ours.transform(later), expected.transform(later))
    else:
        pd.testing.assert_frame_equal(
            ours.transform(later), expected.transform(later), rtol=1e-12
        )
    assert ours.time_kind_ == expected.time_kind_


# ------------------------------------------------------------- with a time column
@pytest.mark.parametrize("estimator", PANEL, ids=repr)
def test_partial_fit_in_any_order_equals_fit(estimator) -> None:
    frame, _ = panel_data()
    expected = clone(estimator).fit(frame)
    ours = clone(estimator)
    for shard in _shards(frame, 4)[::-1]:
        ours.partial_fit(shard)
    _assert_same(ours, expected, frame, exact=estimator is not EXPANDING)


@pytest.mark.parametrize("estimator", PANEL, ids=repr)
def test_merge_in_any_order_equals_fit(estimator) -> None:
    frame, _ = panel_data()
    expected = clone(estimator).fit(frame)
    parts = [clone(estimator).partial_fit(shard) for shard in _shards(frame, 3)]
    merged = [
        mlprep.merge([parts[i] for i in order]) for order in ([0, 1, 2], [2, 0, 1])
    ]
    for result in merged:
        _assert_same(result, expected, frame, exact=estimator is not EXPANDING)
    if estimator is not EXPANDING:
        assert merged[0].partial_state_ == merged[1].partial_state_
        for name, values in expected.history_["values"].items():
            np.testing.assert_array_equal(merged[1].history_["values"][name], values)


@pytest.mark.slow
@given(
    frame=panels(max_groups=3, max_length=10),
    labels=st.lists(st.integers(0, 2), min_size=30, max_size=30),
)
def test_random_shards_merge_like_one_fit(frame, labels) -> None:
    frame = frame.rename(columns={"g": "store", "t": "day"})
    shard_of = np.resize(np.asarray(labels), len(frame))
    shards = [frame[shard_of == s] for s in range(3)]
    for estimator in PANEL:
        expected = clone(estimator).fit(frame)
        parts = [clone(estimator).partial_fit(s) for s in shards if len(s)]
        merged = mlprep.merge(parts[::-1])
        _assert_same(merged, expected, frame, exact=estimator is not EXPANDING)


def test_older_rows_of_a_later_shard_do_not_displace_the_tail() -> None:
    recent = pd.DataFrame({"g": ["a", "a"], "t": [10, 11], "y": [10.0, 11.0]})
    older = pd.DataFrame({"g": ["a", "b"], "t": [1, 2], "y": [1.0, 2.0]})
    lag = LagFeatures(lags=2, time_column="t", group_columns="g")
    merged = mlprep.merge(
        [clone(lag).partial_fit(older), clone(lag).partial_fit(recent)]
    )
    assert merged.history_["time"].tolist() == [10.0, 11.0, 2.0]
    assert merged.history_["groups"] == {"g": ["a", "a", "b"]}
    assert merged.history_["values"]["y"].tolist() == [10.0, 11.0, 2.0]
    later = pd.DataFrame({"g": ["a", "b"], "t": [12, 3], "y": [0.0, 0.0]})
    np.testing.assert_array_equal(merged.transform(later)["y_lag_2"], [10.0, np.nan])


@pytest.mark.parametrize("estimator", [*PANEL, DatetimeFeatures()], ids=repr)
def test_lazy_frame_fit_equals_eager_fit(estimator) -> None:
    frame, _ = panel_data()
    if isinstance(estimator, DatetimeFeatures):
        frame = frame.assign(stamp=frame["day"] + pd.to_timedelta(frame.index, "h"))
        frame = frame[["day", "stamp"]]
    expected = clone(estimator).fit(frame)
    ours = clone(estimator).fit(pl.from_pandas(frame).lazy())
    if isinstance(estimator, DatetimeFeatures):
        assert ours.features_ == expected.features_
        assert "hour" in ours.features_["stamp"] and "hour" not in ours.features_["day"]
    else:
        _assert_same(ours, expected, frame, exact=estimator is not EXPANDING)


@pytest.mark.parametrize("estimator", PANEL, ids=repr)
def test_lazy_frame_transform_is_refused(estimator) -> None:
    frame, _ = panel_data()
    fitted = clone(estimator).fit(frame)
    with pytest.raises(DataError, match=r"earlier rows.*lf\.collect"):
        fitted.transform(pl.from_pandas(frame).lazy())


def test_datetime_features_transform_a_lazy_frame() -> None:
    frame = pl.DataFrame(
        {"ts": [pd.Timestamp("2024-03-01 10:30"), pd.Timestamp("2024-12-31")]}
    )
    fitted = DatetimeFeatures(features=("month", "hour")).fit(frame)
    out = fitted.transform(frame.lazy())
    assert isinstance(out, pl.LazyFrame)
    assert out.collect().equals(fitted.transform(frame))


def test_partial_fit_continues_an_eager_fit() -> None:
    frame, _ = panel_data()
    first, second = frame.iloc[:30], frame.iloc[30:]
    for estimator in PANEL:
        ours = clone(estimator).fit(first).partial_fit(second)
        _assert_same(
            ours, clone(estimator).fit(frame), frame, exact=estimator is not EXPANDING
        )


def test_a_row_sent_twice_is_a_duplicate() -> None:
    frame, _ = panel_data()
    lag = LagFeatures(lags=1, **KEYS).partial_fit(frame)
    with pytest.raises(DataError, match=r"duplicate \(group, time\).*store=.*day="):
        lag.partial_fit(frame.iloc[:5])
    other = LagFeatures(lags=1, **KEYS).partial_fit(frame)
    with pytest.raises(DataError, match="duplicate"):
        mlprep.merge([lag, other])


def test_time_columns_of_different_kinds_do_not_mix() -> None:
    numeric = pd.DataFrame({"g": ["a"], "t": [1.0], "y": [1.0]})
    dated = pd.DataFrame({"g": ["a"], "t": pd.to_datetime(["2024-01-02"]), "y": [1.0]})
    lag = LagFeatures(time_column="t", group_columns="g")
    with pytest.raises(DataError, match="numeric and a datetime time_column"):
        clone(lag).partial_fit(numeric).partial_fit(dated)
    with pytest.raises(DataError, match="numeric and a datetime time_column"):
        mlprep.merge([clone(lag).partial_fit(numeric), clone(lag).partial_fit(dated)])


# ------------------------------------------------------------ without a time column
def _series(n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    return pd.DataFrame({"y": rng.normal(size=n), "z": rng.normal(size=n)})


@pytest.mark.parametrize(
    "estimator",
    [LagFeatures(lags=(1, 3)), RollingFeatures(windows=4), DiffFeatures(periods=2)],
    ids=repr,
)
def test_without_time_column_batches_follow_each_other(estimator) -> None:
    frame = _series()
    expected = clone(estimator).fit(frame.to_numpy())
    ours = clone(estimator)
    for start in range(0, len(frame), 7):
        ours.partial_fit(frame.iloc[start : start + 7].to_numpy())
    assert ours.history_["time"].tolist() == expected.history_["time"].tolist()
    following = frame.iloc[:6]
    np.testing.assert_array_equal(
        ours.transform(following.to_numpy()), expected.transform(following.to_numpy())
    )
    assert ours.partial_state_.seen == len(frame)


@pytest.mark.parametrize(
    "estimator",
    [LagFeatures(lags=(1, 3)), RollingFeatures(windows=4), DiffFeatures(periods=2)],
    ids=repr,
)
def test_without_time_column_merges_and_lazy_fits_are_refused(estimator) -> None:
    frame = _series()
    parts = [clone(estimator).partial_fit(shard) for shard in _shards(frame, 2)]
    with pytest.raises(DataError, match=r"no order between them.*time_column="):
        mlprep.merge(parts)
    lazy = pl.from_pandas(frame).lazy()
    with pytest.raises(DataError, match=r"no set order.*time_column="):
        clone(estimator).fit(lazy)
    with pytest.raises(DataError, match="no set order"):
        parts[0].partial_fit(lazy)
    # a state without rows has nothing to order: merging it changes nothing
    state = parts[0].partial_state_
    assert state.merge(state._empty()) == state == state._empty().merge(state)


def test_expanding_without_time_column_merges_in_any_order() -> None:
    frame = _series()
    estimator = ExpandingFeatures(stats=("mean", "std", "min", "max", "count"))
    expected = clone(estimator).fit(frame)
    parts = [clone(estimator).partial_fit(shard) for shard in _shards(frame, 3)]
    lazy = clone(estimator).fit(pl.from_pandas(frame).lazy())
    for result in (mlprep.merge(parts), mlprep.merge(parts[::-1]), lazy):
        assert result.history_["time"].tolist() == [len(frame)]  # rows seen
        for stat, values in expected.history_["summary"]["y"].items():
            np.testing.assert_allclose(
                result.history_["summary"]["y"][stat], values, rtol=1e-12
            )
        following = frame.iloc[:5]
        pd.testing.assert_frame_equal(
            result.transform(following), expected.transform(following), rtol=1e-12
        )


# ------------------------------------------------------------------ persistence
@pytest.mark.parametrize("estimator", [*PANEL, DatetimeFeatures()], ids=repr)
def test_save_and_load_keep_the_partial_state(estimator, tmp_path) -> None:
    frame, _ = panel_data()
    if isinstance(estimator, DatetimeFeatures):
        frame = frame[["day"]]
    first, second = frame.iloc[:25], frame.iloc[25:]
    part = clone(estimator).partial_fit(first)
    mlprep.save(part, tmp_path / "part.json")
    loaded = mlprep.load(tmp_path / "part.json")
    assert loaded.partial_state_ == part.partial_state_
    loaded.partial_fit(second)
    expected = clone(estimator).fit(frame)
    if isinstance(estimator, DatetimeFeatures):
        assert loaded.features_ == expected.features_
        assert loaded.partial_state_["day"].value is False
    else:
        _assert_same(loaded, expected, frame, exact=estimator is not EXPANDING)
        merged = mlprep.merge(
            [clone(estimator).partial_fit(second), mlprep.load(tmp_path / "part.json")]
        )
        _assert_same(merged, expected, frame, exact=estimator is not EXPANDING)


def test_tails_state_round_trips_missing_values_and_keys() -> None:
    state = TailsState(rows=2, span=0, time_column="t", groups=["g"], columns=["y"])
    state = state.add(
        np.array([1.0, 2.0, 1.0]),
        {"g": ["a", "a", None]},
        {"y": np.array([np.nan, np.inf, 3.0])},
        time_kind="numeric",
        n_rows=3,
    )
    document = json.loads(json.dumps(state.to_dict(), allow_nan=False))
    back = state_from_dict(document)
    assert back == state
    # canonical order: the missing key's group first, then "a" by time
    assert back.keys["g"].tolist() == [None, "a", "a"]
    np.testing.assert_array_equal(back.values["y"], [3.0, np.nan, np.inf])
    assert back.times.dtype == np.float64


def test_a_group_key_json_cannot_hold_is_refused_when_saved(tmp_path) -> None:
    frame = pl.DataFrame(
        {
            "day": [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-02")],
            "shop": [pd.Timestamp("2020-01-01")] * 2,
            "y": [1.0, 2.0],
        }
    )
    lag = LagFeatures(columns="y", time_column="day", group_columns="shop").fit(frame)
    with pytest.raises(PersistenceError, match="Cast the group column"):
        mlprep.save(lag, tmp_path / "lag.json")


def test_datetime_features_learn_time_of_day_from_any_batch() -> None:
    dates = pd.DataFrame({"ts": pd.to_datetime(["2024-01-01", "2024-01-02"])})
    stamps = pd.DataFrame({"ts": pd.to_datetime(["2024-01-03 10:00"])})
    both = pd.concat([dates, stamps], ignore_index=True)
    expected = DatetimeFeatures().fit(both)
    ours = DatetimeFeatures().partial_fit(dates)
    assert "hour" not in ours.features_["ts"]
    ours.partial_fit(stamps)
    assert ours.features_ == expected.features_
    assert "hour" in ours.features_["ts"]
    merged = mlprep.merge(
        [DatetimeFeatures().partial_fit(stamps), DatetimeFeatures().partial_fit(dates)]
    )
    assert merged.features_ == expected.features_
    fixed = DatetimeFeatures(features=("month",)).partial_fit(dates)
    assert fixed.partial_state_ == {} and fixed.features_ == {"ts": ["month"]}


# ------------------------------------------------------------------------ Spark
def _spark_panel(spark) -> tuple[pd.DataFrame, object]:
    """The panel with a numeric time, as pandas and as a Spark frame of 3 partitions."""
    frame, _ = panel_data()
    frame = frame.assign(day=(frame["day"] - pd.Timestamp("2024-01-01")).dt.days)
    rows = [
        (r.store, int(r.day), None if np.isnan(r.sales) else float(r.sales), r.price)
        for r in frame.itertuples()
    ]
    schema = "store string, day long, sales double, price double"
    return frame, spark.createDataFrame(spark.sparkContext.parallelize(rows, 3), schema)


def test_spark_fit_merges_the_partitions_like_one_fit(spark) -> None:
    pytest.importorskip("pyspark.sql.pandas.types")
    frame, sdf = _spark_panel(spark)
    later = frame.assign(day=frame["day"] + 45)
    for estimator in (
        LagFeatures(lags=(1, 3), **KEYS),
        ExpandingFeatures(stats=("mean", "std", "max"), **KEYS),
    ):
        ours, expected = clone(estimator).fit(sdf), clone(estimator).fit(frame)
        pd.testing.assert_frame_equal(
            ours.transform(later), expected.transform(later), rtol=1e-12
        )
    fitted = LagFeatures(lags=1, **KEYS).fit(frame)
    with pytest.raises(DataError, match="earlier rows"):
        fitted.transform(sdf)
    with pytest.raises(DataError, match=r"no set order.*time_column="):
        LagFeatures(columns="sales").fit(sdf)
