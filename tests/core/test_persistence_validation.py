"""mlprep.load validates what it reads: header, values, and the restored fitted state.

Every file here is edited *with a valid checksum* (as someone editing a file
on purpose would), so what stops it is the validation, not the hash.
"""

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.pipeline import make_pipeline

import mlprep
from mlprep.core._persist_codec import TYPED_MIN
from mlprep.core._persist_frame import pack
from mlprep.core.persistence import dumps, loads
from mlprep.encode import OneHotEncoder
from mlprep.exceptions import PersistenceError
from mlprep.impute import Imputer
from mlprep.scale import Binner, StandardScaler
from mlprep.select import DropDuplicateFeatures
from mlprep.text import TfidfVectorizer

DATA = Path(__file__).parent / "data"
NUMBERS = pd.DataFrame({"a": [1.0, 2.0, 4.0, 8.0], "b": [0.5, 1.5, 2.5, 9.0]})


def _rewrite(text, edit):
    """``text`` edited and laid out as mlprep writes it, with a valid checksum."""
    document = json.loads(text)
    edit(document)
    body = json.dumps(document.pop("object"), separators=(",", ":"), ensure_ascii=False)
    return pack(document, body.encode()).decode()


def _edit_state(obj, edit):
    def apply(document):
        edit(document["object"]["state"])

    return _rewrite(dumps(obj), apply)


# ------------------------------------------------------------------ header
@pytest.mark.parametrize("version", [True, False, 1.0, "2", None, 0, 3])
def test_format_version_must_be_a_whole_number_in_range(version):
    def set_version(document):
        document["format_version"] = version

    text = _rewrite(dumps(StandardScaler().fit(NUMBERS)), set_version)
    with pytest.raises(PersistenceError, match=r"format_version"):
        loads(text)


def test_format_version_true_is_refused_in_a_format_1_document_too():
    document = json.loads((DATA / "format1_column_transformer.json").read_text())
    document["format_version"] = True
    with pytest.raises(PersistenceError, match=r"format_version True"):
        loads(json.dumps(document, indent=1))


# ------------------------------------------------------------------ values
def test_out_of_range_int8_array_is_a_persistence_error():
    fitted = StandardScaler().fit(NUMBERS)
    fitted.extra_codes_ = np.array([1, 2, 3], dtype=np.int8)

    def overflow(state):
        state["extra_codes_"]["__ndarray__"] = [1, 300, 3]

    with pytest.raises(
        PersistenceError, match=r"300 does not fit an array of int8.*extra_codes_"
    ):
        loads(_edit_state(fitted, overflow))


def test_wrong_item_type_in_a_typed_array_is_refused():
    fitted = StandardScaler().fit(NUMBERS)
    fitted.extra_codes_ = np.array([1, 2, 3], dtype=np.int64)

    def text_item(state):
        state["extra_codes_"]["__ndarray__"] = [1, "2", 3]

    with pytest.raises(PersistenceError, match=r"Item 1 of a int64 array is '2'"):
        loads(_edit_state(fitted, text_item))


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda a: a.update(dtype="V8"), "not one mlprep writes"),
        (lambda a: a.update(dtype="i4,f8"), "not one mlprep writes"),
        (lambda a: a.update(shape=[2, 2]), "shape"),
        (lambda a: a.update(shape="3"), "shape"),
        (lambda a: a.update(__ndarray__="not base64!"), "base64"),
        (lambda a: a.update(__ndarray__="AAAA"), "whole"),
    ],
)
def test_malformed_arrays_are_refused(edit, message):
    fitted = StandardScaler().fit(NUMBERS)
    fitted.extra_ = np.arange(TYPED_MIN, dtype=np.float64)  # typed: base64 bytes

    def change(state):
        edit(state["extra_"])

    with pytest.raises(PersistenceError, match=message):
        loads(_edit_state(fitted, change))


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_a_bare_nan_token_is_a_persistence_error(token):
    text = dumps(StandardScaler().fit(NUMBERS))
    header, body = text.split("\n", 1)
    # a bare token in the object; the checksum matches, so the token is what is refused
    body = body.replace('"a":', f'"zz":{token},"a":', 1)
    raw = body[len('"object":') : body.rstrip().rfind("}")]
    document = json.loads(header[:-1] + "}")
    text = pack(document, raw.encode()).decode()
    with pytest.raises(PersistenceError, match=f"bare {token} token"):
        loads(text)
    with pytest.raises(PersistenceError, match=f"bare {token} token"):
        loads(
            json.dumps({"format": "mlprep", "format_version": 1})[:-1]
            + f', "x": {token}}}'
        )


