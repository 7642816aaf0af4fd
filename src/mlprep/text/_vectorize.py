"""What the three vectorizers share: options, input handling, per-column blocks, output."""

from __future__ import annotations

import warnings
from numbers import Integral
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np
import scipy.sparse as sp

from mlprep.core import (
    Boolean,
    ColumnSpec,
    InstanceOf,
    MlprepTransformer,
    NoneOK,
    Options,
)
from mlprep.exceptions import DataError
from mlprep.text._analyze import (
    SKLEARN_TOKEN_PATTERN,
    Analysis,
    select_text_columns,
    text_values,
)
from mlprep.text._options import (
    METHODS,
    LemmatizerSpec,
    NgramRange,
    StemmerSpec,
    StopWordsSpec,
)

__all__ = ["ANALYSIS_CONSTRAINTS", "TextVectorizer"]

ANALYSIS_CONSTRAINTS: dict[str, list[Any]] = {
    "analyzer": [Options("word", "char", "char_wb")],
    "method": [Options(*METHODS)],
    "token_pattern": [InstanceOf(str, "a str (a regular expression)")],
    "lowercase": [Boolean],
    "strip_accents": [Options("ascii", "unicode"), NoneOK],
    "stop_words": [StopWordsSpec],
    "stemmer": [StemmerSpec],
    "lemmatizer": [LemmatizerSpec],
    "ngram_range": [NgramRange],
    "columns": [ColumnSpec],
}
"""Constraints of the options every vectorizer shares."""


def _is_document_list(X: Any) -> bool:
    if isinstance(X, (list, tuple)):
        return all(x is None or isinstance(x, (str, float)) for x in X)
    return isinstance(X, np.ndarray) and X.ndim == 1


