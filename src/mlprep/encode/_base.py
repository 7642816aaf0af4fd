"""What every categorical encoder shares: codes, learned categories, the missing/unknown policy.

The policy (see ``docs/encode.md``) in one place:

* NaN, None, ``pd.NA`` and polars null are all *missing*, and missing is a
  category like any other: when ``fit`` sees it, it is learned (always listed
  last, as ``None``, in ``categories_``) and gets its own encoding.
* A value ``fit`` did not see — including a missing value when ``fit`` saw
  none — is *unknown*: it gets the encoder's neutral encoding
  (``handle_unknown="ignore"``), or raises (``handle_unknown="error"``).
* ``handle_missing="error"`` refuses missing values in ``fit`` and ``transform``.

Columns become integer codes through :func:`mlprep.core._categories.factorize`
(one pass of Arrow's dictionary encoding); learned categories are plain
Python scalars.

Two bases: :class:`CategoricalEncoder` here (column selection, tags, the
missing policy, output assembly, dense or sparse) and
:class:`~mlprep.encode._vocabulary.VocabularyEncoder`, for the encoders that
learn ``categories_`` and so have unknown values.

Every encoder is mergeable (``partial_fit``, lazy sources, :func:`mlprep.merge`):
categories are learned from per-column value counts and first sightings
(:mod:`mlprep.encode._state`) and come out as the in-memory ``fit`` gives them
for the same data. That ``fit`` stays the one-pass exact path and keeps no
state, so ``partial_fit`` after it raises (the hashing encoder, whose state is
empty, keeps it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np
import scipy.sparse as sp

from mlprep.core import (
    MlprepTransformer,
    as_float_array,
    check_unique_names,
    output_name,
    with_numpy_columns,
)
from mlprep.core._derived import DerivesColumns
from mlprep.exceptions import DataError, InvalidParameterError

__all__ = [
    "CategoricalEncoder",
    "category_label",
    "one_per_row_csr",
    "suffixed_names",
]

MISSING_LABEL = "nan"

Block = tuple[str, Any]
"""``(anchor column, block)``: an ``(n_samples, k)`` array or CSR matrix that
takes the place of the anchor column in the output."""


def category_label(value: Any) -> str:
    """How a category appears in output names: ``str(value)``, ``"nan"`` for missing."""
    return MISSING_LABEL if value is None else str(value)


class CategoricalEncoder(DerivesColumns, MlprepTransformer):
    """Base of the encoders: column selection, the missing policy and output assembly.

    A subclass writes ``_fit_codes(frame, y)`` (learn the state; return the
    codes of the training rows when it has them, so ``fit_transform`` does not
    code the column twice), ``_blocks(frame, fitted)`` and
    ``_feature_names_out``. Sparse encoders override ``_sparse_output()``.
    """

    _abstract = True
    _column_kind: ClassVar[str] = "categorical"
    _named_kind: ClassVar[str | None] = "encodable"
    _all_array_columns: ClassVar[bool] = True
    _numeric_input: ClassVar[bool] = False
    _tags: ClassVar[dict[str, Any]] = {
        "string": True,
        "categorical": True,
        "preserves_dtype": [],  # codes and indicators, not the input's dtype
    }

    handle_missing: str  # "value" | "error": a parameter of every encoder
    _kept_suffix: ClassVar[str] = "encoded"
    """With ``drop_original=False``, the suffix of a single output column that
    would otherwise carry its source's name (``city_count``)."""

    # ------------------------------------------------------------- hooks
    def _fit_codes(
        self, frame: nw.DataFrame, y: Any
    ) -> dict[str, np.ndarray] | None:  # pragma: no cover - abstract
        """Learn the fitted state; return the training rows' codes, or None."""
        raise NotImplementedError

    def _blocks(
        self, frame: nw.DataFrame, fitted: dict[str, np.ndarray] | None
    ) -> list[Block]:  # pragma: no cover - abstract
        """The encoded blocks of ``frame`` (``fitted``: codes from ``_fit_codes``)."""
        raise NotImplementedError

    def _sparse_output(self) -> bool:
        """Whether ``transform`` returns a CSR matrix (``sparse_output=True``)."""
        return False

    # ------------------------------------------------------ template hooks
    def _fit(self, frame: nw.DataFrame, y: Any, **fit_params: Any) -> None:
        self._fit_codes(frame, y, **fit_params)

    def _fit_transform(self, frame: nw.DataFrame, y: Any, **fit_params: Any) -> Any:
        fitted = self._fit_codes(frame, y, **fit_params)
        return self._output(frame, self._blocks(frame, fitted))

    def _transform(self, frame: nw.DataFrame) -> Any:
        return self._output(frame, self._blocks(frame, None))

    # -------------------------------------------------------------- policy
    def _refuse_missing(self, column: str, n_missing: int, stage: str) -> None:
        if n_missing and self.handle_missing == "error":
            raise DataError(
                f"Column {column!r} has {n_missing} missing value(s) (NaN/None) in "
                f"{stage}, and {type(self).__name__} has handle_missing='error'. "
                "Impute them first (mlprep.impute.Imputer) or use "
                "handle_missing='value' to encode missing as its own category."
            )

    def _check_names(self) -> None:
        """Refuse an empty output, two output columns with one name, or a sparse
        output keeping its string sources (at fit)."""
        if self._sparse_output() and not self.drop_original:
            raise InvalidParameterError(
                f"{type(self).__name__}(sparse_output=True, drop_original=False) would "
                "put the encoded columns themselves into the sparse matrix, which holds "
                "numbers only. Use drop_original=True with sparse_output=True."
            )
        names = self._feature_names_out(self._input_names())
        if not names:
            raise DataError(
                f"{type(self).__name__} would leave no output columns (every encoded "
                "column has a single category and drop='first' removes it), so the "
                "rows could not be represented. Use drop='if_binary' or drop=None."
            )
        check_unique_names(type(self).__name__, names)

    # -------------------------------------------------------------- output
    def _output(self, frame: nw.DataFrame, blocks: list[Block]) -> Any:
        """A CSR matrix (``sparse_output``) or the frame with blocks in place."""
        if self._sparse_output():
            return self._sparse(frame, blocks)
        return self._assemble(frame, blocks)

    def _assemble(self, frame: nw.DataFrame, blocks: list[Block]) -> nw.DataFrame:
        """The output frame: each block in place of its anchor, named as ``get_feature_names_out``."""
        inputs = list(frame.columns)
        names = self._feature_names_out(inputs)
        anchored = dict(blocks)
        selected = set(self.columns_)
        added: dict[str, np.ndarray] = {}
        order: list[str] = []
        position = 0
        kept = set(self.columns_) - self._dropped_sources()
        for name in inputs:
            if name in kept:
                order.append(name)
                position += 1
            if name in anchored:
                block = anchored[name]
                if sp.issparse(block):
                    block = block.toarray()
                width = block.shape[1]
                for j, new in enumerate(names[position : position + width]):
                    added[new] = block[:, j]
                    order.append(new)
                position += width
            elif name not in selected:
                order.append(name)
                position += 1
        return with_numpy_columns(frame, added, order)

    def _sparse(self, frame: nw.DataFrame, blocks: list[Block]) -> sp.csr_matrix:
        """The whole output as one CSR matrix; passthrough columns must be numeric."""
        anchored = dict(blocks)
        pieces = []
        for name in frame.columns:
            if name in anchored:
                pieces.append(sp.csr_matrix(anchored[name]))
            elif name not in self.columns_:
                series = frame[name]
                if not (series.dtype.is_numeric() or series.dtype == nw.Boolean):
                    raise DataError(
                        f"sparse_output=True needs every passthrough column to be "
                        f"numeric, but column {name!r} has dtype {series.dtype}. Encode "
                        "it too (add it to columns=) or drop it before encoding."
                    )
                values = as_float_array(series, owner=type(self).__name__)
                pieces.append(sp.csr_matrix(values.reshape(-1, 1)))
        if len(pieces) == 1:
            return pieces[0].tocsr()
        return sp.hstack(pieces, format="csr")


