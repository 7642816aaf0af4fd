"""Window and group kernels: statistics over row ranges equal pandas; key lookup."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlprep.core._windows import WINDOW_STATS, index_in, rolling_stat


def _by_loop(values, lo, hi, stat, min_periods, quantile):
    """The definition, one window at a time (test-only reference)."""
    out = []
    for a, b in zip(lo, hi):
        window = values[a:b]
        present = window[~np.isnan(window)]
        if stat == "count":
            out.append(float(present.size))
        elif present.size < min_periods or present.size == 0:
            out.append(np.nan)
        elif stat in ("std", "var"):
            if present.size < 2:
                out.append(np.nan)
            else:
                var = float(np.var(present, ddof=1))
                out.append(np.sqrt(var) if stat == "std" else var)
        elif stat == "quantile":
            out.append(float(np.quantile(present, quantile)))
        else:
            out.append(float(getattr(np, stat)(present)))
    return np.array(out, dtype=np.float64)


@given(
    st.lists(st.one_of(st.floats(-1e3, 1e3), st.just(np.nan)), min_size=1, max_size=30),
    st.integers(1, 6),
    st.sampled_from(WINDOW_STATS),
    st.integers(1, 3),
)
def test_trailing_windows_match_the_definition(data, width, stat, min_periods):
    values = np.array(data, dtype=np.float64)
    index = np.arange(values.size)
    lo, hi = np.maximum(index - width, 0), index
    found = rolling_stat(values, lo, hi, stat, min_periods=min_periods, quantile=0.25)
    expected = _by_loop(values, lo, hi, stat, min_periods, 0.25)
    np.testing.assert_allclose(found, expected, rtol=1e-9, atol=1e-9)


def test_equal_to_pandas_rolling_with_the_same_bounds():
    values = np.array([3.0, 1.0, np.nan, 7.0, 2.0, 5.0])
    index = np.arange(values.size)
    lo, hi = np.maximum(index - 2, 0), index + 1  # pandas' rolling(3)
    expected = pd.Series(values).rolling(3, min_periods=1)
    for stat in ("mean", "sum", "std", "var", "min", "max", "median"):
        np.testing.assert_allclose(
            rolling_stat(values, lo, hi, stat, min_periods=1),
            getattr(expected, stat)().to_numpy(),
            err_msg=stat,
        )


def test_empty_input_and_unknown_stat():
    empty = np.zeros(0)
    bounds = np.zeros(0, np.int64)
    assert rolling_stat(empty, bounds, bounds, "mean", min_periods=1).size == 0
    assert rolling_stat(empty, bounds, bounds, "count", min_periods=1).size == 0
    with pytest.raises(ValueError, match="not 'mode'"):
        rolling_stat(np.ones(2), bounds, bounds, "mode", min_periods=1)


def test_index_in_finds_positions_and_missing_keys():
    among = np.array([10, 20, 30])
    assert index_in(np.array([30, 5, 10], dtype=object), among).tolist() == [2, -1, 0]
    keys = np.array(["a", None], dtype=object)
    found = index_in(np.array([None, "b", "a"], dtype=object), keys)
    assert found.tolist() == [1, -1, 0]
    assert index_in(np.array([], dtype=object), among).dtype == np.int64
