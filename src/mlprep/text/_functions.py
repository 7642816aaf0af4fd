"""Module functions: ``tokenize`` one text (or many) and ``ngrams`` of a token list."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from numbers import Integral
from types import SimpleNamespace
from typing import Any

from mlprep.core import (
    Boolean,
    InstanceOf,
    NoneOK,
    Options,
    is_missing_scalar,
    validate_params,
)
from mlprep.exceptions import InvalidParameterError
from mlprep.text._analyze import WORD_PATTERN, Analysis
from mlprep.text._options import (
    METHODS,
    LemmatizerSpec,
    NgramRange,
    StemmerSpec,
    StopWordsSpec,
)

__all__ = ["TOKENIZE_CONSTRAINTS", "ngrams", "tokenize"]

TOKENIZE_CONSTRAINTS: dict[str, list[Any]] = {
    "method": [Options(*METHODS)],
    "lowercase": [Boolean],
    "token_pattern": [InstanceOf(str, "a str (a regular expression)")],
    "strip_accents": [Options("ascii", "unicode"), NoneOK],
    "stop_words": [StopWordsSpec],
    "stemmer": [StemmerSpec],
    "lemmatizer": [LemmatizerSpec],
    "ngram_range": [NgramRange],
}


def tokenize(
    text: str | Iterable[str | None] | None,
    *,
    method: str = "regex",
    lowercase: bool = True,
    token_pattern: str = WORD_PATTERN,
    strip_accents: str | None = None,
    stop_words: Any = None,
    stemmer: str | None = None,
    lemmatizer: str | None = None,
    ngram_range: tuple[int, int] = (1, 1),
) -> list[str] | list[list[str]]:
    """Split text into tokens: normalize, tokenize, drop stop words, stem/lemmatize, n-grams.

    Parameters
    ----------
    text : str, None, or iterable of str/None
        One document, or many. A missing document (None, NaN, ``pd.NA``,
        ``NaT``) is an empty one: it has no tokens.
    method, lowercase, token_pattern, strip_accents, stop_words, stemmer, lemmatizer, ngram_range
        As in :class:`~mlprep.text.Tokenizer`.

    Returns
    -------
    list of str for one document, list of lists for many
        n-grams longer than one token are joined with a space.

    Examples
    --------
    >>> from mlprep.text import tokenize
    >>> tokenize("Machine learning is fascinating", lowercase=False)
    ['Machine', 'learning', 'is', 'fascinating']
    >>> tokenize("The cat is on the mat", stop_words=["the", "is"])
    ['cat', 'on', 'mat']
    >>> tokenize("I love ML", lowercase=False, ngram_range=(2, 2))
    ['I love', 'love ML']
    >>> tokenize(float("nan"))
    []
    """
    options = {
        "method": method,
        "lowercase": lowercase,
        "token_pattern": token_pattern,
        "strip_accents": strip_accents,
        "stop_words": stop_words,
        "stemmer": stemmer,
        "lemmatizer": lemmatizer,
        "ngram_range": ngram_range,
    }
    validate_params("tokenize", options, TOKENIZE_CONSTRAINTS)
    analysis = Analysis.of(SimpleNamespace(**options), owner="tokenize")
    if isinstance(text, str) or is_missing_scalar(text):
        return analysis.token_lists([text if isinstance(text, str) else ""])[0]
    if not isinstance(text, Iterable):
        raise InvalidParameterError(
            f"tokenize needs a str document, None or an iterable of them; got "
            f"{type(text).__name__} {text!r}."
        )
    docs = []
    for doc in text:
        if is_missing_scalar(doc):
            docs.append("")
        elif isinstance(doc, str):
            docs.append(doc)
        else:
            raise InvalidParameterError(
                f"tokenize needs str documents (or None); got {type(doc).__name__} "
                f"{doc!r}."
            )
    return analysis.token_lists(docs)


def ngrams(
    tokens: Sequence[str],
    n: int | tuple[int, int],
    *,
    join: str | None = " ",
) -> list[Any]:
    """The n-grams of a token sequence, in order.

    Parameters
    ----------
    tokens : sequence of str
    n : int or tuple (min_n, max_n)
        One n-gram length, or a range: all unigrams first, then bigrams, ...
        (scikit-learn's order).
    join : str or None, default=" "
        Separator of the words of an n-gram; None returns tuples.

    Returns
    -------
    list of str (or of tuples when ``join=None``)

    Examples
    --------
    >>> from mlprep.text import ngrams
    >>> ngrams(["I", "love", "ML"], 2)
    ['I love', 'love ML']
    >>> ngrams(["Machine", "learning", "is", "fun"], 2, join=None)
    [('Machine', 'learning'), ('learning', 'is'), ('is', 'fun')]
    """
    span: Any = (
        (int(n), int(n)) if isinstance(n, Integral) and not isinstance(n, bool) else n
    )
    validate_params(
        "ngrams",
        {"n": span, "join": join},
        {
            "n": [NgramRange],
            "join": [InstanceOf(str, "a str"), NoneOK],
        },
    )
    items = list(tokens)
    out: list[Any] = []
    for size in range(span[0], span[1] + 1):
        for start in range(len(items) - size + 1):
            gram = tuple(items[start : start + size])
            out.append(gram if join is None else join.join(gram))
    return out
