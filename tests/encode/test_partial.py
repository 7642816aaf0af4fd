"""Every encoder is mergeable: partial_fit, merge, lazy sources and saved partial state."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.base import clone

import mlprep
from mlprep.encode import (
    BinaryEncoder,
    CountEncoder,
    HashingEncoder,
    OneHotEncoder,
    OrdinalEncoder,
    TargetEncoder,
)
from mlprep.exceptions import DataError
from mlprep.io import scan

N = 240
COLUMNS = ["color", "size", "flag"]
UNSUPERVISED = [
    OneHotEncoder(columns=COLUMNS),
    OneHotEncoder(
        min_frequency=0.08,
        max_categories=4,
        handle_unknown="infrequent",
        drop="if_binary",
        columns=COLUMNS,
    ),
    OneHotEncoder(drop="first", sparse_output=True, columns=["color", "size"]),
    OrdinalEncoder(columns=COLUMNS),
    OrdinalEncoder(order="lexical", columns=COLUMNS),
    OrdinalEncoder(order="frequency", columns=COLUMNS),
    OrdinalEncoder(order={"color": ["red", "green", "blue", "late"]}),
    BinaryEncoder(columns=COLUMNS),
    CountEncoder(columns=COLUMNS),
    CountEncoder(normalize=True, columns=COLUMNS),
    HashingEncoder(n_features=16, columns=["color", "size"]),
]
SUPERVISED = [
    (TargetEncoder(columns=COLUMNS), "continuous"),
    (TargetEncoder(smooth=3.0, columns=COLUMNS), "binary"),
    (TargetEncoder(smooth=0.0, columns=COLUMNS), "multiclass"),
    (TargetEncoder(target_type="continuous", columns=COLUMNS), "integers"),
]
ALL = [(e, None) for e in UNSUPERVISED] + SUPERVISED


@pytest.fixture(scope="module")
def data() -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    rng = np.random.default_rng(5)
    colors = np.array(["red", "green", "blue", "teal", "plum", "gold"], dtype=object)
    codes = rng.choice(6, N, p=[0.3, 0.25, 0.2, 0.1, 0.1, 0.05])
    color = colors[codes]
    color[-40:][rng.random(40) < 0.3] = "late"  # first seen in the last batch
    X = pd.DataFrame(
        {
            "color": pd.Series(color, dtype=object),
            "size": rng.integers(1, 5, N),
            "flag": rng.random(N) < 0.3,
            "note": rng.normal(size=N),
        }
    )
    X.loc[::17, "color"] = None
    targets = {
        "continuous": codes * 0.7 + rng.normal(0, 1, N),
        "binary": (rng.random(N) < 0.2 + codes / 10).astype(np.int64),
        "multiclass": np.array(["lo", "mid", "hi"], dtype=object)[
            (codes + rng.integers(0, 2, N)) % 3
        ],
        "integers": rng.integers(0, 7, N).astype(np.float64),
    }
    return X, targets


def _target(kind: str | None, targets: dict[str, np.ndarray]) -> np.ndarray | None:
    return None if kind is None else targets[kind]


def _fitted(encoder: Any) -> dict[str, Any]:
    return {
        k: v
        for k, v in vars(encoder).items()
        if k.endswith("_") and k != "partial_state_"
    }


def _same(got: Any, expected: Any, where: str = "") -> None:
    """Equal, floats to a relative 1e-9 (state moments round differently)."""
    if isinstance(expected, dict):
        assert sorted(got, key=str) == sorted(expected, key=str), where
        for key in expected:
            _same(got[key], expected[key], f"{where}/{key}")
    elif isinstance(expected, (list, tuple, np.ndarray)) and not isinstance(
        expected, str
    ):
        assert len(got) == len(expected), where
        for i, (a, b) in enumerate(zip(got, expected)):
            _same(a, b, f"{where}[{i}]")
    elif isinstance(expected, float) and not isinstance(got, bool):
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-12), where
    else:
        assert got == expected and type(got) is type(expected), (where, got, expected)


def _same_output(a: Any, b: Any) -> None:
    if hasattr(a, "toarray"):
        a, b = a.toarray(), b.toarray()
        np.testing.assert_allclose(a, b, rtol=1e-9)
        return
    pd.testing.assert_frame_equal(a, b, check_exact=False, rtol=1e-9)


def _by_appearance(encoder: Any) -> bool:
    """Whether the order of the categories depends on first appearance."""
    if isinstance(encoder, OrdinalEncoder):
        return encoder.order in ("appearance", "frequency")
    return isinstance(encoder, (BinaryEncoder, CountEncoder))


def _batches(n: int = N, parts: int = 3) -> list[np.ndarray]:
    return np.array_split(np.arange(n), parts)


def _partial(encoder: Any, X: pd.DataFrame, y: Any, parts: list[np.ndarray]) -> Any:
    fitted = clone(encoder)
    for rows in parts:
        fitted.partial_fit(X.iloc[rows], None if y is None else y[rows])
    return fitted


@pytest.mark.parametrize(("encoder", "kind"), ALL, ids=lambda v: repr(v))
def test_partial_fit_over_batches_equals_fit(encoder, kind, data) -> None:
    X, targets = data
    y = _target(kind, targets)
    whole = clone(encoder).fit(X, y)
    batched = _partial(encoder, X, y, _batches())
    _same(_fitted(batched), _fitted(whole))
    _same_output(batched.transform(X), whole.transform(X))


@pytest.mark.parametrize(("encoder", "kind"), ALL, ids=lambda v: repr(v))
def test_merge_in_any_order_gives_one_result(encoder, kind, data) -> None:
    X, targets = data
    y = _target(kind, targets)
    shards = [_partial(encoder, X, y, [rows]) for rows in _batches(parts=4)]
    forward = mlprep.merge(shards)
    backward = mlprep.merge([shards[2], shards[0], shards[3], shards[1]])
    _same(_fitted(backward), _fitted(forward))
    _same_output(backward.transform(X), forward.transform(X))
    if not _by_appearance(encoder):  # merged shards equal the whole fit
        _same(_fitted(forward), _fitted(clone(encoder).fit(X, y)))
    else:  # the same categories and counts, interleaved by the documented rule
        whole = clone(encoder).fit(X, y)
        for column in whole.categories_:
            pairs = dict(zip(forward.categories_[column], forward.counts_[column]))
            assert pairs == dict(zip(whole.categories_[column], whole.counts_[column]))


def test_merged_shards_interleave_new_categories_by_batch_then_position() -> None:
    a = OrdinalEncoder().partial_fit(pd.DataFrame({"c": ["x", "y"]}))
    a.partial_fit(pd.DataFrame({"c": ["z"]}))
    b = OrdinalEncoder().partial_fit(pd.DataFrame({"c": ["w", "x"]}))
    # batch 0: x (a, position 0) and w (b, position 0) tie, broken by value; then y
    expected = ["w", "x", "y", "z"]
    assert mlprep.merge([a, b]).categories_["c"] == expected
    assert mlprep.merge([b, a]).categories_["c"] == expected
    # one estimator's batches in sequence keep first appearance exactly
    assert a.categories_["c"] == ["x", "y", "z"]


@pytest.mark.parametrize(("encoder", "kind"), ALL, ids=lambda v: repr(v))
def test_lazy_sources_fit_as_the_in_memory_data(encoder, kind, data, tmp_path) -> None:
    X, targets = data
    y = _target(kind, targets)
    whole = clone(encoder).fit(X, y)
    frame = X.assign(label=y) if y is not None else X
    path = tmp_path / "data.parquet"
    frame.to_parquet(path, index=False)
    label = None if y is None else "label"
    for source in (pl.scan_parquet(path), scan(str(path))):
        lazy = clone(encoder).fit(source, label)
        _same(_fitted(lazy), _fitted(whole))
        _same_output(lazy.transform(X), whole.transform(X))


@pytest.mark.parametrize(("encoder", "kind"), ALL, ids=lambda v: repr(v))
def test_saved_partial_state_continues(encoder, kind, data, tmp_path) -> None:
    X, targets = data
    y = _target(kind, targets)
    first, *rest = _batches()
    partial = _partial(encoder, X, y, [first])
    path = tmp_path / "partial.json"
    mlprep.save(partial, path)
    loaded = mlprep.load(path)
    assert loaded.partial_state_ == partial.partial_state_
    for rows in rest:
        loaded.partial_fit(X.iloc[rows], None if y is None else y[rows])
    _same(_fitted(loaded), _fitted(clone(encoder).fit(X, y)))


shard_values = st.lists(
    st.lists(st.sampled_from(["a", "b", "c", "d", None]), min_size=1, max_size=12),
    min_size=1,
    max_size=5,
)


@given(shards=shard_values, order=st.randoms(use_true_random=False))
def test_merge_is_order_independent_property(shards, order) -> None:
    for encoder in (CountEncoder(), OneHotEncoder(), OrdinalEncoder(order="frequency")):
        parts = [
            clone(encoder).partial_fit(pd.DataFrame({"c": pd.Series(v, dtype=object)}))
            for v in shards
        ]
        shuffled = list(parts)
        order.shuffle(shuffled)
        merged, again = mlprep.merge(parts), mlprep.merge(shuffled)
        assert merged.categories_ == again.categories_
        assert merged.counts_ == again.counts_
        values = [v for shard in shards for v in shard]
        present = [v for v in values if v is not None]
        table = {v: present.count(v) for v in present}
        if len(present) < len(values):
            table[None] = len(values) - len(present)
        assert dict(zip(merged.categories_["c"], merged.counts_["c"])) == table


# ---------------------------------------------------------------- refusals
def test_partial_fit_after_the_in_memory_fit_is_refused(data) -> None:
    X, _ = data
    encoder = OneHotEncoder(columns=COLUMNS).fit(X)
    with pytest.raises(DataError, match="keeps no partial state"):
        encoder.partial_fit(X)
    with pytest.raises(DataError, match="no partial state"):
        mlprep.merge([encoder, OneHotEncoder(columns=COLUMNS).partial_fit(X)])


def test_a_refused_batch_leaves_the_state_as_it_was() -> None:
    encoder = OrdinalEncoder(order={"c": ["a", "b"]}, handle_unknown="error")
    encoder.partial_fit(pd.DataFrame({"c": ["a", "b", "a"]}))
    with pytest.raises(DataError, match="does not list"):
        encoder.partial_fit(pd.DataFrame({"c": ["a", "zz"]}))
    assert encoder.counts_ == {"c": [2, 1]}
    encoder.partial_fit(pd.DataFrame({"c": ["b"]}))
    assert encoder.counts_ == {"c": [2, 2]}
    strict = OneHotEncoder(handle_missing="error").partial_fit(
        pd.DataFrame({"c": ["a"], "d": ["x"]})
    )
    with pytest.raises(DataError, match="handle_missing='error'"):
        strict.partial_fit(pd.DataFrame({"c": ["b"], "d": [None]}))
    assert strict.categories_ == {"c": ["a"], "d": ["x"]}


def test_hashing_encoder_learns_only_its_columns(data) -> None:
    X, _ = data
    encoder = HashingEncoder(n_features=8, columns=["color"])
    assert encoder.partial_fit(X.iloc[:10]).partial_state_ == {}
    assert encoder.fit(X).partial_state_ == {}  # fit keeps the same empty state
    encoder.partial_fit(X.iloc[10:])  # so it can go on
    with pytest.raises(DataError, match="handle_missing='error'"):
        HashingEncoder(n_features=8, handle_missing="error", columns=["color"]).fit(
            pl.from_pandas(X).lazy()
        )
    with pytest.raises(DataError, match="dense output"):
        HashingEncoder(n_features=2**17, columns=["color"]).partial_fit(X)
