"""Non-finite and huge values (issue 15): one test per defect class, and properties.

Policy: ±inf in a numeric column a class computes with is refused in fit and
transform (DataError naming the column, the count and the fix); finite inputs
give finite outputs (power-of-two units near 1e308); no numpy RuntimeWarning
escapes; scipy's bare errors never surface.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.experimental import enable_iterative_imputer  # noqa: F401
from sklearn.impute import IterativeImputer, KNNImputer
from sklearn.model_selection import GroupKFold

import mlprep
from mlprep.encode import TargetEncoder
from mlprep.encode._target_state import TargetStats, target_batch
from mlprep.exceptions import DataError, DataWarning, MlprepError, PersistenceError
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
from mlprep.state import MomentsState, state_from_dict
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


# ------------------------------------ near 1e308 in the last places (brief M)
# Each class below computes squares or sums of values near 1e308 (variances,
# distances, regressions, merged moments). It works in a power-of-two unit
# instead, so its output equals the output on the data scaled down by an
# exact power of two, scaled back.
# finite values up to 1e308, zero or far from the subnormal range
HUGE_OR_ZERO = st.floats(-1e308, 1e308, allow_nan=False).filter(
    lambda v: v == 0 or abs(v) > 1e-100
)
SHIFT = 2.0**1000  # an exact rescaling: ordinary values times SHIFT are near 1e308


def _frame(data: dict, backend: str):
    return pd.DataFrame(data) if backend == "pandas" else pl.DataFrame(data)


def _column(out, name: str) -> np.ndarray:
    return np.asarray(out[name].to_numpy(), dtype=np.float64)


def _strict(run):
    """``run()`` with numpy's RuntimeWarnings as errors."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        return run()


def _target_data(n: int = 120) -> tuple[dict, np.ndarray]:
    rng = np.random.default_rng(7)
    levels = np.array(list("abcdefg"), dtype=object)
    codes = rng.integers(0, 7, n)
    y = codes * 0.25 + rng.normal(0.0, 1.0, n)
    return {"c": levels[codes].tolist(), "key": rng.integers(0, 30, n).tolist()}, y


TARGET_ENCODERS = [
    TargetEncoder(seed=0, columns="c"),
    TargetEncoder(seed=0, smooth=3.0, columns="c"),
    TargetEncoder(cv=GroupKFold(3), columns="c"),
    TargetEncoder(seed=1, cv=4, fold_key="key", columns="c"),
]


@pytest.mark.parametrize("encoder", TARGET_ENCODERS, ids=repr)
@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_target_encoder_of_a_huge_target_equals_the_scaled_down_fit(
    encoder, backend
) -> None:
    data, y = _target_data()
    X = _frame(data, backend)
    groups = {"groups": data["key"]} if encoder.fold_key is None else {}
    fitted = _strict(lambda: clone(encoder).fit(X, y * SHIFT, **groups))
    small = clone(encoder).fit(X, y, **groups)
    np.testing.assert_array_equal(
        np.asarray(fitted.encodings_["c"]), np.asarray(small.encodings_["c"]) * SHIFT
    )
    assert fitted.target_mean_ == small.target_mean_ * SHIFT
    crossed = _strict(lambda: clone(encoder).fit_transform(X, y * SHIFT, **groups))
    expected = clone(encoder).fit_transform(X, y, **groups)
    np.testing.assert_array_equal(_column(crossed, "c"), _column(expected, "c") * SHIFT)
    out = _strict(lambda: fitted.transform(X))
    np.testing.assert_array_equal(
        _column(out, "c"), _column(small.transform(X), "c") * SHIFT
    )


