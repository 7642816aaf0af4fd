"""Every spec problem is one SpecError whose message names the file, the step and the fix."""

from __future__ import annotations

import json
import re
import sys

import pytest

from mlprep.exceptions import InvalidParameterError, MissingDependencyError, MlprepError
from mlprep.spec import SpecError, _resolve, _schema, load_spec

IMPUTE = {"class": "Imputer", "name": "impute", "params": {"strategy": "median"}}


def _steps(*steps, **top):
    return {"steps": [IMPUTE, *steps], **top}


CASES = [
    pytest.param(
        _steps(
            {"class": "RobustScaler", "name": "scale", "params": {"quantile": [5, 95]}}
        ),
        "spec, step 2 (\"scale\", RobustScaler): unknown parameter 'quantile'; "
        "did you mean 'quantile_range'?",
        id="unknown-parameter",
    ),
    pytest.param(
        _steps({"class": "StandardScaler", "params": {"zzz": 1}}),
        "spec, step 2 (StandardScaler): unknown parameter 'zzz'; the parameters of "
        "StandardScaler are with_mean, with_std, columns",
        id="unknown-parameter-no-close-match",
    ),
    pytest.param(
        _steps({"class": "RobustScalar", "name": "scale"}),
        "spec, step 2 (\"scale\"): unknown class 'RobustScalar'; did you mean "
        "'RobustScaler'",
        id="unknown-class",
    ),
    pytest.param(
        _steps({"class": "mlprep.scale.StandardScalar"}),
        "spec, step 2: unknown class 'mlprep.scale.StandardScalar'; did you mean "
        "'mlprep.scale.StandardScaler'",
        id="unknown-full-name",
    ),
    pytest.param(
        _steps({"class": "Zzzz"}),
        "spec, step 2: unknown class 'Zzzz'; the classes are Baseline, BinaryEncoder, Binner, ",
        id="unknown-class-no-close-match",
    ),
    pytest.param(
        _steps({"class": "os.system"}),
        "spec, step 2: unknown class 'os.system'",
        id="never-imported",
    ),
    pytest.param(
        _steps({"class": "OutlierRemover"}),
        "spec, step 2: 'OutlierRemover' is a resampler (fit_resample drops rows), "
        "not a transformer",
        id="resampler",
    ),
    pytest.param(
        _steps({"class": "RandomSplitter"}),
        "spec, step 2: 'RandomSplitter' is not an mlprep transformer",
        id="splitter",
    ),
    pytest.param(
        _steps({"class": "sklearn.pipeline.Pipeline"}),
        "spec, step 2: 'sklearn.pipeline.Pipeline' is not an mlprep transformer",
        id="sklearn-composite",
    ),
    pytest.param(
        _steps({"class": "Imputer", "name": "fill", "params": {"strategy": "medain"}}),
        "spec, step 2 (\"fill\", Imputer): The 'strategy' parameter of Imputer must "
        "be one of 'mean', ",
        id="invalid-value",
    ),
    pytest.param(
        _steps({"class": "Binner", "params": {"n_bins": 0}}),
        "spec, step 2 (Binner): The 'n_bins' parameter of Binner must be",
        id="out-of-range",
    ),
    pytest.param(
        _steps({"class": "DropColumns"}),
        "spec, step 2 (DropColumns): The 'columns' parameter of DropColumns must be",
        id="required-columns",
    ),
    pytest.param(
        _steps(
            {"class": "StandardScaler", "columns": ["a"], "params": {"columns": ["b"]}}
        ),
        'spec, step 2 (StandardScaler): "columns" is given both on the step and in '
        '"params"; keep one',
        id="columns-twice",
    ),
    pytest.param(
        _steps({"class": "StandardScaler", "columns": []}),
        'spec, step 2 (StandardScaler): "columns" must be a non-empty list of column '
        "names; got []",
        id="empty-columns",
    ),
    pytest.param(
        _steps({"class": "StandardScaler", "columns": "age"}),
        'spec, step 2 (StandardScaler): "columns" must be a non-empty list',
        id="columns-not-a-list",
    ),
    pytest.param(
        _steps({"class": "StandardScaler", "columns": ["age", "age"]}),
        "spec, step 2 (StandardScaler): \"columns\" names 'age' twice",
        id="columns-repeated",
    ),
    pytest.param(
        _steps({"class": "StandardScaler", "params": ["with_mean"]}),
        'spec, step 2 (StandardScaler): "params" must be an object; got a list',
        id="params-not-an-object",
    ),
    pytest.param(
        _steps({"klass": "StandardScaler"}),
        "spec, step 2: unknown key 'klass'; did you mean 'class'?",
        id="unknown-step-key",
    ),
    pytest.param(
        _steps({"name": "scale"}),
        'spec, step 2 ("scale"): a step needs "class"',
        id="missing-class",
    ),
    pytest.param(
        _steps("StandardScaler"),
        'spec, step 2: a step is an object with a "class"; got a string',
        id="step-not-an-object",
    ),
    pytest.param(
        _steps({"class": "StandardScaler", "name": ""}),
        'spec, step 2: "name" must be a non-empty string',
        id="empty-name",
    ),
    pytest.param(
        _steps({"class": "StandardScaler", "name": "a__b"}),
        'spec, step 2 ("a__b"): a step name may not contain "__"',
        id="name-with-double-underscore",
    ),
    pytest.param(
        _steps({"class": "StandardScaler", "name": "memory"}),
        "spec, step 2 (\"memory\"): 'memory' is a parameter of scikit-learn's Pipeline",
        id="name-of-a-pipeline-parameter",
    ),
    pytest.param(
        _steps({"class": "StandardScaler", "name": "impute"}),
        'spec, step 2 ("impute", StandardScaler): the pipeline already has a step '
        "named 'impute'; give this step another \"name\"",
        id="duplicate-name",
    ),
    pytest.param(
        _steps({"class": "StandardScaler", "name": "drop"}, drop=["notes"]),
        'spec, step 2 ("drop", StandardScaler): the pipeline already has a step '
        "named 'drop'",
        id="name-of-the-drop-step",
    ),
    pytest.param(
        {
            "steps": [{"class": "StandardScaler", "columns": ["id"]}],
            "passthrough": ["id"],
        },
        "spec, step 1 (StandardScaler): column 'id' is passed through untouched; a "
        "step may not name it",
        id="step-names-passthrough",
    ),
    pytest.param(
        _steps(
            {"class": "StandardScaler", "params": {"columns": "notes"}}, drop=["notes"]
        ),
        "spec, step 2 (StandardScaler): column 'notes' is dropped before the steps",
        id="step-names-dropped",
    ),
    pytest.param(
        _steps({"class": "StandardScaler", "columns": ["label"]}, target="label"),
        "spec, step 2 (StandardScaler): column 'label' is the target",
        id="step-names-target",
    ),
    pytest.param(
        {
            "steps": [{"class": "StandardScaler", "name": "scale"}],
            "passthrough": ["id"],
        },
        'spec, step 1 ("scale", StandardScaler): give the step "columns": with '
        '"passthrough" set',
        id="passthrough-needs-columns",
    ),
    pytest.param(
        _steps(drop=["id"], passthrough=["id"]),
        "spec: column 'id' is both dropped before the steps and passed through "
        "untouched; give it one role",
        id="dropped-and-passed-through",
    ),
    pytest.param(
        _steps(passthrough=["label"], target="label"),
        "spec: column 'label' is both passed through untouched and the target",
        id="passthrough-and-target",
    ),
    pytest.param(
        _steps(drop="notes"),
        "spec: \"drop\" must be a list of column names; got 'notes'",
        id="drop-not-a-list",
    ),
    pytest.param(
        _steps(passthrough=["id", "id"]),
        "spec: \"passthrough\" names 'id' twice",
        id="passthrough-repeated",
    ),
    pytest.param(
        _steps(target=["label"]),
        "spec: \"target\" must be a column name; got ['label']",
        id="target-not-a-string",
    ),
    pytest.param(
        _steps(**{"$schema": 3}),
        'spec: "$schema" must be a string; got 3',
        id="schema-not-a-string",
    ),
    pytest.param(
        {"step": [IMPUTE]},
        "spec: unknown key 'step'; did you mean 'steps'?",
        id="unknown-top-level-key",
    ),
    pytest.param(
        {"steps": []},
        'spec: a spec needs "steps", a non-empty list of steps',
        id="no-steps",
    ),
    pytest.param(
        {"steps": [{"class": "Imputer", "params": {"fill_value": b"x"}}]},
        "spec: steps[0].params.fill_value is b'x', a bytes; a spec holds "
        "JSON values only",
        id="not-a-json-value",
    ),
    pytest.param(
        {"steps": [{"class": "OrdinalEncoder", "params": {"order": {1: ["a"]}}}]},
        "spec: steps[0].params.order has the key 1; keys must be strings",
        id="non-string-key",
    ),
]


