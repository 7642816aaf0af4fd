"""Binner: equal to KBinsDiscretizer, NaN policy, out-of-range values, merged edges, custom edges."""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pandas as pd
import polars as pl
import pytest
from sklearn.preprocessing import KBinsDiscretizer

from mlprep.exceptions import DataError, DataWarning
from mlprep.scale import Binner


def _kbins(**params: object) -> KBinsDiscretizer:
    """KBinsDiscretizer pinned to numpy's linear quantiles on all the data (defaults moved)."""
    accepted = inspect.signature(KBinsDiscretizer).parameters
    if "quantile_method" in accepted:
        params["quantile_method"] = "linear"
    params["subsample"] = None
    return KBinsDiscretizer(**params)


def _data(n: int = 400) -> np.ndarray:
    rng = np.random.default_rng(12)
    return np.column_stack(
        [rng.lognormal(0, 1, n), rng.normal(0, 1, n), rng.uniform(-5, 5, n)]
    )


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
@pytest.mark.parametrize("n_bins", [2, 5, 13])
def test_ordinal_equals_kbins(strategy: str, n_bins: int) -> None:
    X = _data()
    new = np.random.default_rng(13).normal(
        0, 4, (100, 3)
    )  # partly outside the training range
    ours = Binner(strategy=strategy, n_bins=n_bins).fit(X)
    theirs = _kbins(strategy=strategy, n_bins=n_bins, encode="ordinal").fit(X)
    for column, edges in zip(ours.columns_, theirs.bin_edges_):
        np.testing.assert_allclose(ours.bin_edges_[column], edges, rtol=1e-12)
    for data in (X, new):
        np.testing.assert_array_equal(ours.transform(data), theirs.transform(data))


@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_onehot_equals_kbins_onehot_dense(strategy: str) -> None:
    X = _data()
    frame = pd.DataFrame(X, columns=["a", "b", "c"])
    ours = Binner(strategy=strategy, n_bins=4, encode="onehot").fit(frame)
    theirs = _kbins(strategy=strategy, n_bins=4, encode="onehot-dense").fit(X)
    out = ours.transform(frame)
    np.testing.assert_array_equal(out.to_numpy(), theirs.transform(X))
    assert list(out.columns) == [f"{c}_bin_{i}" for c in "abc" for i in range(4)]
    assert list(ours.get_feature_names_out()) == list(out.columns)


def test_values_outside_the_fitted_range_go_to_the_edge_bins() -> None:
    binner = Binner(n_bins=4).fit(pd.DataFrame({"a": [0.0, 4.0]}))
    out = binner.transform(
        pd.DataFrame({"a": [-100.0, 0.0, 0.999, 1.0, 3.0, 4.0, 100.0]})
    )
    assert out["a"].tolist() == [0.0, 0.0, 0.0, 1.0, 3.0, 3.0, 3.0]


def test_nan_policy_ordinal_keeps_missing_onehot_gives_zeros() -> None:
    X = pd.DataFrame({"a": [1.0, np.nan, 3.0, 5.0], "keep": ["x", "y", "z", "w"]})
    ordinal = Binner(n_bins=2).fit_transform(X)
    assert ordinal["a"].tolist()[0] == 0.0 and np.isnan(ordinal["a"].iloc[1])
    assert ordinal["keep"].tolist() == ["x", "y", "z", "w"]
    onehot = Binner(n_bins=2, encode="onehot").fit_transform(X)
    assert list(onehot.columns) == ["a_bin_0", "a_bin_1", "keep"]
    assert onehot.iloc[1, :2].tolist() == [0.0, 0.0]
    assert onehot[["a_bin_0", "a_bin_1"]].sum(axis=1).tolist() == [1.0, 0.0, 1.0, 1.0]


def test_polars_null_policy() -> None:
    X = pl.DataFrame({"a": [1.0, None, 3.0, float("nan"), 5.0]})
    ordinal = Binner(n_bins=2).fit_transform(X)["a"].to_list()
    assert ordinal[0] == 0.0 and ordinal[4] == 1.0
    assert ordinal[1] is None or np.isnan(ordinal[1])
    assert ordinal[3] is None or np.isnan(ordinal[3])
    onehot = Binner(n_bins=2, encode="onehot").fit_transform(X)
    assert onehot.row(1) == (0.0, 0.0) and onehot.row(3) == (0.0, 0.0)


def test_duplicate_quantile_edges_merge_with_a_warning_as_sklearn() -> None:
    X = np.array([[0.0]] * 60 + [[1.0], [2.0], [3.0], [4.0]])
    with pytest.warns(DataWarning, match="merged"):
        ours = Binner(strategy="quantile", n_bins=5).fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        theirs = _kbins(strategy="quantile", n_bins=5, encode="ordinal").fit(X)
    np.testing.assert_allclose(ours.bin_edges_["x0"], theirs.bin_edges_[0])
    assert ours.n_bins_["x0"] == theirs.n_bins_[0] < 5
    np.testing.assert_array_equal(ours.transform(X), theirs.transform(X))


def test_constant_column_gets_one_bin() -> None:
    with pytest.warns(DataWarning, match="constant"):
        binner = Binner(n_bins=3).fit(pd.DataFrame({"a": [2.0, 2.0, 2.0]}))
    assert binner.bin_edges_["a"] == [-np.inf, np.inf]
    assert binner.transform(pd.DataFrame({"a": [-5.0, 2.0, 9.0]}))["a"].tolist() == [
        0.0,
        0.0,
        0.0,
    ]


def test_custom_edges_list_and_dict() -> None:
    X = pd.DataFrame(
        {"age": [5.0, 30.0, 65.0, 99.0], "income": [10.0, 50.0, 90.0, 200.0]}
    )
    shared = Binner(
        strategy="custom", edges=[0, 18, 65, 120], columns="age"
    ).fit_transform(X)
    assert shared["age"].tolist() == [0.0, 1.0, 2.0, 2.0]
    per_column = Binner(
        strategy="custom", edges={"age": [0, 50, 100], "income": [0, 100, 1000]}
    ).fit(X)
    assert per_column.n_bins_ == {"age": 2, "income": 2}
    assert per_column.transform(X)["income"].tolist() == [0.0, 0.0, 0.0, 1.0]
    with pytest.raises(DataError, match="'income'"):
        Binner(strategy="custom", edges={"age": [0, 50]}).fit(X)
    with pytest.raises(DataError, match="needs edges="):
        Binner(strategy="custom").fit(X)


def test_all_missing_column_raises() -> None:
    with pytest.raises(DataError, match="'a' is entirely missing"):
        Binner().fit(pd.DataFrame({"a": [np.nan, np.nan]}))


def test_onehot_name_taken_by_an_untouched_column_raises() -> None:
    X = pd.DataFrame({"a": [1.0, 2.0, 3.0], "a_bin_1": ["x", "y", "z"]})
    with pytest.raises(DataError, match="'a_bin_1'"):
        Binner(n_bins=2, encode="onehot", columns="a").fit(X)
