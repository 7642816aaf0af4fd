"""``scan``: a lazy pyarrow dataset over one file, a folder of shards or a glob."""

from __future__ import annotations

import glob
import os
from typing import Any

import pyarrow as pa
import pyarrow.dataset as ds

from mlprep.exceptions import DataError

__all__ = ["scan"]

_FORMATS = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".csv": "csv",
    ".csv.gz": "csv",
    ".tsv": "csv",
}


def _format_of(path: str) -> str | None:
    lower = path.lower()
    for suffix in sorted(_FORMATS, key=len, reverse=True):
        if lower.endswith(suffix):
            return _FORMATS[suffix]
    return None


def _files(path: str) -> list[str]:
    if any(ch in path for ch in "*?["):
        found = sorted(p for p in glob.glob(path, recursive=True) if os.path.isfile(p))
        if not found:
            raise DataError(f"The pattern {path!r} matches no file.")
        return found
    if os.path.isdir(path):
        found = sorted(
            os.path.join(root, name)
            for root, _, names in os.walk(path)
            for name in names
            if _format_of(name) is not None and not name.startswith((".", "_"))
        )
        if not found:
            raise DataError(
                f"The folder {path!r} holds no .parquet, .csv or .csv.gz file."
            )
        return found
    if not os.path.exists(path):
        raise DataError(f"No such file or folder: {path!r}.")
    return [path]


def scan(path: str | os.PathLike[str], *, format: str | None = None) -> Any:
    """A lazy view of CSV or Parquet data: one file, a folder of shards, or a glob.

    Nothing is read but the schema: every ``fit`` streams the rows in
    batches, so the data may be larger than memory. Every shard must have the
    same columns; numeric types are unified across shards (an integer column
    that is float in another shard becomes float).

    Parameters
    ----------
    path : str or path-like
        A file (``.parquet``, ``.pq``, ``.csv``, ``.csv.gz``, ``.tsv``), a
        folder (searched recursively; hidden and ``_``-prefixed files such as
        ``_SUCCESS`` are skipped) or a glob (``data/part-*.parquet``).
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
    files = _files(os.fspath(path))
    formats = {format} if format is not None else {_format_of(f) for f in files}
    if None in formats or len(formats) != 1:
        raise DataError(
            f"Cannot tell the format of {files[:3]}; pass format='parquet' or "
            "format='csv'."
        )
    (chosen,) = formats
    if chosen not in ("parquet", "csv"):
        raise DataError(f"format must be 'parquet' or 'csv'; got {chosen!r}.")
    file_format: Any = chosen
    if chosen == "csv" and any(f.lower().endswith(".tsv") for f in files):
        import pyarrow.csv as pacsv

        file_format = ds.CsvFileFormat(parse_options=pacsv.ParseOptions(delimiter="\t"))
    schemas = []
    for file in files:
        try:
            schemas.append(ds.dataset(file, format=file_format).schema)
        except (pa.ArrowInvalid, OSError) as exc:
            raise DataError(f"Cannot read the shard {file!r}: {exc}") from exc
    first = schemas[0]
    for file, schema in zip(files[1:], schemas[1:]):
        if schema.names != first.names:
            raise DataError(
                f"The shard {file!r} has the columns {schema.names[:20]}, but "
                f"{files[0]!r} has {first.names[:20]}. Every shard must have the "
                "same columns in the same order."
            )
    try:
        unified = pa.unify_schemas(schemas, promote_options="permissive")
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise DataError(
            f"The shards' column types cannot be reconciled ({exc}). Cast the "
            "offending column to one type in every shard."
        ) from exc
    return ds.dataset(files, format=file_format, schema=unified)
