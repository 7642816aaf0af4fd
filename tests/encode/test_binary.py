"""BinaryEncoder: identical to category_encoders.BinaryEncoder, values and names."""

from __future__ import annotations

import warnings

import category_encoders as ce
import numpy as np
import pandas as pd
import pytest
from hypothesis import given

from mlprep.encode import BinaryEncoder
from mlprep.exceptions import DataError
from mlprep.testing.strategies import categorical_frames

COLORS = [
    "White",
    "Black",
    "Red",
    "Blue",
    "Green",
    "Yellow",
    "Pink",
    "Brown",
    "White",
    "Black",
]


def _ce(train: pd.DataFrame, test: pd.DataFrame) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ce.BinaryEncoder(cols=list(train.columns)).fit(train).transform(test)


def test_seed_colors_need_four_columns_like_category_encoders() -> None:
    X = pd.DataFrame({"Color": COLORS})
    out = BinaryEncoder().fit_transform(X)
    assert out.columns.tolist() == ["Color_0", "Color_1", "Color_2", "Color_3"]
    assert out.iloc[0].tolist() == [0, 0, 0, 1] and out.iloc[7].tolist() == [1, 0, 0, 0]
    pd.testing.assert_frame_equal(out, _ce(X, X))


@pytest.mark.parametrize("n", [1, 2, 3, 4, 7, 8, 9, 16, 17, 40])
def test_width_matches_category_encoders(n: int) -> None:
    X = pd.DataFrame({"c": [f"v{i}" for i in range(n)]})
    out = BinaryEncoder().fit_transform(X)
    expected = _ce(X, X)
    assert out.columns.tolist() == expected.columns.tolist()
    np.testing.assert_array_equal(out.to_numpy(), expected.to_numpy())


@given(data=categorical_frames(kinds=("string",), unseen=True, max_columns=2))
def test_equals_category_encoders_on_unseen_and_missing(
    data: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    train, test = data
    train = train.astype(object).where(train.notna(), np.nan)
    test = test.astype(object).where(test.notna(), np.nan)
    ours = BinaryEncoder().fit(train)
    out = ours.transform(test)
    expected = _ce(train, test)
    assert out.columns.tolist() == expected.columns.tolist()
    np.testing.assert_array_equal(
        out.to_numpy(dtype=np.int64), expected.to_numpy(dtype=np.int64)
    )


def test_integer_and_boolean_columns_match_category_encoders() -> None:
    X = pd.DataFrame({"i": [3, 1, 2, 3], "b": [True, False, True, True]})
    out = BinaryEncoder(columns=["i", "b"]).fit_transform(X)
    pd.testing.assert_frame_equal(out, _ce(X, X))


def test_handle_unknown_error() -> None:
    encoder = BinaryEncoder(handle_unknown="error").fit(pd.DataFrame({"c": ["a"]}))
    with pytest.raises(DataError, match="not seen in fit"):
        encoder.transform(pd.DataFrame({"c": ["b"]}))
