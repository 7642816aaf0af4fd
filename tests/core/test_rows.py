"""The row-level door: row counts, column values, temporal checks, take_rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from mlprep.core._rows import (
    as_column_list,
    column_is_temporal,
    column_values,
    is_column_spec,
    n_rows,
    plain_value,
    series_is_temporal,
    series_values,
    take_rows,
)
from mlprep.exceptions import DataError

MASK = np.array([True, False, True])


def test_take_rows_by_mask_keeps_type_order_and_pandas_index():
    frame = pd.DataFrame({"a": [1, 2, 3]}, index=[10, 20, 30])
    assert take_rows(frame, MASK).index.tolist() == [10, 30]
    assert take_rows(frame["a"], MASK).index.tolist() == [10, 30]
    assert take_rows(pl.DataFrame({"a": [1, 2, 3]}), MASK)["a"].to_list() == [1, 3]
    assert take_rows(pl.Series([1, 2, 3]), MASK).to_list() == [1, 3]
    assert take_rows(pa.table({"a": [1, 2, 3]}), MASK).column("a").to_pylist() == [
        1,
        3,
    ]
    assert take_rows(pa.chunked_array([[1, 2], [3]]), MASK).to_pylist() == [1, 3]
    assert take_rows(np.array([1, 2, 3]), MASK).tolist() == [1, 3]
    assert take_rows(np.eye(3), MASK).shape == (2, 3)
    assert take_rows([1, 2, 3], MASK) == [1, 3]
    assert take_rows((1, 2, 3), MASK) == (1, 3)


def test_take_rows_by_positions_follows_their_order():
    positions = np.array([2, 0])
    frame = pd.DataFrame({"a": [1, 2, 3]}, index=[10, 20, 30])
    assert take_rows(frame, positions).index.tolist() == [30, 10]
    assert take_rows(pl.DataFrame({"a": [1, 2, 3]}), positions)["a"].to_list() == [
        3,
        1,
    ]
    assert take_rows(pl.Series([1, 2, 3]), [2, 0]).to_list() == [3, 1]
    assert take_rows(np.array([1, 2, 3]), positions).tolist() == [3, 1]
    assert take_rows((1, 2, 3), positions) == (3, 1)
    assert take_rows(range(3), positions).tolist() == [2, 0]  # other: an array


def test_take_rows_passes_none_and_takes_empty_selections():
    assert take_rows(None, MASK) is None
    assert take_rows([1, 2, 3], []) == []
    assert take_rows(pd.Series([1, 2, 3]), np.zeros(3, dtype=bool)).empty
    with pytest.raises(TypeError, match="boolean mask or integer positions"):
        take_rows([1, 2, 3], [0.5])


def test_n_rows_of_every_container():
    assert n_rows([1, 2]) == 2 and n_rows(pa.table({"a": [1]})) == 1
    assert n_rows(pl.Series([1, 2, 3])) == 3 and n_rows(np.zeros((4, 2))) == 4
    with pytest.raises(DataError, match="scalar array"):
        n_rows(np.array(3))


def test_column_specs_and_errors():
    assert is_column_spec("a") and is_column_spec(0) and is_column_spec(["a", "b"])
    assert not is_column_spec([1, 2]) and not is_column_spec(np.array(["a"]))
    assert not is_column_spec(True) and not is_column_spec([])
    assert as_column_list("a") == ["a"] and as_column_list(("a", "b")) == ["a", "b"]
    with pytest.raises(DataError, match="a numpy array has no column names"):
        column_values(np.zeros((3, 2)), "a", param="key", owner="T")
    with pytest.raises(DataError, match="out of range for data with 2 columns"):
        column_values(np.zeros((3, 2)), 5, param="key", owner="T")
    with pytest.raises(DataError, match="1-D array without columns"):
        column_values(np.zeros(3), 0, param="key", owner="T")
    with pytest.raises(DataError, match=r"T: column 'c' given as key= is not in"):
        column_values(pd.DataFrame({"a": [1]}), "c", param="key", owner="T")


@pytest.mark.parametrize("backend", ["pandas", "polars", "pyarrow"])
def test_column_values_by_name_and_position_on_every_backend(backend):
    frame = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    data = {
        "pandas": frame,
        "polars": pl.from_pandas(frame),
        "pyarrow": pa.Table.from_pandas(frame, preserve_index=False),
    }[backend]
    a, b, last = column_values(data, ["a", "b"], param="p", owner="T") + column_values(
        data, -1, param="p", owner="T"
    )
    assert a.tolist() == [1, 2, 3] and b.tolist() == ["x", "y", "z"]
    assert last.tolist() == b.tolist()


def test_temporal_values_are_epoch_nanoseconds_on_every_backend():
    stamps = pd.to_datetime(["2024-01-01", None]).tz_localize("Europe/Paris")
    pandas = series_values(pd.Series(stamps))
    polars = series_values(pl.from_pandas(pd.Series(stamps)))
    np.testing.assert_array_equal(pandas, polars)
    assert pandas[0] == pd.Timestamp("2023-12-31 23:00").value and np.isnan(pandas[1])
    complete = np.array(["2024-01-01", "2024-01-02"], dtype="datetime64[D]")
    assert series_values(complete).dtype == np.int64
    assert series_values(pa.chunked_array([complete])).tolist() == (
        series_values(complete).tolist()
    )
    durations = np.array([1, 2], dtype="timedelta64[s]").astype("timedelta64[ms]")
    assert series_values(durations).tolist() == [10**9, 2 * 10**9]
    assert series_values(pl.Series(durations)).tolist() == [10**9, 2 * 10**9]


def test_temporal_checks_read_the_dtype():
    frame = pd.DataFrame({"d": pd.to_datetime(["2024-01-01"]), "x": [1]})
    assert column_is_temporal(frame, "d") and column_is_temporal(frame, 0)
    assert not column_is_temporal(frame, "x") and not column_is_temporal(frame, "no")
    assert column_is_temporal(pl.from_pandas(frame), "d")
    assert column_is_temporal(np.array([["2024-01-01"]], dtype="datetime64[D]"), 0)
    assert series_is_temporal(pl.Series([pd.Timestamp("2024-01-01").date()]))
    assert series_is_temporal(frame["d"]) and not series_is_temporal(frame["x"])
    assert series_is_temporal(np.array(["2024-01-01"], dtype="datetime64[D]"))
    assert not series_is_temporal([1, 2])


def test_plain_value_unwraps_numpy_scalars():
    assert type(plain_value(np.int64(3))) is int
    assert plain_value((np.float64(0.5), "a", (np.bool_(True),))) == (0.5, "a", (True,))
    assert plain_value("x") == "x"
