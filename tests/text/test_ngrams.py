"""Integer n-grams of a block, grouping kernels, char n-grams and count matrices."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer as SkCount

from mlprep.testing.strategies import TRICKY_CHARACTERS
from mlprep.text import CountVectorizer
from mlprep.text._ngrams import (
    char_ngram_lists,
    first_occurrences,
    sorted_groups,
    term_strings,
    word_ngrams,
)

token_docs = st.lists(
    st.lists(st.sampled_from(["a", "b", "ab", "b a", "c"]), max_size=6), max_size=5
)
ranges = st.tuples(st.integers(1, 3), st.integers(0, 2)).map(
    lambda t: (t[0], t[0] + t[1])
)


def _analyzer_order(
    docs: list[list[str]], ngram_range: tuple[int, int]
) -> list[list[str]]:
    """Each document's n-grams as scikit-learn's analyzer emits them."""
    out = []
    for tokens in docs:
        grams = []
        for n in range(ngram_range[0], ngram_range[1] + 1):
            grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
        out.append(grams)
    return out


def _table(docs: list[list[str]], ngram_range: tuple[int, int], extra: int = 0):
    # codes in first-appearance order, plus ``extra`` words no document uses
    words = list(dict.fromkeys(t for d in docs for t in d))
    words += [f"unused{i}" for i in range(extra)]
    index = {w: i for i, w in enumerate(words)}
    codes = np.array([index[t] for d in docs for t in d], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum([len(d) for d in docs])]).astype(np.int64)
    return word_ngrams(codes, offsets, words, ngram_range)


@given(docs=token_docs, ngram_range=ranges, extra=st.integers(0, 2))
def test_word_ngrams_stream_is_the_analyzer_order(
    docs: list[list[str]], ngram_range: tuple[int, int], extra: int
) -> None:
    table = _table(docs, ngram_range, extra)
    strings = term_strings(table, np.arange(table.n_terms))
    got = [
        strings[table.term[a:b]].tolist()
        for a, b in zip(table.indptr[:-1], table.indptr[1:])
    ]
    assert got == _analyzer_order(docs, ngram_range)
    assert table.n_docs == len(docs)
    assert table.doc.tolist() == [d for d, g in enumerate(got) for _ in g]


@given(docs=token_docs, ngram_range=ranges, extra=st.integers(0, 2))
def test_word_ngrams_terms_are_distinct_and_first_positions_exact(
    docs: list[list[str]], ngram_range: tuple[int, int], extra: int
) -> None:
    table = _table(docs, ngram_range, extra)
    # one id per distinct token tuple (no term is listed twice, none is unused)
    assert sorted(set(table.term.tolist())) == list(range(table.n_terms))
    tuples = {
        tuple(tokens[i : i + n])
        for tokens in docs
        for n in range(ngram_range[0], ngram_range[1] + 1)
        for i in range(len(tokens) - n + 1)
    }
    assert table.n_terms == len(tuples)
    first = np.concatenate(table.first) if table.first else np.zeros(0, int)
    expected = [int(np.flatnonzero(table.term == t)[0]) for t in range(table.n_terms)]
    assert first.tolist() == expected


@given(
    keys=st.lists(st.integers(0, 2**62), max_size=40)
    | st.lists(st.integers(0, 9), max_size=40)
)
def test_sorted_groups_equal_numpy_unique(keys: list[int]) -> None:
    values = np.array(keys, dtype=np.int64)
    group, uniques, first = sorted_groups(values)
    expected, index, inverse = np.unique(values, return_index=True, return_inverse=True)
    assert uniques.tolist() == expected.tolist()
    assert group.tolist() == inverse.ravel().tolist()
    assert first.tolist() == index.tolist()  # the first of equal keys
    assert values.tolist() == keys  # not overwritten unless asked


def test_sorted_groups_may_overwrite_its_input() -> None:
    values = np.array([5, 1, 5], dtype=np.int64)
    group, uniques, first = sorted_groups(values, overwrite=True)
    assert (group.tolist(), uniques.tolist(), first.tolist()) == (
        [1, 0, 1],
        [1, 5],
        [1, 0],
    )


@given(ids=st.lists(st.integers(0, 5), max_size=30))
def test_first_occurrences_equal_numpy_unique(ids: list[int]) -> None:
    present = sorted(set(ids))
    relabel = {v: i for i, v in enumerate(present)}
    codes = np.array([relabel[v] for v in ids], dtype=np.int64)
    expected = np.unique(codes, return_index=True)[1]
    assert first_occurrences(codes, len(present)).tolist() == expected.tolist()


def test_tokens_with_spaces_merge_like_sklearn() -> None:
    docs = ["a b,c", "a,b c", "a b c"]
    options = {"token_pattern": r"[^,]+", "ngram_range": (1, 2)}
    ours = CountVectorizer(**options)
    theirs = SkCount(**options)
    np.testing.assert_array_equal(
        ours.fit_transform(docs).toarray(), theirs.fit_transform(docs).toarray()
    )
    assert (
        ours.get_feature_names_out().tolist() == theirs.get_feature_names_out().tolist()
    )


@given(
    doc=st.text(alphabet=TRICKY_CHARACTERS, max_size=20),
    ngram_range=ranges,
    bounded=st.booleans(),
)
def test_char_ngrams_equal_sklearn(
    doc: str, ngram_range: tuple[int, int], bounded: bool
) -> None:
    analyzer = SkCount(
        analyzer="char_wb" if bounded else "char",
        ngram_range=ngram_range,
        lowercase=False,
    ).build_analyzer()
    assert char_ngram_lists([doc], ngram_range, word_bounded=bounded) == [analyzer(doc)]