def suffixed_names(label: str, suffixes: Sequence[str]) -> list[str]:
    """``output_name(label, s)`` for every (str) suffix: the names of one encoded column.

    Built from one ``output_name(label, "")`` head, so 100k categories cost
    100k string concatenations and no more.
    """
    head = output_name(label, "")
    return [head + suffix for suffix in suffixes]


def one_per_row_csr(
    columns: np.ndarray, width: int, data: np.ndarray | None = None
) -> sp.csr_matrix:
    """CSR with at most one entry per row: ``columns[i]`` (skipped when < 0)."""
    n = columns.shape[0]
    present = columns >= 0
    index_type = np.int32 if width < 2**31 and n < 2**31 else np.int64
    if present.all():  # the usual case: one entry in every row
        indptr = np.arange(n + 1, dtype=index_type)
        indices = columns.astype(index_type, copy=False)
        values = np.ones(n) if data is None else np.asarray(data, dtype=np.float64)
    else:
        indptr = np.zeros(n + 1, dtype=index_type)
        np.cumsum(present, out=indptr[1:])
        indices = columns[present].astype(index_type, copy=False)
        values = (
            np.ones(indices.size)
            if data is None
            else np.asarray(data, dtype=np.float64)[present]
        )
    return sp.csr_matrix((values, indices, indptr), shape=(n, width))
