"""Where data lives and what it is: files, folders, globs and fsspec URLs.

Shared by :func:`~mlprep.io.scan`, :func:`~mlprep.io.read` and
:func:`~mlprep.io.write`: the file discovery (folders searched recursively,
hidden and ``_``-prefixed entries such as ``_SUCCESS`` skipped, globs), the
format told from the suffix, the shard schema checks, and the fsspec door to
remote URLs (``s3://bucket/key``), opened only when a URL is given.
"""

from __future__ import annotations

import glob
import os
import posixpath
import re
from typing import Any, NamedTuple

import pyarrow as pa

from mlprep.exceptions import DataError, InvalidParameterError, MissingDependencyError

__all__ = [
    "Shards",
    "check_read_format",
    "delimiter_of",
    "find_shards",
    "format_of",
    "remote_filesystem",
    "shards_format",
    "split_location",
    "unified_schema",
]

_SUFFIXES = {
    ".parquet": "parquet",
    ".pq": "parquet",
    ".csv": "csv",
    ".csv.gz": "csv",
    ".tsv": "csv",
    ".tsv.gz": "csv",
}
_BY_LENGTH = sorted(_SUFFIXES, key=len, reverse=True)
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
INSTALL_S3 = 'pip install "mlprep-kit[s3]"'


def format_of(path: str) -> str | None:
    """``"parquet"`` or ``"csv"`` from the file name's suffix; None if unknown.

    Examples
    --------
    >>> format_of("data/part-0.csv.gz"), format_of("x.PQ"), format_of("notes.txt")
    ('csv', 'parquet', None)
    """
    lower = path.lower()
    for suffix in _BY_LENGTH:
        if lower.endswith(suffix):
            return _SUFFIXES[suffix]
    return None


def delimiter_of(path: str) -> str:
    """A tab for ``.tsv`` and ``.tsv.gz`` files, else a comma."""
    return "\t" if path.lower().endswith((".tsv", ".tsv.gz")) else ","


def remote_filesystem(url: str) -> tuple[Any, str]:
    """The fsspec filesystem of a URL and the path inside it.

    Raises
    ------
    MissingDependencyError
        fsspec, or the package of the URL's protocol (s3fs for ``s3://``), is
        not installed; the message gives the install command.
    InvalidParameterError
        fsspec knows no such protocol.
    """
    try:
        import fsspec
    except ImportError as exc:
        raise MissingDependencyError(
            f"Reading or writing {url!r} needs the optional packages fsspec and "
            f"s3fs, which are not installed. Install them with: {INSTALL_S3}"
        ) from exc
    try:
        return fsspec.core.url_to_fs(url)
    except ImportError as exc:
        raise MissingDependencyError(
            f"Reading or writing {url!r} needs a package that is not installed "
            f"({exc}). For s3:// URLs install it with: {INSTALL_S3}"
        ) from exc
    except ValueError as exc:
        raise InvalidParameterError(
            f"Cannot open {url!r}: {exc}. Use a local path or a URL of a protocol "
            "fsspec knows (s3://, gs://, memory://, ...)."
        ) from exc


def split_location(path: str) -> tuple[Any, str]:
    """``(None, path)`` for a local path, ``(filesystem, inner path)`` for a URL."""
    match = _URL.match(path)
    if match is None:
        return None, path
    if match.group(1).lower() == "file":
        return None, path[len(match.group(0)) :]
    return remote_filesystem(path)


class Shards(NamedTuple):
    """The files found at a location: ``paths`` to open, ``names`` to show."""

    filesystem: Any  # None for the local filesystem, else an fsspec filesystem
    paths: list[str]
    names: list[str]


def _skipped(relative: str) -> bool:
    return any(part.startswith((".", "_")) for part in re.split(r"[\\/]", relative))


def _is_glob(path: str) -> bool:
    return any(ch in path for ch in "*?[")


