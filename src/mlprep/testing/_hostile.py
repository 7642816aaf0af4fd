"""The hostile-input sweep: the inputs that break numerical code, fed to every class.

:func:`hostile_variants` derives, from the small data set a class is checked
on, the inputs that found most defects in the past: a column of NaN only, a
``±inf``, finite values near the float64 limit (``1e308``), a frame of 0
rows, a single row, constant columns, pandas' nullable dtypes (``Int64``,
``Float64``, ``boolean``) and pyarrow-backed dtypes; then, after a clean
fit, permuted and missing columns at ``transform``.

The rule every class must keep on each of them (:func:`sweep`): either a
correct result, or an :class:`~mlprep.exceptions.MlprepError` — never a bare
numpy, pandas, scipy or narwhals exception, and never a numpy
``RuntimeWarning`` (overflow, invalid value, divide by zero, mean of an empty
slice). A correct result has the rows of the input and the columns of
``get_feature_names_out()``; where the input held no ``±inf``, it holds no
``±inf`` either; and scaling the data towards ``1e308`` adds no missing
values to the output. Permuted or missing columns at ``transform`` must be
refused with an ``MlprepError``.

Examples
--------
>>> from mlprep.scale import StandardScaler
>>> from mlprep.testing.data import numeric_data
>>> X, _ = numeric_data()
>>> [v.name for v in hostile_variants(X, None)][:4]
['nan column', '+inf and -inf', 'values near 1e308', '0 rows']
>>> sweep(StandardScaler(), X, None, kind="transform")
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import clone

from mlprep.exceptions import MlprepError
from mlprep.testing._common import take

__all__ = ["HostileVariant", "hostile_variants", "sweep"]

HUGE = 1e308
"""The magnitude the largest value of each numeric column is scaled to."""


@dataclass(frozen=True)
class HostileVariant:
    """One hostile input: the data to fit on and whether it holds ``±inf``.

    Attributes
    ----------
    name : str
        What is hostile about it (shown in failures).
    X : pandas.DataFrame
    y : array-like or None
        ``y`` restricted to the variant's rows.
    infinite : bool
        The input holds ``±inf`` (its output may too, in those rows).
    scaled : bool
        The variant is the data scaled towards ``1e308``: its output may have
        no more non-finite values than the output of the original data.
    factor : float
        For a scaled variant, the largest factor a column was multiplied by:
        an output whose clean value times ``factor`` exceeds float64 (a sum of
        values near ``1e308``) may correctly be ``±inf``.
    """

    name: str
    X: pd.DataFrame
    y: Any
    infinite: bool = False
    scaled: bool = False
    factor: float = 1.0


def _numeric_columns(X: pd.DataFrame) -> list[str]:
    return [
        c
        for c in X.columns
        if pd.api.types.is_numeric_dtype(X[c]) and not pd.api.types.is_bool_dtype(X[c])
    ]


def hostile_variants(X: pd.DataFrame, y: Any) -> Iterator[HostileVariant]:
    """The hostile variants of ``X`` (and ``y``), in a fixed order.

    Variants that need a numeric column are left out when ``X`` has none;
    ``X`` itself is never modified.

    Parameters
    ----------
    X : pandas.DataFrame
        The clean data a class is checked on (a few tens of rows).
    y : array-like or None
        Its target.

    Yields
    ------
    HostileVariant
    """
    numeric = _numeric_columns(X)
    rows = np.arange(X.shape[0])
    if numeric and X.shape[0] >= 3:
        first = numeric[0]
        nan_column = X.copy()
        nan_column[first] = np.nan
        yield HostileVariant("nan column", nan_column, y)
        infinite = X.copy()
        values = infinite[first].to_numpy(dtype=np.float64, copy=True)
        values[1], values[2] = np.inf, -np.inf
        infinite[first] = values
        yield HostileVariant("+inf and -inf", infinite, y, infinite=True)
        huge = X.copy()
        factor = 1.0
        for name in numeric:
            column = huge[name].to_numpy(dtype=np.float64, copy=True)
            top = np.nanmax(np.abs(column)) if np.isfinite(column).any() else 0.0
            if top > 0:
                huge[name] = column / top * HUGE
                factor = max(factor, HUGE / top)
        yield HostileVariant("values near 1e308", huge, y, scaled=True, factor=factor)
    yield HostileVariant("0 rows", X.iloc[:0], take(y, rows[:0]))
    yield HostileVariant("1 row", X.iloc[:1], take(y, rows[:1]))
    if numeric:
        constant = X.copy()
        for name in numeric:
            constant[name] = constant[name] * 0 + 3
        yield HostileVariant("constant columns", constant, y)
    nullable = X.convert_dtypes(dtype_backend="numpy_nullable")
    if numeric and X.shape[0] >= 2:
        nullable.loc[nullable.index[1], numeric[0]] = pd.NA
    yield HostileVariant("nullable dtypes (Int64, Float64, boolean)", nullable, y)
    try:
        arrow = X.convert_dtypes(dtype_backend="pyarrow")
    except (TypeError, ValueError, ImportError):  # pragma: no cover - old pandas
        return
    yield HostileVariant("pyarrow-backed dtypes", arrow, y)


def _catching(action: Callable[[], Any]) -> tuple[Any, BaseException | None, list[str]]:
    """``action()``'s result or exception, and the RuntimeWarnings it emitted."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result, error = action(), None
        except Exception as exc:
            result, error = None, exc
    runtime = [
        f"{w.category.__name__}: {w.message} ({w.filename}:{w.lineno})"
        for w in caught
        if issubclass(w.category, RuntimeWarning)
    ]
    return result, error, runtime


