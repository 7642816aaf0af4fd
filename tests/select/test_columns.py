"""DropColumns: behaviour on every container, errors, partial_fit, summary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from mlprep.exceptions import DataError, InvalidParameterError
from mlprep.select import DropColumns

X = pd.DataFrame({"id": [1, 2, 3], "a": [0.5, np.nan, 1.5], "b": ["x", "y", None]})


def test_drops_named_columns_in_input_order_and_keeps_the_rest() -> None:
    dropper = DropColumns(["b", "id"]).fit(X)
    assert dropper.dropped_ == ["id", "b"]
    out = dropper.transform(X)
    assert list(out.columns) == ["a"]
    pd.testing.assert_series_equal(out["a"], X["a"])
    assert list(dropper.get_feature_names_out()) == ["a"]
    assert list(X.columns) == ["id", "a", "b"]  # input untouched


@pytest.mark.parametrize("convert", [pl.from_pandas, pa.Table.from_pandas])
def test_same_container_out(convert) -> None:
    data = convert(X)
    out = DropColumns("a").fit_transform(data)
    assert type(out) is type(data)
    assert list(out.column_names if isinstance(out, pa.Table) else out.columns) == [
        "id",
        "b",
    ]


def test_positions_on_arrays() -> None:
    array = np.arange(12.0).reshape(4, 3)
    out = DropColumns([0, 2]).fit_transform(array)
    np.testing.assert_array_equal(out, array[:, [1]])


def test_missing_name_is_a_data_error_naming_it() -> None:
    with pytest.raises(DataError, match="'zz'"):
        DropColumns(["a", "zz"]).fit(X)


def test_columns_are_required() -> None:
    # constructible without arguments (scikit-learn's clone and checks), refused by fit
    with pytest.raises(InvalidParameterError, match="needs the columns to drop"):
        DropColumns().fit(X)


def test_dropping_every_column_is_refused() -> None:
    with pytest.raises(DataError, match="every column"):
        DropColumns(["id", "a", "b"]).fit(X)


def test_transform_needs_the_dropped_column() -> None:
    dropper = DropColumns("b").fit(X)
    with pytest.raises(DataError):
        dropper.transform(X.drop(columns="b"))


def test_partial_fit_has_an_empty_state_and_equals_fit() -> None:
    dropper = DropColumns("a")
    dropper.partial_fit(X.iloc[:2]).partial_fit(X.iloc[2:])
    assert dropper.partial_state_ == {}
    assert dropper.dropped_ == DropColumns("a").fit(X).dropped_ == ["a"]


def test_summary() -> None:
    text = DropColumns("id").fit(X).summary()
    assert text.splitlines() == [
        "DropColumns: dropped 1 of 3 columns",
        "  - id: named in columns=",
        "kept: ['a', 'b']",
    ]
