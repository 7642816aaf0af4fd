"""ExpandingFeatures: pandas equivalence, the fitted summary, replayed rows, leakage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
from hypothesis import given
from hypothesis import strategies as st
from tests.timeseries._reference import assert_history_carried, assert_no_leak, by_time

import mlprep
from mlprep.testing.strategies import panels
from mlprep.timeseries import ExpandingFeatures

STATS = ("mean", "std", "min", "max", "sum", "count")


def _expander(**kwargs):
    return ExpandingFeatures(
        columns="y", time_column="t", group_columns="g", stats=STATS, **kwargs
    )


def _reference(frame, stat, closed, min_periods):
    ordered = by_time(frame)
    source = ordered.groupby("g")["y"].shift(1) if closed == "left" else ordered["y"]
    rolled = source.groupby(ordered["g"]).expanding(
        min_periods=0 if stat == "count" else min_periods
    )
    values = getattr(rolled, stat)().droplevel(0)
    return values.reindex(frame.index)


@given(panels(), st.sampled_from(["left", "right"]), st.integers(1, 3))
def test_equals_pandas_groupby_expanding(frame, closed, min_periods):
    out = _expander(closed=closed, min_periods=min_periods).fit_transform(frame)
    for stat in STATS:
        expected = _reference(frame, stat, closed, min_periods).to_numpy(dtype=float)
        if stat == "count":
            expected = np.nan_to_num(expected)
        np.testing.assert_allclose(
            out[f"y_expanding_{stat}"].to_numpy(), expected, rtol=1e-9, atol=1e-9
        )


@given(panels(), st.floats(0.2, 0.8))
def test_later_rows_see_the_whole_fitted_history(frame, fraction):
    assert_history_carried(_expander(), frame, fraction)


@given(panels(), st.data())
def test_no_leak(frame, data):
    row = data.draw(st.integers(0, len(frame) - 1))
    assert_no_leak(_expander(), frame, row, 1e6)


@given(panels())
def test_replaying_the_training_rows_counts_nothing_twice(frame):
    fitted = _expander().fit(frame)
    pd.testing.assert_frame_equal(
        fitted.transform(frame), _expander().fit_transform(frame)
    )


def test_summary_round_trips_and_unseen_groups_start_empty(tmp_path):
    train = pd.DataFrame({"g": ["a", "a", "b"], "t": [1, 2, 1], "y": [1.0, 3.0, 10.0]})
    fitted = ExpandingFeatures(
        stats=("mean", "max", "count"), time_column="t", group_columns="g"
    ).fit(train)
    mlprep.save(fitted, tmp_path / "e.json")
    loaded = mlprep.load(tmp_path / "e.json")
    test = pl.DataFrame({"g": ["c", "a", "a"], "t": [3, 4, 3], "y": [5.0, 7.0, 2.0]})
    out = loaded.transform(test)
    assert isinstance(out, pl.DataFrame)
    assert out["y_expanding_mean"].to_list() == [None, 2.0, 2.0]
    assert out["y_expanding_max"].to_list() == [None, 3.0, 3.0]
    assert out["y_expanding_count"].to_list() == [0.0, 3.0, 2.0]


def test_without_time_column_rows_follow_the_fitted_ones():
    fitted = ExpandingFeatures(stats=("sum",)).fit(pd.DataFrame({"y": [1.0, 2.0]}))
    assert fitted.transform(pd.DataFrame({"y": [4.0, 8.0]}))[
        "y_expanding_sum"
    ].tolist() == [3.0, 7.0]
