"""Bag-of-words counts of text columns, scikit-learn's CountVectorizer done in bulk."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from functools import partial
from itertools import repeat
from numbers import Integral, Real
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np
import scipy.sparse as sp

from mlprep.core import Boolean, Interval, NoneOK, Predicate, check_unique_names
from mlprep.exceptions import DataError, InvalidParameterError
from mlprep.text._analyze import SKLEARN_TOKEN_PATTERN, Analysis
from mlprep.text._state import TermCounts
from mlprep.text._terms import CorpusTerms
from mlprep.text._vectorize import ANALYSIS_CONSTRAINTS, TextVectorizer, document_limits

__all__ = ["CountVectorizer"]


def _is_vocabulary(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, Mapping):
        return all(
            isinstance(k, str) and isinstance(v, Integral) and not isinstance(v, bool)
            for k, v in value.items()
        )
    if isinstance(value, (list, tuple)):
        return all(isinstance(term, str) for term in value)
    return False


VocabularySpec = Predicate(
    _is_vocabulary, "None, a list of terms or a dict {term: column index}"
)


def fixed_vocabulary(vocabulary: Any, owner: str) -> dict[str, int]:
    """Check a user vocabulary and return it as ``{term: index}``."""
    if isinstance(vocabulary, Mapping):
        mapping = {term: int(index) for term, index in vocabulary.items()}
        indices = set(mapping.values())
        if len(indices) != len(mapping):
            raise InvalidParameterError(f"The vocabulary of {owner} repeats indices.")
        missing = [i for i in range(len(mapping)) if i not in indices]
        if missing:
            raise InvalidParameterError(
                f"The vocabulary of {owner} has {len(mapping)} terms but no term "
                f"with index {missing[0]}: indices must be 0..{len(mapping) - 1}."
            )
    else:
        mapping = {}
        for index, term in enumerate(vocabulary):
            if mapping.setdefault(term, index) != index:
                raise InvalidParameterError(
                    f"The vocabulary of {owner} lists the term {term!r} twice."
                )
    if not mapping:
        raise InvalidParameterError(f"The vocabulary given to {owner} is empty.")
    return mapping


def counts_with_vocabulary(
    terms: CorpusTerms, vocabulary: dict[str, int], dtype: type = np.int64
) -> sp.csr_matrix:
    """Counts of the vocabulary's terms; every other term is ignored."""
    strings = terms.strings()
    output = np.fromiter(
        map(vocabulary.get, strings, repeat(-1)), dtype=np.int64, count=len(strings)
    )
    del strings
    return terms.counts(output, len(vocabulary), dtype)


def _no_terms(owner: str, column: str) -> DataError:
    return DataError(
        f"{owner} found no terms in column {column!r} (empty vocabulary): "
        "the documents are empty or contain only stop words. Check the "
        "column, token_pattern and stop_words."
    )


def _counts_of(counts: dict[str, int], terms: list[str]) -> np.ndarray:
    return np.fromiter(
        (counts.get(term, 0) for term in terms), dtype=np.int64, count=len(terms)
    )


def _column_totals(counts: sp.csr_matrix) -> np.ndarray:
    """Each column's total count, as int64 (exact: the counts are whole numbers)."""
    return np.asarray(counts.sum(axis=0)).ravel().astype(np.int64, copy=False)


