"""OrdinalEncoder: appearance/lexical/frequency/explicit orders, sklearn equivalence, inverse."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from sklearn.preprocessing import OrdinalEncoder as SkOrdinal

from mlprep.encode import OrdinalEncoder
from mlprep.exceptions import DataError
from mlprep.testing.strategies import categorical_frames


def test_seed_white_black_red_is_zero_one_two() -> None:
    X = pd.DataFrame({"Color": ["White", "Black", "Red"]})
    assert OrdinalEncoder().fit_transform(X)["Color"].tolist() == [0, 1, 2]


def test_orders() -> None:
    X = pd.DataFrame({"c": ["b", "a", "c", "a", "c", "c"]})
    assert OrdinalEncoder(order="lexical").fit_transform(X)["c"].tolist() == [
        1,
        0,
        2,
        0,
        2,
        2,
    ]
    assert OrdinalEncoder(order="frequency").fit_transform(X)["c"].tolist() == [
        2,
        1,
        0,
        1,
        0,
        0,
    ]
    sizes = pd.DataFrame({"size": ["M", "XL", "S", None]})
    encoder = OrdinalEncoder(order={"size": ["S", "M", "L", "XL"]}).fit(sizes)
    assert encoder.transform(sizes)["size"].tolist() == [1, 3, 0, -2]
    assert encoder.counts_["size"] == [1, 1, 0, 1, 1]


def test_explicit_order_errors() -> None:
    X = pd.DataFrame({"size": ["M", "XXL"], "c": ["a", "b"]})
    with pytest.raises(DataError, match="does not list"):
        OrdinalEncoder(order={"size": ["S", "M"]}, handle_unknown="error").fit(X)
    with pytest.raises(DataError, match="not in the data"):
        OrdinalEncoder(order={"nope": ["S"]}).fit(X)
    with pytest.raises(DataError, match="none for column"):
        OrdinalEncoder(order={"size": ["S", "M", "XXL"]}, columns=["size", "c"]).fit(X)
    encoder = OrdinalEncoder(order={"size": ["S", "M"]}).fit(X)
    assert encoder.transform(X)["size"].tolist() == [1, -1]


@given(data=categorical_frames(kinds=("string",), unseen=True))
def test_lexical_equals_sklearn(data: tuple[pd.DataFrame, pd.DataFrame]) -> None:
    train, test = data

    def as_array(frame: pd.DataFrame) -> np.ndarray:
        array = np.array(frame.astype(object).to_numpy(), dtype=object)
        array[pd.isna(frame).to_numpy()] = np.nan
        return array

    ours = OrdinalEncoder(order="lexical", encoded_missing_value=np.nan).fit(train)
    sk = SkOrdinal(handle_unknown="use_encoded_value", unknown_value=-1).fit(
        as_array(train)
    )
    np.testing.assert_array_equal(
        ours.transform(test).to_numpy(dtype=float), sk.transform(as_array(test))
    )


@given(data=categorical_frames(unseen=True))
def test_inverse_transform_restores_known_values(
    data: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    train, test = data
    encoder = OrdinalEncoder(columns=list(train.columns)).fit(train)
    encoded = encoder.transform(test)
    assert len(encoded) == len(test)
    restored = encoder.inverse_transform(encoded)
    for column in train.columns:
        original = (
            test[column].astype(object).where(test[column].notna(), None).tolist()
        )
        known = set(encoder.categories_[column]) - {None}
        expected = [v if v in known else None for v in original]
        assert (
            restored[column]
            .astype(object)
            .where(restored[column].notna(), None)
            .tolist()
            == expected
        )


def test_float_codes_and_polars_output() -> None:
    X = pl.DataFrame({"c": ["a", None, "b"]})
    out = (
        OrdinalEncoder(encoded_missing_value=np.nan, unknown_value=-1)
        .fit(X)
        .transform(pl.DataFrame({"c": ["b", None, "z"]}))
    )
    assert isinstance(out, pl.DataFrame)
    assert out["c"].to_list()[0] == 1.0 and np.isnan(out["c"].to_list()[1])
    assert out["c"].to_list()[2] == -1.0
