"""Shared statistics: quantiles as numpy's linear method, mergeable moments."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlprep.core._stats import Moments, moments, nanquantiles

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
