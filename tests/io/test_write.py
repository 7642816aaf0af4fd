"""mlprep.io.write: formats, round trips, atomic replacement and sagemaker-csv."""

from __future__ import annotations

import datetime
import decimal
import gzip
import os

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st
from polars.testing import assert_frame_equal as assert_polars_equal
from sklearn.datasets import load_breast_cancer, load_iris

import mlprep.io._write as write_module
from mlprep.exceptions import DataError, InvalidParameterError
from mlprep.io import read, write

# pandas < 3 reads floats exactly only with float_precision="round_trip";
# pandas 3 does by default and deprecates the argument.
EXACT_FLOATS = (
    {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}
)


def _listing(folder):
    return sorted(
        (
            os.path.relpath(os.path.join(root, name), folder),
            os.path.getsize(os.path.join(root, name)),
        )
        for root, dirs, names in os.walk(folder)
        for name in names + dirs
    )


def _typed_pandas():
    return pd.DataFrame(
        {
            "f": [0.1, np.nan, 1e300],
            "i": pd.array([1, None, 3], dtype="Int64"),
            "n": [1, 2, 3],
            "b": [True, False, True],
            "c": pd.Categorical(["a", "b", "a"]),
            "s": ["x", None, "z"],
            "t": pd.to_datetime(["2024-01-01", "2024-02-29", "2025-12-31"]),
        }
    )


@pytest.mark.parametrize("suffix", [".parquet", ".pq"])
def test_parquet_round_trips_keep_pandas_dtypes(tmp_path, suffix):
    frame = _typed_pandas()
    write(frame, tmp_path / f"data{suffix}")
    back = read(tmp_path / f"data{suffix}", engine="pandas")
    pd.testing.assert_frame_equal(back, frame)
    assert back["c"].dtype == "category" and back["i"].dtype == "Int64"


def test_parquet_round_trips_keep_polars_dtypes_nan_and_null(tmp_path):
    frame = pl.DataFrame(
        {
            "f": [0.1, float("nan"), None],
            "u": pl.Series([1, 2, 3], dtype=pl.UInt8),
            "c": pl.Series(["a", "b", "a"], dtype=pl.Categorical),
            "d": pl.Series(["2024-01-01", "2024-01-02", None]).str.to_date(),
            "l": [[1, 2], [], None],
        }
    )
    write(frame, tmp_path / "data.parquet")
    assert_polars_equal(read(tmp_path / "data.parquet", engine="polars"), frame)


def test_target_comes_first_in_every_format(tmp_path):
    frame = pl.DataFrame({"x": [0.5], "s": ["a"], "y": [1]})
    write(frame, tmp_path / "t.parquet", target="y")
    assert read(tmp_path / "t.parquet").columns == ["y", "x", "s"]
    write(frame, tmp_path / "t.csv", target="s")
    assert (tmp_path / "t.csv").read_text() == '"s","x","y"\n"a",0.5,1\n'
    assert frame.columns == ["x", "s", "y"]


def test_a_pyarrow_table_is_written_as_is(tmp_path):
    table = pa.table({"a": pa.array([1, 2], pa.int16()), "b": ["x", "y"]})
    write(table, tmp_path / "t.parquet")
    assert pa.parquet.read_table(tmp_path / "t.parquet").equals(table)


@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_csv_round_trips_text_numbers_and_missing_values(tmp_path, backend):
    pandas_frame = pd.DataFrame(
        {
            "x": [0.1 + 0.2, np.nan, 1 / 3, -5e-324],
            "n": [1, 2, 3, 2**62],
            "s": ["a,b", 'say "hi"', "two\nlines", None],
        }
    )
    frame = pandas_frame if backend == "pandas" else pl.from_pandas(pandas_frame)
    for name in ("out.csv", "out.csv.gz", "out.tsv"):
        write(frame, tmp_path / name)
        back = read(tmp_path / name, engine="pandas")
        pd.testing.assert_frame_equal(back, pandas_frame, check_dtype=False)
        # what any other reader sees too
        other = pd.read_csv(
            tmp_path / name,
            sep="\t" if name.endswith("tsv") else ",",
            **EXACT_FLOATS,
        )
        assert other["x"].tolist()[::2] == [0.1 + 0.2, 1 / 3]
    assert (tmp_path / "out.csv.gz").read_bytes()[:2] == b"\x1f\x8b"
    assert (tmp_path / "out.tsv").read_text().splitlines()[0] == '"x"\t"n"\t"s"'
    with gzip.open(tmp_path / "out.csv.gz", "rt") as handle:
        assert handle.read() == (tmp_path / "out.csv").read_text()


