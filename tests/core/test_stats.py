"""Shared numerics: quantiles as numpy's linear method, mergeable moments, eps, constant rule."""

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.preprocessing import StandardScaler

from mlprep.core._numpy_path import numpy_float_values
from mlprep.core._stats import (
    EPS,
    Moments,
    moments,
    nanquantiles,
    zero_scale_to_one,
)

values = st.lists(
    st.floats(-1e9, 1e9, allow_nan=False) | st.just(float("nan")),
    min_size=1,
    max_size=50,
)


@given(values, st.lists(st.floats(0, 1), min_size=1, max_size=5))
def test_nanquantiles_equal_numpy_nanquantile(data, qs):
    array = np.asarray(data)
    expected = (
        np.full(len(qs), np.nan) if np.isnan(array).all() else np.nanquantile(array, qs)
    )
    np.testing.assert_allclose(nanquantiles(array, qs), expected, rtol=1e-12, atol=1e-6)


def test_nanquantiles_does_not_reorder_its_input():
    data = np.array([3.0, 1.0, 2.0])
    nanquantiles(data, [0.5])
    np.testing.assert_array_equal(data, [3.0, 1.0, 2.0])


@given(values, values)
def test_merged_moments_equal_moments_of_the_concatenation(left, right):
    a, b = np.asarray(left), np.asarray(right)
    merged = moments(a).merge(moments(b))
    whole = moments(np.concatenate([a, b]))
    assert merged.count == whole.count
    if whole.count:
        assert merged.mean == pytest.approx(whole.mean, rel=1e-9, abs=1e-3)
        assert merged.variance == pytest.approx(whole.variance, rel=1e-7, abs=1e-3)


def test_empty_moments():
    empty = moments(np.array([np.nan]))
    assert empty.count == 0
    assert np.isnan(empty.variance)
    assert Moments(2, 1.0, 2.0).merge(empty) == Moments(2, 1.0, 2.0)


@given(values)
def test_moments_equal_numpy_mean_and_var(data):
    array = np.asarray(data)
    present = array[~np.isnan(array)]
    stats = moments(array)
    assert stats.count == present.size
    if present.size:
        assert stats.mean == np.mean(present)  # the same sum, the same division
        assert stats.variance == pytest.approx(np.var(present), rel=1e-12, abs=1e-6)
        mean_only = moments(array, variance=False)
        assert (mean_only.count, mean_only.mean) == (stats.count, stats.mean)
        assert np.isnan(mean_only.m2)


def test_moments_chunks_a_long_column_exactly_enough():
    rng = np.random.default_rng(0)
    x = rng.normal(1e6, 1.0, 100_003)
    stats = moments(x)
    assert stats.mean == np.mean(x)
    assert stats.variance == pytest.approx(np.var(x), rel=1e-12)


def test_moments_of_huge_values_stay_finite_and_infinite_ones_have_nan_m2():
    with np.errstate(all="raise"):  # and no warning leaks out
        big = moments(np.array([1e308, 1e308, np.nan]))
        spread = moments(np.array([-1e308, 1e308]))
        infinite = moments(np.array([1.0, np.inf]))
    assert big.count == 2 and big.mean == 1e308 and big.variance == 0
    assert spread.mean == 0 and spread.std == 1e308
    assert infinite.mean == np.inf and np.isnan(infinite.m2)


def test_eps_is_float64_machine_epsilon():
    assert EPS == np.finfo(np.float64).eps == np.spacing(1.0) == 2.0**-52


@pytest.mark.parametrize(
    "column",
    [
        np.full(7, 0.1),
        np.full(1000, 1e10) + np.tile([0.0, 1e-6], 500),
        np.array([1.0, 1.0 + 2 * EPS]),
        np.array([3.0, 4.0, 5.0]),
        np.full(5, -2.5),
    ],
)
def test_constant_rule_equals_scikit_learn(column):
    theirs = StandardScaler().fit(column.reshape(-1, 1)).scale_[0]
    stats = moments(column)
    ours = zero_scale_to_one(float(np.sqrt(stats.variance)), constant=stats.constant)
    assert ours == pytest.approx(theirs, rel=1e-9)


def test_zero_scale_to_one():
    assert zero_scale_to_one(0.0) == 1.0
    assert zero_scale_to_one(1e-300) == 1.0
    assert zero_scale_to_one(10 * EPS) == 10 * EPS
    assert zero_scale_to_one(2.5) == 2.5
    assert zero_scale_to_one(2.5, constant=True) == 1.0
    assert zero_scale_to_one(0.0, constant=False) == 0.0
    assert np.isnan(zero_scale_to_one(float("nan")))
    assert not Moments(0, float("nan"), 0.0).constant


def test_numpy_float_values_only_for_numpy_backed_columns():
    floats = pd.Series([1.5, np.nan])
    got = numpy_float_values(nw.from_native(floats, series_only=True))
    assert got is not None and np.shares_memory(got, floats.to_numpy())
    ints = numpy_float_values(nw.from_native(pd.Series([1, 2]), series_only=True))
    assert ints is not None and ints.dtype == np.float64
    for other in (
        pd.Series([1.0, None], dtype="Float64"),
        pd.Series(["a", "b"]),
        pl.Series([1.0, 2.0]),
    ):
        assert numpy_float_values(nw.from_native(other, series_only=True)) is None
