"""TargetEncoder: sklearn equivalence, cross-fitting, groups, and the leakage test."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from scipy.stats import mannwhitneyu
from sklearn.model_selection import (
    GroupKFold,
    KFold,
    ShuffleSplit,
    StratifiedKFold,
    TimeSeriesSplit,
)
from sklearn.preprocessing import TargetEncoder as SkTarget

from mlprep.encode import TargetEncoder
from mlprep.exceptions import DataError


def _data(kind: str, n: int = 300, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    levels = np.array([f"L{i}" for i in range(12)], dtype=object)
    codes = rng.integers(0, 12, n)
    X = pd.DataFrame({"a": levels[codes], "b": levels[rng.integers(0, 5, n)]})
    X.loc[rng.random(n) < 0.05, "a"] = None
    if kind == "continuous":
        y: Any = codes * 0.5 + rng.normal(0, 1, n)
    elif kind == "binary":
        y = (rng.random(n) < 0.2 + codes / 20).astype(int)
    else:
        y = np.array(["x", "y", "z"], dtype=object)[(codes + rng.integers(0, 2, n)) % 3]
    return X, y


def _array(frame: pd.DataFrame) -> np.ndarray:
    array = np.array(frame.to_numpy(), dtype=object)
    array[pd.isna(frame).to_numpy()] = np.nan
    return array


def _sklearn_takes_splitters() -> bool:
    try:
        SkTarget(cv=KFold(2)).fit(
            np.array([["a"], ["b"], ["a"], ["b"]]), [0.0, 1.0, 2.0, 3.0]
        )
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("kind", ["continuous", "binary", "multiclass"])
@pytest.mark.parametrize("smooth", ["auto", 0.0, 5.0])
def test_equals_sklearn_target_encoder(kind: str, smooth: Any) -> None:
    X, y = _data(kind)
    test = pd.DataFrame({"a": ["L0", "L3", None, "new"], "b": ["L1", "zz", "L2", "L4"]})
    cv = KFold(4, shuffle=True, random_state=0)
    if _sklearn_takes_splitters():
        sk = SkTarget(cv=cv, smooth=smooth, target_type=kind)
    else:  # scikit-learn < 1.6: int cv only, folds from (Stratified)KFold(shuffle=True)
        folds = KFold if kind == "continuous" else StratifiedKFold
        cv = folds(4, shuffle=True, random_state=0)
        sk = SkTarget(
            cv=4, shuffle=True, random_state=0, smooth=smooth, target_type=kind
        )
    ours = TargetEncoder(cv=cv, smooth=smooth)
    crossed = ours.fit_transform(X, y)
    sk_crossed = sk.fit_transform(_array(X), y)
    np.testing.assert_allclose(
        crossed.to_numpy(dtype=float), sk_crossed, rtol=1e-10, atol=1e-12
    )
    np.testing.assert_allclose(
        ours.transform(test).to_numpy(dtype=float),
        sk.transform(_array(test)),
        rtol=1e-10,
        atol=1e-12,
    )
    expected_names = [
        n.replace("x0", "a").replace("x1", "b") for n in sk.get_feature_names_out()
    ]
    assert ours.get_feature_names_out().tolist() == expected_names
    assert ours.target_type_ == kind


def test_fit_transform_cross_fits_and_transform_uses_all_data() -> None:
    X, y = _data("binary")
    encoder = TargetEncoder(seed=0, smooth=0.0)
    crossed = encoder.fit_transform(X, y)
    full = encoder.transform(X)
    assert not np.allclose(crossed.to_numpy(dtype=float), full.to_numpy(dtype=float))
    rows = (X["b"] == "L1").to_numpy()
    assert full.loc[rows, "b"].nunique() == 1
    assert full.loc[rows, "b"].iloc[0] == pytest.approx(y[rows].mean())


def test_groups_are_passed_to_the_splitter() -> None:
    rng = np.random.default_rng(3)
    groups = rng.integers(0, 6, 120)
    X = pd.DataFrame({"g": [f"G{g}" for g in groups]})
    y = rng.normal(size=120) + groups
    out = TargetEncoder(cv=GroupKFold(3), smooth=0.0).fit_transform(X, y, groups=groups)
    for train, test in GroupKFold(3).split(X, y, groups):
        # every category of a test fold is absent from its training folds: the fold's prior
        np.testing.assert_allclose(out["g"].to_numpy()[test], y[train].mean())


def test_leakage_random_labels_carry_no_information_when_cross_fitted() -> None:
    rng = np.random.default_rng(42)
    n = 3000
    X = pd.DataFrame({"id": [f"u{i}" for i in rng.integers(0, 600, n)]})
    y = rng.integers(0, 2, n)
    crossed = TargetEncoder(cv=5, seed=0).fit_transform(X, y)["id"].to_numpy()
    naive = TargetEncoder().fit(X, y).transform(X)["id"].to_numpy()

    def auc_p(scores: np.ndarray) -> tuple[float, float]:
        result = mannwhitneyu(scores[y == 1], scores[y == 0], alternative="two-sided")
        auc = result.statistic / ((y == 1).sum() * (y == 0).sum())
        return float(auc), float(result.pvalue)

    auc, p = auc_p(crossed)
    assert abs(auc - 0.5) < 0.03 and p > 0.01  # chance
    naive_auc, naive_p = auc_p(naive)
    assert (
        naive_auc > 0.55 and naive_p < 1e-6
    )  # in-sample encodings memorise the labels


def test_multiclass_names_and_rows_sum_to_one() -> None:
    X, y = _data("multiclass")
    encoder = TargetEncoder(smooth=0.0).fit(X, y)
    assert encoder.classes_ == ["x", "y", "z"]
    assert encoder.get_feature_names_out().tolist() == [
        "a_x",
        "a_y",
        "a_z",
        "b_x",
        "b_y",
        "b_z",
    ]
    out = encoder.transform(X)
    np.testing.assert_allclose(out[["a_x", "a_y", "a_z"]].sum(axis=1), 1.0)


def test_splitter_rules() -> None:
    X, y = _data("continuous", n=60)
    with pytest.raises(DataError, match="more than one test fold"):
        TargetEncoder(cv=ShuffleSplit(5, test_size=0.5, random_state=0)).fit_transform(
            X, y
        )
    out = TargetEncoder(cv=TimeSeriesSplit(3), smooth=0.0).fit_transform(X, y)
    first = np.arange(60) < 15  # never in a test fold: the target mean
    np.testing.assert_allclose(out.loc[first, "a"], y.mean())


def test_target_errors() -> None:
    X, y = _data("continuous", n=20)
    with pytest.raises(DataError, match="requires y"):
        TargetEncoder().fit(X)
    with pytest.raises(DataError, match="one value per row"):
        TargetEncoder().fit(X, y[:5])
    with pytest.raises(DataError, match="missing values"):
        TargetEncoder().fit(X, np.where(np.arange(20) == 3, np.nan, y))
