"""``check_resampler``: the contract of resamplers (``fit_resample``, no ``transform``)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError

from mlprep.testing._common import (
    assert_params_equal,
    check_constraint_table,
    pickle_round_trip,
    save_load_round_trip,
    take,
)
from mlprep.testing._containers import (
    BACKENDS,
    as_backend,
    assert_same_values,
    column_names,
    container_of,
    frames_identical,
    target_as_backend,
    to_pandas,
)
from mlprep.testing._hostile import sweep
from mlprep.testing._runner import CheckResult, NotApplicable, run_checks

__all__ = ["RESAMPLER_CHECKS", "check_resampler"]


@dataclass
class _Case:
    estimator: Any
    X: pd.DataFrame
    y: Any
    backends: tuple[str, ...]

    def resample(self) -> tuple[Any, tuple[Any, Any]]:
        """A fresh clone and its ``fit_resample(X, y)`` on the pandas data."""
        resampler = clone(self.estimator)
        return resampler, resampler.fit_resample(self.X, self.y)

    def kept_rows(self, X_out: pd.DataFrame) -> np.ndarray:
        """Positions in ``X`` of the rows of ``X_out``, from the pandas index labels."""
        positions = self.X.index.get_indexer(X_out.index)
        if (positions < 0).any():
            raise AssertionError(
                "the resampled pandas frame has index labels the input did not have"
            )
        return np.asarray(positions, dtype=np.intp)


def _rows(obj: Any) -> int:
    return int(obj.shape[0]) if hasattr(obj, "shape") else len(obj)


# ------------------------------------------------------------------ checks
def check_resample_containers(case: _Case) -> None:
    """``fit_resample`` returns X and y in their own containers, of equal length.

    Every container gives the rows the pandas input gives; a resampler has
    no ``transform`` (imbalanced-learn's Pipeline refuses a step with both).
    """
    if hasattr(clone(case.estimator), "transform"):
        raise AssertionError("a resampler must not have transform")
    _, (X_ref, y_ref) = case.resample()
    n = case.X.shape[0]
    y_values = case.y if case.y is not None else np.arange(n)
    for backend in case.backends:
        native = as_backend(case.X, backend)
        y_native = target_as_backend(y_values, backend)
        X_out, y_out = clone(case.estimator).fit_resample(native, y_native)
        what = f"{backend} input"
        if container_of(X_out) != backend:
            raise AssertionError(f"{what} gave X as a {container_of(X_out)}")
        if container_of(y_out) != container_of(y_native):
            raise AssertionError(
                f"{what}: y given as {container_of(y_native)} came back as "
                f"{container_of(y_out)}"
            )
        if _rows(X_out) != _rows(y_out):
            raise AssertionError(
                f"{what}: X has {_rows(X_out)} rows but y has {_rows(y_out)}"
            )
        names = column_names(X_out)
        if names is not None and names != [str(c) for c in case.X.columns]:
            raise AssertionError(f"{what}: the columns changed to {names[:8]}")
        assert_same_values(X_out, X_ref, what=f"{what} vs pandas input")
        if case.y is not None:
            assert_same_values(
                to_pandas(np.asarray(y_out)),
                to_pandas(np.asarray(y_ref)),
                what=f"y of {what} vs pandas input",
            )
        unsupervised = clone(case.estimator).fit_resample(native)
        if unsupervised[1] is not None:
            raise AssertionError(f"{what}: fit_resample(X) must return y=None")


def check_resample_rows(case: _Case) -> None:
    """The rows kept are rows of ``X``, in their original order, with their index labels."""
    _, (X_out, y_out) = case.resample()
    rows = case.kept_rows(X_out)
    if (np.diff(rows) <= 0).any():
        raise AssertionError("the kept rows are not in their original order")
    assert_same_values(X_out, case.X.iloc[rows], what="kept rows vs the same rows of X")
    if case.y is not None:
        assert_same_values(
            to_pandas(np.asarray(y_out)),
            to_pandas(np.asarray(take(case.y, rows))),
            what="y is not aligned with the kept rows",
        )


def check_resample_mask(case: _Case) -> None:
    """``get_mask`` agrees with the rows kept, ``n_removed_`` and ``removed_indices_``."""
    resampler, (X_out, _) = case.resample()
    n = case.X.shape[0]
    mask = resampler.get_mask()
    removed = resampler.get_mask(removed=True)
    if not (isinstance(mask, np.ndarray) and mask.dtype == bool and mask.shape == (n,)):
        raise AssertionError(f"get_mask() must be a boolean array of {n} rows")
    if not np.array_equal(removed, ~mask):
        raise AssertionError(
            "get_mask(removed=True) is not the complement of get_mask()"
        )
    if not np.array_equal(np.flatnonzero(mask), case.kept_rows(X_out)):
        raise AssertionError("get_mask() does not mark the rows fit_resample kept")
    if resampler.n_removed_ != int((~mask).sum()):
        raise AssertionError(
            f"n_removed_={resampler.n_removed_} but get_mask() removes {(~mask).sum()}"
        )
    if not np.array_equal(resampler.removed_indices_, np.flatnonzero(~mask)):
        raise AssertionError("removed_indices_ differs from get_mask(removed=True)")
    fitted = clone(case.estimator)
    if fitted.fit(case.X, case.y) is not fitted:
        raise AssertionError("fit must return the resampler")
    if not np.array_equal(fitted.get_mask(), mask):
        raise AssertionError("fit and fit_resample remove different rows")


def check_no_mutation(case: _Case) -> None:
    """``fit_resample`` never modifies ``X`` or ``y``, whatever their containers."""
    n = case.X.shape[0]
    y_values = case.y if case.y is not None else np.arange(n)
    for backend in case.backends:
        native = as_backend(case.X, backend)
        y_native = target_as_backend(y_values, backend)
        before, y_before = copy.deepcopy(native), copy.deepcopy(y_native)
        clone(case.estimator).fit_resample(native, y_native)
        changed = frames_identical(native, before) or frames_identical(
            y_native, y_before
        )
        if changed:
            raise AssertionError(f"{backend} input was modified: {changed}")


def check_clone(case: _Case) -> None:
    """``clone`` of a fitted resampler: same parameters, not fitted."""
    resampler, _ = case.resample()
    copied = clone(resampler)
    if type(copied) is not type(resampler):
        raise AssertionError(f"clone gave a {type(copied).__name__}")
    assert_params_equal(copied, resampler, "clone")
    try:
        copied.get_mask()
    except NotFittedError:
        return
    raise AssertionError("get_mask of an unfitted clone did not raise NotFittedError")


def _same_fit(copied: Any, resampler: Any, what: str, case: _Case) -> None:
    if not np.array_equal(copied.get_mask(), resampler.get_mask()):
        raise AssertionError(f"{what}: get_mask() differs")
    X_copy, _ = clone(copied).fit_resample(case.X, case.y)
    X_orig, _ = clone(resampler).fit_resample(case.X, case.y)
    assert_same_values(X_copy, X_orig, what=f"{what}: fit_resample")


def check_pickle(case: _Case) -> None:
    """A pickled and restored fitted resampler keeps its parameters and mask."""
    resampler, _ = case.resample()
    restored = pickle_round_trip(resampler)
    assert_params_equal(restored, resampler, "pickling")
    _same_fit(restored, resampler, "after pickling", case)


def check_save_load(case: _Case) -> None:
    """``mlprep.load(mlprep.save(r))``: same class, parameters and mask."""
    resampler, _ = case.resample()
    loaded = save_load_round_trip(resampler)
    _same_fit(loaded, resampler, "after load(save())", case)


def check_parameter_constraints(case: _Case) -> None:
    """Every ``__init__`` parameter has a constraint; a bad value fails ``fit_resample``."""
    check_constraint_table(case.estimator, lambda bad: bad.fit_resample(case.X, case.y))


class _RowCounter(BaseEstimator):
    """The last step of the pipeline check: remembers how many rows it was fitted on."""

    def fit(self, X: Any, y: Any = None) -> _RowCounter:
        self.n_rows_ = _rows(X)
        return self

    def predict(self, X: Any) -> np.ndarray:
        return np.zeros(_rows(X))


def check_imblearn_pipeline(case: _Case) -> None:
    """Inside ``imblearn.pipeline.Pipeline`` rows are dropped while fitting only."""
    try:
        from imblearn.pipeline import Pipeline
    except ImportError as missing:
        raise NotApplicable("imbalanced-learn is not installed") from missing
    n = case.X.shape[0]
    y = case.y if case.y is not None else np.zeros(n)
    _, (X_out, _) = case.resample()
    pipeline = Pipeline([("resample", clone(case.estimator)), ("model", _RowCounter())])
    pipeline.fit(case.X, y)
    fitted_rows = pipeline.named_steps["model"].n_rows_
    if fitted_rows != _rows(X_out):
        raise AssertionError(
            f"the pipeline's model was fitted on {fitted_rows} rows; fit_resample "
            f"keeps {_rows(X_out)}"
        )
    predicted = pipeline.predict(case.X)
    if len(predicted) != n:
        raise AssertionError(
            f"predict saw {len(predicted)} of {n} rows; prediction must see every row"
        )


def check_hostile_input(case: _Case) -> None:
    """NaN-only, ±inf, 1e308, 0-row, 1-row, constant, nullable and Arrow inputs
    to ``fit_resample``: a result or an ``MlprepError``, never a bare exception
    or a numpy RuntimeWarning (:func:`mlprep.testing._hostile.sweep`)."""
    sweep(case.estimator, case.X, case.y, kind="resample")


RESAMPLER_CHECKS: dict[str, Callable[[_Case], None]] = {
    "check_resample_containers": check_resample_containers,
    "check_resample_rows": check_resample_rows,
    "check_resample_mask": check_resample_mask,
    "check_no_mutation": check_no_mutation,
    "check_clone": check_clone,
    "check_pickle": check_pickle,
    "check_save_load": check_save_load,
    "check_parameter_constraints": check_parameter_constraints,
    "check_imblearn_pipeline": check_imblearn_pipeline,
    "check_hostile_input": check_hostile_input,
}
"""The resampler checks by name, in the order :func:`check_resampler` runs them."""


def check_resampler(
    resampler: Any,
    X: Any,
    y: Any = None,
    *,
    checks: Iterable[str] | None = None,
    expected_failures: Mapping[str, str] | None = None,
    backends: Iterable[str] = BACKENDS,
) -> list[CheckResult]:
    """Run the conformance checks of a resampler on ``X`` (and ``y``).

    Checks (names in :data:`RESAMPLER_CHECKS`): ``fit_resample`` returns
    ``X`` and ``y`` in the containers they came in (pandas, polars, pyarrow,
    numpy), of equal length, and no ``transform`` exists; the kept rows are
    rows of ``X`` in their original order, pandas index labels kept, ``y``
    aligned; ``get_mask``, ``n_removed_`` and ``removed_indices_`` agree;
    ``X`` and ``y`` are never modified; ``clone``, pickle and
    ``mlprep.save``/``mlprep.load`` keep parameters and state; a constraint for
    every parameter; inside ``imblearn.pipeline.Pipeline`` rows are dropped
    while fitting and every row is predicted (skipped when imbalanced-learn is
    not installed).

    Parameters
    ----------
    resampler : resampler
        Fitted or not; it is cloned, never modified.
    X : pandas DataFrame (or any container mlprep accepts)
        Small data on which the resampler drops some rows; give it an index
        that is not the default range to prove labels are kept.
    y : array-like or None
        A target aligned with ``X``.
    checks, expected_failures, backends
        As in :func:`check_transformer`.

    Returns
    -------
    list of CheckResult

    Raises
    ------
    ConformanceError
        Naming the resampler and every failing check.

    Examples
    --------
    >>> from mlprep.outliers import Deduplicator
    >>> from mlprep.testing import check_resampler
    >>> from mlprep.testing.data import resample_data
    >>> X, y = resample_data()
    >>> results = check_resampler(Deduplicator(), X, y, checks=["check_resample_rows"])
    >>> results[0].status
    'passed'
    """
    frame = to_pandas(X)
    if not frame.index.is_unique:
        frame = frame.reset_index(drop=True)
    case = _Case(estimator=resampler, X=frame, y=y, backends=tuple(backends))
    return run_checks(
        resampler,
        RESAMPLER_CHECKS,
        case,
        checks=checks,
        expected_failures=expected_failures,
    )