def _local_files(path: str) -> list[str]:
    if _is_glob(path):
        found = sorted(p for p in glob.glob(path, recursive=True) if os.path.isfile(p))
        if not found:
            raise DataError(f"The pattern {path!r} matches no file.")
        return found
    if os.path.isdir(path):
        found = sorted(
            os.path.join(root, name)
            for root, _, names in os.walk(path)
            for name in names
            if format_of(name) is not None
            and not _skipped(os.path.relpath(os.path.join(root, name), path))
        )
        if not found:
            raise DataError(
                f"The folder {path!r} holds no .parquet, .pq, .csv, .csv.gz, .tsv or "
                ".tsv.gz file."
            )
        return found
    if not os.path.exists(path):
        raise DataError(f"No such file or folder: {path!r}.")
    return [path]


def _remote_files(filesystem: Any, path: str, url: str) -> list[str]:
    if _is_glob(path):
        found = sorted(p for p in filesystem.glob(path) if filesystem.isfile(p))
        if not found:
            raise DataError(f"The pattern {url!r} matches no file.")
        return found
    if filesystem.isdir(path):
        root = path.rstrip("/")
        found = sorted(
            p
            for p in filesystem.find(root)
            if format_of(p) is not None and not _skipped(posixpath.relpath(p, root))
        )
        if not found:
            raise DataError(
                f"The folder {url!r} holds no .parquet, .pq, .csv, .csv.gz, .tsv or .tsv.gz file."
            )
        return found
    if not filesystem.exists(path):
        raise DataError(f"No such file or folder: {url!r}.")
    return [path]


def find_shards(path: str | os.PathLike[str]) -> Shards:
    """The files of one file, a folder of shards or a glob, in sorted order.

    A folder is searched recursively; entries whose name starts with ``.`` or
    ``_`` (``_SUCCESS``, ``_temporary/``, ``.crc`` files) and files of an
    unknown suffix are skipped.

    Raises
    ------
    DataError
        Nothing is there: no such path, an empty folder, a pattern matching
        nothing. The message names the path.

    Examples
    --------
    >>> import os, tempfile
    >>> folder = tempfile.mkdtemp()
    >>> for name in ("part-1.csv", "part-0.csv", "_SUCCESS"):
    ...     open(os.path.join(folder, name), "w").close()
    >>> [os.path.basename(p) for p in find_shards(folder).paths]
    ['part-0.csv', 'part-1.csv']
    """
    text = os.fspath(path)
    filesystem, inner = split_location(text)
    if filesystem is None:
        paths = _local_files(inner)
        return Shards(None, paths, paths)
    paths = _remote_files(filesystem, inner, text)
    return Shards(filesystem, paths, [filesystem.unstrip_protocol(p) for p in paths])


def check_read_format(format: str | None, caller: str) -> None:
    """Refuse a ``format`` argument other than ``"parquet"``, ``"csv"`` or None."""
    if format not in (None, "parquet", "csv"):
        raise InvalidParameterError(
            f"The 'format' parameter of {caller} must be 'parquet', 'csv' or None "
            f"(told by the file names). Got {format!r} instead."
        )


def shards_format(shards: Shards, format: str | None) -> str:
    """The one format of every shard: ``format`` if given, else from the suffixes."""
    if format is not None:
        return format
    formats = {format_of(name) for name in shards.names}
    if None in formats or len(formats) != 1:
        raise DataError(
            f"Cannot tell the format of {shards.names[:3]}; pass format='parquet' or "
            "format='csv'."
        )
    (chosen,) = formats
    assert chosen is not None
    return chosen


def unified_schema(names: list[str], schemas: list[pa.Schema]) -> pa.Schema:
    """One schema for every shard, or a DataError naming the shard that differs.

    Shards must have the same columns in the same order; numeric types are
    unified (an integer column that is float in another shard becomes float).
    """
    first = schemas[0]
    unified = first
    for name, schema in zip(names[1:], schemas[1:]):
        if schema.names != first.names:
            raise DataError(
                f"The shard {name!r} has the columns {schema.names[:20]}, but "
                f"{names[0]!r} has {first.names[:20]}. Every shard must have the "
                "same columns in the same order."
            )
        try:
            unified = pa.unify_schemas([unified, schema], promote_options="permissive")
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise DataError(
                f"The shard {name!r} has column types that cannot be reconciled "
                f"with the shards before it ({exc}). Cast the offending column to "
                "one type in every shard."
            ) from exc
    return unified
