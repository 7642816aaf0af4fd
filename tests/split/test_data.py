"""The split family's data boundary."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from mlprep.exceptions import DataError
from mlprep.split._data import (
    column_arrays,
    is_column_spec,
    n_rows,
    series_values,
    take_rows,
)


def test_take_rows_keeps_type_order_and_pandas_index():
    mask = np.array([True, False, True])
    frame = pd.DataFrame({"a": [1, 2, 3]}, index=[10, 20, 30])
    assert take_rows(frame, mask).index.tolist() == [10, 30]
    assert take_rows(pl.DataFrame({"a": [1, 2, 3]}), mask)["a"].to_list() == [1, 3]
    assert take_rows(pa.table({"a": [1, 2, 3]}), mask).column("a").to_pylist() == [1, 3]
    assert take_rows(np.array([1, 2, 3]), mask).tolist() == [1, 3]
    assert take_rows([1, 2, 3], mask) == [1, 3]
    assert take_rows(pl.Series([1, 2, 3]), mask).to_list() == [1, 3]
    assert n_rows([1, 2]) == 2 and n_rows(pa.table({"a": [1]})) == 1


def test_column_specs_and_errors():
    assert is_column_spec("a") and is_column_spec(0) and is_column_spec(["a", "b"])
    assert not is_column_spec([1, 2]) and not is_column_spec(np.array(["a"]))
    with pytest.raises(DataError, match="a numpy array has no column names"):
        column_arrays(np.zeros((3, 2)), "a", param="key", owner="T")
    with pytest.raises(DataError, match="out of range for data with 2 columns"):
        column_arrays(np.zeros((3, 2)), 5, param="key", owner="T")
    with pytest.raises(DataError, match="1-D array without columns"):
        column_arrays(np.zeros(3), 0, param="key", owner="T")


def test_temporal_values_are_epoch_nanoseconds_on_every_backend():
    stamps = pd.to_datetime(["2024-01-01", None]).tz_localize("Europe/Paris")
    pandas = series_values(pd.Series(stamps))
    polars = series_values(pl.from_pandas(pd.Series(stamps)))
    np.testing.assert_array_equal(pandas, polars)
    assert pandas[0] == pd.Timestamp("2023-12-31 23:00").value and np.isnan(pandas[1])
