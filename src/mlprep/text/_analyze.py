"""The analysis kernels: documents -> normalized text -> tokens -> integer n-grams.

The chain is the one scikit-learn's vectorizers use, done in bulk:

1. **normalize** each document: ``str.lower`` then accent stripping
   (scikit-learn's own ``strip_accents_unicode`` / ``strip_accents_ascii``);
2. **tokenize** with Python's ``re`` (so ``token_pattern`` means exactly what
   it means in scikit-learn) or one of nltk's data-free tokenizers;
3. **encode** every token as an integer code into the corpus's unique tokens
   (:func:`mlprep.core._strings.encode_token_lists`), so stop words, stemming
   and lemmatization run once per *distinct* word, not once per occurrence;
4. **n-grams** are then built from the integer codes (:mod:`mlprep.text._ngrams`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np

from mlprep.core import encode_token_lists, split_word_runs
from mlprep.exceptions import InvalidParameterError
from mlprep.text._options import nltk_module

__all__ = [
    "RUN_PATTERNS",
    "SKLEARN_TOKEN_PATTERN",
    "WORD_PATTERN",
    "Encoded",
    "compile_pattern",
    "normalize_documents",
    "split_documents",
    "splitter",
]

SKLEARN_TOKEN_PATTERN = r"(?u)\b\w\w+\b"
"""scikit-learn's default ``token_pattern``: words of two or more word characters."""

WORD_PATTERN = r"(?u)\w+(?:['’\-]\w+)*"
"""The Tokenizer's default: words of any length, keeping inner apostrophes and hyphens."""

_WORDPUNCT = r"\w+|[^\w\s]+"  # nltk's WordPunctTokenizer pattern

RUN_PATTERNS: dict[str, int] = {
    pattern: length
    for length, forms in (
        (2, (r"\b\w\w+\b", r"\w\w+")),
        (1, (r"\b\w+\b", r"\w+")),
    )
    for form in forms
    for pattern in (form, "(?u)" + form)
}
"""Token patterns whose tokens are the maximal runs of word characters of a
minimum length. On ASCII text Python's ``\\w`` is ``[0-9A-Za-z_]``, so those
documents are split in bulk (:func:`mlprep.core._strings.split_word_runs`) with
the same result; documents with any non-ASCII character go through Python's
``re`` (where the bulk kernel's ASCII ``\\w`` and ``\b`` would differ)."""


def normalize_documents(
    docs: Sequence[str], *, lowercase: bool, strip_accents: str | None
) -> list[str]:
    """Lowercase, then strip accents, exactly as scikit-learn's preprocessor does."""
    out = [doc.lower() for doc in docs] if lowercase else list(docs)
    if strip_accents is not None:
        from sklearn.feature_extraction.text import (
            strip_accents_ascii,
            strip_accents_unicode,
        )

        strip = (
            strip_accents_unicode if strip_accents == "unicode" else strip_accents_ascii
        )
        out = [strip(doc) for doc in out]
    return out


def compile_pattern(pattern: str, owner: str) -> re.Pattern[str]:
    """``re.compile(pattern)``; at most one capturing group, as in scikit-learn."""
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise InvalidParameterError(
            f"The token_pattern of {owner} is not a valid regular expression: {exc}."
        ) from exc
    if compiled.groups > 1:
        raise InvalidParameterError(
            f"The token_pattern of {owner} has {compiled.groups} capturing groups; "
            "at most one is allowed (its text is the token). Make the others "
            "non-capturing: (?:...)."
        )
    return compiled


def splitter(
    method: str, token_pattern: str, *, lowercase: bool, owner: str
) -> Callable[[str], list[str]]:
    """The function that splits one normalized document into tokens."""
    if method == "regex":
        return compile_pattern(token_pattern, owner).findall
    if method == "wordpunct":
        return re.compile(_WORDPUNCT).findall
    if method == "whitespace":
        return str.split
    nltk_module(f"method={method!r}")
    if method == "treebank":
        from nltk.tokenize import TreebankWordTokenizer

        return TreebankWordTokenizer().tokenize
    from nltk.tokenize import TweetTokenizer

    return TweetTokenizer(preserve_case=not lowercase).tokenize


def split_documents(
    docs: Sequence[str],
    *,
    method: str,
    token_pattern: str,
    lowercase: bool,
    strip_accents: str | None,
    owner: str,
) -> list[list[str]]:
    """Normalize and tokenize every document (one C-level ``findall`` per document).

    The tweet tokenizer lowercases by itself (keeping emoticons such as ``:D``
    intact), so the document is not lowercased before it.
    """
    split = splitter(method, token_pattern, lowercase=lowercase, owner=owner)
    pre_lower = lowercase and method != "tweet"
    normalized = normalize_documents(
        docs, lowercase=pre_lower, strip_accents=strip_accents
    )
    return [split(doc) for doc in normalized]


