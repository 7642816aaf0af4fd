"""The shared splitter machinery: allocation, parameters, persistence, scikit-learn cv=."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, cross_validate

from mlprep import load, save
from mlprep.exceptions import InvalidParameterError
from mlprep.split import (
    GroupTimeSeriesSplit,
    KeySplitter,
    OrderedSplitter,
    RandomSplitter,
    StratifiedSplitter,
)
from mlprep.split._base import allocate

SPLITTERS = [
    RandomSplitter(ratios=(0.6, 0.2, 0.2), n_splits=2, seed=3),
    StratifiedSplitter(ratios=(0.75, 0.25), n_splits=3, seed=1),
    OrderedSplitter(ratios=(0.7, 0.3), order_by="t", gap=2),
    KeySplitter(ratios=(0.7, 0.3), n_splits=2, key="g", seed=5),
    GroupTimeSeriesSplit(3, gap=1, max_train_size=4),
]


def _data():
    rng = np.random.default_rng(0)
    n = 240
    X = pd.DataFrame(
        {
            "a": rng.normal(size=n),
            "b": rng.normal(size=n),
            "t": np.arange(n),
            "g": np.arange(n) // 6,
        }
    )
    y = (X.a + rng.normal(scale=0.5, size=n) > 0).astype(int)
    return X, y, X.g.to_numpy()


@pytest.mark.parametrize("total", [0, 1, 2, 3, 7, 10, 99, 1001])
@pytest.mark.parametrize("ratios", [(0.7, 0.2, 0.1), (0.5, 0.5), (0.34, 0.33, 0.33)])
def test_allocate_sums_to_total_within_one_of_exact(total, ratios):
    counts = allocate(total, ratios)
    assert counts.sum() == total
    assert np.all(np.abs(counts - total * np.asarray(ratios)) < 1)


@pytest.mark.parametrize("splitter", SPLITTERS, ids=lambda s: type(s).__name__)
def test_save_load_round_trip_gives_the_same_splits(splitter, tmp_path):
    X, y, groups = _data()
    path = tmp_path / "splitter.json"
    save(splitter, path)
    loaded = load(path)
    assert (
        type(loaded) is type(splitter) and loaded.get_params() == splitter.get_params()
    )
    for (a, b), (c, d) in zip(splitter.split(X, y, groups), loaded.split(X, y, groups)):
        np.testing.assert_array_equal(a, c)
        np.testing.assert_array_equal(b, d)


@pytest.mark.parametrize("splitter", SPLITTERS, ids=lambda s: type(s).__name__)
def test_splitters_drive_cross_validate_and_grid_search(splitter):
    X, y, groups = _data()
    n = splitter.get_n_splits()
    result = cross_validate(LogisticRegression(), X, y, groups=groups, cv=splitter)
    assert len(result["test_score"]) == n
    search = GridSearchCV(LogisticRegression(), {"C": [0.1, 1.0]}, cv=splitter)
    search.fit(X, y, groups=groups)
    assert search.n_splits_ == n


@pytest.mark.parametrize("splitter", SPLITTERS, ids=lambda s: type(s).__name__)
def test_folds_are_disjoint(splitter):
    X, y, groups = _data()
    for train, test in splitter.split(X, y, groups):
        assert len(train) and len(test)
        assert not set(train) & set(test)


def test_parameters_are_validated_at_split_time_not_in_init():
    splitter = RandomSplitter(ratios=(0.5, 0.6), n_splits=0)  # init only stores
    assert splitter.ratios == (0.5, 0.6)
    with pytest.raises(
        InvalidParameterError,
        match=r"The 'ratios' parameter of RandomSplitter must be .* Got \(0.5, 0.6\) instead.",
    ):
        list(splitter.split(np.zeros((10, 1))))
    with pytest.raises(
        InvalidParameterError,
        match=r"The 'n_splits' parameter of GroupTimeSeriesSplit must be an int >= 1\. Got 0 instead\.",
    ):
        GroupTimeSeriesSplit(0).get_n_splits()
    with pytest.raises(
        InvalidParameterError, match="The 'seed' parameter of KeySplitter"
    ):
        KeySplitter(seed=-1).get_n_splits()


def test_n_splits_and_seed_come_from_the_splitters_that_take_them():
    X = np.zeros((40, 1))
    assert OrderedSplitter().get_n_splits() == 1
    assert GroupTimeSeriesSplit(4).get_n_splits() == 4
    assert RandomSplitter(n_splits=3).get_n_splits() == 3
    # repetition i uses seed + i
    np.testing.assert_array_equal(
        RandomSplitter(seed=2).assign(X, repeat=1), RandomSplitter(seed=3).assign(X)
    )


def test_get_set_params_and_repr():
    splitter = KeySplitter(key="g")
    assert splitter.get_params() == {
        "ratios": (0.8, 0.2),
        "n_splits": 1,
        "key": "g",
        "seed": 0,
    }
    assert splitter.set_params(seed=4).seed == 4
    assert (
        repr(splitter) == "KeySplitter(key='g', n_splits=1, ratios=(0.8, 0.2), seed=4)"
    )
    with pytest.raises(
        InvalidParameterError, match="KeySplitter has no parameter 'nope'"
    ):
        splitter.set_params(nope=1)


def test_three_ratios_yield_train_validation_and_hold_test_out():
    X = np.zeros((100, 1))
    splitter = RandomSplitter(ratios=(0.6, 0.3, 0.1))
    train, test = next(splitter.split(X))
    parts = splitter.parts(X)
    np.testing.assert_array_equal(train, parts[0])
    np.testing.assert_array_equal(test, parts[1])
    assert len(parts[2]) == 10 and not set(parts[2]) & (set(train) | set(test))
    labels = splitter.assign(X)
    assert labels.dtype == np.int8 and np.bincount(labels).tolist() == [60, 30, 10]


def test_group_splitters_request_groups_under_metadata_routing():
    from sklearn import config_context

    X, y, groups = _data()
    with config_context(enable_metadata_routing=True):
        result = cross_validate(
            LogisticRegression(),
            X,
            y,
            cv=KeySplitter(n_splits=2),
            params={"groups": groups},
        )
    assert len(result["test_score"]) == 2