@pytest.mark.parametrize(("spec", "message"), CASES)
def test_each_problem_names_the_step_and_the_fix(spec, message) -> None:
    with pytest.raises(SpecError) as caught:
        load_spec(spec)
    assert str(caught.value).startswith(message)


def test_a_spec_error_is_an_invalid_parameter_error() -> None:
    assert issubclass(SpecError, InvalidParameterError)
    assert issubclass(SpecError, MlprepError)
    assert issubclass(SpecError, ValueError)


def test_a_top_level_list_is_refused(tmp_path) -> None:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps([IMPUTE]))
    with pytest.raises(
        SpecError,
        match=re.escape(f'{path}: a spec is an object with a "steps" list; got a list'),
    ):
        load_spec(path)


def test_a_file_error_starts_with_the_path(tmp_path) -> None:
    path = tmp_path / "spec.json"
    path.write_text(
        json.dumps(
            _steps(
                {"class": "RobustScaler", "name": "scale", "params": {"quantile": 1}}
            )
        )
    )
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    assert str(caught.value).startswith(
        f"{path}, step 2 (\"scale\", RobustScaler): unknown parameter 'quantile'; "
        "did you mean 'quantile_range'?"
    )


def test_malformed_json_gives_line_and_column(tmp_path) -> None:
    path = tmp_path / "spec.json"
    path.write_text('{\n  "steps": [\n    {"class": "Imputer",}\n  ]\n}\n')
    with pytest.raises(
        SpecError, match=re.escape(f"{path}: invalid JSON at line 3, column 25: ")
    ):
        load_spec(path)


