"""Drop the rows that hold outliers, keeping ``y`` aligned."""

from __future__ import annotations

from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import ColumnSpec, Options, select_columns
from mlprep.core._mergeable import Mergeable
from mlprep.core._sources import as_polars_lazy
from mlprep.core.resample import MlprepResampler
from mlprep.exceptions import DataError
from mlprep.outliers._fences import (
    bounds_from_state,
    learn_bounds,
    new_fence_state,
    outlier_flags,
    outside_expr,
    resolve_k,
    update_fence_state,
)
from mlprep.outliers._handler import METHOD, QUANTILE_PAIR, K
from mlprep.state._engine import quantile_summary

__all__ = ["OutlierRemover"]


class OutlierRemover(Mergeable, MlprepResampler):
    """Remove rows with outliers, a resampler for ``imblearn.pipeline.Pipeline``.

    The fences are those of :class:`OutlierHandler` with the same ``method``,
    ``k`` and ``quantiles``, learned on the data passed to ``fit_resample``.
    A row is dropped when ``how="any"`` of its selected cells, or ``"all"`` of
    them, lie strictly outside their fences. ``y`` loses the same rows.

    It has ``fit_resample`` and no ``transform``: inside an imbalanced-learn
    pipeline rows are dropped only while fitting, and prediction sees every
    row (treat outliers at prediction time with :class:`OutlierHandler`).

    Parameters
    ----------
    method : {"iqr", "zscore", "mad", "quantile"}, default="iqr"
        How the fences are learned; see :class:`OutlierHandler`.
    k : float > 0 or None, default=None
        The fence width; None means 1.5 (iqr), 3 (zscore) or 3.5 (mad).
    quantiles : (float, float), default=(0.01, 0.99)
        The fences of ``method="quantile"``.
    how : {"any", "all"}, default="any"
        Drop a row when any / all of its selected cells are outliers.
    columns : str, int, list of str or int, or None, default=None
        The columns checked for outliers, by name or position. None selects
        every numeric column. Every column is returned, unchanged, on the
        rows that stay.

    Attributes
    ----------
    columns_ : list of str
        The checked columns.
    bounds_ : dict
        Column name to its fences ``[low, high]``.
    k_ : float or None
        The fence width used (None for ``"quantile"``).
    n_removed_ : int
        How many rows the last ``fit_resample`` dropped.
    removed_indices_ : ndarray of int64
        Their positions in its input; :meth:`get_mask` gives the boolean mask.
    n_samples_seen_ : int
        The number of rows of that input.
    quantile_method_, rank_error_ : str, float
        ``("exact", 0.0)`` after ``fit_resample`` of in-memory data; after
        ``partial_fit``, a lazy source or Spark, ``("kll", bound)`` where the
        fences use quantiles or the MAD (z-score fences stay exact).
    partial_state_ : dict
        The mergeable fence statistics (``partial_fit``, lazy sources, Spark,
        :func:`mlprep.merge`), as :class:`OutlierHandler` keeps them.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Defined when ``X`` has column names.

    Notes
    -----
    Missing values are ignored in the fences and never make a row an outlier.

    For data that does not fit in memory, ``partial_fit`` adds batches to
    the fence statistics and ``fit`` streams a lazy source (polars
    ``LazyFrame``, DuckDB relation, pyarrow dataset, Spark);
    ``fit_resample`` of a lazy source (not Spark) returns a polars
    ``LazyFrame`` of the kept rows, still lazy, and None for ``y`` (name the
    target column with ``y="label"``: it stays a column of the frame). The
    row counts (``n_removed_``, :meth:`get_mask`) exist for in-memory input
    only.
    The fences follow the training data of each ``fit_resample`` call; to
    judge new data by old fences use :class:`OutlierHandler` with
    ``action="flag"``.

    Examples
    --------
    >>> import numpy as np
    >>> from mlprep.outliers import OutlierRemover
    >>> X = np.array([[4, 11], [3.8, 12], [4.5, 12.5], [8, 8], [9, 8.5],
    ...               [9.5, 7.5], [13, 5], [14, 4.7], [13.7, 6], [25, 23]])
    >>> y = np.arange(10)
    >>> remover = OutlierRemover(method="iqr", how="any")
    >>> X_kept, y_kept = remover.fit_resample(X, y)
    >>> X_kept.shape, y_kept.tolist()
    ((9, 2), [0, 1, 2, 3, 4, 5, 6, 7, 8])
    >>> remover.n_removed_, remover.removed_indices_.tolist()
    (1, [9])
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "method": [METHOD],
        "k": K,
        "quantiles": [QUANTILE_PAIR],
        "how": [Options("any", "all")],
        "columns": [ColumnSpec],
    }

    def __init__(
        self,
        *,
        method: str = "iqr",
        k: float | None = None,
        quantiles: tuple[float, float] = (0.01, 0.99),
        how: str = "any",
        columns: Any = None,
    ) -> None:
        self.method = method
        self.k = k
        self.quantiles = quantiles
        self.how = how
        self.columns = columns

    def _keep_mask(self, frame: nw.DataFrame, y: Any) -> np.ndarray:
        owner = type(self).__name__
        self.k_ = resolve_k(self.method, self.k, owner)
        self.columns_ = self._select_columns(frame, "frame")
        self.bounds_, _ = learn_bounds(
            frame,
            self.columns_,
            method=self.method,
            k=self.k_,
            quantiles=self.quantiles,
            owner=owner,
        )
        self.quantile_method_, self.rank_error_ = quantile_summary(None)
        flags = outlier_flags(frame, self.bounds_)
        outlier_rows = np.asarray(
            flags.any(axis=1) if self.how == "any" else flags.all(axis=1)
        )
        return ~outlier_rows

    # ------------------------------------------------ mergeable fence statistics
    def _start_fit(self, X: Any) -> tuple[nw.DataFrame, str]:
        self._validate_params()
        self.__dict__.pop("partial_state_", None)
        frame, kind = self._ingest(X, reset=True)
        self.columns_ = self._select_columns(frame, kind)
        return frame, kind

    def _select_columns(self, frame: nw.DataFrame, kind: str) -> list[str]:
        return select_columns(
            frame, self.columns, kind="numeric", owner=type(self).__name__
        )

    def _new_state(self) -> dict[str, Any]:
        return new_fence_state(self.columns_, self.method, inliers=False)

    def _update_state(
        self, state: dict[str, Any], frame: nw.DataFrame, y: Any
    ) -> dict[str, Any]:
        return update_fence_state(state, frame, self.columns_, type(self).__name__)

    def _finish_state(self, state: dict[str, Any]) -> None:
        """The fences of every batch seen, as :class:`OutlierHandler` learns them."""
        owner = type(self).__name__
        self.k_ = resolve_k(self.method, self.k, owner)
        self.bounds_, _, summary = bounds_from_state(
            state, method=self.method, k=self.k_, quantiles=self.quantiles, owner=owner
        )
        self.quantile_method_, self.rank_error_ = summary

    def _resample_source(self, X: Any, kind: str) -> Any:
        """The rows of a source within the fences, as a lazy polars frame."""
        if kind == "spark":
            raise DataError(
                "OutlierRemover.fit_resample of a Spark DataFrame is not lazy-mapped; "
                "fit(spark_df) learns the fences (bounds_), then filter with them in "
                "Spark, or use OutlierHandler(action='flag') and drop flagged rows."
            )
        frame = nw.from_native(as_polars_lazy(X, kind))
        schema = frame.collect_schema()
        flags = [
            outside_expr(name, schema[name], low, high).fill_null(False)
            for name, (low, high) in self.bounds_.items()
        ]
        outlier = (
            nw.any_horizontal(*flags, ignore_nulls=True)
            if self.how == "any"
            else nw.all_horizontal(*flags, ignore_nulls=True)
        )
        return nw.to_native(frame.filter(~outlier))
