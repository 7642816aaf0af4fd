"""CountVectorizer: identical to scikit-learn's, plus what mlprep adds."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
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
from mlprep.exceptions import DataError, InvalidParameterError, NotFittedError
from mlprep.testing.strategies import corpora
from mlprep.text import CountVectorizer

_SHARED = st.fixed_dictionaries(
    {},
    optional={
        "lowercase": st.booleans(),
        "strip_accents": st.sampled_from([None, "ascii", "unicode"]),
        "binary": st.booleans(),
        "min_df": st.sampled_from([1, 2, 0.0, 0.3]),
        "max_df": st.sampled_from([1.0, 0.8, 3]),
        "max_features": st.sampled_from([None, 1, 3, 10]),
    },
)


@st.composite
def settings_(draw: st.DrawFn) -> dict:
    params = draw(_SHARED)
    analyzer = draw(st.sampled_from(["word", "char", "char_wb"]))
    params["analyzer"] = analyzer
    low = draw(st.integers(1, 3))
    params["ngram_range"] = (low, low + draw(st.integers(0, 2)))
    if analyzer == "word":
        params["token_pattern"] = draw(
            st.sampled_from(
                [r"(?u)\b\w\w+\b", r"(?u)\b\w+\b", r"\S+", r"[^,.;]+", r"(\w)\w*"]
            )
        )
        params["stop_words"] = draw(
            st.sampled_from([None, "english", ["the", "cat", "é"]])
        )
    return params


def _compare(docs: list, params: dict) -> None:
    ours = CountVectorizer(**params)
    theirs = sk.CountVectorizer(**params)
    expected, their_error = run_quietly(
        lambda: theirs.fit_transform(sklearn_docs(docs))
    )
    got, our_error = run_quietly(lambda: ours.fit_transform(docs))
    assert (our_error is None) == (their_error is None), (our_error, their_error)
    if their_error is not None:
        return
    assert_same_matrix(got, expected)
    assert (
        ours.get_feature_names_out().tolist() == theirs.get_feature_names_out().tolist()
    )
    assert ours.vocabulary_ == {k: int(v) for k, v in theirs.vocabulary_.items()}
    assert_same_matrix(ours.transform(docs), theirs.transform(sklearn_docs(docs)))


@given(docs=corpora(), params=settings_())
@settings(max_examples=60)
def test_count_vectorizer_equals_sklearn_on_generated_corpora(
    docs: list, params: dict
) -> None:
    _compare(docs, params)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"ngram_range": (1, 2)},
        {"ngram_range": (1, 3), "stop_words": "english"},
        {"analyzer": "char_wb", "ngram_range": (2, 4)},
        {"analyzer": "char", "ngram_range": (1, 3), "lowercase": False},
        {"min_df": 2, "max_df": 0.5},
        {"max_features": 20, "ngram_range": (1, 2)},
        {"binary": True, "strip_accents": "unicode"},
        {"token_pattern": r"(?u)\b\w+(?:'\w+)?\b"},
    ],
)
def test_count_vectorizer_equals_sklearn_on_real_text(params: dict) -> None:
    _compare(REAL_CORPUS, params)


def test_count_vectorizer_fixed_vocabulary_ignores_unknown_terms() -> None:
    vocabulary = ["harbour", "boats", "zeppelin", "the harbour"]
    docs = REAL_CORPUS
    ours = CountVectorizer(vocabulary=vocabulary, ngram_range=(1, 2)).fit(docs)
    theirs = sk.CountVectorizer(vocabulary=vocabulary, ngram_range=(1, 2)).fit(docs)
    assert_same_matrix(ours.transform(docs), theirs.transform(docs))
    assert ours.get_feature_names_out().tolist() == vocabulary
    unseen = ours.transform(["zebras and unicorns", None])
    assert unseen.nnz == 0 and unseen.shape == (2, 4)


def test_count_vectorizer_fixed_vocabulary_as_mapping() -> None:
    mapping = {"dog": 1, "cat": 0}
    X = CountVectorizer(vocabulary=mapping).fit_transform(["dog dog cat", "bird"])
    assert X.toarray().tolist() == [[1, 2], [0, 0]]


@pytest.mark.parametrize(
    ("vocabulary", "match"),
    [
        (["a", "a"], "twice"),
        ({"a": 0, "b": 0}, "repeats indices"),
        ({"a": 0, "b": 2}, "index 1"),
        ([], "empty"),
    ],
)
def test_count_vectorizer_rejects_bad_vocabularies(
    vocabulary: object, match: str
) -> None:
    with pytest.raises(InvalidParameterError, match=match):
        CountVectorizer(vocabulary=vocabulary).fit(["a b"])


def test_count_vectorizer_warns_on_upper_case_vocabulary() -> None:
    with pytest.warns(UserWarning, match="Upper case characters"):
        CountVectorizer(vocabulary=["Harbour"]).fit(REAL_CORPUS)


def test_count_vectorizer_missing_and_empty_documents_are_empty_rows() -> None:
    frame = pd.DataFrame({"text": ["cat sat", None, "", np.nan, "cat"]}, dtype=object)
    X = CountVectorizer().fit_transform(frame)
    assert X.toarray().tolist() == [[1, 1], [0, 0], [0, 0], [0, 0], [1, 0]]


def test_count_vectorizer_empty_vocabulary_names_the_column() -> None:
    frame = pd.DataFrame({"notes": ["the", "a", None]}, dtype=object)
    with pytest.raises(DataError, match=r"'notes'.*empty vocabulary"):
        CountVectorizer(stop_words="english").fit(frame)


def test_count_vectorizer_pruning_everything_is_an_error() -> None:
    with pytest.raises(DataError, match="no terms remain"):
        CountVectorizer(min_df=2).fit(["aa bb", "cc dd", "ee"])
    with pytest.raises(DataError, match="max_df"):
        CountVectorizer(min_df=3, max_df=2).fit(["aa bb", "cc dd"])


def test_count_vectorizer_several_columns_are_separate_blocks() -> None:
    frame = pd.DataFrame(
        {
            "title": ["Red shoes", "Blue hat"],
            "body": ["comfy red shoes", None],
            "n": [1, 2],
        }
    )
    vectorizer = CountVectorizer().fit(frame)
    assert vectorizer.columns_ == ["title", "body"]
    names = vectorizer.get_feature_names_out().tolist()
    assert names == [
        "title_blue",
        "title_hat",
        "title_red",
        "title_shoes",
        "body_comfy",
        "body_red",
        "body_shoes",
        "n",  # passed through (issue 15)
    ]
    X = vectorizer.transform(frame)
    assert X.toarray().tolist() == [
        [0, 0, 1, 1, 1, 1, 1, 1],
        [1, 1, 0, 0, 0, 0, 0, 2],
    ]
    assert vectorizer.vocabulary_["body_red"] == 5
    assert vectorizer.vocabularies_["title"] == {
        "blue": 0,
        "hat": 1,
        "red": 2,
        "shoes": 3,
    }


def test_count_vectorizer_columns_argument_selects_text() -> None:
    frame = pd.DataFrame({"a": ["x1 y1", "y1"], "b": ["zz", "ww"]})
    X = CountVectorizer(columns="b").fit_transform(frame[["b"]])
    assert X.shape == (2, 2)
    with pytest.raises(DataError, match=r"column 'a'.*add it to columns="):
        CountVectorizer(columns="b").fit(frame)  # not silently dropped (issue 15)


def test_count_vectorizer_accepts_every_container() -> None:
    import polars as pl
    import pyarrow as pa

    docs = ["red shoes", None, "blue shoes"]
    expected = CountVectorizer().fit_transform(docs).toarray()
    for data in (
        pd.DataFrame({"t": docs}),
        pl.DataFrame({"t": docs}),
        pa.table({"t": docs}),
        np.array(docs, dtype=object).reshape(-1, 1),
        pd.Series(docs, name="t"),
        pl.Series("t", docs),
        tuple(docs),
    ):
        np.testing.assert_array_equal(
            CountVectorizer().fit_transform(data).toarray(), expected
        )


def test_count_vectorizer_pickles_and_saves(tmp_path: object) -> None:
    vectorizer = CountVectorizer(
        token_pattern=r"[a-z]+'?[a-z]*", ngram_range=(1, 2), stop_words=["the"]
    ).fit(REAL_CORPUS)
    expected = vectorizer.transform(REAL_CORPUS)
    restored = pickle.loads(pickle.dumps(vectorizer))
    assert_same_matrix(restored.transform(REAL_CORPUS), expected)
    path = tmp_path / "counts.json"  # type: ignore[operator]
    mlprep.save(vectorizer, path)
    text = path.read_text()
    assert '"vocabularies_"' in text and '"harbour": ' in text
    loaded = mlprep.load(path)
    assert loaded.token_pattern == r"[a-z]+'?[a-z]*"
    assert_same_matrix(loaded.transform(REAL_CORPUS), expected)
    assert loaded.transform(["don't stop"]).shape[1] == expected.shape[1]


def test_count_vectorizer_not_fitted() -> None:
    with pytest.raises(NotFittedError):
        CountVectorizer().transform(["a b"])
    with pytest.raises(NotFittedError):
        CountVectorizer().vocabulary_  # noqa: B018


def test_count_vectorizer_set_output() -> None:
    docs = ["red shoes", "blue shoes"]
    frame = CountVectorizer().set_output(transform="pandas").fit_transform(docs)
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == ["blue", "red", "shoes"]
    assert frame.sparse.to_dense().to_numpy().tolist() == [[0, 1, 1], [1, 0, 1]]
    with pytest.raises(DataError, match="polars has no sparse"):
        CountVectorizer().set_output(transform="polars").fit_transform(docs)


def test_count_vectorizer_rejects_non_text_values() -> None:
    frame = pd.DataFrame({"t": ["a b", 3]}, dtype=object)
    with pytest.raises(DataError, match=r"column 't'.*int"):
        CountVectorizer(columns="t").fit(frame)


def test_count_vectorizer_token_pattern_with_two_groups_is_refused() -> None:
    with pytest.raises(InvalidParameterError, match="capturing groups"):
        CountVectorizer(token_pattern=r"(a)(b)").fit(["ab"])


def test_count_vectorizer_warns_about_word_options_with_char_analyzer() -> None:
    with pytest.warns(UserWarning, match="'stop_words' will not be used"):
        CountVectorizer(analyzer="char", stop_words="english").fit(["ab"])


def test_count_vectorizer_stemming_merges_inflections() -> None:
    pytest.importorskip("nltk")
    X = CountVectorizer(stemmer="porter").fit(["running runs", "run"])
    assert X.get_feature_names_out().tolist() == ["run"]
    assert X.transform(["running runs", "run"]).toarray().tolist() == [[2], [1]]


@pytest.mark.parametrize(
    "params",
    [
        {"ngram_range": (1, 3)},
        {"analyzer": "char_wb", "ngram_range": (2, 3)},
        {"stop_words": "english", "ngram_range": (1, 2), "min_df": 2},
        {"ngram_range": (1, 2), "max_features": 15},
        {"token_pattern": r"[^,]+", "ngram_range": (1, 2)},
    ],
)
def test_count_vectorizer_stores_rows_in_sklearn_order(params: dict) -> None:
    # scikit-learn's fit_transform keeps each row in first-appearance order of the
    # terms; TF-IDF row norms are summed in that order, so it must be the same.
    docs = [*REAL_CORPUS, "a b,c", "a,b c"]
    ours = CountVectorizer(**params).fit_transform(docs)
    theirs = sk.CountVectorizer(**params).fit_transform(docs)
    np.testing.assert_array_equal(ours.indptr, theirs.indptr)
    np.testing.assert_array_equal(ours.indices, theirs.indices)
    np.testing.assert_array_equal(ours.data, theirs.data)
