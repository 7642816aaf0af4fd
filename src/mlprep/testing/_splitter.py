"""``check_splitter``: the contract of cross-validation splitters."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone as _sklearn_clone
from sklearn.dummy import DummyRegressor
from sklearn.model_selection import GridSearchCV, cross_val_score

from mlprep.testing._common import (
    assert_params_equal,
    check_constraint_table,
    pickle_round_trip,
    save_load_round_trip,
)
from mlprep.testing._containers import BACKENDS, as_backend, to_pandas
from mlprep.testing._runner import CheckResult, run_checks

__all__ = ["SPLITTER_CHECKS", "check_splitter"]

Pairs = list[tuple[np.ndarray, np.ndarray]]


def clone(splitter: Any) -> Any:
    """scikit-learn's ``clone``, or a deep copy for splitters without ``get_params``."""
    if hasattr(splitter, "get_params"):
        return _sklearn_clone(splitter)
    return copy.deepcopy(splitter)


@dataclass
class _Case:
    splitter: Any
    X: pd.DataFrame
    y: Any
    groups: Any
    backends: tuple[str, ...]
    covers_all_rows: bool

    def pairs(self, splitter: Any = None, X: Any = None) -> Pairs:
        """Every ``(train, test)`` of a fresh clone (or of ``splitter``) on ``X``."""
        used = clone(self.splitter) if splitter is None else splitter
        return list(used.split(self.X if X is None else X, self.y, self.groups))


def _assert_same_pairs(left: Pairs, right: Pairs, what: str) -> None:
    if len(left) != len(right):
        raise AssertionError(f"{what}: {len(left)} splits vs {len(right)}")
    for i, ((a, b), (c, d)) in enumerate(zip(left, right)):
        if not (np.array_equal(a, c) and np.array_equal(b, d)):
            raise AssertionError(f"{what}: split {i} differs")


# ------------------------------------------------------------------ checks
def check_split_indices(case: _Case) -> None:
    """Each split is two non-empty, disjoint arrays of distinct row positions."""
    n = case.X.shape[0]
    pairs = case.pairs()
    if not pairs:
        raise AssertionError("split yielded nothing")
    for i, pair in enumerate(pairs):
        if not (isinstance(pair, tuple) and len(pair) == 2):
            raise AssertionError(f"split {i} is not a (train, test) pair")
        for part, rows in zip(("train", "test"), pair):
            where = f"split {i} {part}"
            if not isinstance(rows, np.ndarray) or rows.ndim != 1:
                raise AssertionError(f"{where} is not a 1-d numpy array")
            if rows.dtype.kind not in "iu":
                raise AssertionError(f"{where} has dtype {rows.dtype}, not integers")
            if rows.size == 0:
                raise AssertionError(f"{where} is empty")
            if rows.min() < 0 or rows.max() >= n:
                raise AssertionError(f"{where} has positions outside 0..{n - 1}")
            if np.unique(rows).size != rows.size:
                raise AssertionError(f"{where} repeats a row")
        train, test = pair
        shared = np.intersect1d(train, test)
        if shared.size:
            raise AssertionError(
                f"split {i}: rows {shared[:5].tolist()} are in both parts"
            )
        if case.covers_all_rows and train.size + test.size != n:
            raise AssertionError(
                f"split {i} covers {train.size + test.size} of {n} rows; expected all"
            )


def check_split_containers(case: _Case) -> None:
    """pandas, polars, pyarrow and numpy data give the same splits."""
    expected = case.pairs()
    for backend in case.backends:
        _assert_same_pairs(
            case.pairs(X=as_backend(case.X, backend)), expected, f"{backend} input"
        )


def check_get_n_splits(case: _Case) -> None:
    """``get_n_splits(X, y, groups)`` is the number of splits ``split`` yields."""
    splitter = clone(case.splitter)
    count = splitter.get_n_splits(case.X, case.y, case.groups)
    yielded = len(case.pairs())
    if count != yielded:
        raise AssertionError(f"get_n_splits() says {count} but split yielded {yielded}")


def check_deterministic(case: _Case) -> None:
    """The same splitter (or a copy) gives the same splits every time."""
    splitter = clone(case.splitter)
    first = case.pairs(splitter)
    _assert_same_pairs(case.pairs(splitter), first, "a second split()")
    _assert_same_pairs(case.pairs(), first, "a clone")


def check_clone(case: _Case) -> None:
    """``clone`` keeps the parameters and the splits."""
    splitter = clone(case.splitter)
    copied = clone(splitter)
    if type(copied) is not type(splitter):
        raise AssertionError(f"clone gave a {type(copied).__name__}")
    assert_params_equal(copied, splitter, "clone")
    _assert_same_pairs(case.pairs(copied), case.pairs(splitter), "a clone")


