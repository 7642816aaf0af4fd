"""Properties of every scale transformer on generated frames (Hypothesis)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sklearn.base import clone

from mlprep.exceptions import DataWarning
from mlprep.scale import (
    Binner,
    LogTransformer,
    MaxAbsScaler,
    MinMaxScaler,
    PowerTransformer,
    RobustScaler,
    RootTransformer,
    StandardScaler,
)
from mlprep.testing.strategies import (
    as_backend,
    finite_frames,
    numeric_frames,
    positive_frames,
)

MODEST = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)
# Box-Cox's inverse is ill-conditioned when the data spans many decades (an
# extreme λ flattens the transform), so the round trip uses the same modest span.
MODEST_POSITIVE = st.floats(
    min_value=1e-2, max_value=1e3, allow_nan=False, allow_infinity=False
)

ANY_DATA = [
    StandardScaler(),
    RobustScaler(),
    MinMaxScaler(feature_range=(-2, 3)),
    MaxAbsScaler(),
    RootTransformer(root="cbrt"),
]
POSITIVE_DATA = [LogTransformer(base=10), LogTransformer(offset=2.0), RootTransformer()]


def _values(output: object) -> np.ndarray:
    if isinstance(output, np.ndarray):
        return output.astype(float)
    if isinstance(output, pd.DataFrame):
        return output.to_numpy(dtype=float)
    return output.to_pandas().to_numpy(dtype=float)  # type: ignore[attr-defined]


def _round_trip(estimator: object, X: pd.DataFrame) -> None:
    fitted = clone(estimator).fit(X)
    back = fitted.inverse_transform(fitted.transform(X)).to_numpy()
    scale = np.nanmax(np.abs(X.to_numpy()), axis=0, initial=1.0)
    np.testing.assert_allclose(
        back, X.to_numpy(), rtol=1e-7, atol=1e-9 * float(np.max(scale))
    )


@pytest.mark.parametrize("estimator", ANY_DATA, ids=repr)
@given(X=numeric_frames())
def test_inverse_round_trip_any_data(estimator: object, X: pd.DataFrame) -> None:
    _round_trip(estimator, X)


@pytest.mark.parametrize("estimator", POSITIVE_DATA, ids=repr)
@given(X=positive_frames())
def test_inverse_round_trip_positive_data(estimator: object, X: pd.DataFrame) -> None:
    _round_trip(estimator, X)


@pytest.mark.parametrize("method", ["yeo-johnson", "box-cox"])
@settings(suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(data=st.data())
def test_power_inverse_round_trip(method: str, data: st.DataObject) -> None:
    if method == "box-cox":
        X = data.draw(
            numeric_frames(min_rows=3, constant_columns=False, elements=MODEST_POSITIVE)
        )
        assume(
            all(X[name].nunique() >= 2 for name in X.columns)
        )  # Box-Cox refuses constants
    else:
        X = data.draw(numeric_frames(min_rows=3, elements=MODEST))
    # The round trip is a property of well-conditioned fits. With two distinct
    # values the likelihood has no maximum (λ runs off to ±∞); with values
    # bunched far from 0 (528, 529, 628) λ becomes extreme and (x**λ - 1) / λ
    # saturates, so no inverse (scikit-learn's returns inf there) can recover x.
    for name in X.columns:
        present = X[name].dropna().abs()
        assume(
            present.nunique() >= 3 and present.max() >= 1.5 * max(present.min(), 1.0)
        )
    fitted = PowerTransformer(method=method).fit(X)
    assume(all(abs(lam) <= 3 for lam in fitted.lambdas_.values()))
    back = fitted.inverse_transform(fitted.transform(X)).to_numpy()
    scale = float(np.nanmax(np.abs(X.to_numpy()), initial=1.0))
    np.testing.assert_allclose(back, X.to_numpy(), rtol=1e-6, atol=1e-6 * scale)


@given(X=numeric_frames(), low=st.floats(-10, 10), width=st.floats(0.5, 10))
def test_minmax_output_within_feature_range_on_training_data(
    X: pd.DataFrame, low: float, width: float
) -> None:
    out = MinMaxScaler(feature_range=(low, low + width)).fit_transform(X).to_numpy()
    present = out[~np.isnan(out)]
    slack = 1e-9 * max(1.0, abs(low) + width)
    assert np.all(present >= low - slack) and np.all(present <= low + width + slack)


@pytest.mark.parametrize(
    "estimator",
    [*ANY_DATA, PowerTransformer(), Binner(n_bins=3), Binner(strategy="quantile")],
    ids=repr,
)
@given(X=numeric_frames())
def test_transform_keeps_nan_positions(estimator: object, X: pd.DataFrame) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # Binner on constant columns
        out = clone(estimator).fit_transform(X).to_numpy()
    np.testing.assert_array_equal(np.isnan(out), X.isna().to_numpy())


@pytest.mark.parametrize(
    "estimator",
    [*ANY_DATA, PowerTransformer(), Binner(n_bins=4, encode="onehot"), *POSITIVE_DATA],
    ids=repr,
)
@given(X=positive_frames(min_rows=2))
@settings(max_examples=15)
def test_pandas_polars_numpy_agree(estimator: object, X: pd.DataFrame) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # Binner on constant columns
        reference = _values(clone(estimator).fit(X).transform(X))
        for backend in ("polars", "numpy", "pyarrow"):
            native = as_backend(X, backend)
            out = _values(clone(estimator).fit(native).transform(native))
            np.testing.assert_allclose(out, reference, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(
    "estimator", [StandardScaler(), MinMaxScaler(), MaxAbsScaler()], ids=repr
)
@given(X=finite_frames(min_rows=2, max_rows=20), cut=st.integers(1, 19))
def test_partial_fit_over_batches_equals_fit(
    estimator: object, X: pd.DataFrame, cut: int
) -> None:
    cut = min(cut, len(X) - 1)
    batched = clone(estimator).partial_fit(X.iloc[:cut]).partial_fit(X.iloc[cut:])
    whole = clone(estimator).fit(X)
    np.testing.assert_allclose(
        batched.transform(X).to_numpy(),
        whole.transform(X).to_numpy(),
        rtol=1e-9,
        atol=1e-9,
    )