class CountVectorizer(TextVectorizer):
    """Count the terms (words, word n-grams or character n-grams) of text columns.

    The result equals scikit-learn's ``CountVectorizer`` with the same
    settings — same vocabulary, same column order (terms sorted), same
    counts — and is computed in bulk: tokens are integer-coded once, n-grams
    are built from the codes, and stop words and stemming run once per
    distinct word.

    Parameters
    ----------
    analyzer : {"word", "char", "char_wb"}, default="word"
        Word tokens, character n-grams, or character n-grams within words
        (padded with a space).
    method : {"regex", "treebank", "wordpunct", "whitespace", "tweet"}, default="regex"
        How words are found (``analyzer="word"``): ``token_pattern``, nltk's
        Treebank or Tweet tokenizer (nltk needed, no data), word/punctuation
        runs, or whitespace.
    token_pattern : str, default=r"(?u)\\b\\w\\w+\\b"
        The regular expression (Python ``re``) a token matches, scikit-learn's
        default; one capturing group selects the token text.
    lowercase : bool, default=True
        Lowercase the text before tokenizing.
    strip_accents : {"ascii", "unicode"} or None, default=None
        Remove accents after lowercasing.
    stop_words : None, "english", "nltk:<language>" or list of str, default=None
        Words to drop before n-grams: a built-in English list (no download),
        nltk's corpus (when installed), or your own list.
    stemmer : None, "porter", "lancaster", "snowball" or "snowball:<language>", default=None
        nltk stemmer applied to each word after stop words (nltk needed, no data).
    lemmatizer : None, "rules" or "wordnet", default=None
        ``"rules"``: a built-in English lemmatizer (irregular forms, plurals);
        ``"wordnet"``: nltk's WordNet (needs its data). Runs before the stemmer.
    ngram_range : tuple (min_n, max_n), default=(1, 1)
        The n-gram lengths to count.
    min_df, max_df : float in [0, 1] or int, default=1 and 1.0
        Drop terms found in fewer / more documents than this (a proportion
        when float, a count when int).
    max_features : int or None, default=None
        Keep only the most frequent terms (by total count).
    vocabulary : list of str, dict {term: index} or None, default=None
        A fixed vocabulary used for every column (then min_df, max_df and
        max_features are ignored).
    binary : bool, default=False
        Record presence (1) instead of counts.
    {columns}

    Attributes
    ----------
    vocabularies_ : dict
        Column name to ``{term: index}`` (index within the column's block).
    vocabulary_ : dict
        ``{feature name: output column}`` of the term columns: the bare terms
        for one text column alone, ``"{column}_{term}"`` beside other columns.
        Passed-through columns are not terms and are not in it.
    fixed_vocabulary_ : bool
    passthrough_ : list of str
        The input columns that are not vectorized (numeric and boolean), in
        input order; they keep their place and name in the output.
    partial_state_ : dict
        After ``partial_fit``, a fit on a lazy source or :func:`mlprep.merge`:
        column name to its exact per-term document and total counts and its
        number of documents (what further batches and merges add to).
    columns_ : list of str
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Notes
    -----
    None, NaN and empty strings are empty documents (rows of zeros). Terms not
    seen in ``fit`` are ignored by ``transform``. Several text columns are
    vectorized separately and their blocks stacked in column order.

    Batches: ``partial_fit``, a fit on a lazy source (polars ``LazyFrame``,
    DuckDB, Arrow dataset, Spark) and :func:`mlprep.merge` of shards count
    every term exactly and prune (``min_df``, ``max_df``, ``max_features``)
    only when they finish, so the vocabulary (and TF-IDF's idf) equals that
    of ``fit`` on all the documents, whatever the batches and their order.
    ``fit`` on in-memory data prunes at once and keeps no counts, so
    ``partial_fit`` does not continue it.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.text import CountVectorizer
    >>> reviews = pd.DataFrame({"review": ["Great phone", "great battery, bad screen", None]})
    >>> vectorizer = CountVectorizer()
    >>> counts = vectorizer.fit_transform(reviews)
    >>> vectorizer.get_feature_names_out().tolist()
    ['bad', 'battery', 'great', 'phone', 'screen']
    >>> counts.toarray()
    array([[0, 0, 1, 1, 0],
           [1, 1, 1, 0, 1],
           [0, 0, 0, 0, 0]])
    """

    _count_dtype: ClassVar[type] = np.int64
    """The dtype counts are built in (TF-IDF weighs float64 counts in place)."""

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **ANALYSIS_CONSTRAINTS,
        "min_df": [Interval(Real, 0, 1, closed="both"), Interval(Integral, 1, None)],
        "max_df": [Interval(Real, 0, 1, closed="both"), Interval(Integral, 1, None)],
        "max_features": [Interval(Integral, 1, None), NoneOK],
        "vocabulary": [VocabularySpec],
        "binary": [Boolean],
    }

    def __init__(
        self,
        *,
        analyzer: str = "word",
        method: str = "regex",
        token_pattern: str = SKLEARN_TOKEN_PATTERN,
        lowercase: bool = True,
        strip_accents: str | None = None,
        stop_words: Any = None,
        stemmer: str | None = None,
        lemmatizer: str | None = None,
        ngram_range: tuple[int, int] = (1, 1),
        min_df: float = 1,
        max_df: float = 1.0,
        max_features: int | None = None,
        vocabulary: Any = None,
        binary: bool = False,
        columns: Any = None,
    ) -> None:
        self.analyzer = analyzer
        self.method = method
        self.token_pattern = token_pattern
        self.lowercase = lowercase
        self.strip_accents = strip_accents
        self.stop_words = stop_words
        self.stemmer = stemmer
        self.lemmatizer = lemmatizer
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.vocabulary = vocabulary
        self.binary = binary
        self.columns = columns

    # -------------------------------------------------------------- fitting
    def _reset_fitted(self) -> None:
        """Empty fitted attributes, filled column by column."""
        self.vocabularies_: dict[str, dict[str, int]] = {}
        self.fixed_vocabulary_ = self.vocabulary is not None

    def _check_vocabulary(self, stacklevel: int) -> dict[str, int]:
        """The fixed vocabulary as ``{term: index}``, warning about upper case."""
        fixed = fixed_vocabulary(self.vocabulary, type(self).__name__)
        if self.lowercase and any(term != term.lower() for term in fixed):
            warnings.warn(
                "Upper case characters found in vocabulary while 'lowercase' is "
                "True. These entries will not be matched with any documents",
                UserWarning,
                stacklevel=stacklevel,
            )
        return fixed

    def _start_state(self) -> None:
        self._reset_fitted()
        if self.fixed_vocabulary_:
            self._check_vocabulary(stacklevel=6)

    def _fit_column(
        self, column: str, analysis: Analysis, docs: list[str]
    ) -> sp.csr_matrix:
        terms = analysis.terms(docs)
        if self.fixed_vocabulary_:
            vocabulary = fixed_vocabulary(self.vocabulary, type(self).__name__)
            counts = counts_with_vocabulary(terms, vocabulary, self._count_dtype)
            if self.binary:
                counts.data.fill(1)
        else:
            counts, vocabulary = self._learn(column, terms)
        del terms
        self.vocabularies_[column] = vocabulary
        return self._weigh(column, counts, fit=True)

    def _learn(
        self, column: str, terms: CorpusTerms
    ) -> tuple[sp.csr_matrix, dict[str, int]]:
        if terms.n_columns == 0:
            raise _no_terms(type(self).__name__, column)
        counts = terms.first_seen_counts(self._count_dtype)
        if self.binary:
            counts.data.fill(1)
        dfs = np.bincount(counts.indices, minlength=counts.shape[1])
        kept = self._prune(
            dfs, partial(_column_totals, counts), counts.shape[0], column
        )
        if kept is not None:
            counts = counts[:, kept]
        strings = terms.strings(kept)
        return counts, dict(zip(strings, range(len(strings))))

    def _prune(
        self,
        dfs: np.ndarray,
        term_totals: Callable[[], np.ndarray],
        n_docs: int,
        column: str,
    ) -> np.ndarray | None:
        """scikit-learn's document-frequency and max_features pruning, step for step.

        ``dfs`` and ``term_totals()`` (asked for only when ``max_features``
        must choose) are per term in sorted-term order; returns the kept
        positions, or None when every term is kept.
        """
        owner = type(self).__name__
        low, high = document_limits(n_docs, self.min_df, self.max_df, owner)
        mask = (dfs <= high) & (dfs >= low)
        limit = self.max_features
        if limit is not None and mask.sum() > limit:
            tfs = term_totals()
            mask_inds = (-tfs[mask]).argsort()[:limit]
            new_mask = np.zeros(len(dfs), dtype=bool)
            new_mask[np.where(mask)[0][mask_inds]] = True
            mask = new_mask
        if mask.all():
            return None
        kept = np.where(mask)[0]
        if len(kept) == 0:
            raise DataError(
                f"{owner}: after pruning, no terms remain in column {column!r}. "
                "Try a lower min_df or a higher max_df."
            )
        return kept

    def _learn_weights(
        self, column: str, dfs: np.ndarray, n_docs: int
    ) -> np.ndarray | None:
        """Weights learned from the kept terms' document frequencies (none for counts)."""
        return None

    # ------------------------------------------------------ partial states
    def _new_state(self) -> dict[str, TermCounts]:
        self._check_options(stacklevel=4)
        if self.vocabulary is not None:
            self._check_vocabulary(stacklevel=4)
        return {column: TermCounts() for column in self.columns_}

    def _update_state(
        self, state: dict[str, TermCounts], frame: nw.DataFrame, y: Any
    ) -> dict[str, TermCounts]:
        """Add each column's per-term document and total counts (nothing is pruned yet)."""
        analysis = Analysis.of(self)
        fixed = (
            fixed_vocabulary(self.vocabulary, type(self).__name__)
            if self.vocabulary is not None
            else None
        )
        for column in self.columns_:
            terms = analysis.terms(self._documents(frame, column))
            if fixed is not None:
                counts = counts_with_vocabulary(terms, fixed)
                strings = sorted(fixed, key=fixed.__getitem__)
            else:
                strings = terms.strings()
                counts = terms.counts(np.arange(terms.n_columns), terms.n_columns)
            dfs = np.bincount(counts.indices, minlength=counts.shape[1])
            tfs = _column_totals(counts)
            seen = np.flatnonzero(dfs)
            state[column].add(
                [strings[i] for i in seen.tolist()],
                dfs[seen],
                tfs[seen],
                documents=terms.n_docs,
            )
        return state

    def _finish_state(self, state: dict[str, TermCounts]) -> None:
        """Prune the merged counts into each column's vocabulary (and weights)."""
        self._reset_fitted()
        owner = type(self).__name__
        fixed = (
            fixed_vocabulary(self.vocabulary, owner)
            if self.vocabulary is not None
            else None
        )
        for column in self.columns_:
            counts = state[column]
            if fixed is not None:
                terms = sorted(fixed, key=fixed.__getitem__)
                dfs = _counts_of(counts.df, terms)
                self.vocabularies_[column] = dict(fixed)
            else:
                terms = sorted(counts.df)
                if not terms:
                    raise _no_terms(owner, column)
                dfs = _counts_of(counts.df, terms)
                totals = counts.df if self.binary else counts.tf
                kept = self._prune(
                    dfs, partial(_counts_of, totals, terms), counts.documents, column
                )
                if kept is not None:
                    terms = [terms[i] for i in kept.tolist()]
                    dfs = dfs[kept]
                self.vocabularies_[column] = dict(zip(terms, range(len(terms))))
            self._learn_weights(column, dfs, counts.documents)
        if len(self.columns_) > 1:
            check_unique_names(owner, self._feature_names_out(self._input_names()))

    def _refuse_continuing(self) -> None:
        raise DataError(
            f"{type(self).__name__} was fitted with fit() on in-memory data, which "
            "prunes its vocabulary at once and keeps no term counts to add batches "
            "to. Start over with partial_fit() on every batch, or fit() the whole "
            "data."
        )

    def _weigh(self, column: str, counts: sp.csr_matrix, *, fit: bool) -> sp.csr_matrix:
        return counts

    # ------------------------------------------------------------ transform
    def _transform_column(
        self, column: str, analysis: Analysis, docs: list[str]
    ) -> sp.csr_matrix:
        counts = counts_with_vocabulary(
            analysis.terms(docs), self.vocabularies_[column], self._count_dtype
        )
        if self.binary:
            counts.data.fill(1)
        return self._weigh(column, counts, fit=False)

    # ---------------------------------------------------------------- names
    def _block_names(self) -> list[list[str]]:
        blocks = []
        for column in self.columns_:
            vocabulary = self.vocabularies_[column]
            terms = [""] * len(vocabulary)
            for term, index in vocabulary.items():
                terms[index] = term
            blocks.append(terms)
        return blocks

    @property
    def vocabulary_(self) -> dict[str, int]:
        """``{feature name: output column}`` of every term column (not the passed ones)."""
        self._check_fitted()
        passed = set(self._passthrough_names())
        names = self.get_feature_names_out().tolist()
        return {name: i for i, name in enumerate(names) if name not in passed}
