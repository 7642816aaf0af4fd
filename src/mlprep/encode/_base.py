"""What every categorical encoder shares: codes, learned categories, the missing/unknown policy.

The policy (see ``docs/encode.md``) in one place:

* NaN, None, ``pd.NA`` and polars null are all *missing*, and missing is a
  category like any other: when ``fit`` sees it, it is learned (always listed
  last, as ``None``, in ``categories_``) and gets its own encoding.
* A value ``fit`` did not see — including a missing value when ``fit`` saw
  none — is *unknown*: it gets the encoder's neutral encoding, or raises
  with ``handle_unknown="error"``.
* ``handle_missing="error"`` refuses missing values in ``fit`` and ``transform``.

Columns become integer codes through one pass of pyarrow's
``dictionary_encode``; learned categories are plain Python scalars.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from mlprep.core import MlprepTransformer, as_float_array, is_float, select_columns
from mlprep.core._columns import COLUMN_KINDS
from mlprep.exceptions import DataError

__all__ = ["CategoricalEncoder", "category_label", "factorize", "one_per_row_csr"]

MISSING_LABEL = "nan"


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def factorize(series: nw.Series) -> tuple[np.ndarray, list[Any]]:
    """Integer codes of ``series`` (-1 where missing) and its distinct values.

    The distinct values come in order of first appearance, as plain Python
    scalars (str, int, float, bool). NaN counts as missing.
    """
    if is_float(series.dtype):
        series = series.fill_nan(None)
    try:
        array = series.to_arrow()
        if isinstance(array, pa.ChunkedArray):
            array = array.combine_chunks()
        if pa.types.is_dictionary(array.type):
            array = array.dictionary_decode()
        if pa.types.is_null(array.type):  # an all-missing column of no type
            return np.full(len(array), -1, dtype=np.int64), []
        encoded = pc.dictionary_encode(array)
        indices = encoded.indices
        if indices.null_count:
            indices = pc.fill_null(indices, -1)
        codes = indices.to_numpy(zero_copy_only=False)  # int32: half the memory traffic
        return codes, encoded.dictionary.to_pylist()
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        values = np.empty(len(series), dtype=object)
        values[:] = series.to_list()
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        return codes.astype(np.int64, copy=False), [_plain(u) for u in uniques]


def category_label(value: Any) -> str:
    """How a category appears in output names: ``str(value)``, ``"nan"`` for missing."""
    return MISSING_LABEL if value is None else str(value)


def _sortable(values: list[Any], column: str) -> list[Any]:
    try:
        return sorted(values)
    except TypeError as exc:
        raise DataError(
            f"Column {column!r} mixes values that cannot be sorted "
            f"({sorted({type(v).__name__ for v in values})}). Cast the column to "
            "one type (e.g. str) before encoding it."
        ) from exc


def _argsort(values: list[Any]) -> list[int] | np.ndarray:
    """Indices that sort ``values`` (numpy's string sort when they are all str)."""
    if values and all(type(v) is str for v in values):
        return np.argsort(np.asarray(values, dtype=str), kind="stable")
    return sorted(range(len(values)), key=values.__getitem__)


def _is_encodable(dtype: Any) -> bool:
    return COLUMN_KINDS["categorical"][1](dtype) or bool(dtype.is_numeric())


class CategoricalEncoder(MlprepTransformer):
    """Base of the encoders: category learning, code lookup and output assembly.

    Subclasses write ``_fit`` (usually via :meth:`_learn_categories`) and
    ``_encode(frame, column, codes)`` returning ``(names, block)`` where block
    is an ``(n_samples, k)`` numpy array or a CSR matrix.
    """

    _abstract = True
    _column_kind: ClassVar[str] = "categorical"
    _numeric_input: ClassVar[bool] = False

    # ------------------------------------------------------------ columns
    def _select_columns(self, frame: nw.DataFrame) -> list[str]:
        if getattr(self, "columns", None) is None and not hasattr(
            self, "feature_names_in_"
        ):
            return list(
                frame.columns
            )  # arrays: every column is categorical, as in sklearn
        return select_columns(
            frame,
            getattr(self, "columns", None),
            kind=self._column_kind,
            owner=type(self).__name__,
            allowed=_is_encodable,
        )

    # ------------------------------------------------------------ fitting
    def _learn_categories(
        self, frame: nw.DataFrame, order: str = "lexical"
    ) -> dict[str, np.ndarray]:
        """Set ``categories_`` and ``counts_`` (missing last, as None, when seen).

        Returns the codes of the training rows (positions in ``categories_``),
        so ``fit_transform`` and supervised encoders need not factorize twice.
        """
        self.categories_: dict[str, list[Any]] = {}
        self.counts_: dict[str, list[int]] = {}
        fitted: dict[str, np.ndarray] = {}
        for column in self.columns_:
            codes, uniques = factorize(frame[column])
            tally = np.bincount(
                codes + 1, minlength=len(uniques) + 1
            )  # slot 0: missing
            n_missing = int(tally[0])
            self._refuse_missing(column, n_missing, "fit")
            counts = tally[1:]
            if order == "lexical":
                try:
                    ranked = _argsort(uniques)
                except TypeError:
                    ranked = _sortable(
                        uniques, column
                    )  # raises a DataError naming the types
                index = np.asarray(ranked, dtype=np.int64)
            elif order == "frequency":
                index = np.argsort(-counts, kind="stable")
            else:
                index = np.arange(len(uniques))
            categories = (
                [uniques[i] for i in index.tolist()]
                if order != "appearance"
                else uniques
            )
            totals = counts[index].tolist()
            position = np.empty(len(uniques) + 1, dtype=np.int64)
            position[index] = np.arange(len(uniques))
            position[-1] = len(uniques)  # missing (code -1) is the last category
            if n_missing:
                categories = [*categories, None]
                totals.append(n_missing)
            self.categories_[column] = categories
            self.counts_[column] = totals
            fitted[column] = position[codes]
        if getattr(self, "_reuse_fit_codes", False):
            self._cached_codes = dict(fitted)
        return fitted

    def fit_transform(self, X: Any, y: Any = None, **params: Any) -> Any:
        """Fit, then encode ``X`` reusing the codes computed in ``fit``.

        Parameters
        ----------
        X : DataFrame or array-like
        y : None
            Ignored (the target for supervised encoders).
        **params : dict
            Passed to ``fit``.

        Returns
        -------
        X_out : same container as ``X`` (or a CSR matrix with ``sparse_output=True``)
        """
        self._reuse_fit_codes = True
        try:
            return self.fit(X, y, **params).transform(X)
        finally:
            self.__dict__.pop("_reuse_fit_codes", None)
            self.__dict__.pop("_cached_codes", None)

    def _refuse_missing(self, column: str, n_missing: int, stage: str) -> None:
        if n_missing and getattr(self, "handle_missing", "value") == "error":
            raise DataError(
                f"Column {column!r} has {n_missing} missing value(s) (NaN/None) in "
                f"{stage}, and {type(self).__name__} has handle_missing='error'. "
                "Impute them first (mlprep.impute.Imputer) or use "
                "handle_missing='value' to encode missing as its own category."
            )

    def _check_names_unique(self) -> None:
        names = list(self.get_feature_names_out())
        if not names:
            raise DataError(
                f"{type(self).__name__} would leave no output columns (every encoded "
                "column has a single category and drop='first' removes it), so the "
                "rows could not be represented. Use drop='if_binary' or drop=None."
            )
        seen: set[str] = set()
        for name in names:
            if name in seen:
                raise DataError(
                    f"{type(self).__name__} would produce two output columns named "
                    f"{name!r} (a category label equals another, e.g. the string "
                    "'nan' beside missing values, or an existing column). Rename the "
                    "categories or the column."
                )
            seen.add(name)

    # ---------------------------------------------------------- transform
    def _codes(self, frame: nw.DataFrame, column: str) -> np.ndarray:
        """Positions in ``categories_[column]``; -1 for unknown values.

        Raises as ``handle_missing`` / ``handle_unknown`` say.
        """
        cached = getattr(self, "_cached_codes", None)
        if (
            cached is not None and column in cached
        ):  # inside fit_transform: X is the fit data
            return cached.pop(column)
        categories = self.categories_[column]
        codes, uniques = factorize(frame[column])
        missing = codes < 0
        self._refuse_missing(column, int(missing.sum()), "transform")
        position = {value: i for i, value in enumerate(categories) if value is not None}
        lut = np.fromiter(
            (position.get(value, -1) for value in uniques),
            dtype=np.int64,
            count=len(uniques),
        )
        missing_code = (
            len(categories) - 1 if categories and categories[-1] is None else -1
        )
        lut = np.append(lut, missing_code)  # codes of -1 (missing) read the last slot
        out = lut[codes]
        if getattr(self, "handle_unknown", None) == "error":
            unknown = out < 0
            if unknown.any():
                self._raise_unknown(column, codes[unknown], uniques)
        return out

    def _raise_unknown(
        self, column: str, codes: np.ndarray, uniques: list[Any]
    ) -> None:
        distinct = np.unique(codes)
        shown = [uniques[c] if c >= 0 else None for c in distinct[:5]]
        raise DataError(
            f"Column {column!r} has {codes.size} value(s) not seen in fit "
            f"({len(distinct)} distinct, e.g. {shown}; None means missing, which fit "
            f"did not see), and {type(self).__name__} has handle_unknown='error'. "
            "Refit on data that covers these categories, or set handle_unknown to "
            "encode them with the documented neutral value."
        )

    def _encode(
        self, frame: nw.DataFrame, column: str
    ) -> tuple[list[str], np.ndarray | sp.csr_matrix]:  # pragma: no cover - abstract
        raise NotImplementedError

    def _blocks(self, frame: nw.DataFrame) -> list[tuple[str, list[str], Any]]:
        """``(anchor column, output names, block)`` for every encoded column."""
        return [(column, *self._encode(frame, column)) for column in self.columns_]

    def _transform(self, frame: nw.DataFrame) -> nw.DataFrame:
        return self._assemble(frame, self._blocks(frame))

    def _assemble(
        self, frame: nw.DataFrame, blocks: list[tuple[str, list[str], Any]]
    ) -> nw.DataFrame:
        """The output frame: each block in place of its anchor column."""
        backend = nw.get_native_namespace(frame)
        added = []
        for _, names, block in blocks:
            if sp.issparse(block):
                block = block.toarray()
            for j, name in enumerate(names):
                added.append(nw.new_series(name, block[:, j], backend=backend))
        out = frame.with_columns(*added) if added else frame
        return out.select(self._output_order(frame.columns, blocks))

    def _output_order(
        self, inputs: Sequence[str], blocks: list[tuple[str, list[str], Any]]
    ) -> list[str]:
        anchored = {anchor: names for anchor, names, _ in blocks}
        order: list[str] = []
        for name in inputs:
            if name in anchored:
                order.extend(anchored[name])
            elif name not in self.columns_:
                order.append(name)
        return order

    def _feature_names_out(self, input_names: list[str]) -> list[str]:
        selected = set(self.columns_)
        out: list[str] = []
        for fitted, given in zip(self._input_names(), input_names):
            if fitted in selected:
                out.extend(self._names_for(fitted, given))
            else:
                out.append(given)
        return out

    def _names_for(
        self, column: str, label: str
    ) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    # -------------------------------------------------------------- sparse
    def transform(self, X: Any) -> Any:
        """Encode ``X`` with the categories learned in ``fit``.

        Parameters
        ----------
        X : DataFrame (pandas, polars), pyarrow Table or array-like
            The columns ``fit`` saw, in the same order.

        Returns
        -------
        X_out : same container as ``X`` (or as ``set_output`` asks), or a
            scipy CSR matrix when ``sparse_output=True``
            Encoded columns replace their input in place; other columns pass
            through. Column names come from ``get_feature_names_out``.
        """
        if not getattr(self, "sparse_output", False):
            return super().transform(X)
        self._check_fitted()
        frame, _ = self._ingest(X, reset=False)
        return self._sparse(frame, self._blocks(frame))

    def _sparse(
        self, frame: nw.DataFrame, blocks: list[tuple[str, list[str], Any]]
    ) -> sp.csr_matrix:
        anchored = {anchor: block for anchor, _, block in blocks}
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

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        tags.transformer_tags.preserves_dtype = []  # codes and indicators, not the input's dtype
        return tags

    def _more_tags(self) -> dict[str, Any]:  # scikit-learn < 1.6
        return {
            **super()._more_tags(),
            "preserves_dtype": [],
            "X_types": ["2darray", "string", "categorical"],
        }


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
