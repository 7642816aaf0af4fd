"""Files load across the supported scikit-learn versions (1.4 … 1.9) and mlprep formats.

Two fixtures were written by real scikit-learn versions (1.4.2 and 1.9.1) with
the same pipeline; each loads under whatever scikit-learn runs the tests (the
``minimums`` nox session runs 1.4.2) and predicts what the writer predicted.
The pipeline (fitted on ``PIPELINE_X`` with target ``[0, 1, 0, 1, 1, 0]``)::

    ct = make_column_transformer(
        (make_pipeline(Imputer(), StandardScaler()), ["a", "b"]),
        (OneHotEncoder(), ["city"]),
        remainder="passthrough",
    )
    make_pipeline(
        ct,
        FeatureUnion([("s", sklearn StandardScaler()), ("i", Imputer())]),
        LogisticRegression(),
    )

saved as ``sklearn<major.minor>_pipeline.json`` next to its
``predict_proba(PIPELINE_X)[:, 1]`` (``….expected.json``).
``format1_column_transformer.json`` was written by format 1 (mlprep before
this format) and must keep loading.
Other versions are simulated by editing a file's ``sklearn_version`` and
parameters, and by fake classes for the parameter history.
"""

import inspect
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.compose import make_column_transformer
from sklearn.pipeline import FeatureUnion, make_pipeline

import mlprep
from mlprep.core import _persist_compat as compat
from mlprep.core._persist_frame import pack
from mlprep.core.persistence import FORMAT_VERSION, dumps, loads
from mlprep.encode import OneHotEncoder
from mlprep.exceptions import PersistenceError
from mlprep.impute import Imputer
from mlprep.scale import StandardScaler
from mlprep.text import TfidfVectorizer

DATA = Path(__file__).parent / "data"
PIPELINE_X = pd.DataFrame(
    {
        "a": [1.0, None, 5.0, 2.0, 8.0, 3.0],
        "b": [2.0, 4.0, None, 1.0, 0.5, 7.0],
        "city": ["Paris", "Lyon", "Paris", None, "Nice", "Lyon"],
        "c": [1.0, 2, 3, 4, 5, 6],
    }
)
FORMAT1_X = pd.DataFrame(
    {
        "a": [1.0, None, 5.0, 2.0, 8.0],
        "b": [2.0, 4.0, None, 1.0, 0.5],
        "city": ["Paris", None, "Paris", "Lyon", "Nice"],
        "review": ["good phone", "bad battery", "good good", "fine", "bad"],
    }
)
NUMBERS = PIPELINE_X[["a", "b", "c"]].fillna(0.0)


def _rewrite(text, edit):
    """``text`` edited and laid out as mlprep writes it, with a valid checksum."""
    document = json.loads(text)
    edit(document)
    body = json.dumps(document.pop("object"), separators=(",", ":"), ensure_ascii=False)
    return pack(document, body.encode()).decode()


def _has_param(cls, name):
    return name in inspect.signature(cls.__init__).parameters


# ------------------------------------------------------- real other versions
@pytest.mark.parametrize("writer", ["1.4", "1.9"])
def test_a_pipeline_written_by_another_scikit_learn_loads_and_predicts_the_same(writer):
    path = DATA / f"sklearn{writer}_pipeline.json"
    assert json.loads(path.read_text().split("\n")[0][:-1] + "}")[
        "sklearn_version"
    ].startswith(writer)
    model = mlprep.load(path)
    expected = json.loads(
        (DATA / f"sklearn{writer}_pipeline.expected.json").read_text()
    )
    np.testing.assert_allclose(
        model.predict_proba(PIPELINE_X)[:, 1], expected, rtol=1e-9
    )


def test_a_format_1_file_still_loads():
    loaded = mlprep.load(DATA / "format1_column_transformer.json")
    numeric = make_pipeline(Imputer(strategy="median"), StandardScaler())
    refit = make_column_transformer(
        (numeric, ["a", "b"]),
        (OneHotEncoder(), ["city"]),
        (TfidfVectorizer(), ["review"]),
        remainder="drop",
    )
    refit = refit.set_output(transform="pandas").fit(FORMAT1_X)
    np.testing.assert_allclose(
        _dense(loaded.transform(FORMAT1_X)), _dense(refit.transform(FORMAT1_X))
    )
    assert list(loaded.get_feature_names_out()) == list(refit.get_feature_names_out())


def _dense(frame):
    return frame.astype(float).to_numpy()


# ------------------------------------------------------------ what is written
def test_the_writing_scikit_learn_version_is_recorded():
    document = json.loads(dumps(make_pipeline(Imputer()).fit(NUMBERS)))
    assert document["sklearn_version"] == sklearn.__version__
    assert document["format_version"] == FORMAT_VERSION == 2


@pytest.mark.slow
def test_scikit_learn_defaults_are_not_written():
    transformer = make_column_transformer(
        (StandardScaler(), ["a"]), remainder="passthrough"
    ).fit(NUMBERS)
    union = FeatureUnion([("i", Imputer())], n_jobs=2).fit(NUMBERS)
    pipeline = make_pipeline(transformer, union).fit(NUMBERS)
    node = json.loads(dumps(pipeline))["object"]
    assert sorted(node["params"]) == ["steps"]
    steps = node["params"]["steps"]
    assert sorted(steps[0]["__tuple__"][1]["params"]) == ["remainder", "transformers"]
    assert sorted(steps[1]["__tuple__"][1]["params"]) == ["n_jobs", "transformer_list"]
    # mlprep's own classes keep every parameter (readable, and mlprep owns their history)
    scaler = steps[0]["__tuple__"][1]["params"]["transformers"][0]["__tuple__"][1]
    assert sorted(scaler["params"]) == ["columns", "with_mean", "with_std"]


