"""``read``: one file, a folder of shards or a glob into one in-memory frame."""

from __future__ import annotations

import contextlib
import importlib.util
import os
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from mlprep.exceptions import DataError, InvalidParameterError, MissingDependencyError
from mlprep.io._paths import (
    Shards,
    check_read_format,
    delimiter_of,
    find_shards,
    shards_format,
    unified_schema,
)

__all__ = ["read"]

_ENGINES = ("pandas", "polars")


def _engine(engine: str | None) -> str:
    if engine is None:
        return "polars" if importlib.util.find_spec("polars") is not None else "pandas"
    if engine not in _ENGINES:
        raise InvalidParameterError(
            "The 'engine' parameter of read must be 'pandas', 'polars' or None "
            f"(polars when installed, else pandas). Got {engine!r} instead."
        )
    if engine == "polars":
        try:
            import polars  # noqa: F401  (asked before any file is read)
        except ImportError as exc:
            raise MissingDependencyError(
                "read(engine='polars') needs polars, which is not installed. Install "
                "it with: pip install \"mlprep-kit[polars]\" — or pass engine='pandas'."
            ) from exc
    return engine


def _columns(columns: Any) -> list[str] | None:
    if columns is None:
        return None
    if not isinstance(columns, (list, tuple)) or not all(
        isinstance(c, str) for c in columns
    ):
        raise InvalidParameterError(
            "The 'columns' parameter of read must be a list of column names or "
            f"None. Got {columns!r} instead; wrap a single name in a list."
        )
    chosen = list(columns)
    if len(set(chosen)) != len(chosen):
        raise InvalidParameterError(
            f"The 'columns' parameter of read names a column twice: {chosen!r}."
        )
    return chosen


@contextlib.contextmanager
def _opened(shards: Shards, path: str) -> Iterator[Any]:
    """A local path as is (pyarrow maps it and sees ``.gz``), a remote one opened."""
    if shards.filesystem is None:
        yield path
        return
    with shards.filesystem.open(path, "rb") as handle:
        if path.lower().endswith(".gz"):
            yield pa.CompressedInputStream(handle, "gzip")
        else:
            yield handle


def _missing(columns: list[str], present: list[str], name: str) -> DataError:
    missing = [c for c in columns if c not in present]
    return DataError(
        f"The column(s) {missing} are not in {name!r}, which has the columns "
        f"{present[:20]}. Check the spelling or drop them from columns=."
    )


def _read_parquet(source: Any, name: str, columns: list[str] | None) -> pa.Table:
    parquet = pq.ParquetFile(source)
    if columns is not None:
        present = parquet.schema_arrow.names
        if any(c not in present for c in columns):
            raise _missing(columns, present, name)
    return parquet.read(columns=columns, use_pandas_metadata=True)


def _csv_options(name: str, *, threads: bool = True) -> dict[str, Any]:
    return {
        "parse_options": pacsv.ParseOptions(
            delimiter=delimiter_of(name), newlines_in_values=True
        ),
        "read_options": pacsv.ReadOptions(use_threads=threads),
    }


def _read_csv(
    shards: Shards, path: str, name: str, columns: list[str] | None
) -> pa.Table:
    # An empty field is missing; a quoted one ("") is an empty string, as
    # write() writes them.
    convert = pacsv.ConvertOptions(
        include_columns=columns,
        strings_can_be_null=True,
        quoted_strings_can_be_null=False,
    )
    try:
        with _opened(shards, path) as source:
            return pacsv.read_csv(source, convert_options=convert, **_csv_options(name))
    except pa.ArrowKeyError:
        if columns is None:
            raise
        options = _csv_options(name)
        options["parse_options"].invalid_row_handler = lambda row: "skip"
        with _opened(shards, path) as source:
            present = pacsv.open_csv(source, **options).schema.names
        raise _missing(columns, present, name) from None
    except pa.ArrowInvalid as exc:
        bad = _invalid_rows(shards, path, name) if "parse error" in str(exc) else []
        if not bad:
            raise
    row = bad[0]
    where = f"row {row.number} (the header is row 1)" if row.number else "a row"
    raise DataError(
        f"Cannot read {name!r}: {where} has {row.actual_columns} field(s) where the "
        f"header has {row.expected_columns}: {row.text[:200]!r}. Fix or remove that "
        "row, or quote fields that contain the delimiter."
    )


def _invalid_rows(shards: Shards, path: str, name: str) -> list[Any]:
    """The rows with a wrong number of fields, read again on one thread to number them."""
    bad: list[Any] = []

    def record(row: Any) -> str:
        bad.append(row)
        return "error"

    options = _csv_options(name, threads=False)
    options["parse_options"].invalid_row_handler = record
    with contextlib.suppress(pa.ArrowInvalid), _opened(shards, path) as source:
        pacsv.read_csv(source, **options)
    return bad


