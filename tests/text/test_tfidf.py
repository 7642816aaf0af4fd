"""TfidfVectorizer: identical to scikit-learn's (values, vocabulary, order)."""

from __future__ import annotations

import json
import pickle
from unittest.mock import patch

import numpy as np
import pandas as pd
import pytest
import sklearn
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction import text as sk
from tests.text._helpers import (
    REAL_CORPUS,
    assert_same_matrix,
    run_quietly,
    sklearn_docs,
)

import mlprep
from mlprep.testing.strategies import corpora
from mlprep.text import TfidfVectorizer, _analyze

# scikit-learn < 1.5 weights by a sparse idf diagonal (``X @ diag``), which
# re-sorts each row's entries, so its norms sum in another order: equal to the
# last bits from 1.5 on, within 1e-12 on 1.4.
EXACT = tuple(int(part) for part in sklearn.__version__.split(".")[:2]) >= (1, 5)

_OPTIONS = st.fixed_dictionaries(
    {
        "norm": st.sampled_from(["l2", "l1", None]),
        "use_idf": st.booleans(),
        "smooth_idf": st.booleans(),
        "sublinear_tf": st.booleans(),
        "analyzer": st.sampled_from(["word", "char_wb"]),
        "ngram_range": st.sampled_from([(1, 1), (1, 2), (2, 3)]),
    },
    optional={
        "min_df": st.sampled_from([1, 2, 0.2]),
        "max_features": st.sampled_from([2, 5]),
        "binary": st.booleans(),
        "lowercase": st.booleans(),
    },
)


@given(docs=corpora(), params=_OPTIONS)
@settings(max_examples=60)
def test_tfidf_vectorizer_equals_sklearn_on_generated_corpora(
    docs: list, params: dict
) -> None:
    ours = TfidfVectorizer(**params)
    theirs = sk.TfidfVectorizer(**params)
    expected, their_error = run_quietly(
        lambda: theirs.fit_transform(sklearn_docs(docs))
    )
    got, our_error = run_quietly(lambda: ours.fit_transform(docs))
    assert (our_error is None) == (their_error is None)
    if their_error is not None:
        return
    assert_same_matrix(got, expected, exact=EXACT)
    assert (
        ours.get_feature_names_out().tolist() == theirs.get_feature_names_out().tolist()
    )
    assert_same_matrix(
        ours.transform(docs), theirs.transform(sklearn_docs(docs)), exact=EXACT
    )
    if params["use_idf"]:
        np.testing.assert_array_equal(ours.idf_, theirs.idf_)


_PRUNED_BIGRAMS = st.fixed_dictionaries(
    {"ngram_range": st.just((1, 2))},
    optional={
        "min_df": st.sampled_from([1, 2, 3, 0.0, 0.25]),
        "max_df": st.sampled_from([1.0, 0.9, 0.5, 2, 4]),
        "max_features": st.sampled_from([None, 1, 3, 8, 20]),
        "sublinear_tf": st.booleans(),
        "binary": st.booleans(),
        "stop_words": st.sampled_from([None, "english"]),
    },
)
# a few words, many repeats: document frequencies and max_features ties matter
_REPEATING = st.lists(
    st.lists(
        st.sampled_from(["the", "cat", "sat", "dog", "ran", "mat"]), max_size=8
    ).map(" ".join),
    min_size=1,
    max_size=12,
)