@pytest.mark.parametrize("body", ["1e5", "nan ", "NaN", 1.5])
def test_float_tokens_are_strict(body):
    fitted = StandardScaler().fit(NUMBERS)
    fitted.extra_ = float("nan")

    def change(state):
        state["extra_"]["__float__"] = body

    with pytest.raises(PersistenceError, match="not a float token"):
        loads(_edit_state(fitted, change))


def test_every_load_error_names_the_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "mlprep", "format_version": true}')
    with pytest.raises(PersistenceError, match=r"broken\.json: .*format_version True"):
        mlprep.load(path)
    with pytest.raises(PersistenceError, match=r"Cannot read .*missing\.json"):
        mlprep.load(tmp_path / "missing.json")


def test_unexpected_errors_inside_decoding_become_persistence_errors_with_a_place():
    def bad_timestamp(state):
        state["when_"] = {"__timestamp__": "not a date", "tz": None}

    text = _edit_state(StandardScaler().fit(NUMBERS), bad_timestamp)
    with pytest.raises(
        PersistenceError, match=r"malformed at StandardScaler/state/when_"
    ):
        loads(text)


def test_state_cannot_shadow_methods_or_dunders():
    def shadow(state):
        state["transform"] = 1

    with pytest.raises(PersistenceError, match=r"'transform', a method or property"):
        loads(_edit_state(StandardScaler().fit(NUMBERS), shadow))

    def dunder(document):
        document["object"]["state"] = {"__dict__": [["__class__", "os.system"]]}

    with pytest.raises(
        PersistenceError, match="'__class__', which no fitted attribute"
    ):
        loads(_rewrite(dumps(StandardScaler().fit(NUMBERS)), dunder))


# ------------------------------------------------------------- fitted state
@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda s: s["mean_"].pop("b"),
            r"StandardScaler\.mean_ has no entry for the column\(s\) \['b'\]",
        ),
        (
            lambda s: s["scale_"].update(b="2.0"),
            r"scale_\['b'\] holds '2\.0', not a number",
        ),
        (lambda s: s["var_"].update(b=[1.0]), r"var_ mixes value kinds"),
        (lambda s: s["mean_"].update(z=1.0), r"mean_ has entries for \['z'\]"),
        (
            lambda s: s.update(columns_=["a", "q"]),
            r"columns_ names \['q'\], which are not input",
        ),
        (lambda s: s.update(columns_="a"), r"columns_ is 'a', not a list"),
        (lambda s: s.update(columns_=["a", "a"]), r"columns_ repeats"),
        (lambda s: s.update(n_features_in_=True), r"n_features_in_ is True"),
        (
            lambda s: s.update(n_features_in_=3),
            r"holds 2 names but n_features_in_ is 3",
        ),
        (
            lambda s: s["n_samples_seen_"].update(a=-1),
            r"n_samples_seen_\['a'\] is -1, not a count",
        ),
        (
            lambda s: s["feature_names_in_"].update(__ndarray__=[1, 2]),
            r"feature_names_in_ is not a 1-D array of column names",
        ),
    ],
)
def test_an_edited_fitted_state_fails_at_load_naming_the_attribute(edit, message):
    text = _edit_state(StandardScaler().fit(NUMBERS), edit)
    with pytest.raises(PersistenceError, match=message):
        loads(text)


