"""The dataframe boundary: every input becomes a narwhals frame, and back.

pandas, polars and pyarrow frames are wrapped by narwhals without copying.
numpy arrays (and lists, after scikit-learn's ``check_array``) are wrapped in a
pandas frame whose columns are named ``x0, x1, ...`` — the names scikit-learn
gives positional features — and come back out as numpy arrays.

Family code sees only :class:`narwhals.DataFrame` and the helpers here; it never
calls ``.iloc``, ``.values`` or a backend's own API.
"""

from __future__ import annotations

import inspect
from collections import Counter
from collections.abc import Callable
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
from sklearn.utils import check_array

from mlprep.core._numpy_path import numpy_float_values
from mlprep.exceptions import DataError, MissingDependencyError

__all__ = [
    "INFINITE_FIX",
    "as_float_array",
    "count_infinite",
    "from_frame",
    "has_infinite",
    "infinite_error",
    "is_float",
    "is_missing",
    "kind_of",
    "missing_expr",
    "null_nan",
    "positional_names",
    "refuse_infinite",
    "refuse_infinite_values",
    "sparse_out",
    "to_frame",
    "with_columns_finite",
]

_FINITE_KWARG = (
    "ensure_all_finite"
    if "ensure_all_finite" in inspect.signature(check_array).parameters
    else "force_all_finite"
)


def positional_names(n_columns: int) -> list[str]:
    """The names scikit-learn gives to the columns of an array: ``x0, x1, ...``."""
    return [f"x{i}" for i in range(n_columns)]


def kind_of(X: Any) -> str:
    """The container family of ``X``: pandas, polars, pyarrow or numpy.

    Anything that is not a dataframe narwhals knows counts as numpy: it is
    converted with scikit-learn's ``check_array`` and returned as an array.
    """
    if nw.dependencies.is_pandas_dataframe(X):
        return "pandas"
    if nw.dependencies.is_polars_dataframe(X):
        return "polars"
    if nw.dependencies.is_pyarrow_table(X):
        return "pyarrow"
    return "numpy"


def to_frame(X: Any, *, owner: str, numeric: bool) -> tuple[nw.DataFrame, str]:
    """Wrap ``X`` as a narwhals frame and name its container family.

    Parameters
    ----------
    X : pandas/polars DataFrame, pyarrow Table, array-like
        The data. Sparse matrices are refused: mlprep transformers work on
        dense columns.
    owner : str
        The calling class, for messages.
    numeric : bool
        For array-likes only: require a numeric array (else object arrays,
        e.g. of strings, are accepted).

    Returns
    -------
    frame : narwhals.DataFrame
    kind : {"pandas", "polars", "pyarrow", "numpy"}

    Raises
    ------
    DataError
        The frame has duplicate or non-string column names, or no rows; or
        ``numeric`` and an array holds text (the column, ``x0``..., is named).
    """
    kind = kind_of(X)
    if kind == "numpy":
        try:
            array = check_array(
                X,
                dtype="numeric" if numeric else None,
                accept_sparse=False,
                ensure_min_samples=1,
                input_name="X",
                **{_FINITE_KWARG: "allow-nan"},
            )
        except ValueError as exc:
            text = _first_text(X) if numeric else None
            if text is None:
                raise
            column, value = text
            raise DataError(
                f"{owner} needs numbers, but array column {column!r} holds text "
                f"(e.g. {value!r}). Convert it to numbers first (e.g. "
                "X.astype(float)), encode it (e.g. mlprep.encode.OrdinalEncoder), or "
                "pass a DataFrame so the text columns can be left out by name."
            ) from exc
        if array.dtype.kind in "iub" and numeric:
            array = array.astype(np.float64)
        elif array.dtype == object:
            array = _numeric_if_possible(array)
        native = pd.DataFrame(
            array, columns=positional_names(array.shape[1]), copy=False
        )
        return nw.from_native(native, eager_only=True), kind
    _check_unique_names(X.column_names if kind == "pyarrow" else X.columns, owner)
    frame = nw.from_native(X, eager_only=True)
    bad = [c for c in frame.columns if not isinstance(c, str)]
    if bad:
        raise DataError(
            f"{owner} needs string column names; got {bad[0]!r} "
            f"({type(bad[0]).__name__}). Rename the columns first, e.g. "
            "df.columns = df.columns.astype(str)."
        )
    if frame.shape[0] == 0:
        raise DataError(
            f"Found array with 0 sample(s) (shape={frame.shape}) while a minimum "
            f"of 1 is required by {owner}."
        )
    return frame, kind


