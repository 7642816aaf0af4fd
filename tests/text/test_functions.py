"""tokenize() and ngrams(): the seed vectors and their edges."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer as SkCount

from mlprep.exceptions import InvalidParameterError
from mlprep.text import ngrams, tokenize


def test_seed_tokens_keep_case_when_asked() -> None:
    assert tokenize("Machine learning is fascinating", lowercase=False) == [
        "Machine",
        "learning",
        "is",
        "fascinating",
    ]
    assert tokenize("The quick brown fox jumps over the lazy dog", lowercase=False) == [
        "The",
        "quick",
        "brown",
        "fox",
        "jumps",
        "over",
        "the",
        "lazy",
        "dog",
    ]


def test_seed_bigrams() -> None:
    tokens = tokenize("Machine learning is fun", lowercase=False)
    assert ngrams(tokens, 2, join=None) == [
        ("Machine", "learning"),
        ("learning", "is"),
        ("is", "fun"),
    ]
    assert ngrams(tokenize("I love ML", lowercase=False), 2) == ["I love", "love ML"]
    assert tokenize("I love ML", lowercase=False, ngram_range=(2, 2)) == [
        "I love",
        "love ML",
    ]


def test_seed_stop_words_and_stemming() -> None:
    assert tokenize("The cat is on the mat", stop_words=["the", "is"]) == [
        "cat",
        "on",
        "mat",
    ]
    pytest.importorskip("nltk")
    assert tokenize("running", stemmer="porter") == ["run"]


def test_default_pattern_keeps_contractions_and_hyphens() -> None:
    assert tokenize("Don't over-think it, I said.") == [
        "don't",
        "over-think",
        "it",
        "i",
        "said",
    ]


def test_tokenize_many_documents() -> None:
    assert tokenize(["A b", None, "", float("nan")]) == [["a", "b"], [], [], []]
    assert tokenize(None) == []
    with pytest.raises(InvalidParameterError, match="str documents"):
        tokenize(["a", 3])  # type: ignore[list-item]


@given(doc=st.text(max_size=40), low=st.integers(1, 3), extra=st.integers(0, 2))
def test_tokenize_with_sklearn_pattern_equals_sklearn_analyzer(
    doc: str, low: int, extra: int
) -> None:
    pattern = r"(?u)\b\w\w+\b"
    expected = SkCount(ngram_range=(low, low + extra)).build_analyzer()(doc)
    assert (
        tokenize(doc, token_pattern=pattern, ngram_range=(low, low + extra)) == expected
    )


@given(tokens=st.lists(st.sampled_from("abc"), max_size=6), n=st.integers(1, 4))
def test_ngrams_count_and_order(tokens: list[str], n: int) -> None:
    grams = ngrams(tokens, n, join=None)
    assert len(grams) == max(len(tokens) - n + 1, 0)
    assert all(list(g) == tokens[i : i + n] for i, g in enumerate(grams))
    assert ngrams(tokens, (1, n)) == [
        " ".join(g) for size in range(1, n + 1) for g in ngrams(tokens, size, join=None)
    ]


@pytest.mark.parametrize("n", [0, (2, 1), "2", True])
def test_ngrams_rejects_bad_n(n: object) -> None:
    with pytest.raises(InvalidParameterError, match="The 'n' parameter of ngrams"):
        ngrams(["a"], n)  # type: ignore[arg-type]
