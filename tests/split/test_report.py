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


def test_to_dict_is_json_with_timestamps_and_missing_examples():
    import pandas as pd

    from mlprep.split import check_leakage

    stamps = pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03"])
    train = pd.DataFrame({"id": [1, 2, 3], "t": stamps})
    test = pd.DataFrame(
        {"id": [3, 4], "t": pd.to_datetime(["2024-01-02", "2024-01-05"])}
    )
    data = json.loads(
        json.dumps(check_leakage(train, test, key="id", time="t").to_dict())
    )
    time = next(p for p in data["problems"] if p["kind"] == "time")
    assert time["examples"] == ["2024-01-02T00:00:00"]


def test_json_safe_keeps_meaning():
    import numpy as np
    import pandas as pd

    from mlprep.core._json import json_safe

    values = [np.int64(3), np.float32(1.5), np.nan, pd.NaT, pd.NA, np.inf, (1, "a")]
    assert json_safe(values) == [3, 1.5, None, None, None, None, [1, "a"]]
    assert json_safe({1: pd.Timestamp("2024-01-02", tz="UTC")}) == {
        "1": "2024-01-02T00:00:00+00:00"
    }
