"""Fill missing values with a per-column statistic, or a model, learned in ``fit``."""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import (
    Boolean,
    ColumnSpec,
    Interval,
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
    numpy_columns,
    numpy_float_values,
    output_name,
    plain_value,
    refuse_infinite_values,
    with_numpy_columns,
)
from mlprep.core._columns import is_temporal_dtype
from mlprep.core._frame import infinite_error, refuse_infinite
from mlprep.core._stats import moments
from mlprep.core._warnings import warn_data
from mlprep.exceptions import DataError
from mlprep.impute._categorical import (
    categorical_fill_value,
    category_kind,
    fill_categorical,
    is_categorical,
)
from mlprep.impute._iterative import apply_chain, fit_chain
from mlprep.impute._neighbours import knn_impute
from mlprep.state import CountsState, MomentsState, QuantileSketch
from mlprep.state._engine import quantile_summary

__all__ = ["Imputer"]

_MODEL_STRATEGIES = ("knn", "iterative")
_NUMERIC_STRATEGIES = ("mean", "median", *_MODEL_STRATEGIES)
_STRATEGY_ATTRIBUTES = (
    "value_counts_",
    "quantile_method_",
    "rank_error_",
    "reference_rows_",
    "imputation_sequence_",
    "n_iter_",
)
"""Fitted attributes only some strategies set: a new fit forgets the old ones."""
_NOTHING_TO_IMPUTE_WITH = {
    "knn": "no value for its neighbours to give",
    "iterative": "no value to fit its regression on",
}
_NO_BATCHES = {
    "knn": (
        "k-NN imputation keeps every training row as a candidate donor "
        "(reference_rows_), which is not a statistic that merges across batches."
    ),
    "iterative": (
        "iterative imputation fits a chain of regressions, each on the imputations "
        "of the one before over all the training rows at once, which does not merge "
        "across batches."
    ),
}


def _is_fill_value(value: Any) -> bool:
    return value is None or isinstance(value, (str, Real, bool, np.generic))


