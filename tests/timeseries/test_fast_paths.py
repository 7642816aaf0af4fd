"""The vectorised panel paths (issue 16) give the values of the plain per-group loop.

One sort per call, lags by comparing group codes ``k`` rows apart, group tails
from the group bounds, integer keys used as their own codes, datetimes read in
place and pandas' window kernels called directly: each must equal the old
definition, a Python loop over groups with pandas' public ``shift`` /
``rolling`` / ``expanding`` on each time-sorted group, on pandas and polars
input alike.
"""

from __future__ import annotations

import warnings

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlprep.core import rolling_stat
from mlprep.core._temporal import epoch_ns_array
from mlprep.testing.strategies import panels
from mlprep.timeseries import (
    DiffFeatures,
    ExpandingFeatures,
    LagFeatures,
    RollingFeatures,
)
from mlprep.timeseries._panel import build_panel

KEYS = {"time_column": "t", "group_columns": "g", "columns": "y"}


@st.composite
def varied_panels(draw: st.DrawFn, *, infinite: bool = False) -> pd.DataFrame:
    """panels() with integer, large-integer or string keys, ns or us times, infinities."""
    frame = draw(panels(max_groups=12, max_length=12))
    key_kind = draw(st.sampled_from(["str", "small int", "large int"]))
    if key_kind != "str":
        number = frame["g"].str[1:].astype(np.int64)
        frame["g"] = number + (10**12 if key_kind == "large int" else 0)
    if draw(st.booleans()):
        frame["t"] = frame["t"].astype("datetime64[us]")
    if infinite and len(frame):
        rows = draw(st.lists(st.integers(0, len(frame) - 1), max_size=3))
        signs = draw(st.lists(st.sampled_from([np.inf, -np.inf]), min_size=3))
        for row, sign in zip(rows, signs):
            frame.loc[row, "y"] = sign
    return frame


def per_group(frame: pd.DataFrame, compute) -> np.ndarray:
    """``compute(y sorted by time)`` for each group, put back in the frame's row order."""
    out = pd.Series(np.nan, index=frame.index)
    for _, group in frame.groupby("g", sort=False):
        ordered = group.sort_values("t")
        out.loc[ordered.index] = np.asarray(compute(ordered["y"]), dtype=np.float64)
    return out.to_numpy()


def assert_close(got: np.ndarray, expected: np.ndarray) -> None:
    np.testing.assert_allclose(got, expected, rtol=1e-10, atol=1e-10)


def both_inputs(estimator, frame: pd.DataFrame, name: str) -> list[np.ndarray]:
    """The feature ``name`` from pandas input and from polars input (nulls as NaN)."""
    from sklearn.base import clone

    on_pandas = clone(estimator).fit_transform(frame)[name].to_numpy(np.float64)
    on_polars = clone(estimator).fit_transform(pl.from_pandas(frame))[name]
    return [on_pandas, on_polars.fill_null(np.nan).to_numpy()]


@given(varied_panels(), st.sampled_from([1, 2, 3, 5, 40]))
@settings(max_examples=30)
def test_row_lags_equal_the_per_group_shift(frame: pd.DataFrame, lag: int) -> None:
    expected = per_group(frame, lambda y: y.shift(lag))
    for got in both_inputs(LagFeatures(lags=lag, **KEYS), frame, f"y_lag_{lag}"):
        np.testing.assert_array_equal(got, expected)


@given(
    varied_panels(infinite=True),
    st.sampled_from([1, 2, 4, 9]),
    st.sampled_from(["mean", "std", "sum", "min", "max", "median", "count"]),
    st.sampled_from(["left", "right", "both", "neither"]),
    st.integers(1, 3),
)
@settings(max_examples=25)
def test_row_windows_equal_the_per_group_rolling(
    frame: pd.DataFrame, window: int, stat: str, closed: str, min_periods: int
) -> None:
    if closed == "neither" and window == 1:
        return  # an empty window: pandas refuses it, mlprep gives missing values
    min_periods = min(min_periods, window)  # pandas refuses more
    # mlprep's count is never missing: pandas' count without a minimum
    least = 0 if stat == "count" else min_periods
    expected = per_group(
        frame,
        lambda y: getattr(y.rolling(window, closed=closed, min_periods=least), stat)(),
    )
    roller = RollingFeatures(
        windows=window, stats=stat, closed=closed, min_periods=min_periods, **KEYS
    )
    for got in both_inputs(roller, frame, f"y_roll_{window}_{stat}"):
        assert_close(got, expected)