def test_gzip_output_is_the_same_bytes_every_time(tmp_path):
    frame = pd.DataFrame({"x": range(100)})
    write(frame, tmp_path / "a.csv.gz")
    write(frame, tmp_path / "b.csv.gz")
    assert (tmp_path / "a.csv.gz").read_bytes() == (tmp_path / "b.csv.gz").read_bytes()


def test_parent_folders_are_created_and_the_file_mode_is_the_usual_one(tmp_path):
    write(pd.DataFrame({"x": [1]}), tmp_path / "a" / "b" / "out.csv")
    assert (tmp_path / "a" / "b" / "out.csv").read_text() == '"x"\n1\n'
    plain = tmp_path / "plain"
    plain.write_text("")
    assert os.stat(tmp_path / "a" / "b" / "out.csv").st_mode == os.stat(plain).st_mode


def test_the_callers_frame_is_not_modified(tmp_path):
    frame = _typed_pandas()
    frame.index = [10, 11, 12]
    before = frame.copy(deep=True)
    write(frame, tmp_path / "x.parquet")
    write(
        frame[["f", "n", "b"]], tmp_path / "x.csv", format="sagemaker-csv", target="n"
    )
    pd.testing.assert_frame_equal(frame, before)


def test_a_refused_column_type_leaves_the_folder_unchanged(tmp_path):
    (tmp_path / "keep.csv").write_text("old contents\n")
    before = _listing(tmp_path)
    lists = pl.DataFrame({"x": [1, 2], "l": [[1], [2, 3]]})
    with pytest.raises(DataError, match=r"CSV cannot hold the column\(s\) \['l'\]"):
        write(lists, tmp_path / "keep.csv")
    mixed = pd.DataFrame({"m": [1, "two"]})
    with pytest.raises(DataError, match="column m"):
        write(mixed, tmp_path / "new" / "keep.parquet")
    assert _listing(tmp_path) == before
    assert (tmp_path / "keep.csv").read_text() == "old contents\n"


@pytest.mark.parametrize("name", ["keep.parquet", "new/deeper/out.csv.gz"])
def test_a_write_failing_midway_leaves_the_folder_unchanged(
    tmp_path, monkeypatch, name
):
    (tmp_path / "keep.parquet").write_bytes(b"old contents")
    before = _listing(tmp_path)
    real = write_module._serialize
    seen = []

    def fail_midway(table, format, path, sink):
        real(table, format, path, sink)  # the whole file is in the temporary...
        seen.append(sorted(os.listdir(os.path.dirname(sink.name))))
        raise OSError(28, "No space left on device")  # ...and the disk fills up

    monkeypatch.setattr(write_module, "_serialize", fail_midway)
    frame = pd.DataFrame({"x": np.arange(10_000.0)})
    with pytest.raises(DataError, match=r"Cannot write .*No space left on device"):
        write(frame, tmp_path / name)
    assert any(entry.endswith(".tmp") for entry in seen[0])  # it was really written
    assert _listing(tmp_path) == before
    assert (tmp_path / "keep.parquet").read_bytes() == b"old contents"


def test_a_folder_in_the_way_is_a_data_error(tmp_path):
    (tmp_path / "out.csv").mkdir()
    with pytest.raises(DataError, match=r"Cannot write .*out\.csv"):
        write(pd.DataFrame({"x": [1]}), tmp_path / "out.csv")
    assert os.listdir(tmp_path) == ["out.csv"]


@pytest.mark.parametrize(
    ("frame", "path", "arguments", "error", "message"),
    [
        ([[1]], "x.csv", {}, InvalidParameterError, "Got builtins.list"),
        (pl.LazyFrame({"x": [1]}), "x.csv", {}, InvalidParameterError, "collect"),
        (pd.DataFrame({"x": [1]}), "x.txt", {}, InvalidParameterError, "suffix"),
        (
            pd.DataFrame({"x": [1]}),
            "x.csv",
            {"format": "json"},
            InvalidParameterError,
            "'format'",
        ),
        (
            pd.DataFrame({"x": [1]}),
            "x.parquet",
            {"target": "y"},
            DataError,
            "target column 'y' is not in the frame",
        ),
        (
            pd.DataFrame({"x": [1]}),
            "x.parquet.gz",
            {"format": "parquet"},
            InvalidParameterError,
            "gzip",
        ),
        (
            pd.DataFrame([[1, 2]], columns=["a", "a"]),
            "x.csv",
            {},
            DataError,
            r"\['a'\] more than once",
        ),
    ],
)
def test_bad_arguments_write_nothing(tmp_path, frame, path, arguments, error, message):
    with pytest.raises(error, match=message):
        write(frame, tmp_path / path, **arguments)
    assert os.listdir(tmp_path) == []


# --- sagemaker-csv ---------------------------------------------------------


