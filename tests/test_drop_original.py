"""``drop_original`` on every step that derives columns, and encoders refusing identifiers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.pipeline import make_pipeline

import mlprep
from mlprep.datasets import load_customers
from mlprep.encode import (
    BinaryEncoder,
    CountEncoder,
    HashingEncoder,
    OneHotEncoder,
    OrdinalEncoder,
    TargetEncoder,
)
from mlprep.exceptions import DataError, InvalidParameterError
from mlprep.timeseries import (
    DatetimeFeatures,
    DiffFeatures,
    ExpandingFeatures,
    LagFeatures,
    RollingFeatures,
)

N = 60


def _categorical() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame(
        {
            "city": rng.choice(["Lyon", "Oslo", "Pune"], N),
            "x": rng.normal(size=N),
            "plan": rng.choice(["free", "pro"], N),
        }
    )


def _panel() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    return pd.DataFrame(
        {
            "store": np.repeat(["a", "b"], N // 2),
            "day": np.tile(pd.date_range("2024-01-01", periods=N // 2), 2),
            "sales": rng.normal(100.0, 5.0, N),
            "price": rng.normal(3.0, 0.1, N),
        }
    )


KEYS = {"time_column": "day", "group_columns": "store"}
TARGET = np.random.default_rng(2).integers(0, 2, N)

# (factory, data, source columns); every step that derives new columns
DERIVING = [
    (lambda **k: OneHotEncoder(**k), _categorical, ["city", "plan"]),
    (lambda **k: OrdinalEncoder(**k), _categorical, ["city", "plan"]),
    (lambda **k: BinaryEncoder(**k), _categorical, ["city", "plan"]),
    (lambda **k: CountEncoder(**k), _categorical, ["city", "plan"]),
    (lambda **k: TargetEncoder(seed=0, **k), _categorical, ["city", "plan"]),
    (lambda **k: HashingEncoder(n_features=4, **k), _categorical, ["city", "plan"]),
    (
        lambda **k: DatetimeFeatures(features=("month", "day_of_week"), **k),
        _panel,
        ["day"],
    ),
    (lambda **k: LagFeatures(lags=(1, 2), **KEYS, **k), _panel, ["sales", "price"]),
    (
        lambda **k: RollingFeatures(windows=(3,), **KEYS, **k),
        _panel,
        ["sales", "price"],
    ),
    (lambda **k: ExpandingFeatures(**KEYS, **k), _panel, ["sales", "price"]),
    (lambda **k: DiffFeatures(**KEYS, **k), _panel, ["sales", "price"]),
]
IDS = [
    "OneHotEncoder",
    "OrdinalEncoder",
    "BinaryEncoder",
    "CountEncoder",
    "TargetEncoder",
    "HashingEncoder",
    "DatetimeFeatures",
    "LagFeatures",
    "RollingFeatures",
    "ExpandingFeatures",
    "DiffFeatures",
]


def _fit_transform(step, X):
    y = TARGET if "Target" in type(step).__name__ else None
    return step.fit_transform(X, y), step


@pytest.mark.parametrize(("make", "data", "sources"), DERIVING, ids=IDS)
def test_the_default_drops_the_sources(make, data, sources):
    X = data()
    assert make().get_params()["drop_original"] is True
    out, step = _fit_transform(make(), X)
    assert out.columns.tolist() == step.get_feature_names_out().tolist()
    others = [c for c in X.columns if c not in sources]
    assert [c for c in out.columns if c in others] == others
    for source in sources:  # gone, or replaced by its code under its own name
        assert source not in out.columns or not out[source].equals(X[source])


@pytest.mark.parametrize(("make", "data", "sources"), DERIVING, ids=IDS)
def test_keeping_the_sources_changes_nothing_else(make, data, sources):
    X = data()
    before = X.copy()
    dropped, _ = _fit_transform(make(), X)
    kept, step = _fit_transform(make(drop_original=False), X)
    pd.testing.assert_frame_equal(X, before)  # the caller's frame is untouched
    assert kept.columns.tolist() == step.get_feature_names_out().tolist()
    # every input column is there, in its order, with its values
    assert [c for c in kept.columns if c in X.columns] == X.columns.tolist()
    pd.testing.assert_frame_equal(kept[X.columns.tolist()], X)
    # and the derived columns hold the same values, in the same order
    others = [c for c in X.columns if c not in sources]
    derived_dropped = [c for c in dropped.columns if c not in others]
    derived_kept = [c for c in kept.columns if c not in X.columns]
    assert len(derived_kept) == len(derived_dropped) > 0
    np.testing.assert_array_equal(
        kept[derived_kept].to_numpy(dtype=float),
        dropped[derived_dropped].to_numpy(dtype=float),
    )


@pytest.mark.parametrize(
    ("encoder", "suffix"),
    [
        (OrdinalEncoder, "ordinal"),
        (CountEncoder, "count"),
        (TargetEncoder, "target"),
    ],
)
def test_single_column_encoders_name_the_kept_copy(encoder, suffix):
    X = _categorical()
    step = encoder(columns=["city"], drop_original=False)
    out = step.fit_transform(X, TARGET)
    assert out.columns.tolist() == ["city", f"city_{suffix}", "x", "plan"]
    with pytest.raises(DataError, match=f"city_{suffix}"):
        encoder(columns=["city"], drop_original=False).fit(
            X.assign(**{f"city_{suffix}": 1.0}), TARGET
        )


def test_one_hot_keeps_the_source_before_its_indicators():
    X = _categorical()
    out = OneHotEncoder(columns="city", drop_original=False).fit_transform(X)
    assert out.columns.tolist() == [
        "city",
        "city_Lyon",
        "city_Oslo",
        "city_Pune",
        "x",
        "plan",
    ]


@pytest.mark.parametrize(
    "encoder", [OneHotEncoder(sparse_output=True), HashingEncoder(sparse_output=True)]
)
def test_a_sparse_matrix_cannot_keep_string_sources(encoder):
    encoder.set_params(drop_original=False, columns=["city"])
    with pytest.raises(InvalidParameterError, match="drop_original=True"):
        encoder.fit(_categorical()[["city"]])


def test_polars_and_lazy_frames_follow_the_same_names():
    X = pl.from_pandas(_categorical())
    step = OneHotEncoder(drop_original=False).fit(X)
    eager = step.transform(X)
    lazy = step.transform(X.lazy()).collect()
    assert eager.columns == lazy.columns == step.get_feature_names_out().tolist()
    assert eager.equals(lazy)


def test_the_setting_survives_save_and_load(tmp_path):
    X = _panel()
    step = LagFeatures(lags=(1,), drop_original=False, **KEYS).fit(X)
    mlprep.save(step, tmp_path / "lags.json")
    loaded = mlprep.load(tmp_path / "lags.json")
    assert loaded.drop_original is False
    pd.testing.assert_frame_equal(loaded.transform(X), step.transform(X))


def test_a_later_step_missing_its_column_is_told_why():
    X = _panel()
    chained = make_pipeline(
        LagFeatures(columns="sales", lags=(1,), **KEYS),
        RollingFeatures(columns="sales", windows=(3,), **KEYS),
    )
    with pytest.raises(DataError, match="drop_original=False"):
        chained.fit(X)
    chained.steps[0][1].set_params(drop_original=False)
    out = chained.fit_transform(X)
    assert "sales" not in out.columns  # the last step reads it, then drops it
    assert {"sales_lag_1", "sales_roll_3_mean"} <= set(out.columns)


@settings(max_examples=30, deadline=None)
@given(
    order=st.permutations(["city", "x", "plan"]),
    keep=st.booleans(),
    chosen=st.sampled_from([None, ["city"], ["plan"], ["plan", "city"]]),
)
def test_names_follow_any_column_order(order, keep, chosen):
    X = _categorical()[list(order)]
    step = OneHotEncoder(columns=chosen, drop_original=not keep)
    out = step.fit_transform(X)
    sources = chosen or ["city", "plan"]
    names = out.columns.tolist()
    assert names == step.get_feature_names_out().tolist()
    assert [c for c in names if c in X.columns] == [
        c for c in order if keep or c not in sources
    ]
    for source in sources:
        block = [i for i, c in enumerate(names) if c.startswith(f"{source}_")]
        assert block == list(range(block[0], block[0] + len(block)))  # contiguous
        assert len(block) == X[source].nunique()
        if keep:
            assert names.index(source) == block[0] - 1  # the source, then its block


# ------------------------------------------------------------- identifiers
ENCODERS = [
    OneHotEncoder,
    OrdinalEncoder,
    BinaryEncoder,
    CountEncoder,
    TargetEncoder,
]


@pytest.mark.parametrize("encoder", ENCODERS)
def test_encoders_refuse_an_unnamed_identifier(encoder):
    customers = load_customers()
    y = customers["churned"].to_numpy()
    with pytest.raises(
        DataError, match=r"'customer_id' has 500 distinct values in 500"
    ):
        encoder().fit(customers, y)
    # named columns are encoded as asked, the identifier too
    named = encoder(columns=["city", "customer_id"]).fit(customers, y)
    assert named.columns_ == ["customer_id", "city"]  # in the frame's order


def test_one_hot_accepts_an_identifier_when_categories_are_capped():
    customers = load_customers()
    assert OneHotEncoder(max_categories=5).fit(customers).columns_[:1] == [
        "customer_id"
    ]
    with pytest.raises(DataError, match="max_categories="):
        OneHotEncoder().fit(customers)
    with pytest.raises(DataError) as caught:
        CountEncoder().fit(customers)
    assert "max_categories" not in str(caught.value)  # CountEncoder has none


def test_the_identifier_rule_spares_small_frames_arrays_and_categories():
    ids = [f"id{i}" for i in range(N)]
    OneHotEncoder().fit(pd.DataFrame({"id": ids[:49]}))  # fewer than 50 rows
    OrdinalEncoder().fit(np.array(ids, dtype=object).reshape(-1, 1))  # no names
    # 54 distinct among 60 (90 %) is an identifier, 53 is not
    refused = pd.DataFrame({"id": ids[:54] + ids[:6]})
    with pytest.raises(DataError, match="54 distinct values in 60 rows"):
        OrdinalEncoder().fit(refused)
    OrdinalEncoder().fit(pd.DataFrame({"id": ids[:53] + ids[:7]}))
    # missing values are not rows of the identifier
    sparse = pd.DataFrame({"id": ids[:50] + [None] * 50})
    with pytest.raises(DataError, match="50 distinct values in 50 rows"):
        OrdinalEncoder().fit(sparse)


def test_batches_and_lazy_sources_refuse_identifiers_too():
    customers = pl.from_pandas(load_customers())
    encoder = OrdinalEncoder()
    encoder.partial_fit(customers[:40])  # too few rows to tell
    with pytest.raises(DataError, match="'customer_id'"):
        encoder.partial_fit(customers[100:])
    with pytest.raises(DataError, match="'customer_id'"):
        OrdinalEncoder().fit(customers.lazy())


def test_ordinal_inverse_reads_the_code_columns_when_sources_are_kept():
    X = _categorical()
    step = OrdinalEncoder(drop_original=False).fit(X)
    restored = step.inverse_transform(step.transform(X))
    pd.testing.assert_frame_equal(restored, X)
    with pytest.raises(
        DataError, match=r"\['city_ordinal', 'plan_ordinal'\] that transform"
    ):
        step.inverse_transform(X)