@given(
    varied_panels(),
    st.sampled_from(["mean", "std", "sum", "min", "max"]),
    st.sampled_from(["left", "right"]),
    st.integers(1, 3),
)
@settings(max_examples=40)
def test_expanding_equals_the_per_group_expanding(
    frame: pd.DataFrame, stat: str, closed: str, min_periods: int
) -> None:
    def expand(y: pd.Series) -> pd.Series:
        seen = y.shift(1) if closed == "left" else y
        return getattr(seen.expanding(min_periods=min_periods), stat)()

    expected = per_group(frame, expand)
    expander = ExpandingFeatures(
        stats=stat, closed=closed, min_periods=min_periods, **KEYS
    )
    for got in both_inputs(expander, frame, f"y_expanding_{stat}"):
        assert_close(got, expected)


@given(varied_panels(), st.integers(0, 2), st.sampled_from([1, 3]))
@settings(max_examples=30)
def test_differences_equal_the_per_group_diff(
    frame: pd.DataFrame, shift: int, period: int
) -> None:
    expected = per_group(frame, lambda y: y.shift(shift) - y.shift(shift + period))
    differ = DiffFeatures(periods=period, shift=shift, **KEYS)
    for got in both_inputs(differ, frame, f"y_diff_{period}"):
        np.testing.assert_array_equal(got, expected)


@given(varied_panels(), st.floats(0.2, 0.8), st.sampled_from([2, 5]))
@settings(max_examples=30)
def test_fitted_tails_continue_like_one_long_fit(
    frame: pd.DataFrame, fraction: float, lag: int
) -> None:
    # the tails now come from the group bounds: transform of the next period
    # must still see exactly the rows fit_transform of both periods sees
    cutoff = frame["t"].min() + (frame["t"].max() - frame["t"].min()) * fraction
    early = frame["t"] < cutoff
    train, test = frame[early], frame[~early]
    if train.empty or test.empty:
        return
    for estimator in (
        LagFeatures(lags=(1, lag), **KEYS),
        RollingFeatures(windows=lag, stats=("mean", "std"), **KEYS),
    ):
        whole = estimator.fit_transform(pd.concat([train, test]))
        got = estimator.fit(train).transform(test)
        pd.testing.assert_frame_equal(got, whole.loc[test.index])


