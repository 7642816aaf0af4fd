"""Text benchmark: TF-IDF, hashing and tokenization on the 100k-document corpus of PEERS.md.

Data as ``../shared/bench/peers.py`` ``gen_text``: N / 10 documents (100,000 at the
default N = 1M) of ~30 words drawn Zipf(s=1) from 50,000 synthetic lowercase words.

* tfidf (1,2)-grams: mlprep ``TfidfVectorizer`` vs scikit-learn's, same settings
  (token_pattern ``(?u)\\b\\w\\w+\\b``); issue 6 target: mlprep at least 3x faster,
  issue 16: at least 4x at 300k documents (``--n 3000000``). The two matrices are
  compared before timing (values to the bit, vocabulary, column order and each row's
  storage order must be identical, else the task fails);
* counts (1,2)-grams and hashing (1,2)-grams 2**20: the same for Count/HashingVectorizer;
* tokenize: ``mlprep.text.tokenize`` (lists of tokens) vs scikit-learn's analyzer,
  nltk's ``wordpunct_tokenize`` and ``str.split``.

Run from the repository root::

    /work/venv/bin/python benchmarks/bench_text.py --out benchmarks/RESULTS.md
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import numpy as np
from _harness import SEED, Task, main

DOCS_PER_ROW = 10
VOCABULARY = 50_000
ZIPF_S = 1.0
MEAN_WORDS = 30
NGRAMS = (1, 2)
PATTERN = r"(?u)\b\w\w+\b"
HASH_FEATURES = 2**20


def text(n: int) -> list[str]:
    """N / 10 documents of ~30 words, Zipf(1) over 50k synthetic words (as peers.py)."""
    n_docs = max(1, n // DOCS_PER_ROW)
    rng = np.random.default_rng([SEED, 5])
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    words: dict[str, None] = {}
    while len(words) < VOCABULARY:
        sizes = rng.integers(2, 11, VOCABULARY)
        chars = "".join(letters[rng.integers(0, 26, int(sizes.sum()))])
        ends = np.cumsum(sizes).tolist()
        for start, end in zip([0, *ends[:-1]], ends):
            words[chars[start:end]] = None
    vocabulary = np.array(sorted(list(words)[:VOCABULARY], key=len), dtype=object)
    p = 1.0 / np.arange(1, VOCABULARY + 1) ** ZIPF_S
    p /= p.sum()
    lengths = np.maximum(5, rng.poisson(MEAN_WORDS, n_docs))
    tokens = vocabulary[rng.choice(VOCABULARY, int(lengths.sum()), p=p)].tolist()
    bounds = np.concatenate(([0], np.cumsum(lengths))).tolist()
    return [" ".join(tokens[a:b]) + "." for a, b in itertools.pairwise(bounds)]


DATA: dict[str, Callable[[int], Any]] = {"text": text}


def _frame(docs: list[str]) -> Any:
    import pandas as pd

    return pd.DataFrame({"doc": docs})


def _assert_identical(
    ours: Any, theirs: Any, our_names: Any, their_names: Any, *, stored: bool = False
) -> None:
    """Same names and matrix; ``stored``: also each row's storage order, as returned."""
    if list(our_names) != list(their_names):
        raise AssertionError("vocabularies or column orders differ")
    ours, theirs = ours.tocsr(), theirs.tocsr()
    if stored and not all(
        np.array_equal(getattr(ours, part), getattr(theirs, part))
        for part in ("indptr", "indices", "data")
    ):
        raise AssertionError("the rows are stored in another order")
    ours.sort_indices()
    theirs.sort_indices()
    same = (
        ours.shape == theirs.shape
        and np.array_equal(ours.indptr, theirs.indptr)
        and np.array_equal(ours.indices, theirs.indices)
        and np.array_equal(ours.data, theirs.data)
    )
    if not same:
        raise AssertionError("the matrices differ")


def _checked(kind: str) -> Callable[[list[str]], Callable[[], Any]]:
    def prepare(docs: list[str]) -> Callable[[], Any]:
        from sklearn.feature_extraction import text as sk

        import mlprep.text as mt

        frame = _frame(docs)
        if kind == "hashing":
            ours = mt.HashingVectorizer(ngram_range=NGRAMS, n_features=HASH_FEATURES)
            theirs = sk.HashingVectorizer(ngram_range=NGRAMS, n_features=HASH_FEATURES)
            X = ours.fit_transform(frame)
            Y = theirs.transform(docs)
            names = their_names = range(HASH_FEATURES)
        else:
            cls = "TfidfVectorizer" if kind == "tfidf" else "CountVectorizer"
            ours = getattr(mt, cls)(ngram_range=NGRAMS, token_pattern=PATTERN)
            theirs = getattr(sk, cls)(ngram_range=NGRAMS, token_pattern=PATTERN)
            X = ours.fit_transform(frame)
            Y = theirs.fit_transform(docs)
            names, their_names = (
                ours.get_feature_names_out(),
                theirs.get_feature_names_out(),
            )
        _assert_identical(X, Y, names, their_names, stored=kind != "hashing")
        del X, Y, theirs
        return lambda: ours.fit_transform(frame)

    return prepare


