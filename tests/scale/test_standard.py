"""StandardScaler: scikit-learn equivalence, the worked example, partial_fit, NaN, inverse."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from sklearn import preprocessing as skp

from mlprep.scale import StandardScaler

SEED_X = np.array([[1, 2], [3, 4], [5, 6], [7, 8], [-1, -2], [-3, -4]], dtype=float)


def test_worked_example_techniques_1_4() -> None:
    expected = np.array(
        [
            [-0.29277002, -0.07881104],
            [0.29277002, 0.39405520],
            [0.87831007, 0.86692145],
            [1.46385011, 1.33978769],
            [-0.87831007, -1.02454353],
            [-1.46385011, -1.49740977],
        ]
    )
    np.testing.assert_allclose(
        StandardScaler().fit_transform(SEED_X), expected, atol=1e-8
    )


@pytest.mark.parametrize("with_mean", [True, False])
@pytest.mark.parametrize("with_std", [True, False])
def test_equals_sklearn_with_nan_and_constant(with_mean: bool, with_std: bool) -> None:
    rng = np.random.default_rng(1)
    X = np.column_stack(
        [rng.lognormal(3, 1, 300), rng.normal(-5, 2, 300), np.full(300, 7.5)]
    )
    X[rng.random(X.shape) < 0.1] = np.nan
    ours = StandardScaler(with_mean=with_mean, with_std=with_std).fit(X)
    theirs = skp.StandardScaler(with_mean=with_mean, with_std=with_std).fit(X)
    np.testing.assert_allclose(
        ours.transform(X), theirs.transform(X), rtol=1e-10, atol=1e-10
    )
    if theirs.mean_ is not None:  # scikit-learn skips the statistics it will not use
        np.testing.assert_allclose(list(ours.mean_.values()), theirs.mean_, rtol=1e-12)
    if with_std:
        np.testing.assert_allclose(
            list(ours.scale_.values()), theirs.scale_, rtol=1e-12
        )
        assert ours.scale_["x2"] == 1.0  # constant column: scale 1, as scikit-learn


def test_partial_fit_equals_fit() -> None:
    rng = np.random.default_rng(2)
    X = rng.normal(10, 3, (200, 3))
    X[rng.random(X.shape) < 0.2] = np.nan
    batched = StandardScaler()
    for batch in np.array_split(X, 5):
        batched.partial_fit(batch)
    whole = StandardScaler().fit(X)
    for name in whole.columns_:
        assert batched.n_samples_seen_[name] == whole.n_samples_seen_[name]
        assert batched.mean_[name] == pytest.approx(whole.mean_[name], rel=1e-12)
        assert batched.var_[name] == pytest.approx(whole.var_[name], rel=1e-10)


def test_nan_kept_and_inverse_round_trips() -> None:
    X = pd.DataFrame({"a": [1.0, np.nan, 3.0, 10.0], "label": ["x", "y", "z", "w"]})
    scaler = StandardScaler().fit(X)
    assert scaler.columns_ == ["a"]
    out = scaler.transform(X)
    assert out["a"].isna().tolist() == [False, True, False, False]
    assert out["label"].tolist() == ["x", "y", "z", "w"]
    pd.testing.assert_frame_equal(scaler.inverse_transform(out), X)


def test_polars_null_stays_null() -> None:
    X = pl.DataFrame({"a": [1.0, None, 3.0]})
    out = StandardScaler().fit_transform(X)
    assert out["a"].null_count() == 1
    assert out["a"].to_list()[0] == pytest.approx(-1.0)