def _first_text(X: Any) -> tuple[str, Any] | None:
    """The positional name and value of a text cell of a 2-D array-like.

    The first text that is not a number (``"a"``) is preferred to the first
    text at all (``"1"``). None when ``X`` is not a 2-D array-like or holds no
    str/bytes value.

    Examples
    --------
    >>> import numpy as np
    >>> _first_text(np.array([["1", "2"], ["3", "a"]], dtype=object))
    ('x1', 'a')
    >>> _first_text(np.array([["1", "2"]]))
    ('x0', '1')
    >>> _first_text([[1.0, 2.0]]) is None
    True
    """
    try:
        array = np.asarray(X, dtype=object)
    except ValueError:  # ragged nested lists
        return None
    if array.ndim != 2:
        return None
    first = None
    for j in range(array.shape[1]):
        for value in array[:, j]:
            if not isinstance(value, (str, bytes)):
                continue
            try:
                float(value)
            except ValueError:
                return f"x{j}", value
            first = first or (f"x{j}", value)
    return first


def _check_unique_names(names: Any, owner: str) -> None:
    """Raise a DataError naming the column names that occur more than once.

    Examples
    --------
    >>> _check_unique_names(["a", "b", "a"], "Demo")
    Traceback (most recent call last):
    ...
    mlprep.exceptions.DataError: Demo needs unique column names; 'a' occurs 2 times. Rename or drop the duplicates first, e.g. df = df.loc[:, ~df.columns.duplicated()].
    """
    counts = Counter(names)
    duplicated = [f"{name!r} occurs {n} times" for name, n in counts.items() if n > 1]
    if duplicated:
        raise DataError(
            f"{owner} needs unique column names; {', '.join(duplicated)}. Rename or "
            "drop the duplicates first, e.g. df = df.loc[:, ~df.columns.duplicated()]."
        )


_NUMBER_KINDS = frozenset(
    {"integer", "floating", "mixed-integer-float", "decimal", "empty"}
)


def _numeric_if_possible(array: np.ndarray) -> np.ndarray:
    """An object array of numbers (and None) as float64; anything else unchanged.

    Strings stay strings even when they look like numbers (``"1"`` is a
    document or a category label, not the number 1).
    """
    if pd.api.types.infer_dtype(array.ravel(), skipna=True) not in _NUMBER_KINDS:
        return array
    try:
        return array.astype(np.float64)
    except (TypeError, ValueError):
        return array


def from_frame(frame: nw.DataFrame, kind: str, output: str | None = None) -> Any:
    """Return ``frame`` as the caller's container, or as ``output`` asks.

    Parameters
    ----------
    frame : narwhals.DataFrame
    kind : {"pandas", "polars", "pyarrow", "numpy"}
        The family the input came in as.
    output : {"default", "pandas", "polars"} or None
        scikit-learn's ``set_output`` choice; ``"default"``/None keeps ``kind``.
    """
    if output == "pandas":
        return frame.to_pandas()
    if output == "polars":
        try:
            return frame.to_polars()
        except ModuleNotFoundError as exc:  # pragma: no cover - polars is a test dep
            raise MissingDependencyError(
                "set_output(transform='polars') needs polars: pip install 'mlprep-kit[polars]'"
            ) from exc
    if kind == "numpy":
        return _to_numpy(frame)
    return nw.to_native(frame)


def sparse_out(
    matrix: Any, names: Callable[[], list[str]], output: str | None, *, owner: str
) -> Any:
    """A scipy CSR result as ``set_output`` asks: itself, or a sparse pandas frame.

    ``names`` is called only for a pandas frame (building a million column
    names costs more than the matrix). polars has no sparse frames, so
    ``output="polars"`` is refused with the alternatives named.
    """
    if output == "pandas":
        sparse_frames: Any = (
            pd.DataFrame.sparse
        )  # pandas-stubs types the accessor as ...
        return sparse_frames.from_spmatrix(matrix, columns=names())
    if output == "polars":
        raise DataError(
            f"{owner} produces a sparse matrix, and polars has no sparse frames. Use "
            "set_output(transform='default') for the CSR matrix, or 'pandas' for a "
            "sparse pandas DataFrame."
        )
    return matrix


def _to_numpy(frame: nw.DataFrame) -> np.ndarray:
    """One array for the frame; boolean columns become 0.0/1.0 beside numeric ones."""
    schema = frame.schema
    booleans = [name for name, dtype in schema.items() if dtype == nw.Boolean]
    if (
        booleans
        and len(booleans) < len(schema)
        and all(schema[name].is_numeric() for name in schema if name not in booleans)
    ):
        frame = frame.with_columns(nw.col(*booleans).cast(nw.Float64))
    return frame.to_numpy()


