"""Hostile dtypes (issue 15, part B): each class gives the same answer or a DataError.

HashingEncoder hashes numbers canonically (an integer column turned float keeps
its features), Imputer(constant) keeps nullable boolean columns boolean,
OutlierHandler refuses a column that arrives as strings alike for every method
and action, and Deduplicator names an object column of unhashable values.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st
from sklearn.datasets import load_wine
from sklearn.feature_extraction import FeatureHasher

from mlprep.encode import HashingEncoder
from mlprep.encode._hashing import token_text
from mlprep.exceptions import DataError
from mlprep.impute import Imputer
from mlprep.outliers import Deduplicator, OutlierHandler

METHODS = ["iqr", "zscore", "mad", "quantile"]
ACTIONS = ["clip", "nan", "mean", "median", "flag"]


def _dense(out: Any) -> np.ndarray:
    if sp.issparse(out):
        return out.toarray()
    frame = out if isinstance(out, pd.DataFrame) else out.to_pandas()
    return frame.to_numpy()


# ----------------------------------------------------------------- hashing
@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1, "1"),
        (1.0, "1"),
        (-0.0, "0"),
        (np.int8(-3), "-3"),
        (np.uint64(2**64 - 1), str(2**64 - 1)),
        (np.float32(7), "7"),
        (1e20, str(10**20)),
        (2.5, "2.5"),
        (np.float32(0.5), "0.5"),
        (0.1, "0.1"),
        (float("inf"), "inf"),
        (float("-inf"), "-inf"),
        (True, "True"),
        (np.bool_(False), "False"),
        ("1.0", "1.0"),
        ("x", "x"),
    ],
)
def test_token_text_is_canonical_for_numbers_only(value: Any, text: str) -> None:
    assert token_text(value) == text


@given(
    ids=st.lists(
        st.one_of(st.none(), st.integers(-(2**53), 2**53)), min_size=1, max_size=30
    ),
    n_features=st.sampled_from([1, 8, 2**10]),
    sparse=st.booleans(),
)
def test_integer_column_turned_float_keeps_its_features(
    ids: list[int | None], n_features: int, sparse: bool
) -> None:
    as_int = pd.DataFrame({"id": pd.array(ids, dtype="Int64")})
    as_float = pd.DataFrame({"id": [np.nan if v is None else float(v) for v in ids]})
    frames = [as_int, as_float, pl.from_pandas(as_int), pl.from_pandas(as_float)]
    assert pl.from_pandas(as_float)["id"].dtype == pl.Float64
    encoder = HashingEncoder(
        n_features=n_features, sparse_output=sparse, columns=["id"]
    )
    outputs = [_dense(encoder.fit_transform(frame)) for frame in frames]
    for out in outputs[1:]:
        np.testing.assert_array_equal(out, outputs[0])
    if None not in ids:  # plain numpy int64 gives the same too
        plain = pd.DataFrame({"id": np.array(ids, dtype=np.int64)})
        np.testing.assert_array_equal(_dense(encoder.fit_transform(plain)), outputs[0])


def test_booleans_do_not_hash_as_numbers() -> None:
    encoder = HashingEncoder(n_features=2**10, columns="c")
    as_bool = encoder.fit_transform(pd.DataFrame({"c": [True]})).to_numpy()
    as_int = encoder.fit_transform(pd.DataFrame({"c": [1]})).to_numpy()
    as_float = encoder.fit_transform(pd.DataFrame({"c": [1.0]})).to_numpy()
    assert not np.array_equal(as_bool, as_int)
    np.testing.assert_array_equal(as_int, as_float)


def test_wine_integral_floats_equal_feature_hasher_on_integer_text() -> None:
    wine = load_wine(as_frame=True).frame
    X = wine[["magnesium", "proline"]]  # float64 columns of whole numbers
    assert (X == X.round()).all().all()
    records = [{c: str(int(v)) for c, v in row.items()} for row in X.to_dict("records")]
    expected = FeatureHasher(n_features=64, input_type="dict").transform(records)
    out = HashingEncoder(n_features=64, columns=list(X)).fit_transform(X)
    np.testing.assert_array_equal(out.to_numpy(), expected.toarray())
    as_int = HashingEncoder(n_features=64, columns=list(X)).fit_transform(
        X.astype("int64")
    )
    np.testing.assert_array_equal(as_int.to_numpy(), out.to_numpy())


def test_non_integral_floats_hash_as_their_shortest_text() -> None:
    X = pd.DataFrame({"x": [0.1, 2.5, np.inf]})
    records = [{"x": "0.1"}, {"x": "2.5"}, {"x": "inf"}]
    expected = FeatureHasher(n_features=16, input_type="dict").transform(records)
    out = HashingEncoder(n_features=16, sparse_output=True, columns="x").fit_transform(
        X
    )
    np.testing.assert_array_equal(out.toarray(), expected.toarray())


# ----------------------------------------------------------------- imputer
BOOLEAN_FRAMES = {
    "pandas-boolean": lambda: pd.DataFrame(
        {"b": pd.array([True, None, False], dtype="boolean")}
    ),
    "pandas-arrow": lambda: pd.DataFrame(
        {"b": pd.array([True, None, False], dtype="bool[pyarrow]")}
    ),
    "polars": lambda: pl.DataFrame({"b": [True, None, False]}),
}


@pytest.mark.parametrize("kind", list(BOOLEAN_FRAMES))
@pytest.mark.parametrize(
    ("fill_value", "filled"), [(None, False), (True, True), (np.False_, False)]
)
def test_constant_fills_a_boolean_column_and_keeps_it_boolean(
    kind: str, fill_value: Any, filled: bool
) -> None:
    X = BOOLEAN_FRAMES[kind]()
    before = X["b"].dtype
    imputer = Imputer(strategy="constant", fill_value=fill_value).fit(X)
    assert imputer.statistics_ == {"b": filled}
    assert type(imputer.statistics_["b"]) is bool
    out = imputer.transform(X)
    assert out["b"].to_list() == [True, filled, False]
    assert out["b"].dtype == before
    untouched = pd.Series(X["b"].to_list(), dtype="boolean")  # the caller's data
    assert untouched.isna().tolist() == [False, True, False]


@pytest.mark.parametrize("kind", list(BOOLEAN_FRAMES))
@pytest.mark.parametrize("fill_value", [0, 1.5, "missing"])
def test_constant_refuses_a_non_boolean_fill_for_a_boolean_column(
    kind: str, fill_value: Any
) -> None:
    X = BOOLEAN_FRAMES[kind]()
    with pytest.raises(DataError, match=r"Column 'b' is boolean.*fill_value=True"):
        Imputer(strategy="constant", fill_value=fill_value).fit(X)


def test_constant_defaults_of_other_columns_are_unchanged() -> None:
    X = pd.DataFrame(
        {
            "n": [1.0, None],
            "s": ["a", None],
            "b": pd.array([None, True], dtype="boolean"),
        }
    )
    out = Imputer(strategy="constant").fit_transform(X)
    assert out.to_dict("list") == {
        "n": [1.0, 0.0],
        "s": ["a", "missing_value"],
        "b": [False, True],
    }


# ----------------------------------------------------------------- outliers
NUMBERS = [1.0, 2.0, 3.0, 100.0, 2.0, 3.0, 2.5]
AS_STRINGS = {
    "pandas-object": lambda: pd.DataFrame({"a": [str(v) for v in NUMBERS]}),
    "pandas-string": lambda: pd.DataFrame(
        {"a": pd.Series([str(v) for v in NUMBERS], dtype="string")}
    ),
    "polars": lambda: pl.DataFrame({"a": [str(v) for v in NUMBERS]}),
}


@pytest.mark.parametrize("kind", list(AS_STRINGS))
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("action", ACTIONS)
def test_outlier_handler_refuses_strings_after_fit_alike(
    kind: str, method: str, action: str
) -> None:
    train = pd.DataFrame({"a": NUMBERS})
    if kind == "polars":
        train = pl.from_pandas(train)
    handler = OutlierHandler(method=method, action=action).fit(train)
    with pytest.raises(
        DataError, match=r"column 'a' has dtype String \(it was numeric in fit\)"
    ):
        handler.transform(AS_STRINGS[kind]())


@pytest.mark.parametrize("kind", list(AS_STRINGS))
@pytest.mark.parametrize("method", METHODS)
def test_outlier_handler_refuses_strings_in_fit_alike(kind: str, method: str) -> None:
    with pytest.raises(DataError, match="column 'a' has dtype String"):
        OutlierHandler(method=method, columns=["a"]).fit(AS_STRINGS[kind]())


@pytest.mark.parametrize("method", METHODS)
def test_outlier_handler_still_takes_numeric_and_boolean_columns(method: str) -> None:
    train = pd.DataFrame({"a": NUMBERS, "b": [True, False] * 3 + [True]})
    handler = OutlierHandler(method=method, action="flag").fit(train)
    for frame in (train, pl.from_pandas(train)):
        out = handler.transform(frame)
        flags = out["a_outlier"].to_list()
        assert len(flags) == len(NUMBERS) and all(isinstance(f, bool) for f in flags)


# ----------------------------------------------------------------- deduplicator
@pytest.mark.parametrize(
    ("values", "type_name"),
    [
        ([{"a": 1}, {"a": 1}, {"b": 2}], "dict"),
        ([[1], [1], [2]], "list"),
        ([np.array([1]), np.array([1]), np.array([2])], "ndarray"),
    ],
)
def test_deduplicator_names_an_unhashable_object_column(
    values: list[Any], type_name: str
) -> None:
    X = pd.DataFrame({"k": [1, 1, 2], "d": pd.Series(values, dtype=object)})
    with pytest.raises(DataError, match=rf"column 'd': it holds {type_name} values"):
        Deduplicator().fit_resample(X)
    kept, _ = Deduplicator(subset="k").fit_resample(X, np.arange(3))
    assert kept["k"].tolist() == [1, 2]


def test_deduplicator_compares_polars_structs_and_lists() -> None:
    X = pl.DataFrame(
        {"s": [{"a": 1}, {"a": 1}, {"a": 2}], "l": [[1], [1], [2]], "k": [0, 0, 0]}
    )
    dedup = Deduplicator()
    kept, _ = dedup.fit_resample(X, np.arange(3))
    assert dedup.removed_indices_.tolist() == [1]
    assert kept["s"].to_list() == [{"a": 1}, {"a": 2}]