def check_pickle(case: _Case) -> None:
    """A pickled and restored splitter keeps its parameters and splits."""
    splitter = clone(case.splitter)
    restored = pickle_round_trip(splitter)
    assert_params_equal(restored, splitter, "pickling")
    _assert_same_pairs(case.pairs(restored), case.pairs(splitter), "after pickling")


def check_save_load(case: _Case) -> None:
    """``mlprep.load(mlprep.save(s))``: same class, parameters and splits."""
    splitter = clone(case.splitter)
    loaded = save_load_round_trip(splitter)
    _assert_same_pairs(case.pairs(loaded), case.pairs(splitter), "after load(save())")


def check_parameter_constraints(case: _Case) -> None:
    """Every ``__init__`` parameter has a constraint; a bad value fails ``split``."""
    check_constraint_table(case.splitter, case.pairs)


def check_cross_validation(case: _Case) -> None:
    """The splitter works as ``cv=`` of ``cross_val_score`` and ``GridSearchCV``."""
    n = case.X.shape[0]
    if case.y is None:
        target = np.linspace(0.0, 1.0, n)
    else:
        _, codes = np.unique(
            np.asarray(case.y, dtype=object).astype(str), return_inverse=True
        )
        target = codes.astype(np.float64)
    count = len(case.pairs())
    scoring = "neg_mean_absolute_error"
    scores = cross_val_score(
        DummyRegressor(),
        case.X,
        target,
        groups=case.groups,
        cv=clone(case.splitter),
        scoring=scoring,
    )
    if len(scores) != count:
        raise AssertionError(f"cross_val_score ran {len(scores)} folds, not {count}")
    search = GridSearchCV(
        DummyRegressor(),
        {"strategy": ["mean", "median"]},
        cv=clone(case.splitter),
        scoring=scoring,
    )
    search.fit(case.X, target, groups=case.groups)
    if search.n_splits_ != count:
        raise AssertionError(f"GridSearchCV ran {search.n_splits_} folds, not {count}")


SPLITTER_CHECKS: dict[str, Callable[[_Case], None]] = {
    "check_split_indices": check_split_indices,
    "check_split_containers": check_split_containers,
    "check_get_n_splits": check_get_n_splits,
    "check_deterministic": check_deterministic,
    "check_clone": check_clone,
    "check_pickle": check_pickle,
    "check_save_load": check_save_load,
    "check_parameter_constraints": check_parameter_constraints,
    "check_cross_validation": check_cross_validation,
}
"""The splitter checks by name, in the order :func:`check_splitter` runs them."""


def check_splitter(
    splitter: Any,
    X: Any,
    y: Any = None,
    groups: Any = None,
    *,
    checks: Iterable[str] | None = None,
    expected_failures: Mapping[str, str] | None = None,
    backends: Iterable[str] = BACKENDS,
    covers_all_rows: bool = False,
) -> list[CheckResult]:
    """Run the conformance checks of a cross-validation splitter.

    Checks (names in :data:`SPLITTER_CHECKS`): ``split`` yields non-empty,
    disjoint arrays of distinct integer positions in range (covering every
    row when ``covers_all_rows``); every container gives the same splits;
    ``get_n_splits`` equals the number yielded; splits are deterministic for
    the same parameters (seed); ``clone``, pickle and
    ``mlprep.save``/``mlprep.load`` keep parameters and splits; a constraint
    for every parameter; the splitter works as ``cv=`` of
    ``cross_val_score`` and ``GridSearchCV``.

    Parameters
    ----------
    splitter : splitter
        It is cloned, never modified.
    X : pandas DataFrame (or any container mlprep accepts)
        Small data (tens of rows) with the columns the splitter reads.
    y, groups : array-like or None
        Passed to ``split`` as given.
    checks, expected_failures, backends
        As in :func:`check_transformer`.
    covers_all_rows : bool, default=False
        True when every row must be in train or test of every split (two
        ratios, no gap).

    Returns
    -------
    list of CheckResult

    Raises
    ------
    ConformanceError
        Naming the splitter and every failing check.

    Examples
    --------
    >>> from mlprep.split import RandomSplitter
    >>> from mlprep.testing import check_splitter
    >>> from mlprep.testing.data import split_data
    >>> X, y = split_data()
    >>> results = check_splitter(RandomSplitter(ratios=(0.75, 0.25)), X, y,
    ...                          checks=["check_split_indices"], covers_all_rows=True)
    >>> results[0].status
    'passed'
    """
    case = _Case(
        splitter=splitter,
        X=to_pandas(X),
        y=y,
        groups=groups,
        backends=tuple(backends),
        covers_all_rows=covers_all_rows,
    )
    return run_checks(
        splitter,
        SPLITTER_CHECKS,
        case,
        checks=checks,
        expected_failures=expected_failures,
    )
