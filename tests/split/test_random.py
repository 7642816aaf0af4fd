"""RandomSplitter."""

from __future__ import annotations

import numpy as np

from mlprep.split import RandomSplitter
from mlprep.split._random import random_labels


def test_same_seed_same_split_other_seed_other_split():
    X = np.zeros((200, 2))
    a = RandomSplitter(seed=4).parts(X)
    b = RandomSplitter(seed=4).parts(X)
    c = RandomSplitter(seed=5).parts(X)
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])


def test_labels_have_exact_largest_remainder_counts_and_look_shuffled():
    labels = random_labels(1001, (0.7, 0.2, 0.1), seed=0)
    assert np.bincount(labels).tolist() == [701, 200, 100]
    # not a block layout: each part spans the whole range
    for k in range(3):
        where = np.flatnonzero(labels == k)
        assert where.min() < 50 and where.max() > 950


def test_n_splits_repeats_with_successive_seeds():
    X = np.zeros((50, 1))
    folds = list(RandomSplitter(n_splits=3, seed=1).split(X))
    assert len(folds) == 3 and RandomSplitter(n_splits=3).get_n_splits() == 3
    np.testing.assert_array_equal(folds[2][0], RandomSplitter(seed=3).parts(X)[0])
