"""MaxAbsScaler: scikit-learn equivalence, worked example, zeros kept, partial_fit."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn import preprocessing as skp

from mlprep.scale import MaxAbsScaler

SEED_X = np.array([[1, 2], [3, 4], [5, 6], [7, 8], [-1, -2], [-3, -4]], dtype=float)


def test_worked_example_techniques_1_4() -> None:
    expected = [
        [1 / 7, 0.25],
        [3 / 7, 0.5],
        [5 / 7, 0.75],
        [1, 1],
        [-1 / 7, -0.25],
        [-3 / 7, -0.5],
    ]
    np.testing.assert_allclose(
        MaxAbsScaler().fit_transform(SEED_X), expected, atol=1e-12
    )


def test_equals_sklearn_with_nan_and_zero_column() -> None:
    rng = np.random.default_rng(6)
    X = np.column_stack([rng.normal(0, 3, 300), rng.exponential(2, 300), np.zeros(300)])
    X[rng.random(X.shape) < 0.1] = np.nan
    ours, theirs = MaxAbsScaler().fit(X), skp.MaxAbsScaler().fit(X)
    np.testing.assert_allclose(
        ours.transform(X), theirs.transform(X), rtol=1e-10, atol=1e-12
    )
    np.testing.assert_allclose(list(ours.scale_.values()), theirs.scale_, rtol=1e-12)
    assert ours.scale_["x2"] == 1.0
    np.testing.assert_allclose(ours.inverse_transform(ours.transform(X)), X, rtol=1e-12)


def test_zeros_stay_zero_and_partial_fit_equals_fit() -> None:
    X = pd.DataFrame({"a": [0.0, -4.0, 2.0, 0.0, 8.0, np.nan]})
    batched = MaxAbsScaler().partial_fit(X.iloc[:3]).partial_fit(X.iloc[3:])
    whole = MaxAbsScaler().fit(X)
    assert batched.max_abs_ == whole.max_abs_ == {"a": 8.0}
    assert batched.n_samples_seen_ == {"a": 5}
    out = whole.transform(X)["a"]
    assert out.iloc[:5].tolist() == [0.0, -0.5, 0.25, 0.0, 1.0]
    assert np.isnan(out.iloc[5])
