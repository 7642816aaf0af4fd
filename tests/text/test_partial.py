"""Vectorizers in batches: partial_fit, lazy sources and merge give fit's vocabulary and idf."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.feature_extraction import text as sk
from tests.text._helpers import REAL_CORPUS, assert_same_matrix

import mlprep
from mlprep.exceptions import DataError
from mlprep.state import state_from_dict
from mlprep.testing.strategies import corpora
from mlprep.text import CountVectorizer, HashingVectorizer, TfidfVectorizer, Tokenizer
from mlprep.text._state import TermCounts

CORPUS = pd.DataFrame(
    {
        "body": REAL_CORPUS * 3 + [None, "harbour harbour boats"],
        "title": [d[:18] if d else None for d in REAL_CORPUS * 3] + ["x y", None],
    }
)

VECTORIZERS = [
    CountVectorizer(columns="body"),
    CountVectorizer(ngram_range=(1, 2), min_df=2, max_df=0.5, columns="body"),
    CountVectorizer(max_features=25, binary=True, columns="body"),
    CountVectorizer(stop_words="english", max_features=10, columns="body"),
    TfidfVectorizer(columns="body"),
    TfidfVectorizer(ngram_range=(1, 3), min_df=0.1, max_features=40, columns="body"),
    TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True),
    TfidfVectorizer(vocabulary=["harbour", "boats", "the", "zebra"], binary=True),
    TfidfVectorizer(smooth_idf=False, norm="l1", max_df=4),
]


def _data(vectorizer) -> pd.DataFrame:
    """What a vectorizer reads: one given ``columns="body"`` gets that column alone.

    A text column left out of ``columns=`` is refused, not dropped (issue 15).
    """
    return CORPUS[["body"]] if vectorizer.columns == "body" else CORPUS


def _batches(frame: pd.DataFrame, size: int) -> list[pd.DataFrame]:
    return [frame.iloc[i : i + size] for i in range(0, len(frame), size)]


def _assert_same_fit(ours, expected, data=CORPUS) -> None:
    assert ours.vocabularies_ == expected.vocabularies_
    assert ours.get_feature_names_out().tolist() == (
        expected.get_feature_names_out().tolist()
    )
    if isinstance(expected, TfidfVectorizer):
        assert ours.idfs_ == expected.idfs_  # bit for bit
    assert_same_matrix(ours.transform(data), expected.transform(data))


@pytest.mark.parametrize("vectorizer", VECTORIZERS, ids=repr)
@pytest.mark.parametrize("size", [1, 5, 17])
def test_partial_fit_over_batches_equals_fit(vectorizer, size) -> None:
    data = _data(vectorizer)
    expected = clone(vectorizer).fit(data)
    ours = clone(vectorizer)
    for batch in _batches(data, size):
        if size == 1 and vectorizer.min_df != 1:
            try:
                ours.partial_fit(batch)
            except DataError as error:  # one document can prune every term
                assert "no terms remain" in str(error) or "max_df" in str(error)
        else:
            ours.partial_fit(batch)
    _assert_same_fit(ours, expected, data)


@pytest.mark.parametrize("vectorizer", VECTORIZERS, ids=repr)
def test_merge_in_any_order_equals_fit(vectorizer) -> None:
    data = _data(vectorizer)
    expected = clone(vectorizer).fit(data)
    shards = [data.iloc[i::3] for i in range(3)]
    parts = [clone(vectorizer).partial_fit(shard) for shard in shards]
    for order in ([0, 1, 2], [2, 1, 0], [1, 2, 0]):
        merged = mlprep.merge([parts[i] for i in order])
        _assert_same_fit(merged, expected, data)
        assert merged.partial_state_ == mlprep.merge(parts).partial_state_
    assert [p.partial_state_["body"].documents for p in parts] == [13, 13, 12]


@pytest.mark.parametrize("vectorizer", VECTORIZERS, ids=repr)
def test_lazy_frame_fit_equals_eager_fit(vectorizer) -> None:
    data = _data(vectorizer)
    expected = clone(vectorizer).fit(data)
    lazy = pl.from_pandas(data).lazy()
    _assert_same_fit(clone(vectorizer).fit(lazy), expected, data)


def test_tfidf_in_batches_equals_scikit_learn() -> None:
    docs = CORPUS["body"].fillna("").tolist()
    theirs = sk.TfidfVectorizer(ngram_range=(1, 2), max_features=30, min_df=2)
    expected = theirs.fit_transform(docs)
    ours = TfidfVectorizer(ngram_range=(1, 2), max_features=30, min_df=2)
    for start in range(0, len(docs), 6):
        ours.partial_fit(docs[start : start + 6])
    assert (
        ours.get_feature_names_out().tolist() == theirs.get_feature_names_out().tolist()
    )
    np.testing.assert_array_equal(ours.idf_, theirs.idf_)
    assert_same_matrix(ours.transform(docs), expected, exact=False)


def test_max_features_ties_break_as_in_fit() -> None:
    # every term occurs once: max_features chooses among equal totals
    docs = pd.DataFrame({"t": [f"w{i} v{i}" for i in range(40)]})
    vectorizer = CountVectorizer(max_features=7)
    expected = clone(vectorizer).fit(docs)
    ours = clone(vectorizer)
    for batch in _batches(docs, 3)[::-1]:
        ours.partial_fit(batch)
    assert ours.vocabularies_ == expected.vocabularies_


def test_save_and_load_keep_the_partial_state(tmp_path) -> None:
    body = CORPUS[["body"]]
    first, second = body.iloc[:20], body.iloc[20:]
    vectorizer = TfidfVectorizer(min_df=2, columns="body").partial_fit(first)
    mlprep.save(vectorizer, tmp_path / "tfidf.json")
    loaded = mlprep.load(tmp_path / "tfidf.json")
    assert loaded.partial_state_ == vectorizer.partial_state_
    loaded.partial_fit(second)
    expected = TfidfVectorizer(min_df=2, columns="body").fit(body)
    _assert_same_fit(loaded, expected, body)
    # and the loaded part merges like the original
    other = TfidfVectorizer(min_df=2, columns="body").partial_fit(second)
    _assert_same_fit(
        mlprep.merge([other, mlprep.load(tmp_path / "tfidf.json")]), expected, body
    )


def test_partial_fit_does_not_continue_an_eager_fit() -> None:
    vectorizer = CountVectorizer().fit(CORPUS)
    assert getattr(vectorizer, "partial_state_", None) is None
    with pytest.raises(DataError, match="keeps no term counts"):
        vectorizer.partial_fit(CORPUS)
    with pytest.raises(DataError, match="no partial state"):
        mlprep.merge([vectorizer, vectorizer])


def test_pruning_happens_when_finishing() -> None:
    docs = pd.DataFrame({"t": ["rare common", "common", "common", "other common"]})
    vectorizer = CountVectorizer(min_df=2).partial_fit(docs.iloc[:2])
    assert list(vectorizer.vocabularies_["t"]) == ["common"]
    # "rare" was pruned from the vocabulary but is still counted
    assert vectorizer.partial_state_["t"].df == {"common": 2, "rare": 1}
    vectorizer.partial_fit(docs.iloc[2:])
    assert list(vectorizer.vocabularies_["t"]) == ["common"]
    vectorizer.partial_fit(pd.DataFrame({"t": ["other rare"]}))
    assert list(vectorizer.vocabularies_["t"]) == ["common", "other", "rare"]


def test_empty_vocabulary_is_refused_after_every_batch() -> None:
    vectorizer = CountVectorizer()
    with pytest.raises(DataError, match="no terms in column"):
        vectorizer.partial_fit(pd.DataFrame({"t": ["", None]}))
    vectorizer.partial_fit(pd.DataFrame({"t": ["words here"]}))
    assert vectorizer.partial_state_["t"].documents == 3
    assert list(vectorizer.vocabularies_["t"]) == ["here", "words"]


def test_several_columns_merge_column_by_column() -> None:
    vectorizer = CountVectorizer()  # body and title
    expected = clone(vectorizer).fit(CORPUS)
    parts = [clone(vectorizer).partial_fit(CORPUS.iloc[i::2]) for i in range(2)]
    _assert_same_fit(mlprep.merge(parts), expected)
    assert set(expected.vocabularies_) == {"body", "title"}


def test_merge_refuses_other_parameters() -> None:
    a = CountVectorizer(min_df=1).partial_fit(CORPUS)
    b = CountVectorizer(min_df=2).partial_fit(CORPUS)
    with pytest.raises(DataError, match="other parameters"):
        mlprep.merge([a, b])


@pytest.mark.parametrize(
    "estimator", [HashingVectorizer(n_features=64), Tokenizer()], ids=repr
)
def test_stateless_ones_learn_their_columns_in_batches(estimator) -> None:
    expected = clone(estimator).fit(CORPUS)
    ours = clone(estimator)
    for batch in _batches(CORPUS, 10):
        ours.partial_fit(batch)
    assert ours.partial_state_ == {}
    assert ours.columns_ == expected.columns_ == ["body", "title"]
    merged = mlprep.merge([ours, clone(estimator).partial_fit(CORPUS.iloc[:3])])
    out, reference = merged.transform(CORPUS), expected.transform(CORPUS)
    if isinstance(estimator, HashingVectorizer):
        assert_same_matrix(out, reference)
    else:
        pd.testing.assert_frame_equal(out, reference)
    lazy = clone(estimator).fit(pl.from_pandas(CORPUS).lazy())
    assert lazy.columns_ == expected.columns_
    with pytest.raises(DataError, match="missing:\n- title"):
        ours.partial_fit(CORPUS[["body"]])


def test_hashing_partial_fit_continues_an_eager_fit() -> None:
    vectorizer = HashingVectorizer(n_features=32).fit(CORPUS)
    vectorizer.partial_fit(CORPUS.iloc[:2])
    assert vectorizer.transform(CORPUS).shape == (len(CORPUS), 64)


def test_term_counts_round_trip_through_json() -> None:
    state = TermCounts().add(["b", "a", "é"], [1, 2, 3], [4, 5, 6], documents=7)
    document = json.loads(json.dumps(state.to_dict()))
    back = state_from_dict(document)
    assert back == state
    assert (back.documents, back.df, back.tf) == (
        7,
        {"a": 2, "b": 1, "é": 3},
        {"a": 5, "b": 4, "é": 6},
    )
    assert [t for t, _, _ in document["data"]["terms"]] == ["a", "b", "é"]


def test_term_counts_merge_is_commutative_and_leaves_inputs() -> None:
    a = TermCounts().add(["x", "y"], [1, 2], [1, 3], documents=2)
    b = TermCounts().add(["y", "z"], [1, 1], [2, 1], documents=1)
    assert a.merge(b) == b.merge(a)
    assert a.df == {"x": 1, "y": 2} and b.df == {"y": 1, "z": 1}
    merged = a.merge(b)
    assert (merged.documents, merged.df, merged.tf) == (
        3,
        {"x": 1, "y": 3, "z": 1},
        {"x": 1, "y": 5, "z": 1},
    )


@given(
    docs=corpora(min_docs=2, max_docs=25),
    cut=st.floats(0.0, 1.0),
    options=st.fixed_dictionaries(
        {
            "ngram_range": st.sampled_from([(1, 1), (1, 2)]),
            "min_df": st.sampled_from([1, 0.0, 0.1]),
            "max_features": st.sampled_from([None, 3]),
            "binary": st.booleans(),
        }
    ),
)
def test_two_batches_equal_one_fit(docs, cut, options) -> None:
    frame = pd.DataFrame({"t": pd.Series(docs, dtype=object)})
    split = round(cut * len(frame))
    try:
        expected = TfidfVectorizer(**options).fit(frame)
    except DataError:
        return  # nothing to learn from this corpus
    ours = TfidfVectorizer(**options)
    for part in (frame.iloc[:split], frame.iloc[split:]):
        if len(part):
            try:
                ours.partial_fit(part)
            except DataError:
                pass  # a first part without terms; the next one adds them
    assert ours.vocabularies_ == expected.vocabularies_
    assert ours.idfs_ == expected.idfs_
