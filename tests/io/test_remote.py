"""Remote URLs through fsspec: the missing-package message, and a real round trip
on fsspec's in-memory filesystem (no network)."""

from __future__ import annotations

import subprocess
import sys
import uuid

import pandas as pd
import pytest

from mlprep.exceptions import DataError, InvalidParameterError, MissingDependencyError
from mlprep.io import read, scan, write
from mlprep.scale import StandardScaler

FRAME = pd.DataFrame({"x": [1.0, 2.0, 3.0], "k": ["a", "b", "c"]})


def test_importing_mlprep_io_imports_no_fsspec():
    code = (
        "import sys, mlprep.io; print('fsspec' in sys.modules, 's3fs' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False"]


@pytest.mark.parametrize(
    "call",
    [
        lambda: read("s3://bucket/data/"),
        lambda: scan("s3://bucket/data/"),
        lambda: write(FRAME, "s3://bucket/out.parquet"),
    ],
    ids=["read", "scan", "write"],
)
def test_urls_without_fsspec_name_the_extra(monkeypatch, call):
    monkeypatch.setitem(sys.modules, "fsspec", None)  # as if not installed
    with pytest.raises(MissingDependencyError, match=r'pip install "mlprep-kit\[s3\]"'):
        call()


def test_s3_urls_without_s3fs_name_the_extra(monkeypatch):
    pytest.importorskip("fsspec")
    monkeypatch.setitem(sys.modules, "s3fs", None)
    with pytest.raises(MissingDependencyError, match=r"s3fs.*mlprep-kit\[s3\]"):
        read("s3://bucket/data/")


@pytest.fixture
def memory():
    """A fresh folder on fsspec's in-memory filesystem, removed afterwards."""
    fsspec = pytest.importorskip("fsspec")
    filesystem = fsspec.filesystem("memory")
    root = f"/mlprep-{uuid.uuid4().hex}"
    yield f"memory://{root}"
    if filesystem.exists(root):
        filesystem.rm(root, recursive=True)


def test_write_then_read_a_folder_of_remote_shards(memory):
    write(FRAME.iloc[:2], f"{memory}/data/part-0.parquet")
    write(FRAME.iloc[2:], f"{memory}/data/nested/part-1.parquet")
    write(FRAME, f"{memory}/data/_temporary/part-9.parquet")  # skipped, as on disk
    back = read(f"{memory}/data", engine="pandas")
    pd.testing.assert_frame_equal(back, FRAME.iloc[[2, 0, 1]].reset_index(drop=True))
    globbed = read(f"{memory}/data/part-*.parquet", engine="pandas", columns=["k"])
    assert globbed["k"].tolist() == ["a", "b"]


def test_remote_gzip_csv_and_sagemaker_csv(memory):
    import fsspec

    write(FRAME, f"{memory}/t.csv.gz")
    back = read(f"{memory}/t.csv.gz", engine="pandas")
    pd.testing.assert_frame_equal(back, FRAME, check_dtype=False)  # CSV: 1.0 is "1"
    write(FRAME[["x"]], f"{memory}/sm/train.csv", format="sagemaker-csv", target="x")
    with fsspec.open(f"{memory}/sm/train.csv", "rt") as handle:
        assert handle.read() == "1\n2\n3\n"


def test_scan_fits_on_remote_shards(memory):
    write(FRAME.iloc[:1], f"{memory}/d/a.parquet")
    write(FRAME.iloc[1:], f"{memory}/d/b.parquet")
    assert StandardScaler(columns=["x"]).fit(scan(f"{memory}/d")).mean_ == {"x": 2.0}


def test_remote_errors_name_the_url(memory):
    write(FRAME, f"{memory}/empty/notes.txt", format="csv")
    with pytest.raises(DataError, match=rf"folder '{memory}/empty' holds no"):
        read(f"{memory}/empty")
    with pytest.raises(DataError, match=rf"No such file or folder: '{memory}/absent'"):
        read(f"{memory}/absent")
    with pytest.raises(DataError, match=r"pattern .*\*\.csv.* matches no file"):
        read(f"{memory}/*.csv")
    with pytest.raises(InvalidParameterError, match="nope://"):
        read("nope://bucket/x.csv")
