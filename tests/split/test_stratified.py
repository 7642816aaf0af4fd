"""StratifiedSplitter and its allocation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlprep.exceptions import DataError
from mlprep.split import StratifiedSplitter, train_val_test_split
from mlprep.split._stratified import class_codes, stratified_labels


def test_class_shares_within_one_row_and_overall_sizes_close():
    rng = np.random.default_rng(0)
    y = rng.choice(5, 10_001, p=[0.5, 0.25, 0.15, 0.07, 0.03])
    codes, names = class_codes([y])
    labels = stratified_labels(codes, names, (0.7, 0.2, 0.1), seed=0)
    for cls in range(5):
        counts = np.bincount(labels[y == cls], minlength=3)
        assert np.all(np.abs(counts - (y == cls).sum() * np.array([0.7, 0.2, 0.1])) < 1)
    overall = np.bincount(labels)
    assert np.all(np.abs(overall - 10_001 * np.array([0.7, 0.2, 0.1])) <= 1)


def test_too_small_class_is_named_with_the_rows_it_needs():
    y = np.array(["a"] * 20 + ["rare"] * 3)
    with pytest.raises(
        DataError,
        match=r"class\(es\) 'rare' \(3 rows\) are too small .* at least 4 rows",
    ):
        StratifiedSplitter(ratios=(0.7, 0.2, 0.1)).assign(np.zeros((23, 1)), y)
    # four rows are enough: every part gets one
    y = np.array(["a"] * 20 + ["rare"] * 4)
    labels = StratifiedSplitter(ratios=(0.7, 0.2, 0.1)).assign(np.zeros((24, 1)), y)
    assert sorted(labels[y == "rare"].tolist()) == [0, 0, 1, 2]


def test_strata_from_columns_missing_is_a_class_and_multi_column_strata():
    frame = pd.DataFrame({"c": ["x", None] * 50, "d": [0, 0, 1, 1] * 25})
    labels = StratifiedSplitter(ratios=(0.5, 0.5), stratify=["c", "d"]).assign(frame)
    for _, rows in frame.fillna("NA").groupby(["c", "d"]).groups.items():
        assert np.bincount(labels[np.asarray(rows)]).tolist() == [
            13,
            12,
        ] or np.bincount(labels[np.asarray(rows)]).tolist() == [12, 13]
    with pytest.raises(DataError, match="pass y to split"):
        StratifiedSplitter().assign(frame)


def test_groups_switch_to_keys_kept_whole():
    rng = np.random.default_rng(0)
    groups = np.repeat(np.arange(200), 4)
    y = np.repeat(rng.integers(0, 2, 200), 4)
    labels = StratifiedSplitter().assign(np.zeros((800, 1)), y, groups)
    assert (pd.Series(labels).groupby(groups).nunique() == 1).all()


def test_function_form_matches_the_splitter():
    y = np.arange(90) % 3
    frame = pd.DataFrame({"x": np.arange(90)})
    parts = train_val_test_split(frame, y=y, method="stratified", seed=9)
    expected = StratifiedSplitter(ratios=(0.7, 0.2, 0.1), seed=9).parts(frame, y)
    for part, idx in zip(parts[:3], expected):
        np.testing.assert_array_equal(part.index.to_numpy(), idx)