@given(
    docs=st.one_of(corpora(max_docs=12, wordy=True), _REPEATING),
    params=_PRUNED_BIGRAMS,
    characters=st.sampled_from([1, 9, 10**9]),
)
@settings(max_examples=60)
def test_tfidf_bigrams_with_pruning_equal_sklearn_whatever_the_blocks(
    docs: list, params: dict, characters: int
) -> None:
    # documents are analysed in blocks of ``characters`` characters; the
    # vocabulary, idf, values and each row's storage order must not change
    theirs = sk.TfidfVectorizer(**params)
    expected, their_error = run_quietly(
        lambda: theirs.fit_transform(sklearn_docs(docs))
    )
    with patch.object(_analyze, "BLOCK_CHARACTERS", characters):
        ours = TfidfVectorizer(**params)
        got, our_error = run_quietly(lambda: ours.fit_transform(docs))
        assert (our_error is None) == (their_error is None), (our_error, their_error)
        if their_error is not None:
            return
        assert ours.vocabulary_ == {k: int(v) for k, v in theirs.vocabulary_.items()}
        np.testing.assert_array_equal(ours.idf_, theirs.idf_)
        assert_same_matrix(got, expected, exact=EXACT)
        if EXACT:
            for name in ("indptr", "indices", "data"):
                np.testing.assert_array_equal(
                    getattr(got, name), getattr(expected, name)
                )
        assert_same_matrix(
            ours.transform(docs), theirs.transform(sklearn_docs(docs)), exact=EXACT
        )


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"ngram_range": (1, 2), "sublinear_tf": True},
        {"stop_words": "english", "smooth_idf": False, "norm": "l1"},
        {"analyzer": "char_wb", "ngram_range": (3, 5), "max_df": 0.9},
        {"max_features": 25, "strip_accents": "ascii"},
    ],
)
def test_tfidf_vectorizer_equals_sklearn_on_real_text(params: dict) -> None:
    ours = TfidfVectorizer(**params)
    theirs = sk.TfidfVectorizer(**params)
    assert_same_matrix(
        ours.fit_transform(REAL_CORPUS), theirs.fit_transform(REAL_CORPUS), exact=EXACT
    )
    assert (
        ours.get_feature_names_out().tolist() == theirs.get_feature_names_out().tolist()
    )
    unseen = ["A quiet harbour, a busy market and a storm.", None]
    assert_same_matrix(
        ours.transform(unseen), theirs.transform(sklearn_docs(unseen)), exact=EXACT
    )


def test_tfidf_rare_terms_score_higher() -> None:
    X = TfidfVectorizer().fit(["apple banana", "apple cherry", "apple date"])
    row = X.transform(["apple banana"]).toarray()[0]
    names = X.get_feature_names_out().tolist()
    assert row[names.index("banana")] > row[names.index("apple")] > 0


def test_tfidf_saved_as_json_vocabulary_and_idf_lists(tmp_path: object) -> None:
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit(REAL_CORPUS)
    path = tmp_path / "tfidf.json"  # type: ignore[operator]
    mlprep.save(vectorizer, path)
    state = json.loads(path.read_text())["object"]["state"]
    vocabulary = state["vocabularies_"]["x0"]
    assert vocabulary["the harbour"] == vectorizer.vocabulary_["the harbour"]
    assert isinstance(state["idfs_"]["x0"], list)
    assert state["idfs_"]["x0"] == vectorizer.idf_.tolist()
    loaded = mlprep.load(path)
    assert_same_matrix(loaded.transform(REAL_CORPUS), vectorizer.transform(REAL_CORPUS))
    restored = pickle.loads(pickle.dumps(vectorizer))
    assert_same_matrix(
        restored.transform(REAL_CORPUS), vectorizer.transform(REAL_CORPUS)
    )


def test_tfidf_several_columns_normalize_each_block() -> None:
    frame = pd.DataFrame(
        {"title": ["red shoes", "blue hat"], "body": ["soft red", "warm"]}
    )
    X = TfidfVectorizer().fit_transform(frame)
    title = sk.TfidfVectorizer().fit_transform(frame["title"])
    body = sk.TfidfVectorizer().fit_transform(frame["body"])
    np.testing.assert_array_equal(
        X.toarray(), np.hstack([title.toarray(), body.toarray()])
    )
    assert TfidfVectorizer().fit(frame).idf_.shape == (X.shape[1],)


def test_tfidf_idf_unavailable_without_use_idf() -> None:
    vectorizer = TfidfVectorizer(use_idf=False).fit(["a b", "bb cc"])
    with pytest.raises(AttributeError, match="use_idf"):
        vectorizer.idf_  # noqa: B018
