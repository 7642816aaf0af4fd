"""check_leakage: keys, time and duplicates on pandas and polars."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest

from mlprep.exceptions import DataError, InvalidParameterError
from mlprep.split import LeakageError, check_leakage, train_val_test_split


def _frames(backend: str):
    train = pd.DataFrame(
        {
            "user": [1, 2, 3, 4],
            "day": pd.to_datetime(
                ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"]
            ),
            "x": [0.1, 0.2, np.nan, 0.4],
            "s": ["a", "b", None, "d"],
        }
    )
    test = pd.DataFrame(
        {
            "user": [4, 5, 6, 3],
            "day": pd.to_datetime(
                ["2024-01-02", "2024-01-05", "2024-01-06", "2024-01-03"]
            ),
            "x": [0.9, 0.5, 0.6, np.nan],
            "s": ["z", "e", "f", None],
        }
    )
    if backend == "polars":
        return pl.from_pandas(train), pl.from_pandas(test)
    return train, test


@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_finds_every_kind_with_counts_and_examples(backend):
    train, test = _frames(backend)
    report = check_leakage(train, test, key="user", time="day")
    assert not report.ok and report.checks == ("key", "time", "duplicate")
    found = {p.kind: p for p in report.problems}
    assert found["key"].count == 2 and found["key"].examples == [3, 4]
    assert found["time"].count == 2
    assert [pd.Timestamp(v) for v in found["time"].examples] == list(
        pd.to_datetime(["2024-01-02", "2024-01-03"])
    )
    # the last test row equals train row 3 exactly, NaN and None included
    assert found["duplicate"].count == 1 and found["duplicate"].examples[0]["user"] == 3
    with pytest.raises(
        LeakageError, match=r"\[key\] 2 value\(s\) of key 'user'"
    ) as info:
        report.raise_for_leakage()
    assert info.value.report is report and isinstance(info.value, DataError)


@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_clean_split_passes(backend):
    rng = np.random.default_rng(0)
    n = 50_000
    frame = pd.DataFrame(
        {
            "user": rng.integers(0, 5000, n),
            "t": rng.integers(0, 10**6, n),
            "x": rng.normal(size=n),
        }
    )
    frame = pl.from_pandas(frame) if backend == "polars" else frame
    train, test = train_val_test_split(
        frame, ratios=(0.8, 0.2), method="key", key="user"
    )
    assert check_leakage(train, test, key="user").ok
    train, test = train_val_test_split(
        frame, ratios=(0.8, 0.2), method="ordered", order_by="t"
    )
    report = check_leakage(train, test, time="t")
    assert report.ok and report.raise_for_leakage() is report
    train, test = train_val_test_split(frame, ratios=(0.8, 0.2), seed=1)
    leaky = check_leakage(train, test, key="user", time="t")
    assert {p.kind for p in leaky.problems} == {"key", "time"}


def test_moderate_size_duplicates_are_exact():
    rng = np.random.default_rng(1)
    n = 200_000
    train = pd.DataFrame(
        {
            "a": rng.integers(0, 10, n),
            "b": rng.normal(size=n),
            "c": rng.choice(["x", "y"], n),
        }
    )
    test = train.sample(1000, random_state=0).reset_index(drop=True)
    test.loc[:499, "b"] += 1e-9  # near-duplicates are not duplicates
    problem = check_leakage(train, test).problems[0]
    assert problem.kind == "duplicate" and problem.count == 500


def test_mismatched_key_dtypes_and_missing_columns():
    train = pd.DataFrame({"k": [1, 2, None]})  # float64 because of the None
    test = pd.DataFrame({"k": [2, 3]})
    assert check_leakage(train, test, key="k", duplicates=False).problems[
        0
    ].examples == [2.0]
    with pytest.raises(
        DataError, match=r"column\(s\) \['t'\] given as time= are not in the train set"
    ):
        check_leakage(train, test, time="t")
    with pytest.raises(DataError, match="cast them to one type"):
        check_leakage(pd.DataFrame({"k": ["1"]}), test, key="k")
    with pytest.raises(
        InvalidParameterError, match="The 'duplicates' parameter of check_leakage"
    ):
        check_leakage(train, test, duplicates="yes")


def test_arrays_are_checked_for_duplicates():
    X = np.arange(20.0).reshape(10, 2)
    assert check_leakage(X[:6], X[5:]).problems[0].count == 1
    assert check_leakage(X[:5], X[5:]).ok
