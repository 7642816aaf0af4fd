"""The encoders that learn ``categories_``: learning them, unknown values, identifiers.

:class:`VocabularyEncoder` is the base of every encoder but hashing. It learns
the categories of each column in one pass (in-memory ``fit``) or from merged
value counts and first sightings (batches, lazy sources, :func:`mlprep.merge`),
codes the columns against them, and refuses an unnamed column that looks like
an identifier.
"""

from __future__ import annotations

from typing import Any

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import factorize_series, output_name
from mlprep.encode._base import Block, CategoricalEncoder
from mlprep.encode._state import (
    FirstSeen,
    Tally,
    count_pairs,
    ordered_categories,
    tally,
)
from mlprep.encode._state import sort_lexically as _lexical_order
from mlprep.exceptions import DataError
from mlprep.state import CountsState

__all__ = ["ID_MIN_ROWS", "ID_SHARE", "VocabularyEncoder"]

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
