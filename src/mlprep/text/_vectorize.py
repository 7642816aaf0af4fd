"""What the three vectorizers share: options, input forms, per-column blocks, names."""

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
    check_unique_names,
    output_name,
    text_list,
)
from mlprep.exceptions import DataError
from mlprep.text._analyze import SKLEARN_TOKEN_PATTERN, Analysis
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
    columns; the blocks are stacked side by side in column order. Input may
    also be a list (tuple, 1-D array) of documents or a pandas/polars Series,
    as in scikit-learn.

    Subclasses write :meth:`_start_state` (reset the fitted state),
    :meth:`_fit_column` (learn one column, return its block) and
    :meth:`_transform_column` (one column's block, learning nothing) and
    name each block's columns in :meth:`_block_names`.
    """

    _abstract = True
    _column_kind: ClassVar[str] = "text"
    _named_kind: ClassVar[str | None] = "text_or_null"
    _numeric_input: ClassVar[bool] = False
    _tags: ClassVar[dict[str, Any]] = {"string": True, "two_d_array": False}

    @classmethod
    def _columns_doc(cls) -> str:
        return (
            "columns : str, int, list of str or int, or None, default=None\n"
            "    The text columns to vectorize, by name or position. None selects\n"
            "    every string column; a named column may also be all-null. Each\n"
            "    becomes its own block of output columns; the other columns are\n"
            "    not part of the output."
        )

    # --------------------------------------------------------------- input
    def _prepare_input(self, X: Any) -> Any:
        """A list of documents becomes a one-column array, a Series a one-column frame."""
        if _is_document_list(X):
            column = np.empty((len(X), 1), dtype=object)
            column[:, 0] = ["" if d is None or d != d else d for d in X]
            return column
        series = nw.from_native(X, series_only=True, pass_through=True)
        if isinstance(series, nw.Series):
            name = series.name if isinstance(series.name, str) and series.name else "x0"
            return nw.to_native(series.rename(name).to_frame())
        return X

    # ---------------------------------------------------------------- hooks
    def _fit(self, frame: nw.DataFrame, y: Any, **fit_params: Any) -> None:
        self._fit_blocks(frame)

    def _fit_transform(
        self, frame: nw.DataFrame, y: Any, **fit_params: Any
    ) -> sp.csr_matrix:
        return self._fit_blocks(frame)

    def _fit_blocks(self, frame: nw.DataFrame) -> sp.csr_matrix:
        """Learn every column's state; the document-term matrix comes for free."""
        self._check_options()
        analysis = Analysis.of(self)
        self._start_state()
        blocks = [
            self._fit_column(column, analysis, self._documents(frame, column))
            for column in self.columns_
        ]
        if len(self.columns_) > 1:
            check_unique_names(
                type(self).__name__, self._feature_names_out(self._input_names())
            )
        return _hstack(blocks, frame.shape[0])

    def _transform(self, frame: nw.DataFrame) -> sp.csr_matrix:
        analysis = Analysis.of(self)
        blocks = [
            self._transform_column(column, analysis, self._documents(frame, column))
            for column in self.columns_
        ]
        return _hstack(blocks, frame.shape[0])

    def _documents(self, frame: nw.DataFrame, column: str) -> list[str]:
        return text_list(frame, column, owner=type(self).__name__)

    def _check_options(self, stacklevel: int = 5) -> None:
        """Warn about word-only options set with a character analyzer.

        ``stacklevel`` 5 points at the caller of ``fit`` / ``fit_transform``
        through ``_fit_blocks`` and the ``_fit`` / ``_fit_transform`` hook.
        """
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
                    stacklevel=stacklevel,
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

    # -------------------------------------------------------------- output
    def _block_names(self) -> list[list[str]]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _feature_names_out(self, input_names: list[str]) -> list[str]:
        """The terms for one text column; ``{column}_{term}`` for several."""
        blocks = self._block_names()
        if len(self.columns_) == 1:
            return list(blocks[0])
        return [
            output_name(column, term)
            for column, terms in zip(self.columns_, blocks)
            for term in terms
        ]


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
