"""TargetEncoder's hashed folds: fold_key, out-of-fold fit_transform, mergeable target statistics."""

from __future__ import annotations

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
import polars as pl
import pytest
from sklearn.model_selection import GroupKFold, KFold

import mlprep
from mlprep.encode import TargetEncoder
from mlprep.encode._state import FirstSeen
from mlprep.encode._target_state import TargetStats, hashed_folds, target_batch
from mlprep.exceptions import DataError
from mlprep.state import state_from_dict

N = 300


@pytest.fixture(scope="module")
def data() -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(3)
    cities = np.array(["Paris", "Lyon", "Nice", "Lille", "Metz"], dtype=object)
    codes = rng.integers(0, 5, N)
    X = pd.DataFrame(
        {
            "city": pd.Series(cities[codes], dtype=object),
            "user": rng.integers(0, 60, N),
        }
    )
    X.loc[::23, "city"] = None
    y = codes * 0.5 + rng.normal(0, 1, N)
    return X, y


def _folds(values: pd.Series, cv: int, seed: int) -> np.ndarray:
    return hashed_folds([nw.from_native(values, series_only=True)], cv, seed)


def test_fit_transform_encodes_each_row_without_its_own_fold(data) -> None:
    X, y = data
    encoder = TargetEncoder(fold_key="user", cv=4, smooth=0.0, seed=3, columns="city")
    out = encoder.fit_transform(X, y)["city"].to_numpy()
    folds = _folds(X["user"], 4, 3)
    assert sorted(set(folds.tolist())) == [0, 1, 2, 3]
    city = X["city"].fillna("<missing>").to_numpy()
    for i in range(N):
        others = folds != folds[i]
        same = others & (city == city[i])
        expected = y[same].mean() if same.any() else y[others].mean()
        assert out[i] == pytest.approx(expected, rel=1e-9)
    # the rows of one user share a fold, and in-sample encoding would differ
    for user in np.unique(X["user"]):
        assert len(set(folds[X["user"].to_numpy() == user].tolist())) == 1
    assert not np.allclose(out, encoder.transform(X)["city"].to_numpy())


def test_hashed_folds_do_not_depend_on_row_order_or_backend(data) -> None:
    X, y = data
    encoder = TargetEncoder(fold_key="user", cv=3, seed=1, columns="city")
    out = encoder.fit_transform(X, y)["city"].to_numpy()
    order = np.random.default_rng(0).permutation(N)
    shuffled = encoder.fit_transform(X.iloc[order], y[order])["city"].to_numpy()
    np.testing.assert_allclose(shuffled, out[order], rtol=1e-12)
    polars_out = encoder.fit_transform(pl.from_pandas(X), y)["city"].to_numpy()
    np.testing.assert_allclose(polars_out, out, rtol=1e-12)
    # a key stored as float (a column with gaps) hashes as the same integer
    as_float = _folds(X["user"].astype(float), 3, 1)
    np.testing.assert_array_equal(as_float, _folds(X["user"], 3, 1))
    assert not np.array_equal(_folds(X["user"], 3, 2), _folds(X["user"], 3, 1))


def test_fold_key_fit_keeps_a_mergeable_state_equal_to_the_plain_fit(data) -> None:
    X, y = data
    plain = TargetEncoder(columns="city").fit(X, y)
    keyed = TargetEncoder(fold_key="user", columns="city").fit(X, y)
    assert "partial_state_" not in vars(plain)
    np.testing.assert_allclose(keyed.encodings_["city"], plain.encodings_["city"])
    halves = [
        TargetEncoder(fold_key="user", columns="city").fit(X.iloc[:150], y[:150]),
        TargetEncoder(fold_key="user", columns="city").fit(X.iloc[150:], y[150:]),
    ]
    merged = mlprep.merge(halves)
    np.testing.assert_allclose(merged.encodings_["city"], plain.encodings_["city"])
    assert merged.categories_ == plain.categories_
    continued = halves[0].partial_fit(X.iloc[150:], y[150:])
    np.testing.assert_allclose(continued.encodings_["city"], plain.encodings_["city"])


def test_multiclass_out_of_fold_has_a_column_per_class(data) -> None:
    X, _ = data
    labels = np.array(["a", "b", "c"], dtype=object)[np.arange(N) % 3]
    encoder = TargetEncoder(fold_key="user", cv=3, smooth=0.0, columns="city")
    out = encoder.fit_transform(X, labels)  # unshrunk class shares: they add up to 1
    assert list(out.columns) == ["city_a", "city_b", "city_c", "user"]
    np.testing.assert_allclose(out[["city_a", "city_b", "city_c"]].sum(axis=1), 1.0)