def test_a_repeated_json_key_is_refused(tmp_path) -> None:
    path = tmp_path / "spec.json"
    path.write_text(
        '{"steps": [{"class": "Imputer", "params": {}, "params": {"strategy": "median"}}]}'
    )
    with pytest.raises(
        SpecError,
        match=re.escape(
            f"{path}: the key 'params' appears twice in one object; keep one"
        ),
    ):
        load_spec(path)


def test_malformed_yaml_gives_line_and_column(tmp_path) -> None:
    pytest.importorskip("yaml")
    path = tmp_path / "spec.yaml"
    path.write_text("steps:\n  - class: Imputer\n    params: {strategy: median\n")
    with pytest.raises(
        SpecError, match=re.escape(f"{path}: invalid YAML at line 4, column 1: ")
    ):
        load_spec(path)


def test_a_yaml_date_is_not_a_json_value(tmp_path) -> None:
    pytest.importorskip("yaml")
    path = tmp_path / "spec.yml"
    path.write_text(
        "steps:\n  - class: Imputer\n    params: {strategy: constant, fill_value: 2024-01-31}\n"
    )
    with pytest.raises(
        SpecError,
        match=re.escape(
            f"{path}: steps[0].params.fill_value is datetime.date(2024, 1, 31), a date; a spec holds JSON values only"
        ),
    ):
        load_spec(path)


def test_yaml_without_pyyaml_names_the_extra(tmp_path, monkeypatch) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text("steps:\n  - class: Imputer\n")
    monkeypatch.setitem(sys.modules, "yaml", None)  # import yaml now fails
    with pytest.raises(
        MissingDependencyError, match=re.escape("pip install 'mlprep-kit[yaml]'")
    ):
        load_spec(path)


def test_a_missing_file(tmp_path) -> None:
    path = tmp_path / "absent.json"
    with pytest.raises(
        SpecError, match=re.escape(f"{path}: cannot read the spec: No such file")
    ):
        load_spec(path)


def test_a_binary_file(tmp_path) -> None:
    path = tmp_path / "spec.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(
        SpecError, match=re.escape(f"{path}: the spec is not UTF-8 text")
    ):
        load_spec(path)


def test_an_ambiguous_short_name_asks_for_the_full_name(monkeypatch) -> None:
    from mlprep.scale import StandardScaler
    from mlprep.spec import spec_schema

    def two_of_a_name() -> dict[str, type]:
        return {
            "mlprep.one.StandardScaler": StandardScaler,
            "mlprep.two.StandardScaler": StandardScaler,
        }

    for module in (_resolve, _schema):
        monkeypatch.setattr(module, "transformer_classes", two_of_a_name)
    with pytest.raises(
        SpecError,
        match=re.escape(
            "spec, step 1: class name 'StandardScaler' is ambiguous; use one of the full "
            "names 'mlprep.one.StandardScaler' or 'mlprep.two.StandardScaler'"
        ),
    ):
        load_spec({"steps": [{"class": "StandardScaler"}]})
    spec = load_spec({"steps": [{"class": "mlprep.two.StandardScaler"}]})
    assert spec.steps[0].estimator_class is StandardScaler
    # the schema offers only the full names when a short one is ambiguous
    schema = spec_schema()
    assert schema["$defs"]["mlprep.one.StandardScaler"]["properties"]["class"] == {
        "enum": ["mlprep.one.StandardScaler"]
    }
