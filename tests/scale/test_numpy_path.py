"""The value transforms on numpy-backed pandas columns: numpy kernels, the same bits.

On pandas columns of numpy dtypes ``transform`` and ``inverse_transform``
read the arrays and run the numpy kernels directly (issue 16: one row costs
little more than the call); every other frame goes through backend
expressions. Both must give the same values bit for bit, keep the index,
the column order and the other columns, and never touch the caller's frame.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from mlprep.exceptions import DataError
from mlprep.scale import (
    LogTransformer,
    MaxAbsScaler,
    MinMaxScaler,
    PowerTransformer,
    RobustScaler,
    RootTransformer,
    StandardScaler,
)
from mlprep.testing.strategies import numeric_frames

TRANSFORMS = [
    StandardScaler(),
    StandardScaler(with_mean=False),
    RobustScaler(quantile_range=(10, 90)),
    MinMaxScaler(feature_range=(-2, 3), clip=True),
    MaxAbsScaler(),
    PowerTransformer(),
    LogTransformer(),
    RootTransformer(),
]
IDS = [type(t).__name__ for t in TRANSFORMS]


def _nullable(frame: pd.DataFrame) -> pd.DataFrame:
    """The same values in pandas' nullable Float64 dtype (the expression path), NaN as NA."""
    return frame.astype("Float64")


def _bits(values: np.ndarray) -> np.ndarray:
    values = np.where(np.isnan(values), np.nan, values)
    return np.ascontiguousarray(values, dtype=np.float64).view(np.int64)


def _as_float(frame: pd.DataFrame) -> np.ndarray:
    return frame.astype("float64").to_numpy(dtype=np.float64, na_value=np.nan)


@pytest.mark.parametrize("transform", TRANSFORMS, ids=IDS)
@settings(max_examples=25, deadline=None)
@given(frame=numeric_frames(min_rows=2, max_rows=12))
def test_numpy_path_equals_the_expression_path_to_the_bit(transform, frame) -> None:
    if isinstance(transform, LogTransformer | RootTransformer):
        frame = frame.abs() + 1.0  # their domain
    fitted = clone(transform).fit(frame)
    fast = fitted.transform(frame)
    slow = fitted.transform(_nullable(frame))
    assert fast.dtypes.tolist() == [np.dtype("float64")] * frame.shape[1]
    np.testing.assert_array_equal(_bits(fast.to_numpy()), _bits(_as_float(slow)))
    back_fast = fitted.inverse_transform(fast)
    back_slow = fitted.inverse_transform(_nullable(fast))
    np.testing.assert_array_equal(
        _bits(back_fast.to_numpy()), _bits(_as_float(back_slow))
    )


@pytest.mark.parametrize("transform", TRANSFORMS, ids=IDS)
def test_one_row_keeps_index_order_and_other_columns(transform) -> None:
    rng = np.random.default_rng(0)
    train = pd.DataFrame(
        {
            "city": ["a", "b", "c", "a"] * 5,
            "x": rng.uniform(1, 9, 20),
            "n": rng.integers(1, 9, 20),
            "z": rng.uniform(1, 9, 20).astype(np.float32),
        }
    )
    fitted = clone(transform).set_params(columns=["x", "n", "z"]).fit(train)
    row = train.iloc[[3]].set_axis(["row-7"])
    row.columns.name = "features"
    before = row.copy()
    out = fitted.transform(row)
    pd.testing.assert_frame_equal(row, before)  # the caller's frame is untouched
    assert out.index.tolist() == ["row-7"]
    assert out.columns.tolist() == ["city", "x", "n", "z"]
    assert out.columns.name == "features"
    assert out["city"].tolist() == ["a"]
    assert out.dtypes[["x", "n", "z"]].tolist() == [np.dtype("float64")] * 3
    expected = fitted.transform(train.astype({"x": "Float64", "n": "Float64"}))
    np.testing.assert_array_equal(
        out[["x", "n", "z"]].to_numpy(),
        _as_float(expected[["x", "n", "z"]].iloc[[3]]),
    )


def test_writing_to_the_output_leaves_the_input_alone() -> None:
    X = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [4.0, 5.0, 6.0]})
    before = X.copy()
    out = StandardScaler(columns=["x"]).fit(X).transform(X)
    out.loc[0, "x"] = 100.0
    pd.testing.assert_frame_equal(X, before)


def test_duplicate_index_labels_are_kept() -> None:
    X = pd.DataFrame({"x": [1.0, 2.0, 3.0], "s": ["p", "q", "r"]}, index=[5, 5, 6])
    out = MinMaxScaler().fit(X[["x"]]).transform(X[["x"]])
    assert out.index.tolist() == [5, 5, 6]
    assert out["x"].tolist() == [0.0, 0.5, 1.0]
    scaled = MinMaxScaler(columns=["x"]).fit(X).transform(X)
    assert scaled["s"].tolist() == ["p", "q", "r"]
    assert scaled.index.tolist() == [5, 5, 6]


@pytest.mark.parametrize("transform", TRANSFORMS[:5], ids=IDS[:5])
def test_infinity_is_refused_on_the_numpy_path(transform) -> None:
    X = pd.DataFrame({"x": [1.0, 2.0, 3.0], "y": [1.0, 5.0, 2.0]})
    fitted = clone(transform).fit(X)
    with pytest.raises(DataError, match=r"column 'y' holds 2 infinite values"):
        fitted.transform(X.assign(y=[np.inf, -np.inf, 1.0]))
    with pytest.raises(DataError, match=r"column 'x' holds 1 infinite value"):
        fitted.inverse_transform(X.assign(x=[np.inf, 1.0, 1.0]))


@settings(max_examples=25, deadline=None)
@given(
    values=st.lists(st.floats(-1e308, 1e308, allow_nan=False), min_size=2, max_size=10),
    row=st.integers(0, 9),
)
def test_one_row_equals_its_row_of_the_whole_frame(values, row) -> None:
    X = pd.DataFrame({"x": values})
    row = min(row, len(values) - 1)
    for scaler in (StandardScaler(), RobustScaler(), MinMaxScaler(), MaxAbsScaler()):
        fitted = scaler.fit(X)
        whole = fitted.transform(X)["x"].to_numpy()
        one = fitted.transform(X.iloc[[row]])["x"].to_numpy()
        np.testing.assert_array_equal(_bits(one), _bits(whole[[row]]))
