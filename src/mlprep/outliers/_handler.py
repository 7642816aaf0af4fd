"""Treat outliers with fences learned per column in ``fit``."""

from __future__ import annotations

from numbers import Real
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import (
    ColumnSpec,
    Interval,
    MlprepTransformer,
    NoneOK,
    Options,
    Predicate,
    is_float,
    numpy_float_values,
    output_name,
)
from mlprep.exceptions import DataError
from mlprep.outliers._fences import (
    METHODS,
    bounds_from_state,
    check_numeric,
    is_quantile_pair,
    learn_bounds,
    new_fence_state,
    outside_expr,
    resolve_k,
    update_fence_state,
)
from mlprep.state._engine import quantile_summary

__all__ = ["OutlierHandler"]

ACTIONS = ("clip", "nan", "mean", "median", "flag")

QUANTILE_PAIR = Predicate(
    is_quantile_pair, "a pair (low, high) of floats with 0 <= low < high <= 1"
)
METHOD = Options(*METHODS)
K = [Interval(Real, 0, None, closed="neither"), NoneOK]


class OutlierHandler(MlprepTransformer):
    """Find outliers with per-column fences learned in ``fit``, then treat them.

    ``fit`` learns a ``[low, high]`` fence for every selected column from the
    training data only; ``transform`` applies those same fences to any data,
    so test rows are judged by training statistics (no leakage). A value
    strictly outside its fence is an outlier; a value on a fence is not.

    Parameters
    ----------
    method : {"iqr", "zscore", "mad", "quantile"}, default="iqr"
        How the fences are learned, on the finite values of each column:

        - ``"iqr"``: Tukey's fences ``[Q1 - k·IQR, Q3 + k·IQR]``. Robust; suits
          skewed columns.
        - ``"zscore"``: ``mean ± k·std`` with the population std (``ddof=0``,
          as :func:`scipy.stats.zscore`). Suits roughly normal columns; the
          outliers themselves inflate the std, so it misses them in small
          samples.
        - ``"mad"``: the modified z-score ``0.6745·(x - median)/MAD``; fences
          ``median ± k·MAD/0.6745``. Robust, for roughly symmetric columns.
        - ``"quantile"``: ``[q(low), q(high)]`` for ``quantiles=(low, high)``;
          with ``action="clip"`` this is winsorizing.

        Quantiles use numpy's and pandas' default ``"linear"`` definition:
        the ``q``-quantile of ``n`` sorted values ``v`` is
        ``v[i] + (v[i+1] - v[i])·f`` where ``i + f = q·(n - 1)``.
    k : float > 0 or None, default=None
        The fence width. None means 1.5 for ``"iqr"``, 3 for ``"zscore"`` and
        3.5 for ``"mad"``. Must stay None with ``"quantile"``.
    quantiles : (float, float), default=(0.01, 0.99)
        ``(low, high)`` with ``0 <= low < high <= 1``; used by ``"quantile"``.
    action : {"clip", "nan", "mean", "median", "flag"}, default="clip"
        What ``transform`` does to an outlier:

        - ``"clip"``: cap it at the fence it crossed;
        - ``"nan"``: replace it by NaN (to impute later);
        - ``"mean"`` / ``"median"``: replace it by the mean / median of the
          column's inliers in the training data;
        - ``"flag"``: keep every value and append a boolean
          ``{col}_outlier`` column per selected column.

        Every action but ``"flag"`` returns the treated columns as float64.
    columns : str, int, list of str or int, or None, default=None
        The columns to treat (or, with ``action="flag"``, to flag), by name
        or position. None selects every numeric column. The other columns
        pass through unchanged.

    Attributes
    ----------
    columns_ : list of str
        The treated columns.
    bounds_ : dict
        Column name to its fences ``[low, high]`` (plain floats).
    k_ : float or None
        The fence width used (None for ``"quantile"``).
    statistics_ : dict
        Column name to the replacement value (``"mean"``/``"median"`` only).
    quantile_method_, rank_error_ : str, float
        ``("exact", 0.0)`` after ``fit`` on in-memory data. After
        ``partial_fit``, a lazy source or Spark: ``("kll", bound)`` where the
        fences use quantiles or the MAD (each from a KLL sketch whose ranks are
        within ``bound``); z-score fences stay exact (merged moments).
    partial_state_ : dict
        Per column the merged moments and, except for z-score fences, a
        :class:`mlprep.state.QuantileSketch` (not set by an in-memory ``fit``).
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Defined when ``X`` has column names.

    See Also
    --------
    OutlierRemover : drop the rows that hold outliers, keeping ``y`` aligned.

    Notes
    -----
    Missing values (NaN, None, null) are ignored in ``fit`` and kept as they
    are by ``transform``; they are never outliers (``{col}_outlier`` is False).
    ±inf is left out of the statistics and, in ``transform``, is an outlier
    like any value beyond a fence. A column whose spread (IQR, std, MAD or
    quantile range) is zero in ``fit`` gets both fences equal to that value, and
    a :class:`~mlprep.exceptions.DataWarning` names it: every other value in
    it is then an outlier. A column with no finite value raises a
    :class:`~mlprep.exceptions.DataError`.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.outliers import OutlierHandler
    >>> X = pd.DataFrame({"water": [4, 3.8, 4.5, 8, 9, 9.5, 13, 14, 13.7, 25],
    ...                   "energy": [11, 12, 12.5, 8, 8.5, 7.5, 5, 4.7, 6, 23]})
    >>> handler = OutlierHandler(method="iqr").fit(X)
    >>> handler.bounds_["energy"]
    [-1.6875, 19.8125]
    >>> handler.transform(X).tail(2)
       water   energy
    8   13.7   6.0000
    9   25.0  19.8125
    >>> OutlierHandler(action="flag").fit_transform(X)["energy_outlier"].tolist()[-3:]
    [False, False, True]
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "method": [METHOD],
        "k": K,
        "quantiles": [QUANTILE_PAIR],
        "action": [Options(*ACTIONS)],
        "columns": [ColumnSpec],
    }

    def __init__(
        self,
        *,
        method: str = "iqr",
        k: float | None = None,
        quantiles: tuple[float, float] = (0.01, 0.99),
        action: str = "clip",
        columns: Any = None,
    ) -> None:
        self.method = method
        self.k = k
        self.quantiles = quantiles
        self.action = action
        self.columns = columns

    def _fit(self, frame: nw.DataFrame, y: Any, **fit_params: Any) -> None:
        """Exact fences of in-memory data (numpy's linear quantiles)."""
        owner = type(self).__name__
        self.k_ = resolve_k(self.method, self.k, owner)
        self._check_flag_names()
        bounds, statistics = learn_bounds(
            frame,
            self.columns_,
            method=self.method,
            k=self.k_,
            quantiles=self.quantiles,
            owner=owner,
            inlier_statistic=self._inlier_statistic(),
        )
        self._set(bounds, statistics, quantile_summary(None))

    def _inlier_statistic(self) -> str | None:
        return self.action if self.action in ("mean", "median") else None

    def _check_flag_names(self) -> None:
        if self.action != "flag":
            return
        taken = set(self._input_names()).intersection(
            output_name(n, "outlier") for n in self.columns_
        )
        if taken:
            raise DataError(
                f"{type(self).__name__}(action='flag') would add column(s) "
                f"{sorted(taken)}, which already exist in the data. Rename them first."
            )

    def _new_state(self) -> dict[str, Any]:
        return new_fence_state(
            self.columns_, self.method, inliers=self._inlier_statistic() is not None
        )

    def _update_state(
        self, state: dict[str, Any], frame: nw.DataFrame, y: Any
    ) -> dict[str, Any]:
        return update_fence_state(state, frame, self.columns_, type(self).__name__)

    def _finish_state(self, state: dict[str, Any]) -> None:
        """Fences from the merged state: exact moments, sketched quantiles and MAD."""
        owner = type(self).__name__
        self.k_ = resolve_k(self.method, self.k, owner)
        self._check_flag_names()
        bounds, statistics, summary = bounds_from_state(
            state,
            method=self.method,
            k=self.k_,
            quantiles=self.quantiles,
            owner=owner,
            inlier_statistic=self._inlier_statistic(),
        )
        self._set(bounds, statistics, summary)

    def _set(
        self,
        bounds: dict[str, list[float]],
        statistics: dict[str, float],
        summary: tuple[str, float],
    ) -> None:
        self.bounds_ = bounds
        if self._inlier_statistic() is not None:
            self.statistics_ = statistics
        self.quantile_method_, self.rank_error_ = summary

    def _transform(self, frame: nw.DataFrame) -> nw.DataFrame:
        """One ``with_columns``: numpy kernels for numpy-backed columns, else expressions.

        Only pandas-like frames hold numpy-backed columns; any other frame
        (polars, pyarrow) is treated by expressions alone, which its own
        backend computes (no numpy round trip).
        """
        schema = frame.schema
        backend = nw.get_native_namespace(frame)
        pandas_like = frame.implementation.is_pandas_like()
        outputs: list[nw.Expr | nw.Series] = []
        for name in self.columns_:
            alias = output_name(name, "outlier") if self.action == "flag" else name
            values = numpy_float_values(frame[name]) if pandas_like else None
            if values is None:
                outputs.append(self._expression(name, schema[name]).alias(alias))
            else:
                low, high = self.bounds_[name]
                result = self._kernel(name, values, low, high)
                outputs.append(nw.new_series(alias, result, backend=backend))
        return frame.with_columns(*outputs)

    def _expression(self, name: str, dtype: Any) -> nw.Expr:
        """The treatment as a narwhals expression (polars, pyarrow, nullable pandas)."""
        check_numeric(name, dtype, type(self).__name__)
        low, high = self.bounds_[name]
        column = nw.col(name)
        if self.action != "flag" and not is_float(dtype):
            column = column.cast(nw.Float64)
        if self.action == "clip":
            return column.clip(low, high)
        outside = outside_expr(name, dtype, low, high)
        if self.action == "flag":
            return outside.fill_null(False)
        value = float("nan") if self.action == "nan" else self.statistics_[name]
        return nw.when(outside).then(nw.lit(value)).otherwise(column)

    def _kernel(
        self, name: str, values: np.ndarray, low: float, high: float
    ) -> np.ndarray:
        """The same treatment on a numpy column without nulls (NaN compares False)."""
        if self.action == "clip":
            return np.clip(values, low, high)
        outside = (values < low) | (values > high)
        if self.action == "flag":
            return outside
        value = np.nan if self.action == "nan" else self.statistics_[name]
        return np.where(outside, value, values)

    def _feature_names_out(self, input_names: list[str]) -> list[str]:
        if self.action != "flag":
            return list(input_names)
        return [*input_names, *(output_name(n, "outlier") for n in self.columns_)]
