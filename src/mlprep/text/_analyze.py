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

A corpus is analysed in blocks of about :data:`BLOCK_CHARACTERS` characters
(:meth:`Analysis.tables`) that share one word coding, so the working memory
of tokenizing and of the n-gram tables is one block's, whatever the corpus
size; :mod:`mlprep.text._terms` merges the blocks' terms.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise, repeat
from typing import TYPE_CHECKING, Any

import numpy as np

from mlprep.core import encode_token_lists, split_word_runs
from mlprep.exceptions import InvalidParameterError
from mlprep.text._options import nltk_module

if TYPE_CHECKING:
    from mlprep.text._ngrams import NgramTable
    from mlprep.text._terms import CorpusTerms

__all__ = [
    "BLOCK_CHARACTERS",
    "RUN_PATTERNS",
    "SKLEARN_TOKEN_PATTERN",
    "WORD_PATTERN",
    "Encoded",
    "chunk_bounds",
    "compile_pattern",
    "normalize_documents",
    "split_documents",
    "splitter",
]

BLOCK_CHARACTERS = 4_000_000
"""Characters of text analysed at a time by the vectorizers' fit and transform:
bounds the working memory of tokenizing and of one block's n-gram table (some
25 bytes per character for (1, 2)-grams: about 100 MB a block)."""

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


def chunk_bounds(
    docs: Sequence[str], characters: int = BLOCK_CHARACTERS
) -> list[tuple[int, int]]:
    """``(start, stop)`` ranges of ``docs`` holding about ``characters`` characters each.

    Every document is in exactly one range, in order; a range holds at least
    one document and exceeds ``characters`` only when it is that one
    document; an empty list gives one empty range.

    Examples
    --------
    >>> chunk_bounds(["ab", "cd", "ef", "g"], characters=4)
    [(0, 2), (2, 4)]
    >>> chunk_bounds([])
    [(0, 0)]
    """
    n = len(docs)
    if n == 0:
        return [(0, 0)]
    ends = np.cumsum(np.fromiter(map(len, docs), dtype=np.int64, count=n))
    bounds = []
    start = 0
    while start < n:
        done = int(ends[start - 1]) if start else 0
        stop = int(np.searchsorted(ends, done + characters, side="right"))
        stop = min(max(stop, start + 1), n)
        bounds.append((start, stop))
        start = stop
    return bounds


@dataclass
class Encoded:
    """Tokens of a corpus as integer codes.

    ``codes[offsets[d]:offsets[d + 1]]`` are document ``d``'s tokens, each an
    index into ``words`` (the distinct tokens).
    """

    codes: np.ndarray
    offsets: np.ndarray
    words: list[str]


_UNSEEN = -2  # a token the coding has not met yet


