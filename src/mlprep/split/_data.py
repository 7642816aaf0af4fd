"""The data boundary of the split family: count rows, read columns, take rows.

Splitting never transforms values, so it does not go through
:func:`mlprep.core.to_frame` for whole frames: it reads only the columns it
needs (keys, strata, time) as numpy arrays and hands the caller back row
subsets of the very object it passed (pandas keeps its index, polars and
pyarrow stay polars and pyarrow, numpy stays numpy).
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.exceptions import DataError

__all__ = [
    "as_column_list",
    "column_arrays",
    "column_is_temporal",
    "is_column_spec",
    "is_temporal",
    "n_rows",
    "plain",
    "series_values",
    "take_rows",
]


def _narwhals(obj: Any) -> Any:
    """A narwhals frame or series for dataframe-library objects, else None."""
    try:
        return nw.from_native(obj, eager_only=True, allow_series=True)
    except TypeError:
        return None


def plain(value: Any) -> Any:
    """numpy scalars (also inside tuples) as Python values, for messages and reports."""
    if isinstance(value, tuple):
        return tuple(plain(v) for v in value)
    return value.item() if isinstance(value, np.generic) else value


def n_rows(obj: Any) -> int:
    """The number of rows (samples) of a frame, series, array or list."""
    wrapped = _narwhals(obj)
    if wrapped is not None:
        return len(wrapped)
    shape = getattr(obj, "shape", None)
    if shape is not None:
        if len(shape) == 0:
            raise DataError("Expected an array-like of samples, got a scalar array.")
        return int(shape[0])
    return len(obj)


def series_values(series: Any) -> np.ndarray:
    """The values of one column as a 1-D numpy array.

    Temporal columns become int64 nanoseconds since the epoch (UTC for
    zone-aware columns) with missing values as ``NaN`` in a float64 array only
    when there are any, so every backend yields the same numbers.
    """
    if isinstance(series, nw.Series):
        dtype = series.dtype
        if dtype == nw.Datetime or dtype == nw.Date:
            missing = series.is_null().to_numpy()
            ints = series.dt.timestamp("ns").fill_null(0).to_numpy().astype(np.int64)
            if missing.any():
                out = ints.astype(np.float64)
                out[missing] = np.nan
                return out
            return ints
        if dtype == nw.Duration:
            return series_values(series.dt.total_nanoseconds())
        values = series.to_numpy()
        return np.asarray(values)
    wrapped = _narwhals(series)
    if isinstance(wrapped, nw.Series):
        return series_values(wrapped)
    values = np.asarray(series)
    if values.dtype.kind == "M":
        missing = np.isnat(values)
        ints = values.astype("datetime64[ns]").view(np.int64)
        if missing.any():
            out = ints.astype(np.float64)
            out[missing] = np.nan
            return out
        return ints
    if values.dtype.kind == "m":
        return values.astype("timedelta64[ns]").view(np.int64)
    return values


def is_column_spec(spec: Any) -> bool:
    """Whether ``spec`` names columns (str, int, or a list/tuple of str) rather than holding data."""
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
    """A column spec as a list of names/positions."""
    return list(spec) if isinstance(spec, (list, tuple)) else [spec]


def column_arrays(data: Any, spec: Any, *, param: str, owner: str) -> list[np.ndarray]:
    """The values of the columns ``spec`` names in ``data``, one array per column.

    ``spec`` is a column name, a position, or a list of names. Positions index
    the columns of frames and of 2-D arrays alike.
    """
    names = as_column_list(spec)
    wrapped = _narwhals(data)
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
                out.append(series_values(wrapped.get_column(name)))
            else:
                out.append(
                    series_values(
                        wrapped.get_column(
                            columns[_position(name, len(columns), param, owner)]
                        )
                    )
                )
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


def _position(index: int, n_columns: int, param: str, owner: str) -> int:
    if not -n_columns <= index < n_columns:
        raise DataError(
            f"{owner}: column position {index} given as {param}= is out of range for "
            f"data with {n_columns} columns."
        )
    return int(index) % n_columns


def take_rows(obj: Any, mask: np.ndarray) -> Any:
    """The rows of ``obj`` where ``mask`` is true, in their original order, same type as ``obj``.

    pandas objects keep their index labels; lists stay lists.
    """
    wrapped = _narwhals(obj)
    if wrapped is not None:
        if nw.dependencies.is_polars_dataframe(obj) or nw.dependencies.is_polars_series(
            obj
        ):
            namespace = nw.get_native_namespace(wrapped)
            return nw.to_native(
                wrapped.filter(nw.new_series("mask", mask, backend=namespace))
            )
        return nw.to_native(wrapped[np.flatnonzero(mask)])
    if isinstance(obj, np.ndarray):
        return obj[mask]
    if isinstance(obj, list):
        return [obj[i] for i in np.flatnonzero(mask).tolist()]
    return np.asarray(obj)[mask]


def is_temporal(obj: Any) -> bool:
    """Whether a series or 1-D array holds datetimes or dates."""
    wrapped = _narwhals(obj)
    if isinstance(wrapped, nw.Series):
        return wrapped.dtype == nw.Datetime or wrapped.dtype == nw.Date
    if isinstance(obj, nw.Series):
        return obj.dtype == nw.Datetime or obj.dtype == nw.Date
    return np.asarray(obj).dtype.kind == "M"


def column_is_temporal(data: Any, name: Any) -> bool:
    """Whether column ``name`` (a name or position) of ``data`` holds datetimes or dates."""
    wrapped = _narwhals(data)
    if isinstance(wrapped, nw.DataFrame):
        column = name if isinstance(name, str) else wrapped.columns[int(name)]
        return column in wrapped.columns and is_temporal(wrapped.get_column(column))
    array = np.asarray(data)
    return array.dtype.kind == "M"