mlprep_tfidf = _checked("tfidf")
mlprep_counts = _checked("counts")
mlprep_hashing = _checked("hashing")


def sklearn_tfidf(docs: list[str]) -> Callable[[], Any]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    return lambda: TfidfVectorizer(ngram_range=NGRAMS).fit_transform(docs)


def sklearn_counts(docs: list[str]) -> Callable[[], Any]:
    from sklearn.feature_extraction.text import CountVectorizer

    return lambda: CountVectorizer(ngram_range=NGRAMS).fit_transform(docs)


def sklearn_hashing(docs: list[str]) -> Callable[[], Any]:
    from sklearn.feature_extraction.text import HashingVectorizer

    vectorizer = HashingVectorizer(ngram_range=NGRAMS, n_features=HASH_FEATURES)
    return lambda: vectorizer.transform(docs)


def mlprep_tokenize(docs: list[str]) -> Callable[[], Any]:
    from mlprep.text import tokenize

    return lambda: tokenize(docs, token_pattern=PATTERN, ngram_range=NGRAMS)


def sklearn_analyzer(docs: list[str]) -> Callable[[], Any]:
    from sklearn.feature_extraction.text import CountVectorizer

    analyze = CountVectorizer(ngram_range=NGRAMS).build_analyzer()
    return lambda: [analyze(doc) for doc in docs]


def mlprep_tokenize_words(docs: list[str]) -> Callable[[], Any]:
    from mlprep.text import tokenize

    return lambda: tokenize(docs, method="wordpunct")


def nltk_wordpunct(docs: list[str]) -> Callable[[], Any]:
    from nltk.tokenize import wordpunct_tokenize

    return lambda: [wordpunct_tokenize(doc) for doc in docs]


def str_split(docs: list[str]) -> Callable[[], Any]:
    return lambda: [doc.split() for doc in docs]


TASKS = [
    Task("text", "floor", "numpy floor", "floats", "_harness:floor"),
    Task(
        "text",
        "tfidf (1,2)-grams",
        "mlprep.TfidfVectorizer (pandas)",
        "text",
        "bench_text:mlprep_tfidf",
    ),
    Task(
        "text",
        "tfidf (1,2)-grams",
        "sklearn.TfidfVectorizer",
        "text",
        "bench_text:sklearn_tfidf",
    ),
    Task(
        "text",
        "counts (1,2)-grams",
        "mlprep.CountVectorizer (pandas)",
        "text",
        "bench_text:mlprep_counts",
    ),
    Task(
        "text",
        "counts (1,2)-grams",
        "sklearn.CountVectorizer",
        "text",
        "bench_text:sklearn_counts",
    ),
    Task(
        "text",
        "hashing (1,2)-grams 2**20",
        "mlprep.HashingVectorizer (pandas)",
        "text",
        "bench_text:mlprep_hashing",
    ),
    Task(
        "text",
        "hashing (1,2)-grams 2**20",
        "sklearn.HashingVectorizer",
        "text",
        "bench_text:sklearn_hashing",
    ),
    Task(
        "text",
        "tokenize + (1,2)-grams",
        "mlprep.tokenize",
        "text",
        "bench_text:mlprep_tokenize",
    ),
    Task(
        "text",
        "tokenize + (1,2)-grams",
        "sklearn analyzer",
        "text",
        "bench_text:sklearn_analyzer",
    ),
    Task(
        "text",
        "tokenize wordpunct",
        "mlprep.tokenize",
        "text",
        "bench_text:mlprep_tokenize_words",
    ),
    Task(
        "text",
        "tokenize wordpunct",
        "nltk.wordpunct_tokenize",
        "text",
        "bench_text:nltk_wordpunct",
    ),
    Task(
        "text", "tokenize wordpunct", "str.split (ref)", "text", "bench_text:str_split"
    ),
]

if __name__ == "__main__":
    main(TASKS, title="Text: TF-IDF, counts, hashing, tokenization")
