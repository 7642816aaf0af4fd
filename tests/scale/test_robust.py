"""RobustScaler: scikit-learn equivalence, the water/energy example, constant columns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn import preprocessing as skp

from mlprep.exceptions import InvalidParameterError
from mlprep.scale import RobustScaler

WATER_ENERGY = pd.DataFrame(
    [
        [4, 11],
        [3.8, 12],
        [4.5, 12.5],
        [8, 8],
        [9, 8.5],
        [9.5, 7.5],
        [13, 5],
        [14, 4.7],
        [13.7, 6],
        [25, 23],
    ],
    columns=["water", "energy"],
)


def test_worked_example_techniques_1_4() -> None:
    scaler = RobustScaler().fit(WATER_ENERGY)
    assert scaler.center_ == {"water": 9.25, "energy": 8.25}
    assert scaler.scale_["water"] == pytest.approx(8.15, abs=1e-12)
    assert scaler.scale_["energy"] == pytest.approx(5.375, abs=1e-12)
    out = scaler.transform(WATER_ENERGY).to_numpy()
    np.testing.assert_allclose(out[9], [1.93251534, 2.74418605], atol=1e-8)
    np.testing.assert_allclose(out[0], [-0.64417178, 0.51162791], atol=1e-8)
    np.testing.assert_allclose(out[5], [0.03067485, -0.13953488], atol=1e-8)


@pytest.mark.parametrize(
    "quantile_range", [(25.0, 75.0), (10.0, 90.0), (0.0, 100.0), (40.0, 40.0)]
)
@pytest.mark.parametrize("with_centering", [True, False])
@pytest.mark.parametrize("with_scaling", [True, False])
def test_equals_sklearn(
    quantile_range: tuple, with_centering: bool, with_scaling: bool
) -> None:
    rng = np.random.default_rng(3)
    X = np.column_stack(
        [rng.standard_t(2, 501), rng.exponential(1, 501), np.full(501, -2.0)]
    )
    X[rng.random(X.shape) < 0.1] = np.nan
    params = {
        "quantile_range": quantile_range,
        "with_centering": with_centering,
        "with_scaling": with_scaling,
    }
    ours = RobustScaler(**params).fit(X)
    theirs = skp.RobustScaler(**params).fit(X)
    np.testing.assert_allclose(
        ours.transform(X), theirs.transform(X), rtol=1e-10, atol=1e-10
    )
    np.testing.assert_allclose(
        ours.inverse_transform(ours.transform(X)), X, rtol=1e-10, atol=1e-10
    )
    if with_scaling:
        assert ours.scale_["x2"] == 1.0  # constant column, as scikit-learn


def test_rejects_bad_quantile_range() -> None:
    with pytest.raises(InvalidParameterError, match="quantile_range"):
        RobustScaler(quantile_range=(80, 20)).fit(WATER_ENERGY)
