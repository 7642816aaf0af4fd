"""The partial states: merges are exact (moments, counts, reservoir) or within the bound (KLL)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlprep.exceptions import DataError, PersistenceError
from mlprep.state import (
    CountsState,
    MomentsState,
    QuantileSketch,
    Reservoir,
    merge_states,
    state_from_dict,
)

DISTRIBUTIONS = {
    "normal": lambda rng, n: rng.normal(size=n),
    "lognormal": lambda rng, n: rng.lognormal(sigma=2.0, size=n),
    "cauchy": lambda rng, n: rng.standard_cauchy(size=n),
    "constant": lambda rng, n: np.full(n, 3.25),
    "nan_heavy": lambda rng, n: np.where(
        rng.random(n) < 0.8, np.nan, rng.exponential(size=n)
    ),
    "discrete": lambda rng, n: rng.integers(0, 5, size=n).astype(float),
}


def _round_trip(state):
    return state_from_dict(json.loads(json.dumps(state.to_dict())))


@settings(max_examples=30, deadline=None)
@given(
    values=st.lists(
        st.one_of(st.floats(-1e6, 1e6), st.just(float("nan"))), min_size=0, max_size=60
    ),
    cut=st.integers(0, 60),
)
def test_moments_merge_equals_one_pass(values, cut):
    data = np.array(values, dtype=float)
    whole = MomentsState.of(data)
    merged = MomentsState.of(data[:cut]).merge(MomentsState.of(data[cut:]))
    swapped = MomentsState.of(data[cut:]).merge(MomentsState.of(data[:cut]))
    for state in (merged, swapped, _round_trip(merged)):
        assert state.count == whole.count and state.missing == whole.missing
        np.testing.assert_allclose(
            [state.mean, state.variance, state.minimum, state.maximum],
            [whole.mean, whole.variance, whole.minimum, whole.maximum],
            rtol=1e-9,
            atol=1e-6,
        )


@settings(max_examples=25, deadline=None)
@given(
    name=st.sampled_from(sorted(DISTRIBUTIONS)),
    seed=st.integers(0, 2**16),
    parts=st.integers(1, 6),
    q=st.sampled_from([0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]),
)
def test_sketch_quantiles_lie_within_the_rank_error(name, seed, parts, q):
    rng = np.random.default_rng(seed)
    values = DISTRIBUTIONS[name](rng, 5_000)
    sketches = [QuantileSketch().update(p) for p in np.array_split(values, parts)]
    sketch = sketches[0]
    for other in sketches[1:]:
        sketch = sketch.merge(other)
    sketch = _round_trip(sketch)
    present = np.sort(values[~np.isnan(values)])
    assert sketch.count == present.size
    assert sketch.missing == values.size - present.size
    if present.size == 0:
        assert np.isnan(sketch.quantiles([q])[0])
        return
    answer = sketch.quantiles([q])[0]
    # the answer's rank interval [share below, share at or below] comes within the bound
    below = np.searchsorted(present, answer, side="left") / present.size
    at_or_below = np.searchsorted(present, answer, side="right") / present.size
    slack = sketch.rank_error + 1.0 / present.size
    assert below - slack <= q <= at_or_below + slack


def test_an_exact_sketch_gives_numpys_quantiles():
    values = np.array([4.0, 1.0, np.nan, 3.0, 2.0])
    sketch = QuantileSketch().update(values)
    assert sketch.exact and sketch.rank_error == 0.0
    np.testing.assert_array_equal(
        sketch.quantiles([0.25, 0.5]), np.nanquantile(values, [0.25, 0.5])
    )


def test_sketches_of_other_sizes_do_not_merge():
    with pytest.raises(DataError, match="different settings"):
        QuantileSketch(k=200).merge(QuantileSketch(k=100))
    with pytest.raises(DataError, match="Cannot merge a MomentsState with a Reservoir"):
        merge_states({"x": MomentsState()}, {"x": Reservoir()})


def test_counts_merge_by_addition_and_turn_into_a_sketch_above_the_cap():
    a = CountsState(cap=3).update(["a", "b", "a"], missing=2)
    b = CountsState(cap=3).update({"b": 1, 1: 4})
    merged = a.merge(b)
    assert merged.exact and merged.counts == {"a": 2, "b": 2, 1: 4}
    assert merged.missing == 2 and merged.total == 8
    assert _round_trip(merged).counts == merged.counts
    big = merged.merge(CountsState(cap=3).update(["c", "d"] + ["a"] * 10))
    assert not big.exact and big.error_bound >= 0
    # the frequent values survive with their counts (within the bound) and types
    assert abs(big.counts["a"] - 12) <= big.error_bound and 1 in big.counts
    assert _round_trip(big).counts == big.counts


@settings(max_examples=30, deadline=None)
@given(
    values=st.lists(st.integers(-20, 20).map(float), min_size=0, max_size=80),
    order=st.randoms(use_true_random=False),
    size=st.integers(1, 12),
)
def test_reservoir_is_the_same_whatever_the_order_or_sharding(values, order, size):
    data = np.array(values, dtype=float)
    shuffled = data.copy()
    order.shuffle(shuffled)
    one = Reservoir(size=size, seed=7).update(data)
    halves = np.array_split(shuffled, 3)
    parts = [Reservoir(size=size, seed=7).update(h) for h in halves]
    merged = parts[2].merge(parts[0]).merge(parts[1])
    for state in (merged, _round_trip(merged)):
        np.testing.assert_array_equal(state.values, one.values)
        np.testing.assert_array_equal(state.counts, one.counts)
        assert state.total == one.total
    distinct, counts = np.unique(data, return_counts=True)
    kept = dict(zip(distinct.tolist(), counts.tolist()))
    # every kept value carries its exact count
    assert all(kept[v] == c for v, c in zip(one.values.tolist(), one.counts.tolist()))
    assert one.exact == (distinct.size <= size)


def test_reservoir_sample_is_the_column_while_it_fits():
    data = np.array([3.0, 1.0, 1.0, np.nan, 2.0])
    reservoir = Reservoir().update(data)
    np.testing.assert_array_equal(reservoir.sample(), [1.0, 1.0, 2.0, 3.0])
    assert reservoir.missing == 1


def test_state_documents_are_checked():
    with pytest.raises(PersistenceError, match="Unknown partial-state kind"):
        state_from_dict({"kind": "pickle", "version": 1, "config": {}, "data": {}})
    with pytest.raises(PersistenceError, match="format version 9"):
        state_from_dict({"kind": "moments", "version": 9, "config": {}, "data": {}})
    with pytest.raises(PersistenceError, match="malformed"):
        state_from_dict({"kind": "moments", "version": 1, "config": {}, "data": {}})


def test_without_datasketches_the_error_names_the_extra(monkeypatch):
    import pandas as pd

    from mlprep.exceptions import MissingDependencyError
    from mlprep.impute import Imputer

    monkeypatch.setitem(__import__("sys").modules, "datasketches", None)
    with pytest.raises(
        MissingDependencyError, match=r"pip install 'mlprep-kit\[scale\]'"
    ):
        Imputer(strategy="median").partial_fit(pd.DataFrame({"x": [1.0, 2.0]}))
    # exact in-memory fits and moment-only partial fits need no sketch
    Imputer(strategy="median").fit(pd.DataFrame({"x": [1.0, 2.0]}))
    Imputer(strategy="mean").partial_fit(pd.DataFrame({"x": [1.0, 2.0]}))


def test_states_pickle_through_their_json_form() -> None:
    import copy
    import pickle

    from mlprep.state import DistinctSketch

    states = [
        QuantileSketch().update(np.arange(1_000.0)),
        CountsState().update(["a", "b", "a"], missing=2),
        DistinctSketch().update(["x", "y"]),
        MomentsState.of(np.array([1.0, np.nan, 3.0])),
    ]
    for state in states:
        assert pickle.loads(pickle.dumps(state)) == state
        assert copy.deepcopy(state) == state


def test_distinct_sketch_merges_unions_and_round_trips() -> None:
    from mlprep.state import DistinctSketch

    a = DistinctSketch().update(str(i) for i in range(30_000))
    b = DistinctSketch().update(str(i) for i in range(20_000, 50_000))
    merged = a.merge(b)
    assert merged.estimate == pytest.approx(50_000, rel=3 * merged.relative_error)
    assert state_from_dict(merged.to_dict()).estimate == merged.estimate
    small = DistinctSketch().update([1, 1.0, "1", True])
    assert round(small.estimate) == 3  # 1 and 1.0 are one key; "1" and True differ
    with pytest.raises(DataError, match="different settings"):
        DistinctSketch(lg_k=10).merge(DistinctSketch(lg_k=12))
