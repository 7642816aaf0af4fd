"""A corpus's terms merged from blocks: scikit-learn's vocabulary and storage order."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction import text as sk
from tests.text._helpers import REAL_CORPUS, sklearn_docs

from mlprep.testing.strategies import corpora
from mlprep.text import CountVectorizer
from mlprep.text._analyze import Analysis
from mlprep.text._terms import CorpusTerms

_SETTINGS = st.fixed_dictionaries(
    {
        "ngram_range": st.sampled_from([(1, 1), (1, 2), (2, 2), (1, 3), (2, 3)]),
        "token_pattern": st.sampled_from(
            [r"(?u)\b\w\w+\b", r"(?u)\b\w+\b", r"\S+", r"[^,.;]+"]
        ),
    },
    optional={
        "analyzer": st.sampled_from(["word", "char_wb"]),
        "stop_words": st.sampled_from([None, "english", ["the", "cat"]]),
        "lowercase": st.booleans(),
    },
)
# block sizes in characters: one document at a time ... the whole corpus at once
_BLOCKS = st.sampled_from([1, 7, 40, 10**9])
# few words, many repeats: terms recur across documents, blocks and lengths
_REPEATING = st.lists(
    st.lists(st.sampled_from(["aa", "bb", "cc", "dd"]), max_size=6).map(" ".join),
    max_size=8,
)
_DOCS = st.one_of(corpora(max_docs=10), _REPEATING)


def _terms(docs: list[str], params: dict, characters: int) -> CorpusTerms:
    analysis = Analysis.of(CountVectorizer(**params))
    return CorpusTerms(analysis.tables(docs, characters), analysis._ngram_range())


def _sklearn(params: dict) -> sk.CountVectorizer:
    return sk.CountVectorizer(**params)


def _quietly(function: Any, *args: Any) -> Any:
    """scikit-learn warns about word options with a char analyzer."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return function(*args)


@given(docs=_DOCS, params=_SETTINGS, characters=_BLOCKS)
@settings(max_examples=80)
def test_first_seen_counts_are_sklearns_fit_transform_bit_for_bit(
    docs: list, params: dict, characters: int
) -> None:
    docs = sklearn_docs(docs)
    theirs = _sklearn(params)
    try:
        expected = _quietly(theirs.fit_transform, docs)
    except ValueError:  # empty vocabulary
        assert _terms(docs, params, characters).n_columns == 0
        return
    terms = _terms(docs, params, characters)
    assert terms.n_docs == len(docs)
    assert terms.strings() == theirs.get_feature_names_out().tolist()
    got = terms.first_seen_counts()
    # same rows, same storage order inside each row (sklearn's first-seen order)
    np.testing.assert_array_equal(got.indptr, expected.indptr)
    np.testing.assert_array_equal(got.indices, expected.indices)
    np.testing.assert_array_equal(got.data, expected.data)
    assert got.dtype == np.int64


@given(docs=_DOCS, params=_SETTINGS, characters=_BLOCKS)
@settings(max_examples=40)
def test_counts_into_another_vocabulary_equal_sklearn_transform(
    docs: list, params: dict, characters: int
) -> None:
    docs = sklearn_docs(docs)
    fitted = _sklearn(params)
    try:
        _quietly(fitted.fit, REAL_CORPUS[:4] + docs[:2])
    except ValueError:
        return
    vocabulary = fitted.vocabulary_
    terms = _terms(docs, params, characters)
    output = np.array([vocabulary.get(term, -1) for term in terms.strings()], dtype=int)
    got = terms.counts(output, len(vocabulary), np.float64)
    expected = _quietly(fitted.transform, docs)
    assert got.dtype == np.float64 and got.has_sorted_indices
    np.testing.assert_array_equal(got.toarray(), expected.toarray())


@given(docs=_DOCS, params=_SETTINGS)
@settings(max_examples=30)
def test_blocks_do_not_change_the_result(docs: list, params: dict) -> None:
    docs = sklearn_docs(docs)
    whole = _terms(docs, params, 10**9)
    for characters in (1, 13):
        part = _terms(docs, params, characters)
        assert part.strings() == whole.strings()
        a, b = part.first_seen_counts(), _terms(docs, params, 10**9).first_seen_counts()
        for name in ("indptr", "indices", "data"):
            np.testing.assert_array_equal(getattr(a, name), getattr(b, name))


def test_a_row_follows_first_appearance_across_lengths() -> None:
    # "cc" appears after "aa bb": scikit-learn stores row 1 as aa, bb, "aa bb", cc
    docs = ["aa bb", "cc aa bb"]
    for characters in (1, 10**9):
        got = _terms(docs, {"ngram_range": (1, 2)}, characters).first_seen_counts()
        assert got.indices.tolist() == [0, 2, 1, 0, 2, 1, 3, 4]


def test_strings_of_chosen_columns() -> None:
    terms = _terms(["bb aa bb", "cc aa"], {"ngram_range": (1, 2)}, 10**9)
    everything = ["aa", "aa bb", "bb", "bb aa", "cc", "cc aa"]
    assert terms.strings() == everything
    assert terms.strings(np.array([3, 0])) == ["bb aa", "aa"]


def test_counts_drop_terms_mapped_to_minus_one() -> None:
    terms = _terms(["aa bb aa", "cc"], {}, 10**9)
    assert terms.strings() == ["aa", "bb", "cc"]
    counts = terms.counts(np.array([1, -1, 0]), 2)
    assert counts.toarray().tolist() == [[0, 2], [1, 0]]


def test_tables_come_in_blocks_sharing_one_word_coding() -> None:
    analysis = Analysis.of(CountVectorizer(ngram_range=(1, 2)))
    docs = ["the cat sat", "the dog sat", "a cat ran"]
    tables = list(analysis.tables(docs, characters=11))
    assert [t.n_docs for t in tables] == [1, 1, 1]
    assert tables[0].words is tables[-1].words
    assert tables[-1].words[: tables[0].n_words] == ["the", "cat", "sat"]