@dataclass
class Encoded:
    """Tokens of a corpus as integer codes.

    ``codes[offsets[d]:offsets[d + 1]]`` are document ``d``'s tokens, each an
    index into ``words`` (the distinct tokens).
    """

    codes: np.ndarray
    offsets: np.ndarray
    words: list[str]

    def filtered(self, keep_word: np.ndarray) -> Encoded:
        """Drop the occurrences of the words where ``keep_word`` is False."""
        keep = keep_word[self.codes]
        doc_of = np.repeat(np.arange(len(self.offsets) - 1), np.diff(self.offsets))
        counts = np.bincount(doc_of[keep], minlength=len(self.offsets) - 1)
        offsets = np.zeros(len(self.offsets), dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        return Encoded(self.codes[keep], offsets, self.words)

    def mapped(self, function: Callable[[str], str]) -> Encoded:
        """Apply ``function`` to each distinct word and merge words that become equal."""
        new_words = [function(word) for word in self.words]
        index: dict[str, int] = {}
        remap = np.fromiter(
            (index.setdefault(word, len(index)) for word in new_words),
            dtype=np.int64,
            count=len(new_words),
        )
        return Encoded(remap[self.codes], self.offsets, list(index))


@dataclass(frozen=True)
class Analysis:
    """The resolved analysis options of one transformer (built at fit/transform).

    ``stop_words`` is a set (already resolved from ``"english"`` or
    ``"nltk:<language>"``) and ``normalize`` the lemmatize-then-stem function,
    so nltk resources are loaded once and a missing one fails before any work.
    """

    analyzer: str
    method: str
    token_pattern: str
    lowercase: bool
    strip_accents: str | None
    stop_words: frozenset[str] | None
    normalize: Callable[[str], str] | None
    ngram_range: tuple[int, int]
    owner: str

    @classmethod
    def of(cls, estimator: Any, owner: str | None = None) -> Analysis:
        """Resolve an estimator's options (nltk data is checked here)."""
        from mlprep.text._options import resolve_normalizer, resolve_stop_words

        owner = owner or type(estimator).__name__
        analyzer = getattr(estimator, "analyzer", "word")
        if analyzer == "word" and estimator.method == "regex":
            compile_pattern(estimator.token_pattern, owner)
        word = analyzer == "word"
        return cls(
            analyzer=analyzer,
            method=estimator.method,
            token_pattern=estimator.token_pattern,
            lowercase=estimator.lowercase,
            strip_accents=estimator.strip_accents,
            stop_words=resolve_stop_words(estimator.stop_words) if word else None,
            normalize=(
                resolve_normalizer(estimator.stemmer, estimator.lemmatizer)
                if word
                else None
            ),
            ngram_range=tuple(estimator.ngram_range),
            owner=owner,
        )

    def tokens(self, docs: Sequence[str]) -> Encoded:
        """Word tokens of every document after stop words and stemming/lemmatizing."""
        run_length = (
            RUN_PATTERNS.get(self.token_pattern) if self.method == "regex" else None
        )
        if run_length is not None:
            encoded = Encoded(
                *split_word_runs(
                    docs,
                    min_length=run_length,
                    lowercase=self.lowercase,
                    split_other=self._split,
                )
            )
        else:
            encoded = Encoded(*encode_token_lists(self._split(docs)))
        if self.stop_words:
            stop = self.stop_words
            keep = np.fromiter(
                (word not in stop for word in encoded.words),
                dtype=bool,
                count=len(encoded.words),
            )
            if not keep.all():
                encoded = encoded.filtered(keep)
        if self.normalize is not None:
            encoded = encoded.mapped(self.normalize)
        return encoded

    def _split(self, docs: Sequence[str]) -> list[list[str]]:
        """Normalize and tokenize ``docs`` with Python's ``re`` or nltk."""
        return split_documents(
            docs,
            method=self.method,
            token_pattern=self.token_pattern,
            lowercase=self.lowercase,
            strip_accents=self.strip_accents,
            owner=self.owner,
        )

    def token_lists(self, docs: Sequence[str]) -> list[list[str]]:
        """Each document's tokens (and n-grams, space-joined) as lists of str.

        The order is scikit-learn's analyzer order: a document's unigrams,
        then its bigrams, ... each in position order.
        """
        from mlprep.text._ngrams import term_strings, word_ngrams

        encoded = self.tokens(docs)
        n_docs = len(encoded.offsets) - 1
        if tuple(self.ngram_range) == (1, 1):
            words = np.empty(len(encoded.words), dtype=object)
            words[:] = encoded.words
            flat = words[encoded.codes].tolist()
            bounds = encoded.offsets.tolist()
        else:
            table = word_ngrams(
                encoded.codes, encoded.offsets, encoded.words, self.ngram_range
            )
            strings = term_strings(table, np.arange(table.n_terms))
            order = np.argsort(
                table.doc, kind="stable"
            )  # document, then n, then position
            flat = strings[table.term[order]].tolist()
            bounds = [0, *np.cumsum(np.bincount(table.doc, minlength=n_docs)).tolist()]
        return [flat[a:b] for a, b in pairwise(bounds)]

    def table(self, docs: Sequence[str]) -> Any:
        """The :class:`~mlprep.text._ngrams.NgramTable` of ``docs``."""
        from mlprep.text._ngrams import char_ngram_lists, word_ngrams

        if self.analyzer == "word":
            encoded = self.tokens(docs)
            return word_ngrams(
                encoded.codes, encoded.offsets, encoded.words, self.ngram_range
            )
        normalized = normalize_documents(
            docs, lowercase=self.lowercase, strip_accents=self.strip_accents
        )
        lists = char_ngram_lists(
            normalized, self.ngram_range, word_bounded=self.analyzer == "char_wb"
        )
        encoded = Encoded(*encode_token_lists(lists))
        return word_ngrams(encoded.codes, encoded.offsets, encoded.words, (1, 1))
