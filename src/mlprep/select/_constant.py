"""Drop constant and quasi-constant columns."""

from __future__ import annotations

from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import (
    ColumnSpec,
    Interval,
    Options,
    factorize_series,
    plain_value,
)
from mlprep.exceptions import DataError
from mlprep.select._base import ColumnDropper
from mlprep.state import CountsState

__all__ = ["DropConstantFeatures"]


class DropConstantFeatures(ColumnDropper):
    """Drop columns where one value takes at least a share ``tol`` of the rows.

    A constant column carries no information for a model and a quasi-constant
    one (99.9 % the same value) very little. With ``tol=1`` only constant
    columns go; with ``tol=0.98`` a column goes when its most frequent value
    fills at least 98 % of the rows. Works on any dtype. The rule is
    feature-engine's ``DropConstantFeatures`` (same columns dropped, tested).

    Missing values (``missing_values``):

    * ``"raise"`` (default): a missing value in a selected column is a DataError;
    * ``"ignore"``: missing values are no value. With ``tol=1`` a column is
      constant when it has exactly one distinct non-missing value (an
      all-missing column is kept); with ``tol < 1`` the share is the count
      of the most frequent value over *all* rows, missing ones included;
    * ``"include"``: missing is one more value, so an all-missing column is
      constant and ``[1, 1, NaN]`` is not.

    If every column of the data would be dropped, ``fit`` raises a DataError.
    The state is a :class:`~mlprep.state.CountsState` per column, so
    ``partial_fit``, lazy sources and :func:`mlprep.merge` give the exact
    answer while a column has at most 100 000 distinct values (beyond that
    the counts are a frequent-items sketch; such a column is never constant).

    Parameters
    ----------
    tol : float in (0, 1], default=1.0
        A column is dropped when the share of its most frequent value is
        ``>= tol``.
    missing_values : {"raise", "ignore", "include"}, default="raise"
        How missing values count, see above.
    {columns}

    Attributes
    ----------
    columns_ : list of str
        The columns examined.
    dropped_ : list of str
        The dropped columns, in input order.
    top_share_ : dict
        Column name to the share of its most frequent value over all rows
        (the quantity compared with ``tol``, except that ``tol=1`` with
        ``"ignore"`` asks for one distinct non-missing value instead).
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    See Also
    --------
    feature_engine.selection.DropConstantFeatures : the pandas original.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.select import DropConstantFeatures
    >>> X = pd.DataFrame({"a": [1, 2, 3, 4], "b": [0, 0, 0, 0], "c": ["x", "x", "x", "y"]})
    >>> DropConstantFeatures().fit(X).dropped_
    ['b']
    >>> selector = DropConstantFeatures(tol=0.75).fit(X)
    >>> list(selector.transform(X).columns)
    ['a']
    >>> print(selector.summary())
    DropConstantFeatures: dropped 2 of 3 columns
      - b: most frequent value fills 100% of the rows (tol=0.75)
      - c: most frequent value fills 75% of the rows (tol=0.75)
    kept: ['a']
    """

    _tags: ClassVar[dict[str, Any]] = {
        "allow_nan": lambda self: self.missing_values != "raise",
    }
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "tol": [Interval(float, 0, 1, closed="right")],
        "missing_values": [Options("raise", "ignore", "include")],
        "columns": [ColumnSpec],
    }

    def __init__(
        self,
        tol: float = 1.0,
        *,
        missing_values: str = "raise",
        columns: Any = None,
    ) -> None:
        self.tol = tol
        self.missing_values = missing_values
        self.columns = columns

    def _new_state(self) -> dict[str, CountsState]:
        return {name: CountsState() for name in self.columns_}

    # In-memory ``fit`` counts each column once, vectorised, and keeps no
    # state (like the encoders); ``partial_fit``, lazy sources and merges keep
    # mergeable value counts.
    def _fit(self, frame: nw.DataFrame, y: Any, **fit_params: Any) -> None:
        self.top_share_: dict[str, float] = {}
        dropped = []
        for name in self.columns_:
            counts, _, n_missing = self._tally(frame, name)
            top = int(counts.max()) if counts.size else 0
            rows = frame.shape[0]
            if self._is_constant(name, top, counts.size, n_missing, rows, exact=True):
                dropped.append(name)
        self._set_dropped(dropped, frame.shape[0])

    def _refuse_continuing(self) -> None:
        raise DataError(
            f"{type(self).__name__} was fitted with fit() on in-memory data, which "
            "counts the values exactly and keeps no partial state to add batches "
            "to. Start over with partial_fit() on every batch (or fit a lazy "
            "source), or fit() the whole data."
        )

    def _tally(
        self, frame: nw.DataFrame, name: str
    ) -> tuple[np.ndarray, list[Any], int]:
        """A column's distinct non-missing values, their counts and the missing count."""
        codes, uniques = factorize_series(frame[name])
        present = codes[codes >= 0]
        n_missing = codes.size - present.size
        if n_missing and self.missing_values == "raise":
            raise DataError(
                f"{type(self).__name__}: column {name!r} has {n_missing} missing "
                "values. Impute them first, or pass missing_values='ignore' "
                "(missing is no value) or 'include' (missing is a value)."
            )
        return np.bincount(present, minlength=len(uniques)), uniques, n_missing

    def _is_constant(
        self, name: str, top: int, distinct: int, n_missing: int, rows: int, exact: bool
    ) -> bool:
        """Record the top share of ``name``; whether the column is (quasi-)constant.

        ``top``: the count of the most frequent value, ``distinct``: the number
        of distinct non-missing values, ``rows``: present and missing together.
        """
        if self.missing_values == "include":
            top = max(top, n_missing)
        share = top / rows if rows else 0.0
        self.top_share_[name] = share
        if float(self.tol) == 1.0 and self.missing_values == "ignore":
            # feature-engine: one distinct non-missing value, missing ignored
            return exact and distinct == 1
        return rows > 0 and share >= float(self.tol)

    def _update_state(
        self, state: dict[str, CountsState], frame: nw.DataFrame, y: Any
    ) -> dict[str, CountsState]:
        out = {}
        for name in self.columns_:
            counts, uniques, n_missing = self._tally(frame, name)
            pairs = {plain_value(v): int(c) for v, c in zip(uniques, counts.tolist())}
            out[name] = state[name].merge(
                CountsState().update(pairs, missing=n_missing)
            )
        return out

    def _finish_state(self, state: dict[str, CountsState]) -> None:
        self.top_share_ = {}
        dropped = []
        n_samples = None
        for name in self.columns_:
            counts = state[name]
            n_samples = counts.total + counts.missing
            top = max(counts.counts.values(), default=0)
            distinct = len(counts.counts)
            if self._is_constant(
                name, top, distinct, counts.missing, n_samples, exact=counts.exact
            ):
                dropped.append(name)
        self._set_dropped(dropped, n_samples)

    def _all_dropped_hint(self) -> str:
        return "Raise tol (up to 1.0) or select fewer columns with columns=."

    def _reasons(self) -> dict[str, str]:
        return {
            name: (
                f"most frequent value fills {self.top_share_[name]:.0%} of the rows "
                f"(tol={self.tol})"
                if self.top_share_[name] >= float(self.tol)
                else "one distinct non-missing value (missing ignored)"
            )
            for name in self.dropped_
        }
