"""``scan``: a lazy pyarrow dataset over one file, a folder of shards or a glob."""

from __future__ import annotations

import os
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds

from mlprep.exceptions import DataError
from mlprep.io._paths import (
    check_read_format,
    delimiter_of,
    find_shards,
    shards_format,
    unified_schema,
)

__all__ = ["scan"]


def scan(path: str | os.PathLike[str], *, format: str | None = None) -> Any:
    """A lazy view of CSV or Parquet data: one file, a folder of shards, or a glob.

    Nothing is read but the schema: every ``fit`` streams the rows in
    batches, so the data may be larger than memory. Every shard must have the
    same columns; numeric types are unified across shards (an integer column
    that is float in another shard becomes float).

    Parameters
    ----------
    path : str or path-like
        A file (``.parquet``, ``.pq``, ``.csv``, ``.csv.gz``, ``.tsv``,
        ``.tsv.gz``), a
        folder (searched recursively; hidden and ``_``-prefixed files and
        folders such as ``_SUCCESS`` are skipped), a glob
        (``data/part-*.parquet``), or any of these as an fsspec URL
        (``s3://bucket/prefix/``, needs ``pip install "mlprep-kit[s3]"``).
    format : {"parquet", "csv"} or None, default=None
        None infers it from the file names.

    Returns
    -------
    pyarrow.dataset.Dataset
        Accepted by ``fit``, ``partial_fit`` and ``fit_transform`` of every
        mergeable mlprep estimator.

    Raises
    ------
    DataError
        No file matches, the format cannot be told, or a shard's columns or
        types differ from the first shard's (the message names the shard).
    InvalidParameterError
        ``format`` is not one of the above.
    MissingDependencyError
        A URL is given and fsspec (or s3fs for ``s3://``) is not installed.

    Examples
    --------
    >>> import os, tempfile
    >>> import pandas as pd
    >>> from mlprep.io import scan
    >>> from mlprep.scale import StandardScaler
    >>> folder = tempfile.mkdtemp()
    >>> for i in range(3):
    ...     pd.DataFrame({"x": [i, i + 1.0]}).to_parquet(os.path.join(folder, f"part-{i}.parquet"))
    >>> StandardScaler().fit(scan(folder)).mean_
    {'x': 1.5}
    """
    check_read_format(format, "scan")
    shards = find_shards(path)
    chosen = shards_format(shards, format)
    file_format: Any = chosen
    if chosen == "csv":
        import pyarrow.csv as pacsv

        # as read() parses CSV: an empty field is missing, a quoted one ("") an
        # empty string; tab-separated shards by their suffix
        tabs = any(delimiter_of(n) == "\t" for n in shards.names)
        file_format = ds.CsvFileFormat(
            parse_options=pacsv.ParseOptions(delimiter="\t" if tabs else ","),
            convert_options=pacsv.ConvertOptions(
                strings_can_be_null=True, quoted_strings_can_be_null=False
            ),
        )
    filesystem = None
    if shards.filesystem is not None:
        from pyarrow.fs import FSSpecHandler, PyFileSystem

        filesystem = PyFileSystem(FSSpecHandler(shards.filesystem))
    schemas = []
    for file, name in zip(shards.paths, shards.names):
        try:
            schemas.append(
                ds.dataset(file, format=file_format, filesystem=filesystem).schema
            )
        except (pa.ArrowInvalid, OSError) as exc:
            raise DataError(f"Cannot read the shard {name!r}: {exc}") from exc
    unified = unified_schema(shards.names, schemas)
    return ds.dataset(
        shards.paths, format=file_format, schema=unified, filesystem=filesystem
    )
