"""GroupTimeSeriesSplit: whole groups in time order, gap, purge."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.model_selection import TimeSeriesSplit

from mlprep.exceptions import DataError
from mlprep.split import GroupTimeSeriesSplit


@pytest.mark.parametrize(
    ("n", "n_splits", "gap", "max_train"),
    [(23, 4, 2, 5), (10, 3, 0, None), (50, 5, 3, None)],
)
def test_one_row_per_group_equals_sklearn_time_series_split(
    n, n_splits, gap, max_train
):
    X = np.zeros((n, 1))
    ours = list(
        GroupTimeSeriesSplit(n_splits, gap=gap, max_train_size=max_train).split(
            X, groups=np.arange(n)
        )
    )
    theirs = list(TimeSeriesSplit(n_splits, gap=gap, max_train_size=max_train).split(X))
    assert len(ours) == len(theirs)
    for (a, b), (c, d) in zip(ours, theirs):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)


@given(
    sizes=st.lists(st.integers(1, 5), min_size=4, max_size=25),
    n_splits=st.integers(1, 3),
    gap=st.integers(0, 1),
)
def test_folds_take_whole_groups_test_after_train_with_gap(sizes, n_splits, gap):
    groups = np.repeat(np.arange(len(sizes)) * 10, sizes)
    X = np.zeros((len(groups), 1))
    splitter = GroupTimeSeriesSplit(n_splits, gap=gap)
    if (
        len(sizes) // (n_splits + 1) < 1
        or len(sizes) - n_splits * (len(sizes) // (n_splits + 1)) - gap <= 0
    ):
        with pytest.raises(DataError, match="too many splits"):
            list(splitter.split(X, groups=groups))
        return
    for train, test in splitter.split(X, groups=groups):
        train_groups, test_groups = set(groups[train]), set(groups[test])
        assert not train_groups & test_groups
        for g in train_groups | test_groups:  # whole groups only
            assert set(np.flatnonzero(groups == g)) <= set(train) | set(test)
        rank = {g: i for i, g in enumerate(dict.fromkeys(groups.tolist()))}
        assert (
            min(rank[g] for g in test_groups) - max(rank[g] for g in train_groups)
            == gap + 1
        )


def test_time_column_orders_groups_and_overlap_is_an_error():
    frame = pd.DataFrame(
        {
            "t": [5, 6, 1, 2, 3, 4, 7, 8, 9, 10],
            "g": ["c", "c", "a", "a", "b", "b", "d", "d", "e", "e"],
        }
    )
    folds = list(GroupTimeSeriesSplit(2, order_by="t").split(frame, groups=frame.g))
    assert [sorted(set(frame.g[test])) for _, test in folds] == [["d"], ["e"]]
    assert sorted(set(frame.g[folds[0][0]])) == ["a", "b", "c"]
    frame.loc[0, "t"] = 2  # group c now overlaps a's time range
    with pytest.raises(DataError, match="overlap in time"):
        list(GroupTimeSeriesSplit(2, order_by="t").split(frame, groups=frame.g))


def test_order_by_takes_a_position_and_datetimes():
    frame = pd.DataFrame(
        {
            "t": pd.to_datetime(["2024-01-05", "2024-01-01", "2024-01-03"]).repeat(2),
            "g": list("ccaabb"),
        }
    )
    by_name = list(GroupTimeSeriesSplit(2, order_by="t").split(frame, groups=frame.g))
    by_position = list(GroupTimeSeriesSplit(2, order_by=0).split(frame, groups=frame.g))
    for (a, b), (c, d) in zip(by_name, by_position):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)
    assert [sorted(set(frame.g[test])) for _, test in by_name] == [["b"], ["c"]]
    assert GroupTimeSeriesSplit(2, order_by="t").get_params()["order_by"] == "t"


def test_non_contiguous_group_without_time_is_named():
    groups = np.array([1, 1, 2, 2, 1, 3, 3, 4, 4])
    with pytest.raises(
        DataError,
        match=r"group 1 is not contiguous: it comes back at row 4 after group 2.*order_by=",
    ):
        list(GroupTimeSeriesSplit(2).split(np.zeros((9, 1)), groups=groups))
    with pytest.raises(DataError, match="needs the groups"):
        list(GroupTimeSeriesSplit(2).split(np.zeros((9, 1))))


def test_purge_removes_test_entities_from_train():
    rng = np.random.default_rng(0)
    n = 300
    frame = pd.DataFrame(
        {"t": np.sort(rng.integers(0, 60, n)), "user": rng.integers(0, 40, n)}
    )
    splitter = GroupTimeSeriesSplit(3, purge=True, order_by="t", gap=2)
    folds = list(splitter.split(frame, groups=frame.user))
    assert len(folds) == 3
    for train, test in folds:
        assert not set(frame.user[train]) & set(frame.user[test])
        assert (
            frame.t[train].max() < frame.t[test].min() - 2
        )  # gap of 2 time steps (distinct values)
    # without purge those interleaved users are rejected
    with pytest.raises(DataError, match="purge=True"):
        list(GroupTimeSeriesSplit(3, order_by="t").split(frame, groups=frame.user))


def test_purge_that_empties_train_is_an_error():
    groups = np.array([0, 1, 0, 1, 0, 1, 0, 1])
    with pytest.raises(DataError, match=r"leaves the train set .* empty"):
        list(GroupTimeSeriesSplit(1, purge=True).split(np.zeros((8, 1)), groups=groups))
