"""Fence definitions: each method against its reference formula, edge cases, warnings."""

import warnings

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
import polars as pl
import pytest
from scipy import stats

from mlprep.exceptions import DataError, DataWarning, InvalidParameterError
from mlprep.outliers._fences import (
    DEFAULT_K,
    is_quantile_pair,
    learn_bounds,
    outlier_flags,
    resolve_k,
)

SEED = np.array(
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
    ]
)


def _frame(X, backend="pandas"):
    columns = [f"c{i}" for i in range(X.shape[1])]
    native = pd.DataFrame(X, columns=columns)
    if backend == "polars":
        native = pl.from_pandas(native, nan_to_null=False)
    return nw.from_native(native, eager_only=True)


def _learn(X, method, k=None, quantiles=(0.01, 0.99), **kwargs):
    frame = _frame(X)
    return learn_bounds(
        frame,
        list(frame.columns),
        method=method,
        k=resolve_k(method, k, "Test"),
        quantiles=quantiles,
        owner="Test",
        **kwargs,
    )


def test_iqr_fences_of_the_seed_example():
    bounds, _ = _learn(SEED, "iqr")
    # techniques.md §1.2: Q1 = [5.375, 6.375], Q3 = [13.525, 11.75] (linear quantiles)
    np.testing.assert_allclose(bounds["c0"], [-6.85, 25.75], rtol=1e-12)
    np.testing.assert_allclose(bounds["c1"], [-1.6875, 19.8125], rtol=1e-12)


def test_iqr_equals_numpy_linear_percentiles():
    rng = np.random.default_rng(3)
    X = rng.lognormal(0, 1, (101, 3))
    bounds, _ = _learn(X, "iqr", k=2.0)
    q1, q3 = np.percentile(X, [25, 75], axis=0)
    for i in range(3):
        expected = [q1[i] - 2.0 * (q3[i] - q1[i]), q3[i] + 2.0 * (q3[i] - q1[i])]
        np.testing.assert_allclose(bounds[f"c{i}"], expected, rtol=1e-12)


def test_zscore_flags_match_scipy_zscore():
    rng = np.random.default_rng(4)
    X = rng.standard_t(2, (300, 2))
    bounds, _ = _learn(X, "zscore")
    flags = outlier_flags(_frame(X), bounds)
    np.testing.assert_array_equal(flags, np.abs(stats.zscore(X, ddof=0)) > 3)


def test_zscore_of_the_seed_example_flags_nothing():
    bounds, _ = _learn(SEED, "zscore")
    assert not outlier_flags(_frame(SEED), bounds).any()
    z = stats.zscore(SEED)
    np.testing.assert_allclose(
        np.abs(z).max(axis=0), [2.38683402, 2.57730774], rtol=1e-8
    )
    # fences are mean ± 3 population std
    np.testing.assert_allclose(
        bounds["c1"], 9.82 + np.array([-3, 3]) * 5.11386351, rtol=1e-8
    )


def test_mad_is_the_modified_z_score():
    rng = np.random.default_rng(5)
    X = rng.normal(0, 1, (200, 2))
    X[:5] *= 10
    bounds, _ = _learn(X, "mad")
    median = np.median(X, axis=0)
    mad = np.median(np.abs(X - median), axis=0)
    modified_z = 0.6745 * (X - median) / mad
    np.testing.assert_array_equal(
        outlier_flags(_frame(X), bounds), np.abs(modified_z) > 3.5
    )


def test_quantile_fences_are_numpy_quantiles():
    X = np.arange(1.0, 102.0).reshape(-1, 1)
    bounds, _ = _learn(X, "quantile", quantiles=(0.05, 0.9))
    np.testing.assert_allclose(bounds["c0"], np.quantile(X, [0.05, 0.9]))


def test_default_k_and_quantile_k():
    assert DEFAULT_K == {"iqr": 1.5, "zscore": 3.0, "mad": 3.5}
    assert resolve_k("mad", None, "X") == 3.5
    assert resolve_k("iqr", 2, "X") == 2.0
    assert resolve_k("quantile", None, "X") is None
    with pytest.raises(
        InvalidParameterError, match="no meaning with method='quantile'"
    ):
        resolve_k("quantile", 1.5, "X")


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ((0.01, 0.99), True),
        ([0, 1], True),
        ((0.5, 0.5), False),
        ((0.9, 0.1), False),
        ((-0.1, 0.5), False),
        ((0.1, 1.1), False),
        ((0.1,), False),
        ("ab", False),
        ((True, 1), False),
        (None, False),
    ],
)
def test_quantile_pair_predicate(value, ok):
    assert is_quantile_pair(value) is ok


