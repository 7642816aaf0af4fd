"""Stable key hashes: canonical codes, golden values, backend independence."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import polars as pl

from mlprep.core._keys import canonical_codes, hash_columns
from mlprep.core._rows import series_values


def test_golden_hashes_never_change():
    # These constants pin the algorithm: a change would move keys between parts
    # for every user, so it must be a deliberate, documented break.
    ints = hash_columns([np.array([0, 1, -1, 2**40])], seed=0)
    strings = hash_columns([np.array(["a", "customer-42", "字"], dtype=object)], seed=7)
    assert ints.tolist() == [
        int(v) for v in hash_columns([np.array([0.0, 1.0, -1.0, 2.0**40])], seed=0)
    ]
    assert [f"{v:016x}" for v in ints.tolist()] == GOLDEN_INTS
    assert [f"{v:016x}" for v in strings.tolist()] == GOLDEN_STRINGS


GOLDEN_INTS = [
    "48218226ff3cd4bf",
    "9e0160293a33aaf7",
    "f2c27ef86a95b080",
    "850aa911bb65428f",
]
GOLDEN_STRINGS = ["858b0cbad6fd70c6", "fc803cfe9ede481e", "ea566b775e44047c"]


def test_equal_keys_get_equal_codes_whatever_their_dtype():
    as_int32 = canonical_codes(np.array([1, 2, 3], dtype=np.int32))
    as_uint8 = canonical_codes(np.array([1, 2, 3], dtype=np.uint8))
    as_float = canonical_codes(np.array([1.0, 2.0, 3.0]))
    as_object = canonical_codes(np.array([1, 2.0, np.int64(3)], dtype=object))
    for other in (as_uint8, as_float, as_object):
        np.testing.assert_array_equal(as_int32, other)
    missing = canonical_codes(np.array([np.nan, None, pd.NA], dtype=object))
    assert len(set(missing.tolist())) == 1
    assert canonical_codes(np.array([np.nan]))[0] == missing[0]
    assert canonical_codes(np.array([-0.0]))[0] == canonical_codes(np.array([0]))[0]
    assert canonical_codes(np.array([0.5]))[0] != canonical_codes(np.array([0]))[0]


def test_pandas_polars_and_numpy_columns_hash_alike():
    values = ["x", "y", None, "ü"]
    pandas = series_values(pd.Series(values, dtype=object))
    polars = series_values(pl.Series(values))
    np.testing.assert_array_equal(canonical_codes(pandas), canonical_codes(polars))
    stamps = [dt.datetime(2024, 1, 1), dt.datetime(2024, 5, 2, 3, 4, 5), None]
    pd_codes = canonical_codes(series_values(pd.Series(stamps, dtype="datetime64[ns]")))
    pl_codes = canonical_codes(series_values(pl.Series(stamps)))
    np.testing.assert_array_equal(pd_codes, pl_codes)
    nullable = canonical_codes(series_values(pd.Series([1, None, 3], dtype="Int64")))
    np.testing.assert_array_equal(
        nullable, canonical_codes(series_values(pl.Series([1, None, 3])))
    )


def test_seed_and_column_order_change_the_hash_and_buckets_are_even():
    a, b = np.arange(1000), np.arange(1000) % 7
    h = hash_columns([a, b], seed=0)
    assert not np.array_equal(h, hash_columns([a, b], seed=1))
    assert not np.array_equal(h, hash_columns([b, a], seed=0))
    buckets = np.bincount((h % np.uint64(5)).astype(np.int64), minlength=5)
    assert buckets.min() > 150  # 1000 rows in 5 buckets: spread, not clumped