# ------------------------------------------------- simulated other versions
def _column_transformer_text():
    return dumps(
        make_column_transformer((StandardScaler(), ["a"]), remainder="passthrough").fit(
            NUMBERS
        )
    )


def _written_with(version, **params):
    def edit(document):
        document["sklearn_version"] = version
        document["object"]["params"].update(params)

    return _rewrite(_column_transformer_text(), edit)


@pytest.mark.parametrize(
    ("version", "value"),
    [
        ("1.5.2", True),
        ("1.6.1", True),
        ("1.6.1", False),
        ("1.7.2", "deprecated"),
        ("1.8.0", True),
    ],
)
def test_force_int_remainder_cols_from_any_version_loads_here(version, value):
    from sklearn.compose import ColumnTransformer

    text = _written_with(version, force_int_remainder_cols=value)
    if (version, value) == ("1.6.1", False) and compat.parse_version(
        sklearn.__version__
    ) < (1, 5):
        # remainder columns as given: scikit-learn 1.4 always stores positions
        with pytest.raises(
            PersistenceError, match=r"written with scikit-learn 1\.6\.1"
        ):
            loads(text)
        return
    loaded = loads(text)
    np.testing.assert_array_equal(
        loaded.transform(NUMBERS),
        make_column_transformer((StandardScaler(), ["a"]), remainder="passthrough")
        .fit(NUMBERS)
        .transform(NUMBERS),
    )
    if _has_param(ColumnTransformer, "force_int_remainder_cols"):
        assert loaded.force_int_remainder_cols == value
    else:
        assert "force_int_remainder_cols" not in loaded.get_params(deep=False)


def test_a_parameter_this_version_cannot_express_names_both_versions():
    text = _written_with("2.3.0", shiny_new_option="fast")
    message = (
        rf"written with scikit-learn 2\.3\.0, this is scikit-learn {sklearn.__version__}; "
        r"ColumnTransformer\(shiny_new_option='fast'\) has no equivalent here.*"
        r"Load the file with scikit-learn 2\.3\.0, or rebuild and refit"
    )
    with pytest.raises(PersistenceError, match=message):
        loads(text)


def test_feature_union_option_from_a_newer_version():
    union = FeatureUnion([("i", Imputer())]).fit(NUMBERS)

    def newer(document):
        document["sklearn_version"] = "1.6.1"
        document["object"]["params"]["verbose_feature_names_out"] = False

    text = _rewrite(dumps(union), newer)
    if _has_param(FeatureUnion, "verbose_feature_names_out"):
        assert loads(text).verbose_feature_names_out is False
    else:  # scikit-learn 1.4: the option does not exist, and False changes names
        with pytest.raises(
            PersistenceError, match=r"written with scikit-learn 1\.6\.1"
        ):
            loads(text)


class ColumnTransformer:  # the parameter history, seen by a fake class
    def __init__(
        self, transformers, *, remainder="drop", force_int_remainder_cols=True
    ):
        pass


class OldColumnTransformer:
    def __init__(self, transformers, *, remainder="drop"):
        pass


OldColumnTransformer.__name__ = "ColumnTransformer"


class NewColumnTransformer:
    def __init__(self, transformers, *, remainder="drop"):
        pass


NewColumnTransformer.__name__ = "ColumnTransformer"


@pytest.mark.parametrize(
    ("installed", "cls", "writer", "value", "kept"),
    [
        ("1.4.2", OldColumnTransformer, "1.5.2", True, False),  # writer default
        ("1.4.2", OldColumnTransformer, "1.8.1", False, False),  # inert in the writer
        ("1.9.1", NewColumnTransformer, "1.6.1", False, False),  # what 1.9 does
        ("1.9.1", NewColumnTransformer, "1.5.0", True, False),  # writer default
        ("1.6.1", ColumnTransformer, "1.9.1", False, True),  # known here: kept
    ],
)
def test_parameter_history(monkeypatch, installed, cls, writer, value, kept):
    monkeypatch.setattr(compat.sklearn, "__version__", installed)
    params = {"transformers": [], "force_int_remainder_cols": value}
    adapted = compat.adapt_params(cls, params, writer, "here")
    assert ("force_int_remainder_cols" in adapted) is kept


def test_a_non_default_value_this_version_cannot_express(monkeypatch):
    monkeypatch.setattr(compat.sklearn, "__version__", "1.4.2")
    params = {"transformers": [], "force_int_remainder_cols": False}
    with pytest.raises(
        PersistenceError,
        match=r"written with scikit-learn 1\.6\.1, this is scikit-learn 1\.4\.2",
    ):
        compat.adapt_params(OldColumnTransformer, params, "1.6.1", "here")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.9.1", (1, 9)),
        ("1.10.0rc1", (1, 10)),
        ("2.0", (2, 0)),
        ("garbage", (0, 0)),
        (None, (0, 0)),
    ],
)
def test_parse_version(text, expected):
    assert compat.parse_version(text) == expected
