"""The result of :func:`check_leakage`: a report, its problems, and LeakageError."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mlprep.core._json import json_safe
from mlprep.exceptions import DataError

__all__ = ["LeakageError", "LeakageProblem", "LeakageReport"]


class LeakageError(DataError):
    """Train and test share keys, overlap in time, or share duplicate rows.

    Raised by :meth:`LeakageReport.raise_for_leakage`; the report is in
    ``.report``. A :class:`~mlprep.exceptions.DataError`, hence a ``ValueError``.
    """

    def __init__(self, message: str, report: LeakageReport | None = None) -> None:
        super().__init__(message)
        self.report = report


@dataclass(frozen=True)
class LeakageProblem:
    """One kind of leakage found between train and test.

    Attributes
    ----------
    kind : {"key", "time", "duplicate"}
        ``"key"``: key values present in both sets; ``"time"``: test rows
        earlier than the latest train time; ``"duplicate"``: test rows equal to
        a train row.
    count : int
        Shared distinct keys, early test rows, or duplicated test rows.
    examples : list
        A few offending values (keys, test times, or duplicated rows as dicts).
    message : str
        The problem in words, with the fix.
    """

    kind: str
    count: int
    examples: list[Any]
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class LeakageReport:
    """What :func:`check_leakage` found.

    Attributes
    ----------
    problems : list of LeakageProblem
        Empty when the sets are clean.
    checks : tuple of str
        The checks that ran (``"key"``, ``"time"``, ``"duplicate"``).
    n_train, n_test : int
        Rows in each set.
    """

    problems: list[LeakageProblem] = field(default_factory=list)
    checks: tuple[str, ...] = ()
    n_train: int = 0
    n_test: int = 0

    @property
    def ok(self) -> bool:
        """True when no check found a problem."""
        return not self.problems

    def __bool__(self) -> bool:
        return self.ok

    def raise_for_leakage(self) -> LeakageReport:
        """Raise :class:`LeakageError` listing every problem; return the report when clean."""
        if self.problems:
            raise LeakageError(str(self), report=self)
        return self

    def to_dict(self) -> dict[str, Any]:
        """The report as plain JSON data (for logs and CI artefacts).

        Example values are JSON scalars: timestamps as ISO 8601 strings,
        missing values as None, so ``json.dumps(report.to_dict())`` works.
        """
        return {
            "ok": self.ok,
            "checks": list(self.checks),
            "n_train": self.n_train,
            "n_test": self.n_test,
            "problems": [
                {
                    "kind": p.kind,
                    "count": p.count,
                    "examples": json_safe(p.examples),
                    "message": p.message,
                }
                for p in self.problems
            ],
        }

    def __str__(self) -> str:
        head = f"Leakage check of {self.n_train} train and {self.n_test} test rows ({', '.join(self.checks) or 'no checks'}): "
        if self.ok:
            return head + "no leakage found."
        lines = [head + f"{len(self.problems)} problem(s)."]
        lines += [f"- [{p.kind}] {p.message}" for p in self.problems]
        return "\n".join(lines)
