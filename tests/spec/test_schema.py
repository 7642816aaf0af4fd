"""spec_schema: a draft 2020-12 JSON Schema generated from the registry."""

from __future__ import annotations

import json

import pytest

from mlprep.core._registry import registered
from mlprep.core.base import MlprepTransformer
from mlprep.spec import load_spec, spec_schema

GOOD = [
    {"steps": [{"class": "Imputer"}]},
    {
        "$schema": "./spec.schema.json",
        "steps": [
            {
                "class": "Imputer",
                "name": "impute",
                "params": {"strategy": "median", "add_indicator": True},
                "columns": ["age", "income"],
            },
            {
                "class": "mlprep.scale.RobustScaler",
                "params": {"quantile_range": [10, 90]},
                "columns": ["income"],
            },
            {
                "class": "LogTransformer",
                "params": {"base": 10, "offset": 1.0},
                "columns": ["income"],
            },
            {
                "class": "Binner",
                "params": {"n_bins": 4, "strategy": "quantile"},
                "columns": ["age"],
            },
            {
                "class": "OneHotEncoder",
                "params": {"min_frequency": None, "columns": ["city"]},
            },
            {
                "class": "Tokenizer",
                "params": {"ngram_range": [1, 2]},
                "columns": ["notes_text"],
            },
        ],
        "drop": ["notes"],
        "passthrough": ["id"],
        "target": "label",
    },
]

BAD = {
    "no-steps": {"drop": ["a"]},
    "empty-steps": {"steps": []},
    "unknown-top-level-key": {"steps": [{"class": "Imputer"}], "step": []},
    "unknown-class": {"steps": [{"class": "Imputr"}]},
    "resampler": {"steps": [{"class": "OutlierRemover"}]},
    "unknown-parameter": {
        "steps": [{"class": "RobustScaler", "params": {"quantile": 1}}]
    },
    "option-not-in-enum": {
        "steps": [{"class": "Imputer", "params": {"strategy": "mode"}}]
    },
    "boolean-as-string": {
        "steps": [{"class": "StandardScaler", "params": {"with_mean": "yes"}}]
    },
    "integer-below-bound": {"steps": [{"class": "Binner", "params": {"n_bins": 0}}]},
    "float-for-integer": {"steps": [{"class": "Binner", "params": {"n_bins": 2.5}}]},
    "columns-twice": {
        "steps": [{"class": "Imputer", "columns": ["a"], "params": {"columns": ["b"]}}]
    },
    "empty-columns": {"steps": [{"class": "Imputer", "columns": []}]},
    "unknown-step-key": {"steps": [{"class": "Imputer", "klass": "x"}]},
    "name-with-double-underscore": {"steps": [{"class": "Imputer", "name": "a__b"}]},
    "target-not-a-string": {"steps": [{"class": "Imputer"}], "target": 3},
}


@pytest.fixture(scope="module")
def schema() -> dict:
    return spec_schema()


def test_a_json_document(schema) -> None:
    assert json.loads(json.dumps(schema)) == schema


def test_draft_2020_12_with_one_branch_per_transformer(schema) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    transformers = sorted(
        name
        for name, cls in registered().items()
        if name.startswith("mlprep.") and issubclass(cls, MlprepTransformer)
    )
    assert sorted(schema["$defs"]) == transformers
    branches = schema["properties"]["steps"]["items"]["oneOf"]
    assert [b["$ref"] for b in branches] == [f"#/$defs/{n}" for n in transformers]
    assert "mlprep.outliers.OutlierRemover" not in schema["$defs"]
    assert schema["required"] == ["steps"]
    assert schema["additionalProperties"] is False


def test_each_class_is_told_apart_by_its_names(schema) -> None:
    for full, branch in schema["$defs"].items():
        assert branch["properties"]["class"] == {"enum": [full.rsplit(".", 1)[1], full]}
        assert branch["required"] == ["class"]
        assert branch["additionalProperties"] is False
        assert branch["properties"]["params"]["additionalProperties"] is False


def test_parameters_come_from_the_constructor(schema) -> None:
    import inspect

    for full, cls in registered().items():
        if full in schema["$defs"]:
            params = schema["$defs"][full]["properties"]["params"]["properties"]
            assert list(params) == list(inspect.signature(cls).parameters)


def _param(schema, full, name) -> dict:
    return schema["$defs"][full]["properties"]["params"]["properties"][name]


def test_constraints_become_types_and_enums(schema) -> None:
    strategy = _param(schema, "mlprep.impute.Imputer", "strategy")
    assert strategy["enum"] == [
        "mean",
        "median",
        "most_frequent",
        "constant",
        "knn",
        "iterative",
    ]
    assert strategy["default"] == "mean"
    assert _param(schema, "mlprep.impute.Imputer", "add_indicator")["type"] == "boolean"
    n_bins = _param(schema, "mlprep.scale.Binner", "n_bins")
    assert n_bins["type"] == "integer" and n_bins["minimum"] == 2
    assert _param(schema, "mlprep.scale.LogTransformer", "base")["enum"] == ["e", 2, 10]
    k = _param(schema, "mlprep.outliers.OutlierHandler", "k")
    assert {"type": "null"} in k["anyOf"]
    assert {"type": "number", "exclusiveMinimum": 0} in k["anyOf"]
    # a constraint only a function can judge leaves the value open, described
    quantile_range = _param(schema, "mlprep.scale.RobustScaler", "quantile_range")
    assert set(quantile_range) == {"description", "default"}
    assert quantile_range["default"] == [25.0, 75.0]
    assert "q_min" in quantile_range["description"]


@pytest.mark.parametrize("spec", GOOD)
def test_the_good_specs_load(spec) -> None:
    load_spec(spec)


@pytest.mark.parametrize("spec", BAD.values(), ids=list(BAD))
def test_the_bad_specs_do_not_load(spec) -> None:
    with pytest.raises(ValueError):
        load_spec(spec)


@pytest.fixture(scope="module")
def validator(schema):
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("spec", GOOD)
def test_jsonschema_accepts_the_good_specs(validator, spec) -> None:
    validator.validate(spec)


@pytest.mark.parametrize("spec", BAD.values(), ids=list(BAD))
def test_jsonschema_rejects_the_bad_specs(validator, spec) -> None:
    assert not validator.is_valid(spec)