@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_target_encoder_batches_of_a_huge_target_merge_to_the_whole_fit(
    backend,
) -> None:
    data, y = _target_data()
    X = _frame(data, backend)
    huge = y * SHIFT
    batched = TargetEncoder(seed=0, columns="c")
    for rows in (slice(0, 50), slice(50, 90), slice(90, None)):
        _strict(lambda rows=rows: batched.partial_fit(X[rows], huge[rows]))
    whole = TargetEncoder(seed=0, columns="c").partial_fit(X, y)
    np.testing.assert_allclose(
        batched.encodings_["c"], np.asarray(whole.encodings_["c"]) * SHIFT, rtol=1e-12
    )
    assert np.isfinite(batched.transform(X)["c"].to_numpy()).all()
    # an ordinary batch after a huge one: rescaled exactly, still finite
    merged = mlprep.merge(
        [
            TargetEncoder(seed=0, columns="c").partial_fit(X[:60], huge[:60]),
            TargetEncoder(seed=0, columns="c").partial_fit(X[60:], y[60:]),
        ]
    )
    assert np.isfinite(merged.encodings_["c"]).all()
    loaded = mlprep.loads(mlprep.dumps(batched))
    np.testing.assert_array_equal(loaded.encodings_["c"], batched.encodings_["c"])


def test_target_encoder_near_the_float64_limit_is_finite_and_exact() -> None:
    X = pd.DataFrame({"c": list("aabbbc") * 3})
    y = np.array([1e308, -1e308, 1.5e308, 1.7e308, 1e308, -1.7e308] * 3)
    encoder = TargetEncoder(seed=0, smooth=0.0)
    out = _strict(lambda: encoder.fit_transform(X, y))
    assert np.isfinite(out["c"]).all()
    assert encoder.target_type_ == "continuous"  # whole floats beyond int64
    assert encoder.encodings_["c"] == pytest.approx([0.0, 1.4e308, -1.7e308], rel=1e-15)
    assert encoder.target_mean_ == pytest.approx(2.5 / 6 * 1e308, rel=1e-15)


def test_target_encoder_refuses_an_infinite_target_by_count() -> None:
    X = pd.DataFrame({"c": list("abab")})
    with pytest.raises(DataError, match=r"y holds 2 infinite value\(s\)"):
        TargetEncoder().fit(X, np.array([1.0, np.inf, -np.inf, 2.0]))


def test_target_stats_keep_their_unit_in_files_and_merges() -> None:
    codes, keys, folds = np.array([0, 1, 0]), ["a", "b"], np.array([0, 1, 1])
    huge = TargetStats(2).add(
        codes,
        keys,
        folds,
        target_batch(np.array([1e308, -1e308, 1.5e308]), "continuous"),
    )
    assert huge.unit == 2.0**1023
    document = huge.to_dict()
    assert document["data"]["unit"] == 2.0**1023
    assert state_from_dict(document) == huge
    plain = TargetStats(2).add(
        codes, keys, folds, target_batch(np.array([1.0, 2.0, 3.0]), "continuous")
    )
    assert "unit" not in plain.to_dict()["data"]  # files as before
    for merged in (plain.merge(huge), huge.merge(plain)):
        count, mean, _ = merged.totals(unit=2.0**1023)
        row = merged.rows(["a"])[0]
        assert count[row] == 4
        assert mean[row] * 2.0**1023 == pytest.approx(2.5 / 4 * 1e308, rel=1e-15)
    tampered = {**document, "data": {**document["data"], "unit": 3.0}}
    with pytest.raises(PersistenceError, match="unit must be a power of two"):
        state_from_dict(tampered)


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(
        HUGE_OR_ZERO,
        min_size=4,
        max_size=30,
    ),
    smooth=st.sampled_from(["auto", 0.0, 2.0]),
)
def test_property_target_encodings_of_huge_targets_are_finite_and_scale(
    values, smooth
) -> None:
    y = np.array(values)
    X = pd.DataFrame({"c": [("a", "b", "c")[i % 3] for i in range(len(values))]})
    encoder = TargetEncoder(seed=0, cv=2, smooth=smooth, target_type="continuous")
    out = _strict(lambda: clone(encoder).fit_transform(X, y))["c"].to_numpy()
    assert np.isfinite(out).all()
    top = float(np.abs(y).max())
    if top == 0:
        return
    down = 2.0 ** (int(np.frexp(top)[1]) - 10)  # the largest value near 2**10
    small = clone(encoder).fit_transform(X, y / down)["c"].to_numpy()
    np.testing.assert_allclose(out, small * down, rtol=1e-9, atol=top * 1e-12)


