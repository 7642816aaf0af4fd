"""The value-level door: factorize_array, combined codes, membership, hashes, missing, durations."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlprep.core._codes import (
    combine_codes,
    factorize_array,
    hash_array,
    is_missing_scalar,
    is_timedelta_scalar,
    isin,
    missing_mask,
    timedelta_ns,
    timestamp_ns,
)


@pytest.mark.parametrize(
    "values",
    [
        np.array([3, 1, 3, 2]),
        np.array([2.5, np.nan, 1.0, 2.5, np.nan]),
        np.array(["b", None, "a", "b"], dtype=object),
        np.array(["2024-01-02", "NaT", "2024-01-01"], dtype="datetime64[ns]"),
        np.array([2**63, 1, 2**63], dtype=np.uint64),
    ],
)
@pytest.mark.parametrize("sort", [False, True])
@pytest.mark.parametrize("na_sentinel", [False, True])
def test_factorize_equals_pandas(values, sort, na_sentinel):
    codes, uniques = factorize_array(values, sort=sort, na_sentinel=na_sentinel)
    expected_codes, expected_uniques = pd.factorize(
        values, sort=sort, use_na_sentinel=na_sentinel
    )
    assert codes.dtype == np.int64 and isinstance(uniques, np.ndarray)
    np.testing.assert_array_equal(codes, expected_codes)
    expected_uniques = np.asarray(expected_uniques)
    assert uniques.dtype == expected_uniques.dtype
    assert [str(u) for u in uniques] == [str(u) for u in expected_uniques]


def test_factorize_sorts_numbers_before_strings_and_refuses_incomparable_values():
    codes, uniques = factorize_array(np.array([1, "a", 0], dtype=object), sort=True)
    assert codes.tolist() == [1, 2, 0] and uniques.tolist() == [0, 1, "a"]
    with pytest.raises(TypeError):
        factorize_array(np.array([1, "a", (1, 2)], dtype=object), sort=True)


@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 4)), max_size=40
    )
)
def test_combine_codes_numbers_combinations_by_first_appearance(rows):
    columns = [np.array([r[i] for r in rows], dtype=np.int64) for i in range(3)]
    if not rows:
        columns = [np.zeros(0, dtype=np.int64)] * 3
    combined = combine_codes(columns)
    first_seen = list(dict.fromkeys(rows))
    assert combined.tolist() == [first_seen.index(r) for r in rows]


def test_combine_codes_of_one_array_and_of_none():
    assert combine_codes([np.array([5, 2, 5])]).tolist() == [0, 1, 0]
    with pytest.raises(ValueError, match="at least one"):
        combine_codes([])


def test_isin_is_membership():
    rng = np.random.default_rng(0)
    values = rng.integers(0, 2**64, 1000, dtype=np.uint64)
    among = np.concatenate([values[::7], rng.integers(0, 2**64, 50, dtype=np.uint64)])
    np.testing.assert_array_equal(isin(values, among), np.isin(values, among))
    assert isin(np.array([], dtype=np.uint64), among).tolist() == []


def test_hash_array_equal_values_equal_hashes():
    hashed = hash_array(np.array(["a", "b", "a", "ü"], dtype=object))
    assert hashed.dtype == np.uint64
    assert hashed[0] == hashed[2] and len(set(hashed.tolist())) == 3
    ints = hash_array(np.array([1, 2, 1]))
    assert ints[0] == ints[2] != ints[1]


def test_missing_mask_and_is_missing_scalar():
    values = np.array([None, np.nan, pd.NA, pd.NaT, "", 0, "x"], dtype=object)
    assert missing_mask(values).tolist() == [True] * 4 + [False] * 3
    assert missing_mask(np.array([1.0, np.nan])).tolist() == [False, True]
    assert [is_missing_scalar(v) for v in values] == [True] * 4 + [False] * 3
    for value in (
        np.float32("nan"),
        np.datetime64("NaT", "ns"),
        np.timedelta64("NaT", "h"),
    ):
        assert is_missing_scalar(value)
    for value in (b"", np.int64(0), True, 1.5, [None], (None,), np.array([np.nan])):
        assert not is_missing_scalar(value)


def test_durations():
    assert is_timedelta_scalar(dt.timedelta(hours=1))
    assert is_timedelta_scalar(np.timedelta64(1, "h"))
    assert is_timedelta_scalar(pd.Timedelta("1h"))
    assert not is_timedelta_scalar(3) and not is_timedelta_scalar("1h")
    hour = 3_600_000_000_000
    for value in (
        dt.timedelta(hours=1),
        np.timedelta64(1, "h"),
        pd.Timedelta("1h"),
        "1h",
    ):
        assert timedelta_ns(value) == hour and type(timedelta_ns(value)) is int
    assert timedelta_ns(pd.Timedelta(1, unit="ns")) == 1
    assert timedelta_ns(-dt.timedelta(days=1)) == -24 * hour
    with pytest.raises(ValueError, match="not a duration"):
        timedelta_ns(np.timedelta64("NaT", "ns"))
    with pytest.raises(ValueError):
        timedelta_ns("soon")


def test_timestamps():
    aware = pd.Timestamp("2024-01-01 01:00", tz="Europe/Paris")
    assert timestamp_ns(aware) == pd.Timestamp("2024-01-01 00:00").value
    assert timestamp_ns(np.datetime64("2024-01-01", "D")) == aware.value
    assert timestamp_ns(pd.Timestamp("2024-01-01").as_unit("s")) == aware.value
    for other in (dt.datetime(2024, 1, 1), "2024-01-01", 5, None, pd.NaT):
        assert timestamp_ns(other) is None
    assert timestamp_ns(np.datetime64("NaT", "s")) is None
