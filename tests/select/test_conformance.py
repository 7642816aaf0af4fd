"""The shipped conformance suite (ours and scikit-learn's) on the four selectors."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest

from mlprep.select import (
    DropColumns,
    DropConstantFeatures,
    DropCorrelatedFeatures,
    DropDuplicateFeatures,
)
from mlprep.testing import (
    BACKENDS,
    TRANSFORMER_CHECKS,
    CheckResult,
    SklearnCheck,
    check_transformer,
    sklearn_checks,
)


def _selection_data() -> tuple[pd.DataFrame, None]:
    """Numeric data with something for every selector to drop (and NaN)."""
    rng = np.random.default_rng(0)
    a = rng.normal(0, 1, 60)
    frame = pd.DataFrame(
        {
            "a": a,
            "b": rng.normal(5, 2, 60),
            "a_copy": a.copy(),
            "near_a": a * 2.0 + rng.normal(0, 0.01, 60),
            "constant": np.full(60, 3.0),
            "c": rng.uniform(0, 1, 60),
        }
    )
    frame.loc[[3, 17], "b"] = np.nan
    return frame, None


_FRAMES = ("pandas", "polars", "pyarrow")  # names: arrays have x0, x1, ...

CASES: list[tuple[Any, dict[str, str]]] = [
    (DropColumns(["b", "constant"]), {}),
    (DropColumns([1, 4]), {}),
    (DropConstantFeatures(missing_values="ignore"), {}),
    (DropConstantFeatures(tol=0.9, missing_values="include"), {}),
    (DropDuplicateFeatures(), {}),
    (DropCorrelatedFeatures(), {}),
    (DropCorrelatedFeatures(threshold=0.8, method="spearman"), {}),
]


def _report(results: list[CheckResult]) -> None:
    for result in results:
        if result.status == "skipped":
            pytest.skip(result.reason)
        if result.status == "xfailed":
            pytest.xfail(result.reason)


@pytest.mark.parametrize("check", list(TRANSFORMER_CHECKS))
@pytest.mark.parametrize("case", CASES, ids=lambda case: repr(case[0]))
def test_transformer_conformance(case: tuple[Any, dict[str, str]], check: str) -> None:
    estimator, expected = case
    X, y = _selection_data()
    backends = (
        _FRAMES
        if isinstance(estimator.columns, list) and isinstance(estimator.columns[0], str)
        else BACKENDS
    )
    _report(
        check_transformer(
            estimator,
            X,
            y,
            checks=[check],
            expected_failures=expected,
            backends=backends,
        )
    )


_EXACT_COUNTS = {
    "check_fit_score_takes_y": (
        "calls partial_fit after fit: the in-memory fit counts values exactly and "
        "keeps no partial state, so partial_fit refuses to continue it (DataError "
        "names the fix) instead of silently restarting"
    )
}

SKLEARN_CASES: list[tuple[Any, dict[str, str]]] = [
    (DropColumns([0]), {}),
    (DropConstantFeatures(missing_values="ignore"), _EXACT_COUNTS),
    (DropDuplicateFeatures(), {}),
    (DropCorrelatedFeatures(), {}),
    (DropCorrelatedFeatures(method="spearman"), {}),
]


@pytest.mark.parametrize(
    "estimator, check",
    [
        pair
        for estimator, expected in SKLEARN_CASES
        for pair in sklearn_checks(estimator, expected_failures=expected)
    ],
    ids=lambda value: value.id if isinstance(value, SklearnCheck) else repr(value),
)
def test_sklearn_conformance(estimator: Any, check: SklearnCheck) -> None:
    _report([check(estimator)])
