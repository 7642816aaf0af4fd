"""MinMaxScaler: scikit-learn equivalence, worked example, clip, partial_fit, constants."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn import preprocessing as skp

from mlprep.exceptions import InvalidParameterError
from mlprep.scale import MinMaxScaler

SEED_X = np.array([[1, 2], [3, 4], [5, 6], [7, 8], [-1, -2], [-3, -4]], dtype=float)


def test_worked_example_techniques_1_4() -> None:
    expected = [[0.4, 0.5], [0.6, 2 / 3], [0.8, 5 / 6], [1, 1], [0.2, 1 / 6], [0, 0]]
    np.testing.assert_allclose(
        MinMaxScaler().fit_transform(SEED_X), expected, atol=1e-12
    )


@pytest.mark.parametrize("feature_range", [(0, 1), (-1, 1), (2.5, 10.0)])
@pytest.mark.parametrize("clip", [False, True])
def test_equals_sklearn_with_nan_constant_and_new_data(
    feature_range: tuple, clip: bool
) -> None:
    rng = np.random.default_rng(4)
    X = np.column_stack(
        [rng.lognormal(0, 1, 200), rng.normal(0, 1, 200), np.full(200, 3.0)]
    )
    X[rng.random(X.shape) < 0.1] = np.nan
    new = rng.normal(0, 5, (50, 3))
    ours = MinMaxScaler(feature_range=feature_range, clip=clip).fit(X)
    theirs = skp.MinMaxScaler(feature_range=feature_range, clip=clip).fit(X)
    for data in (X, new):
        np.testing.assert_allclose(
            ours.transform(data), theirs.transform(data), rtol=1e-10, atol=1e-10
        )
    np.testing.assert_allclose(list(ours.scale_.values()), theirs.scale_, rtol=1e-12)
    constant = ours.transform(X)[:, 2]
    assert np.all(
        constant[~np.isnan(X[:, 2])] == feature_range[0]
    )  # constant column -> low
    if clip:
        out = ours.transform(new)
        assert out.min() >= feature_range[0] and out.max() <= feature_range[1]
    else:
        np.testing.assert_allclose(
            ours.inverse_transform(ours.transform(new)), new, rtol=1e-9, atol=1e-9
        )


def test_partial_fit_equals_fit() -> None:
    rng = np.random.default_rng(5)
    X = pd.DataFrame(rng.normal(0, 1, (120, 2)), columns=["a", "b"])
    X.iloc[:40, 0] = np.nan  # the first batch sees no value of "a"
    batched = MinMaxScaler()
    for start in range(0, 120, 40):
        batched.partial_fit(X.iloc[start : start + 40])
    whole = MinMaxScaler().fit(X)
    assert batched.data_min_ == whole.data_min_
    assert batched.data_max_ == whole.data_max_
    assert batched.n_samples_seen_ == {"a": 80, "b": 120}
    pd.testing.assert_frame_equal(batched.transform(X), whole.transform(X))


def test_all_missing_column_stays_missing() -> None:
    X = pd.DataFrame({"a": [np.nan, np.nan], "b": [1.0, 2.0]})
    out = MinMaxScaler().fit_transform(X)
    assert out["a"].isna().all()
    assert out["b"].tolist() == [0.0, 1.0]


def test_rejects_bad_range() -> None:
    with pytest.raises(InvalidParameterError, match="feature_range"):
        MinMaxScaler(feature_range=(1, 0)).fit(SEED_X)