def _float_matrix(output: Any) -> np.ndarray | None:
    """The numeric cells of an output as a 2-D float array (None: nothing numeric)."""
    if isinstance(output, tuple):  # a resampler: (X, y)
        output = output[0]
    if sp.issparse(output):
        return np.asarray(output.toarray(), dtype=np.float64)
    if isinstance(output, np.ndarray):
        if output.dtype.kind in "fiub":
            return output.astype(np.float64).reshape(output.shape[0], -1)
        return None
    from mlprep.testing._containers import to_pandas

    frame = to_pandas(output)
    blocks = [
        frame[c].to_numpy(dtype=np.float64, na_value=np.nan)
        for c in frame.columns
        if pd.api.types.is_numeric_dtype(frame[c])
        and not pd.api.types.is_bool_dtype(frame[c])
    ]
    if not blocks:
        return None
    return np.column_stack(blocks)


def _shape_problem(fitted: Any, output: Any, n_rows: int, kind: str) -> str | None:
    """What is wrong with the shape of ``output`` (None when nothing)."""
    if kind != "transform":
        return None
    rows = int(output.shape[0])
    if rows != n_rows:
        return f"{n_rows} rows in, {rows} out"
    names = [str(n) for n in fitted.get_feature_names_out()]
    if output.shape[1] != len(names):
        return (
            f"{output.shape[1]} output columns but get_feature_names_out() has "
            f"{len(names)}"
        )
    return None


def _damage(
    output: Any, reference: np.ndarray | None, variant: HostileVariant, kind: str
) -> str | None:
    """Non-finite output the input does not explain (None when there is none).

    Without ``±inf`` in the input, the output holds no ``±inf``. For a
    transform, ``reference`` is the output of the same data with NaN (a
    missing value) in place of each ``±inf`` (for the ``±inf`` variant) or of
    the clean data (for the ``1e308`` variant): a ``±inf`` may do no more harm
    than a missing value in its place, and a rescaling to ``1e308`` may not
    add non-finite values, so neither can ruin a whole column. The one
    exception: ``±inf`` where the true result exceeds float64, i.e. where the
    clean output times the variant's scale factor does (the sum of values
    near ``1e308``), since ``±inf`` is then the correctly rounded value.
    """
    values = _float_matrix(output)
    if values is None:
        return None
    comparable = (
        kind == "transform"
        and reference is not None
        and reference.shape == values.shape
    )
    overflows = np.zeros(values.shape, dtype=bool)
    if variant.scaled and comparable:
        assert reference is not None
        with np.errstate(over="ignore", invalid="ignore"):
            overflows = np.abs(reference) * variant.factor > np.finfo(np.float64).max
        overflows &= np.isinf(values)
    if not variant.infinite and (np.isinf(values) & ~overflows).any():
        return "±inf in the output of an input without ±inf"
    if not comparable:
        return None
    assert reference is not None
    if variant.infinite:
        extra = int((~np.isfinite(values) & np.isfinite(reference)).sum())
        if extra:
            return (
                f"{extra} output values are non-finite where NaN in place of the "
                "±inf gives finite ones"
            )
    elif variant.scaled:
        found = int((~np.isfinite(values) & ~overflows).sum())
        expected = int((~np.isfinite(reference)).sum())
        if found > expected:
            return (
                f"{found} non-finite output values where the data before scaling "
                f"gives {expected}"
            )
    return None