class TextVectorizer(MlprepTransformer):
    """Base of the vectorizers: text columns in, one sparse CSR matrix out.

    Each selected column is analysed on its own and becomes a block of
    columns; the blocks are stacked side by side in column order.
    """

    _abstract = True
    _column_kind: ClassVar[str] = "text"
    _numeric_input: ClassVar[bool] = False

    # -------------------------------------------------------------- fitting
    def fit(self, X: Any, y: Any = None) -> TextVectorizer:
        """Learn the vocabulary (and statistics) of each text column.

        Parameters
        ----------
        X : DataFrame (pandas, polars), pyarrow Table, 2-D array of str, or a list of documents
            The text. None, NaN and ``""`` are empty documents.
        y : None
            Ignored.

        Returns
        -------
        self
        """
        self._fit_blocks(X)
        return self

    def fit_transform(self, X: Any, y: Any = None, **fit_params: Any) -> Any:
        """Fit and return the document-term matrix in one pass over the text.

        Parameters
        ----------
        X : DataFrame (pandas, polars), pyarrow Table, 2-D array of str, or a list of documents
        y : None
            Ignored.

        Returns
        -------
        scipy.sparse.csr_matrix of shape (n_documents, n_features)
        """
        return self._emit_matrix(self._fit_blocks(X))

    def transform(self, X: Any) -> Any:
        """The document-term matrix of ``X``; terms unseen in fit are ignored.

        Parameters
        ----------
        X : DataFrame (pandas, polars), pyarrow Table, 2-D array of str, or a list of documents
            The columns ``fit`` saw.

        Returns
        -------
        scipy.sparse.csr_matrix of shape (n_documents, n_features)
        """
        self._check_fitted()
        frame, _ = self._ingest(X, reset=False)
        analysis = Analysis.of(self)
        blocks = [
            self._transform_column(column, analysis, self._documents(frame, column))
            for column in self.columns_
        ]
        return self._emit_matrix(_hstack(blocks, frame.shape[0]))

    def _fit_blocks(self, X: Any) -> sp.csr_matrix:
        frame = self._start_fit(X)
        self._check_options()
        analysis = Analysis.of(self)
        self._start_state()
        blocks = [
            self._fit_column(column, analysis, self._documents(frame, column))
            for column in self.columns_
        ]
        return _hstack(blocks, frame.shape[0])

    def _select_columns(self, frame: nw.DataFrame) -> list[str]:
        return select_text_columns(frame, self.columns, owner=type(self).__name__)

    def _documents(self, frame: nw.DataFrame, column: str) -> list[str]:
        return text_values(frame[column], owner=type(self).__name__)

    def _check_options(self) -> None:
        if self.analyzer == "word":
            return
        unused = {
            "stop_words": self.stop_words is not None,
            "stemmer": self.stemmer is not None,
            "lemmatizer": self.lemmatizer is not None,
            "method": self.method != "regex",
            "token_pattern": self.token_pattern != SKLEARN_TOKEN_PATTERN,
        }
        for name, is_set in unused.items():
            if is_set:
                warnings.warn(
                    f"The parameter {name!r} will not be used since 'analyzer' != "
                    "'word'",
                    UserWarning,
                    stacklevel=4,
                )

    def _start_state(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _fit_column(
        self, column: str, analysis: Analysis, docs: list[str]
    ) -> sp.csr_matrix:  # pragma: no cover - abstract
        raise NotImplementedError

    def _transform_column(
        self, column: str, analysis: Analysis, docs: list[str]
    ) -> sp.csr_matrix:  # pragma: no cover - abstract
        raise NotImplementedError

    # --------------------------------------------------------------- input
    def _ingest(self, X: Any, *, reset: bool) -> tuple[nw.DataFrame, str]:
        if _is_document_list(X):
            column = np.empty((len(X), 1), dtype=object)
            column[:, 0] = ["" if d is None or d != d else d for d in X]
            X = column
        elif nw.dependencies.is_pandas_series(X) or nw.dependencies.is_polars_series(X):
            name = X.name if isinstance(X.name, str) and X.name else "x0"
            X = X.to_frame(name=name)
        return super()._ingest(X, reset=reset)

    # -------------------------------------------------------------- output
    def _block_names(self) -> list[list[str]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _feature_names_out(self, input_names: list[str]) -> list[str]:
        blocks = self._block_names()
        if len(self.columns_) == 1:
            return list(blocks[0])
        return [
            f"{column}__{term}"
            for column, terms in zip(self.columns_, blocks)
            for term in terms
        ]

    def _emit_matrix(self, matrix: sp.csr_matrix) -> Any:
        output = self._output_format()
        if output == "pandas":
            import pandas as pd

            names = list(self.get_feature_names_out())
            sparse_frames: Any = (
                pd.DataFrame.sparse
            )  # pandas-stubs types the accessor as ...
            return sparse_frames.from_spmatrix(matrix, columns=names)
        if output == "polars":
            raise DataError(
                f"{type(self).__name__} produces a sparse matrix, and polars has no "
                "sparse frames. Use set_output(transform='default') for the CSR "
                "matrix, or 'pandas' for a sparse pandas DataFrame."
            )
        return matrix

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


def _hstack(blocks: list[sp.csr_matrix], n_rows: int) -> sp.csr_matrix:
    if len(blocks) == 1:
        return blocks[0]
    if not blocks:  # pragma: no cover - columns_ is never empty
        return sp.csr_matrix((n_rows, 0))
    return sp.hstack(blocks, format="csr")


def document_limits(
    n_docs: int, min_df: float, max_df: float, owner: str
) -> tuple[float, float]:
    """``min_df`` / ``max_df`` as document counts (ints are counts, floats proportions)."""
    high = max_df if isinstance(max_df, Integral) else max_df * n_docs
    low = min_df if isinstance(min_df, Integral) else min_df * n_docs
    if high < low:
        raise DataError(
            f"{owner}: max_df={max_df!r} corresponds to fewer documents ({high}) "
            f"than min_df={min_df!r} ({low}) for {n_docs} documents. Lower min_df "
            "or raise max_df."
        )
    return low, high
