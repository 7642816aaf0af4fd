"""Hostile input meets an MlprepError that names the problem (issue 15, part A).

Missing documents in ``tokenize``/``Tokenizer``; 0-row splits; ``set_params``
typos; duplicate column names; text in a numeric array. Every error here is
an :class:`~mlprep.exceptions.MlprepError` naming the culprit and the fix.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.datasets import load_diabetes, load_iris
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler as SkStandardScaler

from mlprep.core import MlprepEstimator, registered
from mlprep.encode import OneHotEncoder
from mlprep.exceptions import DataError, InvalidParameterError, MlprepError
from mlprep.impute import Imputer
from mlprep.scale import MinMaxScaler, StandardScaler
from mlprep.select import DropColumns
from mlprep.split import (
    GroupTimeSeriesSplit,
    KeySplitter,
    OrderedSplitter,
    RandomSplitter,
    StratifiedSplitter,
    train_val_test_split,
)
from mlprep.text import CountVectorizer, Tokenizer, tokenize

MLPREP_CLASSES = sorted(
    (cls for name, cls in registered().items() if name.startswith("mlprep.")),
    key=lambda cls: cls.__name__,
)
ESTIMATORS = [cls for cls in MLPREP_CLASSES if issubclass(cls, MlprepEstimator)]
NUMERIC = [cls for cls in ESTIMATORS if cls._numeric_input]
MISSING = [None, np.nan, float("nan"), np.float32("nan"), pd.NA, pd.NaT]


def _make(cls: type) -> Any:
    """An instance that can fit: DropColumns has no default for its columns."""
    return cls(columns=[0]) if cls is DropColumns else cls()


def _fit(estimator: Any, X: Any, y: Any = None) -> Any:
    """``fit`` (transformers) or ``fit_resample`` (resamplers that have no ``fit``)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if hasattr(estimator, "fit"):
            return estimator.fit(X, y)
        return estimator.fit_resample(X, y)


# ------------------------------------------------------------ 1. tokenize
@pytest.mark.parametrize("missing", MISSING, ids=repr)
def test_tokenize_missing_document_has_no_tokens(missing):
    assert tokenize(missing) == []
    assert tokenize(["a b", missing], lowercase=False) == [["a", "b"], []]


@given(
    st.lists(
        st.one_of(
            st.text(alphabet="ab ,.", max_size=12),
            st.sampled_from(MISSING),
        ),
        max_size=8,
    )
)
def test_tokenize_treats_every_missing_value_like_an_empty_text(docs):
    as_text = ["" if not isinstance(doc, str) else doc for doc in docs]
    assert tokenize(docs) == tokenize(as_text)


def test_tokenize_refuses_a_non_text_scalar_with_an_mlprep_error():
    with pytest.raises(InvalidParameterError, match="got int 3"):
        tokenize(3)
    with pytest.raises(InvalidParameterError, match="got dict"):
        tokenize(["a", {"b": 1}])


@pytest.mark.parametrize(
    "column",
    [
        pd.Series(["Big cat", pd.NA, np.nan, None], dtype=object),
        pd.Series(["Big cat", pd.NA, None, None], dtype="string"),
        pl.Series(["Big cat", None, None, None]),
    ],
    ids=["pandas-object", "pandas-string", "polars"],
)
def test_tokenizer_gives_missing_rows_no_tokens(column):
    frame = (
        pl.DataFrame({"t": column})
        if isinstance(column, pl.Series)
        else pd.DataFrame({"t": column})
    )
    out = Tokenizer().fit_transform(frame)
    assert [list(tokens) for tokens in out["t"]] == [["big", "cat"], [], [], []]


# ------------------------------------------------------------ 2. 0-row splits
def _empty(kind: str) -> Any:
    columns = {
        "x": np.array([], dtype=float),
        "y": np.array([], dtype=np.int64),
        "g": np.array([], dtype=np.int64),
    }
    if kind == "pandas":
        return pd.DataFrame(columns)
    if kind == "polars":
        return pl.DataFrame(columns)
    if kind == "pyarrow":
        return pa.table(columns)
    return np.empty((0, 3))


_NO_ROWS = "no rows to split"
_METHODS = [
    {"method": "random"},
    {"method": "stratified", "stratify": "y"},
    {"method": "stratified", "stratify": "y", "key": "g"},
    {"method": "ordered"},
    {"method": "ordered", "order_by": "x"},
    {"method": "key", "key": "g"},
    {"method": "key", "key": "g", "stratify": "y"},
]


