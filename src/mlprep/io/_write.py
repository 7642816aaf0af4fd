"""``write``: a frame to Parquet, CSV or SageMaker's header-less CSV, atomically."""

from __future__ import annotations

import contextlib
import gzip
import io
import os
import posixpath
import uuid
from typing import IO, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from mlprep.exceptions import DataError, InvalidParameterError
from mlprep.io._paths import delimiter_of, format_of, split_location

__all__ = ["write"]

_FORMATS = ("parquet", "csv", "sagemaker-csv")


def _format(path: str, format: str | None) -> str:
    if format is not None:
        if format not in _FORMATS:
            raise InvalidParameterError(
                "The 'format' parameter of write must be 'parquet', 'csv', "
                f"'sagemaker-csv' or None (told by the suffix). Got {format!r} instead."
            )
        return format
    told = format_of(path)
    if told is None:
        raise InvalidParameterError(
            f"Cannot tell the format of {path!r} from its suffix (.parquet, .pq, "
            ".csv, .csv.gz, .tsv, .tsv.gz). Pass format='parquet', 'csv' or "
            "'sagemaker-csv'."
        )
    return told


def _as_table(frame: Any) -> pa.Table:
    """The frame as an Arrow table; the caller's frame is left as it is."""
    if isinstance(frame, pa.Table):
        return frame
    kind = type(frame).__module__.split(".")[0], type(frame).__name__
    if kind == ("pandas", "DataFrame"):
        duplicated = frame.columns[frame.columns.duplicated()].tolist()
        if duplicated:
            raise DataError(
                f"The frame has the column name(s) {duplicated} more than once; "
                "rename them before writing."
            )
        try:
            return pa.Table.from_pandas(frame, preserve_index=False)
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
            raise DataError(
                f"Cannot convert the frame to Arrow for writing: {exc}. Give the "
                "column one type (for example with .astype(str))."
            ) from exc
    if kind == ("polars", "DataFrame"):
        return frame.to_arrow()
    raise InvalidParameterError(
        "write takes a pandas DataFrame, a polars DataFrame or a pyarrow Table. "
        f"Got {type(frame).__module__}.{type(frame).__name__} instead"
        + (" (call .collect() first)." if kind[1] == "LazyFrame" else ".")
    )


def _is_number(dtype: pa.DataType) -> bool:
    return (
        pa.types.is_integer(dtype)
        or pa.types.is_floating(dtype)
        or pa.types.is_decimal(dtype)
        or pa.types.is_boolean(dtype)
        or pa.types.is_null(dtype)
    )


def _target_first(table: pa.Table, target: str) -> pa.Table:
    names = table.column_names
    if target not in names:
        raise DataError(
            f"The target column {target!r} is not in the frame, which has the "
            f"columns {names[:20]}. Pass the name of the label column, or "
            "target=None."
        )
    return table.select([target] + [n for n in names if n != target])


def _sagemaker_table(table: pa.Table) -> pa.Table:
    """Booleans as 0/1, NaN as missing; only numbers."""
    refused = {
        field.name: str(field.type)
        for field in table.schema
        if not _is_number(field.type)
    }
    if refused:
        raise DataError(
            "format='sagemaker-csv' holds numbers only, but the column(s) "
            f"{list(refused)} are not numeric ({refused}). Encode them first (for "
            "example with mlprep.encode.OneHotEncoder or OrdinalEncoder) or drop "
            "them."
        )
    columns = []
    for column in table.columns:
        if pa.types.is_boolean(column.type):
            column = column.cast(pa.int8())
        elif pa.types.is_floating(column.type):
            column = pc.if_else(pc.is_nan(column), None, column)
        columns.append(column)
    if len(columns) == 1 and columns[0].null_count:
        raise DataError(
            f"format='sagemaker-csv' writes the single column {table.column_names[0]!r} "
            f"with {columns[0].null_count} missing value(s) as empty lines, which CSV "
            "readers skip, so rows would be lost. Impute the column first (for "
            "example with mlprep.impute.Imputer) or drop those rows."
        )
    return pa.table(columns, names=table.column_names)


def _nested(table: pa.Table) -> list[str]:
    return [field.name for field in table.schema if pa.types.is_nested(field.type)]


def _serialize(table: pa.Table, format: str, path: str, sink: IO[bytes]) -> None:
    if format == "parquet":
        pq.write_table(table, sink)
        return
    options = pacsv.WriteOptions(
        include_header=format == "csv",
        delimiter=delimiter_of(path) if format == "csv" else ",",
    )
    if path.lower().endswith(".gz"):
        # No name, mtime=0: the same frame gives the same bytes (caches such as DVC's).
        with gzip.GzipFile(filename="", fileobj=sink, mode="wb", mtime=0) as packed:
            pacsv.write_csv(table, packed, write_options=options)
    else:
        pacsv.write_csv(table, sink, write_options=options)


def _missing_parents(folder: str) -> list[str]:
    """The folders to create for ``folder`` to exist, outermost first."""
    missing = []
    while folder and not os.path.isdir(folder):
        missing.append(folder)
        parent = os.path.dirname(folder)
        if parent == folder:
            break
        folder = parent
    return missing[::-1]


