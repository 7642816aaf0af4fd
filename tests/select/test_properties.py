"""Hypothesis properties: what column order may and may not change."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from mlprep.exceptions import DataError
from mlprep.select import (
    DropColumns,
    DropConstantFeatures,
    DropCorrelatedFeatures,
    DropDuplicateFeatures,
)


@st.composite
def frames_and_orders(draw: st.DrawFn) -> tuple[pd.DataFrame, list[str]]:
    """Small integer-valued frames (duplicates, constants, ties are likely) and a permutation."""
    n_rows = draw(st.integers(3, 12))
    n_columns = draw(st.integers(2, 6))
    columns = {}
    for index in range(n_columns):
        if index and draw(st.booleans()):
            source = draw(st.integers(0, index - 1))
            columns[f"c{index}"] = columns[f"c{source}"].copy()  # a duplicate
        else:
            values = draw(st.lists(st.integers(0, 2), min_size=n_rows, max_size=n_rows))
            columns[f"c{index}"] = np.asarray(values, dtype=float)
    frame = pd.DataFrame(columns)
    if draw(st.booleans()):
        frame.iloc[0, 0] = np.nan
    order = draw(st.permutations(list(frame.columns)))
    return frame, list(order)


def _fit(selector, frame: pd.DataFrame):
    try:
        return selector.fit(frame)
    except DataError as error:
        assert "every column" in str(error)
        return None


@settings(max_examples=60, deadline=None)
@given(frames_and_orders(), st.sampled_from([1.0, 0.75, 0.5]))
def test_constant_dropped_set_ignores_column_order(data, tol: float) -> None:
    frame, order = data
    first = _fit(DropConstantFeatures(tol=tol, missing_values="include"), frame)
    second = _fit(DropConstantFeatures(tol=tol, missing_values="include"), frame[order])
    assert (first is None) == (second is None)
    if first is not None and second is not None:
        assert set(first.dropped_) == set(second.dropped_)
        assert second.dropped_ == [c for c in order if c in set(first.dropped_)]


@settings(max_examples=60, deadline=None)
@given(frames_and_orders())
def test_drop_columns_ignores_column_order(data) -> None:
    frame, order = data
    named = order[:1]
    assert (
        DropColumns(named).fit(frame).dropped_
        == DropColumns(named).fit(frame[order]).dropped_
    )


@settings(max_examples=80, deadline=None)
@given(frames_and_orders())
def test_duplicates_count_is_stable_and_kept_columns_are_distinct(data) -> None:
    frame, order = data
    first = DropDuplicateFeatures().fit(frame)
    second = DropDuplicateFeatures().fit(frame[order])
    assert len(first.dropped_) == len(second.dropped_)
    for selector, data_ in ((first, frame), (second, frame[order])):
        kept = selector.transform(data_)
        for a, b in itertools.combinations(kept.columns, 2):
            assert not kept[a].equals(kept[b])
        for name, original in selector.duplicate_of_.items():
            assert data_[name].equals(data_[original])
            assert list(data_.columns).index(original) < list(data_.columns).index(name)


@settings(max_examples=80, deadline=None)
@given(
    frames_and_orders(),
    st.sampled_from([0.3, 0.6, 0.9]),
    st.sampled_from(["pearson", "spearman"]),
)
def test_correlated_kept_set_has_no_pair_above_threshold(
    data, threshold: float, method: str
) -> None:
    frame, order = data
    for data_ in (frame, frame[order]):
        selector = DropCorrelatedFeatures(threshold=threshold, method=method).fit(data_)
        corr = data_.corr(method=method).abs()
        kept = [c for c in data_.columns if c not in selector.dropped_]
        for a, b in itertools.combinations(kept, 2):
            assert not corr.loc[a, b] > threshold
        for name, keeper in selector.correlated_with_.items():
            assert keeper in kept and corr.loc[name, keeper] > threshold


@settings(max_examples=80, deadline=None)
@given(frames_and_orders(), st.sampled_from([0.3, 0.6, 0.9]))
def test_correlated_count_is_stable_when_correlation_is_transitive(
    data, threshold: float
) -> None:
    # when "correlated above threshold" is an equivalence relation (clusters),
    # the walk keeps exactly one column per cluster whatever the order
    frame, order = data
    related = (frame.corr().abs() > threshold).to_numpy().copy()
    np.fill_diagonal(related, True)
    transitive = np.array_equal(
        (related.astype(int) @ related.astype(int)) > 0, related
    )
    first = DropCorrelatedFeatures(threshold=threshold).fit(frame)
    second = DropCorrelatedFeatures(threshold=threshold).fit(frame[order])
    if transitive:
        assert len(first.dropped_) == len(second.dropped_)
        clusters = {tuple(row) for row in related}
        assert len(frame.columns) - len(first.dropped_) == len(clusters)


def test_correlated_count_depends_on_order_when_correlation_is_not_transitive() -> None:
    """The documented tie rule: a-b and b-c correlated, a-c not."""
    rng = np.random.default_rng(0)
    a, c = rng.normal(size=400), rng.normal(size=400)
    frame = pd.DataFrame({"a": a, "b": a + c, "c": c})  # |r(a,b)| = |r(b,c)| ~ 0.7
    selector = DropCorrelatedFeatures(threshold=0.6)
    assert selector.fit(frame).dropped_ == ["b"]
    assert selector.fit(frame[["b", "a", "c"]]).dropped_ == ["a", "c"]
