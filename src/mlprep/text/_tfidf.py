"""TF-IDF weights of text columns, scikit-learn's TfidfVectorizer done in bulk."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from mlprep.core import Boolean, NoneOK, Options
from mlprep.text._analyze import SKLEARN_TOKEN_PATTERN
from mlprep.text._count import CountVectorizer
from mlprep.text._ngrams import SLICE

__all__ = ["TfidfVectorizer"]


class TfidfVectorizer(CountVectorizer):
    """TF-IDF of the terms of text columns: counts weighted by inverse document frequency.

    ``tfidf(t, d) = tf(t, d) * idf(t)`` with ``idf(t) = ln((1 + n) / (1 + df(t))) + 1``
    (``smooth_idf=True``) or ``ln(n / df(t)) + 1``, then each row scaled to
    unit norm — exactly scikit-learn's ``TfidfVectorizer`` with the same
    settings (vocabulary, column order and values), computed in bulk. A term
    frequent in one document but rare in the corpus scores high.

    Parameters
    ----------
    analyzer, method, token_pattern, lowercase, strip_accents, stop_words, stemmer, lemmatizer, ngram_range, min_df, max_df, max_features, vocabulary, binary, columns
        As in :class:`CountVectorizer`.
    norm : {"l2", "l1"} or None, default="l2"
        Row normalization, per text column block.
    use_idf : bool, default=True
        Weight by inverse document frequency.
    smooth_idf : bool, default=True
        Add one to document frequencies, as if a document held every term once.
    sublinear_tf : bool, default=False
        Use ``1 + ln(tf)`` instead of ``tf``.

    Attributes
    ----------
    vocabularies_ : dict
        Column name to ``{term: index}``.
    idfs_ : dict
        Column name to the list of idf weights, in the column's term order.
    vocabulary_ : dict
        ``{feature name: output column}`` of the term columns.
    idf_ : ndarray
        The idf weights of the term columns, in ``columns_`` then term order
        (passed-through columns have none).
    columns_, fixed_vocabulary_, passthrough_, partial_state_
    n_features_in_, feature_names_in_
        As in :class:`CountVectorizer`.

    Notes
    -----
    Batches (``partial_fit``, lazy sources, :func:`mlprep.merge`) keep every
    term's document count and the number of documents, and prune and weigh
    when they finish: the vocabulary and idf equal ``fit`` on all the
    documents (see :class:`CountVectorizer`).

    Examples
    --------
    >>> from mlprep.text import TfidfVectorizer
    >>> docs = ["the cat sat", "the dog sat", "the cat ran"]
    >>> tfidf = TfidfVectorizer(stop_words="english")
    >>> X = tfidf.fit_transform(docs)
    >>> tfidf.get_feature_names_out().tolist()
    ['cat', 'dog', 'ran', 'sat']
    >>> X.toarray().round(3)
    array([[0.707, 0.   , 0.   , 0.707],
           [0.   , 0.796, 0.   , 0.605],
           [0.605, 0.   , 0.796, 0.   ]])
    """

    _count_dtype: ClassVar[type] = np.float64

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **CountVectorizer._parameter_constraints,
        "norm": [Options("l1", "l2"), NoneOK],
        "use_idf": [Boolean],
        "smooth_idf": [Boolean],
        "sublinear_tf": [Boolean],
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
        norm: str | None = "l2",
        use_idf: bool = True,
        smooth_idf: bool = True,
        sublinear_tf: bool = False,
        columns: Any = None,
    ) -> None:
        super().__init__(
            analyzer=analyzer,
            method=method,
            token_pattern=token_pattern,
            lowercase=lowercase,
            strip_accents=strip_accents,
            stop_words=stop_words,
            stemmer=stemmer,
            lemmatizer=lemmatizer,
            ngram_range=ngram_range,
            min_df=min_df,
            max_df=max_df,
            max_features=max_features,
            vocabulary=vocabulary,
            binary=binary,
            columns=columns,
        )
        self.norm = norm
        self.use_idf = use_idf
        self.smooth_idf = smooth_idf
        self.sublinear_tf = sublinear_tf

    def _reset_fitted(self) -> None:
        super()._reset_fitted()
        self.idfs_: dict[str, list[float]] = {}

    def _learn_weights(
        self, column: str, dfs: np.ndarray, n_docs: int
    ) -> np.ndarray | None:
        """``idf = ln((1 + n) / (1 + df)) + 1`` (smoothed) or ``ln(n / df) + 1``."""
        if not self.use_idf:
            return None
        n_samples = n_docs + int(self.smooth_idf)
        df = np.asarray(dfs).astype(np.float64)
        df += float(self.smooth_idf)
        idf = np.full_like(df, fill_value=n_samples, dtype=np.float64)
        idf /= df
        np.log(idf, out=idf)
        idf += 1.0
        self.idfs_[column] = idf.tolist()
        return idf

    def _weigh(self, column: str, counts: sp.csr_matrix, *, fit: bool) -> sp.csr_matrix:
        # counts are built as float64 (_count_dtype: whole numbers, exact) and
        # weighed in place in their storage order: row norms are sums in that order
        X = counts
        idf = None
        if self.use_idf:
            idf = (
                self._learn_weights(
                    column, np.bincount(X.indices, minlength=X.shape[1]), X.shape[0]
                )
                if fit
                else np.asarray(self.idfs_[column], dtype=np.float64)
            )
        if self.sublinear_tf:
            np.log(X.data, X.data)
            X.data += 1.0
        if idf is not None:
            _scale_columns(X, idf)
        if self.norm is not None:
            X = normalize(X, norm=self.norm, copy=False)
        return X

    @property
    def idf_(self) -> np.ndarray:
        """The idf weight of every term column, in ``columns_`` then term order."""
        self._check_fitted()
        if not self.use_idf:
            raise AttributeError("idf_ is only learned when use_idf=True.")
        return np.concatenate(
            [
                np.asarray(self.idfs_[column], dtype=np.float64)
                for column in self.columns_
            ]
        )


def _scale_columns(X: sp.csr_matrix, weights: np.ndarray) -> None:
    """``X.data *= weights[X.indices]`` in place, a slice at a time (no nnz-sized copy)."""
    data, indices = X.data, X.indices
    for start in range(0, len(data), SLICE):
        stop = start + SLICE
        data[start:stop] *= weights[indices[start:stop]]
