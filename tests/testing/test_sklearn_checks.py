"""sklearn_checks / check_sklearn: scikit-learn's checks with strict expected failures."""

from __future__ import annotations

from functools import partial
from typing import Any
from unittest import SkipTest

import pytest
from sklearn.utils import estimator_checks

from mlprep.scale import MaxAbsScaler, PowerTransformer
from mlprep.testing import (
    CheckResult,
    ConformanceError,
    SklearnCheck,
    check_sklearn,
    sklearn_checks,
)


def check_passes(name: str, estimator: Any, *, flag: bool = False) -> None:
    """A stand-in check that passes."""


def check_fails(name: str, estimator: Any) -> None:
    raise AssertionError("broken on purpose")


def check_skips(name: str, estimator: Any) -> None:
    raise SkipTest("not for this estimator")


def test_names_and_ids_come_from_the_partial() -> None:
    check = SklearnCheck(partial(check_passes, "MaxAbsScaler", flag=True))
    assert check.name == "check_passes"
    assert check.id == repr(check) == "check_passes(flag=True)"


def test_a_check_runs_and_reports() -> None:
    scaler = MaxAbsScaler()
    assert SklearnCheck(partial(check_passes, "X"))(scaler) == CheckResult(
        "check_passes", "passed"
    )
    skipped = SklearnCheck(partial(check_skips, "X"))(scaler)
    assert skipped.status == "skipped"
    with pytest.raises(ConformanceError, match="check_fails: AssertionError: broken"):
        SklearnCheck(partial(check_fails, "X"))(scaler)


def test_an_expected_failure_runs_and_must_fail() -> None:
    scaler = MaxAbsScaler()
    result = SklearnCheck(partial(check_fails, "X"), reason="known")(scaler)
    assert result == CheckResult("check_fails", "xfailed", "known")
    with pytest.raises(ConformanceError, match="expected failure passed; remove it"):
        SklearnCheck(partial(check_passes, "X"), reason="known")(scaler)
    with pytest.raises(ConformanceError, match="expected failure was skipped"):
        SklearnCheck(partial(check_skips, "X"), reason="known")(scaler)


def test_pairs_for_a_real_estimator() -> None:
    pairs = sklearn_checks(MaxAbsScaler())
    names = {check.name for _, check in pairs}
    assert {"check_fit2d_1sample", "check_transformer_general"} <= names
    assert all(isinstance(check, SklearnCheck) for _, check in pairs)
    estimator, check = next(p for p in pairs if p[1].name == "check_fit2d_1sample")
    assert check(estimator).status == "passed"


def test_a_real_expected_failure_fails_as_expected() -> None:
    reason = "Box-Cox refuses the 0 scikit-learn's data contains"
    pairs = sklearn_checks(
        PowerTransformer(method="box-cox", standardize=False),
        expected_failures={"check_fit2d_1sample": reason},
    )
    estimator, check = next(p for p in pairs if p[1].name == "check_fit2d_1sample")
    assert check(estimator) == CheckResult("check_fit2d_1sample", "xfailed", reason)


def test_misspelt_expected_failures_are_refused() -> None:
    with pytest.raises(ValueError, match="fit2d_1sample"):
        sklearn_checks(MaxAbsScaler(), expected_failures={"fit2d_1sample": "x"})
    # checks another scikit-learn version runs (or will run) are accepted
    sklearn_checks(MaxAbsScaler(), expected_failures={"check_from_the_future": "x"})


def test_check_sklearn_runs_everything_strictly() -> None:
    results = check_sklearn(MaxAbsScaler())
    assert {r.status for r in results} <= {"passed", "skipped"}
    with pytest.raises(ConformanceError) as raised:
        check_sklearn(MaxAbsScaler(), expected_failures={"check_fit2d_1sample": "no"})
    assert list(raised.value.failures) == ["check_fit2d_1sample"]


def test_scikit_learn_1_5_generator_is_used_when_there_is_no_other(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """1.5 has no estimator_checks_generator; its check_estimator(generate_only=True) is used."""
    calls = []

    def check_estimator(estimator: Any, generate_only: bool = False) -> Any:
        calls.append(generate_only)
        name = type(estimator).__name__
        yield estimator, partial(estimator_checks.check_fit2d_1sample, name)
        yield estimator, partial(check_fails, name)

    monkeypatch.delattr(estimator_checks, "estimator_checks_generator", raising=False)
    monkeypatch.setattr(estimator_checks, "check_estimator", check_estimator)
    pairs = sklearn_checks(MaxAbsScaler(), expected_failures={"check_fails": "old"})
    assert calls == [True]
    assert [check.name for _, check in pairs] == ["check_fit2d_1sample", "check_fails"]
    assert [check(estimator).status for estimator, check in pairs] == [
        "passed",
        "xfailed",
    ]
