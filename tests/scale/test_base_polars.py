"""The affine scalers on polars input: polars' own expressions, the same values as numpy.

A polars frame is transformed in one ``with_columns`` of expressions that
polars computes (no numpy round trip); the statistics still come from numpy,
so every fitted number and every output value equals the numpy path (pandas
input) bit for bit, with polars' nulls kept as nulls and NaN as NaN.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone

import mlprep.scale._base as base
from mlprep.exceptions import DataError
from mlprep.scale import MaxAbsScaler, MinMaxScaler, RobustScaler, StandardScaler
from mlprep.scale._base import column_state
from mlprep.state import MomentsState
from mlprep.testing.strategies import numeric_frames

SCALERS = [
    StandardScaler(),
    StandardScaler(with_mean=False),
    StandardScaler(with_std=False),
    RobustScaler(),
    RobustScaler(quantile_range=(10, 90), with_centering=False),
    MinMaxScaler(feature_range=(-2, 3)),
    MinMaxScaler(clip=True),
    MaxAbsScaler(),
]
IDS = [repr(s) for s in SCALERS]


@st.composite
def frames_with_nulls(draw: st.DrawFn) -> tuple[pd.DataFrame, pl.DataFrame]:
    """A pandas frame with NaN, and the same frame in polars with some NaN as null."""
    frame = draw(numeric_frames(min_rows=2, max_rows=15, constant_columns=True))
    columns = {}
    for name in frame.columns:
        values = frame[name].to_numpy()
        holes = np.flatnonzero(np.isnan(values))
        nulls = draw(st.sets(st.sampled_from(holes.tolist()))) if holes.size else set()
        mask = np.zeros(values.shape, dtype=bool)
        mask[list(nulls)] = True
        columns[name] = pl.Series(name, values).set(pl.Series(mask), None)
    return frame, pl.DataFrame(columns)


def _bits(values: np.ndarray) -> np.ndarray:
    """float64 values as integers (NaN payloads unified): equal bits, equal numbers."""
    values = np.where(np.isnan(values), np.nan, values)
    return np.ascontiguousarray(values, dtype=np.float64).view(np.int64)


def _assert_same_as_numpy(polars_out: pl.DataFrame, numpy_out: pd.DataFrame) -> None:
    """Every non-null polars value has the bits of the pandas value."""
    assert list(polars_out.columns) == list(numpy_out.columns)
    for name in numpy_out.columns:
        column = polars_out[name]
        valid = ~column.is_null().to_numpy()
        expected = numpy_out[name].to_numpy(dtype=float)
        got = column.fill_null(0.0).to_numpy().astype(float)
        np.testing.assert_array_equal(_bits(got[valid]), _bits(expected[valid]))
        assert np.isnan(expected[~valid]).all()


def _fitted(estimator: Any) -> dict[str, Any]:
    """The fitted attributes that hold per-column numbers."""
    return {
        key: value
        for key, value in vars(estimator).items()
        if key.endswith("_") and isinstance(value, dict) and key != "partial_state_"
    }


def _same_numbers(left: Any, right: Any) -> bool:
    if isinstance(left, dict):
        return left.keys() == right.keys() and all(
            _same_numbers(left[k], right[k]) for k in left
        )
    if isinstance(left, float) and isinstance(right, float):
        return left == right or (left != left and right != right)
    return bool(left == right)


@pytest.mark.parametrize("scaler", SCALERS, ids=IDS)
@settings(max_examples=40, deadline=None)
@given(data=frames_with_nulls())
def test_polars_input_gives_the_numpy_paths_numbers_bit_for_bit(scaler, data):
    pandas_frame, polars_frame = data
    ours = clone(scaler).fit(polars_frame)
    theirs = clone(scaler).fit(pandas_frame)
    assert _same_numbers(_fitted(ours), _fitted(theirs))
    out = ours.transform(polars_frame)
    assert isinstance(out, pl.DataFrame)
    expected = theirs.transform(pandas_frame)
    _assert_same_as_numpy(out, expected)
    _assert_same_as_numpy(clone(scaler).fit_transform(polars_frame), expected)
    # nulls stay nulls, NaN stays NaN
    for name in polars_frame.columns:
        np.testing.assert_array_equal(
            out[name].is_null().to_numpy(), polars_frame[name].is_null().to_numpy()
        )
    # polars divides by a scalar through its reciprocal, so the inverse may
    # differ from numpy's in the last bits (the forward map only subtracts
    # and multiplies, which round alike)
    back = ours.inverse_transform(out).to_pandas().to_numpy(dtype=float)
    scale = np.nanmax(np.abs(pandas_frame.to_numpy()), initial=1.0)
    np.testing.assert_allclose(
        back, theirs.inverse_transform(expected).to_numpy(), rtol=0, atol=1e-9 * scale
    )


@pytest.mark.parametrize("scaler", SCALERS, ids=IDS)
def test_pyarrow_and_pandas_agree_with_polars(scaler):
    rng = np.random.default_rng(3)
    X = pd.DataFrame(rng.lognormal(size=(50, 3)), columns=["a", "b", "c"])
    X.iloc[::7, 1] = np.nan
    expected = clone(scaler).fit_transform(X)
    _assert_same_as_numpy(clone(scaler).fit_transform(pl.from_pandas(X)), expected)
    table = clone(scaler).fit_transform(pa.Table.from_pandas(X))
    np.testing.assert_array_equal(table.to_pandas().to_numpy(), expected.to_numpy())


@pytest.mark.parametrize("scaler", SCALERS, ids=IDS)
def test_polars_transform_makes_no_numpy_round_trip(scaler, monkeypatch):
    data = pl.DataFrame({"a": [1.0, None, 4.0, 9.0], "b": [0.5, 0.0, float("nan"), 2]})
    fitted = clone(scaler).fit(data)

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("transform read a polars column into numpy")

    monkeypatch.setattr(pl.Series, "to_numpy", refuse)
    monkeypatch.setattr(pl.DataFrame, "to_numpy", refuse)
    out = fitted.transform(data)
    assert out["a"].null_count() == 1 and out["b"].is_nan().sum() == 1
    fitted.inverse_transform(out)


def test_fit_transform_checks_for_inf_once_and_transform_still_checks(monkeypatch):
    calls = []
    real = base.with_columns_finite
    monkeypatch.setattr(
        base,
        "with_columns_finite",
        lambda frame, exprs, columns, **k: (
            calls.append(columns) or real(frame, exprs, columns, **k)
        ),
    )
    data = pl.DataFrame({"a": [1.0, 2.0, 4.0]})
    scaler = StandardScaler().fit(data)
    scaler.transform(data)
    assert calls == [["a"]]
    StandardScaler().fit_transform(data)
    assert calls[-1] == []  # the fit already refused ±inf in these columns
    bad = pl.DataFrame({"a": [1.0, float("-inf"), 4.0]})
    for frame in (bad, bad.to_pandas()):
        with pytest.raises(DataError, match="column 'a' holds 1 infinite value"):
            StandardScaler().fit_transform(frame)
        with pytest.raises(DataError, match="column 'a' holds 1 infinite value"):
            scaler.transform(frame)


FLOATS = st.floats(allow_nan=True, allow_infinity=False, width=64)


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(FLOATS | st.sampled_from([1e308, -1e308, np.nan]), max_size=30),
    variance=st.booleans(),
)
def test_column_state_is_moments_state_of(values, variance):
    array = np.asarray(values, dtype=np.float64)
    got = column_state(array, variance=variance, finite=True, owner="T", name="a")
    expected = MomentsState.of(array, variance=variance)
    for field in ("count", "missing", "mean", "m2", "minimum", "maximum"):
        assert _same_numbers(getattr(got, field), getattr(expected, field)), field


@settings(max_examples=50, deadline=None)
@given(
    values=st.lists(FLOATS, min_size=1, max_size=20),
    infinities=st.lists(st.sampled_from([np.inf, -np.inf]), min_size=1, max_size=4),
)
def test_column_state_refuses_inf_with_its_count_or_keeps_it(values, infinities):
    array = np.asarray(values + infinities, dtype=np.float64)
    with pytest.raises(DataError, match=f"holds {len(infinities)} infinite value"):
        column_state(array, variance=True, finite=True, owner="T", name="a")
    kept = column_state(array, variance=False, finite=False, owner="T", name="a")
    assert np.isinf(kept.minimum) or np.isinf(kept.maximum)
