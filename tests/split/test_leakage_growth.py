"""check_leakage's linear-time paths: row hashes, hash-table lookups, partial sorts.

Every answer is compared with a brute-force reference (Python sets of the
rows' values), on pandas and polars, with NaN, None, -0.0, integers against
floats and forced hash collisions.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mlprep.split._leakage as leakage
from mlprep.core._keys import paired_row_hashes
from mlprep.split import check_leakage


def _canonical(value: Any) -> Any:
    """The reference's notion of equal values: missing alike, numbers by value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ("missing",)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return ("number", float(value) + 0.0)
    return ("other", value)


def _rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple[Any, ...]]:
    values = frame[columns].astype(object).to_numpy().tolist()
    return [tuple(_canonical(v) for v in row) for row in values]


def _reference(train: pd.DataFrame, test: pd.DataFrame, key: str) -> dict[str, Any]:
    columns = [c for c in train.columns if c in test.columns]
    seen = set(_rows(train, columns))
    duplicated = [i for i, row in enumerate(_rows(test, columns)) if row in seen]
    train_keys = {row for row in _rows(train, [key]) if row != (("missing",),)}
    test_keys = {row for row in _rows(test, [key]) if row != (("missing",),)}
    return {"duplicate": duplicated, "key": len(train_keys & test_keys)}


_KEYS = st.sampled_from([0, 1, 2, 3, None])
_FLOATS = st.sampled_from([0.0, -0.0, 1.0, 2.5, float("nan"), None])
_TEXT = st.sampled_from(["a", "b", "1", None])


def _floats(values: list[Any]) -> np.ndarray:
    return np.array([np.nan if v is None else v for v in values], dtype=np.float64)


@st.composite
def _frame(draw: Any, min_rows: int = 0) -> pd.DataFrame:
    n = draw(st.integers(min_rows, 12))
    return pd.DataFrame(
        {
            "k": _floats(draw(st.lists(_KEYS, min_size=n, max_size=n))),
            "x": _floats(draw(st.lists(_FLOATS, min_size=n, max_size=n))),
            "s": pd.Series(draw(st.lists(_TEXT, min_size=n, max_size=n)), dtype=object),
        }
    )


@pytest.mark.parametrize("backend", ["pandas", "polars"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(train=_frame(min_rows=1), test=_frame(min_rows=1))
def test_duplicates_and_keys_match_brute_force(backend, train, test):
    expected = _reference(train, test, "k")
    left, right = (
        (pl.from_pandas(train), pl.from_pandas(test))
        if backend == "polars"
        else (train, test)
    )
    before = (train.copy(), test.copy())
    report = check_leakage(left, right, key="k")
    found = {p.kind: p for p in report.problems}
    duplicates = found["duplicate"].count if "duplicate" in found else 0
    assert duplicates == len(expected["duplicate"])
    assert (found["key"].count if "key" in found else 0) == expected["key"]
    pd.testing.assert_frame_equal(train, before[0])  # inputs are never mutated
    pd.testing.assert_frame_equal(test, before[1])


def test_integers_equal_floats_and_zero_signs_and_missing_values_agree():
    train = pd.DataFrame(
        {"a": [1, 2, 3], "b": [0.0, np.nan, 5.5], "c": ["x", None, "z"]}
    )
    test = pd.DataFrame(
        {"a": [1.0, 2.0, 3.0], "b": [-0.0, np.nan, 5.5], "c": ["x", None, "y"]}
    )
    problem = check_leakage(train, test).problems[0]
    assert problem.kind == "duplicate" and problem.count == 2
    assert "test row positions [0, 1]" in problem.message


def test_text_one_is_not_the_number_one():
    train = pd.DataFrame({"v": pd.Series(["1", 2], dtype=object)})
    test = pd.DataFrame({"v": pd.Series([1, "2"], dtype=object)})
    assert check_leakage(train, test).ok  # same str(), different values


def test_a_partner_with_the_same_hash_but_other_values_is_not_the_last_word():
    # object values hash by str(): 1 and "1" share a hash, only 1 equals 1
    train = pd.DataFrame({"v": pd.Series([1, "1"], dtype=object)})
    test = pd.DataFrame({"v": pd.Series([1, "2"], dtype=object)})
    problem = check_leakage(train, test).problems[0]
    assert problem.count == 1 and problem.examples == [{"v": 1}]


def test_hash_collisions_are_ruled_out_value_by_value(monkeypatch):
    train = pd.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    test = pd.DataFrame({"a": [3, 4, 2], "b": ["z", "z", "x"]})

    def colliding(pairs, n_left, n_right):
        for _ in pairs:
            pass
        return np.zeros(n_left, np.uint64), np.zeros(n_right, np.uint64), False

    monkeypatch.setattr(leakage, "paired_row_hashes", colliding)
    report = check_leakage(train, test, key="a")
    found = {p.kind: p for p in report.problems}
    assert found["duplicate"].count == 1  # only test row 0 equals a train row
    assert found["key"].count == 2 and found["key"].examples == [2, 3]


@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_examples_are_the_smallest_values_found_by_a_partial_sort(backend):
    rng = np.random.default_rng(4)
    train = pd.DataFrame(
        {
            "user": rng.integers(0, 400, 2000),
            "t": pd.to_datetime("2024-01-01")
            + pd.to_timedelta(rng.integers(0, 10_000, 2000), unit="min"),
        }
    )
    test = pd.DataFrame(
        {
            "user": rng.integers(200, 600, 1500),
            "t": pd.to_datetime("2024-01-03")
            + pd.to_timedelta(rng.integers(0, 10_000, 1500), unit="min"),
        }
    )
    latest = train["t"].max()
    early = np.sort(test.loc[test["t"] < latest, "t"].to_numpy())
    shared = sorted(set(train["user"]) & set(test["user"]))
    left, right = (
        (pl.from_pandas(train), pl.from_pandas(test))
        if backend == "polars"
        else (train, test)
    )
    found = {
        p.kind: p for p in check_leakage(left, right, key="user", time="t").problems
    }
    assert found["time"].count == early.size > 100
    assert [pd.Timestamp(v) for v in found["time"].examples] == [
        pd.Timestamp(v) for v in early[:5]
    ]
    assert found["key"].count == len(shared) and found["key"].examples == shared[:5]


def test_two_key_columns_and_mismatched_numeric_key_dtypes():
    train = pd.DataFrame({"a": [1, 1, 2, None], "b": ["x", "y", "x", "x"]})
    test = pd.DataFrame({"a": [1, 2, 2, 3], "b": ["y", "y", "x", "x"]})
    problem = check_leakage(train, test, key=["a", "b"], duplicates=False).problems[0]
    assert problem.count == 2 and problem.examples == [(1.0, "y"), (2.0, "x")]


def test_paired_row_hashes_exact_only_for_one_numeric_column_and_inputs_kept():
    ints = np.array([-1, 0, 7], dtype=np.int64)
    kept = ints.copy()
    left, right, exact = paired_row_hashes([(ints, np.array([7, -1]))], 3, 2)
    assert exact and left[0] == right[1] and left[2] == right[0]
    np.testing.assert_array_equal(ints, kept)  # codes are written to new arrays
    _, _, exact = paired_row_hashes([(ints, np.array([7.0, -1.0]))], 3, 2)
    assert not exact  # differing dtypes go through canonical codes
    text = np.array(["a", None], dtype=object)
    _, _, exact = paired_row_hashes([(text, text)], 2, 2)
    assert not exact
    with pytest.raises(ValueError, match="at least one column"):
        paired_row_hashes([], 1, 1)