def test_fitted_state_is_checked_inside_pipelines_with_the_place():
    pipeline = make_pipeline(Imputer(), StandardScaler()).fit(NUMBERS)

    def drop_column(document):
        steps = document["object"]["params"]["steps"]
        steps[1]["__tuple__"][1]["state"]["mean_"].pop("a")

    with pytest.raises(
        PersistenceError,
        match=r"mean_ has no entry .*\(at Pipeline/params/steps/1/1/StandardScaler\)",
    ):
        loads(_rewrite(dumps(pipeline), drop_column))


def test_categorical_and_text_states_are_checked_too():
    frame = pd.DataFrame({"c": ["x", "y", "x"], "d": ["u", "u", "v"]})

    def drop_categories(state):
        state["categories_"].pop("d")

    with pytest.raises(
        PersistenceError, match=r"OneHotEncoder\.categories_ has no entry"
    ):
        loads(_edit_state(OneHotEncoder().fit(frame), drop_categories))
    docs = pd.DataFrame({"t": ["red blue", "blue green"], "u": ["cat", "dog cow"]})

    def scalar_vocabulary(state):
        state["vocabularies_"]["u"] = 3

    with pytest.raises(PersistenceError, match=r"vocabularies_ mixes value kinds"):
        loads(_edit_state(TfidfVectorizer().fit(docs), scalar_vocabulary))


def test_relations_between_columns_may_cover_some_columns():
    frame = pd.DataFrame(
        {"a": [1.0, 2.0, 3.0], "b": [1.0, 2.0, 3.0], "c": [0.0, 5.0, 1.0]}
    )
    fitted = DropDuplicateFeatures().fit(frame)
    assert fitted.duplicate_of_ == {"b": "a"}
    pd.testing.assert_frame_equal(
        loads(dumps(fitted)).transform(frame), fitted.transform(frame)
    )


def test_the_hook_is_what_load_calls(monkeypatch):
    calls = []

    def hook(self):
        calls.append(type(self).__name__)

    monkeypatch.setattr(Binner, "_check_loaded_state", hook)
    loads(dumps(make_pipeline(Imputer(), Binner()).fit(NUMBERS)))
    assert calls == ["Binner"]


# ------------------------------------------------------------------ memory
def test_a_pipeline_memory_in_a_file_is_refused(tmp_path):
    pipeline = make_pipeline(Imputer()).fit(NUMBERS)

    def point_memory(document):
        document["object"]["params"]["memory"] = str(tmp_path)

    with pytest.raises(PersistenceError, match=r"memory=.*joblib pickles"):
        loads(_rewrite(dumps(pipeline), point_memory))


def test_a_pipeline_with_memory_is_refused_at_save(tmp_path):
    pipeline = make_pipeline(Imputer(), memory=str(tmp_path)).fit(NUMBERS)
    with pytest.raises(PersistenceError, match="Set memory=None before saving"):
        mlprep.save(pipeline, io.BytesIO())


# --------------------------------------------------------------- properties
@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.floats(allow_nan=False, allow_infinity=False, width=32),
        min_size=2,
        max_size=30,
    ),
    st.sampled_from(["mean_", "var_", "scale_", "n_samples_seen_"]),
)
def test_removing_any_column_entry_of_any_statistic_is_caught(values, attribute):
    frame = pd.DataFrame({"a": values, "b": values[::-1]})
    text = _edit_state(StandardScaler().fit(frame), lambda s: s[attribute].pop("b"))
    with pytest.raises(PersistenceError, match=f"{attribute} has no entry"):
        loads(text)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_only_ever_raise_persistence_errors(data):
    with pytest.raises(PersistenceError):
        loads(data)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=400), st.binary(min_size=1, max_size=4))
def test_any_corruption_of_a_file_is_a_persistence_error(position, junk):
    text = dumps(StandardScaler().fit(NUMBERS)).encode()
    position = min(position, len(text) - 1)
    corrupted = text[:position] + junk + text[position + len(junk) :]
    if corrupted == text:
        return
    with pytest.raises(PersistenceError):
        loads(corrupted)