# k-NN and iterative imputation
def _gappy(seed: int = 0, n: int = 40) -> dict:
    rng = np.random.default_rng(seed)
    data = rng.normal(size=(n, 3)) @ np.array([[1, 0.5, 0], [0, 1, 0.3], [0, 0, 1]])
    data[rng.random(data.shape) < 0.15] = np.nan
    return {name: data[:, i].tolist() for i, name in enumerate("abc")}


@pytest.mark.parametrize("n_neighbors, weights", [(5, "uniform"), (3, "distance")])
@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_knn_imputation_of_huge_values_equals_the_scaled_down_fit(
    n_neighbors, weights, backend
) -> None:
    # k-NN is scale-equivariant: any exact rescaling gives the same neighbours
    data = _gappy()
    huge = {name: [v * SHIFT for v in column] for name, column in data.items()}
    _check_scaled(
        Imputer(strategy="knn", n_neighbors=n_neighbors, weights=weights),
        _frame(data, backend),
        _frame(huge, backend),
        SHIFT,
    )


@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_iterative_imputation_of_huge_values_equals_the_fit_in_its_unit(
    backend,
) -> None:
    # BayesianRidge's priors are fixed numbers, so its fit is not equivariant
    # under every rescaling: the chain is fitted on the data divided by the
    # power of two at their largest value, and equals that fit scaled back
    data = _gappy()
    huge = {name: [v * SHIFT for v in column] for name, column in data.items()}
    top = np.nanmax(np.abs(np.array(list(huge.values()))))
    unit = 2.0 ** (int(np.frexp(top)[1]) - 1)
    down = {name: [v / unit for v in column] for name, column in huge.items()}
    _check_scaled(
        Imputer(strategy="iterative"),
        _frame(down, backend),
        _frame(huge, backend),
        unit,
    )


def _check_scaled(imputer, X, X_huge, factor: float) -> None:
    """``imputer`` on ``X_huge`` is its output on ``X`` times ``factor``, bit for bit."""
    fitted = _strict(lambda: clone(imputer).fit(X_huge))
    small = clone(imputer).fit(X)
    together = _strict(lambda: clone(imputer).fit_transform(X_huge))
    expected = clone(imputer).fit_transform(X)
    out = _strict(lambda: fitted.transform(X_huge))
    for name in X.columns:
        assert np.isfinite(_column(together, name)).all()
        np.testing.assert_array_equal(
            _column(together, name), _column(expected, name) * factor
        )
        np.testing.assert_array_equal(
            _column(out, name), _column(small.transform(X), name) * factor
        )
        assert fitted.statistics_[name] == pytest.approx(
            small.statistics_[name] * factor, rel=1e-15
        )


def test_knn_imputation_near_the_float64_limit_equals_scikit_learn_scaled_down() -> (
    None
):
    X = pd.DataFrame(
        {
            "a": [1e308, 1.5e308, np.nan, -1e308, 0.5e308, 1.7e308],
            "b": [1e308, -1e308, 1.7e308, 2e307, np.nan, -1.7e308],
        }
    )
    unit = 2.0**1023
    for weights in ("uniform", "distance"):
        out = _strict(
            lambda weights=weights: Imputer(
                strategy="knn", n_neighbors=2, weights=weights
            ).fit_transform(X)
        )
        peer = KNNImputer(n_neighbors=2, weights=weights).fit_transform(X / unit)
        np.testing.assert_array_equal(out.to_numpy(), peer * unit)


def test_knn_averages_a_small_column_next_to_a_huge_one_at_its_own_precision() -> None:
    X = pd.DataFrame(
        {
            "big": [1e308, 1.1e308, 1.5e308, 1.04e308],
            "small": [1e-20, 2e-20, 3e-20, np.nan],
        }
    )
    out = _strict(lambda: Imputer(strategy="knn", n_neighbors=2).fit_transform(X))
    # the neighbours of the last row are rows 0 and 1 (by "big"); their mean
    # of "small", which one unit for both columns would round to 0
    assert out["small"].iloc[3] == pytest.approx(1.5e-20, rel=1e-15)


