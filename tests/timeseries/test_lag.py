"""LagFeatures: pandas equivalence, history carried from fit, overlap and unseen groups."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.timeseries._reference import (
    assert_history_carried,
    assert_no_leak,
    reference_lag,
)

import mlprep
from mlprep.exceptions import DataError, InvalidParameterError
from mlprep.testing.strategies import panels
from mlprep.timeseries import LagFeatures

LAGS = (1, 2, 3, "1D", "3D")


def _lagger(**kwargs):
    return LagFeatures(columns="y", time_column="t", group_columns="g", **kwargs)


@given(panels())
def test_equals_pandas_groupby_shift(frame):
    out = _lagger(lags=LAGS, drop_original=False).fit_transform(frame)
    assert list(out.columns) == ["g", "t", "y", *[f"y_lag_{lag}" for lag in LAGS]]
    pd.testing.assert_frame_equal(out[["g", "t", "y"]], frame)
    for lag in LAGS:
        np.testing.assert_array_equal(
            out[f"y_lag_{lag}"].to_numpy(), reference_lag(frame, lag).to_numpy()
        )


@given(panels())
def test_polars_input_gives_polars_with_the_same_values(frame):
    native = pl.from_pandas(frame)
    out = _lagger(lags=(1, "2D")).fit_transform(native)
    assert isinstance(out, pl.DataFrame)
    expected = _lagger(lags=(1, "2D")).fit_transform(frame)
    for name in ("y_lag_1", "y_lag_2D"):
        np.testing.assert_array_equal(
            out[name].fill_null(np.nan).to_numpy(), expected[name].to_numpy()
        )
        # missing values are nulls in polars
        assert out[name].is_nan().sum() == 0


@given(panels(), st.floats(0.2, 0.8))
def test_transform_on_the_next_period_uses_the_fitted_tail(frame, fraction):
    assert_history_carried(_lagger(lags=LAGS), frame, fraction)


@given(panels(), st.data())
def test_no_leak_lag_never_sees_the_row_or_later(frame, data):
    row = data.draw(st.integers(0, len(frame) - 1))
    assert_no_leak(
        _lagger(lags=(1, 2, "2D")),
        frame,
        row,
        data.draw(st.sampled_from([np.nan, 1e6])),
    )


@given(panels())
def test_fit_then_transform_on_training_data_equals_fit_transform(frame):
    lagger = _lagger(lags=(1, "2D"))
    pd.testing.assert_frame_equal(
        lagger.fit(frame).transform(frame), _lagger(lags=(1, "2D")).fit_transform(frame)
    )


def _sales():
    return pd.DataFrame(
        {
            "store": ["a", "b", "a", "b", "a", "b"],
            "day": pd.to_datetime(
                [
                    "2024-01-01",
                    "2024-01-01",
                    "2024-01-02",
                    "2024-01-02",
                    "2024-01-04",
                    "2024-01-04",
                ]
            ),
            "sales": [1.0, 10.0, 2.0, 20.0, 4.0, 40.0],
        }
    )


def test_seed_example_and_names():
    lagger = LagFeatures(lags=(1, "2D"), time_column="day", group_columns="store")
    out = lagger.fit_transform(_sales())
    assert lagger.get_feature_names_out().tolist() == [
        "store",
        "day",
        "sales_lag_1",
        "sales_lag_2D",
    ]
    assert out.columns.tolist() == lagger.get_feature_names_out().tolist()
    assert out["sales_lag_1"].tolist()[2:] == [1.0, 10.0, 2.0, 20.0]
    # 2024-01-04 minus 2 days is 01-02; 01-02 minus 2 days has no row
    np.testing.assert_array_equal(
        out["sales_lag_2D"], [np.nan, np.nan, np.nan, np.nan, 2.0, 20.0]
    )


def test_overlap_rows_use_the_tail_and_unseen_groups_start_empty():
    lagger = LagFeatures(
        lags=(1, 2), time_column="day", group_columns="store", fill_value=-1.0
    ).fit(_sales())
    test = pd.DataFrame(
        {
            "store": ["a", "c", "a"],
            "day": pd.to_datetime(["2024-01-05", "2024-01-05", "2024-01-04"]),
            "sales": [5.0, 7.0, 4.5],
        }
    )
    out = lagger.transform(test)
    # 01-04 of store a overlaps the fitted period: it replaces the tail row and
    # takes its lag from the tail (01-02); 01-05 follows the new 01-04 value
    assert out["sales_lag_1"].tolist() == [4.5, -1.0, 2.0]
    assert out["sales_lag_2"].tolist() == [2.0, -1.0, -1.0]
    # the tail holds max(lags) rows per group: with lags=1 it is just 01-04, which
    # the new row replaces, so nothing earlier is known for it
    short = LagFeatures(
        lags=1, time_column="day", group_columns="store", fill_value=-1.0
    ).fit(_sales())
    assert short.transform(test)["sales_lag_1"].tolist() == [4.5, -1.0, -1.0]


def test_fill_value_only_where_no_earlier_row_exists():
    frame = pd.DataFrame({"t": [1, 2, 3], "y": [np.nan, 2.0, 3.0]})
    out = LagFeatures(lags=1, time_column="t", fill_value=0.0).fit_transform(frame)
    np.testing.assert_array_equal(out["y_lag_1"], [0.0, np.nan, 2.0])


def test_duplicate_group_time_pairs_raise_naming_one():
    frame = _sales()
    frame.loc[2, "day"] = pd.Timestamp("2024-01-01")
    with pytest.raises(
        DataError, match=r"1 duplicate \(group, time\).*store='a'.*2024-01-01"
    ):
        LagFeatures(time_column="day", group_columns="store").fit(frame)


def test_without_time_column_transform_continues_the_fitted_rows():
    train = pd.DataFrame({"y": [1.0, 2.0, 3.0]})
    lagger = LagFeatures(lags=(1, 2))
    assert lagger.fit_transform(train)["y_lag_2"].tolist()[2] == 1.0
    out = lagger.transform(pd.DataFrame({"y": [4.0, 5.0]}))
    assert out["y_lag_1"].tolist() == [3.0, 4.0]
    assert out["y_lag_2"].tolist() == [2.0, 3.0]


def test_durations_need_a_datetime_time_column():
    with pytest.raises(DataError, match="durations such as '7D' need a datetime"):
        LagFeatures(lags="7D", time_column="t").fit(
            pd.DataFrame({"t": [1, 2], "y": [1.0, 2.0]})
        )
    with pytest.raises(InvalidParameterError, match="'lags' parameter"):
        LagFeatures(lags="7 bananas").fit(pd.DataFrame({"y": [1.0]}))
    with pytest.raises(InvalidParameterError, match="'lags' parameter"):
        LagFeatures(lags=0).fit(pd.DataFrame({"y": [1.0]}))


def test_missing_times_and_bad_columns_raise():
    with pytest.raises(DataError, match="1 missing value"):
        LagFeatures(time_column="t").fit(
            pd.DataFrame({"t": [1.0, np.nan], "y": [1.0, 2.0]})
        )
    with pytest.raises(DataError, match=r"key column 'when' .*not in the data"):
        LagFeatures(time_column="when").fit(pd.DataFrame({"y": [1.0]}))
    with pytest.raises(DataError, match="already in the data"):
        LagFeatures().fit(pd.DataFrame({"y": [1.0], "y_lag_1": [2.0]}))


def test_timezone_aware_times_and_multiple_group_columns():
    frame = pd.DataFrame(
        {
            "region": ["n", "n", "n", "n"],
            "store": [1, 2, 1, 2],
            "ts": pd.date_range(
                "2024-03-30 22:00", periods=4, freq="12h", tz="Europe/Paris"
            ),
            "y": [1.0, 2.0, 3.0, 4.0],
        }
    )
    out = LagFeatures(
        columns="y", lags=1, time_column="ts", group_columns=["region", "store"]
    ).fit_transform(frame)
    np.testing.assert_array_equal(out["y_lag_1"], [np.nan, np.nan, 1.0, 2.0])


def test_history_survives_save_and_load(tmp_path):
    lagger = LagFeatures(lags=(1, "1D"), time_column="day", group_columns="store").fit(
        _sales()
    )
    path = tmp_path / "lag.json"
    mlprep.save(lagger, path)
    loaded = mlprep.load(path)
    test = pd.DataFrame(
        {
            "store": ["b", "a"],
            "day": pd.to_datetime(["2024-01-05"] * 2),
            "sales": [0.0, 0.0],
        }
    )
    pd.testing.assert_frame_equal(loaded.transform(test), lagger.transform(test))
    assert loaded.transform(test)["sales_lag_1D"].tolist() == [40.0, 4.0]


def test_caller_index_and_order_are_kept():
    frame = _sales().sample(frac=1.0, random_state=3)
    out = LagFeatures(time_column="day", group_columns="store").fit_transform(frame)
    assert out.index.tolist() == frame.index.tolist()
    expected = (
        frame.sort_values(["store", "day"])
        .groupby("store")["sales"]
        .shift(1)
        .reindex(frame.index)
    )
    np.testing.assert_array_equal(out["sales_lag_1"], expected)


def test_key_columns_are_required_distinct_and_never_selected():
    frame = _sales()
    # columns=None takes every numeric column besides the keys
    lagger = LagFeatures(time_column="day", group_columns="store").fit(frame)
    assert lagger.columns_ == ["sales"]
    with pytest.raises(DataError, match="'day' is both in columns= and a time/group"):
        LagFeatures(columns=["sales", "day"], time_column="day").fit(frame)
    with pytest.raises(DataError, match="time and group columns must be distinct"):
        LagFeatures(time_column="day", group_columns=["store", "day"]).fit(frame)
    with pytest.raises(DataError, match="no numeric columns besides the time"):
        LagFeatures(time_column="day", group_columns="store").fit(
            frame.drop(columns="sales")
        )


def test_repeated_lags_would_repeat_an_output_name():
    with pytest.raises(DataError, match="two output columns named 'sales_lag_1'"):
        LagFeatures(lags=(1, 1), time_column="day").fit(_sales()[["day", "sales"]])


def test_transform_leaves_the_fitted_state_alone():
    lagger = LagFeatures(lags=(1, "1D"), time_column="day", group_columns="store")
    lagger.fit(_sales())
    before = {key: repr(value) for key, value in vars(lagger).items()}
    lagger.transform(_sales())
    assert {key: repr(value) for key, value in vars(lagger).items()} == before
    assert lagger._tag_values()["preserves_dtype"] == []
