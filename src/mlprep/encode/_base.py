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

Two bases: :class:`CategoricalEncoder` (column selection, tags, the missing
policy, output assembly, dense or sparse) and :class:`VocabularyEncoder`,
for the encoders that learn ``categories_`` and so have unknown values.

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
    factorize_series,
    output_name,
)
from mlprep.core._derived import DerivesColumns
from mlprep.encode._state import (
    FirstSeen,
    Tally,
    count_pairs,
    ordered_categories,
    tally,
)
from mlprep.encode._state import sort_lexically as _lexical_order
from mlprep.exceptions import DataError, InvalidParameterError
from mlprep.state import CountsState

__all__ = [
    "CategoricalEncoder",
    "VocabularyEncoder",
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
        backend = nw.get_native_namespace(frame)
        added: list[nw.Series] = []
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
                    added.append(nw.new_series(new, block[:, j], backend=backend))
                    order.append(new)
                position += width
            elif name not in selected:
                order.append(name)
                position += 1
        out = frame.with_columns(*added) if added else frame
        return out.select(order)

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


_CATEGORY_BATCHES = (
    "``partial_fit``, lazy sources (a polars ``LazyFrame``, DuckDB relation,\n"
    "``pyarrow.dataset``, ``mlprep.io.scan(path)``, Spark) and\n"
    ":func:`mlprep.merge` learn the categories from per-column value counts\n"
    "kept in ``partial_state_``, which add up in any order of batches and\n"
    "merges. They are exact up to 100,000 distinct values per column; above\n"
    "that a frequent-items sketch keeps the frequent values only, so rare\n"
    "categories drop out. The in-memory ``fit`` is the one-pass exact path and\n"
    "keeps no state (``partial_fit`` after it raises)."
)
_APPEARANCE_BATCHES = (
    "First appearance across ``partial_fit`` batches is the order of the\n"
    "batches; shards merged with :func:`mlprep.merge` (or Spark partitions)\n"
    "have no common row order, so their new categories interleave by batch\n"
    "number, then position in the batch, then value, whatever the merge order."
)


ID_MIN_ROWS = 50
"""Fewer non-missing rows than this never make a column look like an identifier."""
ID_SHARE = 0.9
"""A column with at least this share of distinct values among its rows is an identifier."""


class VocabularyEncoder(CategoricalEncoder):
    """Base of the encoders that learn ``categories_`` (all but hashing).

    A subclass writes ``_fit_codes`` (usually through
    :meth:`_learn_categories`), ``_encode(column, codes)`` returning the
    block of one column from its codes (positions in ``categories_``, -1
    for unknown values) and ``_names_for(column, label)``; what it derives
    from the categories goes in ``_categories_learned(n_samples)``, which both
    the in-memory fit and the state (``_finish_state``) call, and
    ``_category_order()`` names the order of ``categories_``.
    """

    @classmethod
    def _doc_paragraphs(cls) -> dict[str, str]:
        """``{category_batches}`` and ``{appearance_batches}``: how batches learn categories."""
        return {
            **super()._doc_paragraphs(),
            "category_batches": _CATEGORY_BATCHES,
            "appearance_batches": _APPEARANCE_BATCHES,
        }

    _abstract = True
    handle_unknown: str  # "ignore" | "error" (| "infrequent"): every such encoder

    # ------------------------------------------------------------ fitting
    def _learn_categories(
        self, frame: nw.DataFrame, order: str = "lexical"
    ) -> dict[str, np.ndarray]:
        """Set ``categories_`` and ``counts_`` (missing last, as None, when seen).

        ``order`` is ``"lexical"``, ``"frequency"`` (descending count, ties by
        first appearance) or ``"appearance"``. Returns the codes of the
        training rows (positions in ``categories_``), so ``fit_transform`` and
        supervised encoders need not code the columns twice.
        """
        self.categories_: dict[str, list[Any]] = {}
        self.counts_: dict[str, list[int]] = {}
        fitted: dict[str, np.ndarray] = {}
        for column in self.columns_:
            codes, uniques = factorize_series(frame[column])
            tally = np.bincount(codes + 1, minlength=len(uniques) + 1)  # 0: missing
            n_missing = int(tally[0])
            self._refuse_missing(column, n_missing, "fit")
            counts = tally[1:]
            if order == "lexical":
                index = _lexical_order(uniques, column)
            elif order == "frequency":
                index = np.argsort(-counts, kind="stable")
            else:
                index = np.arange(len(uniques))
            categories = (
                uniques
                if order == "appearance"
                else [uniques[i] for i in index.tolist()]
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
        self._refuse_identifiers()
        return fitted

    def _refuse_identifiers(self) -> None:
        """Refuse a column chosen by ``columns=None`` whose values are nearly all distinct.

        Such a column is an identifier (a customer ID, an order number): one
        category per row, which no model learns from. A column named in
        ``columns=`` is encoded as asked.
        """
        params = self.get_params()
        if (
            self.columns is not None
            or not hasattr(self, "feature_names_in_")
            or params.get("max_categories") is not None
            or params.get("min_frequency") is not None
        ):
            return
        for column in self.columns_:
            categories, counts = self.categories_[column], self.counts_[column]
            missing = bool(categories) and categories[-1] is None  # always last
            distinct = len(categories) - missing
            present = sum(counts) - (counts[-1] if missing else 0)
            if present >= ID_MIN_ROWS and distinct >= ID_SHARE * present:
                raise DataError(
                    f"{type(self).__name__}: column {column!r} has {distinct} "
                    f"distinct values in {present} rows, so it looks like an "
                    "identifier, and encoding it would give one category per row. "
                    "Name the columns to encode with columns=[...] (leaving this one "
                    "out, or in if it really is a category)"
                    + (
                        ", or set max_categories= to keep the most frequent ones."
                        if "max_categories" in params
                        else "."
                    )
                )

    def _categories_learned(self, n_samples: int) -> None:
        """Derive the rest of the fit from ``categories_``/``counts_`` (both paths)."""

    # ---------------------------------------------------- mergeable state
    # ``fit`` of in-memory data stays the one-pass exact path above (it keeps
    # no state); partial fits, lazy sources and merge go through these hooks
    # and learn the same categories, in the same order, from the same data.
    def _category_order(self) -> str:
        """The order of ``categories_``: ``"lexical"``, ``"frequency"`` or ``"appearance"``."""
        return "lexical"

    def _new_state(self) -> dict[str, Any]:
        """Per column: value counts, and first sightings where the order needs them."""
        state: dict[str, Any] = {"counts": {c: CountsState() for c in self.columns_}}
        if self._category_order() != "lexical":
            state["first_seen"] = {c: FirstSeen() for c in self.columns_}
        return state

    def _update_state(
        self, state: dict[str, Any], frame: nw.DataFrame, y: Any
    ) -> dict[str, Any]:
        tallies = {c: self._tally(frame, c) for c in self.columns_}  # checks first
        self._add_tallies(state, tallies)
        return state

    def _add_tallies(self, state: dict[str, Any], tallies: dict[str, Tally]) -> None:
        """Add checked per-column tallies to the counts (and sightings), in place."""
        for column, (values, counts, n_missing) in tallies.items():
            state["counts"][column].update(
                count_pairs(values, counts), missing=n_missing
            )
            if "first_seen" in state:
                state["first_seen"][column].update(values)

    def _tally(self, frame: nw.DataFrame, column: str) -> Tally:
        """One column's distinct values, counts and missing count (refusals raised)."""
        values, counts, n_missing = tally(frame[column])
        self._refuse_missing(column, n_missing, "fit")
        return values, counts, n_missing

    def _finish_state(self, state: dict[str, Any]) -> None:
        self._categories_from_state(state)
        self._refuse_identifiers()
        first = state["counts"][self.columns_[0]]
        self._categories_learned(first.total + first.missing)

    def _categories_from_state(self, state: dict[str, Any]) -> None:
        """``categories_`` and ``counts_`` from the merged counts (and sightings)."""
        seen = state.get("first_seen", {})
        self.categories_ = {}
        self.counts_ = {}
        for column in self.columns_:
            self.categories_[column], self.counts_[column] = self._state_categories(
                column, state["counts"][column], seen.get(column)
            )

    def _state_categories(
        self, column: str, counts: CountsState, seen: FirstSeen | None
    ) -> tuple[list[Any], list[int]]:
        return ordered_categories(counts, seen, self._category_order(), column)

    def _refuse_continuing(self) -> None:
        raise DataError(
            f"{type(self).__name__} was fitted with fit() on in-memory data, the "
            "one-pass exact path, which keeps no partial state to add batches to. "
            "Start over with partial_fit() on every batch (or fit a lazy source), "
            "or fit() the whole data."
        )

    # ---------------------------------------------------------- transform
    def _blocks(
        self, frame: nw.DataFrame, fitted: dict[str, np.ndarray] | None
    ) -> list[Block]:
        return [
            (
                column,
                self._encode(
                    column,
                    fitted[column]
                    if fitted is not None and column in fitted
                    else self._codes(frame, column),
                ),
            )
            for column in self.columns_
        ]

    def _encode(
        self, column: str, codes: np.ndarray
    ) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _codes(self, frame: nw.DataFrame, column: str) -> np.ndarray:
        """Positions in ``categories_[column]``; -1 for unknown values.

        Raises as ``handle_missing`` / ``handle_unknown`` say.
        """
        categories = self.categories_[column]
        codes, uniques = factorize_series(frame[column])
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
        if self.handle_unknown == "error":
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
            "Refit on data that covers these categories, or use "
            "handle_unknown='ignore' to encode them with the documented neutral value."
        )

    # -------------------------------------------------------------- names
    def _feature_names_out(self, input_names: list[str]) -> list[str]:
        selected = set(self.columns_)
        out: list[str] = []
        for fitted, given in zip(self._input_names(), input_names):
            if fitted in selected:
                names = self._names_for(fitted, given)
                if not self.drop_original:
                    out.append(given)
                    if names == [given]:  # one column named as its source
                        names = [output_name(given, self._kept_suffix)]
                out.extend(names)
            else:
                out.append(given)
        return out

    def _names_for(
        self, column: str, label: str
    ) -> list[str]:  # pragma: no cover - abstract
        """Output names of fitted column ``column``, whose name is given as ``label``."""
        raise NotImplementedError


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
