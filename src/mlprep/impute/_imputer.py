"""Fill missing values with a per-column statistic learned in ``fit``."""

from __future__ import annotations

from numbers import Real
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import (
    Boolean,
    ColumnSpec,
    MlprepTransformer,
    Options,
    Predicate,
    as_float_array,
    check_unique_names,
    is_float,
    is_missing,
    missing_expr,
    nanquantiles,
    null_nan,
    output_name,
)
from mlprep.exceptions import DataError
from mlprep.state import CountsState, MomentsState, QuantileSketch
from mlprep.state._engine import quantile_summary

__all__ = ["Imputer"]

_NUMERIC_STRATEGIES = ("mean", "median")


def _is_fill_value(value: Any) -> bool:
    return value is None or isinstance(value, (str, Real, bool, np.generic))


class Imputer(MlprepTransformer):
    """Replace missing values by a statistic of each column learned in ``fit``.

    NaN, None, ``pd.NA`` and polars nulls all count as missing. Columns not
    selected pass through unchanged.

    Parameters
    ----------
    strategy : {"mean", "median", "most_frequent", "constant"}, default="mean"
        ``"mean"`` suits roughly normal columns, ``"median"`` skewed ones (it
        ignores outliers); both need numeric columns. ``"most_frequent"``
        works on numeric, string, categorical and boolean columns and breaks
        ties by the smallest value, as scikit-learn does. ``"constant"``
        fills ``fill_value``.
    fill_value : str, number or None, default=None
        The value used by ``"constant"``. None means 0 for numeric columns and
        ``"missing_value"`` for the others, as in scikit-learn.
    columns : str, int, list of str or int, or None, default=None
        The columns to impute, by name or position. None selects every
        numeric column for ``"mean"``/``"median"`` and every column for
        ``"most_frequent"``/``"constant"``. The other columns pass through
        unchanged.
    add_indicator : bool, default=False
        Append a boolean ``{col}_missing`` column for every imputed column
        (whether or not it had gaps in ``fit``, so the output schema never
        depends on the data).

    Attributes
    ----------
    columns_ : list of str
        The imputed columns.
    statistics_ : dict
        Column name to fill value.
    n_observed_ : dict
        Column name to the number of non-missing values seen in ``fit``; with
        the means in ``statistics_`` it lets ``partial_fit`` merge batches
        exactly (:class:`mlprep.core._stats.Moments`).
    value_counts_ : dict
        Column name to ``{value: count}`` (``"most_frequent"`` only).
    quantile_method_, rank_error_ : str, float
        ``"median"`` only: ``("exact", 0.0)`` after ``fit`` on in-memory data;
        ``("kll", bound)`` after ``partial_fit``, a lazy source or Spark, whose
        median's rank is within ``bound`` of one half.
    partial_state_ : dict
        What ``partial_fit`` and :func:`mlprep.merge` combine (not set by an
        exact median ``fit``).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Defined when ``X`` has column names.

    See Also
    --------
    sklearn.impute.SimpleImputer : the array equivalent.

    Notes
    -----
    A column that is entirely missing in ``fit`` has no mean, median or mode:
    ``fit`` raises an error naming it instead of dropping it. ``partial_fit``,
    lazy sources and Spark merge ``"mean"`` (sums and counts),
    ``"most_frequent"`` (value counts, exact up to 100,000 distinct values) and
    ``"constant"`` exactly; medians of batches do not merge, so batched
    ``"median"`` keeps a KLL sketch (:class:`mlprep.state.QuantileSketch`).

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.impute import Imputer
    >>> X = pd.DataFrame({"a": [1.0, None, 5.0], "b": [2.0, 4.0, None]})
    >>> Imputer(strategy="mean").fit_transform(X)
         a    b
    0  1.0  2.0
    1  3.0  4.0
    2  5.0  3.0
    >>> Imputer(strategy="median", add_indicator=True).fit_transform(X).columns.tolist()
    ['a', 'b', 'a_missing', 'b_missing']
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "strategy": [Options("mean", "median", "most_frequent", "constant")],
        "fill_value": [Predicate(_is_fill_value, "a str, a number or None")],
        "columns": [ColumnSpec],
        "add_indicator": [Boolean],
    }
    _numeric_input = False
    _tags: ClassVar[dict[str, Any]] = {"string": True}

    def __init__(
        self,
        *,
        strategy: str = "mean",
        fill_value: Any = None,
        columns: Any = None,
        add_indicator: bool = False,
    ) -> None:
        self.strategy = strategy
        self.fill_value = fill_value
        self.columns = columns
        self.add_indicator = add_indicator

    # --------------------------------------------------------------- fitting
    def _column_kinds(self) -> tuple[str, str | None]:
        return ("numeric" if self.strategy in _NUMERIC_STRATEGIES else "any"), None

    def _fit(self, frame: nw.DataFrame, y: Any, **fit_params: Any) -> None:
        if self.strategy != "median":
            super()._fit(frame, y)
            return
        # the exact median of in-memory data (a sketch only for batches and sources)
        owner = type(self).__name__
        self.n_observed_ = {}
        self.statistics_ = {}
        for name in self.columns_:
            values = as_float_array(frame[name], owner=owner)
            self.n_observed_[name] = int(np.count_nonzero(~np.isnan(values)))
            self.statistics_[name] = float(nanquantiles(values, [0.5])[0])
        self.quantile_method_, self.rank_error_ = quantile_summary(None)
        self._finish()

    def _new_state(self) -> dict[str, Any]:
        if self.strategy == "median":
            return {name: QuantileSketch() for name in self.columns_}
        if self.strategy == "most_frequent":
            return {name: CountsState() for name in self.columns_}
        return {name: MomentsState() for name in self.columns_}

    def _moment_columns(self) -> list[str] | None:
        return self.columns_ if self.strategy == "mean" else None

    def _update_state(
        self, state: dict[str, Any], frame: nw.DataFrame, y: Any
    ) -> dict[str, Any]:
        owner = type(self).__name__
        updated = dict(state)
        for name in self.columns_:
            series = frame[name]
            if self.strategy == "median":
                updated[name] = state[name].update(as_float_array(series, owner=owner))
            elif self.strategy == "most_frequent":
                updated[name] = state[name].update(
                    dict(_value_counts(series)), missing=int(is_missing(series).sum())
                )
            elif self.strategy == "mean":
                values = as_float_array(series, owner=owner)
                updated[name] = state[name].merge(
                    MomentsState.of(values, variance=False, extremes=False)
                )
            else:  # constant: only the counts are learned
                present = np.where(is_missing(series), np.nan, 0.0)
                updated[name] = state[name].merge(
                    MomentsState.of(present, variance=False, extremes=False)
                )
                updated.setdefault("fill", {})[name] = self._constant_for(series.dtype)
        return updated

    def _finish_state(self, state: dict[str, Any]) -> None:
        """Fill values from the merged state: mean, sketch median, mode or constant."""
        self.n_observed_ = {}
        self.statistics_ = {}
        for name in self.columns_:
            part = state[name]
            self.n_observed_[name] = (
                part.count if self.strategy != "most_frequent" else part.total
            )
            if self.strategy == "mean":
                self.statistics_[name] = part.mean
            elif self.strategy == "median":
                self.statistics_[name] = float(part.quantiles([0.5])[0])
            elif self.strategy == "constant":
                self.statistics_[name] = state["fill"][name]
        if self.strategy == "median":
            self.quantile_method_, self.rank_error_ = quantile_summary(
                state[name] for name in self.columns_
            )
        if self.strategy == "most_frequent":
            self.value_counts_ = {name: state[name].counts for name in self.columns_}
        self._finish()
        if self.add_indicator:
            check_unique_names(
                type(self).__name__, self._feature_names_out(self._input_names())
            )

    def _finish(self) -> None:
        if self.strategy == "constant":
            return
        empty = [name for name in self.columns_ if self.n_observed_[name] == 0]
        if empty:
            raise DataError(
                f"Column {empty[0]!r} is entirely missing, so it has no "
                f"{self.strategy.replace('_', ' ')} to impute with"
                + (f" (also: {empty[1:]})" if len(empty) > 1 else "")
                + ". Use strategy='constant', or drop the column before imputing."
            )
        if self.strategy == "most_frequent":
            for name in self.columns_:
                self.statistics_[name] = _mode(self.value_counts_[name], name)

    def _constant_for(self, dtype: Any) -> Any:
        if self.fill_value is not None:
            return self.fill_value
        return 0 if dtype.is_numeric() else "missing_value"

    # ------------------------------------------------------------- transform
    def _transform(self, frame: nw.DataFrame) -> nw.DataFrame:
        schema = frame.schema
        filled = []
        for name in self.columns_:
            dtype = schema[name]
            value = self.statistics_[name]
            expr = null_nan(name, dtype)
            if self.strategy in _NUMERIC_STRATEGIES and not is_float(dtype):
                expr = expr.cast(nw.Float64)
            filled.append(expr.fill_null(value).alias(name))
        indicators = (
            [
                missing_expr(n, schema[n]).alias(output_name(n, "missing"))
                for n in self.columns_
            ]
            if self.add_indicator
            else []
        )
        return frame.with_columns(*indicators, *filled)

    def _feature_names_out(self, input_names: list[str]) -> list[str]:
        extra = (
            [output_name(n, "missing") for n in self.columns_]
            if self.add_indicator
            else []
        )
        return [*input_names, *extra]


def _value_counts(series: nw.Series) -> list[tuple[Any, int]]:
    """(value, count) pairs of the non-missing values, as plain Python scalars."""
    present = (series.fill_nan(None) if is_float(series.dtype) else series).drop_nulls()
    if present.dtype in (nw.Categorical, nw.Enum) or isinstance(
        present.dtype, (nw.Categorical, nw.Enum)
    ):
        present = present.cast(nw.String)
    counts = present.value_counts(sort=False, name="__count__")
    values = counts[present.name].to_list()
    totals = counts["__count__"].to_list()
    return [(_plain(v), int(c)) for v, c in zip(values, totals)]


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def _mode(counts: dict[Any, int], column: str) -> Any:
    top = max(counts.values())
    tied = [value for value, count in counts.items() if count == top]
    try:
        return min(tied)
    except TypeError as exc:
        raise DataError(
            f"Column {column!r} mixes values that cannot be ordered "
            f"({sorted({type(v).__name__ for v in tied})}), so a tie for the most "
            "frequent value cannot be broken. Cast the column to one type."
        ) from exc