def is_float(dtype: Any) -> bool:
    """Whether ``dtype`` is a floating-point narwhals dtype (the ones with NaN)."""
    return dtype in (nw.Float64, nw.Float32) or isinstance(
        dtype, (nw.Float64, nw.Float32)
    )


def missing_expr(name: str, dtype: Any) -> nw.Expr:
    """An expression true where column ``name`` is missing: null, None, NA or NaN."""
    expr = nw.col(name).is_null()
    if is_float(dtype):
        expr = expr | nw.col(name).is_nan()
    return expr


def null_nan(name: str, dtype: Any) -> nw.Expr:
    """Column ``name`` with NaN turned into null, so every backend agrees on missing."""
    if is_float(dtype):
        return nw.col(name).fill_nan(None)
    return nw.col(name)


def is_missing(series: nw.Series) -> np.ndarray:
    """Boolean numpy mask of the missing entries (null or NaN) of ``series``."""
    mask = series.is_null().to_numpy()
    if is_float(series.dtype):
        mask = mask | series.is_nan().fill_null(False).to_numpy()
    return np.asarray(mask, dtype=bool)


def as_float_array(
    series: nw.Series, *, owner: str, finite: bool = False
) -> np.ndarray:
    """The values of a numeric column as float64 numpy, missing as NaN.

    This is the one door through which numeric kernels (quantiles, λ search)
    get numpy data. It copies only when the backend's layout demands it.
    With ``finite=True`` it is also where ``±inf`` is refused (mlprep's
    policy, scikit-learn's rule): a :class:`~mlprep.exceptions.DataError`
    names the column, the number of ``±inf`` values and the fix
    (:func:`infinite_error`).

    Examples
    --------
    >>> import pandas as pd
    >>> series = nw.from_native(pd.Series([1.0, float("inf")], name="a"), series_only=True)
    >>> as_float_array(series, owner="Demo")
    array([ 1., inf])
    >>> as_float_array(series, owner="Demo", finite=True)
    Traceback (most recent call last):
    ...
    mlprep.exceptions.DataError: Demo needs finite numbers, but column 'a' holds 1 infinite value (±inf). Replace them with NaN (missing) or clip them first: X.replace([np.inf, -np.inf], np.nan).
    """
    dtype = series.dtype
    if dtype == nw.Boolean:
        series = series.cast(nw.Float64)
    elif not dtype.is_numeric():
        raise DataError(
            f"{owner} needs numeric columns, but column {series.name!r} has dtype "
            f"{dtype}. Encode it first (mlprep.encode) or leave it out of columns=."
        )
    values = series.to_numpy()
    if values.dtype == object:
        values = pd.array(values).to_numpy(dtype=np.float64, na_value=np.nan)
    values = np.asarray(values, dtype=np.float64)
    if finite and has_infinite(values):
        raise infinite_error(owner, series.name, count_infinite(values))
    return values


INFINITE_FIX = (
    "Replace them with NaN (missing) or clip them first: "
    "X.replace([np.inf, -np.inf], np.nan)."
)
"""The fix every ``±inf`` refusal names."""


def infinite_error(owner: str, column: str, count: int | None = None) -> DataError:
    """The error for ``±inf`` in a numeric column a class computes with.

    ``count`` is the number of ``±inf`` values (None when the source only
    tells that there are some, e.g. a lazy source's extremes).

    Examples
    --------
    >>> print(infinite_error("StandardScaler", "income", 2))
    StandardScaler needs finite numbers, but column 'income' holds 2 infinite values (±inf). Replace them with NaN (missing) or clip them first: X.replace([np.inf, -np.inf], np.nan).
    """
    if count is None:
        held = "holds infinite values (±inf)"
    else:
        held = f"holds {count} infinite value{'s' if count != 1 else ''} (±inf)"
    return DataError(
        f"{owner} needs finite numbers, but column {column!r} {held}. {INFINITE_FIX}"
    )


def has_infinite(values: np.ndarray) -> bool:
    """Whether a float vector holds ``±inf`` (NaN ignored): two fast reductions.

    ``np.fmax``/``np.fmin`` skip NaN and need no temporary array, so the test
    costs a fraction of one arithmetic pass over the column.

    Examples
    --------
    >>> has_infinite(np.array([1.0, np.nan])), has_infinite(np.array([np.nan, -np.inf]))
    (False, True)
    """
    if values.size == 0 or values.dtype.kind != "f":
        return False
    return bool(
        np.fmax.reduce(values, axis=None) == np.inf
        or np.fmin.reduce(values, axis=None) == -np.inf
    )


def count_infinite(values: np.ndarray) -> int:
    """The number of ``±inf`` values of a float vector."""
    return int(np.count_nonzero(np.isinf(values)))


