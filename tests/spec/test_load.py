"""load_spec and build_pipeline on good specs: JSON, YAML and mappings, on real data."""

from __future__ import annotations

import copy
import json

import numpy as np
import pandas as pd
import polars as pl
import pytest
from sklearn.base import clone
from sklearn.datasets import load_diabetes
from sklearn.impute import SimpleImputer
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import RobustScaler as SkRobustScaler
from sklearn.preprocessing import StandardScaler as SkStandardScaler

import mlprep
from mlprep.datasets import load_customers
from mlprep.encode import OneHotEncoder, TargetEncoder
from mlprep.impute import Imputer
from mlprep.scale import RobustScaler, StandardScaler
from mlprep.select import DropColumns
from mlprep.spec import Spec, build_pipeline, load_spec

NUMERIC = [
    "age",
    "annual_income",
    "account_balance",
    "days_since_last_purchase",
    "avg_basket_value",
]

SPEC = {
    "steps": [
        {
            "class": "Imputer",
            "name": "impute",
            "params": {"strategy": "median"},
            "columns": NUMERIC,
        },
        {
            "class": "mlprep.impute.Imputer",
            "name": "impute_city",
            "params": {"strategy": "most_frequent"},
            "columns": ["city"],
        },
        {"class": "OneHotEncoder", "columns": ["city"]},
        {
            "class": "RobustScaler",
            "name": "scale",
            "params": {"quantile_range": [10, 90]},
            "columns": ["annual_income", "account_balance"],
        },
        {"class": "StandardScaler", "columns": ["age", "tenure_months"]},
    ],
    "drop": ["signup_date"],
    "passthrough": ["customer_id"],
    "target": "churned",
}


@pytest.fixture
def customers() -> tuple[pd.DataFrame, pd.Series]:
    frame = load_customers()
    return frame.drop(columns="churned"), frame["churned"]


def _write(path, document) -> None:
    if path.suffix == ".json":
        path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    else:
        yaml = pytest.importorskip("yaml")
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".yml"])
def test_a_file_loads_into_the_same_spec_as_the_mapping(tmp_path, suffix) -> None:
    path = tmp_path / f"spec{suffix}"
    _write(path, SPEC)
    from_file = load_spec(path)
    assert from_file == load_spec(SPEC)
    assert from_file.source == str(path)
    assert load_spec(str(path)) == from_file


def test_the_built_pipeline_fits_and_transforms_the_customers(customers) -> None:
    X, y = customers
    pipeline = build_pipeline(SPEC)
    assert type(pipeline) is Pipeline
    assert [name for name, _ in pipeline.steps] == [
        "drop",
        "impute",
        "impute_city",
        "onehotencoder",
        "scale",
        "standardscaler",
    ]
    drop = pipeline.named_steps["drop"]
    assert isinstance(drop, DropColumns) and drop.columns == ["signup_date"]
    out = pipeline.fit_transform(X, y)
    assert isinstance(out, pd.DataFrame) and len(out) == len(X)
    assert "signup_date" not in out.columns and "city" not in out.columns
    assert {c for c in out.columns if c.startswith("city_")} == {
        f"city_{c}" for c in X["city"].dropna().unique()
    }
    assert not out[NUMERIC].isna().any().any()
    assert out["age"].mean() == pytest.approx(0.0, abs=1e-12)
    # the frame given to fit is untouched
    pd.testing.assert_frame_equal(X, load_customers().drop(columns="churned"))


def test_each_step_is_the_estimator_the_spec_describes() -> None:
    pipeline = build_pipeline(SPEC)
    impute = pipeline.named_steps["impute"]
    assert isinstance(impute, Imputer)
    assert impute.get_params()["strategy"] == "median"
    assert impute.get_params()["columns"] == NUMERIC
    assert isinstance(pipeline.named_steps["onehotencoder"], OneHotEncoder)
    scale = pipeline.named_steps["scale"]
    assert isinstance(scale, RobustScaler)
    assert list(scale.quantile_range) == [10, 90]
    assert isinstance(pipeline.named_steps["standardscaler"], StandardScaler)


@pytest.mark.parametrize("convert", [lambda X: X, pl.from_pandas])
def test_passthrough_columns_come_out_unchanged_and_in_place(
    customers, convert
) -> None:
    X, _ = customers
    spec = {
        "steps": [
            {"class": "Imputer", "params": {"strategy": "median"}, "columns": NUMERIC},
            {"class": "StandardScaler", "columns": NUMERIC},
        ],
        "passthrough": ["customer_id", "tenure_months"],
    }
    data = convert(X)
    out = build_pipeline(spec).fit_transform(data)
    assert type(out) is type(data)
    assert list(out.columns) == list(X.columns)
    for column in spec["passthrough"]:
        assert list(out[column]) == list(X[column])
    # and the steps did change the columns they name
    assert np.allclose(np.asarray(out["age"]).mean(), 0.0)


def test_a_supervised_step_gets_the_target_as_y(customers) -> None:
    X, y = customers
    spec = {
        "steps": [{"class": "TargetEncoder", "params": {"cv": 3}, "columns": ["city"]}],
        "target": "churned",
    }
    pipeline = build_pipeline(spec).fit(X, y)
    encoder = pipeline.named_steps["targetencoder"]
    assert isinstance(encoder, TargetEncoder) and encoder.get_params()["cv"] == 3
    assert pipeline.transform(X)["city"].between(0, 1).all()
    assert load_spec(spec).target == "churned"


