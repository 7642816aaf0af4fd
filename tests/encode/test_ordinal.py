"""OrdinalEncoder: appearance/lexical/frequency/explicit orders, sklearn equivalence, inverse."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st
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


# ------------------------------------------------- inverse_transform by name
@given(
    data=categorical_frames(min_columns=2, max_columns=4),
    order=st.randoms(use_true_random=False),
    backend=st.sampled_from(["pandas", "polars", "pyarrow"]),
)
def test_inverse_transform_decodes_permuted_columns_by_name(
    data: pd.DataFrame, order, backend: str
) -> None:
    encoder = OrdinalEncoder(columns=list(data.columns)).fit(data)
    encoded = encoder.transform(data)
    shuffled = list(encoded.columns)
    order.shuffle(shuffled)
    given_back = {
        "pandas": lambda frame: frame,
        "polars": pl.from_pandas,
        "pyarrow": lambda frame: pa.Table.from_pandas(frame, preserve_index=False),
    }[backend](encoded[shuffled])
    restored = encoder.set_output(transform="pandas").inverse_transform(given_back)
    assert list(restored.columns) == shuffled  # each column keeps its place
    for column in shuffled:
        got = restored[column].astype(object).where(restored[column].notna(), None)
        original = data[column].astype(object).where(data[column].notna(), None)
        assert got.tolist() == original.tolist(), column


def test_inverse_transform_with_kept_originals_matches_by_name() -> None:
    X = pd.DataFrame({"a": ["x", "y", "z"], "b": ["p", "q", "p"], "n": [1, 2, 3]})
    encoder = OrdinalEncoder(columns=["a", "b"], drop_original=False).fit(X)
    encoded = encoder.transform(X)
    given_back = encoded[["n", "b_ordinal", "a", "b", "a_ordinal"]]
    restored = encoder.inverse_transform(given_back)
    assert list(restored.columns) == ["n", "a", "b"]
    pd.testing.assert_frame_equal(restored[["a", "b", "n"]], X, check_dtype=False)


def test_inverse_transform_names_a_missing_or_unexpected_column() -> None:
    X = pd.DataFrame({f"c{i}": ["u", "v"] for i in range(12)})
    encoder = OrdinalEncoder().fit(X)
    encoded = encoder.transform(X)
    with pytest.raises(
        DataError, match=r"\['c11'\] that transform produced are missing"
    ):
        encoder.inverse_transform(encoded.drop(columns="c11"))
    with pytest.raises(DataError, match=r"\['extra'\] of X are not among"):
        encoder.inverse_transform(encoded.assign(extra=0))
    with pytest.raises(DataError, match=r"array with 11 columns.*produced 12"):
        encoder.inverse_transform(encoded.drop(columns="c11").to_numpy())


def test_inverse_transform_of_an_array_is_positional() -> None:
    X = np.array([["x", "p"], ["y", "q"]], dtype=object)
    encoder = OrdinalEncoder().fit(X)
    restored = encoder.inverse_transform(encoder.transform(X))
    assert restored.tolist() == X.tolist()


# ---------------------------------------------- categories: Python equality
def test_true_one_and_one_point_zero_are_one_category_as_in_sklearn() -> None:
    column = np.array([1, True, 1.0, 2.5, 0, False, -0.0], dtype=object)
    X = pd.DataFrame({"o": column})
    ours = OrdinalEncoder(order="lexical", columns="o").fit(X)
    sk = SkOrdinal().fit(column.reshape(-1, 1))
    assert ours.categories_["o"] == sk.categories_[0].tolist() == [0, 1, 2.5]
    assert [type(v) for v in ours.categories_["o"]] == [int, int, float]
    np.testing.assert_array_equal(
        ours.transform(X)["o"].to_numpy(dtype=float),
        sk.transform(column.reshape(-1, 1)).ravel(),
    )


@pytest.mark.parametrize("fit", ["fit", "partial_fit"])
def test_signed_zeros_are_one_category_in_fit_and_partial_fit(fit: str) -> None:
    X = pd.DataFrame({"f": [0.0, -0.0, 1.0, -0.0]})
    encoder = getattr(OrdinalEncoder(columns="f"), fit)(X)
    assert encoder.categories_["f"] == [0.0, 1.0]
    assert encoder.transform(X)["f"].tolist() == [0, 0, 1, 0]
    sk = SkOrdinal().fit(X)
    np.testing.assert_array_equal(
        encoder.transform(X)["f"].to_numpy(dtype=float), sk.transform(X).ravel()
    )


@given(
    values=st.lists(
        st.one_of(
            st.booleans(),
            st.integers(-2, 2),
            st.sampled_from([0.0, -0.0, 1.0, 0.5, -1.0]),
        ),
        min_size=1,
        max_size=15,
    )
)
def test_mixed_number_columns_equal_sklearn(values: list) -> None:
    column = np.empty(len(values), dtype=object)
    column[:] = values
    X = pd.DataFrame({"o": column})
    ours = OrdinalEncoder(order="lexical", columns="o").fit(X)
    sk = SkOrdinal().fit(column.reshape(-1, 1))
    assert ours.categories_["o"] == sk.categories_[0].tolist()
    np.testing.assert_array_equal(
        ours.transform(X)["o"].to_numpy(dtype=float),
        sk.transform(column.reshape(-1, 1)).ravel(),
    )
    codes = ours.transform(X)["o"].tolist()
    for i, left in enumerate(values):  # same code exactly when Python finds them equal
        for j, right in enumerate(values):
            assert (codes[i] == codes[j]) == (left == right)