def refuse_infinite(frame: nw.DataFrame, columns: list[str], *, owner: str) -> None:
    """Raise :func:`infinite_error` for the first of ``columns`` that holds ``±inf``.

    The check ``transform`` runs where it reads the columns through
    expressions rather than :func:`as_float_array`. Only float columns can
    hold ``±inf``; numpy-backed ones are tested in numpy (two reductions),
    the others (polars, pyarrow, pandas nullable) in one backend query.

    Examples
    --------
    >>> import polars as pl
    >>> frame = nw.from_native(pl.DataFrame({"a": [1.0, None], "b": [float("-inf"), 2.0]}))
    >>> refuse_infinite(frame, ["a"], owner="Demo")
    >>> refuse_infinite(frame, ["a", "b"], owner="Demo")
    Traceback (most recent call last):
    ...
    mlprep.exceptions.DataError: Demo needs finite numbers, but column 'b' holds 1 infinite value (±inf). Replace them with NaN (missing) or clip them first: X.replace([np.inf, -np.inf], np.nan).
    """
    schema = frame.schema
    queried = []
    for name in columns:
        if not is_float(schema[name]):
            continue
        values = numpy_float_values(frame[name])
        if values is None:
            queried.append(name)
        elif has_infinite(values):
            raise infinite_error(owner, name, count_infinite(values))
    if not queried or frame.shape[0] == 0:
        return
    _raise_for_counts(frame.select(*_infinite_counts(queried)).row(0), queried, owner)


def _infinite_counts(names: list[str]) -> list[nw.Expr]:
    """One expression per column: its number of ``±inf`` values."""
    return [
        (nw.col(name).abs() == float("inf")).fill_null(False).sum().alias(name)
        for name in names
    ]


def _raise_for_counts(counts: Any, names: list[str], owner: str) -> None:
    for name, count in zip(names, counts):
        if count:
            raise infinite_error(owner, name, int(count))


def with_columns_finite(
    frame: nw.DataFrame, exprs: list[nw.Expr], columns: list[str], *, owner: str
) -> nw.DataFrame:
    """``frame.with_columns(*exprs)``, refusing ``±inf`` in ``columns`` as :func:`refuse_infinite` does.

    On a polars frame the ``±inf`` count and the transform are two queries
    of one ``polars.collect_all`` call, which polars runs side by side, so
    the check costs little of the transform's time; other frames are checked
    first, then transformed.

    Examples
    --------
    >>> import polars as pl
    >>> frame = nw.from_native(pl.DataFrame({"a": [1.0, 2.0]}))
    >>> with_columns_finite(frame, [nw.col("a") * 2], ["a"], owner="Demo")["a"].to_list()
    [2.0, 4.0]
    >>> bad = nw.from_native(pl.DataFrame({"a": [1.0, float("inf")]}))
    >>> with_columns_finite(bad, [nw.col("a") * 2], ["a"], owner="Demo")
    Traceback (most recent call last):
    ...
    mlprep.exceptions.DataError: Demo needs finite numbers, but column 'a' holds 1 infinite value (±inf). Replace them with NaN (missing) or clip them first: X.replace([np.inf, -np.inf], np.nan).
    """
    schema = frame.schema
    floats = [name for name in columns if is_float(schema[name])]
    if not (floats and nw.dependencies.is_polars_dataframe(nw.to_native(frame))):
        refuse_infinite(frame, columns, owner=owner)
        return frame.with_columns(*exprs)
    import polars as pl

    lazy = frame.lazy()
    out, counts = pl.collect_all(
        [
            lazy.with_columns(*exprs).to_native(),
            lazy.select(*_infinite_counts(floats)).to_native(),
        ]
    )
    _raise_for_counts(counts.row(0), floats, owner)
    return nw.from_native(out, eager_only=True)


def refuse_infinite_values(arrays: dict[str, np.ndarray], *, owner: str) -> None:
    """Raise :func:`infinite_error` for the first column of ``arrays`` holding ``±inf``.

    Examples
    --------
    >>> refuse_infinite_values({"a": np.array([1.0, np.nan])}, owner="Demo")
    >>> refuse_infinite_values({"b": np.array([np.inf, 1.0])}, owner="Demo")
    Traceback (most recent call last):
    ...
    mlprep.exceptions.DataError: Demo needs finite numbers, but column 'b' holds 1 infinite value (±inf). Replace them with NaN (missing) or clip them first: X.replace([np.inf, -np.inf], np.nan).
    """
    for name, values in arrays.items():
        if has_infinite(values):
            raise infinite_error(owner, name, count_infinite(values))
