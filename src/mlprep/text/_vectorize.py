"""What the three vectorizers share: options, input forms, per-column blocks, names."""

from __future__ import annotations

import warnings
from numbers import Integral
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np
import scipy.sparse as sp

from mlprep.core import (
    COLUMN_KINDS,
    Boolean,
    ColumnSpec,
    InstanceOf,
    MlprepTransformer,
    NoneOK,
    Options,
    as_float_array,
    check_unique_names,
    output_name,
    text_list,
)
from mlprep.exceptions import DataError, PersistenceError
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
    columns in its place; the other columns of a frame pass through as
    columns of the matrix, in their place (the rule of the encoders'
    ``sparse_output=True``), so they must be numeric or boolean. Input may
    also be a list (tuple, 1-D array) of documents or a pandas/polars Series,
    as in scikit-learn: its one column is the text.

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
            "    becomes its own block of output columns, in its place. The other\n"
            "    columns of a frame pass through as OneHotEncoder(sparse_output=True)\n"
            "    passes them: each becomes one column of the (then float64) matrix,\n"
            "    in its place and under its own name, booleans as 0/1 and missing\n"
            "    values as NaN (stored entries, not zeros). They must be numeric or\n"
            "    boolean: any other column (a datetime, a category, a text column\n"
            "    left out of ``columns=``) raises a DataError naming it, in fit and\n"
            "    in transform. Beside other columns the term columns are named\n"
            "    ``{column}_{term}``, as with several text columns. A list, Series\n"
            "    or 1-D array of documents has no other columns."
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

    # ------------------------------------------------------------ columns
    def _select_columns(self, frame: nw.DataFrame, kind: str) -> list[str]:
        """The text columns; every other column must be able to pass through."""
        columns = super()._select_columns(frame, kind)
        self._check_passthrough(frame, columns)
        return columns

    def _check_passthrough(
        self, frame: nw.DataFrame, selected: list[str], *, fitted: bool = False
    ) -> None:
        """Refuse a column of ``frame`` that is neither selected nor numeric/boolean.

        ``fitted``: the columns passed through in ``fit`` (checked at transform).
        """
        owner = type(self).__name__
        is_text = COLUMN_KINDS["text_or_null"][1]
        for name, dtype in frame.schema.items():
            if name in selected or dtype.is_numeric() or dtype == nw.Boolean:
                continue
            if fitted:
                raise DataError(
                    f"Column {name!r} was numeric or boolean in fit, so {owner} "
                    "passes it through into its sparse matrix, but it now has "
                    f"dtype {dtype}. Convert it back to numbers before transform "
                    "(or refit without it)."
                )
            fix = (
                "add it to columns= to vectorize it too"
                if is_text(dtype)
                else "encode it into numbers first (a datetime with "
                "mlprep.timeseries.DatetimeFeatures, a category with mlprep.encode)"
            )
            raise DataError(
                f"{owner} vectorizes the text columns {selected} and passes the "
                "other columns through into its sparse matrix, which holds numbers "
                f"only, but column {name!r} has dtype {dtype}. To keep it, {fix}; "
                f"otherwise drop it before {owner}, or give {owner} its text "
                "columns only (e.g. in a ColumnTransformer)."
            )

    def _record_passthrough(self) -> None:
        """``passthrough_``: the input columns that are not vectorized, in order."""
        selected = set(self.columns_)
        self.passthrough_ = [n for n in self._input_names() if n not in selected]

    def _passthrough_names(self) -> list[str]:
        """The fitted names of the columns that pass through, in input order.

        A vectorizer saved before columns passed through has no
        ``passthrough_``: it keeps its output (the text blocks alone).
        """
        return list(getattr(self, "passthrough_", []))

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
        self._record_passthrough()
        blocks = [
            self._fit_column(column, analysis, self._documents(frame, column))
            for column in self.columns_
        ]
        if len(self.columns_) > 1:
            check_unique_names(
                type(self).__name__, self._feature_names_out(self._input_names())
            )
        self._check_passthrough_names()
        return self._stack(frame, blocks)

    def _adopt_state(self, state: Any) -> None:
        """Set the fitted attributes from a (partial or merged) state; check the names."""
        self._record_passthrough()
        super()._adopt_state(state)
        self._check_passthrough_names()

    def _transform(self, frame: nw.DataFrame) -> sp.csr_matrix:
        analysis = Analysis.of(self)
        blocks = [
            self._transform_column(column, analysis, self._documents(frame, column))
            for column in self.columns_
        ]
        return self._stack(frame, blocks)

    def _stack(self, frame: nw.DataFrame, blocks: list[sp.csr_matrix]) -> sp.csr_matrix:
        """The blocks in place of their columns, the passed columns in theirs.

        Without passed columns the blocks are stacked as they are (text-only
        input keeps its output to the bit). A passed column becomes float64
        values (``as_float_array``: booleans 0/1, missing NaN, stored in the
        CSR matrix like any non-zero), after a check that it is still numeric.
        """
        passthrough = self._passthrough_names()
        if not passthrough:
            return _hstack(blocks, frame.shape[0])
        self._check_passthrough(frame.select(passthrough), [], fitted=True)
        owner = type(self).__name__
        anchored = dict(zip(self.columns_, blocks))
        passed = set(passthrough)
        pieces: list[sp.csr_matrix] = []
        run: list[np.ndarray] = []  # consecutive passed columns, stacked at once
        for name in frame.columns:
            if name in passed:
                run.append(as_float_array(frame[name], owner=owner))
            elif name in anchored:
                if run:
                    pieces.append(sp.csr_matrix(np.column_stack(run)))
                    run = []
                pieces.append(anchored[name])
        if run:
            pieces.append(sp.csr_matrix(np.column_stack(run)))
        return sp.hstack(pieces, format="csr")

    def _check_loaded_state(self) -> None:
        """The generic check, then ``passthrough_``: the input columns not in ``columns_``."""
        super()._check_loaded_state()
        if "passthrough_" not in vars(self):
            return
        selected = set(self.columns_)
        expected = [n for n in self._input_names() if n not in selected]
        found = self.passthrough_
        if not isinstance(found, list) or found != expected:
            raise PersistenceError(
                f"{type(self).__name__}.passthrough_ is {found!r}, not the "
                f"input columns that are not vectorized ({expected!r}). The file was "
                "edited or damaged; refit and save the object again."
            )

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

    def _term_names(self) -> list[list[str]]:
        """Each text column's output names, in ``columns_`` order.

        The bare terms when the output is one column's terms alone (as
        scikit-learn names them); ``{column}_{term}`` beside other columns,
        vectorized or passed through.
        """
        blocks = self._block_names()
        if len(self.columns_) == 1 and not self._passthrough_names():
            return [list(blocks[0])]
        return [
            [output_name(column, term) for term in terms]
            for column, terms in zip(self.columns_, blocks)
        ]

    def _feature_names_out(self, input_names: list[str]) -> list[str]:
        """Each text column's term names in its place, the passed columns' own names."""
        terms = self._term_names()
        passthrough = self._passthrough_names()
        if not passthrough:
            return [name for names in terms for name in names]
        blocks = dict(zip(self.columns_, terms))
        passed = set(passthrough)
        out: list[str] = []
        for fitted, given in zip(self._input_names(), input_names):
            if fitted in passed:
                out.append(given)
            else:
                out.extend(blocks.get(fitted, ()))
        return out

    def _check_passthrough_names(self) -> None:
        """Refuse a passed column named like a term column (two equal output names)."""
        passthrough = self._passthrough_names()
        if not passthrough:
            return
        clash = self._names_taken(passthrough)
        if clash:
            raise DataError(
                f"{type(self).__name__} would produce two output columns named "
                f"{clash[0]!r}: a term column of the text columns {self.columns_} "
                "and the passed-through column itself. Rename the column (or drop "
                "it) before vectorizing."
            )

    def _names_taken(self, names: list[str]) -> list[str]:
        """Those of ``names`` that a term column also has."""
        taken = {name for block in self._term_names() for name in block}
        return [name for name in names if name in taken]


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
