"""OutlierHandler on polars input: polars' own expressions, the numpy path's values.

The fences come from numpy whatever the input; a polars frame is treated in
one ``with_columns`` of expressions that polars computes. Every fence and every output
equals the numpy path's (pandas input, numpy kernels) bit for bit, polars
nulls stay null and are never outliers, NaN stays NaN.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlprep.core import moments
from mlprep.outliers import OutlierHandler
from mlprep.outliers._fences import _Exact
from mlprep.testing.strategies import spiky_frames

ACTIONS = ["clip", "nan", "mean", "median", "flag"]
METHODS = ["iqr", "zscore", "mad", "quantile"]


def _with_nulls(frame: pd.DataFrame, draw: Any) -> pl.DataFrame:
    """``frame`` in polars, some of its NaN turned into nulls."""
    columns = {}
    for name in frame.columns:
        values = frame[name].to_numpy()
        holes = np.flatnonzero(np.isnan(values)).tolist()
        nulls = draw(st.sets(st.sampled_from(holes))) if holes else set()
        mask = np.zeros(values.shape, dtype=bool)
        mask[list(nulls)] = True
        columns[name] = pl.Series(name, values).set(pl.Series(mask), None)
    return pl.DataFrame(columns)


def _bits(values: np.ndarray) -> np.ndarray:
    values = np.where(np.isnan(values), np.nan, values.astype(np.float64))
    return np.ascontiguousarray(values).view(np.int64)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    frame=spiky_frames(),
    method=st.sampled_from(METHODS),
    action=st.sampled_from(ACTIONS),
    data=st.data(),
)
def test_polars_input_gives_the_numpy_paths_values_bit_for_bit(
    frame, method, action, data
):
    polars_frame = _with_nulls(frame, data.draw)
    make = lambda: OutlierHandler(method=method, action=action)  # noqa: E731
    try:
        theirs = make().fit(frame)
    except Exception as error:  # the same refusal on both inputs
        with pytest.raises(type(error)):
            make().fit(polars_frame)
        return
    ours = make().fit(polars_frame)
    assert ours.bounds_ == theirs.bounds_
    assert getattr(ours, "statistics_", None) == getattr(theirs, "statistics_", None)
    expected = theirs.transform(frame)
    for out in (ours.transform(polars_frame), make().fit_transform(polars_frame)):
        assert isinstance(out, pl.DataFrame)
        assert list(out.columns) == list(expected.columns)
        for name in expected.columns:
            column = out[name]
            valid = ~column.is_null().to_numpy()
            if action == "flag" and name.endswith("_outlier"):
                assert column.dtype == pl.Boolean and valid.all()
                np.testing.assert_array_equal(column.to_numpy(), expected[name])
                continue
            source = polars_frame[name].is_null().to_numpy()
            np.testing.assert_array_equal(~valid, source)  # nulls stay null
            got = column.fill_null(0.0).to_numpy()
            want = expected[name].to_numpy(dtype=float)
            np.testing.assert_array_equal(_bits(got[valid]), _bits(want[valid]))


def test_polars_transform_makes_no_numpy_round_trip(monkeypatch):
    data = pl.DataFrame({"a": [1.0, None, 4.0, 9.0, 300.0], "b": [1, 2, 3, 4, -90]})
    fitted = {action: OutlierHandler(action=action).fit(data) for action in ACTIONS}

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("transform read a polars column into numpy")

    monkeypatch.setattr(pl.Series, "to_numpy", refuse)
    monkeypatch.setattr(pl.DataFrame, "to_numpy", refuse)
    for handler in fitted.values():
        assert handler.transform(data)["a"].null_count() == 1


FLOATS = st.floats(allow_nan=True, allow_infinity=True, width=64)


@settings(max_examples=300, deadline=None)
@given(values=st.lists(FLOATS | st.sampled_from([1e308, -1e308, 5.0]), max_size=40))
def test_z_score_moments_read_first_equal_those_of_the_finite_values(values):
    array = np.asarray(values, dtype=np.float64)
    finite = array[np.isfinite(array)]
    summary = _Exact(array, moments_first=True)
    assert summary.size == finite.size
    if finite.size == 0:
        return
    got, expected = summary.moments(), moments(finite)
    assert (got.count, got.mean, got.m2) == (expected.count, expected.mean, expected.m2)
    assert got.constant == expected.constant
    assert summary.extremes() == (finite.min(), finite.max())
