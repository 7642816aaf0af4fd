"""Running named checks with strict expected failures, and reporting what failed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

__all__ = ["CheckResult", "ConformanceError", "NotApplicable", "run_checks"]


@dataclass(frozen=True)
class CheckResult:
    """The outcome of one check that did not fail.

    Attributes
    ----------
    check : str
        The check's name, e.g. ``"check_clone"``.
    status : {"passed", "skipped", "xfailed"}
        ``"skipped"``: the check does not apply (the reason says why);
        ``"xfailed"``: it failed and was listed in ``expected_failures``.
    reason : str
        Why it was skipped, or the expected-failure reason.
    """

    check: str
    status: Literal["passed", "skipped", "xfailed"]
    reason: str = ""


class ConformanceError(AssertionError):
    """An estimator failed conformance checks (or an expected failure passed).

    The message names the estimator and every failing check; the exception of
    the first failure is chained as ``__cause__``.

    Attributes
    ----------
    estimator : object
        The estimator that was checked.
    failures : dict of str to str
        Check name to what went wrong.

    Examples
    --------
    >>> error = ConformanceError("MyScaler()", {"check_clone": "params changed"})
    >>> print(error)
    'MyScaler()' fails 1 conformance check:
    - check_clone: params changed
    """

    def __init__(self, estimator: Any, failures: Mapping[str, str]) -> None:
        self.estimator = estimator
        self.failures = dict(failures)
        lines = "\n".join(f"- {name}: {why}" for name, why in self.failures.items())
        count = len(self.failures)
        super().__init__(
            f"{_short_repr(estimator)} fails {count} conformance "
            f"check{'s' if count > 1 else ''}:\n{lines}"
        )


class NotApplicable(Exception):
    """Raised by a check that does not apply to this estimator or data."""


def _short_repr(estimator: Any) -> str:
    text = " ".join(repr(estimator).split())
    return text if len(text) <= 200 else text[:197] + "..."


def _describe(error: BaseException) -> str:
    message = str(error).strip()
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def run_checks(
    estimator: Any,
    table: Mapping[str, Callable[[Any], None]],
    context: Any,
    *,
    checks: Iterable[str] | None,
    expected_failures: Mapping[str, str] | None,
) -> list[CheckResult]:
    """Run the checks named in ``checks`` (all of ``table`` when None) on ``context``.

    An expected failure runs like any other check: its failure is reported as
    ``"xfailed"``; if it passes, or does not apply, that is itself a failure.

    Raises
    ------
    ValueError
        A name in ``checks`` or ``expected_failures`` is not a check of ``table``.
    ConformanceError
        At least one check failed.
    """
    expected = dict(expected_failures or {})
    names = list(table) if checks is None else list(checks)
    if isinstance(checks, str):
        names = [checks]
    unknown = sorted((set(names) | set(expected)) - set(table))
    if unknown:
        raise ValueError(
            f"Unknown check name(s) {unknown}; the checks are {sorted(table)}."
        )
    results: list[CheckResult] = []
    failures: dict[str, str] = {}
    first: BaseException | None = None
    for name in names:
        reason = expected.get(name)
        try:
            table[name](context)
        except NotApplicable as skipped:
            if reason is None:
                results.append(CheckResult(name, "skipped", str(skipped)))
            else:
                failures[name] = (
                    f"expected failure does not apply ({skipped}); remove it from "
                    "expected_failures"
                )
        except Exception as error:
            if reason is None:
                failures[name] = _describe(error)
                first = first or error
            else:
                results.append(CheckResult(name, "xfailed", reason))
        else:
            if reason is None:
                results.append(CheckResult(name, "passed"))
            else:
                failures[name] = (
                    f"expected failure passed; remove it from expected_failures "
                    f"(its reason was: {reason})"
                )
    if failures:
        raise ConformanceError(estimator, failures) from first
    return results
