"""mlprep.io.scan: files, folders, globs, CSV and Parquet, and the shard checks."""

from __future__ import annotations

import gzip

import pandas as pd
import pytest

from mlprep.exceptions import DataError
from mlprep.impute import Imputer
from mlprep.io import scan
from mlprep.scale import StandardScaler


def _write_csv(path, frame, *, compress=False):
    text = frame.to_csv(index=False)
    if compress:
        with gzip.open(path, "wt") as handle:
            handle.write(text)
    else:
        path.write_text(text)


def test_folder_glob_and_file_give_the_same_fit(tmp_path):
    a = pd.DataFrame({"x": [1.0, 2.0], "k": ["a", "b"]})
    b = pd.DataFrame({"x": [3.0, 4.0], "k": ["a", "a"]})
    (tmp_path / "nested").mkdir()
    a.to_parquet(tmp_path / "part-0.parquet", index=False)
    b.to_parquet(tmp_path / "nested" / "part-1.parquet", index=False)
    (tmp_path / "_SUCCESS").write_text("")
    folder = StandardScaler().fit(scan(tmp_path))
    glob = StandardScaler().fit(scan(str(tmp_path / "**" / "*.parquet")))
    single = StandardScaler().fit(scan(tmp_path / "part-0.parquet"))
    assert folder.mean_ == glob.mean_ == {"x": 2.5}
    assert single.mean_ == {"x": 1.5}
    assert Imputer(strategy="most_frequent", columns=["k"]).fit(
        scan(tmp_path)
    ).statistics_ == {"k": "a"}


def test_csv_and_gzip_shards_unify_integer_and_float(tmp_path):
    _write_csv(tmp_path / "a.csv", pd.DataFrame({"x": [1, 2]}))
    _write_csv(tmp_path / "b.csv.gz", pd.DataFrame({"x": [2.5, 4.5]}), compress=True)
    dataset = scan(tmp_path)
    assert str(dataset.schema.field("x").type) == "double"
    assert StandardScaler().fit(dataset).mean_ == {"x": 2.5}


def test_shards_with_other_columns_are_named(tmp_path):
    pd.DataFrame({"x": [1.0]}).to_parquet(tmp_path / "a.parquet", index=False)
    pd.DataFrame({"z": [1.0]}).to_parquet(tmp_path / "b.parquet", index=False)
    with pytest.raises(DataError, match=r"b\.parquet.*columns \['z'\]"):
        scan(tmp_path)


def test_what_cannot_be_scanned_is_explained(tmp_path):
    with pytest.raises(DataError, match="No such file or folder"):
        scan(tmp_path / "absent.parquet")
    with pytest.raises(DataError, match="matches no file"):
        scan(str(tmp_path / "*.parquet"))
    with pytest.raises(DataError, match=r"holds no \.parquet"):
        scan(tmp_path)
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(DataError, match="Cannot tell the format"):
        scan(tmp_path / "notes.txt")
    (tmp_path / "bad.parquet").write_text("not parquet")
    with pytest.raises(DataError, match="Cannot read the shard"):
        scan(tmp_path / "bad.parquet")


def test_an_empty_csv_field_is_missing_as_read_says(tmp_path):
    from mlprep.io import read

    (tmp_path / "a.csv").write_text('city,x\nOslo,1\n,2\n"",3\n')
    table = scan(tmp_path / "a.csv").to_table()
    assert table.column("city").to_pylist() == ["Oslo", None, ""]
    assert read(tmp_path / "a.csv", engine="pandas")["city"].isna().tolist() == [
        False,
        True,
        False,
    ]