def _reference(
    estimator: Any, variant: HostileVariant, clean: np.ndarray | None, kind: str
) -> np.ndarray | None:
    """What :func:`_damage` compares a variant's output with (None: nothing)."""
    if not variant.infinite:
        return clean
    twin = variant.X.copy()
    for name in _numeric_columns(twin):
        column = twin[name].to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
        if np.isinf(column).any():
            column[np.isinf(column)] = np.nan
            twin[name] = column
    result, error, _ = _catching(lambda: _run(estimator, twin, variant.y, kind))
    return None if error is not None else _float_matrix(result[1])


def _run(estimator: Any, X: Any, y: Any, kind: str) -> tuple[Any, Any]:
    fitted = clone(estimator)
    if kind == "resample":
        return fitted, fitted.fit_resample(X, y)
    fitted.fit(X, y)
    return fitted, fitted.transform(X)


def sweep(estimator: Any, X: pd.DataFrame, y: Any, *, kind: str) -> None:
    """Feed every hostile variant of ``X`` to a clone of ``estimator``.

    Parameters
    ----------
    estimator : transformer or resampler
        Cloned for every variant, never modified.
    X : pandas.DataFrame
        Clean data it fits.
    y : array-like or None
    kind : {"transform", "resample"}
        ``fit`` then ``transform``, or ``fit_resample``.

    Raises
    ------
    AssertionError
        Naming every variant that gave a bare (non-mlprep) exception, a numpy
        RuntimeWarning, or a wrong result.
    """
    problems: list[str] = []
    result, error, runtime = _catching(lambda: _run(estimator, X, y, kind))
    if error is not None:
        raise AssertionError(f"the clean data fails: {error!r}") from error
    if runtime:
        problems.append(f"the clean data: {runtime[0]}")
    clean = _float_matrix(result[1])
    for variant in hostile_variants(X, y):

        def attempt(v: HostileVariant = variant) -> tuple[Any, Any]:
            return _run(estimator, v.X, v.y, kind)

        result, error, runtime = _catching(attempt)
        label = variant.name
        if runtime:
            problems.append(f"{label}: {runtime[0]}")
        if error is not None:
            if not isinstance(error, MlprepError):
                problems.append(f"{label}: {type(error).__name__}: {error}")
            continue
        fitted, output = result
        problem = _shape_problem(fitted, output, variant.X.shape[0], kind)
        if problem is None and (variant.infinite or variant.scaled):
            reference = _reference(estimator, variant, clean, kind)
            problem = _damage(output, reference, variant, kind)
        elif problem is None:
            problem = _damage(output, None, variant, kind)
        if problem is not None:
            problems.append(f"{label}: {problem}")
    if kind == "transform":
        problems += _column_drift(estimator, X, y)
    if problems:
        raise AssertionError("; ".join(problems))


def _column_drift(estimator: Any, X: pd.DataFrame, y: Any) -> list[str]:
    """Permuted and missing columns at ``transform`` must raise an MlprepError."""
    if X.shape[1] < 2:
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = clone(estimator).fit(X, y)
    problems = []
    for label, changed in (
        ("permuted columns at transform", X[list(reversed(X.columns))]),
        ("a missing column at transform", X.drop(columns=X.columns[-1])),
    ):

        def attempt(c: pd.DataFrame = changed) -> Any:
            return fitted.transform(c)

        _, error, runtime = _catching(attempt)
        if runtime:
            problems.append(f"{label}: {runtime[0]}")
        if error is None:
            problems.append(f"{label}: accepted without an error")
        elif not isinstance(error, MlprepError):
            problems.append(f"{label}: {type(error).__name__}: {error}")
    return problems