def test_nan_and_inf_are_left_out_of_the_statistics():
    X = np.array([[1.0], [2.0], [np.nan], [3.0], [np.inf], [4.0], [-np.inf]])
    bounds, _ = _learn(X, "iqr")
    clean, _ = _learn(np.array([[1.0], [2.0], [3.0], [4.0]]), "iqr")
    assert bounds == clean


@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_missing_is_never_flagged(backend):
    X = np.array([[1.0], [2.0], [np.nan], [3.0], [1e9]])
    frame = _frame(X, backend)
    bounds, _ = learn_bounds(
        frame, ["c0"], method="iqr", k=1.5, quantiles=None, owner="T"
    )
    np.testing.assert_array_equal(outlier_flags(frame, bounds)[:, 0], [0, 0, 0, 0, 1])


@pytest.mark.parametrize("method", ["iqr", "zscore", "mad", "quantile"])
def test_zero_spread_collapses_fences_and_warns_naming_the_column(method):
    X = np.column_stack([np.full(6, 0.1), np.arange(6.0)])
    with pytest.warns(DataWarning, match=r"\['c0'\] have zero") as record:
        bounds, _ = _learn(X, method)
    assert len(record) == 1 and "c1" not in str(record[0].message)
    assert bounds["c0"] == [0.1, 0.1]
    assert not outlier_flags(_frame(X), bounds)[:, 0].any()


def test_zero_iqr_in_a_non_constant_column():
    X = np.array([[1.0], [1.0], [1.0], [1.0], [1.0], [7.0]])
    with pytest.warns(DataWarning, match="zero IQR"):
        bounds, _ = _learn(X, "iqr")
    assert bounds["c0"] == [1.0, 1.0]
    np.testing.assert_array_equal(outlier_flags(_frame(X), bounds)[:, 0], [0] * 5 + [1])


def test_a_column_without_finite_values_is_an_error_naming_it():
    X = np.array([[1.0, np.nan], [2.0, np.inf], [3.0, np.nan]])
    with pytest.raises(DataError, match="column 'c1': it has no finite value"):
        _learn(X, "iqr")


def test_inlier_statistics_use_only_values_within_the_fences():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, means = _learn(SEED, "iqr", inlier_statistic="mean")
        _, medians = _learn(SEED, "iqr", inlier_statistic="median")
    assert means["c0"] == pytest.approx(SEED[:, 0].mean())
    assert means["c1"] == pytest.approx(SEED[:9, 1].mean())
    assert medians["c1"] == pytest.approx(np.median(SEED[:9, 1]))


def test_no_inlier_is_an_error_for_the_replacement_statistic():
    X = np.array([[0.0], [10.0]])
    with pytest.raises(
        DataError, match="no value of column 'c0' lies within its fences"
    ):
        _learn(X, "zscore", k=0.5, inlier_statistic="mean")


def test_zscore_of_values_near_the_float_limit_does_not_overflow():
    X = np.array([[1e300], [-1e300], [0.0], [1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bounds, _ = _learn(X, "zscore")
    # std in power-of-two units: the fences are mean ± 3·std, finite (issue 15)
    std = np.std(X[:, 0] / 1e300) * 1e300
    np.testing.assert_allclose(
        bounds["c0"], [0.25 - 3 * std, 0.25 + 3 * std], rtol=1e-14
    )


@pytest.mark.parametrize("shape", ["lognormal", "ties", "sorted", "constant_tail"])
def test_large_columns_give_exactly_numpy_linear_quantiles(shape):
    # above 2**16 values nanquantiles brackets ranks with a sample: still exact
    rng = np.random.default_rng(12)
    n = 100_003
    column = {
        "lognormal": rng.lognormal(0, 2, n),
        "ties": rng.integers(0, 4, n).astype(float),
        "sorted": np.sort(rng.standard_t(1, n)),
        "constant_tail": np.r_[rng.normal(size=n // 2), np.full(n - n // 2, 3.0)],
    }[shape]
    X = column.reshape(-1, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        iqr, _ = _learn(X, "iqr")
        quantile, _ = _learn(X, "quantile", quantiles=(0.001, 0.999))
    q1, q3 = np.percentile(column, [25, 75])
    assert iqr["c0"] == pytest.approx(
        [q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)], rel=1e-13, abs=1e-13
    )
    assert quantile["c0"] == pytest.approx(
        list(np.quantile(column, [0.001, 0.999])), rel=1e-13, abs=1e-13
    )