def test_fold_key_and_cv_refusals(data) -> None:
    X, y = data
    with pytest.raises(DataError, match="fold_key='nobody'"):
        TargetEncoder(fold_key="nobody").fit(X, y)
    with pytest.raises(DataError, match="cv must be an int"):
        TargetEncoder(fold_key="user", cv=KFold(3)).fit(X, y)
    with pytest.raises(DataError, match="groups"):
        TargetEncoder(fold_key="user").fit_transform(X, y, groups=X["user"])
    splitter = TargetEncoder(cv=GroupKFold(3), columns="city")
    assert not hasattr(splitter, "partial_fit")
    with pytest.raises(DataError, match="needs cv to be the number of folds"):
        splitter.fit(pl.from_pandas(X.assign(label=y)).lazy(), "label")
    with pytest.raises(DataError, match="every row hashed into fold"):
        TargetEncoder(fold_key="user", cv=2, columns="city").fit_transform(
            X.assign(user=7), y
        )


# ------------------------------------------------------------ target types
def test_a_target_that_turns_continuous_is_continuous(data) -> None:
    X, _ = data
    y = np.arange(N) % 4 * 1.0
    y[200:] += 0.5  # the last batch shows fractions
    whole = TargetEncoder(columns="city").fit(X, y)
    parts = [slice(0, 100), slice(100, 200), slice(200, N)]
    batched = TargetEncoder(columns="city")
    for part in parts:
        batched.partial_fit(X.iloc[part], y[part])
        if part.stop == 200:
            assert batched.target_type_ == "multiclass"
    assert batched.target_type_ == whole.target_type_ == "continuous"
    np.testing.assert_allclose(batched.encodings_["city"], whole.encodings_["city"])
    shards = [TargetEncoder(columns="city").partial_fit(X.iloc[p], y[p]) for p in parts]
    for merged in (mlprep.merge(shards), mlprep.merge(shards[::-1])):
        np.testing.assert_allclose(merged.encodings_["city"], whole.encodings_["city"])


def test_text_labels_and_numbers_do_not_mix(data) -> None:
    X, y = data
    encoder = TargetEncoder(columns="city").partial_fit(
        X.iloc[:10], np.array(["yes", "no"] * 5, dtype=object)
    )
    before = encoder.encodings_
    with pytest.raises(DataError, match="mixes text labels"):
        encoder.partial_fit(X.iloc[10:20], y[10:20])
    assert encoder.encodings_ == before and encoder.classes_ == ["no", "yes"]
    binary = TargetEncoder(target_type="binary", columns="city")
    binary.partial_fit(X.iloc[:10], np.arange(10) % 2)
    with pytest.raises(DataError, match="3 classes"):
        binary.partial_fit(X.iloc[10:20], np.arange(10) % 3)


# ------------------------------------------------------------------ states
def test_target_stats_round_trip_and_merge_forms() -> None:
    codes, keys = np.array([0, 1, -1, 0]), ["a", "b"]
    folds = np.array([0, 1, 1, 0])
    labels = TargetStats(2).add(
        codes, keys, folds, target_batch(np.array([1, 2, 1, 2]), "multiclass")
    )
    moments = TargetStats(2).add(
        codes, keys, folds, target_batch(np.array([0.5, 1.5, 2.5, 3.5]), "continuous")
    )
    for state in (labels, moments):
        assert state_from_dict(state.to_dict()) == state
    both, other = labels.merge(moments), moments.merge(labels)
    assert both.form == other.form == "moments"
    for got, want in zip(both.totals(), other.totals()):
        np.testing.assert_allclose(
            got[both.rows(["a", "b", None])], want[other.rows(["a", "b", None])]
        )
    count, mean, _ = both.totals()
    row = both.rows(["a"])[0]
    assert count[row] == 4 and mean[row] == pytest.approx((1 + 2 + 0.5 + 3.5) / 4)
    count, mean, _ = both.totals(exclude=0)  # fold 1 only: b and the missing key
    assert count[row] == 0 and count[both.rows([None])[0]] == 2


def test_first_seen_keeps_the_earliest_sightings_up_to_its_cap() -> None:
    a = FirstSeen(cap=3).update(["p", "q"]).update(["r", "s", "p"])
    b = FirstSeen(cap=3).update(["s", "t"])
    values = ["p", "q", "r", "s", "t"]
    assert a.order(values) == ["p", "q", "r", "s", "t"]  # s is beyond the cap: last
    # merged: p and s tie at (0, 0), q and t at (0, 1), broken by value; the cap of
    # 3 keeps p, s, q, and r and t follow unranked, by value
    expected = ["p", "s", "q", "r", "t"]
    assert a.merge(b).order(values) == b.merge(a).order(values) == expected
    assert state_from_dict(a.to_dict()) == a
    assert len(a.to_dict()["data"]["ranks"]) == 3
