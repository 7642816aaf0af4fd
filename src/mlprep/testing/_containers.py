"""Containers for the conformance checks: conversion, identification, comparison.

The checks build every input from one pandas frame (:func:`as_backend`) and
compare outputs of different containers by value (:func:`assert_same_values`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

from mlprep.core._frame import positional_names

__all__ = [
    "BACKENDS",
    "as_backend",
    "assert_same_values",
    "column_names",
    "container_of",
    "frames_identical",
    "target_as_backend",
    "to_pandas",
]

BACKENDS: tuple[str, ...] = ("pandas", "polars", "pyarrow", "numpy")
"""The containers mlprep accepts, by the name :func:`as_backend` takes."""


def to_pandas(X: Any) -> pd.DataFrame:
    """``X`` (any container mlprep accepts) as a pandas frame.

    Arrays get scikit-learn's positional names ``x0, x1, ...``.

    Examples
    --------
    >>> import numpy as np
    >>> to_pandas(np.zeros((2, 2))).columns.tolist()
    ['x0', 'x1']
    """
    if isinstance(X, pd.DataFrame):
        return X
    if isinstance(X, np.ndarray):
        array = X.reshape(-1, 1) if X.ndim == 1 else X
        return pd.DataFrame(array, columns=positional_names(array.shape[1]))
    if hasattr(X, "to_pandas"):  # polars frames, pyarrow tables
        frame: pd.DataFrame = X.to_pandas()
        return frame
    raise TypeError(
        f"Cannot turn {type(X).__name__} into a pandas frame; pass a pandas or "
        "polars frame, a pyarrow table or a numpy array."
    )


def as_backend(frame: pd.DataFrame, backend: str) -> Any:
    """``frame`` as a pandas/polars frame, a pyarrow table or a numpy array.

    polars and pyarrow get nulls where pandas has None in object columns and
    keep float NaN as NaN; numpy gets ``frame.to_numpy()``.

    Parameters
    ----------
    frame : pandas.DataFrame
    backend : {"pandas", "polars", "pyarrow", "numpy"}

    Returns
    -------
    A new object; ``frame`` is not modified.

    Examples
    --------
    >>> import pandas as pd
    >>> type(as_backend(pd.DataFrame({"a": [1.0]}), "pyarrow")).__name__
    'Table'
    """
    if backend == "pandas":
        return frame.copy(deep=True)
    if backend == "polars":
        import polars as pl

        return pl.from_pandas(frame, nan_to_null=False)
    if backend == "pyarrow":
        import pyarrow as pa

        return pa.Table.from_pandas(frame, preserve_index=False)
    if backend == "numpy":
        return frame.to_numpy()
    raise ValueError(f"Unknown backend {backend!r}; expected one of {BACKENDS}.")


def target_as_backend(y: Any, backend: str) -> Any:
    """A 1-d target ``y`` as the series type of ``backend`` (numpy stays an array).

    Examples
    --------
    >>> import numpy as np
    >>> type(target_as_backend(np.arange(3), "pandas")).__name__
    'Series'
    """
    values = np.asarray(y)
    if backend == "pandas":
        return pd.Series(values, name="y")
    if backend == "polars":
        import polars as pl

        return pl.Series("y", values)
    if backend == "pyarrow":
        import pyarrow as pa

        return pa.chunked_array([pa.array(values)])
    return values.copy()


def container_of(obj: Any) -> str:
    """The container family of ``obj``: pandas, polars, pyarrow, numpy, csr or the type name.

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> container_of(sp.csr_matrix((1, 1)))
    'csr'
    """
    if isinstance(obj, (pd.DataFrame, pd.Series)):
        return "pandas"
    if isinstance(obj, np.ndarray):
        return "numpy"
    if sp.issparse(obj):
        return "csr" if obj.format == "csr" else f"sparse {obj.format}"
    module = type(obj).__module__.split(".")[0]
    if module in ("polars", "pyarrow"):
        return module
    return type(obj).__name__


def column_names(obj: Any) -> list[str] | None:
    """The column names of a frame or table; None for arrays and matrices.

    Examples
    --------
    >>> import pandas as pd
    >>> column_names(pd.DataFrame({"a": [1]}))
    ['a']
    """
    if isinstance(obj, pd.DataFrame):
        return [str(c) for c in obj.columns]
    names = getattr(obj, "column_names", None)  # pyarrow
    if names is None and container_of(obj) == "polars":
        names = obj.columns
    return None if names is None else [str(n) for n in names]


def _dense(obj: Any) -> np.ndarray | None:
    """A float array for sparse results (CSR or a sparse pandas frame); None otherwise."""
    if sp.issparse(obj):
        return np.asarray(obj.toarray(), dtype=np.float64)
    if isinstance(obj, pd.DataFrame) and obj.shape[1] > 0:
        if all(isinstance(dtype, pd.SparseDtype) for dtype in obj.dtypes):
            accessor: Any = obj.sparse  # pandas-stubs types the accessor as ...
            return np.asarray(accessor.to_dense().to_numpy(dtype=np.float64))
    return None


def _cell(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, (list, tuple, np.ndarray)):
        return tuple(_cell(v) for v in value)
    if hasattr(value, "as_py"):  # pyarrow scalar
        return _cell(value.as_py())
    return value


def _normalized(obj: Any) -> pd.DataFrame:
    """Values only: positional column labels, numbers as float, the rest as objects."""
    frame = to_pandas(obj).reset_index(drop=True)
    columns: dict[int, pd.Series] = {}
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        dtype = column.dtype
        if pd.api.types.is_datetime64_any_dtype(dtype):
            if getattr(dtype, "tz", None) is not None:
                column = column.dt.tz_convert("UTC").dt.tz_localize(None)
            stamps = column.astype("datetime64[ns]")
            ints = stamps.to_numpy().view(np.int64).astype(np.float64)
            ints[stamps.isna().to_numpy()] = np.nan
            columns[position] = pd.Series(ints)
            continue
        if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_numeric_dtype(dtype):
            columns[position] = pd.Series(
                column.to_numpy(dtype=np.float64, na_value=np.nan)
            )
            continue
        cells = [_cell(v) for v in column.astype(object).tolist()]
        present = [c for c in cells if c is not None]
        if present and all(
            isinstance(c, (int, float, np.number)) and not isinstance(c, bool)
            for c in present
        ):
            columns[position] = pd.Series(
                [np.nan if c is None else float(c) for c in cells], dtype=np.float64
            )
        else:
            columns[position] = pd.Series(cells, dtype=object)
    return pd.DataFrame(columns, index=pd.RangeIndex(frame.shape[0]))


def assert_same_values(
    left: Any, right: Any, *, rtol: float = 1e-10, atol: float = 1e-12, what: str = ""
) -> None:
    """Assert two outputs hold the same values, whatever their containers.

    Column names, index and dtypes are not compared (the checks compare names
    separately); numbers are compared to ``rtol``/``atol`` with NaN equal to
    NaN and null; sparse results are compared densely.

    Raises
    ------
    AssertionError
        Saying where the values differ.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> assert_same_values(pd.DataFrame({"a": [1.0, np.nan]}), np.array([[1.0], [np.nan]]))
    """
    prefix = f"{what}: " if what else ""
    left_dense, right_dense = _dense(left), _dense(right)
    if (left_dense is None) != (right_dense is None):
        raise AssertionError(
            f"{prefix}one result is sparse and the other is not "
            f"({container_of(left)} vs {container_of(right)})"
        )
    if left_dense is not None and right_dense is not None:
        if left_dense.shape != right_dense.shape:
            raise AssertionError(
                f"{prefix}shapes differ: {left_dense.shape} vs {right_dense.shape}"
            )
        np.testing.assert_allclose(
            left_dense, right_dense, rtol=rtol, atol=atol, err_msg=prefix
        )
        return
    a, b = _normalized(left), _normalized(right)
    if a.shape != b.shape:
        raise AssertionError(f"{prefix}shapes differ: {a.shape} vs {b.shape}")
    for position in range(a.shape[1]):
        x, z = a[position], b[position]
        if x.dtype == np.float64 and z.dtype == np.float64:
            np.testing.assert_allclose(
                x.to_numpy(),
                z.to_numpy(),
                rtol=rtol,
                atol=atol,
                err_msg=f"{prefix}column {position} differs",
            )
        elif x.tolist() != z.tolist():
            rows = [i for i, (p, q) in enumerate(zip(x, z)) if p != q]
            raise AssertionError(
                f"{prefix}column {position} differs at rows {rows[:5]}: "
                f"{[x[i] for i in rows[:3]]} vs {[z[i] for i in rows[:3]]}"
            )


def frames_identical(left: Any, right: Any) -> str | None:
    """None when two inputs are identical (values, dtypes, names, index); else why not.

    Used to prove an input was not modified: ``right`` is a deep copy taken
    before the estimator saw ``left``.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"a": [1.0, None]})
    >>> frames_identical(frame, frame.copy()) is None
    True
    >>> frames_identical(frame, frame.fillna(0.0))
    'the values or dtypes changed'
    """
    if type(left) is not type(right):
        return f"its type changed from {type(right).__name__} to {type(left).__name__}"
    if isinstance(left, np.ndarray):
        if left.dtype != right.dtype or left.shape != right.shape:
            return f"its dtype/shape changed from {right.dtype}{right.shape} to {left.dtype}{left.shape}"
        equal_nan = left.dtype.kind in "fc"
        if left.dtype.kind == "O":
            same = _normalized(left).equals(_normalized(right))
        else:
            same = np.array_equal(left, right, equal_nan=equal_nan)
        return None if same else "the values changed"
    if isinstance(left, (pd.DataFrame, pd.Series)):
        if not left.index.equals(right.index):
            return "the index changed"
        if isinstance(left, pd.DataFrame) and list(left.columns) != list(right.columns):
            return "the columns changed"
        same = left.equals(right) and bool(
            (pd.Series(left.dtypes) == pd.Series(right.dtypes)).all()
            if isinstance(left, pd.DataFrame)
            else left.dtype == right.dtype
        )
        return None if same else "the values or dtypes changed"
    family = container_of(left)
    if family in ("polars", "pyarrow"):
        schema = "schema" if hasattr(left, "schema") else "dtype"
        if family == "pyarrow" and schema == "dtype":
            schema = "type"
        if getattr(left, schema) != getattr(right, schema):
            return f"its {schema} changed"
        if family == "polars":
            return None if left.equals(right) else "the values changed"
        same = left.to_pandas().equals(right.to_pandas())
        return None if same else "the values changed"
    if isinstance(left, Sequence):
        return None if list(left) == list(right) else "the values changed"
    return None if left == right else "the value changed"