def test_iterative_imputation_near_the_float64_limit_equals_scikit_learn_scaled_down() -> (
    None
):
    X = pd.DataFrame(
        {
            "a": [1e308, 1.5e308, np.nan, -1e308, 0.5e308, 1.7e308],
            "b": [1e308, -1e308, 1.7e308, 2e307, np.nan, -1.7e308],
        }
    )
    unit = 2.0**1023  # the power of two at the largest value
    imputer = Imputer(strategy="iterative")
    out = _strict(lambda: imputer.fit_transform(X))
    peer = IterativeImputer().fit(X / unit)
    np.testing.assert_array_equal(out.to_numpy(), peer.transform(X / unit) * unit)
    again = _strict(lambda: imputer.transform(X))
    np.testing.assert_array_equal(again.to_numpy(), out.to_numpy())


def test_iterative_predictions_beyond_float64_are_held_at_its_limit() -> None:
    # b = 3a exactly: the regression predicts 3 * 1.5e308 for the last row
    a = [1e306 * i for i in range(1, 11)] + [1.5e308]
    X = pd.DataFrame({"a": a, "b": [3 * v for v in a[:-1]] + [np.nan]})
    out = _strict(lambda: Imputer(strategy="iterative").fit_transform(X))
    assert out["b"].iloc[-1] == np.finfo(np.float64).max
    assert out["a"].tolist() == a  # observed values untouched


def test_a_failing_regression_chain_is_a_data_error(monkeypatch) -> None:
    def broken(self, X, y=None, **params):
        raise IndexError("index 0 is out of bounds for axis 1 with size 0")

    monkeypatch.setattr(IterativeImputer, "fit_transform", broken)
    with pytest.raises(DataError, match=r"could not fit its chain.*IndexError"):
        Imputer(strategy="iterative").fit(pd.DataFrame({"a": [1.0, np.nan, 3.0]}))


@settings(max_examples=30, deadline=None)
@given(
    values=st.lists(
        st.floats(-1e308, 1e308, allow_nan=False) | st.just(np.nan),
        min_size=12,
        max_size=24,
    ),
    strategy=st.sampled_from(["knn", "iterative"]),
)
def test_property_model_imputers_of_values_up_to_1e308_are_finite(
    values, strategy
) -> None:
    half = len(values) // 2
    X = pd.DataFrame({"a": values[:half], "b": values[half : 2 * half]})
    if X.isna().all().any():
        return
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("ignore", DataWarning)  # iterative: not converged
        out = Imputer(strategy=strategy, n_neighbors=2).fit_transform(X)
    assert np.isfinite(out.to_numpy()).all()
    observed = X.notna().to_numpy()
    np.testing.assert_array_equal(out.to_numpy()[observed], X.to_numpy()[observed])


# merged moments (partial fits)
BATCH = np.array([1e308, -1e308, 1.5e308])


def test_moments_state_merges_huge_batches_like_one_batch() -> None:
    merged = MomentsState.of(BATCH).merge(MomentsState.of(BATCH))
    whole = MomentsState.of(np.tile(BATCH, 2))
    assert merged.count == 6 and merged.mean == pytest.approx(5e307, rel=1e-15)
    assert np.isfinite(merged.std)
    assert merged.std == pytest.approx(whole.std, rel=1e-15)
    opposite = MomentsState.of(np.array([1.7e308, 1.7e308])).merge(
        MomentsState.of(np.array([-1.7e308, -1.6e308]))
    )
    assert opposite.mean == pytest.approx(0.025e308, rel=1e-12)
    assert opposite.std == pytest.approx(
        MomentsState.of(np.array([1.7e308, 1.7e308, -1.7e308, -1.6e308])).std,
        rel=1e-15,
    )