@pytest.mark.parametrize("kind", ["pandas", "polars", "pyarrow"])
@pytest.mark.parametrize("params", _METHODS, ids=str)
def test_every_split_method_refuses_zero_rows_alike(kind, params):
    with pytest.raises(DataError, match=f"method={params['method']!r}.*{_NO_ROWS}"):
        train_val_test_split(_empty(kind), **params)


@pytest.mark.parametrize("method", ["random", "stratified", "ordered"])
def test_zero_rows_of_an_array_with_y_is_the_same_data_error(method):
    with pytest.raises(DataError, match=_NO_ROWS):
        train_val_test_split(np.empty((0, 2)), y=np.array([], dtype=int), method=method)


@pytest.mark.parametrize(
    "splitter",
    [
        RandomSplitter(),
        StratifiedSplitter(stratify="y"),
        StratifiedSplitter(),
        OrderedSplitter(order_by="x"),
        KeySplitter(key="g"),
        GroupTimeSeriesSplit(),
    ],
    ids=lambda s: type(s).__name__,
)
def test_every_splitter_refuses_zero_rows_alike(splitter):
    data, y, groups = _empty("pandas"), np.array([], dtype=int), np.array([], dtype=int)
    with pytest.raises(DataError, match=f"{type(splitter).__name__}: {_NO_ROWS}"):
        list(splitter.split(data, y, groups))
    if not isinstance(splitter, GroupTimeSeriesSplit):
        with pytest.raises(DataError, match=_NO_ROWS):
            splitter.parts(data, y, groups)


def test_one_row_still_reaches_the_part_check_not_the_row_check():
    with pytest.raises(DataError, match="part empty") as caught:
        train_val_test_split(pd.DataFrame({"x": [1.0]}))
    assert _NO_ROWS not in str(caught.value)


# ------------------------------------------------------------ 3. set_params
@pytest.mark.parametrize("cls", MLPREP_CLASSES, ids=lambda c: c.__name__)
def test_set_params_typo_names_parameter_class_and_close_match(cls):
    estimator = cls()
    valid = sorted(estimator.get_params(deep=False))
    typo = valid[0] + "x"
    with pytest.raises(InvalidParameterError) as caught:
        estimator.set_params(**{typo: 1})
    message = str(caught.value)
    assert f"{cls.__name__} has no parameter {typo!r}" in message
    assert f"did you mean {valid[0]!r}" in message
    assert str(valid) in message
    assert estimator.get_params(deep=False) == cls().get_params(deep=False)


@pytest.mark.parametrize("cls", MLPREP_CLASSES, ids=lambda c: c.__name__)
def test_set_params_with_valid_names_still_sets_them(cls):
    estimator = cls()
    params = estimator.get_params(deep=False)
    assert estimator.set_params(**params) is estimator
    assert estimator.get_params(deep=False) == params


@given(st.from_regex(r"[a-z][a-z_]{0,15}", fullmatch=True))
def test_set_params_refuses_any_name_that_is_not_a_parameter(name):
    estimator = StandardScaler()
    if name.split("__")[0] in estimator.get_params():
        return
    with pytest.raises(
        InvalidParameterError, match=re.escape(repr(name.split("__")[0]))
    ):
        estimator.set_params(**{name: 1})


def test_splitter_set_params_refuses_a_nested_name():
    with pytest.raises(InvalidParameterError, match="'n_splits__x'"):
        KeySplitter().set_params(n_splits__x=2)


def test_pipeline_keeps_sklearn_nested_params_and_mlprep_names_the_typo():
    pipe = make_pipeline(StandardScaler())
    pipe.set_params(standardscaler__with_mean=False)
    assert pipe.steps[0][1].with_mean is False
    with pytest.raises(InvalidParameterError, match="did you mean 'with_mean'"):
        pipe.set_params(standardscaler__with_maen=False)
    # the pipeline's own names are scikit-learn's business, its error unchanged
    with pytest.raises(ValueError, match="Invalid parameter 'stepz'"):
        pipe.set_params(stepz=[])


# ------------------------------------------------------------ 4. duplicate names
def _duplicated(kind: str) -> Any:
    values = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.5]]
    if kind == "pyarrow":
        return pa.table(list(map(list, zip(*values))), names=["a", "b", "a"])
    return pd.DataFrame(values, columns=["a", "b", "a"])


@pytest.mark.parametrize("kind", ["pandas", "pyarrow"])
@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_fit_refuses_duplicate_column_names_naming_them(cls, kind):
    with pytest.raises(
        DataError, match=f"{cls.__name__} needs unique column names; 'a' occurs 2"
    ):
        _fit(_make(cls), _duplicated(kind), np.array([0, 1, 0]))