def _write_local(table: pa.Table, format: str, path: str) -> None:
    folder = os.path.dirname(os.path.abspath(path))
    created = _missing_parents(folder)
    temporary = os.path.join(
        folder, f".{os.path.basename(path)}.{uuid.uuid4().hex[:12]}.tmp"
    )
    try:
        os.makedirs(folder, exist_ok=True)
        with open(temporary, "xb") as sink:
            _serialize(table, format, path, sink)
            sink.flush()
            os.fsync(sink.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        for made in reversed(created):
            with contextlib.suppress(OSError):
                os.rmdir(made)
        raise


def _write_remote(filesystem: Any, table: pa.Table, format: str, path: str) -> None:
    # Serialized in memory first, then stored in one call: a failure while
    # serializing stores nothing, and an object store shows the object only
    # once it is whole.
    buffer = io.BytesIO()
    _serialize(table, format, path, buffer)
    filesystem.makedirs(posixpath.dirname(path), exist_ok=True)
    filesystem.pipe_file(path, buffer.getvalue())


def write(
    frame: Any,
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    target: str | None = None,
) -> None:
    """Write a frame to a Parquet, CSV or SageMaker CSV file, atomically.

    The file appears whole or not at all: the data goes to a temporary file
    in the same folder, which then replaces ``path`` in one step. If anything
    fails, the temporary file is removed and an existing file at ``path`` is
    left as it was. Missing parent folders are created (and removed again on
    failure). The pandas index is not written; ``reset_index()`` first to
    keep it as a column.

    Parameters
    ----------
    frame : pandas.DataFrame, polars.DataFrame or pyarrow.Table
        Not modified.
    path : str or path-like
        The file to write, or an fsspec URL (``s3://bucket/key.parquet``,
        needs ``pip install "mlprep-kit[s3]"``); remote files are serialized in
        memory and stored in one call.
    format : {"parquet", "csv", "sagemaker-csv"} or None, default=None
        None tells it from the suffix: ``.parquet`` and ``.pq`` are Parquet,
        ``.csv``, ``.csv.gz`` are CSV (``.tsv``, ``.tsv.gz`` tab-separated). A path
        ending in ``.gz`` is gzip-compressed (CSV formats only).

        - ``"parquet"``: every type kept, pandas dtypes included.
        - ``"csv"``: a header row, missing values as empty fields, floats
          in their shortest exact form.
        - ``"sagemaker-csv"``: the input of SageMaker's built-in algorithms
          (``text/csv``): the ``target`` column first, no header, no index,
          numbers only; booleans as 0/1, missing values (null or NaN) as
          empty fields, floats in their shortest form that reads back to
          the same float. A single column may not hold missing values
          (its rows would be empty lines, which readers skip).
    target : str or None, default=None
        The label column, written first (in every format). None writes the
        columns in their order; with ``"sagemaker-csv"`` that is unlabelled
        data (``label_size=0``).

    Raises
    ------
    DataError
        ``target`` is not a column; with ``"sagemaker-csv"``, a column is not
        numeric (the message names it); a column cannot be written as CSV
        (lists or structs); the file cannot be written.
    InvalidParameterError
        ``frame`` is not a frame, ``format`` is unknown or cannot be told from
        the suffix.
    MissingDependencyError
        A URL is given and fsspec (or s3fs for ``s3://``) is not installed.

    See Also
    --------
    read : the way back to a frame.

    Examples
    --------
    >>> import os, pathlib, tempfile
    >>> import pandas as pd
    >>> from mlprep.io import read, write
    >>> frame = pd.DataFrame({"x": [0.1, None], "y": [True, False], "label": [1, 0]})
    >>> folder = tempfile.mkdtemp()
    >>> write(frame, os.path.join(folder, "train", "data.parquet"))
    >>> read(os.path.join(folder, "train"), engine="pandas").equals(frame)
    True
    >>> write(frame, os.path.join(folder, "train.csv"), format="sagemaker-csv",
    ...       target="label")
    >>> print(pathlib.Path(folder, "train.csv").read_text())
    1,0.1,1
    0,,0
    <BLANKLINE>
    """
    text = os.fspath(path)
    chosen = _format(text, format)
    if chosen == "parquet" and text.lower().endswith(".gz"):
        raise InvalidParameterError(
            f"Cannot gzip a Parquet file ({text!r}): Parquet compresses its own "
            "columns. Drop the .gz suffix."
        )
    filesystem, inner = split_location(text)
    table = _as_table(frame)
    if target is not None:
        table = _target_first(table, target)
    if chosen == "sagemaker-csv":
        table = _sagemaker_table(table)
    elif chosen == "csv" and _nested(table):
        raise DataError(
            f"CSV cannot hold the column(s) {_nested(table)}: they hold lists or "
            "structs. Write Parquet, or convert them to strings first."
        )
    try:
        if filesystem is None:
            _write_local(table, chosen, inner)
        else:
            _write_remote(filesystem, table, chosen, inner)
    except (pa.ArrowException, OSError) as exc:
        raise DataError(f"Cannot write {text!r} as {chosen}: {exc}") from exc
