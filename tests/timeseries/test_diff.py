"""DiffFeatures: pandas equivalence, history, leakage with the default shift."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from tests.timeseries._reference import assert_history_carried, assert_no_leak, by_time

from mlprep.testing.strategies import panels
from mlprep.timeseries import DiffFeatures


def _differ(**kwargs):
    return DiffFeatures(columns="y", time_column="t", group_columns="g", **kwargs)


@given(panels(), st.sampled_from(["diff", "pct_change"]), st.integers(0, 2))
def test_equals_pandas_groupby_shift_then_diff(frame, method, shift):
    frame = frame.assign(y=frame["y"].replace(0.0, 1.0))
    out = _differ(periods=(1, 3), method=method, shift=shift).fit_transform(frame)
    ordered = by_time(frame)
    end = ordered.groupby("g")["y"].shift(shift)
    for p in (1, 3):
        begin = ordered.groupby("g")["y"].shift(shift + p)
        expected = end - begin if method == "diff" else end / begin - 1.0
        np.testing.assert_allclose(
            out[f"y_{method}_{p}"], expected.reindex(frame.index), rtol=1e-12
        )


@given(panels(), st.floats(0.2, 0.8))
def test_transform_on_the_next_period_uses_the_fitted_tail(frame, fraction):
    assert_history_carried(_differ(periods=(1, 2)), frame, fraction)


@given(panels(), st.data())
def test_no_leak_with_the_default_shift(frame, data):
    row = data.draw(st.integers(0, len(frame) - 1))
    assert_no_leak(_differ(periods=(1, 2)), frame, row, 123.0)


def test_pct_change_by_zero_is_infinite():
    frame = pd.DataFrame({"t": [1, 2, 3], "y": [0.0, 2.0, 5.0]})
    out = DiffFeatures(method="pct_change", shift=0, time_column="t").fit_transform(
        frame
    )
    assert out["y_pct_change_1"].tolist()[1:] == [np.inf, 1.5]
