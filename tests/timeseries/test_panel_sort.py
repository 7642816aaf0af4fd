"""The panel sort (issue 16): a counting sort, one pass for order and ties, gathers back.

``build_panel`` sorts by group with pandas' counting sort, checks the time
order and the ties in one pass, and returns features to the caller's order by
gathering through each row's sorted position. Each must equal the plain
definition: a lexicographic sort by (group, time, history first), the history
rows a frame row supersedes dropped, duplicates among the frame's rows refused.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlprep.exceptions import DataError
from mlprep.timeseries import _panel
from mlprep.timeseries._panel import build_panel, group_order


def reference(codes: np.ndarray, times: np.ndarray, n_hist: int) -> np.ndarray:
    """The sorted rows by definition: lexsort, then superseded history rows dropped."""
    source = np.arange(codes.size) >= n_hist
    order = np.lexsort((source, times, codes))
    c, t = codes[order], times[order]
    tie_with_next = np.r_[(c[1:] == c[:-1]) & (t[1:] == t[:-1]), False]
    return order[~tie_with_next[: order.size]]


@st.composite
def rows(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, int]:
    n = draw(st.integers(0, 60))
    codes = np.array(draw(st.lists(st.integers(0, 6), min_size=n, max_size=n)))
    layout = draw(st.sampled_from(["time-major", "shuffled", "repeats"]))
    if layout == "repeats":  # ties and unsorted groups
        times = np.array(draw(st.lists(st.integers(0, 5), min_size=n, max_size=n)))
    else:
        times = (
            np.arange(n) if layout == "time-major" else draw(st.permutations(range(n)))
        )
        times = np.asarray(times)
    n_hist = draw(st.integers(0, n))
    return codes.astype(np.int64), times.astype(np.int64), n_hist


def frame_duplicates(codes: np.ndarray, times: np.ndarray, n_hist: int) -> bool:
    pairs = list(zip(codes[n_hist:].tolist(), times[n_hist:].tolist()))
    return len(set(pairs)) < len(pairs)


@given(rows())
@settings(max_examples=200)
def test_build_panel_equals_the_lexicographic_definition(data) -> None:
    codes, times, n_hist = data
    if frame_duplicates(codes, times, n_hist):
        with pytest.raises(DataError, match="duplicate"):
            build_panel(codes, times, n_hist, describe=str, owner="test")
        return
    panel = build_panel(codes, times, n_hist, describe=str, owner="test")
    expected = reference(codes, times, n_hist)
    np.testing.assert_array_equal(panel.order, expected)
    np.testing.assert_array_equal(panel.codes, codes[expected])
    np.testing.assert_array_equal(panel.times, times[expected])
    c = codes[expected]
    heads = np.flatnonzero(np.r_[True, c[1:] != c[:-1]]) if c.size else c
    np.testing.assert_array_equal(panel.heads, heads)
    # every frame row is kept, and a sorted column goes back to the frame's order
    values = np.arange(codes.size, dtype=np.float64) * 1.5
    back = panel.scatter(panel.take(values))
    np.testing.assert_array_equal(back, values[n_hist:])


@given(st.lists(st.integers(0, 300), max_size=200), st.integers(0, 5))
def test_group_order_is_the_stable_argsort(codes: list[int], extra: int) -> None:
    array = np.array(codes, dtype=np.int64)
    n_codes = (int(array.max()) + 1 if array.size else 0) + extra
    order, counts = group_order(array, n_codes)
    np.testing.assert_array_equal(order, np.argsort(array, kind="stable"))
    np.testing.assert_array_equal(counts, np.bincount(array, minlength=n_codes))


def test_group_order_without_pandas_counting_sort(monkeypatch) -> None:
    monkeypatch.setattr(_panel, "_COUNTING_SORT", None)
    codes = np.array([3, 1, 3, 0, 1], dtype=np.int64)
    order, counts = group_order(codes, 4)
    assert order.tolist() == [3, 1, 4, 0, 2]
    assert counts.tolist() == [1, 2, 0, 2]


def test_pandas_counting_sort_is_found() -> None:
    # when pandas renames it, the sort silently becomes numpy's (ten times slower)
    assert _panel._COUNTING_SORT is not None


@given(st.lists(st.integers(0, 5), max_size=50), st.integers(1, 8))
def test_shift_rows_equals_comparing_codes_k_apart(codes: list[int], k: int) -> None:
    array = np.array(codes, dtype=np.int64)
    panel = build_panel(array, np.arange(array.size), 0, describe=str, owner="test")
    values = np.arange(array.size, dtype=np.float64) + 0.5
    expected = np.full(array.size, -1.0)
    if k < array.size:
        same = panel.codes[k:] == panel.codes[:-k]
        expected[k:] = np.where(same, values[:-k], -1.0)
    np.testing.assert_array_equal(_panel.shift_rows(panel, values, k, -1.0), expected)
    index = np.arange(panel.size)
    np.testing.assert_array_equal(
        panel.head_positions(k), np.flatnonzero(index - panel.starts < k)
    )
