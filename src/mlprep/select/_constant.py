"""Drop constant and quasi-constant columns."""

from __future__ import annotations

from typing import Any, ClassVar

import narwhals.stable.v2 as nw

from mlprep.core import ColumnSpec, Interval, Options, missing_mask, series_values
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

    def _update_state(
        self, state: dict[str, CountsState], frame: nw.DataFrame, y: Any
    ) -> dict[str, CountsState]:
        out = {}
        for name in self.columns_:
            values = series_values(frame[name])
            missing = missing_mask(values)
            n_missing = int(missing.sum())
            if n_missing and self.missing_values == "raise":
                raise DataError(
                    f"{type(self).__name__}: column {name!r} has {n_missing} missing "
                    "values. Impute them first, or pass missing_values='ignore' "
                    "(missing is no value) or 'include' (missing is a value)."
                )
            batch = CountsState().update(values[~missing].tolist(), missing=n_missing)
            out[name] = state[name].merge(batch)
        return out

    def _finish_state(self, state: dict[str, CountsState]) -> None:
        tol = float(self.tol)
        self.top_share_ = {}
        dropped = []
        n_samples = None
        for name in self.columns_:
            counts = state[name]
            rows = counts.total + counts.missing
            n_samples = rows
            values = counts.counts
            top = max(values.values(), default=0)
            if self.missing_values == "include":
                top = max(top, counts.missing)
            share = top / rows if rows else 0.0
            if tol == 1.0 and self.missing_values == "ignore":
                # feature-engine: one distinct non-missing value, missing ignored
                is_dropped = counts.exact and len(values) == 1
            else:
                is_dropped = rows > 0 and share >= tol
            self.top_share_[name] = share
            if is_dropped:
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
