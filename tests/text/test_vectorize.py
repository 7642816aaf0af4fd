"""What the vectorizers share: a hand-run subset of scikit-learn's estimator checks."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, clone
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

import mlprep
from mlprep.exceptions import DataError, NotFittedError
from mlprep.text import CountVectorizer, HashingVectorizer, TfidfVectorizer
from mlprep.text._vectorize import document_limits

VECTORIZERS = [
    CountVectorizer(ngram_range=(1, 2)),
    TfidfVectorizer(min_df=1, sublinear_tf=True),
    HashingVectorizer(n_features=64),
]
DOCS = pd.DataFrame(
    {"text": ["good phone, great screen", "bad battery", "great battery life", None]}
)


@pytest.fixture(params=VECTORIZERS, ids=lambda v: type(v).__name__)
def vectorizer(request: pytest.FixtureRequest) -> object:
    return clone(request.param)


def test_clone_and_params(vectorizer: object) -> None:
    params = vectorizer.get_params()
    twin = clone(vectorizer)
    assert twin.get_params() == params and twin is not vectorizer
    twin.set_params(lowercase=False)
    assert twin.lowercase is False and vectorizer.lowercase is True


def test_not_fitted_error(vectorizer: object) -> None:
    with pytest.raises(NotFittedError, match="not fitted"):
        vectorizer.transform(DOCS)


def test_fit_returns_self_and_records_input(vectorizer: object) -> None:
    assert vectorizer.fit(DOCS) is vectorizer
    assert vectorizer.n_features_in_ == 1
    assert vectorizer.feature_names_in_.tolist() == ["text"]
    assert vectorizer.columns_ == ["text"]


def test_fit_transform_equals_fit_then_transform(vectorizer: object) -> None:
    together = clone(vectorizer).fit_transform(DOCS)
    apart = clone(vectorizer).fit(DOCS).transform(DOCS)
    np.testing.assert_array_equal(together.toarray(), apart.toarray())
    assert together.format == "csr"


def test_pickle_and_save(vectorizer: object, tmp_path: object) -> None:
    fitted = vectorizer.fit(DOCS)
    expected = fitted.transform(DOCS).toarray()
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(fitted)).transform(DOCS).toarray(), expected
    )
    path = tmp_path / "v.json"  # type: ignore[operator]
    mlprep.save(fitted, path)
    np.testing.assert_array_equal(mlprep.load(path).transform(DOCS).toarray(), expected)


def test_transform_checks_columns(vectorizer: object) -> None:
    fitted = vectorizer.fit(DOCS)
    with pytest.raises(DataError, match="unseen at fit time"):
        fitted.transform(DOCS.rename(columns={"text": "body"}))


def test_feature_names_match_columns(vectorizer: object) -> None:
    X = vectorizer.fit_transform(DOCS)
    assert len(vectorizer.get_feature_names_out()) == X.shape[1]


def test_in_a_pipeline_with_a_classifier(vectorizer: object) -> None:
    frame = pd.DataFrame(
        {"text": ["good", "great", "bad", "awful"] * 5, "price": range(20)}
    )
    y = [1, 1, 0, 0] * 5
    model = make_pipeline(
        ColumnTransformer([("words", vectorizer, ["text"])]), LogisticRegression()
    ).fit(frame, y)
    assert model.score(frame, y) == 1.0


@pytest.mark.skipif(
    not hasattr(BaseEstimator, "__sklearn_tags__"),
    reason="scikit-learn < 1.6 has no tag objects",
)
def test_sklearn_tags_say_strings(vectorizer: object) -> None:
    tags = vectorizer.__sklearn_tags__()
    assert tags.input_tags.string and not tags.input_tags.two_d_array


def test_document_limits() -> None:
    assert document_limits(10, 2, 0.5, "X") == (2, 5.0)
    assert document_limits(10, 0.1, 8, "X") == (1.0, 8)
    with pytest.raises(DataError, match="fewer documents"):
        document_limits(10, 6, 0.5, "X")


def test_transform_writes_nothing_to_self(vectorizer: object) -> None:
    fitted = vectorizer.fit(DOCS)
    before = pickle.dumps(fitted.__dict__)
    fitted.transform(DOCS)
    assert pickle.dumps(fitted.__dict__) == before


def test_a_pyarrow_chunked_array_is_a_series_of_documents(vectorizer: object) -> None:
    import pyarrow as pa

    docs = [d if isinstance(d, str) else None for d in DOCS["text"]]
    expected = clone(vectorizer).fit_transform(docs).toarray()
    got = clone(vectorizer).fit_transform(pa.chunked_array([docs]))
    np.testing.assert_array_equal(got.toarray(), expected)


def test_several_columns_are_named_column_underscore_term() -> None:
    frame = pd.DataFrame({"a": ["b_c"], "a_b": ["c"]})
    with pytest.raises(DataError, match="two output columns named 'a_b_c'"):
        CountVectorizer(token_pattern=r"\w+").fit(frame)
