"""Format 2: typed arrays, file objects, gzip, unfitted objects, scikit-learn estimators."""

import gzip
import io
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.compose import make_column_transformer
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import (
    ElasticNet,
    Lasso,
    LinearRegression,
    LogisticRegression,
    Ridge,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MaxAbsScaler as SkMaxAbsScaler
from sklearn.preprocessing import MinMaxScaler as SkMinMaxScaler
from sklearn.preprocessing import RobustScaler as SkRobustScaler
from sklearn.preprocessing import StandardScaler as SkStandardScaler

import mlprep
from mlprep.core._persist_codec import TYPED_MIN
from mlprep.core._persist_frame import pack
from mlprep.core.persistence import (
    _Decoder,
    _Encoder,
    dumps,
    loads,
    sklearn_allowed,
)
from mlprep.exceptions import PersistenceError
from mlprep.impute import Imputer
from mlprep.scale import StandardScaler
from mlprep.split import KeySplitter
from mlprep.text import TfidfVectorizer

NUMBERS = pd.DataFrame({"a": [1.0, 2.0, 4.0, 8.0, 3.0], "b": [0.5, 1.5, 2.5, 9.0, 1.0]})
TARGET = np.array([0, 1, 0, 1, 1])


def _round_trip(value):
    return _Decoder().decode(
        json.loads(json.dumps(_Encoder().encode(value), allow_nan=False))
    )


def _rewrite(text, edit):
    document = json.loads(text)
    edit(document)
    body = json.dumps(document.pop("object"), separators=(",", ":"), ensure_ascii=False)
    return pack(document, body.encode()).decode()


# ------------------------------------------------------------- typed values
def _same(a, b):
    if isinstance(a, float) and isinstance(b, float):
        return (math.isnan(a) and math.isnan(b)) or (
            a == b and math.copysign(1, a) == math.copysign(1, b)
        )
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and a == b


SIZES = st.sampled_from([0, 1, 5, TYPED_MIN - 1, TYPED_MIN, TYPED_MIN + 7])


def _sized(elements):
    """Lists of each size around the typed-form threshold, cycling drawn items."""
    return st.tuples(st.lists(elements, min_size=1, max_size=20), SIZES).map(
        lambda drawn: (drawn[0] * (drawn[1] // len(drawn[0]) + 1))[: drawn[1]]
    )


@settings(max_examples=60, deadline=None)
@given(_sized(st.floats()))
def test_float_lists_round_trip_bit_for_bit(values):
    assert _same(_round_trip(values), values)


@settings(max_examples=60, deadline=None)
@given(_sized(st.integers(min_value=-(2**70), max_value=2**70)))
def test_int_lists_round_trip_even_beyond_int64(values):
    assert _same(_round_trip(values), values)


@settings(max_examples=30, deadline=None)
@given(_sized(st.text(max_size=6)), st.integers(min_value=-(2**40), max_value=2**40))
def test_string_keyed_maps_of_any_size_round_trip(keys, offset):
    mapping = {key: offset + i for i, key in enumerate(keys)}
    assert _same(_round_trip(mapping), mapping)


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.one_of(st.text(max_size=8), st.integers(), st.floats(allow_nan=False)),
        st.one_of(st.integers(), st.floats(), st.text(max_size=5), st.none()),
        max_size=40,
    )
)
def test_dicts_of_any_key_type_round_trip(mapping):
    assert _same(_round_trip(mapping), mapping)


@settings(max_examples=80, deadline=None)
@given(
    arrays(
        st.sampled_from(
            ["<f8", "<f4", "<i8", "<i4", "|i1", "<u2", "|b1", ">f8", ">i4"]
        ),
        st.tuples(st.sampled_from([0, 1, 7, TYPED_MIN // 2]), st.integers(1, 3)),
    )
)
def test_numeric_arrays_round_trip_with_dtype_and_shape(array):
    loaded = _round_trip(array)
    assert loaded.shape == array.shape
    assert loaded.dtype == array.dtype.newbyteorder("<") or loaded.dtype == array.dtype
    np.testing.assert_array_equal(loaded, array)
    assert loaded.flags.writeable


@pytest.mark.parametrize("newline", [False, True])
def test_long_string_lists_round_trip_with_or_without_newlines(newline):
    items = [
        f"term {i}" + ("\n" if newline and i == 7 else "") for i in range(TYPED_MIN)
    ]
    encoded = _Encoder().encode(items)
    assert isinstance(encoded, list) if newline else set(encoded) == {"__lines__"}
    assert _round_trip(items) == items


def test_large_containers_take_the_typed_forms():
    n = TYPED_MIN
    encoded = _Encoder().encode(
        {"ints": list(range(n)), "floats": [0.5] * n, "array": np.zeros(n)}
    )
    assert encoded["ints"] == {"__list__": encoded["ints"]["__list__"], "dtype": "<i4"}
    assert encoded["floats"]["dtype"] == "<f8"
    assert isinstance(encoded["array"]["__ndarray__"], str)
    small = _Encoder().encode({"few": [1, 2], "array": np.zeros(3)})
    assert small == {
        "few": [1, 2],
        "array": {"__ndarray__": [0.0] * 3, "dtype": "<f8", "shape": [3]},
    }


def _vectorizer(terms):
    rng = np.random.default_rng(0)
    words = [f"w{i}é{rng.integers(1000)}" for i in range(terms)]
    fitted = TfidfVectorizer().fit(["some words here", "more words there"])
    column = fitted.columns_[0]
    fitted.vocabularies_ = {column: {w: i for i, w in enumerate(words)}}
    fitted.idfs_ = {column: (1 + rng.random(terms)).tolist()}
    return fitted


def test_a_large_vocabulary_is_stored_compactly_and_exactly():
    fitted = _vectorizer(20_000)
    text = dumps(fitted)
    assert "__map__" in text and "é" in text  # UTF-8, not \\u escapes
    loaded = loads(text)
    assert loaded.vocabularies_ == fitted.vocabularies_
    assert loaded.idfs_ == fitted.idfs_
    docs = ["w1é5 w7é3", "w19999é1", "some words"]
    assert (loaded.transform(docs) != fitted.transform(docs)).nnz == 0
    # no more than pickle's size for the same object, give or take the base64
    import pickle

    assert len(text.encode()) < 1.5 * len(pickle.dumps(fitted, protocol=5))


# ----------------------------------------------------- file objects and gzip
def test_save_and_load_accept_binary_file_objects():
    fitted = StandardScaler().fit(NUMBERS)
    buffer = io.BytesIO()
    mlprep.save(fitted, buffer)
    buffer.seek(0)
    assert mlprep.load(buffer).mean_ == fitted.mean_
    assert buffer.getvalue().decode() == dumps(fitted)


def test_compressed_files_are_smaller_and_load(tmp_path):
    fitted = _vectorizer(5_000)
    plain, packed = tmp_path / "plain.json", tmp_path / "packed.json.gz"
    mlprep.save(fitted, plain)
    mlprep.save(fitted, packed, compress=True)
    assert packed.stat().st_size < 0.6 * plain.stat().st_size
    assert gzip.decompress(packed.read_bytes()) == plain.read_bytes()
    assert mlprep.load(packed).vocabularies_ == fitted.vocabularies_


def test_a_damaged_compressed_file_is_a_persistence_error():
    data = gzip.compress(dumps(StandardScaler().fit(NUMBERS)).encode())
    with pytest.raises(
        PersistenceError, match=r"<file object>: The gzip-compressed file is damaged"
    ):
        mlprep.load(io.BytesIO(data[: len(data) // 2]))


def test_loads_accepts_text_and_bytes():
    text = dumps(StandardScaler().fit(NUMBERS))
    assert loads(text).mean_ == loads(text.encode()).mean_


# ------------------------------------------------------------------ fitted?
def test_an_unfitted_estimator_is_refused_at_save():
    with pytest.raises(
        PersistenceError, match=r"this Imputer: it is not fitted .*fitted=False"
    ):
        dumps(Imputer())


def test_a_pipeline_with_an_unfitted_step_is_refused_naming_the_step():
    fitted_first = make_pipeline(Imputer(), StandardScaler())
    fitted_first.steps[0][1].fit(NUMBERS)
    with pytest.raises(
        PersistenceError, match=r"\(Pipeline/steps/standardscaler not fitted\)"
    ):
        dumps(fitted_first)
    transformer = make_column_transformer((StandardScaler(), ["a"]))
    with pytest.raises(PersistenceError, match=r"\(ColumnTransformer not fitted\)"):
        dumps(transformer)


def test_fitted_false_saves_the_configuration_only():
    fitted = make_pipeline(Imputer(strategy="median"), StandardScaler()).fit(NUMBERS)
    text = dumps(fitted, fitted=False)
    document = json.loads(text)
    assert document["fitted"] is False
    loaded = loads(text)
    assert loaded.get_params()["imputer__strategy"] == "median"
    with pytest.raises(NotFittedError):
        loaded.transform(NUMBERS)
    unfitted = loads(dumps(Imputer(strategy="median"), fitted=False))
    assert unfitted.strategy == "median"
    assert not hasattr(unfitted, "statistics_")


def test_splitters_are_configurations_and_save_as_they_are():
    splitter = KeySplitter(ratios=(0.5, 0.5), key="a")
    assert loads(dumps(splitter)).get_params() == splitter.get_params()


# ------------------------------------------------------ scikit-learn classes
SKLEARN_CASES = [
    SkStandardScaler(),
    SkStandardScaler(with_mean=False),
    SkMinMaxScaler(feature_range=(-1, 1)),
    SkMaxAbsScaler(),
    SkRobustScaler(quantile_range=(10, 90)),
    LogisticRegression(C=0.5),
    LinearRegression(),
    Ridge(alpha=2.0),
    Lasso(alpha=0.01),
    ElasticNet(alpha=0.01),
]


@pytest.mark.parametrize("estimator", SKLEARN_CASES, ids=repr)
def test_allow_listed_scikit_learn_estimators_round_trip(estimator):
    fitted = estimator.fit(NUMBERS, TARGET)
    loaded = loads(dumps(fitted))
    assert type(loaded) is type(fitted)
    assert loaded.get_params() == fitted.get_params()
    method = "transform" if hasattr(fitted, "transform") else "predict"
    np.testing.assert_array_equal(
        getattr(loaded, method)(NUMBERS), getattr(fitted, method)(NUMBERS)
    )
    if hasattr(fitted, "predict_proba"):
        np.testing.assert_array_equal(
            loaded.predict_proba(NUMBERS), fitted.predict_proba(NUMBERS)
        )


def test_every_allow_listed_class_has_a_case():
    from mlprep.core._registry import public_name

    assert sorted({public_name(type(e)) for e in SKLEARN_CASES}) == sklearn_allowed()


def test_a_scikit_learn_model_inside_an_mlprep_pipeline():
    pipeline = make_pipeline(Imputer(), StandardScaler(), LogisticRegression()).fit(
        NUMBERS, TARGET
    )
    pipeline.set_output(transform="pandas")
    loaded = loads(dumps(pipeline))
    np.testing.assert_array_equal(
        loaded.predict_proba(NUMBERS), pipeline.predict_proba(NUMBERS)
    )


def test_scikit_learn_set_output_survives():
    fitted = SkStandardScaler().set_output(transform="pandas").fit(NUMBERS)
    pd.testing.assert_frame_equal(
        loads(dumps(fitted)).transform(NUMBERS), fitted.transform(NUMBERS)
    )


def test_an_unfitted_scikit_learn_estimator_is_refused():
    with pytest.raises(PersistenceError, match=r"LogisticRegression not fitted"):
        dumps(LogisticRegression())


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda s: s.update(
                coef_={"__ndarray__": [1.0], "dtype": "<f8", "shape": [1, 1]}
            ),
            r"coef_ is an array .* not a valid coef",
        ),
        (lambda s: s.update(classes_="ab"), r"classes_ is 'ab'"),
        (lambda s: s.update(dual_coef_=[1.0]), r"no stored attribute 'dual_coef_'"),
        (lambda s: s.update(n_features_in_=-2), r"n_features_in_ is -2"),
    ],
)
def test_an_edited_scikit_learn_state_is_refused(edit, message):
    text = dumps(LogisticRegression().fit(NUMBERS, TARGET))

    def change(document):
        edit(document["object"]["state"])

    with pytest.raises(PersistenceError, match=message):
        loads(_rewrite(text, change))


def test_only_the_listed_attributes_are_written():
    fitted = LinearRegression().fit(NUMBERS, TARGET)
    fitted.anything_else_ = object()  # not listed: never read, never written
    state = json.loads(dumps(fitted))["object"]["state"]
    assert set(state) <= {
        "coef_",
        "intercept_",
        "rank_",
        "singular_",
        "n_features_in_",
        "feature_names_in_",
    }


def test_imbalanced_learn_pipelines_point_to_skops():
    imblearn_pipeline = pytest.importorskip("imblearn.pipeline")
    pipeline = imblearn_pipeline.make_pipeline(Imputer()).fit(NUMBERS)
    with pytest.raises(
        PersistenceError,
        match=r"Pipeline \(imblearn\.pipeline\.Pipeline\).*skops\.io\.dump",
    ):
        dumps(pipeline)
