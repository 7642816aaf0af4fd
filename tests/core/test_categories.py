"""The category door: codes of a column on every backend, and the lexical order of labels."""

from __future__ import annotations

from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlprep.core._categories import factorize_series, lexical_order
from mlprep.exceptions import DataError


def _series(native: Any) -> nw.Series:
    return nw.from_native(native, series_only=True)


def test_codes_in_order_of_appearance_with_missing_as_minus_one() -> None:
    frame = pl.DataFrame({"f": [2.0, float("nan"), None, 2.0, 1.5]}, strict=False)
    codes, uniques = factorize_series(nw.from_native(frame, eager_only=True)["f"])
    assert codes.tolist() == [0, -1, -1, 0, 1]
    assert uniques == [2.0, 1.5]


@pytest.mark.parametrize(
    "native",
    [
        pd.Series(["b", "a", None, "b"]),
        pd.Series(["b", "a", None, "b"], dtype="category"),
        pd.Series(["b", "a", None, "b"], dtype=object),
        pl.Series(["b", "a", None, "b"]),
        pl.Series(["b", "a", None, "b"], dtype=pl.Categorical),
        pa.chunked_array([["b", "a"], [None, "b"]]),
    ],
    ids=["pd-str", "pd-cat", "pd-object", "pl-str", "pl-cat", "pa-chunked"],
)
def test_every_backend_gives_the_same_codes(native: Any) -> None:
    codes, uniques = factorize_series(_series(native))
    assert codes.tolist() == [0, 1, -1, 0]
    assert uniques == ["b", "a"]
    assert all(type(u) is str for u in uniques)


def test_uniques_are_plain_python_scalars() -> None:
    codes, uniques = factorize_series(_series(pd.Series([3, 1, 3], dtype="Int64")))
    assert codes.tolist() == [0, 1, 0] and uniques == [3, 1]
    assert all(type(u) is int for u in uniques)
    _, flags = factorize_series(_series(pl.Series([True, None, False])))
    assert flags == [True, False] and all(type(u) is bool for u in flags)


def test_mixed_object_column_falls_back_to_a_hash_table() -> None:
    codes, uniques = factorize_series(
        _series(pd.Series(["a", 1, None, "a", np.nan, 2.5], dtype=object))
    )
    assert codes.dtype == np.int64
    assert codes.tolist() == [0, 1, -1, 0, -1, 2]
    assert uniques == ["a", 1, 2.5]


MISSING = (None, float("nan"), pd.NA)

MIXED_VALUES = st.one_of(
    st.booleans(),
    st.integers(-2, 2),
    st.sampled_from([0.0, -0.0, 1.0, -1.0, 2.0, 0.5, 2.0**53]),
    st.sampled_from([np.int64(1), np.float64(-0.0), np.bool_(True)]),
    st.sampled_from([2**53, 2**53 + 1]),  # exact int/float comparison
    st.text("ab1", max_size=2),
    st.sampled_from(MISSING),
)


def plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or value != value


def _assert_python_equality(values: list[Any], codes: Any, uniques: list[Any]) -> None:
    """Codes agree with ``==`` (as a dict or set keys them); uniques by first appearance."""
    codes = codes.tolist()
    assert len(codes) == len(values)
    first_seen: list[int] = []
    for i, value in enumerate(values):
        if _is_missing(value):
            assert codes[i] == -1
            continue
        assert 0 <= codes[i] < len(uniques)
        assert uniques[codes[i]] == value
        if codes[i] == len(first_seen):  # a new category: its first row
            first_seen.append(i)
            assert type(uniques[codes[i]]) is type(plain(value))
            assert repr(uniques[codes[i]]) == repr(plain(value))
    assert len(first_seen) == len(uniques)
    present = [(i, v) for i, v in enumerate(values) if not _is_missing(v)]
    for i, left in present:
        for j, right in present:
            assert (codes[i] == codes[j]) == (left == right), (left, right)


@given(values=st.lists(MIXED_VALUES, max_size=12))
def test_object_column_codes_follow_python_equality(values: list[Any]) -> None:
    column = np.empty(len(values), dtype=object)
    column[:] = values
    for native in (pd.Series(column, dtype=object), pl.Series(values, dtype=pl.Object)):
        codes, uniques = factorize_series(_series(native))
        _assert_python_equality(values, codes, uniques)
    # a dict keys the same values the same way (the mergeable states use dicts)
    keyed = dict.fromkeys(plain(v) for v in values if not _is_missing(v))
    assert len(keyed) == len(factorize_series(_series(pd.Series(column)))[1])


@given(
    values=st.lists(
        st.one_of(
            st.sampled_from([0.0, -0.0, 1.5, -1.5, float("inf")]),
            st.floats(-2, 2, width=32),
            st.none(),
        ),
        max_size=12,
    )
)
def test_float_column_codes_follow_python_equality_on_every_backend(
    values: list[float | None],
) -> None:
    expected = [v if v is not None else float("nan") for v in values]
    for native in (
        pd.Series(expected, dtype="float64"),
        pd.Series(values, dtype="Float64"),
        pl.Series(values, dtype=pl.Float64),
        pa.chunked_array([pa.array(values, type=pa.float64())]),
    ):
        codes, uniques = factorize_series(_series(native))
        _assert_python_equality(expected, codes, uniques)


def test_true_one_and_one_point_zero_are_one_category_labelled_by_the_first() -> None:
    for values in ([True, 1, 1.0], [1, 1.0, True], [1.0, True, 1]):
        codes, uniques = factorize_series(_series(pd.Series(values, dtype=object)))
        assert codes.tolist() == [0, 0, 0]
        assert uniques == [values[0]] and type(uniques[0]) is type(values[0])
    codes, uniques = factorize_series(_series(pd.Series([0.0, -0.0, 2.0, -0.0])))
    assert codes.tolist() == [0, 0, 1, 0] and uniques == [0.0, 2.0]


def test_unhashable_values_name_the_column() -> None:
    column = nw.from_native(
        pd.DataFrame({"tags": pd.Series([["a"], ["b"]], dtype=object)}),
        eager_only=True,
    )["tags"]
    with pytest.raises(DataError, match=r"'tags' holds list values.*hashable"):
        factorize_series(column)


def test_all_missing_column() -> None:
    codes, uniques = factorize_series(_series(pl.Series([None, None])))
    assert codes.tolist() == [-1, -1] and uniques == []


@pytest.mark.parametrize(
    "values",
    [
        ["b", "a", "Z", "é", "日本", "a b", ""],
        [3, -1, 2**40, 0],
        [2.5, -0.5, 1.0],
        [True, False],
    ],
)
def test_lexical_order_is_pythons_sort(values: list[Any]) -> None:
    order = lexical_order(values)
    assert order.dtype == np.int64
    assert [values[i] for i in order] == sorted(values)


def test_lexical_order_of_nothing_and_of_incomparable_values() -> None:
    assert lexical_order([]).tolist() == []
    with pytest.raises(TypeError):
        lexical_order(["a", 1])
    surrogate = ["b", "\udc80", "a"]  # not UTF-8 encodable: Python's sort instead
    assert [surrogate[i] for i in lexical_order(surrogate)] == sorted(surrogate)
