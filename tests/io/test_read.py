"""mlprep.io.read: files, folders, globs, CSV/TSV/gzip/Parquet, engines and errors."""

from __future__ import annotations

import gzip
import importlib.util

import numpy as np
import pandas as pd
import polars as pl
import pytest
from polars.testing import assert_frame_equal as assert_polars_equal
from sklearn.datasets import load_diabetes, load_wine

from mlprep.exceptions import DataError, InvalidParameterError, MissingDependencyError
from mlprep.io import read

# pandas < 3 reads floats exactly only with float_precision="round_trip";
# pandas 3 does by default and deprecates the argument.
EXACT_FLOATS = (
    {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}
)


def _shards(folder):
    """Three parquet shards, out of order on disk, plus what a read must skip."""
    parts = {
        "part-2.parquet": pd.DataFrame({"x": [5.0], "k": ["c"]}),
        "part-0.parquet": pd.DataFrame({"x": [1.0, 2.0], "k": ["a", "b"]}),
        "nested/part-1.parquet": pd.DataFrame({"x": [3.0, 4.0], "k": ["a", "a"]}),
        # Spark's and Hadoop's leftovers: never data.
        "_temporary/part-9.parquet": pd.DataFrame({"z": [0]}),
        ".staging/part-8.parquet": pd.DataFrame({"z": [0]}),
    }
    for name, frame in parts.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        frame.to_parquet(folder / name, index=False)
    (folder / "_SUCCESS").write_text("")
    (folder / ".part-0.parquet.crc").write_text("crc")


EXPECTED = pd.DataFrame(
    {"x": [3.0, 4.0, 1.0, 2.0, 5.0], "k": ["a", "a", "a", "b", "c"]}
)


def test_a_folder_of_shards_is_read_in_sorted_path_order(tmp_path):
    _shards(tmp_path)
    # sorted paths: nested/part-1, part-0, part-2
    frame = read(tmp_path, engine="pandas")
    pd.testing.assert_frame_equal(frame, EXPECTED, check_dtype=False)
    assert isinstance(frame.index, pd.RangeIndex)
    polars_frame = read(tmp_path, engine="polars")
    assert isinstance(polars_frame, pl.DataFrame)
    assert polars_frame.to_dict(as_series=False) == EXPECTED.to_dict(orient="list")


def test_a_glob_reads_what_it_matches(tmp_path):
    _shards(tmp_path)
    top = read(str(tmp_path / "part-*.parquet"), engine="pandas")
    assert top["x"].tolist() == [1.0, 2.0, 5.0]
    # Like the shell's, a glob's ** skips hidden folders but not _-prefixed ones.
    with pytest.raises(DataError, match=r"_temporary/part-9\.parquet' has \['z'\]"):
        read(str(tmp_path / "**" / "part-*.parquet"))
    everywhere = read(str(tmp_path / "**" / "part-[0-2].parquet"), engine="pandas")
    assert everywhere["x"].tolist() == [3.0, 4.0, 1.0, 2.0, 5.0]


def test_csv_gzip_and_tsv_shards(tmp_path):
    frame = pd.DataFrame({"x": [1, 2, 3], "s": ["a,b", 'say "hi"', "two\nlines"]})
    frame.iloc[:1].to_csv(tmp_path / "a.csv", index=False)
    with gzip.open(tmp_path / "b.csv.gz", "wt") as handle:
        handle.write(frame.iloc[1:].to_csv(index=False))
    both = read(tmp_path, engine="pandas")
    pd.testing.assert_frame_equal(both, frame, check_dtype=False)
    frame.to_csv(tmp_path / "c.tsv", sep="\t", index=False)
    pd.testing.assert_frame_equal(
        read(tmp_path / "c.tsv", engine="pandas"), frame, check_dtype=False
    )


def test_file_urls_are_local_paths(tmp_path):
    pd.DataFrame({"x": [1]}).to_parquet(tmp_path / "a.parquet")
    assert read(f"file://{tmp_path}", engine="pandas")["x"].tolist() == [1]


def test_integer_and_float_shards_become_float(tmp_path):
    pd.DataFrame({"x": [1, 2]}).to_csv(tmp_path / "a.csv", index=False)
    pd.DataFrame({"x": [2.5]}).to_csv(tmp_path / "b.csv", index=False)
    frame = read(tmp_path, engine="polars")
    assert frame.schema["x"] == pl.Float64
    assert frame["x"].to_list() == [1.0, 2.0, 2.5]


