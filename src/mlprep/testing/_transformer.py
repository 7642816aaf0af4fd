"""``check_transformer``: the contract every mlprep transformer keeps."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn import config_context
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from mlprep.exceptions import DataError
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
    to_pandas,
)
from mlprep.testing._equality import first_difference
from mlprep.testing._hostile import sweep
from mlprep.testing._runner import CheckResult, NotApplicable, run_checks

__all__ = ["TRANSFORMER_CHECKS", "check_transformer"]


@dataclass
class _Case:
    estimator: Any
    X: pd.DataFrame
    y: Any
    backends: tuple[str, ...]
    fit_transform_consistent: bool
    partial_fit_exact: bool
    rtol: float
    atol: float

    def fit(self, X: Any = None) -> Any:
        """A fresh clone fitted on ``X`` (the pandas data by default)."""
        return clone(self.estimator).fit(self.X if X is None else X, self.y)

    @cached_property
    def reference(self) -> tuple[Any, Any]:
        """``(fitted, fitted.transform(X))`` on the pandas data."""
        fitted = self.fit()
        return fitted, fitted.transform(self.X)

    @property
    def sparse(self) -> bool:
        return bool(sp.issparse(self.reference[1]))

    def names(self) -> list[str]:
        return [str(n) for n in self.reference[0].get_feature_names_out()]

    def same_output(self, output: Any, what: str, fitted: Any = None) -> None:
        """``output`` has the reference's values, and the width and names (frames)
        of ``get_feature_names_out()`` of ``fitted`` (the reference by default)."""
        reference = self.reference[1]
        if fitted is None:
            names = self.names()
        else:
            names = [str(n) for n in fitted.get_feature_names_out()]
        if output.shape[1] != len(names):
            raise AssertionError(
                f"{what}: {output.shape[1]} output columns but get_feature_names_out() "
                f"has {len(names)}"
            )
        seen = column_names(output)
        if seen is not None and seen != names:
            raise AssertionError(
                f"{what}: output columns {seen[:8]} differ from "
                f"get_feature_names_out() {names[:8]}"
            )
        assert_same_values(output, reference, rtol=self.rtol, atol=self.atol, what=what)


# ------------------------------------------------------------------ checks
def _expects_sparse(estimator: Any) -> bool | None:
    """Whether the result must be sparse: ``sparse_output``, or a text vectorizer."""
    from mlprep.text import CountVectorizer, HashingVectorizer

    if isinstance(estimator, (CountVectorizer, HashingVectorizer)):
        return True
    flag = estimator.get_params(deep=False).get("sparse_output")
    return None if flag is None else bool(flag)


def check_containers(case: _Case) -> None:
    """pandas, polars, pyarrow and numpy in: the same container out (a CSR if sparse).

    The result is sparse exactly when ``sparse_output=True`` (always for the
    text vectorizers).
    """
    expects = _expects_sparse(case.estimator)
    if expects is not None and expects != case.sparse:
        raise AssertionError(
            f"the result is {'sparse' if case.sparse else 'dense'}, but it must be "
            f"{'sparse' if expects else 'dense'} for this configuration"
        )
    for backend in case.backends:
        native = as_backend(case.X, backend)
        fitted = clone(case.estimator).fit(native, case.y)
        output = fitted.transform(native)
        expected = "csr" if case.sparse else backend
        if container_of(output) != expected:
            raise AssertionError(
                f"{backend} input gave a {container_of(output)} output, expected {expected}"
            )
        case.same_output(output, f"{backend} input", fitted)


def check_set_output(case: _Case) -> None:
    """``set_output(transform="pandas"|"polars")`` returns that frame for every input.

    Set after ``fit`` (each input container) and before ``fit_transform``.
    A sparse result becomes a sparse pandas frame under "pandas" and raises a
    DataError under "polars" (polars has no sparse frames).
    """
    for backend in case.backends:
        native = as_backend(case.X, backend)
        fitted = clone(case.estimator).fit(native, case.y)
        for output in ("pandas", "polars"):
            if fitted.set_output(transform=output) is not fitted:
                raise AssertionError("set_output did not return the estimator")
            what = f"set_output({output!r}) with {backend} input"
            _check_output_as(
                case, output, partial(fitted.transform, native), what, fitted
            )
    for output in ("pandas", "polars"):
        estimator = clone(case.estimator).set_output(transform=output)
        what = f"set_output({output!r}) then fit_transform"
        _check_output_as(
            case,
            output,
            partial(estimator.fit_transform, case.X, case.y),
            what,
            estimator,
        )


def _check_output_as(
    case: _Case, output: str, produce: Callable[[], Any], what: str, fitted: Any
) -> None:
    if case.sparse and output == "polars":
        try:
            produce()
        except DataError:
            return
        raise AssertionError(
            f"{what}: a sparse result must raise mlprep's DataError (polars has no "
            "sparse frames)"
        )
    result = produce()
    if container_of(result) != output:
        raise AssertionError(f"{what} returned a {container_of(result)} result")
    if case.sparse and not all(
        isinstance(dtype, pd.SparseDtype) for dtype in result.dtypes
    ):
        raise AssertionError(f"{what}: a sparse result must be a sparse pandas frame")
    if case.fit_transform_consistent or "fit_transform" not in what:
        case.same_output(result, what, fitted)


def check_feature_names_out(case: _Case) -> None:
    """``get_feature_names_out()``: unique strings, one per output column, in order."""
    fitted, output = case.reference
    names = fitted.get_feature_names_out()
    if not isinstance(names, np.ndarray) or names.dtype != object:
        raise AssertionError(
            f"get_feature_names_out() must be an object ndarray, got "
            f"{type(names).__name__} {getattr(names, 'dtype', '')}"
        )
    listed = names.tolist()
    if not all(isinstance(n, str) for n in listed):
        raise AssertionError("get_feature_names_out() holds non-strings")
    repeated = sorted({n for n in listed if listed.count(n) > 1})
    if repeated:
        raise AssertionError(f"output names repeat: {repeated[:5]}")
    case.same_output(output, "transform")
    inputs = getattr(fitted, "feature_names_in_", None)
    if inputs is not None and fitted.get_feature_names_out(inputs).tolist() != listed:
        raise AssertionError(
            "get_feature_names_out(feature_names_in_) differs from get_feature_names_out()"
        )


def _follows_naming_rule(name: str, inputs: list[str]) -> bool:
    """An input name, ``{input}_...``, or a shared block ``{a}+{b}_...`` of inputs."""
    if name in inputs:
        return True
    known = set(inputs)
    for position, character in enumerate(name):
        if character != "_" or position == 0:
            continue
        head = name[:position]
        if head in known or all(part in known for part in head.split("+")):
            return True
    return False


def _keeps_bare_terms(fitted: Any) -> bool:
    """A text vectorizer over one column, with no other output, names its outputs by the bare terms."""
    from mlprep.text import CountVectorizer, TfidfVectorizer

    bare = (CountVectorizer, TfidfVectorizer)
    return (
        isinstance(fitted, bare)
        and len(getattr(fitted, "columns_", ())) == 1
        and not getattr(fitted, "passthrough_", [])
    )


def check_naming_rule(case: _Case) -> None:
    """Every output name is an input name or ``{input}_{what}`` (see ``mlprep.core._names``).

    The documented exceptions: a text vectorizer over one column keeps the
    bare terms; a hashing block shared by several columns is ``{a}+{b}_hash_{i}``.
    """
    fitted, _ = case.reference
    if _keeps_bare_terms(fitted):
        raise NotApplicable(
            "a text vectorizer over one column names its outputs by the bare terms"
        )
    inputs = [str(n) for n in fitted.feature_names_in_]
    names = [str(n) for n in fitted.get_feature_names_out()]
    wrong = [n for n in names if not _follows_naming_rule(n, inputs)]
    if wrong:
        raise AssertionError(
            f"output names {wrong[:5]} are neither an input name nor "
            f"'{{input}}_{{what}}' for an input column of {inputs[:8]}"
        )


def check_clone(case: _Case) -> None:
    """``clone`` of a fitted transformer: same parameters, not fitted."""
    fitted = case.fit()
    copied = clone(fitted)
    if type(copied) is not type(fitted):
        raise AssertionError(f"clone gave a {type(copied).__name__}")
    assert_params_equal(copied, fitted, "clone")
    learned = sorted(
        k for k in vars(copied) if k.endswith("_") and not k.startswith("_")
    )
    if learned:
        raise AssertionError(f"clone kept fitted attributes {learned}")
    try:
        copied.transform(case.X)
    except NotFittedError:
        return
    raise AssertionError("transform of an unfitted clone did not raise NotFittedError")


def check_pickle(case: _Case) -> None:
    """A pickled and restored fitted transformer gives the same output."""
    restored = pickle_round_trip(case.fit())
    output = restored.transform(case.X)
    if container_of(output) != container_of(case.reference[1]):
        raise AssertionError(f"after pickling, transform gave a {container_of(output)}")
    case.same_output(output, "after pickling")


def check_save_load(case: _Case) -> None:
    """``mlprep.load(mlprep.save(t))``: same class, parameters and output."""
    loaded = save_load_round_trip(case.fit())
    output = loaded.transform(case.X)
    if container_of(output) != container_of(case.reference[1]):
        raise AssertionError(
            f"after load(save()), transform gave a {container_of(output)}"
        )
    case.same_output(output, "after load(save())")


def check_no_mutation(case: _Case) -> None:
    """``fit``, ``transform`` and ``fit_transform`` never modify ``X`` or ``y``."""
    for backend in case.backends:
        native = as_backend(case.X, backend)
        before, y_before = copy.deepcopy(native), copy.deepcopy(case.y)
        fitted = clone(case.estimator).fit(native, case.y)
        fitted.transform(native)
        clone(case.estimator).fit_transform(native, case.y)
        changed = frames_identical(native, before)
        if changed:
            raise AssertionError(f"{backend} input was modified: {changed}")
        if case.y is not None and frames_identical(case.y, y_before):
            raise AssertionError(f"y was modified ({backend} input)")


def check_transform_keeps_state(case: _Case) -> None:
    """``transform`` (and ``get_feature_names_out``) write nothing to ``self``."""
    fitted = case.fit()
    before = copy.deepcopy(vars(fitted))
    fitted.transform(case.X)
    fitted.get_feature_names_out()
    found = first_difference(vars(fitted), before, "vars(estimator)")
    if found:
        raise AssertionError(f"transform changed the estimator's state: {found}")


def check_parameter_constraints(case: _Case) -> None:
    """Every ``__init__`` parameter has a constraint; a bad value fails ``fit``."""
    check_constraint_table(case.estimator, lambda bad: bad.fit(case.X, case.y))


def check_fit_transform(case: _Case) -> None:
    """``fit_transform`` returns the container and names of ``fit().transform()``.

    Its values are equal too, unless the transformer is declared to differ
    (``fit_transform_consistent=False``: cross-fitting, series continued).
    """
    estimator = clone(case.estimator)
    together = estimator.fit_transform(case.X, case.y)
    if container_of(together) != container_of(case.reference[1]):
        raise AssertionError(
            f"fit_transform gave a {container_of(together)}, transform a "
            f"{container_of(case.reference[1])}"
        )
    names = [str(n) for n in estimator.get_feature_names_out()]
    if names != case.names():
        raise AssertionError("fit_transform and fit learned different output names")
    if case.fit_transform_consistent:
        case.same_output(together, "fit_transform vs fit().transform()")
    elif together.shape != case.reference[1].shape:
        raise AssertionError(
            f"fit_transform has shape {together.shape}, transform {case.reference[1].shape}"
        )


def check_partial_fit(case: _Case) -> None:
    """``partial_fit`` over two halves equals ``fit`` on the whole (to ``rtol``).

    Only the shape and names are compared when ``partial_fit_exact=False``.
    """
    estimator = clone(case.estimator)
    if not hasattr(estimator, "partial_fit"):
        raise NotApplicable("no partial_fit")
    n = case.X.shape[0]
    first, second = np.arange(n // 2), np.arange(n // 2, n)
    estimator.partial_fit(case.X.iloc[first], take(case.y, first))
    estimator.partial_fit(case.X.iloc[second], take(case.y, second))
    output = estimator.transform(case.X)
    if [str(n) for n in estimator.get_feature_names_out()] != case.names():
        raise AssertionError("partial_fit and fit learned different output names")
    if case.partial_fit_exact:
        case.same_output(output, "partial_fit over two halves vs fit")
    elif output.shape != case.reference[1].shape:
        raise AssertionError(
            f"after partial_fit the output has shape {output.shape}, after fit "
            f"{case.reference[1].shape}"
        )


def check_hostile_input(case: _Case) -> None:
    """NaN-only, ±inf, 1e308, 0-row, 1-row, constant, nullable and Arrow inputs;
    permuted and missing columns at ``transform``: a correct result or an
    ``MlprepError``, never a bare exception or a numpy RuntimeWarning
    (:func:`mlprep.testing._hostile.sweep`)."""
    sweep(case.estimator, case.X, case.y, kind="transform")


TRANSFORMER_CHECKS: dict[str, Callable[[_Case], None]] = {
    "check_containers": check_containers,
    "check_set_output": check_set_output,
    "check_feature_names_out": check_feature_names_out,
    "check_naming_rule": check_naming_rule,
    "check_clone": check_clone,
    "check_pickle": check_pickle,
    "check_save_load": check_save_load,
    "check_no_mutation": check_no_mutation,
    "check_transform_keeps_state": check_transform_keeps_state,
    "check_parameter_constraints": check_parameter_constraints,
    "check_fit_transform": check_fit_transform,
    "check_partial_fit": check_partial_fit,
    "check_hostile_input": check_hostile_input,
}
"""The transformer checks by name, in the order :func:`check_transformer` runs them."""


def check_transformer(
    estimator: Any,
    X: Any,
    y: Any = None,
    *,
    checks: Iterable[str] | None = None,
    expected_failures: Mapping[str, str] | None = None,
    backends: Iterable[str] = BACKENDS,
    fit_transform_consistent: bool = True,
    partial_fit_exact: bool = True,
    rtol: float = 1e-10,
    atol: float = 1e-12,
) -> list[CheckResult]:
    """Run the conformance checks of a transformer on ``X`` (and ``y``).

    Checks (names in :data:`TRANSFORMER_CHECKS`): the same container out as
    in for pandas, polars, pyarrow and numpy (a CSR matrix for sparse
    results); ``set_output("pandas"|"polars")`` (a sparse result gives a
    sparse pandas frame, and a DataError for polars); output names equal to
    ``get_feature_names_out()`` and following the ``{input}_{what}`` rule;
    ``clone``; pickle and ``mlprep.save``/``mlprep.load`` round trips giving
    the same output; ``X`` and ``y`` never modified; ``transform`` writing
    nothing to ``self``; a constraint for every parameter; ``fit_transform``
    equal to ``fit().transform()``; ``partial_fit`` over two halves equal to
    ``fit``; the hostile-input sweep (NaN-only, ``±inf``, ``1e308``, 0 and 1
    rows, constant, nullable and Arrow columns, permuted and missing columns:
    a correct result or an ``MlprepError``, never a bare exception or a numpy
    RuntimeWarning). Every check fits a fresh ``clone`` of ``estimator``.

    Parameters
    ----------
    estimator : transformer
        Fitted or not; it is cloned, never modified.
    X : pandas DataFrame (or any container mlprep accepts)
        Small data the transformer can fit (tens of rows). The other
        containers are made from it.
    y : array-like or None
        The target, for supervised transformers.
    checks : iterable of str or None
        Names of the checks to run; None runs them all.
    expected_failures : dict of str to str or None
        ``{check name: reason}`` for checks known to fail. They still run:
        a failure is reported as ``"xfailed"``, and a pass (or a check that
        does not apply) is an error, so the list cannot go stale.
    backends : iterable of str
        The input containers to try (of ``"pandas"``, ``"polars"``,
        ``"pyarrow"``, ``"numpy"``); leave out those the transformer does not
        take (numpy for one that names its columns, say).
    fit_transform_consistent : bool, default=True
        False for transformers whose ``fit_transform`` differs from
        ``fit().transform()`` by design; only its container and shape are
        checked then.
    partial_fit_exact : bool, default=True
        False when ``partial_fit`` merges batches approximately (sketches);
        only the output shape and names are compared then.
    rtol, atol : float
        Tolerances for comparing numbers of two outputs.

    Returns
    -------
    list of CheckResult
        One per check that passed, was skipped (not applicable) or failed as
        expected.

    Raises
    ------
    ConformanceError
        Naming the estimator and every failing check (an ``AssertionError``).
    ValueError
        An unknown check name in ``checks`` or ``expected_failures``.

    Examples
    --------
    >>> from mlprep.scale import StandardScaler
    >>> from mlprep.testing import check_transformer
    >>> from mlprep.testing.data import numeric_data
    >>> X, y = numeric_data()
    >>> results = check_transformer(StandardScaler(), X, checks=["check_clone", "check_pickle"])
    >>> [(r.check, r.status) for r in results]
    [('check_clone', 'passed'), ('check_pickle', 'passed')]

    A check that passes while listed as an expected failure is an error:

    >>> check_transformer(StandardScaler(), X, checks=["check_clone"],
    ...                   expected_failures={"check_clone": "clone is broken"})
    Traceback (most recent call last):
    ...
    mlprep.testing.checks.ConformanceError: StandardScaler() fails 1 conformance check:
    - check_clone: expected failure passed; remove it from expected_failures ...
    """
    case = _Case(
        estimator=estimator,
        X=to_pandas(X),
        y=y,
        backends=tuple(backends),
        fit_transform_consistent=fit_transform_consistent,
        partial_fit_exact=partial_fit_exact,
        rtol=rtol,
        atol=atol,
    )
    with config_context(transform_output="default"):
        return run_checks(
            estimator,
            TRANSFORMER_CHECKS,
            case,
            checks=checks,
            expected_failures=expected_failures,
        )