def test_integer_keys_used_as_codes_group_like_strings() -> None:
    rng = np.random.default_rng(0)
    n = 3000
    frame = pd.DataFrame(
        {
            "g": rng.integers(0, 70, n),
            "t": np.tile(np.arange(n // 30), 30)[:n],
            "y": rng.normal(size=n),
        }
    ).drop_duplicates(["g", "t"], ignore_index=True)
    as_text = frame.assign(g=frame["g"].map(lambda v: f"k{v}"))
    estimator = RollingFeatures(windows=(3, 7), stats=("mean", "std"), **KEYS)
    a = estimator.fit_transform(frame).drop(columns="g")
    b = estimator.fit_transform(as_text).drop(columns="g")
    pd.testing.assert_frame_equal(a, b)
    # a later period with keys mlprep has and has not seen
    later = frame.assign(t=frame["t"] + 10_000)
    later.loc[0, "g"] = 10**9
    got = estimator.fit(frame).transform(later)
    assert np.isnan(got.loc[0, "y_roll_3_mean"])
    assert np.isfinite(got["y_roll_3_mean"]).mean() > 0.99


def test_build_panel_groups_and_orders_rows() -> None:
    codes = np.array([2, 0, 2, 0, 5, 2], dtype=np.int64)
    times = np.array([3, 1, 1, 0, 0, 2], dtype=np.int64)
    panel = build_panel(codes, times, 0, describe=str, owner="test")
    assert panel.order.tolist() == [3, 1, 2, 5, 0, 4]
    assert panel.codes.tolist() == [0, 0, 2, 2, 2, 5]
    assert panel.heads.tolist() == [0, 2, 5]
    assert panel.starts.tolist() == [0, 0, 2, 2, 2, 5]
    assert panel.ends.tolist() == [2, 2, 5, 5, 5, 6]
    assert panel.tail_positions(2).tolist() == [0, 1, 3, 4, 5]
    assert panel.tail_positions(0).tolist() == []


@given(
    st.lists(st.integers(0, 6), max_size=40),
    st.integers(0, 8),
)
def test_tail_positions_equal_the_mask_definition(codes: list[int], rows: int) -> None:
    codes_array = np.array(codes, dtype=np.int64)
    times = np.arange(len(codes), dtype=np.int64)
    panel = build_panel(codes_array, times, 0, describe=str, owner="test")
    index = np.arange(panel.size)
    expected = np.flatnonzero((panel.ends - index) <= rows)
    np.testing.assert_array_equal(panel.tail_positions(rows), expected)


@given(
    st.lists(
        st.one_of(
            st.floats(-1e6, 1e6), st.just(np.nan), st.just(np.inf), st.just(-np.inf)
        ),
        max_size=30,
    ),
    st.integers(1, 6),
    st.integers(1, 3),
    st.sampled_from(["mean", "sum", "std", "var", "min", "max", "median", "quantile"]),
)
def test_window_kernels_equal_pandas_public_rolling(
    values: list[float], window: int, min_periods: int, stat: str
) -> None:
    min_periods = min(min_periods, window)  # pandas refuses more
    x = np.array(values, dtype=np.float64)
    index = np.arange(x.size)
    lo = np.maximum(index - window, 0)
    hi = index
    got = rolling_stat(x, lo, hi, stat, min_periods=min_periods, quantile=0.3)
    series = pd.Series(x).shift(1).rolling(window, min_periods=min_periods)
    if stat == "quantile":
        expected = series.quantile(0.3)
    else:
        expected = getattr(series, stat)()
    np.testing.assert_allclose(got, expected.to_numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("unit", ["s", "ms", "us", "ns"])
@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_epoch_ns_reads_naive_datetimes_in_place_like_the_library(
    unit: str, backend: str
) -> None:
    stamps = pd.Series(
        pd.to_datetime(
            ["1970-01-01 00:00:01", "1969-12-31 23:59:59", "1800-05-05", "2200-01-01"],
            format="ISO8601",
        )
    ).astype(f"datetime64[{unit}]")
    native = stamps if backend == "pandas" else pl.from_pandas(stamps)
    series = nw.from_native(native, series_only=True)
    expected = np.asarray(series.dt.timestamp("ns").to_numpy(), dtype=np.int64)
    got = epoch_ns_array(series)
    np.testing.assert_array_equal(got, expected)
    if unit == "ns":  # read in place: the caller's memory must not be writable
        assert not got.flags.writeable


def test_expanding_emits_no_runtime_warning_where_nan_is_intended() -> None:
    frame = pd.DataFrame(
        {
            "g": [1, 1, 2, 2, 2, 3],
            "t": [1, 2, 1, 2, 3, 1],
            "y": [np.nan, np.nan, 1.0, np.nan, np.inf, np.nan],
            "z": [1e308, 1e308, -np.inf, np.inf, 0.0, 1.0],
        }
    )
    stats = ("mean", "std", "min", "max", "sum", "count")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for closed in ("left", "right"):
            keys = {"time_column": "t", "group_columns": "g", "closed": closed}
            fitted = ExpandingFeatures(stats=stats, **keys)
            out = fitted.fit_transform(frame)
            fitted.transform(frame.iloc[::-1])
            fitted.fit(frame.iloc[:3]).transform(frame.iloc[3:])
            ExpandingFeatures(stats=stats, **keys).partial_fit(
                frame.iloc[:2]
            ).partial_fit(frame.iloc[2:]).transform(frame)
    # group 1 has only missing values: NaN, by intent
    assert np.isnan(out.loc[1, "y_expanding_mean"])
