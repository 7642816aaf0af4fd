"""RollingFeatures: pandas equivalence (row and duration windows), history, leakage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from tests.timeseries._reference import (
    assert_history_carried,
    assert_no_leak,
    reference_rolling,
)

from mlprep.exceptions import DataError, InvalidParameterError
from mlprep.testing.strategies import panels
from mlprep.timeseries import RollingFeatures

STATS = ("mean", "std", "min", "max", "sum", "median", "quantile")


def _roller(**kwargs):
    return RollingFeatures(columns="y", time_column="t", group_columns="g", **kwargs)


@given(
    panels(),
    st.sampled_from([1, 2, 3, "2D", "5D"]),
    st.sampled_from(["left", "right", "both", "neither"]),
    st.integers(1, 3),
)
@settings(max_examples=25)
def test_equals_pandas_groupby_rolling(frame, window, closed, min_periods):
    assume(isinstance(window, str) or min_periods <= window)  # pandas refuses the rest
    roller = _roller(
        windows=window,
        stats=STATS,
        quantiles=(0.25,),
        closed=closed,
        min_periods=min_periods,
    )
    out = roller.fit_transform(frame)
    for stat in STATS:
        label = "q25" if stat == "quantile" else stat
        expected = reference_rolling(frame, window, stat, closed, min_periods, q=0.25)
        np.testing.assert_allclose(
            out[f"y_roll_{window}_{label}"].to_numpy(),
            expected.to_numpy(),
            rtol=1e-10,
            atol=1e-10,
        )


@given(panels(), st.sampled_from([3, "4D"]))
def test_count_is_the_number_of_present_values(frame, window):
    out = _roller(windows=window, stats=("count",)).fit_transform(frame)
    expected = reference_rolling(frame, window, "count", "left", 0)
    np.testing.assert_array_equal(out[f"y_roll_{window}_count"], expected.fillna(0.0))


@given(panels(), st.floats(0.2, 0.8))
def test_transform_on_the_next_period_uses_the_fitted_tail(frame, fraction):
    estimator = _roller(windows=(2, "3D"), stats=("mean", "std", "max", "count"))
    assert_history_carried(estimator, frame, fraction)


@given(panels(), st.data())
def test_no_leak_default_window_excludes_the_current_row(frame, data):
    row = data.draw(st.integers(0, len(frame) - 1))
    estimator = _roller(
        windows=(2, "3D"), stats=("mean", "std", "min", "median", "count")
    )
    assert_no_leak(estimator, frame, row, data.draw(st.sampled_from([np.nan, -1e6])))


def test_peer_workload_shape_on_polars():
    frame = pd.DataFrame(
        {
            "key": np.tile([0, 1], 40),
            "ts": np.repeat(np.arange(40), 2),
            "y": np.arange(80.0) ** 1.5,
        }
    )
    roller = RollingFeatures(
        columns="y",
        windows=(7, 28),
        stats=("mean", "std"),
        time_column="ts",
        group_columns="key",
        min_periods=7,
    )
    out = roller.fit_transform(pl.from_pandas(frame))
    assert isinstance(out, pl.DataFrame)
    assert out.columns[-4:] == [
        "y_roll_7_mean",
        "y_roll_7_std",
        "y_roll_28_mean",
        "y_roll_28_std",
    ]
    expected = pl.from_pandas(frame).with_columns(
        pl.col("y").shift(1).rolling_mean(7).over("key").alias("m"),
        pl.col("y").shift(1).rolling_std(28, min_samples=7).over("key").alias("s"),
    )
    np.testing.assert_allclose(
        out["y_roll_7_mean"].to_numpy(), expected["m"].to_numpy(), rtol=1e-10
    )
    np.testing.assert_allclose(
        out["y_roll_28_std"].to_numpy(), expected["s"].to_numpy(), rtol=1e-9
    )


def test_quantile_names_and_validation():
    frame = pd.DataFrame({"t": [1, 2, 3], "y": [1.0, 2.0, 3.0]})
    out = RollingFeatures(
        windows=2, stats=("quantile",), quantiles=(0.1, 0.025), time_column="t"
    ).fit_transform(frame)
    assert out.columns.tolist()[-2:] == ["y_roll_2_q10", "y_roll_2_q2.5"]
    assert out["y_roll_2_q10"].tolist()[2] == pytest.approx(1.1)
    with pytest.raises(InvalidParameterError, match="'stats' parameter"):
        RollingFeatures(stats=("mode",)).fit(frame)
    with pytest.raises(DataError, match="durations"):
        RollingFeatures(windows="7D", time_column="t").fit(frame)


def test_closed_right_includes_the_current_row():
    frame = pd.DataFrame({"t": [1, 2, 3], "y": [1.0, 2.0, 6.0]})
    out = RollingFeatures(
        windows=2, stats=("sum",), time_column="t", closed="right"
    ).fit_transform(frame)
    assert out["y_roll_2_sum"].tolist() == [1.0, 3.0, 8.0]
