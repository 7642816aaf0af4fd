"""The dataframe boundary: every container in, the same container out."""

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from mlprep.core import as_float_array, from_frame, is_missing, kind_of, to_frame
from mlprep.exceptions import DataError


@pytest.mark.parametrize(
    ("native", "kind"),
    [
        (pd.DataFrame({"a": [1.0]}), "pandas"),
        (pl.DataFrame({"a": [1.0]}), "polars"),
        (pa.table({"a": [1.0]}), "pyarrow"),
        (np.array([[1.0]]), "numpy"),
        ([[1.0, 2.0]], "numpy"),
    ],
)
def test_round_trip_keeps_the_container(native, kind):
    frame, found = to_frame(native, owner="T", numeric=True)
    assert found == kind
    assert kind_of(native) == kind
    back = from_frame(frame, found)
    assert type(back) is (np.ndarray if kind == "numpy" else type(native))


def test_arrays_get_positional_names():
    frame, _ = to_frame(np.zeros((2, 3)), owner="T", numeric=True)
    assert frame.columns == ["x0", "x1", "x2"]


def test_object_array_of_numbers_becomes_float():
    frame, _ = to_frame(
        np.array([[1, None], [2, 3]], dtype=object), owner="T", numeric=False
    )
    assert frame.schema["x0"] == nw.Float64


def test_object_array_of_strings_is_kept():
    frame, _ = to_frame(
        np.array([["a"], ["b"]], dtype=object), owner="T", numeric=False
    )
    assert frame["x0"].to_list() == ["a", "b"]


def test_sparse_input_is_refused_with_a_type_error():
    scipy_sparse = pytest.importorskip("scipy.sparse")
    with pytest.raises(TypeError, match="dense data is required"):
        to_frame(scipy_sparse.csr_matrix(np.eye(2)), owner="T", numeric=True)


def test_empty_frame_is_refused():
    with pytest.raises(DataError, match="0 sample"):
        to_frame(pd.DataFrame({"a": []}), owner="T", numeric=True)


def test_non_string_column_names_are_refused_with_the_fix():
    with pytest.raises(DataError, match=r"astype\(str\)"):
        to_frame(pd.DataFrame({0: [1.0]}), owner="T", numeric=True)


def test_set_output_choices_override_the_input_kind():
    frame, _ = to_frame(np.ones((2, 1)), owner="T", numeric=True)
    assert isinstance(from_frame(frame, "numpy", "pandas"), pd.DataFrame)
    assert isinstance(from_frame(frame, "numpy", "polars"), pl.DataFrame)


def test_numpy_output_turns_indicator_booleans_into_floats():
    frame = nw.from_native(
        pd.DataFrame({"a": [1.5, 2.0], "m": [True, False]}), eager_only=True
    )
    out = from_frame(frame, "numpy")
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, [[1.5, 1.0], [2.0, 0.0]])


@pytest.mark.parametrize(
    "native",
    [
        pd.DataFrame({"a": [1.0, np.nan, None]}),
        pd.DataFrame({"a": pd.array([1.0, None, None], dtype="Float64")}),
        pl.DataFrame({"a": [1.0, float("nan"), None]}),
        pa.table({"a": [1.0, float("nan"), None]}),
    ],
)
def test_nan_none_and_na_are_all_missing(native):
    frame = nw.from_native(native, eager_only=True)
    np.testing.assert_array_equal(is_missing(frame["a"]), [False, True, True])
    values = as_float_array(frame["a"], owner="T")
    assert values.dtype == np.float64
    assert np.isnan(values[1:]).all()


def test_as_float_array_refuses_strings_naming_the_column():
    frame = nw.from_native(pd.DataFrame({"city": ["Paris"]}), eager_only=True)
    with pytest.raises(DataError, match="column 'city' has dtype String"):
        as_float_array(frame["city"], owner="StandardScaler")


def test_object_arrays_of_numbers_become_floats_but_numeric_strings_stay_text() -> None:
    numbers, _ = to_frame(
        np.array([[1, None], [2.5, 3]], dtype=object), owner="T", numeric=False
    )
    assert numbers.schema["x0"] == nw.Float64
    words, _ = to_frame(
        np.array([["1"], ["22"]], dtype=object), owner="T", numeric=False
    )
    assert words.schema["x0"] != nw.Float64
    assert words["x0"].to_list() == ["1", "22"]


# ------------------------------------------------ the numpy fast path (issue 16)
def test_numpy_columns_reads_numpy_backed_pandas_columns_only() -> None:
    from mlprep.core import numpy_columns

    frame = nw.from_native(
        pd.DataFrame(
            {
                "f": [1.5, np.nan],
                "i": [1, 2],
                "h": np.array([1, 2], dtype=np.float32),
                "nullable": pd.array([1.0, None], dtype="Float64"),
                "b": [True, False],
            }
        )
    )
    arrays = numpy_columns(frame, ["f", "i", "h"])
    assert arrays is not None
    assert {k: v.dtype for k, v in arrays.items()} == {
        "f": np.float64,
        "i": np.float64,
        "h": np.float64,
    }
    np.testing.assert_array_equal(arrays["i"], [1.0, 2.0])
    assert numpy_columns(frame, ["f", "nullable"]) is None
    assert numpy_columns(frame, ["b"]) is None
    assert numpy_columns(nw.from_native(pl.DataFrame({"f": [1.0]})), ["f"]) is None


def test_with_numpy_columns_replaces_appends_and_keeps_the_rest() -> None:
    from mlprep.core import with_numpy_columns

    native = pd.DataFrame(
        {"a": [1.0, 2.0], "s": pd.Categorical(["x", "y"]), "b": [3, 4]},
        index=pd.Index([7, 7], name="id"),
    )
    native.columns.name = "cols"
    before = native.copy()
    out = nw.to_native(
        with_numpy_columns(
            nw.from_native(native),
            {"b": np.array([0.5, 0.25]), "new": np.array([True, False])},
        )
    )
    pd.testing.assert_frame_equal(native, before)
    assert out.columns.tolist() == ["a", "s", "b", "new"]
    assert out.columns.name == "cols"
    assert out.index.equals(native.index) and out.index.name == "id"
    assert isinstance(out["s"].dtype, pd.CategoricalDtype)
    assert out["b"].tolist() == [0.5, 0.25]
    assert out["new"].dtype == bool


def test_refuse_infinite_values_names_the_first_column_with_inf() -> None:
    from mlprep.core import refuse_infinite_values

    refuse_infinite_values({"a": np.array([np.nan, 1.0])}, owner="Demo")
    with pytest.raises(DataError, match=r"'c' holds 2 infinite values"):
        refuse_infinite_values(
            {"a": np.array([1.0]), "c": np.array([np.inf, -np.inf])}, owner="Demo"
        )
