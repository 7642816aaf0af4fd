"""scikit-learn's own estimator checks, with strict expected failures, on 1.5 and later.

scikit-learn >= 1.6 yields its checks from ``estimator_checks_generator``;
1.5 from ``check_estimator(estimator, generate_only=True)``. Either way each
check is a callable (often a ``functools.partial``) whose name is
``check.func.__name__``; :class:`SklearnCheck` wraps it so that a listed
expected failure still runs and must fail.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from functools import partial
from types import ModuleType
from typing import Any
from unittest import SkipTest

from mlprep.testing._runner import CheckResult, ConformanceError

__all__ = ["SklearnCheck", "check_sklearn", "sklearn_checks"]


def _check_name(check: Any) -> str:
    """The name of a check: of the function a partial (or a wrapper) stands for."""
    while True:
        if isinstance(check, partial):
            check = check.func
        elif hasattr(check, "__wrapped__"):
            check = check.__wrapped__
        else:
            return str(check.__name__)


def _check_id(check: Any) -> str:
    """``name`` or ``name(key=value,...)`` from the partial's keyword arguments."""
    name = _check_name(check)
    keywords = getattr(check, "keywords", None)
    if not keywords:
        return name
    return f"{name}({','.join(f'{k}={v}' for k, v in keywords.items())})"


def _estimator_checks() -> ModuleType:
    """scikit-learn's check module, imported on first use (it imports pytest)."""
    from sklearn.utils import estimator_checks

    return estimator_checks


def _generate(estimator: Any) -> Iterator[tuple[Any, Any]]:
    estimator_checks = _estimator_checks()
    generator = getattr(estimator_checks, "estimator_checks_generator", None)
    if generator is not None:  # scikit-learn >= 1.6
        return iter(generator(estimator))
    # scikit-learn 1.5: the only public generator (deprecated from 1.6)
    return iter(estimator_checks.check_estimator(estimator, generate_only=True))


class SklearnCheck:
    """One scikit-learn check for one estimator; calling it runs the check.

    Parameters
    ----------
    check : callable
        The check as scikit-learn yields it (``check(estimator)``).
    reason : str or None
        Why the check is expected to fail; None if it must pass.

    Attributes
    ----------
    name : str
        The check's function name, e.g. ``"check_fit2d_1sample"``.
    id : str
        The name with its keyword arguments, for test ids.

    Examples
    --------
    >>> from functools import partial
    >>> from sklearn.utils.estimator_checks import check_fit2d_1sample
    >>> from mlprep.scale import MaxAbsScaler
    >>> check = SklearnCheck(partial(check_fit2d_1sample, "MaxAbsScaler"))
    >>> check.name, check(MaxAbsScaler()).status
    ('check_fit2d_1sample', 'passed')
    """

    def __init__(self, check: Any, reason: str | None = None) -> None:
        self.check = check
        self.reason = reason
        self.name = _check_name(check)
        self.id = _check_id(check)

    def __repr__(self) -> str:
        return self.id

    def __call__(self, estimator: Any) -> CheckResult:
        """Run the check on ``estimator``.

        Returns
        -------
        CheckResult
            ``"passed"``, ``"skipped"`` (scikit-learn raised ``SkipTest``) or
            ``"xfailed"`` (an expected failure failed).

        Raises
        ------
        ConformanceError
            The check failed unexpectedly, or an expected failure passed or
            was skipped.
        """
        try:
            self.check(estimator)
        except SkipTest as skipped:
            if self.reason is None:
                return CheckResult(self.name, "skipped", str(skipped))
            raise ConformanceError(
                estimator,
                {
                    self.id: f"expected failure was skipped ({skipped}); remove it "
                    "from expected_failures"
                },
            ) from skipped
        except Exception as error:
            if self.reason is not None:
                return CheckResult(self.name, "xfailed", self.reason)
            message = f"{type(error).__name__}: {error}".strip()
            raise ConformanceError(estimator, {self.id: message}) from error
        if self.reason is not None:
            raise ConformanceError(
                estimator,
                {
                    self.id: "expected failure passed; remove it from "
                    f"expected_failures (its reason was: {self.reason})"
                },
            )
        return CheckResult(self.name, "passed")


def sklearn_checks(
    estimator: Any, *, expected_failures: Mapping[str, str] | None = None
) -> list[tuple[Any, SklearnCheck]]:
    """scikit-learn's checks for ``estimator`` as ``(estimator, check)`` pairs.

    For ``pytest.mark.parametrize("estimator, check", ...)``: each ``check``
    is a :class:`SklearnCheck`; ``check(estimator)`` runs it and returns a
    :class:`CheckResult`. A check named in ``expected_failures`` runs too, and
    must fail: passing raises :class:`ConformanceError`. Works with
    scikit-learn 1.5 (``check_estimator(generate_only=True)``) and later
    (``estimator_checks_generator``).

    Parameters
    ----------
    estimator : estimator
    expected_failures : dict of str to str or None
        ``{check name: reason}``; the name is the check function's
        (``check.func.__name__``), e.g. ``"check_fit2d_1sample"``, and covers
        every variant of that check.

    Returns
    -------
    list of (estimator, SklearnCheck)

    Raises
    ------
    ValueError
        An expected failure is not a check name (it must start with
        ``check_``). A check name that this scikit-learn version does not run
        for ``estimator`` is accepted: the set of checks changes between
        versions (1.5 does not run ``check_n_features_in_after_fitting``, for
        one), and a list must serve every supported version.

    Examples
    --------
    >>> from mlprep.scale import MaxAbsScaler
    >>> from mlprep.testing import sklearn_checks
    >>> pairs = sklearn_checks(MaxAbsScaler())
    >>> estimator, check = next(p for p in pairs if p[1].name == "check_fit2d_1sample")
    >>> check(estimator).status
    'passed'
    """
    expected = dict(expected_failures or {})
    pairs = list(_generate(estimator))
    wrong = sorted(name for name in expected if not name.startswith("check_"))
    if wrong:
        raise ValueError(
            f"expected_failures names {wrong}, which are not scikit-learn check "
            "names (check_...)."
        )
    return [
        (instance, SklearnCheck(check, expected.get(_check_name(check))))
        for instance, check in pairs
    ]


def check_sklearn(
    estimator: Any, *, expected_failures: Mapping[str, str] | None = None
) -> list[CheckResult]:
    """Run every scikit-learn check on ``estimator``, expected failures strictly.

    Parameters
    ----------
    estimator : estimator
    expected_failures : dict of str to str or None
        As in :func:`sklearn_checks`.

    Returns
    -------
    list of CheckResult

    Raises
    ------
    ConformanceError
        Naming every check that failed unexpectedly, and every expected
        failure that passed.

    Examples
    --------
    >>> from mlprep.scale import MaxAbsScaler
    >>> from mlprep.testing import check_sklearn
    >>> results = check_sklearn(MaxAbsScaler())
    >>> {r.status for r in results} <= {"passed", "skipped"}
    True
    """
    results: list[CheckResult] = []
    failures: dict[str, str] = {}
    first: BaseException | None = None
    for instance, check in sklearn_checks(
        estimator, expected_failures=expected_failures
    ):
        try:
            results.append(check(instance))
        except ConformanceError as error:
            failures.update(error.failures)
            first = first or error.__cause__ or error
    if failures:
        raise ConformanceError(estimator, failures) from first
    return results
