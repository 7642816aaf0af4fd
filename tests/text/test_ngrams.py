"""Integer n-grams, scikit-learn's term order, char n-grams and count matrices."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer as SkCount

from mlprep.testing.strategies import TRICKY_CHARACTERS
from mlprep.text import CountVectorizer
from mlprep.text._ngrams import (
    canonical_order,
    char_ngram_lists,
    count_matrix,
    term_strings,
    word_ngrams,
)

token_docs = st.lists(
    st.lists(st.sampled_from(["a", "b", "ab", "b a", "c"]), max_size=6), max_size=5
)
ranges = st.tuples(st.integers(1, 3), st.integers(0, 2)).map(
    lambda t: (t[0], t[0] + t[1])
)


def _naive(docs: list[list[str]], ngram_range: tuple[int, int]) -> list[list[str]]:
    out = []
    for tokens in docs:
        grams = []
        for n in range(ngram_range[0], ngram_range[1] + 1):
            grams += [" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]
        out.append(sorted(grams))
    return out


def _table(docs: list[list[str]], ngram_range: tuple[int, int]):
    words = sorted({t for d in docs for t in d})
    index = {w: i for i, w in enumerate(words)}
    codes = np.array([index[t] for d in docs for t in d], dtype=np.int64)
    offsets = np.concatenate([[0], np.cumsum([len(d) for d in docs])]).astype(np.int64)
    return word_ngrams(codes, offsets, words, ngram_range)


@given(docs=token_docs, ngram_range=ranges)
def test_word_ngrams_from_codes_equal_naive_ngrams(
    docs: list[list[str]], ngram_range: tuple[int, int]
) -> None:
    table = _table(docs, ngram_range)
    strings = term_strings(table, np.arange(table.n_terms))
    got = [[] for _ in docs]
    for doc, term in zip(table.doc.tolist(), table.term.tolist()):
        got[doc].append(strings[term])
    assert [sorted(g) for g in got] == _naive(docs, ngram_range)


@given(docs=token_docs, ngram_range=ranges)
def test_canonical_order_is_sorted_string_order(
    docs: list[list[str]], ngram_range: tuple[int, int]
) -> None:
    table = _table(docs, ngram_range)
    rank, representative = canonical_order(table)
    strings = term_strings(table, np.arange(table.n_terms))
    distinct = sorted(set(strings.tolist()))
    assert [
        distinct[r] for r in rank
    ] == strings.tolist()  # equal strings share a column
    assert term_strings(table, representative).tolist() == distinct


def test_canonical_order_fast_path_matches_string_sort() -> None:
    table = _table([["ab", "a", "c"], ["a", "ab"], ["c", "a"]], (1, 3))
    rank, _ = canonical_order(table)
    strings = term_strings(table, np.arange(table.n_terms)).tolist()
    assert [s for _, s in sorted(zip(rank.tolist(), strings))] == sorted(strings)


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


def test_count_matrix_sums_duplicates() -> None:
    matrix = count_matrix(np.array([0, 0, 1, 0]), np.array([2, 2, 0, 1]), 2, 3)
    assert matrix.toarray().tolist() == [[0, 1, 2], [1, 0, 0]]
    assert matrix.dtype == np.int64 and matrix.has_canonical_format