def test_sagemaker_csv_puts_the_target_first_without_header_or_index(tmp_path):
    frame = pd.DataFrame(
        {
            "x": [0.1 + 0.2, np.nan, 2.0],
            "flag": [True, False, True],
            "label": [1, 0, 1],
            "count": pd.array([3, None, 5], dtype="Int64"),
        },
        index=["r1", "r2", "r3"],
    )
    write(frame, tmp_path / "train.csv", format="sagemaker-csv", target="label")
    assert (tmp_path / "train.csv").read_text() == (
        "1,0.30000000000000004,1,3\n0,,0,\n1,2,1,5\n"
    )
    write(frame, tmp_path / "features.tsv.gz", format="sagemaker-csv")
    with gzip.open(tmp_path / "features.tsv.gz", "rt") as handle:  # commas still
        assert handle.read().splitlines()[0] == "0.30000000000000004,1,1,3"


def test_sagemaker_csv_takes_decimals_and_all_missing_columns(tmp_path):
    table = pa.table(
        {
            "d": pa.array([decimal.Decimal("1.25"), None], pa.decimal128(5, 2)),
            "none": pa.nulls(2),
            "y": pa.array([0, 1], pa.uint8()),
        }
    )
    write(table, tmp_path / "t.csv", format="sagemaker-csv", target="y")
    assert (tmp_path / "t.csv").read_text() == "0,1.25,\n1,,\n"


def test_sagemaker_csv_refuses_text_and_names_the_columns(tmp_path):
    frame = pl.DataFrame(
        {"y": [1], "city": ["Oslo"], "x": [0.5], "day": [datetime.date(2024, 1, 1)]}
    )
    with pytest.raises(DataError, match=r"\['city', 'day'\] are not numeric.*Encode"):
        write(frame, tmp_path / "t.csv", format="sagemaker-csv", target="y")
    with pytest.raises(DataError, match=r"target column 'label' is not in the frame"):
        write(frame, tmp_path / "t.csv", format="sagemaker-csv", target="label")
    assert os.listdir(tmp_path) == []


@st.composite
def numeric_frames(draw):
    """Float (with NaN, ±inf, subnormals), int64 and boolean columns."""
    rows = draw(st.integers(1, 12))
    kinds = draw(
        st.lists(st.sampled_from(["float", "int", "bool"]), min_size=1, max_size=5)
    )
    values = {
        "float": st.floats(width=64),
        "int": st.integers(-(2**63), 2**63 - 1),
        "bool": st.booleans(),
    }
    return pd.DataFrame(
        {
            f"c{i}": draw(st.lists(values[kind], min_size=rows, max_size=rows))
            for i, kind in enumerate(kinds)
        }
    )


@given(pandas_frame=numeric_frames(), data=st.data())
def test_sagemaker_csv_reads_back_as_the_same_numbers(
    tmp_path_factory, pandas_frame, data
):
    folder = tmp_path_factory.mktemp("sagemaker")
    names = list(pandas_frame.columns)
    backend = data.draw(st.sampled_from(["pandas", "polars"]))
    frame = pandas_frame if backend == "pandas" else pl.from_pandas(pandas_frame)
    target = data.draw(st.sampled_from([None, *names]))
    if len(names) == 1 and pandas_frame.iloc[:, 0].isna().any():
        # a missing value alone on its row would be an empty line, which readers skip
        with pytest.raises(DataError, match="empty lines"):
            write(frame, folder / "t.csv", format="sagemaker-csv", target=target)
        return
    write(frame, folder / "t.csv", format="sagemaker-csv", target=target)

    order = names if target is None else [target] + [n for n in names if n != target]
    expected = pandas_frame[order].astype(float).to_numpy()
    loaded = np.loadtxt(
        folder / "t.csv",
        delimiter=",",
        ndmin=2,
        converters=lambda field: float(field or "nan"),
    )
    np.testing.assert_array_equal(loaded, expected)  # NaN == NaN here; bits exact
    by_pandas = pd.read_csv(folder / "t.csv", header=None, **EXACT_FLOATS)
    np.testing.assert_array_equal(by_pandas.to_numpy(dtype=float), expected)


@pytest.mark.parametrize("loader", [load_iris, load_breast_cancer])
def test_sagemaker_csv_of_real_data_equals_pandas_own_csv(tmp_path, loader):
    frame = loader(as_frame=True).frame
    write(frame, tmp_path / "ours.csv", format="sagemaker-csv", target="target")
    reordered = frame[["target", *frame.columns.drop("target")]]
    reordered.to_csv(tmp_path / "pandas.csv", header=False, index=False)
    ours = np.loadtxt(tmp_path / "ours.csv", delimiter=",")
    theirs = np.loadtxt(tmp_path / "pandas.csv", delimiter=",")
    np.testing.assert_array_equal(ours, theirs)
    np.testing.assert_array_equal(ours, reordered.to_numpy(dtype=float))