def test_equal_to_the_same_pipeline_in_scikit_learn() -> None:
    X = load_diabetes(as_frame=True).data
    ours = build_pipeline(
        {
            "steps": [
                {"class": "Imputer", "params": {"strategy": "median"}},
                {"class": "RobustScaler", "params": {"quantile_range": [10, 90]}},
                {"class": "StandardScaler"},
            ]
        }
    )
    theirs = make_pipeline(
        SimpleImputer(strategy="median"),
        SkRobustScaler(quantile_range=(10, 90)),
        SkStandardScaler(),
    )
    np.testing.assert_allclose(
        ours.fit_transform(X).to_numpy(), theirs.fit_transform(X), rtol=0, atol=1e-10
    )


def test_save_and_load_the_fitted_pipeline(tmp_path, customers) -> None:
    X, y = customers
    pipeline = build_pipeline(SPEC).fit(X, y)
    path = tmp_path / "state.json"
    mlprep.save(pipeline, path)
    loaded = mlprep.load(path)
    assert type(loaded) is Pipeline
    pd.testing.assert_frame_equal(loaded.transform(X), pipeline.transform(X))


def test_clone_gives_an_equal_unfitted_pipeline() -> None:
    pipeline = build_pipeline(SPEC)
    twin = clone(pipeline)
    assert twin.get_params()["scale__quantile_range"] == [10, 90]
    assert twin.get_params()["impute__columns"] == NUMERIC


def test_each_build_makes_new_estimators() -> None:
    spec = load_spec(SPEC)
    first, second = build_pipeline(spec), build_pipeline(spec)
    assert first.named_steps["impute"] is not second.named_steps["impute"]
    first.named_steps["impute"].columns.append("other")
    assert second.named_steps["impute"].columns == NUMERIC
    assert spec.steps[0].arguments["columns"] == NUMERIC


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_round_trip_through_to_dict_and_a_written_file(tmp_path, suffix) -> None:
    spec = load_spec(SPEC)
    assert spec.to_dict() == SPEC
    path = tmp_path / f"again{suffix}"
    _write(path, spec.to_dict())
    again = load_spec(path)
    assert again == spec and again.to_dict() == SPEC
    assert json.loads(json.dumps(spec.to_dict())) == SPEC


def test_to_dict_keeps_exactly_the_keys_written() -> None:
    written = {
        "$schema": "./mlprep-spec.schema.json",
        "steps": [{"class": "StandardScaler", "params": {}}],
        "drop": [],
    }
    spec = load_spec(written)
    assert spec.to_dict() == written
    assert spec.schema == "./mlprep-spec.schema.json"
    assert load_spec({"steps": [{"class": "StandardScaler"}]}).to_dict() == {
        "steps": [{"class": "StandardScaler"}]
    }
    # an empty "drop" adds no step
    assert [name for name, _ in build_pipeline(spec).steps] == ["standardscaler"]


def test_the_callers_mapping_is_neither_changed_nor_shared() -> None:
    written = copy.deepcopy(SPEC)
    spec = load_spec(written)
    assert written == SPEC
    written["steps"][0]["params"]["strategy"] = "mean"
    written["steps"][0]["columns"].append("x")
    assert spec.to_dict() == SPEC
    assert build_pipeline(spec).named_steps["impute"].strategy == "median"


def test_json_lists_become_tuples_only_where_a_tuple_is_needed() -> None:
    spec = load_spec(
        {
            "steps": [
                {"class": "Tokenizer", "params": {"ngram_range": [1, 2]}},
                {"class": "MinMaxScaler", "params": {"feature_range": [-1, 1]}},
            ]
        }
    )
    tokenizer, scaler = (step.estimator() for step in spec.steps)
    assert tokenizer.ngram_range == (1, 2)
    assert scaler.feature_range == [-1, 1]  # lists are valid there: kept as written
    assert spec.to_dict()["steps"][0]["params"] == {"ngram_range": [1, 2]}


def test_python_tuples_in_a_mapping_are_read_as_lists() -> None:
    spec = load_spec(
        {"steps": [{"class": "RobustScaler", "params": {"quantile_range": (5, 95)}}]}
    )
    assert spec.to_dict()["steps"][0]["params"] == {"quantile_range": [5, 95]}


def test_unnamed_steps_are_named_after_their_class() -> None:
    spec = load_spec(
        {
            "steps": [
                {"class": "Imputer"},
                {"class": "StandardScaler"},
                {"class": "Imputer", "params": {"strategy": "median"}},
                {"class": "MaxAbsScaler", "name": "minmaxscaler"},
                {"class": "MinMaxScaler"},
            ],
            "drop": ["x"],
        }
    )
    assert spec.step_names() == [
        "imputer-1",
        "standardscaler",
        "imputer-3",
        "minmaxscaler",
        "minmaxscaler-5",
    ]
    assert [n for n, _ in build_pipeline(spec).steps] == ["drop", *spec.step_names()]


def test_a_step_named_like_the_drop_step_is_fine_without_drop() -> None:
    spec = load_spec(
        {"steps": [{"class": "DropColumns", "name": "drop", "columns": ["x"]}]}
    )
    assert spec.step_names() == ["drop"]


def test_build_pipeline_takes_a_spec_a_path_or_a_mapping(tmp_path) -> None:
    path = tmp_path / "spec.json"
    _write(path, SPEC)
    names = [
        [n for n, _ in build_pipeline(s).steps] for s in (load_spec(SPEC), path, SPEC)
    ]
    assert names[0] == names[1] == names[2]


def test_spec_is_exported_with_its_functions() -> None:
    import mlprep.spec as module

    assert set(module.__all__) == {
        "Spec",
        "SpecError",
        "Step",
        "build_pipeline",
        "load_spec",
        "spec_schema",
    }
    assert isinstance(load_spec(SPEC), Spec)
