"""The numpy fast path: numpy-backed pandas columns read and written without expressions.

Column-wise transforms compute with numpy kernels. When the input is a pandas
frame whose columns have numpy dtypes, the values are read straight from
pandas (:func:`numpy_columns`, :func:`numpy_float_values`) and the results put
back in one constructor call (:func:`with_numpy_columns`): no narwhals
expression and no per-call schema work, which is what makes a transform of
one row cheap. Every other frame (polars, pyarrow, pandas nullable or Arrow
dtypes) takes the expression path of :mod:`mlprep.core._frame`.
"""

from __future__ import annotations

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

__all__ = ["numpy_columns", "numpy_float_values", "with_numpy_columns"]


def numpy_float_values(series: nw.Series) -> np.ndarray | None:
    """The column as a float numpy array when it is numpy-backed without a null type, else None.

    pandas columns of numpy float dtype qualify without a copy, integer ones
    are converted to float64; every other column (polars, pyarrow, pandas nullable or Arrow
    dtypes) gives None, and the caller uses narwhals expressions, which keep
    nulls as nulls. A numpy kernel on such a column is several times faster
    than the backend's expression.

    Examples
    --------
    >>> import pandas as pd, polars as pl
    >>> numpy_float_values(nw.from_native(pd.Series([1, 2]), series_only=True))
    array([1., 2.])
    >>> numpy_float_values(nw.from_native(pl.Series([1.0, None]), series_only=True)) is None
    True
    """
    dtype = getattr(series.to_native(), "dtype", None)
    if not isinstance(dtype, np.dtype) or dtype.kind not in "fiu":
        return None
    values = series.to_numpy()
    return values if dtype.kind == "f" else values.astype(np.float64)


def numpy_columns(
    frame: nw.DataFrame, columns: list[str], *, keep_float_width: bool = False
) -> dict[str, np.ndarray] | None:
    """``columns`` as float64 numpy vectors when all are numpy-backed pandas columns, else None.

    The fast path of the column-wise transforms: on a pandas frame whose
    selected columns have numpy integer or float dtypes, the values are read
    straight from pandas (no narwhals expression, no per-call schema), which
    is what makes a transform of one row cheap. Float64 columns come without
    a copy; other widths are converted to float64, as the transforms' cast
    to ``Float64`` would (``keep_float_width=True`` keeps float32 columns as
    they are and converts integers only, as :func:`numpy_float_values`
    does). Every other frame (polars, pyarrow, pandas nullable
    or Arrow dtypes, booleans) gives None and the caller uses expressions.

    Examples
    --------
    >>> import polars as pl
    >>> frame = nw.from_native(pd.DataFrame({"a": [1, 2], "b": [0.5, np.nan]}))
    >>> numpy_columns(frame, ["a", "b"])
    {'a': array([1., 2.]), 'b': array([0.5, nan])}
    >>> numpy_columns(nw.from_native(pl.DataFrame({"a": [1.0]})), ["a"]) is None
    True
    """
    native = nw.to_native(frame)
    if not nw.dependencies.is_pandas_dataframe(native):
        return None
    arrays = {}
    for name in columns:
        column = native[name]
        dtype = column.dtype
        if not isinstance(dtype, np.dtype) or dtype.kind not in "fiu":
            return None
        values = column.to_numpy()
        keep = dtype == np.float64 or (keep_float_width and dtype.kind == "f")
        arrays[name] = values if keep else values.astype(np.float64)
    return arrays


def with_numpy_columns(
    frame: nw.DataFrame,
    arrays: dict[str, np.ndarray],
    order: list[str] | None = None,
) -> nw.DataFrame:
    """``frame`` with the columns of ``arrays`` replaced or added, as a new frame.

    Parameters
    ----------
    frame : narwhals.DataFrame
        Any eager frame; it is not modified.
    arrays : dict of str to ndarray
        New columns by name, each of the frame's length: a name of the frame
        replaces that column, another name adds one.
    order : list of str, optional
        The output's columns, in order (names of the frame or of ``arrays``);
        by default the frame's columns, then the added ones.

    Notes
    -----
    On pandas this is one constructor call: the other columns pass through
    as they are (no copy, as narwhals' ``with_columns`` does), with the index
    and the columns' name kept, and no per-column expression work, so it costs
    little for a frame of one row (the numpy fast path's counterpart of
    :func:`numpy_columns`). Other backends get ``with_columns`` of new series
    and a ``select``.

    Examples
    --------
    >>> frame = nw.from_native(pd.DataFrame({"a": [1.0, 2.0], "s": ["x", "y"]}))
    >>> nw.to_native(with_numpy_columns(frame, {"a": np.array([0.0, 1.0])}))
         a  s
    0  0.0  x
    1  1.0  y
    >>> nw.to_native(with_numpy_columns(frame, {"b": np.array([3, 4])}, ["b", "s"]))
       b  s
    0  3  x
    1  4  y
    """
    if order is None:
        order = [
            *frame.columns,
            *(name for name in arrays if name not in frame.columns),
        ]
    native = nw.to_native(frame)
    if nw.dependencies.is_pandas_dataframe(native):
        data = {
            name: arrays[name] if name in arrays else native[name] for name in order
        }
        out = pd.DataFrame(data, index=native.index, copy=False)
        out.columns.name = native.columns.name
        return nw.from_native(out, eager_only=True)
    backend = nw.get_native_namespace(frame)
    added = [
        nw.new_series(name, values, backend=backend) for name, values in arrays.items()
    ]
    return (frame.with_columns(*added) if added else frame).select(order)
