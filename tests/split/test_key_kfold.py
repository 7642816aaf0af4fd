"""KeyKFold: true K-fold by key, every row validated once, folds stable under appends."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_val_score

from mlprep.exceptions import DataError, InvalidParameterError
from mlprep.split import KeyKFold, KeySplitter


def _frame(n_keys: int, rows: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "customer": rng.integers(0, n_keys, rows),
            "x": rng.normal(size=rows),
        }
    )


def _validated(cv: KeyKFold, X: object, groups: object = None) -> np.ndarray:
    tests = [test for _, test in cv.split(X, groups=groups)]
    return np.sort(np.concatenate(tests))


@given(
    keys=st.lists(st.integers(0, 40), min_size=1, max_size=200),
    n_splits=st.integers(2, 6),
    seed=st.integers(0, 2**16),
)
def test_every_row_validated_exactly_once_and_keys_whole(
    keys: list[int], n_splits: int, seed: int
) -> None:
    X = pd.DataFrame({"k": keys, "x": range(len(keys))})
    cv = KeyKFold(n_splits=n_splits, key="k", seed=seed)
    try:
        pairs = list(cv.split(X))
    except DataError as error:  # a fold without keys: said so, by fold number
        assert "without rows" in str(error)
        assert len(set(keys)) < 40 * n_splits  # only plausible with few keys
        return
    assert len(pairs) == cv.get_n_splits() == n_splits
    np.testing.assert_array_equal(_validated(cv, X), np.arange(len(keys)))
    key = np.asarray(keys)
    for train, test in pairs:
        assert np.intersect1d(train, test).size == 0
        assert train.size + test.size == len(keys)  # train is every other fold
        assert not set(key[train]) & set(key[test])


def test_n_splits_is_real_k_fold_unlike_repeated_holdouts() -> None:
    X = _frame(n_keys=500, rows=500, seed=3)
    kfold = _validated(KeyKFold(n_splits=5, key="customer"), X)
    assert kfold.tolist() == list(range(500))  # each row once
    holdouts = np.concatenate(
        [test for _, test in KeySplitter(n_splits=5, key="customer").split(X)]
    )
    # KeySplitter's n_splits repeats holdouts (ShuffleSplit): some rows never validated
    assert np.unique(holdouts).size < 500


def test_folds_are_stable_when_rows_are_appended() -> None:
    old = _frame(n_keys=300, rows=2_000, seed=1)
    new = pd.concat([old, _frame(n_keys=600, rows=1_500, seed=2)], ignore_index=True)
    cv = KeyKFold(n_splits=5, key="customer", seed=7)
    before, after = cv.assign(old), cv.assign(new)
    np.testing.assert_array_equal(after[: len(old)], before)
    # the same key in the appended rows lands in its old fold
    fold_of = dict(zip(old.customer.tolist(), before.tolist()))
    appended = new.iloc[len(old) :]
    for customer, fold in zip(appended.customer.tolist(), after[len(old) :].tolist()):
        if customer in fold_of:
            assert fold_of[customer] == fold

    # scikit-learn's GroupKFold balances by counts, so appends move old groups
    def group_folds(frame: pd.DataFrame) -> dict[int, int]:
        out: dict[int, int] = {}
        for fold, (_, test) in enumerate(
            GroupKFold(5).split(frame, groups=frame.customer)
        ):
            out.update(dict.fromkeys(frame.customer.iloc[test].tolist(), fold))
        return out

    first, second = group_folds(old), group_folds(new)
    assert any(first[k] != second[k] for k in first)


@pytest.mark.parametrize("n_splits", [3, 5, 10])
def test_fold_sizes_within_binomial_noise(n_splits: int) -> None:
    rng = np.random.default_rng(n_splits)
    sizes = rng.integers(1, 6, 4_000)  # keys of 1..5 rows
    X = pd.DataFrame({"k": np.repeat(np.arange(sizes.size), sizes)})
    folds = KeyKFold(n_splits=n_splits, key="k", seed=11).assign(X)
    counts = np.bincount(folds, minlength=n_splits)
    p = 1.0 / n_splits
    sd = np.sqrt(p * (1 - p) * float((sizes.astype(float) ** 2).sum()))
    assert np.all(np.abs(counts - p * len(X)) < 4 * sd)


def test_same_folds_from_every_backend_and_from_groups() -> None:
    X = _frame(n_keys=50, rows=400, seed=4)
    cv = KeyKFold(n_splits=4, key="customer", seed=2)
    expected = cv.assign(X)
    np.testing.assert_array_equal(cv.assign(pl.from_pandas(X)), expected)
    by_groups = KeyKFold(n_splits=4, seed=2).assign(X[["x"]], groups=X.customer)
    np.testing.assert_array_equal(by_groups, expected)
    parts = cv.parts(X)
    assert [p.tolist() for p in parts] == [
        np.flatnonzero(expected == k).tolist() for k in range(4)
    ]


def test_several_key_columns() -> None:
    X = pd.DataFrame({"a": [1, 1, 2, 2] * 25, "b": ["x", "y"] * 50, "v": range(100)})
    folds = KeyKFold(n_splits=2, key=["a", "b"]).assign(X)
    for _, rows in X.groupby(["a", "b"]).groups.items():
        assert len(set(folds[np.asarray(rows)].tolist())) == 1


def test_works_as_cv_in_grid_search() -> None:
    X = _frame(n_keys=80, rows=400, seed=5)
    y = X.x * 2.0 + np.random.default_rng(0).normal(size=len(X))
    cv = KeyKFold(n_splits=4, key="customer")
    search = GridSearchCV(Ridge(), {"alpha": [0.1, 1.0]}, cv=cv).fit(X, y)
    assert search.n_splits_ == 4
    assert len(cross_val_score(Ridge(), X, y, cv=cv)) == 4


def test_errors_name_the_problem() -> None:
    X = pd.DataFrame({"k": [1, 1, 1, 1], "x": range(4)})
    with pytest.raises(DataError, match="without rows"):
        list(KeyKFold(n_splits=3, key="k").split(X))
    with pytest.raises(DataError, match="needs the key"):
        list(KeyKFold(n_splits=2).split(X))
    with pytest.raises(DataError, match="no rows to split"):
        list(KeyKFold(n_splits=2, key="k").split(X.iloc[:0]))
    with pytest.raises(InvalidParameterError, match="n_splits"):
        KeyKFold(n_splits=1, key="k").get_n_splits()
    with pytest.raises(DataError, match="repeat"):
        KeyKFold(n_splits=2, key="k").assign(X, repeat=1)
