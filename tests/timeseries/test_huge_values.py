"""Values near 1e308 and ±inf in the window transformers (issue 15).

Scaling the data by a power of two scales every window statistic by it,
exactly, in binary floating point; so the features of ``y * 2**1017`` must
be the features of ``y`` times ``2**1017``: finite wherever that product is
(a mean, std, min, max, median or quantile), and ``±inf`` only where it is
(a sum beyond float64). The old arithmetic overflowed the sums of squares
and the running sums instead. Infinities follow pandas' rolling rule:
skipped by every statistic, counted by ``count``.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from tests.timeseries._reference import assert_history_carried, by_time

import mlprep
from mlprep.core._persist_frame import pack
from mlprep.testing.strategies import panels
from mlprep.timeseries import ExpandingFeatures, RollingFeatures
from mlprep.timeseries._summary import SummaryState
from mlprep.timeseries._units import HUGE, group_units

SCALE = 2.0**1017
"""50 (the strategy's largest value) times this is about 7e307: finite."""

KEYS = {"time_column": "t", "group_columns": "g", "columns": "y"}
ROLL_STATS = ("mean", "std", "min", "max", "sum", "median", "count", "quantile")
EXPANDING_STATS = ("mean", "std", "min", "max", "sum", "count")


def features(estimator, frame: pd.DataFrame) -> pd.DataFrame:
    """``fit_transform`` with every RuntimeWarning an error; only the new columns."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        out = clone(estimator).fit_transform(frame)
    return out.drop(columns=[c for c in out.columns if c in frame.columns])


def scaled(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(y=frame["y"] * SCALE)


def assert_scaled(huge: pd.DataFrame, plain: pd.DataFrame) -> None:
    """``huge`` is ``plain`` times SCALE (counts unscaled), exactly; ±inf only from rounding."""
    for name in plain.columns:
        expected = plain[name].to_numpy(np.float64)
        if not name.endswith("_count"):
            with np.errstate(over="ignore"):
                expected = expected * SCALE
        got = huge[name].to_numpy(np.float64)
        np.testing.assert_array_equal(got, expected, err_msg=name)
        if not name.endswith("_sum"):
            assert not np.isinf(got).any(), name


@given(
    panels(),
    st.sampled_from([1, 2, 5, "3D"]),
    st.sampled_from(["left", "right", "both"]),
    st.integers(1, 2),
)
@settings(max_examples=40)
def test_rolling_of_huge_values_is_the_scaled_rolling(frame, window, closed, least):
    roller = RollingFeatures(
        windows=window,
        stats=ROLL_STATS,
        quantiles=(0.1, 0.5),
        closed=closed,
        min_periods=least,
        **KEYS,
    )
    assert_scaled(features(roller, scaled(frame)), features(roller, frame))


@given(panels(), st.sampled_from(["left", "right"]), st.integers(1, 3))
@settings(max_examples=40)
def test_expanding_of_huge_values_is_the_scaled_expanding(frame, closed, least):
    expander = ExpandingFeatures(
        stats=EXPANDING_STATS, closed=closed, min_periods=least, **KEYS
    )
    assert_scaled(features(expander, scaled(frame)), features(expander, frame))


@given(panels(max_length=16), st.floats(0.2, 0.8), st.sampled_from(["left", "right"]))
@settings(max_examples=40)
def test_expanding_history_of_huge_values_is_the_scaled_history(
    frame, fraction, closed
):
    # the fitted summary (units, rescaled merges) continues like the plain one
    cutoff = frame["t"].min() + (frame["t"].max() - frame["t"].min()) * fraction
    early = frame["t"] < cutoff
    assume(early.sum() >= 2 and not early.all())
    expander = ExpandingFeatures(stats=EXPANDING_STATS, closed=closed, **KEYS)

    def later(data: pd.DataFrame) -> pd.DataFrame:
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            first, second = data[early].iloc[::2], data[early].iloc[1::2]
            fitted = clone(expander).partial_fit(first).partial_fit(second)
            out = fitted.transform(data[~early])
        return out.drop(columns=["t", "g"])

    assert_scaled(later(scaled(frame)), later(frame))


def test_rolling_mean_and_std_of_values_near_the_limit_are_finite() -> None:
    frame = pd.DataFrame(
        {
            "g": ["a"] * 4 + ["b"] * 3,
            "t": [1, 2, 3, 4, 1, 2, 3],
            "y": [1e308, 1.5e308, -1.7e308, 1.2e308, 1e-300, 2e-300, 4e-300],
        }
    )
    out = features(
        RollingFeatures(
            windows=2, stats=("mean", "std", "sum"), closed="right", **KEYS
        ),
        frame,
    )
    np.testing.assert_allclose(
        out["y_roll_2_mean"],
        [1e308, 1.25e308, -0.1e308, -0.25e308, 1e-300, 1.5e-300, 3e-300],
    )
    expected_std = [np.nan, np.sqrt(0.5) * 0.5e308, np.sqrt(0.5) * 3.2e308]
    np.testing.assert_allclose(out["y_roll_2_std"][:3], expected_std, rtol=1e-15)
    # a group of small values keeps its precision next to a group of huge ones
    np.testing.assert_allclose(
        out["y_roll_2_std"][5:], np.std([1e-300, 2e-300], ddof=1) * np.array([1, 2])
    )
    # the sum of 1e308 and 1.5e308 is beyond float64: +inf, its rounded value
    assert out["y_roll_2_sum"][1] == np.inf
    assert out["y_roll_2_sum"][2] == pytest.approx(-0.2e308)


def test_expanding_summary_of_values_near_the_limit_is_finite() -> None:
    frame = pd.DataFrame({"t": [1, 2, 3], "y": [1e308, 1e308, -1e308]})
    expander = ExpandingFeatures(stats=("mean", "std", "sum"), time_column="t")
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        fitted = expander.fit(frame)
        out = fitted.transform(pd.DataFrame({"t": [4], "y": [0.0]}))
    assert out["y_expanding_mean"][0] == pytest.approx(1e308 / 3)
    assert out["y_expanding_std"][0] == pytest.approx(np.sqrt(4 / 3) * 1e308)
    assert out["y_expanding_sum"][0] == pytest.approx(1e308)
    summary = fitted.history_["summary"]["y"]
    assert np.isfinite(summary["m2"]).all() and summary["unit"][0] > HUGE


@given(
    panels(max_length=10),
    st.lists(st.sampled_from([np.inf, -np.inf]), min_size=1, max_size=4),
    st.data(),
    st.sampled_from(["left", "right"]),
    st.integers(1, 2),
)
@settings(max_examples=40)
def test_expanding_infinities_follow_pandas_expanding(
    frame, signs, data, closed, least
):
    rows = data.draw(
        st.lists(
            st.integers(0, len(frame) - 1), min_size=len(signs), max_size=len(signs)
        )
    )
    frame = frame.copy()
    frame.loc[frame.index[rows], "y"] = signs
    ordered = by_time(frame)
    source = ordered.groupby("g")["y"].shift(1) if closed == "left" else ordered["y"]
    out = features(
        ExpandingFeatures(
            stats=EXPANDING_STATS, closed=closed, min_periods=least, **KEYS
        ),
        frame,
    )
    for stat in EXPANDING_STATS:
        rolled = source.groupby(ordered["g"]).expanding(
            min_periods=0 if stat == "count" else least
        )
        expected = getattr(rolled, stat)().droplevel(0).reindex(frame.index)
        np.testing.assert_allclose(
            out[f"y_expanding_{stat}"],
            expected.to_numpy(np.float64),
            rtol=1e-10,
            atol=1e-10,
        )
    # the fitted summary skips them alike: a later period continues the same way
    assert_history_carried(
        ExpandingFeatures(
            stats=EXPANDING_STATS, closed=closed, min_periods=least, **KEYS
        ),
        frame,
        0.5,
    )


def test_a_summary_saved_before_finite_and_unit_loads_and_continues() -> None:
    frame = pd.DataFrame({"t": [1, 2, 3], "g": ["a", "a", "b"], "y": [1.0, 2.0, 4.0]})
    expander = ExpandingFeatures(stats=EXPANDING_STATS, **KEYS)
    fitted = clone(expander).fit(frame)
    later = pd.DataFrame({"t": [4, 5], "g": ["a", "b"], "y": [3.0, 5.0]})
    expected = fitted.transform(later)
    document = json.loads(mlprep.dumps(fitted))
    state = document["object"]["state"]
    stats = state["partial_state_"]["__state__"]["data"]["stats"]["y"]
    summary = state["history_"]["summary"]["y"]
    for old in (stats, summary):  # what the previous version wrote
        del old["finite"], old["unit"]
    body = json.dumps(document.pop("object"), separators=(",", ":"), ensure_ascii=False)
    loaded = mlprep.loads(pack(document, body.encode()))
    pd.testing.assert_frame_equal(loaded.transform(later), expected)
    assert loaded.partial_state_.stats["y"]["finite"].tolist() == [2.0, 1.0]


def test_group_units_leave_ordinary_groups_alone() -> None:
    heads = np.array([0, 2, 4])
    x = np.array([1.0, -3e307, np.inf, 5.0, np.nan, 2.0**500])
    units = group_units(x, heads)
    assert units is not None
    assert units.tolist() == [2.0**1021, 1.0, 1.0]  # 2**500 is not above HUGE
    assert group_units(np.array([np.nan, np.nan]), np.array([0])) is None
    assert group_units(np.array([]), np.array([], dtype=np.int64)) is None


def test_summary_merges_parts_of_different_units() -> None:
    def part(values: list[float]) -> SummaryState:
        state = SummaryState(time_column=None, groups=[], columns=["y"])
        summary = SummaryState.describe(np.array(values), np.array([0]))
        return state.of_groups(
            {}, np.array([len(values)]), {"y": summary}, time_kind="row"
        )

    huge, small = part([1e308, -1e308, 0.5e308]), part([1.0, 3.0])
    for merged in (huge.merge(small), small.merge(huge)):
        stats = merged.stats["y"]
        values = np.array([1e308, -1e308, 0.5e308, 1.0, 3.0])
        assert stats["mean"][0] == pytest.approx(np.mean(values / 2**1000) * 2**1000)
        std = np.sqrt(stats["m2"][0] / 4) * stats["unit"][0]
        assert std == pytest.approx(np.std(values / 2**1000, ddof=1) * 2**1000)
        assert stats["count"][0] == stats["finite"][0] == 5
