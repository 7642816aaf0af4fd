"""LeakageReport, LeakageProblem and LeakageError."""

from __future__ import annotations

import json

import pytest

from mlprep.exceptions import DataError, MlprepError
from mlprep.split import LeakageError, LeakageProblem, LeakageReport


def test_clean_report_is_ok_and_truthy():
    report = LeakageReport(checks=("key",), n_train=10, n_test=5)
    assert report.ok and bool(report) and report.raise_for_leakage() is report
    assert (
        str(report)
        == "Leakage check of 10 train and 5 test rows (key): no leakage found."
    )


def test_problems_make_the_report_fail_and_serialise():
    problem = LeakageProblem("key", 3, [1, 2, 3], "3 keys shared")
    report = LeakageReport(
        problems=[problem], checks=("key", "duplicate"), n_train=10, n_test=5
    )
    assert not report.ok and not bool(report)
    assert str(report).endswith("- [key] 3 keys shared")
    assert json.loads(json.dumps(report.to_dict()))["problems"][0]["count"] == 3
    with pytest.raises(LeakageError) as info:
        report.raise_for_leakage()
    assert isinstance(info.value, DataError) and isinstance(info.value, MlprepError)
    assert isinstance(info.value, ValueError) and "3 keys shared" in str(info.value)
