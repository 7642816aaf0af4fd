"""mlprep.save / mlprep.load: versioned JSON, no pickle, nothing executed."""

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import make_column_transformer
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.preprocessing import StandardScaler as SklearnStandardScaler

import mlprep
from mlprep.core._persist_frame import pack
from mlprep.core.persistence import FORMAT_VERSION, dumps, loads
from mlprep.exceptions import PersistenceError
from mlprep.impute import Imputer
from mlprep.scale import StandardScaler

X = pd.DataFrame(
    {
        "a": [1.0, None, 5.0, 2.0, 8.0],
        "b": [2.0, 4.0, None, 1.0, 0.5],
        "city": ["Paris", None, "Paris", "Lyon", "Nice"],
    }
)


def _fitted_column_transformer():
    numeric = make_pipeline(Imputer(strategy="median"), StandardScaler())
    transformer = make_column_transformer(
        (numeric, ["a", "b"]),
        (Imputer(strategy="most_frequent", add_indicator=True), ["city"]),
        remainder="drop",
    )
    return transformer.set_output(transform="pandas").fit(X)


def test_pipeline_round_trip(tmp_path):
    pipeline = make_pipeline(Imputer(), StandardScaler()).fit(X[["a", "b"]])
    mlprep.save(pipeline, tmp_path / "p.json")
    loaded = mlprep.load(tmp_path / "p.json")
    pd.testing.assert_frame_equal(
        loaded.transform(X[["a", "b"]]), pipeline.transform(X[["a", "b"]])
    )


def test_column_transformer_round_trip(tmp_path):
    transformer = _fitted_column_transformer()
    mlprep.save(transformer, tmp_path / "ct.json")
    loaded = mlprep.load(tmp_path / "ct.json")
    pd.testing.assert_frame_equal(loaded.transform(X), transformer.transform(X))
    assert list(loaded.get_feature_names_out()) == list(
        transformer.get_feature_names_out()
    )


def test_column_transformer_with_passthrough_remainder_round_trips():
    numeric = X[["a", "b"]]
    transformer = make_column_transformer(
        (StandardScaler(), ["a"]), remainder="passthrough"
    ).fit(numeric)
    loaded = loads(dumps(transformer))
    np.testing.assert_array_equal(
        loaded.transform(numeric), transformer.transform(numeric)
    )


def test_feature_union_round_trips():
    union = FeatureUnion(
        [("mean", Imputer()), ("median", Imputer(strategy="median"))]
    ).fit(X[["a"]])
    np.testing.assert_array_equal(
        loads(dumps(union)).transform(X[["a"]]), union.transform(X[["a"]])
    )


def test_document_is_versioned_json_with_a_checksum():
    document = json.loads(dumps(Imputer().fit(X[["a"]])))
    assert document["format"] == "mlprep"
    assert document["format_version"] == FORMAT_VERSION
    assert document["mlprep_version"] == mlprep.__version__
    assert len(document["sha256"]) == 64
    assert document["object"]["__class__"] == "mlprep.impute.Imputer"
    assert document["object"]["state"]["statistics_"] == {"a": 4.0}


def test_non_finite_numbers_survive():
    fitted = StandardScaler().fit(
        pd.DataFrame({"a": [np.nan, np.nan], "b": [1.0, 2.0]})
    )
    loaded = loads(dumps(fitted))
    assert np.isnan(loaded.mean_["a"])


def test_other_libraries_objects_are_refused_at_save_with_a_pointer_to_skops():
    from sklearn.ensemble import RandomForestClassifier

    forest = RandomForestClassifier(n_estimators=2).fit(
        X[["a"]].fillna(0), [0, 1] * 2 + [0]
    )
    with pytest.raises(
        PersistenceError,
        match=r"RandomForestClassifier \(sklearn\.ensemble\.RandomForestClassifier\) "
        r"at <root>.*skops\.io\.dump",
    ):
        dumps(forest)
    with pytest.raises(
        PersistenceError,
        match=r"RandomForestClassifier .* at Pipeline/steps/1/1.*skops",
    ):
        dumps(
            make_pipeline(SklearnStandardScaler(), forest).fit(
                X[["a"]].fillna(0), [0, 1] * 2 + [0]
            )
        )