class Imputer(MlprepTransformer):
    """Replace missing values by a statistic or a model of the columns learned in ``fit``.

    NaN, None, ``pd.NA`` and polars nulls all count as missing. Columns not
    selected pass through unchanged.

    Parameters
    ----------
    strategy : {"mean", "median", "most_frequent", "constant", "knn", "iterative"}, \
default="mean"
        ``"mean"`` suits roughly normal columns, ``"median"`` skewed ones (it
        ignores outliers); both need numeric columns. ``"most_frequent"``
        works on numeric, string, categorical and boolean columns and breaks
        ties by the smallest value, as scikit-learn does. ``"constant"``
        fills ``fill_value``. ``"knn"`` fills a gap with the average of that
        column over the ``n_neighbors`` nearest training rows
        (scikit-learn's ``KNNImputer``); ``"iterative"`` predicts each column
        from the others with a chain of linear regressions (MICE-style,
        scikit-learn's ``IterativeImputer``). Both use the relations between
        columns, need numeric columns, and cost more (see Notes).
    fill_value : str, number or None, default=None
        The value used by ``"constant"``. None means 0 for numeric columns and
        ``"missing_value"`` for the others, as in scikit-learn, and ``False``
        (the 0 of booleans) for boolean columns, which stay boolean: a
        boolean column (e.g. pandas ``"boolean"``) takes only ``True`` or
        ``False``, and any other ``fill_value`` is refused in ``fit``. The
        value must suit every selected column, on every backend alike: a
        numeric column (``Int64`` included) takes a number, never text (a
        ``DataError`` names the column; cast it to text first to fill a
        label); an integer column filled with a fraction becomes ``Float64``
        (with a whole number it stays integer); a text column takes a
        string; a datetime or duration column a ``numpy.datetime64`` or
        ``numpy.timedelta64``. A categorical column (pandas ``Categorical``,
        polars ``Categorical`` or ``Enum``, Arrow dictionary) stays
        categorical: a value that is not yet one of its categories is added
        as the last category (scikit-learn's ``SimpleImputer`` fills the same
        value but returns plain strings), and it takes text for text
        categories and a number for numeric ones (None: ``"missing_value"``
        or 0). Restrict the columns with ``columns=`` to fill different
        kinds differently.
    columns : str, int, list of str or int, or None, default=None
        The columns to impute, by name or position. None selects every
        numeric column for ``"mean"``, ``"median"``, ``"knn"`` and
        ``"iterative"``, and every column for ``"most_frequent"``/``"constant"``.
        The other columns pass through unchanged (``"knn"`` and
        ``"iterative"`` neither read them nor measure distances with them).
    add_indicator : bool, default=False
        Append a boolean ``{col}_missing`` column for every imputed column
        (whether or not it had gaps in ``fit``, so the output schema never
        depends on the data).
    n_neighbors : int, default=5
        Used by ``"knn"`` only: how many nearest training rows that have the
        column observed give their value.
    weights : {"uniform", "distance"}, default="uniform"
        Used by ``"knn"`` only: average the neighbours' values equally, or
        weighted by the inverse of their distance.
    max_iter : int, default=10
        Used by ``"iterative"`` only: the most rounds over the columns; 0
        leaves the starting means.
    tol : float, default=1e-3
        Used by ``"iterative"`` only: stop once a round changes no imputed
        value by more than ``tol`` times the largest observed absolute value.

    Attributes
    ----------
    columns_ : list of str
        The imputed columns.
    statistics_ : dict
        Column name to fill value; for ``"knn"`` and ``"iterative"`` the mean
        of the column's observed values in ``fit``, which ``"knn"`` fills
        where no training row can donate and ``"iterative"`` starts from.
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
    reference_rows_ : ndarray of shape (n_rows, n_columns), float64
        ``"knn"`` only: the training rows of ``columns_`` (NaN where missing),
        among which ``transform`` looks for neighbours. It is the whole
        training data of those columns: 8 bytes per value in memory and about
        11 bytes per value in the file ``mlprep.save`` writes (442 rows x 10
        columns: about 48 kB).
    imputation_sequence_ : list of dict
        ``"iterative"`` only: the fitted chain, one step per column per round,
        in order. Each step is ``{"column": j, "predictors": [k, ...],
        "coef": ndarray, "intercept": float}`` with positions in ``columns_``:
        the missing values of column ``j`` become ``X[:, predictors] @ coef +
        intercept`` of the current imputations. ``n_iter_ * len(columns_)``
        steps of ``len(columns_) - 1`` coefficients each.
    n_iter_ : int
        ``"iterative"`` only: the rounds run (at most ``max_iter``; 0 with a
        single column, whose answer is its mean).
    partial_state_ : dict
        What ``partial_fit`` and :func:`mlprep.merge` combine (not set by an
        exact median ``fit``, nor by ``"knn"``/``"iterative"``).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Defined when ``X`` has column names.

    Warns
    -----
    DataWarning
        ``"iterative"``: the rounds ran out (``max_iter``) before the changes
        fell below ``tol``; scikit-learn's ``ConvergenceWarning`` in the same
        case, reworded with the fix.

    See Also
    --------
    sklearn.impute.SimpleImputer : the array equivalent of the statistics.
    sklearn.impute.KNNImputer : ``"knn"``, to which the result is equal.
    sklearn.impute.IterativeImputer : ``"iterative"``, to which the result is equal.

    Notes
    -----
    A column that is entirely missing in ``fit`` has no mean, median or mode:
    ``fit`` raises an error naming it instead of dropping it. ``partial_fit``,
    lazy sources and Spark merge ``"mean"`` (sums and counts),
    ``"most_frequent"`` (value counts, exact up to 100,000 distinct values) and
    ``"constant"`` exactly; medians of batches do not merge, so batched
    ``"median"`` keeps a KLL sketch (:class:`mlprep.state.QuantileSketch`).

    ``"knn"`` is scikit-learn's ``KNNImputer(n_neighbors, weights)`` fitted
    on ``reference_rows_``: nan-Euclidean distances over the imputed columns
    (scaled up for the coordinates missing in either row), a gap filled from
    the nearest training rows that have that column, the column's mean when
    none has it. ``transform`` compares every row with a gap to every
    training row: time grows with ``n_gappy_rows x n_train_rows x
    n_columns``, so keep the training rows to what fits (a sample).
    ``"iterative"`` is scikit-learn's ``IterativeImputer(max_iter, tol)``
    with its other defaults: ``BayesianRidge`` regressions, the means to
    start from (``initial_strategy="mean"``), columns in order of their
    share of missing values (``imputation_order="ascending"``), every other
    column a predictor (``n_nearest_features=None``), predictions rather
    than posterior samples (``sample_posterior=False``), so it is
    deterministic. ``fit`` runs scikit-learn and keeps the chain as plain
    numbers; ``transform`` replays it with numpy. As in scikit-learn, data
    whose selected values are all missing get the means. Neither fits in
    batches: there is no ``partial_fit``, and a lazy source or Spark is
    refused by ``fit`` (k-NN needs every training row, the regressions
    every row at once); collect the data (or a sample) first. A fitted
    imputer still transforms a polars LazyFrame or Spark DataFrame batch
    by batch. Infinite values are refused by name. Values near ``1e308``,
    whose squares overflow float64, are imputed in a power-of-two unit: for
    ``"knn"`` the neighbours and weights are those of the data divided by
    any power of two (each column averaged in its own unit, so a column of
    small values keeps its precision next to a huge one); for
    ``"iterative"`` the chain is fitted on the data divided by the power of
    two at their largest value (one unit for all columns: the coefficients
    are the same, the means and intercepts scaled back) and a prediction
    beyond float64's range is held at ``±1.8e308``. Either way the result
    is finite and the observed values are untouched.

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

    k-NN: the gap in row 3 takes the mean of ``a`` over the two rows nearest
    in ``b`` (rows 2 and 1); the string column passes through.

    >>> X = pd.DataFrame(
    ...     {"a": [1.0, 2.0, 3.0, None], "b": [1.0, 2.0, 3.0, 3.5], "id": list("wxyz")}
    ... )
    >>> Imputer(strategy="knn", n_neighbors=2).fit_transform(X)
         a    b id
    0  1.0  1.0  w
    1  2.0  2.0  x
    2  3.0  3.0  y
    3  2.5  3.5  z
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "strategy": [
            Options("mean", "median", "most_frequent", "constant", "knn", "iterative")
        ],
        "fill_value": [Predicate(_is_fill_value, "a str, a number or None")],
        "columns": [ColumnSpec],
        "add_indicator": [Boolean],
        "n_neighbors": [Interval(Integral, 1, None)],
        "weights": [Options("uniform", "distance")],
        "max_iter": [Interval(Integral, 0, None)],
        "tol": [Interval(Real, 0, None)],
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
        n_neighbors: int = 5,
        weights: str = "uniform",
        max_iter: int = 10,
        tol: float = 1e-3,
    ) -> None:
        self.strategy = strategy
        self.fill_value = fill_value
        self.columns = columns
        self.add_indicator = add_indicator
        self.n_neighbors = n_neighbors
        self.weights = weights
        self.max_iter = max_iter
        self.tol = tol

    # --------------------------------------------------------------- fitting
    def _column_kinds(self) -> tuple[str, str | None]:
        return ("numeric" if self.strategy in _NUMERIC_STRATEGIES else "any"), None

    def _supports_partial_fit(self) -> bool:
        return self.strategy not in _MODEL_STRATEGIES

    def _partial_fit_refusal(self) -> str:
        return (
            f"strategy={self.strategy!r} does not fit in batches: "
            f"{_NO_BATCHES[self.strategy]} "
            "Fit the whole training data in memory with fit() (collect a lazy source "
            "first, e.g. lf.collect(), or a sample of it), or use strategy='mean' or "
            "'median', which fit in batches."
        )

    def _fit(self, frame: nw.DataFrame, y: Any, **fit_params: Any) -> None:
        self._forget()
        if self.strategy == "knn":
            values = self._observe(frame)  # no column is entirely missing now
            self.statistics_ = dict(zip(self.columns_, map(float, _means(values))))
            self.reference_rows_ = values
            return
        if self.strategy == "iterative":
            self._fit_chain(frame)
            return
        if self.strategy != "median":
            super()._fit(frame, y)
            return
        # the exact median of in-memory data (a sketch only for batches and sources)
        owner = type(self).__name__
        refuse_infinite(frame, self.columns_, owner=owner)
        self.n_observed_ = {}
        self.statistics_ = {}
        for name in self.columns_:
            values = as_float_array(frame[name], owner=owner)
            present = ~np.isnan(values)
            observed = int(np.count_nonzero(present))
            if observed < values.shape[0]:  # the median of the observed values
                values = values[present]
            self.n_observed_[name] = observed
            self.statistics_[name] = float(nanquantiles(values, [0.5])[0])
        self.quantile_method_, self.rank_error_ = quantile_summary(None)
        self._finish()

    def _fit_transform(self, frame: nw.DataFrame, y: Any, **fit_params: Any) -> Any:
        if self.strategy == "iterative":
            # scikit-learn's fit imputes the training data on the way: no replay
            self._forget()
            return self._with_filled(frame, self._fit_chain(frame))
        return super()._fit_transform(frame, y, **fit_params)

    def _forget(self) -> None:
        for name in _STRATEGY_ATTRIBUTES:
            self.__dict__.pop(name, None)

    def _observe(self, frame: nw.DataFrame) -> np.ndarray:
        """The selected columns as one float matrix; counts set, empty columns refused."""
        values = self._float_matrix(frame)
        counts = np.count_nonzero(~np.isnan(values), axis=0)
        self.n_observed_ = {
            name: int(count) for name, count in zip(self.columns_, counts)
        }
        self._finish()
        return values

    def _fit_chain(self, frame: nw.DataFrame) -> np.ndarray:
        """Fit the iterative chain; returns the training data imputed."""
        chain = fit_chain(self._observe(frame), max_iter=self.max_iter, tol=self.tol)
        if not chain.converged:
            warn_data(
                f"Imputer(strategy='iterative') ran all max_iter={self.max_iter} "
                "rounds and the imputed values were still changing by more than "
                f"tol={self.tol} times the largest observed absolute value (the "
                "stopping rule of scikit-learn's IterativeImputer). The result is "
                "usable; raise max_iter (or tol) to let the rounds settle."
            )
        self.statistics_ = {
            name: float(mean) for name, mean in zip(self.columns_, chain.means)
        }
        self.imputation_sequence_ = chain.steps
        self.n_iter_ = chain.n_iter
        return chain.filled

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
        refuse_infinite(frame, self.columns_, owner=owner)
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
                updated.setdefault("fill", {})[name] = self._constant_for(name, series)
        return updated

    def _finish_state(self, state: dict[str, Any]) -> None:
        """Fill values from the merged state: mean, sketch median, mode or constant."""
        self._forget()
        self.n_observed_ = {}
        self.statistics_ = {}
        for name in self.columns_:
            part = state[name]
            self.n_observed_[name] = (
                part.count if self.strategy != "most_frequent" else part.total
            )
            if self.strategy == "mean":
                if np.isinf(part.minimum) or np.isinf(part.maximum):  # a lazy source
                    raise infinite_error(type(self).__name__, name)
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

    def _finish(self) -> None:
        """Refuse entirely missing columns and taken indicator names; set the modes."""
        if self.add_indicator:
            check_unique_names(
                type(self).__name__, self._feature_names_out(self._input_names())
            )
        if self.strategy == "constant":
            return
        empty = [name for name in self.columns_ if self.n_observed_[name] == 0]
        if empty:
            nothing = _NOTHING_TO_IMPUTE_WITH.get(
                self.strategy, f"no {self.strategy.replace('_', ' ')} to impute with"
            )
            raise DataError(
                f"Column {empty[0]!r} is entirely missing, so it has {nothing}"
                + (f" (also: {empty[1:]})" if len(empty) > 1 else "")
                + ". Use strategy='constant', or drop the column before imputing."
            )
        if self.strategy == "most_frequent":
            for name in self.columns_:
                self.statistics_[name] = _mode(self.value_counts_[name], name)

    def _constant_for(self, name: str, series: nw.Series) -> Any:
        dtype = series.dtype
        if is_categorical(dtype):
            return categorical_fill_value(name, series, self.fill_value)
        if dtype == nw.Boolean:
            if self.fill_value is None:
                return False
            if isinstance(self.fill_value, (bool, np.bool_)):
                return bool(self.fill_value)
            raise DataError(
                f"Column {name!r} is boolean, so it cannot be filled with "
                f"fill_value={self.fill_value!r}. Use fill_value=True or False "
                "(None fills False), or cast the column first, or leave it out "
                "with columns=."
            )
        value = self.fill_value
        if value is None:
            return 0 if dtype.is_numeric() else "missing_value"
        text = isinstance(value, str)
        if dtype.is_numeric():
            if text:
                raise DataError(
                    f"Column {name!r} is numeric ({dtype}), so it cannot be filled "
                    f"with the text fill_value={value!r} (scikit-learn refuses it too). "
                    "Use a number, or cast the column to text first (e.g. "
                    f"X[{name!r}].astype('string')), or leave it out with columns=."
                )
            if dtype.is_integer() and float(value).is_integer():
                return int(value)  # an integer column stays integer
            return value  # a fraction: transform casts an integer column to Float64
        if dtype == nw.String and not text:
            raise DataError(
                f"Column {name!r} holds text, so it cannot be filled with the "
                f"{type(value).__name__} fill_value={value!r}. Use a string (e.g. "
                f"fill_value={str(value)!r}), or leave the column out with columns=."
            )
        temporal = is_temporal_dtype(dtype) or dtype == nw.Duration
        if temporal and not isinstance(value, (np.datetime64, np.timedelta64)):
            raise DataError(
                f"Column {name!r} holds {dtype} values, so it cannot be filled with "
                f"fill_value={value!r}. Use a numpy.datetime64 (numpy.timedelta64 for "
                "durations), or leave the column out with columns=."
            )
        return value

    def _float_matrix(self, frame: nw.DataFrame) -> np.ndarray:
        """The selected columns as a C-ordered float64 matrix (NaN where missing).

        k-NN distances and the regressions need finite numbers: a column
        holding ±inf is refused by name.
        """
        owner = type(self).__name__
        values = np.empty((frame.shape[0], len(self.columns_)), dtype=np.float64)
        for position, name in enumerate(self.columns_):
            values[:, position] = as_float_array(frame[name], owner=owner)
        infinite = np.isinf(values).sum(axis=0)
        if infinite.any():
            position = int(np.flatnonzero(infinite)[0])
            raise DataError(
                f"Column {self.columns_[position]!r} holds {infinite[position]} "
                "infinite value(s); "
                f"Imputer(strategy={self.strategy!r}) needs finite numbers (inf has "
                "no distance or regression). Replace inf first, e.g. with NaN to "
                "impute it too, or clip it (mlprep.outliers)."
            )
        return values

    # ------------------------------------------------------------- transform
    def _transform(self, frame: nw.DataFrame) -> nw.DataFrame:
        arrays = (
            numpy_columns(frame, self.columns_, keep_float_width=True)
            if self.strategy in ("mean", "median")
            else None
        )
        if arrays is not None:  # numpy-backed pandas: numpy passes, one new frame
            return self._fill_arrays(frame, arrays)
        refuse_infinite(frame, self.columns_, owner=type(self).__name__)
        if self.strategy in _MODEL_STRATEGIES:
            return self._with_filled(frame, self._model_fill(self._float_matrix(frame)))
        schema = frame.schema
        backend = nw.get_native_namespace(frame)
        filled: list[nw.Expr | nw.Series] = []
        for name in self.columns_:
            dtype = schema[name]
            value = self.statistics_[name]
            values = (
                numpy_float_values(frame[name])
                if self.strategy in _NUMERIC_STRATEGIES
                else None
            )
            if values is not None:  # numpy-backed: one numpy pass, no backend fillna
                fill = np.where(np.isnan(values), values.dtype.type(value), values)
                filled.append(nw.new_series(name, fill, backend=backend))  # new array
                continue
            if is_categorical(dtype):  # a new fill value joins the categories
                filled.append(fill_categorical(frame[name], value))
                continue
            expr = null_nan(name, dtype)
            if not is_float(dtype) and (
                self.strategy in _NUMERIC_STRATEGIES
                or (dtype.is_integer() and isinstance(value, (float, np.floating)))
            ):  # a mean, a median or a fraction makes an integer column Float64
                expr = expr.cast(nw.Float64)
            filled.append(expr.fill_null(value).alias(name))
        return frame.with_columns(*self._indicators(frame), *filled)

    def _fill_arrays(
        self, frame: nw.DataFrame, arrays: dict[str, np.ndarray]
    ) -> nw.DataFrame:
        """The mean/median fill of numpy-backed pandas columns, without expressions.

        The values and dtypes of the expression path: each column's NaN
        becomes its statistic (float32 columns stay float32, integers become
        float64), and the indicators are boolean columns appended in the
        order of ``columns_``.
        """
        refuse_infinite_values(arrays, owner=type(self).__name__)
        missing = {name: np.isnan(values) for name, values in arrays.items()}
        out = {
            name: np.where(
                missing[name], values.dtype.type(self.statistics_[name]), values
            )
            for name, values in arrays.items()
        }
        if self.add_indicator:
            out.update(
                (output_name(name, "missing"), missing[name]) for name in self.columns_
            )
        return with_numpy_columns(frame, out)

    def _model_fill(self, values: np.ndarray) -> np.ndarray:
        """``values`` (the selected columns) imputed by the fitted k-NN or chain."""
        if self.strategy == "knn":
            return knn_impute(
                self.reference_rows_,
                values,
                n_neighbors=self.n_neighbors,
                weights=self.weights,
            )
        means = np.array([self.statistics_[name] for name in self.columns_])
        return apply_chain(values, means, self.imputation_sequence_, self.n_iter_)

    def _with_filled(self, frame: nw.DataFrame, filled: np.ndarray) -> nw.DataFrame:
        """``frame`` with the selected columns replaced by ``filled``'s (float64)."""
        backend = nw.get_native_namespace(frame)
        columns = [
            nw.new_series(name, filled[:, position], nw.Float64, backend=backend)
            for position, name in enumerate(self.columns_)
        ]
        return frame.with_columns(*self._indicators(frame), *columns)

    def _indicators(self, frame: nw.DataFrame) -> list[nw.Expr]:
        if not self.add_indicator:
            return []
        schema = frame.schema
        return [
            missing_expr(name, schema[name]).alias(output_name(name, "missing"))
            for name in self.columns_
        ]

    def _feature_names_out(self, input_names: list[str]) -> list[str]:
        extra = (
            [output_name(n, "missing") for n in self.columns_]
            if self.add_indicator
            else []
        )
        return [*input_names, *extra]


def _means(values: np.ndarray) -> np.ndarray:
    """Column means of the observed values (numpy's ``nanmean``; in units near 1e308)."""
    with np.errstate(over="ignore", invalid="ignore"):
        means = np.nanmean(values, axis=0)
    for position in np.flatnonzero(~np.isfinite(means)):  # a sum beyond float64
        means[position] = moments(values[:, position], variance=False).mean
    return means


def _value_counts(series: nw.Series) -> list[tuple[Any, int]]:
    """(value, count) pairs of the non-missing values, as plain Python scalars."""
    present = (series.fill_nan(None) if is_float(series.dtype) else series).drop_nulls()
    if is_categorical(present.dtype) and category_kind(present) != "numeric":
        present = present.cast(nw.String)  # numeric categories count as numbers
    counts = present.value_counts(sort=False, name="__count__")
    values = counts[present.name].to_list()
    totals = counts["__count__"].to_list()
    return [(plain_value(v), int(c)) for v, c in zip(values, totals)]


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