@pytest.mark.parametrize(
    ("estimator", "clean"),
    [
        (StandardScaler(), pd.DataFrame({"a": [1.0, 2.0, 4.0], "b": [0.0, 1.0, 3.0]})),
        (Imputer(), pd.DataFrame({"a": [1.0, None, 4.0], "b": [0.0, 1.0, 3.0]})),
        (OneHotEncoder(), pd.DataFrame({"a": ["u", "v", "u"], "b": ["p", "p", "q"]})),
        (Tokenizer(), pd.DataFrame({"a": ["a b", "c", None], "b": ["d", "e", "f"]})),
    ],
    ids=lambda value: type(value).__name__,
)
def test_transform_refuses_duplicate_column_names_naming_them(estimator, clean):
    fitted = estimator.fit(clean)
    doubled = clean[["a", "b", "a"]]
    with pytest.raises(DataError, match="'a' occurs 2 times"):
        fitted.transform(doubled)
    assert list(doubled.columns) == ["a", "b", "a"]  # the caller's frame is untouched


def test_every_duplicated_name_is_listed():
    frame = pd.DataFrame([[1.0] * 5], columns=["a", "b", "a", "b", "b"])
    with pytest.raises(DataError, match="'a' occurs 2 times, 'b' occurs 3 times"):
        StandardScaler().fit(frame)


# ------------------------------------------------------------ 5. text in arrays
@pytest.mark.parametrize("cls", NUMERIC, ids=lambda c: c.__name__)
def test_numeric_estimators_name_the_text_column_of_an_object_array(cls):
    X = np.array([[1.0, 2.0], [2.0, "tall"], [3.0, 1.0]], dtype=object)
    with pytest.raises(
        DataError, match=r"array column 'x1' holds text \(e\.g\. 'tall'\)"
    ):
        _fit(_make(cls), X, np.array([0, 1, 0]))


@given(
    st.integers(1, 4),
    st.integers(1, 5),
    st.data(),
)
def test_the_named_column_is_the_first_holding_a_non_number(n_columns, n_rows, data):
    X = (
        np.arange(n_columns * n_rows, dtype=float)
        .astype(object)
        .reshape(n_rows, n_columns)
    )
    row = data.draw(st.integers(0, n_rows - 1))
    column = data.draw(st.integers(0, n_columns - 1))
    X[row, column] = "n/a"
    original = X.copy()
    with pytest.raises(DataError, match=f"'x{column}' holds text \\(e.g. 'n/a'\\)"):
        MinMaxScaler().fit(X)
    assert (X == original).all()


def test_transform_names_the_text_column_too():
    fitted = StandardScaler().fit(np.ones((3, 3)))
    with pytest.raises(DataError, match="'x2' holds text"):
        fitted.transform(np.array([[1.0, 2.0, "3,5"]], dtype=object))


def test_numeric_strings_in_a_string_array_are_refused_by_name_too():
    with pytest.raises(DataError, match=r"'x0' holds text \(e\.g\. '1'\)"):
        StandardScaler().fit(np.array([["1", "2"], ["3", "4"]]))


def test_a_dict_cell_keeps_sklearn_type_error():
    X = np.ones((3, 2), dtype=object)
    X[0, 0] = {"foo": "bar"}
    with pytest.raises(TypeError, match=r"argument must be a string.* number"):
        StandardScaler().fit(X)


def test_object_array_of_numbers_matches_sklearn_on_diabetes():
    X = load_diabetes().data
    ours = StandardScaler().fit_transform(X.astype(object))
    np.testing.assert_allclose(ours, SkStandardScaler().fit_transform(X), rtol=1e-12)


def test_text_vectorizers_still_take_object_arrays_of_text():
    iris = load_iris(as_frame=True).frame
    docs = np.array([[f"petal {v}"] for v in iris["target"].astype(str)], dtype=object)
    out = CountVectorizer().fit_transform(docs)
    assert out.shape[0] == len(iris)


def test_every_error_above_is_an_mlprep_error():
    for call in (
        lambda: train_val_test_split(
            _empty("pandas"), method="stratified", stratify="y"
        ),
        lambda: StandardScaler().set_params(with_maen=1),
        lambda: StandardScaler().fit(_duplicated("pandas")),
        lambda: StandardScaler().fit(np.array([[1.0, "a"]], dtype=object)),
        lambda: tokenize(1.5),
    ):
        with pytest.raises(MlprepError):
            call()
