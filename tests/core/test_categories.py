"""The category door: codes of a column on every backend, and the lexical order of labels."""

from __future__ import annotations

from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from mlprep.core._categories import factorize_series, lexical_order


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