def test_the_default_engine_is_polars_when_installed(tmp_path, monkeypatch):
    pd.DataFrame({"x": [1]}).to_parquet(tmp_path / "a.parquet")
    assert isinstance(read(tmp_path), pl.DataFrame)
    real = importlib.util.find_spec

    def without_polars(name, *args, **kwargs):
        return None if name == "polars" else real(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", without_polars)
    assert isinstance(read(tmp_path), pd.DataFrame)


def test_asking_for_polars_without_it_names_the_extra(tmp_path, monkeypatch):
    import sys

    pd.DataFrame({"x": [1]}).to_parquet(tmp_path / "a.parquet")
    monkeypatch.setitem(sys.modules, "polars", None)
    with pytest.raises(MissingDependencyError, match=r"mlprep-kit\[polars\]"):
        read(tmp_path, engine="polars")
    with pytest.raises(MissingDependencyError, match=r"mlprep-kit\[polars\]"):
        read(tmp_path / "absent.csv", engine="polars")  # asked before reading


def test_columns_reads_only_those_in_that_order(tmp_path):
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"], "c": [0.5, 1.5]})
    frame.to_parquet(tmp_path / "f.parquet")
    frame.to_csv(tmp_path / "f.csv", index=False)
    for name in ("f.parquet", "f.csv"):
        out = read(tmp_path / name, engine="pandas", columns=["c", "a"])
        pd.testing.assert_frame_equal(out, frame[["c", "a"]])
        with pytest.raises(DataError, match=rf"\['zz'\] are not in .*{name}"):
            read(tmp_path / name, columns=["a", "zz"])


def test_a_missing_column_in_one_shard_names_that_shard(tmp_path):
    pd.DataFrame({"a": [1], "b": [2]}).to_parquet(tmp_path / "p0.parquet")
    pd.DataFrame({"a": [1]}).to_parquet(tmp_path / "p1.parquet")
    assert read(tmp_path, engine="pandas", columns=["a"])["a"].tolist() == [1, 1]
    with pytest.raises(DataError, match=r"\['b'\] are not in .*p1\.parquet"):
        read(tmp_path, columns=["b"])


def test_a_pandas_index_written_to_parquet_comes_back(tmp_path):
    frame = pd.DataFrame({"x": [1, 2]}, index=pd.Index(["p", "q"], name="id"))
    frame.to_parquet(tmp_path / "f.parquet")
    pd.testing.assert_frame_equal(read(tmp_path / "f.parquet", engine="pandas"), frame)


def test_shards_that_disagree_are_named(tmp_path):
    pd.DataFrame({"x": [1.0]}).to_parquet(tmp_path / "a.parquet")
    pd.DataFrame({"z": [1.0]}).to_parquet(tmp_path / "b.parquet")
    with pytest.raises(
        DataError, match=r"shard .*b\.parquet.* has the columns \['z'\]"
    ):
        read(tmp_path)
    (tmp_path / "b.parquet").unlink()
    pd.DataFrame({"x": ["text"]}).to_parquet(tmp_path / "c.parquet")
    with pytest.raises(DataError, match=r"shard .*c\.parquet.* cannot be reconciled"):
        read(tmp_path)


def test_nothing_there_is_named(tmp_path):
    with pytest.raises(DataError, match=r"No such file or folder: .*absent\.csv"):
        read(tmp_path / "absent.csv")
    with pytest.raises(DataError, match=r"pattern .*\*\.parquet.* matches no file"):
        read(str(tmp_path / "*.parquet"))
    (tmp_path / "_SUCCESS").write_text("")
    with pytest.raises(DataError, match=rf"folder {str(tmp_path)!r} holds no"):
        read(tmp_path)
    (tmp_path / "notes.txt").write_text("hello\n1\n")
    with pytest.raises(DataError, match="Cannot tell the format"):
        read(tmp_path / "notes.txt")
    assert read(
        tmp_path / "notes.txt", format="csv", engine="pandas"
    ).columns.tolist() == ["hello"]


def test_unreadable_files_are_named_with_the_row(tmp_path):
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n3,4\n5,6,7\n8,9\n")
    with pytest.raises(
        DataError, match=r"bad\.csv.*row 4 \(the header is row 1\) has 3 field\(s\)"
    ):
        read(tmp_path / "bad.csv")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(DataError, match=r"Cannot read .*empty\.csv.*Empty CSV"):
        read(tmp_path / "empty.csv")
    (tmp_path / "bad.parquet").write_text("not parquet")
    with pytest.raises(DataError, match=r"Cannot read .*bad\.parquet.* as parquet"):
        read(tmp_path / "bad.parquet")
    (tmp_path / "broken.csv.gz").write_bytes(b"\x1f\x8b not really gzip")
    with pytest.raises(DataError, match=r"Cannot read .*broken\.csv\.gz"):
        read(tmp_path / "broken.csv.gz")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"format": "json"}, "'format' parameter of read"),
        ({"engine": "numpy"}, "'engine' parameter of read"),
        ({"columns": "a"}, "wrap a single name in a list"),
        ({"columns": ["a", 1]}, "'columns' parameter of read"),
        ({"columns": 3}, "'columns' parameter of read"),
        ({"columns": ["a", "a"]}, "names a column twice"),
    ],
)
def test_bad_arguments_are_refused_before_reading(tmp_path, arguments, message):
    with pytest.raises(InvalidParameterError, match=message):
        read(tmp_path / "absent.csv", **arguments)


@pytest.mark.parametrize("loader", [load_diabetes, load_wine])
def test_real_data_reads_as_pandas_and_polars_read_it(tmp_path, loader):
    frame = loader(as_frame=True).frame
    half = len(frame) // 2
    frame.iloc[:half].to_csv(tmp_path / "part-0.csv", index=False)
    frame.iloc[half:].to_csv(tmp_path / "part-1.csv", index=False)
    frame.to_parquet(tmp_path / "all.parquet", index=False)
    expected = pd.concat(
        [pd.read_csv(tmp_path / f"part-{i}.csv", **EXACT_FLOATS) for i in (0, 1)],
        ignore_index=True,
    )
    pd.testing.assert_frame_equal(
        read(str(tmp_path / "*.csv"), engine="pandas"), expected
    )
    assert_polars_equal(
        read(str(tmp_path / "*.csv"), engine="polars"),
        pl.read_csv(str(tmp_path / "part-*.csv")),
    )
    pd.testing.assert_frame_equal(
        read(tmp_path / "all.parquet", engine="pandas"),
        pd.read_parquet(tmp_path / "all.parquet"),
    )
    np.testing.assert_array_equal(expected.to_numpy(), frame.to_numpy())
