"""HashingVectorizer: identical to scikit-learn's, stateless, one block per column."""

from __future__ import annotations

import pickle

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
from mlprep.testing.strategies import corpora
from mlprep.text import HashingVectorizer

_OPTIONS = st.fixed_dictionaries(
    {
        "n_features": st.sampled_from([1, 7, 64, 2**20]),
        "alternate_sign": st.booleans(),
        "norm": st.sampled_from(["l2", "l1", None]),
        "binary": st.booleans(),
        "analyzer": st.sampled_from(["word", "char", "char_wb"]),
        "ngram_range": st.sampled_from([(1, 1), (1, 2), (2, 3)]),
    },
    optional={"lowercase": st.booleans(), "stop_words": st.just("english")},
)


@given(docs=corpora(), params=_OPTIONS)
@settings(max_examples=60)
def test_hashing_vectorizer_equals_sklearn_on_generated_corpora(
    docs: list, params: dict
) -> None:
    if params["analyzer"] != "word":
        params.pop("stop_words", None)
    expected, error = run_quietly(
        lambda: sk.HashingVectorizer(**params).transform(sklearn_docs(docs))
    )
    assert error is None
    got = HashingVectorizer(**params).fit_transform(docs)
    assert_same_matrix(got, expected)


def test_hashing_vectorizer_equals_sklearn_on_real_text() -> None:
    for params in (
        {},
        {"ngram_range": (1, 2), "n_features": 2**10},
        {"analyzer": "char_wb"},
    ):
        expected = sk.HashingVectorizer(**params).transform(REAL_CORPUS)
        assert_same_matrix(
            HashingVectorizer(**params).fit(REAL_CORPUS).transform(REAL_CORPUS),
            expected,
        )


def test_hashing_vectorizer_blocks_and_names() -> None:
    frame = pd.DataFrame({"a": ["red shoes", None], "b": ["x y", "z"]})
    vectorizer = HashingVectorizer(n_features=4).fit(frame)
    X = vectorizer.transform(frame)
    assert X.shape == (2, 8)
    names = vectorizer.get_feature_names_out().tolist()
    assert names[:2] == ["a_hash_0", "a_hash_1"]
    assert names[4:6] == ["b_hash_0", "b_hash_1"]
    one = HashingVectorizer(n_features=3).fit(["a"]).get_feature_names_out().tolist()
    assert one == ["x0_hash_0", "x0_hash_1", "x0_hash_2"]
    series = pd.Series(["a b"], name="review")
    named = HashingVectorizer(n_features=2).fit(series).get_feature_names_out()
    assert named.tolist() == ["review_hash_0", "review_hash_1"]


def test_hashing_vectorizer_pickles_and_saves(tmp_path: object) -> None:
    vectorizer = HashingVectorizer(n_features=32, token_pattern=r"\w+").fit(REAL_CORPUS)
    expected = vectorizer.transform(REAL_CORPUS)
    assert_same_matrix(
        pickle.loads(pickle.dumps(vectorizer)).transform(REAL_CORPUS), expected
    )
    path = tmp_path / "hashing.json"  # type: ignore[operator]
    mlprep.save(vectorizer, path)
    assert_same_matrix(mlprep.load(path).transform(REAL_CORPUS), expected)


def test_hashing_vectorizer_checks_parameters() -> None:
    from mlprep.exceptions import InvalidParameterError

    with pytest.raises(InvalidParameterError, match="n_features"):
        HashingVectorizer(n_features=0).fit(["a"])


@given(
    docs=corpora(),
    params=_OPTIONS,
    characters=st.integers(1, 200),
)
@settings(max_examples=40)
def test_chunked_hashing_equals_sklearn_whatever_the_chunk_size(
    docs: list, params: dict, characters: int
) -> None:
    # chunks as small as one document must give scikit-learn's matrix exactly
    import mlprep.text._hashing as hashing

    if params["analyzer"] != "word":
        params.pop("stop_words", None)
    expected, error = run_quietly(
        lambda: sk.HashingVectorizer(**params).transform(sklearn_docs(docs))
    )
    assert error is None
    before = hashing.CHUNK_CHARACTERS
    hashing.CHUNK_CHARACTERS = characters
    try:
        got = HashingVectorizer(**params).fit_transform(docs)
    finally:
        hashing.CHUNK_CHARACTERS = before
    assert_same_matrix(got, expected)


@given(
    lengths=st.lists(st.integers(0, 50), max_size=40),
    characters=st.integers(1, 120),
)
def test_chunk_bounds_cover_every_document_once_in_order(
    lengths: list[int], characters: int
) -> None:
    from mlprep.text._analyze import chunk_bounds

    docs = ["x" * n for n in lengths]
    bounds = chunk_bounds(docs, characters)
    flat = [i for start, stop in bounds for i in range(start, stop)]
    assert flat == list(range(len(docs)))
    for start, stop in bounds:
        size = sum(lengths[start:stop])
        # a chunk holds at least one document and exceeds the budget only alone
        assert stop > start or not docs
        assert size <= characters or stop - start == 1


def test_many_chunks_equal_sklearn_on_real_text() -> None:
    import mlprep.text._hashing as hashing

    before = hashing.CHUNK_CHARACTERS
    hashing.CHUNK_CHARACTERS = 150
    try:
        got = HashingVectorizer(ngram_range=(1, 2), n_features=2**10).fit_transform(
            REAL_CORPUS * 3
        )
    finally:
        hashing.CHUNK_CHARACTERS = before
    expected = sk.HashingVectorizer(ngram_range=(1, 2), n_features=2**10).transform(
        REAL_CORPUS * 3
    )
    assert got.shape == (36, 2**10)
    assert_same_matrix(got, expected)
