"""DropCorrelatedFeatures: feature-engine equivalence (pearson, spearman), walk order, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from feature_engine.selection import DropCorrelatedFeatures as FEDropCorrelated
from sklearn.datasets import load_breast_cancer

import mlprep
from mlprep.exceptions import DataError, InvalidParameterError
from mlprep.select import CoMomentsState, DropCorrelatedFeatures
from mlprep.state import state_from_dict


def _cancer(missing: bool = False) -> pd.DataFrame:
    frame = load_breast_cancer(as_frame=True).data
    frame = frame[sorted(frame.columns)]  # feature-engine walks names in sorted order
    if missing:
        rng = np.random.default_rng(7)
        frame = frame.mask(rng.random(frame.shape) < 0.05)
    return frame


@pytest.mark.parametrize("method", ["pearson", "spearman"])
@pytest.mark.parametrize("threshold", [0.8, 0.9, 0.95])
def test_equals_feature_engine(method: str, threshold: float) -> None:
    frame = _cancer()
    ours = DropCorrelatedFeatures(threshold=threshold, method=method).fit(frame)
    theirs = FEDropCorrelated(threshold=threshold, method=method).fit(frame)
    assert sorted(ours.dropped_) == sorted(theirs.features_to_drop_)
    assert len(ours.dropped_) >= 5
    np.testing.assert_allclose(
        ours.correlation_, frame.corr(method=method).to_numpy(), atol=1e-12
    )


@pytest.mark.parametrize("method", ["pearson", "spearman"])
def test_equals_feature_engine_with_missing_pairwise_complete(method: str) -> None:
    frame = _cancer(missing=True)
    ours = DropCorrelatedFeatures(threshold=0.85, method=method).fit(frame)
    theirs = FEDropCorrelated(threshold=0.85, method=method).fit(frame)
    assert sorted(ours.dropped_) == sorted(theirs.features_to_drop_)
    np.testing.assert_allclose(
        ours.correlation_, frame.corr(method=method).to_numpy(), atol=1e-12
    )


def test_walks_columns_in_order_and_keeps_the_first() -> None:
    rng = np.random.default_rng(0)
    a = rng.normal(size=200)
    frame = pd.DataFrame(
        {"z": a + rng.normal(0, 0.01, 200), "a": a, "noise": rng.normal(size=200)}
    )
    selector = DropCorrelatedFeatures().fit(frame)
    assert selector.dropped_ == ["a"]
    assert selector.correlated_with_ == {"a": "z"}
    assert DropCorrelatedFeatures().fit(frame[["a", "z", "noise"]]).dropped_ == ["z"]


def test_a_dropped_column_does_not_remove_others() -> None:
    # b is correlated with a and with c, a and c are not: a removes b, and
    # b, once removed, does not remove c.
    rng = np.random.default_rng(1)
    a, noise = rng.normal(size=500), rng.normal(size=500)
    frame = pd.DataFrame({"a": a, "b": a + noise, "c": noise})
    corr = frame.corr().abs().to_numpy()
    assert corr[0, 1] > 0.6 and corr[1, 2] > 0.6 and corr[0, 2] < 0.6
    selector = DropCorrelatedFeatures(threshold=0.6).fit(frame)
    assert selector.dropped_ == ["b"]
    assert selector.correlated_with_ == {"b": "a"}


def test_spearman_catches_monotonic_non_linear() -> None:
    x = np.linspace(0.1, 10, 100)
    frame = pd.DataFrame({"x": x, "exp_x": np.exp(x)})
    assert DropCorrelatedFeatures(threshold=0.95).fit(frame).dropped_ == []
    assert DropCorrelatedFeatures(threshold=0.95, method="spearman").fit(
        frame
    ).dropped_ == ["exp_x"]


def test_constant_and_string_columns_pass_through() -> None:
    frame = pd.DataFrame(
        {"a": [1.0, 2, 3, 4], "k": [5.0] * 4, "s": list("wxyz"), "b": [2.0, 4, 6, 8]}
    )
    selector = DropCorrelatedFeatures().fit(frame)
    assert selector.columns_ == ["a", "k", "b"]
    assert list(selector.transform(frame).columns) == ["a", "k", "s"]


def test_polars_equals_pandas() -> None:
    frame = _cancer(missing=True)
    assert (
        DropCorrelatedFeatures(method="spearman").fit(pl.from_pandas(frame)).dropped_
        == DropCorrelatedFeatures(method="spearman").fit(frame).dropped_
    )


@pytest.mark.parametrize(
    "params", [{"threshold": -0.1}, {"threshold": 1.1}, {"method": "kendall"}]
)
def test_invalid_parameters(params: dict) -> None:
    with pytest.raises(InvalidParameterError):
        DropCorrelatedFeatures(**params).fit(_cancer())


def test_named_string_column_is_a_data_error() -> None:
    frame = pd.DataFrame({"a": [1.0, 2.0], "s": ["x", "y"]})
    with pytest.raises(DataError, match="'s'"):
        DropCorrelatedFeatures(columns=["a", "s"]).fit(frame)


def test_spearman_refuses_partial_fit_with_a_reason() -> None:
    selector = DropCorrelatedFeatures(method="spearman")
    assert not hasattr(selector, "partial_fit")
    with pytest.raises(DataError, match="rank"):
        selector.fit(pl.from_pandas(_cancer()).lazy())


def test_pearson_partial_fit_lazy_and_merge_equal_fit() -> None:
    frame = _cancer(missing=True)
    whole = DropCorrelatedFeatures(threshold=0.85).fit(frame)
    batched = DropCorrelatedFeatures(threshold=0.85)
    for start in range(0, len(frame), 97):
        batched.partial_fit(frame.iloc[start : start + 97])
    assert batched.dropped_ == whole.dropped_
    np.testing.assert_allclose(batched.correlation_, whole.correlation_, atol=1e-12)
    lazy = DropCorrelatedFeatures(threshold=0.85).fit(pl.from_pandas(frame).lazy())
    assert lazy.dropped_ == whole.dropped_
    left = DropCorrelatedFeatures(threshold=0.85).partial_fit(frame.iloc[:300])
    right = DropCorrelatedFeatures(threshold=0.85).partial_fit(frame.iloc[300:])
    merged = mlprep.merge([left, right])
    assert merged.dropped_ == whole.dropped_


def test_comoments_state_round_trips_and_merges_in_any_order() -> None:
    data = _cancer(missing=True).to_numpy()
    a, b, c = (CoMomentsState.of(part) for part in np.array_split(data, 3))
    one, other = a.merge(b).merge(c), c.merge(a).merge(b)
    np.testing.assert_allclose(one.correlation(), other.correlation(), atol=1e-12)
    assert state_from_dict(one.to_dict()) == one
    with pytest.raises(DataError, match="different settings"):
        one.merge(CoMomentsState(2))


def test_comoments_undefined_pairs_are_nan() -> None:
    data = np.array([[1.0, np.nan, 5.0], [2.0, 1.0, 5.0], [3.0, np.nan, 5.0]])
    corr = CoMomentsState.of(data).correlation()
    assert corr[0, 0] == 1.0
    assert np.isnan(corr[0, 1])  # one common row
    assert np.isnan(corr[0, 2])  # constant column


def test_summary() -> None:
    frame = pd.DataFrame(
        {"a": [1.0, 2, 3, 4], "b": [2.0, 4, 6, 8.5], "c": [1.0, 0, 1, 0]}
    )
    lines = DropCorrelatedFeatures().fit(frame).summary().splitlines()
    assert lines[0] == "DropCorrelatedFeatures: dropped 1 of 3 columns"
    assert lines[1].startswith("  - b: |pearson correlation| 0.99")
    assert lines[1].endswith("with 'a' > 0.9")


def test_infinite_values_are_refused_and_huge_ones_warn_not_overflow() -> None:
    import warnings

    from mlprep.exceptions import DataError, DataWarning

    with pytest.raises(DataError, match="'a' holds 1 infinite value"):
        DropCorrelatedFeatures(threshold=0.5).fit(
            pd.DataFrame({"a": [1.0, np.inf, 2.0, 3.0], "b": [1.0, 2.0, 3.0, 4.0]})
        )
    X = pd.DataFrame(
        {"a": [1e308, -1e308, 1e308, 0.0], "b": [1.0, 2, 3, 4], "c": [2.0, 4, 6, 8.1]}
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        with pytest.warns(DataWarning, match="'a' holds values beyond 1e150"):
            selector = DropCorrelatedFeatures(threshold=0.5).fit(X)
        spearman = DropCorrelatedFeatures(threshold=0.5, method="spearman").fit(X)
    assert selector.dropped_ == ["c"] and spearman.dropped_ == ["c"]
    assert np.isnan(selector.correlation_[0, 1])
