"""KeySplitter and the key / stratified-key kernels."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest

from mlprep.exceptions import DataError
from mlprep.split import KeySplitter, train_val_test_split
from mlprep.split._key import key_labels, stratified_key_labels
from mlprep.split._stratified import class_codes


@pytest.mark.parametrize("seed", range(8))
def test_row_shares_stay_within_the_documented_tolerance(seed):
    # 2000 keys of 1-9 rows: share sd = sqrt(r(1-r) * sum(s^2)) / n; allow 4 sd.
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 10, 2000)
    keys = np.repeat(np.arange(2000), sizes)
    ratios = np.array([0.7, 0.2, 0.1])
    labels = key_labels([keys], tuple(ratios), seed)
    shares = np.bincount(labels, minlength=3) / len(keys)
    sd = np.sqrt(ratios * (1 - ratios) * (sizes.astype(float) ** 2).sum()) / len(keys)
    assert np.all(np.abs(shares - ratios) < 4 * sd), (shares, sd)


def test_groups_or_key_column_and_backends_agree():
    frame = pd.DataFrame({"user": np.arange(500) % 97, "x": np.arange(500)})
    by_column = KeySplitter(key="user", seed=2).parts(frame)
    by_groups = KeySplitter(seed=2).parts(frame, groups=frame.user)
    by_polars = KeySplitter(key="user", seed=2).parts(pl.from_pandas(frame))
    by_position = KeySplitter(key=0, seed=2).parts(frame.to_numpy())
    for other in (by_groups, by_polars, by_position):
        for a, b in zip(by_column, other):
            np.testing.assert_array_equal(a, b)


def test_repeats_use_successive_seeds_and_differ():
    frame = pd.DataFrame({"user": np.arange(300)})
    folds = list(KeySplitter(key="user", n_splits=3, seed=10).split(frame))
    assert len(folds) == 3
    assert not np.array_equal(folds[0][1], folds[1][1])
    np.testing.assert_array_equal(
        folds[1][1], next(KeySplitter(key="user", seed=11).split(frame))[1]
    )


def test_multi_column_keys_keep_each_combination_whole():
    frame = pd.DataFrame({"shop": np.arange(600) % 5, "day": np.arange(600) % 40})
    labels = KeySplitter(key=["shop", "day"], ratios=(0.6, 0.4)).assign(frame)
    assert (pd.Series(labels).groupby([frame.shop, frame.day]).nunique() == 1).all()
    assert len(np.unique(labels)) == 2


def test_missing_key_is_an_error_with_the_fix():
    with pytest.raises(DataError, match="name its column"):
        KeySplitter().assign(np.zeros((5, 1)))
    with pytest.raises(DataError, match=r"part empty .* so with few distinct keys"):
        KeySplitter(key="k").assign(pd.DataFrame({"k": [1] * 10}))


def test_stratified_key_balances_strata_and_keeps_keys_whole():
    rng = np.random.default_rng(1)
    keys = np.repeat(np.arange(3000), 3)
    label = np.repeat(rng.choice(3, 3000, p=[0.8, 0.15, 0.05]), 3)
    codes, _ = class_codes([label])
    labels = stratified_key_labels([keys], codes, (0.7, 0.2, 0.1), seed=0)
    assert (pd.Series(labels).groupby(keys).nunique() == 1).all()
    for cls in range(3):
        rows = label == cls
        shares = np.bincount(labels[rows], minlength=3) / rows.sum()
        # keys of 3 rows are ordered and cut on the stratum's cumulative rows
        assert np.all(np.abs(shares - [0.7, 0.2, 0.1]) <= 3 / rows.sum() + 1e-12), (
            shares
        )


def test_stratified_key_through_the_function_keeps_keys_whole():
    rng = np.random.default_rng(2)
    frame = pd.DataFrame(
        {"k": rng.integers(0, 400, 2000), "c": rng.integers(0, 2, 2000)}
    )
    parts = train_val_test_split(frame, method="key", key="k", stratify="c")
    key_sets = [set(p.k) for p in parts]
    assert not (
        key_sets[0] & key_sets[1]
        or key_sets[0] & key_sets[2]
        or key_sets[1] & key_sets[2]
    )