def test_callables_are_refused_at_save():
    with pytest.raises(
        PersistenceError, match=r"ufunc object at .*FunctionTransformer/func"
    ):
        dumps(make_pipeline(FunctionTransformer(np.log1p), Imputer()).fit(X[["b"]]))


def test_a_failed_save_leaves_the_earlier_file_whole(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    mlprep.save(Imputer().fit(X[["b"]]), path)
    before = path.read_text()
    with pytest.raises(PersistenceError):
        mlprep.save(make_pipeline(FunctionTransformer(np.log1p)).fit(X[["b"]]), path)

    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr("mlprep.core.persistence.os.replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        mlprep.save(Imputer(strategy="median").fit(X[["b"]]), path)
    assert path.read_text() == before
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]


def _tamper(text, edit):
    document = json.loads(text)
    edit(document)
    return json.dumps(document)


def _rewrite(text, edit):
    """``text`` edited and laid out as mlprep writes it, with a valid checksum."""
    document = json.loads(text)
    edit(document)
    body = json.dumps(document.pop("object"), separators=(",", ":"), ensure_ascii=False)
    return pack(document, body.encode()).decode()


def test_tampered_file_fails_the_checksum():
    text = dumps(Imputer().fit(X[["a"]]))
    changed = _tamper(
        text, lambda d: d["object"]["state"]["statistics_"].update(a=99.0)
    )
    with pytest.raises(PersistenceError, match="checksum"):
        loads(changed)


def test_unregistered_class_is_never_built_even_with_a_valid_checksum():
    def point_to_os(document):
        document["object"]["__class__"] = "os.system"

    text = _rewrite(dumps(Imputer().fit(X[["a"]])), point_to_os)
    with pytest.raises(
        PersistenceError, match=r"'os\.system', which is not one mlprep can load"
    ):
        loads(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not valid JSON"),
        ('{"format": "mlprep", "format_version": 1, "obj', "not valid JSON"),
        ("[1, 2]", "not an mlprep file"),
        ('{"format": "pickle"}', "not an mlprep file"),
        ('{"format": "mlprep", "format_version": 999}', "format_version 999"),
        (
            '{"format": "mlprep", "format_version": 1, "object": {}, "sha256": "0"}',
            "checksum",
        ),
    ],
)
def test_malformed_files_raise_a_clear_error(text, message):
    with pytest.raises(PersistenceError, match=message):
        loads(text)


def test_truncated_file_on_disk(tmp_path):
    path = tmp_path / "t.json"
    path.write_text(dumps(Imputer().fit(X[["a"]]))[:50])
    with pytest.raises(PersistenceError, match="truncated"):
        mlprep.load(path)


def test_binary_garbage_on_disk(tmp_path):
    path = tmp_path / "g.json"
    path.write_bytes(b"\x80\x04\x95pickle")
    with pytest.raises(PersistenceError, match="UTF-8"):
        mlprep.load(path)


def test_unknown_constructor_argument_is_a_malformed_file():
    def add_param(document):
        document["object"]["params"]["evil"] = 1

    with pytest.raises(
        PersistenceError, match=r"malformed: Imputer has no parameter.*'evil'"
    ):
        loads(_rewrite(dumps(Imputer().fit(X[["a"]])), add_param))


def test_deeply_nested_payload_is_refused():
    nested = [[]]
    for _ in range(300):
        nested = [nested, 1]

    def deepen(document):
        document["object"]["state"]["junk"] = nested

    with pytest.raises(PersistenceError, match="nests deeper"):
        loads(_rewrite(dumps(Imputer().fit(X[["a"]])), deepen))


def test_a_reformatted_format_2_file_fails_the_checksum():
    text = dumps(Imputer().fit(X[["a"]]))
    with pytest.raises(PersistenceError, match="byte for byte"):
        loads(json.dumps(json.loads(text), indent=2))
