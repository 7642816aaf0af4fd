"""Iterative (MICE-style) imputation: scikit-learn fits the chain, numpy replays it.

:func:`fit_chain` runs scikit-learn's ``IterativeImputer`` (its defaults:
``BayesianRidge``, mean start, ascending order, no posterior sampling, every
other column a predictor) and keeps what its ``transform`` needs as plain
data: the starting means and, per step, the imputed column, its predictors
and the linear model's ``coef_`` and ``intercept_``. :func:`apply_chain`
replays those steps with numpy, which gives scikit-learn's ``transform``
result without keeping any scikit-learn object.

Data beyond :data:`~mlprep.core._stats.SQUARES_SAFE` in magnitude (values
near ``1e308``, whose squares overflow the regressions) are divided by one
power of two for every column (exact) and the chain fitted on that: the
coefficients are the same in any unit (every column shares it), the means
and intercepts are multiplied back. :func:`apply_chain` replays it in units
of the same kind, so predictions that sum values near ``1e308`` stay finite
(a prediction beyond float64's range is held at ``±1.8e308``). Observed
values are never touched, in any unit.
"""

from __future__ import annotations

import warnings
from typing import Any, NamedTuple

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.experimental import enable_iterative_imputer  # noqa: F401
from sklearn.impute import IterativeImputer

from mlprep.core._stats import from_units, unit_for_squares
from mlprep.exceptions import DataError

__all__ = ["Chain", "apply_chain", "fit_chain"]


class Chain(NamedTuple):
    """A fitted chain: what ``fit_chain`` learned and the imputed training data."""

    means: np.ndarray
    """The column means the chain starts from, shape (n_columns,)."""
    steps: list[dict[str, Any]]
    """Per step: ``column`` and ``predictors`` (positions), ``coef``, ``intercept``."""
    n_iter: int
    """The rounds run (0: the means are the answer)."""
    filled: np.ndarray
    """The training data imputed (scikit-learn's ``fit_transform``)."""
    converged: bool
    """False when the rounds ran out before the changes fell below ``tol``."""


def fit_chain(values: np.ndarray, *, max_iter: int, tol: float) -> Chain:
    """Fit scikit-learn's ``IterativeImputer`` on ``values`` and extract its chain.

    ``values`` is float64 with NaN for missing, no column entirely missing,
    no ``±inf``. scikit-learn's ``ConvergenceWarning`` is turned into
    ``converged=False`` (the caller words its own warning); any other
    warning is passed on. Values near ``1e308`` are fitted in a power-of-two
    unit (see the module docstring).

    Raises
    ------
    DataError
        scikit-learn cannot fit a regression of the chain (its error
        attached), instead of its bare exception.
    """
    unit = unit_for_squares(values)
    imputer = IterativeImputer(max_iter=max_iter, tol=tol)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            filled = imputer.fit_transform(values / unit if unit != 1.0 else values)
        except (ArithmeticError, IndexError, ValueError) as exc:
            raise DataError(
                "Imputer(strategy='iterative') could not fit its chain of "
                f"regressions on these columns: {type(exc).__name__}: {exc}. Check "
                "the columns for near-duplicates or extreme values, or use "
                "strategy='knn' or 'mean'."
            ) from exc
    converged = True
    for record in caught:
        if issubclass(record.category, ConvergenceWarning):
            converged = False
        else:
            warnings.warn_explicit(
                record.message, record.category, record.filename, record.lineno
            )
    steps = [
        {
            "column": int(triplet.feat_idx),
            "predictors": [int(i) for i in triplet.neighbor_feat_idx],
            "coef": np.asarray(triplet.estimator.coef_, dtype=np.float64),
            "intercept": _back(float(triplet.estimator.intercept_), unit),
        }
        for triplet in imputer.imputation_sequence_
    ]
    means = np.asarray(imputer.initial_imputer_.statistics_, dtype=np.float64)
    if unit != 1.0:
        means = from_units(means, unit)
        filled = np.where(np.isnan(values), from_units(filled, unit), values)
    return Chain(means, steps, int(imputer.n_iter_), filled, converged)


def _back(number: float, unit: float) -> float:
    """A number computed in units of ``unit``, multiplied back (:func:`from_units`)."""
    return number if unit == 1.0 else float(from_units(number, unit))


def apply_chain(
    values: np.ndarray, means: np.ndarray, steps: list[dict[str, Any]], n_iter: int
) -> np.ndarray:
    """``values`` imputed by the chain: means first, then each step's prediction.

    A step predicts its column's missing rows as ``X[rows, predictors] @ coef
    + intercept`` from the current imputations; observed values are never
    touched. As in scikit-learn, the means are the answer when no round was
    run or when every value is missing. Values, means or intercepts near
    ``1e308`` are replayed in a power-of-two unit and multiplied back.
    """
    missing = np.isnan(values)
    filled = np.where(missing, means, values)
    if n_iter == 0 or missing.all():
        return filled
    intercepts = np.array([step["intercept"] for step in steps], dtype=np.float64)
    unit = unit_for_squares(values, means, intercepts)
    if unit != 1.0:
        scaled = [{**step, "intercept": step["intercept"] / unit} for step in steps]
        found = _replay(filled / unit, missing, scaled)
        return np.where(missing, from_units(found, unit), values)
    return _replay(filled, missing, steps)


def _replay(
    filled: np.ndarray, missing: np.ndarray, steps: list[dict[str, Any]]
) -> np.ndarray:
    """Each step's prediction written into its column's missing rows of ``filled``."""
    rows_of: dict[int, np.ndarray] = {}
    for step in steps:
        column = step["column"]
        if column not in rows_of:
            rows_of[column] = np.flatnonzero(missing[:, column])
        rows = rows_of[column]
        if rows.size:
            predictors = filled[np.ix_(rows, step["predictors"])]
            filled[rows, column] = predictors @ step["coef"] + step["intercept"]
    return filled