class _WordCoding:
    """Raw tokens to word codes, one coding for every block of a corpus.

    Stop words are dropped (code -1) and the lemmatizer/stemmer runs once per
    distinct raw token of the whole corpus; tokens that normalize to the same
    word share its code. ``words`` grows as blocks bring new words.
    """

    def __init__(
        self,
        stop_words: frozenset[str] | None,
        normalize: Callable[[str], str] | None,
    ) -> None:
        self.stop_words = stop_words or None
        self.normalize = normalize
        self.words: list[str] = []
        self._code: dict[str, int] = {}  # word -> code
        plain = self.stop_words is None and normalize is None
        self._raw: dict[str, int] = self._code if plain else {}  # token -> code

    def codes(self, tokens: list[str]) -> np.ndarray:
        """The code of each of ``tokens`` (distinct raw tokens), -1 for a stop word."""
        codes = np.fromiter(
            map(self._raw.get, tokens, repeat(_UNSEEN)),
            dtype=np.int64,
            count=len(tokens),
        )
        unseen = np.flatnonzero(codes == _UNSEEN)
        if self._raw is self._code:  # no stop words or normalizer: words as they are
            new = [tokens[i] for i in unseen.tolist()]
            start = len(self.words)
            self.words.extend(new)
            self._code.update(zip(new, range(start, start + len(new))))
            codes[unseen] = np.arange(start, start + len(new), dtype=np.int64)
        else:
            for i in unseen.tolist():
                codes[i] = self._add(tokens[i])
        return codes

    def _add(self, token: str) -> int:
        if self.stop_words is not None and token in self.stop_words:
            code = -1
        else:
            word = self.normalize(token) if self.normalize is not None else token
            known = self._code.get(word)
            if known is None:
                known = len(self.words)
                self._code[word] = known
                self.words.append(word)
            code = known
        self._raw[token] = code
        return code


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
        return self._encode(docs, self._coding())

    def _coding(self) -> _WordCoding:
        return _WordCoding(self.stop_words, self.normalize)

    def _encode(self, docs: Sequence[str], coding: _WordCoding) -> Encoded:
        """The tokens of ``docs`` (char n-grams for a char analyzer) coded by ``coding``."""
        if self.analyzer == "word":
            codes, offsets, tokens = self._raw_tokens(docs)
        else:
            from mlprep.text._ngrams import char_ngram_lists

            normalized = normalize_documents(
                docs, lowercase=self.lowercase, strip_accents=self.strip_accents
            )
            lists = char_ngram_lists(
                normalized, self.ngram_range, word_bounded=self.analyzer == "char_wb"
            )
            codes, offsets, tokens = encode_token_lists(lists)
            del lists, normalized
        codes = coding.codes(tokens)[codes]
        if len(codes) and codes.min() < 0:  # stop words
            keep = codes >= 0
            kept = np.zeros(len(keep) + 1, dtype=np.int64)
            np.cumsum(keep, out=kept[1:])
            codes, offsets = codes[keep], kept[offsets]
        return Encoded(codes, offsets, coding.words)

    def _raw_tokens(
        self, docs: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Word tokens before stop words and stemming, coded per call."""
        run_length = (
            RUN_PATTERNS.get(self.token_pattern) if self.method == "regex" else None
        )
        if run_length is not None:
            return split_word_runs(
                docs,
                min_length=run_length,
                lowercase=self.lowercase,
                split_other=self._split,
            )
        return encode_token_lists(self._split(docs))

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
            flat = strings[table.term].tolist()  # the stream is in analyzer order
            bounds = table.indptr.tolist()
        return [flat[a:b] for a, b in pairwise(bounds)]

    def _ngram_range(self) -> tuple[int, int]:
        """The n-grams of the coded tokens: a char analyzer's tokens are its n-grams."""
        return self.ngram_range if self.analyzer == "word" else (1, 1)

    def table(self, docs: Sequence[str]) -> NgramTable:
        """The :class:`~mlprep.text._ngrams.NgramTable` of ``docs``, as one block."""
        from mlprep.text._ngrams import word_ngrams

        encoded = self._encode(docs, self._coding())
        return word_ngrams(
            encoded.codes, encoded.offsets, encoded.words, self._ngram_range()
        )

    def tables(
        self, docs: Sequence[str], characters: int | None = None
    ) -> Iterator[NgramTable]:
        """The n-gram tables of ``docs`` in blocks of about ``characters`` characters.

        The blocks share one word coding (their ``words`` is one growing
        list); default block size :data:`BLOCK_CHARACTERS`.
        """
        from mlprep.text._ngrams import word_ngrams

        coding = self._coding()
        ngram_range = self._ngram_range()
        size = BLOCK_CHARACTERS if characters is None else characters
        for start, stop in chunk_bounds(docs, size):
            encoded = self._encode(docs[start:stop], coding)
            yield word_ngrams(
                encoded.codes, encoded.offsets, encoded.words, ngram_range
            )

    def terms(self, docs: Sequence[str]) -> CorpusTerms:
        """Every term of ``docs`` and where it occurs, analysed block by block."""
        from mlprep.text._terms import CorpusTerms

        return CorpusTerms(self.tables(docs), self._ngram_range())
