"""The row-level door: count rows, read a few columns, take rows, from any container.

Code that works on *rows* rather than on column expressions (splitters,
resamplers) reads its inputs through these helpers and never calls pandas,
polars or pyarrow itself. The helpers accept pandas and polars frames and
series, pyarrow tables and chunked arrays, numpy arrays and lists; frames
and series go through narwhals.

Design rule of the door
-----------------------
A helper that materializes data in memory says so in its name:
``..._values`` and ``..._array`` helpers return numpy arrays, and
:func:`take_rows` works on eager containers. Everything else (counting
rows, asking whether a column is temporal, parsing column specs) reads
only lengths and schemas. Write helpers so that a lazy backend (a polars
``LazyFrame``, a Spark DataFrame through narwhals) can be added inside the
helper later without changing any caller: callers pass the container they
were given and never branch on its type.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core._columns import is_temporal_dtype
from mlprep.exceptions import DataError

__all__ = [
    "as_column_list",
    "column_is_temporal",
    "column_values",
    "is_column_spec",
    "n_rows",
    "plain_value",
    "series_is_temporal",
    "series_values",
    "take_rows",
]


def _eager(obj: Any) -> Any:
    """A narwhals eager frame or series for dataframe-library objects, else None."""
    try:
        return nw.from_native(obj, eager_only=True, allow_series=True)
    except TypeError:
        return None


def plain_value(value: Any) -> Any:
    """A numpy scalar as the equal Python value (also inside tuples), for messages and reports.

    Parameters
    ----------
    value : Any
        A numpy scalar, a tuple of values, or anything else (returned as is).

    Returns
    -------
    Any

    Examples
    --------
    >>> import numpy as np
    >>> plain_value(np.int64(3)), plain_value((np.float64(0.5), "a"))
    (3, (0.5, 'a'))
    """
    if isinstance(value, tuple):
        return tuple(plain_value(v) for v in value)
    return value.item() if isinstance(value, np.generic) else value


def n_rows(obj: Any) -> int:
    """The number of rows (samples) of a frame, series, array or list.

    Parameters
    ----------
    obj : DataFrame, Series, pyarrow Table or array, ndarray, list
        Anything with rows.

    Returns
    -------
    int

    Raises
    ------
    DataError
        ``obj`` is a 0-d array (a scalar, not samples).

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> n_rows(pd.DataFrame({"a": [1, 2, 3]})), n_rows(np.zeros((4, 2))), n_rows([1, 2])
    (3, 4, 2)
    """
    wrapped = _eager(obj)
    if wrapped is not None:
        return len(wrapped)
    shape = getattr(obj, "shape", None)
    if shape is not None:
        if len(shape) == 0:
            raise DataError("Expected an array-like of samples, got a scalar array.")
        return int(shape[0])
    return len(obj)


def _temporal_ints(missing: np.ndarray, ints: np.ndarray) -> np.ndarray:
    """int64 nanoseconds, or float64 with NaN where missing when anything is."""
    if missing.any():
        out = ints.astype(np.float64)
        out[missing] = np.nan
        return out
    return ints


def series_values(series: Any) -> np.ndarray:
    """The values of one column (a series or 1-D array-like) as a numpy array, in memory.

    Temporal values become int64 nanoseconds since the epoch (UTC for
    zone-aware columns), as a float64 array with ``NaN`` for missing values
    only when there are any, so every backend yields the same numbers.
    Durations become int64 nanoseconds. Other values come as the backend's
    numpy conversion gives them.

    Parameters
    ----------
    series : pandas/polars Series, narwhals Series, pyarrow ChunkedArray, ndarray or list
        One value per row.

    Returns
    -------
    ndarray

    Examples
    --------
    >>> import pandas as pd
    >>> series_values(pd.Series(pd.to_datetime(["1970-01-01", "1970-01-02"]))).tolist()
    [0, 86400000000000]
    >>> series_values(pd.Series(pd.to_datetime(["1970-01-01", None]))).tolist()
    [0.0, nan]
    """
    if isinstance(series, nw.Series):
        dtype = series.dtype
        if is_temporal_dtype(dtype):
            missing = series.is_null().to_numpy()
            ints = series.dt.timestamp("ns").fill_null(0).to_numpy().astype(np.int64)
            return _temporal_ints(missing, ints)
        if dtype == nw.Duration:
            return series_values(series.dt.total_nanoseconds())
        return np.asarray(series.to_numpy())
    wrapped = _eager(series)
    if isinstance(wrapped, nw.Series):
        return series_values(wrapped)
    values = np.asarray(series)
    if values.dtype.kind == "M":
        missing = np.isnat(values)
        return _temporal_ints(missing, values.astype("datetime64[ns]").view(np.int64))
    if values.dtype.kind == "m":
        return values.astype("timedelta64[ns]").view(np.int64)
    return values


def is_column_spec(spec: Any) -> bool:
    """Whether ``spec`` names columns (a str, an int, or a list/tuple of str) rather than holding data.

    Parameters
    ----------
    spec : Any

    Returns
    -------
    bool

    Examples
    --------
    >>> is_column_spec("user"), is_column_spec(0), is_column_spec(["a", "b"])
    (True, True, True)
    >>> is_column_spec([1, 2]), is_column_spec(True)
    (False, False)
    """
    if isinstance(spec, str) or (
        isinstance(spec, Integral) and not isinstance(spec, bool)
    ):
        return True
    return (
        isinstance(spec, (list, tuple))
        and len(spec) > 0
        and all(isinstance(item, str) for item in spec)
    )


def as_column_list(spec: Any) -> list[Any]:
    """A column spec (one name or position, or a list/tuple of them) as a list.

    Parameters
    ----------
    spec : str, int, list or tuple

    Returns
    -------
    list

    Examples
    --------
    >>> as_column_list("a"), as_column_list(("a", "b"))
    (['a'], ['a', 'b'])
    """
    return list(spec) if isinstance(spec, (list, tuple)) else [spec]


def _position(index: int, n_columns: int, param: str, owner: str) -> int:
    if not -n_columns <= index < n_columns:
        raise DataError(
            f"{owner}: column position {index} given as {param}= is out of range for "
            f"data with {n_columns} columns."
        )
    return int(index) % n_columns


def column_values(data: Any, spec: Any, *, param: str, owner: str) -> list[np.ndarray]:
    """The values of the columns ``spec`` names in ``data``, one numpy array per column, in memory.

    Each array is what :func:`series_values` gives for the column (temporal
    columns as epoch nanoseconds).

    Parameters
    ----------
    data : DataFrame (pandas, polars), pyarrow Table or 2-D array-like
        The data; only the named columns are read.
    spec : str, int or list of str
        A column name, a position, or a list of names. Positions index the
        columns of frames and of 2-D arrays alike.
    param, owner : str
        The parameter that named the columns and the caller, for messages.

    Returns
    -------
    list of ndarray

    Raises
    ------
    DataError
        A named column is missing, a position is out of range, a name is
        given for an array without column names, or the data is not 2-D.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    >>> [v.tolist() for v in column_values(frame, ["b", "a"], param="key", owner="demo")]
    [['x', 'y'], [1, 2]]
    >>> column_values(np.eye(2), -1, param="key", owner="demo")[0].tolist()
    [0.0, 1.0]
    """
    names = as_column_list(spec)
    wrapped = _eager(data)
    if isinstance(wrapped, nw.DataFrame):
        columns = list(wrapped.columns)
        out = []
        for name in names:
            if isinstance(name, str):
                if name not in columns:
                    raise DataError(
                        f"{owner}: column {name!r} given as {param}= is not in the data; "
                        f"its columns are {columns[:20]}."
                    )
                column = name
            else:
                column = columns[_position(name, len(columns), param, owner)]
            out.append(series_values(wrapped.get_column(column)))
        return out
    array = np.asarray(data)
    if array.ndim != 2:
        raise DataError(
            f"{owner}: {param}={spec!r} names columns, but the data is a "
            f"{array.ndim}-D array without columns. Pass the values themselves "
            "(an array with one entry per row) instead."
        )
    out = []
    for name in names:
        if isinstance(name, str):
            raise DataError(
                f"{owner}: {param}={name!r} names a column, but a numpy array has no "
                "column names. Use a column position (an int) or pass a DataFrame."
            )
        out.append(
            series_values(array[:, _position(name, array.shape[1], param, owner)])
        )
    return out


def series_is_temporal(series: Any) -> bool:
    """Whether a series or 1-D array-like holds datetimes or dates (reads the dtype only).

    Parameters
    ----------
    series : pandas/polars/narwhals Series, pyarrow ChunkedArray, ndarray or list

    Returns
    -------
    bool

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> series_is_temporal(pd.Series(pd.to_datetime(["2024-01-01"]))), series_is_temporal(np.arange(3))
    (True, False)
    """
    if isinstance(series, nw.Series):
        return is_temporal_dtype(series.dtype)
    wrapped = _eager(series)
    if isinstance(wrapped, nw.Series):
        return is_temporal_dtype(wrapped.dtype)
    return np.asarray(series).dtype.kind == "M"


def column_is_temporal(data: Any, name: Any) -> bool:
    """Whether column ``name`` (a name or position) of ``data`` holds datetimes or dates.

    Reads the schema only. For a 2-D numpy array, whether the array is of
    ``datetime64`` dtype. A name that is not a column gives False.

    Parameters
    ----------
    data : DataFrame (pandas, polars), pyarrow Table or 2-D array-like
    name : str or int

    Returns
    -------
    bool

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"day": pd.to_datetime(["2024-01-01"]), "x": [1]})
    >>> column_is_temporal(frame, "day"), column_is_temporal(frame, 1)
    (True, False)
    """
    wrapped = _eager(data)
    if isinstance(wrapped, nw.DataFrame):
        schema = wrapped.schema
        column = name if isinstance(name, str) else wrapped.columns[int(name)]
        return column in schema and is_temporal_dtype(schema[column])
    return np.asarray(data).dtype.kind == "M"


def take_rows(obj: Any, rows: Any) -> Any:
    """The given rows of ``obj``, in ``obj``'s own container (eager containers).

    Parameters
    ----------
    obj : DataFrame, Series, pyarrow Table or ChunkedArray, ndarray, list, tuple or None
        The rows to take from. None is passed through.
    rows : array-like of bool or of int
        A boolean mask with one entry per row (rows come in their original
        order), or integer positions (rows come in that order).

    Returns
    -------
    Same container as ``obj``
        numpy arrays are indexed; lists and tuples are rebuilt; pandas,
        polars and pyarrow objects go through narwhals, and pandas keeps its
        index labels; anything else becomes a numpy array.

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"a": [1, 2, 3]}, index=[10, 20, 30])
    >>> take_rows(frame, np.array([True, False, True])).index.tolist()
    [10, 30]
    >>> take_rows([1, 2, 3], [2, 0]), take_rows(None, [0]) is None
    ([3, 1], True)
    """
    if obj is None:
        return None
    rows = np.asarray(rows)
    if rows.dtype.kind not in "biu":
        if rows.size:
            raise TypeError(
                f"take_rows needs a boolean mask or integer positions; got {rows.dtype}."
            )
        rows = rows.astype(np.intp)
    mask = rows.dtype.kind == "b"
    if isinstance(obj, np.ndarray):
        return obj[rows]
    positions = np.flatnonzero(rows) if mask else rows
    if isinstance(obj, (list, tuple)):
        return type(obj)(obj[i] for i in positions.tolist())
    wrapped = _eager(obj)
    if wrapped is None:
        return np.asarray(obj)[rows]
    if mask and (
        nw.dependencies.is_polars_dataframe(obj)
        or nw.dependencies.is_polars_series(obj)
    ):
        namespace = nw.get_native_namespace(wrapped)
        return nw.to_native(
            wrapped.filter(nw.new_series("mask", rows, backend=namespace))
        )
    return nw.to_native(wrapped[positions])
