"""TargetEncoder's fold-merged cross-fitting: the same values as the per-fold recomputation.

With an int ``cv`` the statistics of "every fold but f" are merged from
per-fold statistics (Chan et al.) and KFold's folds are drawn without
building training indices. A splitter object takes the general path (one
recomputation per fold), so the two must agree; KFold's own folds and
scikit-learn's TargetEncoder are the references.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.preprocessing import TargetEncoder as SkTarget

from mlprep.encode import TargetEncoder


def _data(
    kind: str, n: int, seed: int, offset: float = 0.0
) -> tuple[pd.DataFrame, Any]:
    rng = np.random.default_rng(seed)
    codes = rng.integers(0, 7, n)
    levels = np.array([f"L{i}" for i in range(7)], dtype=object)
    X = pd.DataFrame({"a": levels[codes], "b": levels[rng.integers(0, 3, n)]})
    X.loc[rng.random(n) < 0.1, "a"] = None
    if kind == "continuous":
        return X, offset + codes * 0.3 + rng.normal(0.0, 1.0, n)
    if kind == "binary":
        return X, (rng.random(n) < 0.2 + codes / 10).astype(int)
    return X, np.array(["x", "y", "z"], dtype=object)[
        (codes + rng.integers(0, 2, n)) % 3
    ]


@settings(max_examples=40, deadline=None)
@given(n=st.integers(5, 400), cv=st.integers(2, 7), seed=st.integers(0, 2**31 - 1))
def test_kfold_folds_are_kfolds(n, cv, seed):
    if n < cv:
        return
    encoder = TargetEncoder(cv=cv, seed=seed, target_type="continuous")
    encoder.target_type_ = "continuous"
    folds = encoder._fold_of_rows(np.zeros(n), None)
    expected = np.empty(n, dtype=np.int64)
    for f, (_, test) in enumerate(
        KFold(cv, shuffle=True, random_state=seed).split(np.zeros((n, 1)))
    ):
        expected[test] = f
    np.testing.assert_array_equal(folds, expected)


@pytest.mark.parametrize("kind", ["continuous", "binary", "multiclass"])
@pytest.mark.parametrize("smooth", ["auto", 0.0, 3.0])
@settings(max_examples=8, deadline=None)
@given(n=st.integers(20, 300), seed=st.integers(0, 10_000))
def test_merged_folds_equal_recomputed_folds(kind, smooth, n, seed):
    X, y = _data(kind, n, seed)
    splitter_type = KFold if kind == "continuous" else StratifiedKFold
    if kind != "continuous" and np.unique(y, return_counts=True)[1].min() < 3:
        return  # StratifiedKFold needs every class in every fold
    fast = TargetEncoder(cv=3, seed=seed, smooth=smooth).fit_transform(X, y)
    general = TargetEncoder(
        cv=splitter_type(3, shuffle=True, random_state=seed), smooth=smooth
    ).fit_transform(X, y)
    np.testing.assert_allclose(
        fast.to_numpy(dtype=float),
        general.to_numpy(dtype=float),
        rtol=1e-12,
        atol=1e-12,
    )


def test_a_large_target_offset_does_not_cancel():
    # squared deviations are merged, never differenced from sums of squares
    X, y = _data("continuous", 3000, 5, offset=1e9)
    ours = TargetEncoder(cv=5, seed=0, target_type="continuous").fit_transform(X, y)
    array = X.to_numpy(dtype=object)
    array[pd.isna(X).to_numpy()] = np.nan
    try:
        sk = SkTarget(
            cv=KFold(5, shuffle=True, random_state=0), target_type="continuous"
        )
        theirs = sk.fit_transform(array, y)
    except ValueError:  # scikit-learn < 1.6 takes an int cv only
        sk = SkTarget(cv=5, shuffle=True, random_state=0, target_type="continuous")
        theirs = sk.fit_transform(array, y)
    np.testing.assert_allclose(ours.to_numpy(dtype=float), theirs, rtol=1e-12)


def test_fewer_rows_than_folds_is_refused_as_before():
    X, y = _data("continuous", 3, 0)
    with pytest.raises(
        ValueError, match="n_splits=5 greater than the number of samples"
    ):
        TargetEncoder(cv=5, seed=0).fit_transform(X, y)