def _read_shard(
    shards: Shards, path: str, name: str, format: str, columns: list[str] | None
) -> pa.Table:
    try:
        if format == "csv":
            table = _read_csv(shards, path, name, columns)
        else:
            with _opened(shards, path) as source:
                table = _read_parquet(source, name, columns)
    except (pa.ArrowException, OSError) as exc:
        raise DataError(f"Cannot read {name!r} as {format}: {exc}") from exc
    return table if columns is None else table.select(columns)


def _to_engine(table: pa.Table, engine: str) -> Any:
    if engine == "pandas":
        return table.to_pandas()
    import polars as pl

    return pl.from_arrow(table)


def read(
    path: str | os.PathLike[str],
    *,
    format: str | None = None,
    engine: str | None = None,
    columns: list[str] | None = None,
) -> Any:
    """Read CSV or Parquet data into memory: one file, a folder of shards, or a glob.

    The files are found as :func:`scan` finds them and must agree the same
    way; their rows are concatenated in sorted path order. For data larger
    than memory, fit on :func:`scan` instead.

    Parameters
    ----------
    path : str or path-like
        A file (``.parquet``, ``.pq``, ``.csv``, ``.csv.gz``, ``.tsv``,
        ``.tsv.gz``), a
        folder (searched recursively; hidden and ``_``-prefixed files and
        folders such as ``_SUCCESS`` are skipped), a glob
        (``data/part-*.csv``), or any of these as an fsspec URL
        (``s3://bucket/prefix/``, needs ``pip install "mlprep-kit[s3]"``).
    format : {"parquet", "csv"} or None, default=None
        None tells it from the file names. CSV files need a header row;
        ``.tsv`` files are tab-separated and ``.gz`` files gzip-compressed.
        Values may hold quoted delimiters and line breaks; an empty field is
        missing, a quoted empty field (``""``) an empty string.
    engine : {"pandas", "polars"} or None, default=None
        The type of the frame returned. None returns a polars ``DataFrame``
        when polars is installed and a pandas ``DataFrame`` otherwise; pass
        it explicitly where the type matters.
    columns : list of str or None, default=None
        Read only these columns, in this order. None reads every column.

    Returns
    -------
    pandas.DataFrame or polars.DataFrame
        pandas frames get a ``RangeIndex``, except that a Parquet file
        written by pandas with its index gets that index back. Parquet types
        are kept, including pandas' nullable and categorical dtypes.

    Raises
    ------
    DataError
        Nothing is at ``path``, the format cannot be told, a file cannot be
        parsed (a CSV row with the wrong number of fields: the message names
        the file and the row), a shard's columns or types differ from the
        first shard's, or a column of ``columns`` is not in a file. Each
        message names the file.
    InvalidParameterError
        ``format``, ``engine`` or ``columns`` is not one of the above.
    MissingDependencyError
        polars is asked for and not installed, or a URL is given and fsspec
        (or s3fs for ``s3://``) is not.

    See Also
    --------
    scan : the same files as a lazy dataset, for data larger than memory.
    write : the way back to a file.

    Examples
    --------
    >>> import os, tempfile
    >>> import pandas as pd
    >>> from mlprep.io import read
    >>> folder = tempfile.mkdtemp()
    >>> for i in range(2):
    ...     pd.DataFrame({"x": [i, i + 0.5], "k": ["a", "b"]}).to_csv(
    ...         os.path.join(folder, f"part-{i}.csv"), index=False)
    >>> read(folder, engine="pandas")
         x  k
    0  0.0  a
    1  0.5  b
    2  1.0  a
    3  1.5  b
    >>> read(os.path.join(folder, "part-*.csv"), engine="polars", columns=["k"]).shape
    (4, 1)
    """
    check_read_format(format, "read")
    chosen_engine = _engine(engine)
    chosen_columns = _columns(columns)
    shards = find_shards(path)
    chosen = shards_format(shards, format)
    tables = [
        _read_shard(shards, file, name, chosen, chosen_columns)
        for file, name in zip(shards.paths, shards.names)
    ]
    schema = unified_schema(shards.names, [t.schema for t in tables])
    # pandas' metadata (dtypes, index) is kept when every shard has the same.
    metadata = tables[0].schema.metadata
    if metadata and all(t.schema.metadata == metadata for t in tables):
        schema = schema.with_metadata(metadata)
    else:
        schema = schema.remove_metadata()
    table = pa.concat_tables([t.cast(schema) for t in tables])
    return _to_engine(table, chosen_engine)
