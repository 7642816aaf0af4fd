"""Non-finite and huge values (issue 15): one test per defect class, and properties.

Policy: ±inf in a numeric column a class computes with is refused in fit and
transform (DataError naming the column, the count and the fix); finite inputs
give finite outputs (power-of-two units near 1e308); no numpy RuntimeWarning
escapes; scipy's bare errors never surface.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlprep.exceptions import DataError, MlprepError
from mlprep.impute import Imputer
from mlprep.outliers import OutlierHandler, OutlierRemover
from mlprep.scale import (
    Binner,
    MaxAbsScaler,
    MinMaxScaler,
    PowerTransformer,
    RobustScaler,
    StandardScaler,
)
from mlprep.testing._hostile import sweep

INF_SCALERS = [
    StandardScaler(),
    MinMaxScaler(),
    MaxAbsScaler(),
    RobustScaler(),
    PowerTransformer(),
    Binner(strategy="uniform"),
    Imputer(strategy="mean"),
    Imputer(strategy="median"),
    Imputer(strategy="most_frequent"),
]


# ------------------------------------------------- one ±inf in fit ruins a column
@pytest.mark.parametrize("estimator", INF_SCALERS, ids=repr)
@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_infinity_in_fit_is_refused_by_column_and_count(estimator, backend) -> None:
    data = {"ok": [1.0, 2.0, 3.0, 4.0], "bad": [1.0, np.inf, -np.inf, np.nan]}
    X = pd.DataFrame(data) if backend == "pandas" else pl.DataFrame(data)
    with pytest.raises(
        DataError, match=r"column 'bad' holds 2 infinite values"
    ) as info:
        estimator.fit(X)
    assert "X.replace([np.inf, -np.inf], np.nan)" in str(info.value)


@pytest.mark.parametrize("estimator", INF_SCALERS, ids=repr)
def test_infinity_in_transform_is_refused(estimator) -> None:
    fitted = estimator.fit(pd.DataFrame({"a": [1.0, 2.0, 3.0, 5.0]}))
    with pytest.raises(DataError, match=r"column 'a' holds 1 infinite value"):
        fitted.transform(pd.DataFrame({"a": [1.0, -np.inf, 2.0, 3.0]}))


def test_infinity_in_a_lazy_source_is_refused() -> None:
    lazy = pl.LazyFrame({"a": [1.0, float("inf"), 3.0]})
    with pytest.raises(DataError, match="column 'a' holds infinite values"):
        StandardScaler().fit(lazy)


def test_yeo_johnson_with_minus_infinity_is_a_data_error_not_scipys() -> None:
    X = pd.DataFrame({"a": [1.0, 2.0, -np.inf, 4.0]})
    with pytest.raises(DataError, match="column 'a'"):
        PowerTransformer().fit(X)


def test_custom_binner_edges_take_infinity_as_documented() -> None:
    binner = Binner(strategy="custom", edges=[0.0, 10.0, 20.0])
    out = binner.fit_transform(pd.DataFrame({"a": [-np.inf, 15.0, np.inf]}))
    assert out["a"].tolist() == [0.0, 1.0, 1.0]


def test_outliers_treat_infinity_as_the_extreme_outlier() -> None:
    X = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0, np.inf]})
    out = OutlierHandler(action="clip").fit_transform(X)
    assert np.isfinite(out["a"]).all()
    X_out, _ = OutlierRemover().fit_resample(X)
    assert X_out.shape[0] == 4


# -------------------------------------------------- finite values near 1e308
def test_mean_imputer_of_huge_values_is_finite() -> None:
    X = pd.DataFrame({"a": [1e308, 1e308, np.nan]})
    imputer = Imputer(strategy="mean").fit(X)
    assert imputer.statistics_["a"] == 1e308
    assert imputer.transform(X)["a"].tolist() == [1e308] * 3


def test_mean_imputer_merges_huge_batches() -> None:
    imputer = Imputer(strategy="mean")
    imputer.partial_fit(pd.DataFrame({"a": [1.5e308, np.nan]}))
    imputer.partial_fit(pd.DataFrame({"a": [1.5e308, 1.5e308]}))
    assert imputer.statistics_["a"] == pytest.approx(1.5e308, rel=1e-15)


@pytest.mark.parametrize(
    "estimator", [StandardScaler(), MinMaxScaler(feature_range=(-1, 1)), MaxAbsScaler()]
)
def test_scalers_map_plus_minus_1e308_to_plus_minus_one(estimator) -> None:
    out = estimator.fit_transform(pd.DataFrame({"a": [-1e308, 1e308]}))
    assert out["a"].tolist() == [-1.0, 1.0]


def test_robust_scaler_of_huge_values_is_finite_and_exact() -> None:
    X = pd.DataFrame({"a": [-1e308, -5e307, 0.0, 5e307, 1e308]})
    out = RobustScaler().fit_transform(X)["a"].to_numpy()
    np.testing.assert_allclose(out, [-1.0, -0.5, 0.0, 0.5, 1.0], rtol=1e-15)


def test_standard_scaler_of_huge_values_equals_the_scaled_down_data() -> None:
    rng = np.random.default_rng(0)
    small = rng.normal(size=200)
    huge = small * 2.0**1000  # an exact rescaling
    out_small = StandardScaler().fit_transform(pd.DataFrame({"a": small}))
    out_huge = StandardScaler().fit_transform(pd.DataFrame({"a": huge}))
    np.testing.assert_allclose(out_huge["a"], out_small["a"], rtol=1e-12)


# ---------------------------------------------------------- RuntimeWarnings
@pytest.mark.parametrize(
    "estimator",
    [
        OutlierHandler(method="iqr"),
        OutlierHandler(method="mad"),
        Binner(strategy="quantile", n_bins=3),
        Binner(strategy="uniform", n_bins=3),
        RobustScaler(),
    ],
    ids=repr,
)
def test_no_runtime_warning_near_the_float64_limit(estimator) -> None:
    X = pd.DataFrame({"a": [-1.7e308, -1e308, 0.0, 1e308, 1.7e308, 1.7e308]})
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            estimator.fit_transform(X)
        except MlprepError:
            pass


@pytest.mark.parametrize(
    "estimator",
    [StandardScaler(), MinMaxScaler(), Imputer(), OutlierHandler(), Binner()],
    ids=repr,
)
def test_hostile_sweep_raises_no_runtime_warning(estimator) -> None:
    X = pd.DataFrame(
        {"a": np.linspace(-3.0, 7.0, 12), "b": np.arange(12.0) ** 2, "c": 1.0}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        sweep(estimator, X, None, kind="transform")


# ---------------------------------------------------------------- properties
huge_columns = st.lists(
    st.floats(min_value=-1e308, max_value=1e308, allow_nan=False, allow_infinity=False),
    min_size=2,
    max_size=20,
)


@settings(max_examples=60, deadline=None)
@given(values=huge_columns)
@pytest.mark.parametrize(
    "estimator",
    [
        StandardScaler(),
        MinMaxScaler(),
        MaxAbsScaler(),
        RobustScaler(),
        Imputer(strategy="mean"),
    ],
    ids=repr,
)
def test_finite_inputs_up_to_1e308_give_finite_outputs(estimator, values) -> None:
    X = pd.DataFrame({"a": [*values, np.nan]})
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        try:
            out = estimator.fit_transform(X)
        except DataError as error:  # only a quantile range beyond float64
            assert "exceeds the float64 range" in str(error)
            return
    result = out["a"].to_numpy()
    assert np.isfinite(result[:-1]).all()
    if isinstance(estimator, (MinMaxScaler, MaxAbsScaler)):
        assert np.abs(result[:-1]).max() <= 1.0 + 1e-12
