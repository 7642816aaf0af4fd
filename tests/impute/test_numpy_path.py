"""Imputer(mean/median) on numpy-backed pandas columns: numpy passes, the same frame.

On pandas columns of numpy dtypes ``transform`` fills in numpy and builds
the output in one constructor call (issue 16: one row costs about what
scikit-learn's SimpleImputer does); it must give the values, dtypes,
indicators and column order of the expression path (nullable dtypes).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlprep.exceptions import DataError
from mlprep.impute import Imputer


@st.composite
def frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(2, 12))
    floats = st.floats(-1e6, 1e6, allow_nan=False, width=64)
    values = draw(st.lists(floats, min_size=n, max_size=n))
    holes = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    holes[0] = False  # every column keeps a value to learn from
    x = np.where(holes, np.nan, values)
    return pd.DataFrame(
        {
            "x": x,
            "h": x.astype(np.float32),
            "n": draw(st.lists(st.integers(-50, 50), min_size=n, max_size=n)),
            "s": ["a"] * n,
        }
    )


@pytest.mark.parametrize("strategy", ["mean", "median"])
@pytest.mark.parametrize("add_indicator", [False, True])
@settings(max_examples=30, deadline=None)
@given(frame=frames())
def test_numpy_path_equals_the_expression_path(strategy, add_indicator, frame) -> None:
    imputer = Imputer(strategy=strategy, add_indicator=add_indicator).fit(frame)
    fast = imputer.transform(frame)
    slow = imputer.transform(frame.astype({"x": "Float64", "n": "Int64"}))
    assert fast.columns.tolist() == slow.columns.tolist()
    assert fast.dtypes["h"] == np.float32  # float32 stays float32, as before
    assert fast.dtypes["n"] == np.float64  # a mean or median makes integers float
    for name in fast.columns:
        if name == "s":
            assert fast[name].tolist() == slow[name].tolist()
            continue
        expected = slow[name].to_numpy(
            dtype=fast[name].dtype,
            na_value=np.nan if fast[name].dtype.kind == "f" else False,
        )
        np.testing.assert_array_equal(fast[name].to_numpy(), expected)


def test_one_row_keeps_index_and_does_not_touch_the_input() -> None:
    X = pd.DataFrame({"a": [1.0, np.nan, 3.0], "b": ["p", "q", "r"]}, index=[9, 9, 4])
    imputer = Imputer(add_indicator=True).fit(X)
    row = X.iloc[[1]]
    before = row.copy()
    out = imputer.transform(row)
    pd.testing.assert_frame_equal(row, before)
    assert out.index.tolist() == [9]
    assert out.to_dict("list") == {"a": [2.0], "b": ["q"], "a_missing": [True]}


def test_infinity_is_refused_on_the_numpy_path() -> None:
    imputer = Imputer(strategy="median").fit(pd.DataFrame({"a": [1.0, 2.0]}))
    with pytest.raises(DataError, match=r"column 'a' holds 1 infinite value"):
        imputer.transform(pd.DataFrame({"a": [np.inf, np.nan]}))
