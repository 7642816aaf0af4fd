"""Hashed term counts of text columns, scikit-learn's HashingVectorizer done in bulk."""

from __future__ import annotations

from numbers import Integral
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize
from sklearn.utils import murmurhash3_32

from mlprep.core import Boolean, Interval, NoneOK, Options, output_name
from mlprep.text._analyze import SKLEARN_TOKEN_PATTERN, Analysis, chunk_bounds
from mlprep.text._ngrams import stack_rows, term_strings
from mlprep.text._vectorize import ANALYSIS_CONSTRAINTS, TextVectorizer

__all__ = ["HashingVectorizer"]

CHUNK_CHARACTERS = 2_000_000
"""Characters of text hashed at a time: bounds the working memory (an n-gram
table costs some 20 bytes per character for (1, 2)-grams)."""


class HashingVectorizer(TextVectorizer):
    """Count terms into a fixed number of hashed columns; no vocabulary is stored.

    Each term goes to column ``|murmurhash3_32(term)| % n_features`` with sign
    ``+1`` or ``-1`` (``alternate_sign``) — scikit-learn's
    ``HashingVectorizer`` with the same settings, computed in bulk (each
    distinct term is hashed once). Use it for huge or streaming corpora where
    a vocabulary would not fit; different terms may share a column.

    Parameters
    ----------
    analyzer, method, token_pattern, lowercase, strip_accents, stop_words, stemmer, lemmatizer, ngram_range, columns
        As in :class:`CountVectorizer`.
    n_features : int, default=2**20
        Columns per text column.
    alternate_sign : bool, default=True
        Give each term a hash-derived sign so collisions tend to cancel.
    norm : {"l2", "l1"} or None, default="l2"
        Row normalization, per text column block.
    binary : bool, default=False
        Non-zero entries become 1 (before normalization).

    Attributes
    ----------
    columns_ : list of str
    passthrough_ : list of str
        The input columns that pass through (numeric and boolean), in order.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Notes
    -----
    Stateless: ``fit`` only checks the parameters and columns, and
    ``partial_fit`` exists for streaming pipelines (its state is empty, so
    :func:`mlprep.merge` of shards only checks they agree). Each text
    column hashes into its own block, named ``{column}_hash_0 ...
    {column}_hash_{n_features - 1}`` (mlprep's ``{input}_{what}`` rule, as
    :class:`~mlprep.encode.HashingEncoder`; scikit-learn's HashingVectorizer
    has no feature names). A list of documents is column ``x0``. The other
    columns of a frame pass through in their place under their own names
    (see ``columns``).

    Examples
    --------
    >>> from mlprep.text import HashingVectorizer
    >>> X = HashingVectorizer(n_features=8, norm=None).fit_transform(["a cat", "the cat"])
    >>> X.shape
    (2, 8)
    >>> X.toarray()[0].tolist()
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0]

    A frame's numeric columns pass through:

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"review": ["a cat", "the cat"], "stars": [4, 5]})
    >>> hashed = HashingVectorizer(n_features=4, norm=None).fit(frame)
    >>> hashed.get_feature_names_out().tolist()
    ['review_hash_0', 'review_hash_1', 'review_hash_2', 'review_hash_3', 'stars']
    >>> hashed.transform(frame).toarray()
    array([[ 0.,  0.,  0.,  1.,  4.],
           [ 0.,  0., -1.,  1.,  5.]])
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **ANALYSIS_CONSTRAINTS,
        "n_features": [Interval(Integral, 1, np.iinfo(np.int32).max)],
        "alternate_sign": [Boolean],
        "norm": [Options("l1", "l2"), NoneOK],
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
        n_features: int = 2**20,
        alternate_sign: bool = True,
        norm: str | None = "l2",
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
        self.n_features = n_features
        self.alternate_sign = alternate_sign
        self.norm = norm
        self.binary = binary
        self.columns = columns

    # stateless: the state is empty (partial_fit and merge only learn the
    # columns); each batch checks the options and the nltk pieces they need
    def _fit(self, frame: nw.DataFrame, y: Any, **fit_params: Any) -> None:
        self._adopt_state(self._update_state(self._new_state(), frame, y))

    def _fit_transform(
        self, frame: nw.DataFrame, y: Any, **fit_params: Any
    ) -> sp.csr_matrix:
        self._fit(frame, y)
        return self._transform(frame)

    def _new_state(self) -> dict[str, Any]:
        self._check_options(stacklevel=5)
        return {}

    def _update_state(
        self, state: dict[str, Any], frame: nw.DataFrame, y: Any
    ) -> dict[str, Any]:
        Analysis.of(self)
        return state

    def _finish_state(self, state: dict[str, Any]) -> None:
        return None

    def _start_state(self) -> None:
        return None

    def _fit_column(
        self, column: str, analysis: Analysis, docs: list[str]
    ) -> sp.csr_matrix:
        return self._transform_column(column, analysis, docs)

    def _transform_column(
        self, column: str, analysis: Analysis, docs: list[str]
    ) -> sp.csr_matrix:
        """The hashed block of ``docs``, built in chunks of documents.

        Hashing learns nothing, so each chunk's rows are exact on their own;
        working memory is one chunk's n-gram table, not the corpus's.
        """
        parts = [
            self._hash_chunk(analysis, docs[start:stop])
            for start, stop in chunk_bounds(docs, CHUNK_CHARACTERS)
        ]
        return stack_rows(parts, self.n_features)

    def _hash_chunk(self, analysis: Analysis, docs: list[str]) -> sp.csr_matrix:
        table = analysis.table(docs)
        strings = term_strings(table, np.arange(table.n_terms))
        hashes = np.fromiter(
            (murmurhash3_32(term, seed=0) for term in strings),
            dtype=np.int64,
            count=len(strings),
        )
        index = np.abs(hashes) % self.n_features
        sign = (
            np.where(hashes >= 0, 1.0, -1.0)
            if self.alternate_sign
            else np.ones(len(hashes))
        )
        del strings, hashes
        X = sp.csr_matrix(
            (sign[table.term], (table.doc, index[table.term])),
            shape=(table.n_docs, self.n_features),
            dtype=np.float64,
        )
        del table
        X.sum_duplicates()
        if self.binary:
            X.data.fill(1)
        if self.norm is not None:
            X = normalize(X, norm=self.norm, copy=False)
        return X

    def _block_names(self) -> list[list[str]]:
        # output_name(column, f"hash_{i}") for every i, the prefix built once
        prefixes = [output_name(column, "hash_") for column in self.columns_]
        return [[f"{prefix}{i}" for i in range(self.n_features)] for prefix in prefixes]

    def _term_names(self) -> list[list[str]]:
        """``{column}_hash_{i}`` for every column, one or several."""
        return self._block_names()

    def _names_taken(self, names: list[str]) -> list[str]:
        """Those of ``names`` of the form ``{column}_hash_{i}``, ``i < n_features``.

        Read from the names themselves: the blocks may hold a million names.
        """
        prefixes = [output_name(column, "hash_") for column in self.columns_]
        taken = []
        for name in names:
            for prefix in prefixes:
                suffix = name[len(prefix) :]
                if (
                    name.startswith(prefix)
                    and suffix.isascii()
                    and suffix.isdigit()
                    and str(int(suffix)) == suffix
                    and int(suffix) < self.n_features
                ):
                    taken.append(name)
                    break
        return taken