def test_moments_state_files_keep_units_and_older_files_load() -> None:
    merged = MomentsState.of(BATCH).merge(MomentsState.of(BATCH))
    document = json.loads(json.dumps(merged.to_dict()))
    assert document["data"]["unit"] == 2.0**1023
    loaded = state_from_dict(document)
    assert loaded == merged and loaded.std == merged.std
    # a file written before units existed: six numbers, unit 1
    old = {
        "kind": "moments",
        "version": 1,
        "config": {},
        "data": {
            "count": 2,
            "missing": 1,
            "mean": 1.5,
            "m2": 0.5,
            "minimum": 1.0,
            "maximum": 2.0,
        },
    }
    state = state_from_dict(old)
    assert (state.count, state.mean, state.variance, state.unit) == (2, 1.5, 0.25, 1.0)
    assert state.to_dict() == old  # ordinary states write what they always wrote
    tampered = {**document, "data": {**document["data"], "unit": -2.0}}
    with pytest.raises(PersistenceError, match="unit must be a power of two"):
        state_from_dict(tampered)


@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_mean_imputer_merges_opposite_huge_batches(backend) -> None:
    parts = [
        Imputer(strategy="mean").partial_fit(
            _frame({"a": [1.7e308, 1.7e308]}, backend)
        ),
        Imputer(strategy="mean").partial_fit(
            _frame({"a": [-1.7e308, -1.6e308, None]}, backend)
        ),
    ]
    for merged in (mlprep.merge(parts), mlprep.merge(parts[::-1])):
        assert merged.statistics_["a"] == pytest.approx(0.025e308, rel=1e-12)
        state = merged.partial_state_["a"]
        assert mlprep.loads(mlprep.dumps(merged)).partial_state_["a"] == state


def test_standard_scaler_partial_fit_of_huge_batches_equals_the_whole_fit() -> None:
    batch = pd.DataFrame({"a": BATCH})
    scaler = StandardScaler().partial_fit(batch).partial_fit(batch)
    whole = StandardScaler().fit(pd.concat([batch, batch]))
    assert scaler.mean_["a"] == pytest.approx(whole.mean_["a"], rel=1e-15)
    assert scaler.scale_["a"] == pytest.approx(whole.scale_["a"], rel=1e-15)


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(
        HUGE_OR_ZERO,
        min_size=2,
        max_size=30,
    ),
    cut=st.integers(0, 30),
)
def test_property_merged_moments_of_values_up_to_1e308_are_finite_and_scale(
    values, cut
) -> None:
    data = np.array(values)
    merged = _strict(
        lambda: MomentsState.of(data[:cut]).merge(MomentsState.of(data[cut:]))
    )
    whole = MomentsState.of(data)
    assert np.isfinite(merged.mean) and np.isfinite(merged.std)
    top = float(np.abs(data).max())
    assert merged.mean == pytest.approx(whole.mean, rel=1e-9, abs=top * 1e-13)
    assert merged.std == pytest.approx(whole.std, rel=1e-9, abs=top * 1e-13)
    if top == 0:
        return
    down = 2.0 ** (int(np.frexp(top)[1]) - 10)
    small = MomentsState.of(data[:cut] / down).merge(MomentsState.of(data[cut:] / down))
    assert merged.mean == pytest.approx(small.mean * down, rel=1e-9, abs=top * 1e-13)
    assert merged.std == pytest.approx(small.std * down, rel=1e-9, abs=top * 1e-13)


@pytest.mark.parametrize("action", ["clip", "flag"])
def test_zscore_fences_of_huge_values_equal_the_scaled_down_fences(action) -> None:
    small = np.array([float(i) for i in range(10)] + [40.0])
    scale = 2.0**1010  # exact: values up to ~4e305, squares far beyond float64
    huge = OutlierHandler(method="zscore", action=action).fit(
        pd.DataFrame({"a": small * scale})
    )
    reference = OutlierHandler(method="zscore", action=action).fit(
        pd.DataFrame({"a": small})
    )
    low, high = huge.bounds_["a"]
    assert np.isfinite([low, high]).all()
    np.testing.assert_allclose(
        [low / scale, high / scale], reference.bounds_["a"], rtol=1e-14
    )


def test_baseline_std_of_huge_values_is_finite() -> None:
    from mlprep.quality import Baseline

    small = np.arange(10.0)
    scale = 2.0**1010
    huge = Baseline().fit(pd.DataFrame({"a": small * scale})).statistics_["a"]
    assert huge["std_dev"] / scale == pytest.approx(np.std(small), rel=1e-14)
