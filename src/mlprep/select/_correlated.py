"""Drop numeric columns highly correlated with an earlier kept column."""

from __future__ import annotations

from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np
from scipy.stats import rankdata

from mlprep.core import ColumnSpec, Interval, Options, as_float_array
from mlprep.core._warnings import warn_data
from mlprep.select._base import ColumnDropper
from mlprep.select._comoments import CoMomentsState

__all__ = ["DropCorrelatedFeatures"]


_OVERFLOW = 1e150
"""Magnitudes beyond which a Pearson correlation's sums of squares overflow."""


def _ranks(values: np.ndarray) -> np.ndarray:
    return np.asarray(rankdata(values, method="average"), dtype=float)


def _pearson(x: np.ndarray, y: np.ndarray) -> float:
    if x.size < 2:
        return float("nan")
    with np.errstate(over="ignore", invalid="ignore"):
        dx, dy = x - x.mean(), y - y.mean()
        denominator = float(np.sqrt((dx @ dx) * (dy @ dy)))
    return float(dx @ dy) / denominator if denominator > 0 else float("nan")


def correlation_matrix(data: np.ndarray, method: str) -> np.ndarray:
    """Pairwise-complete correlations of the columns of ``data`` (like pandas ``.corr``).

    Each pair uses the rows where both values are present; Spearman ranks
    those rows (ties get their average rank). A pair with fewer than two
    such rows, or a constant column, gives NaN.
    """
    n_columns = data.shape[1]
    missing = np.isnan(data)
    if not missing.any():
        values = (
            np.column_stack([_ranks(c) for c in data.T])
            if method == "spearman"
            else data
        )
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            centered = values - values.mean(axis=0)
            scale = np.sqrt((centered * centered).sum(axis=0))
            scaled = centered / scale
            out = scaled.T @ scaled
        unusable = (scale == 0) | ~np.isfinite(scale)
        out[:, unusable] = np.nan
        out[unusable, :] = np.nan
        return np.asarray(out, dtype=float)
    out = np.full((n_columns, n_columns), np.nan)
    for i in range(n_columns):
        for j in range(i, n_columns):
            rows = ~(missing[:, i] | missing[:, j])
            x, y = data[rows, i], data[rows, j]
            if method == "spearman":
                x, y = _ranks(x), _ranks(y)
            out[i, j] = out[j, i] = _pearson(x, y)
    return out


class DropCorrelatedFeatures(ColumnDropper):
    """Drop numeric columns whose absolute correlation with an earlier kept column exceeds ``threshold``.

    The columns are walked in order: the first is kept, and every later
    column with ``|corr| > threshold`` to it is dropped; then the next
    column not yet dropped is kept and removes the later columns correlated
    with it, and so on (feature-engine's rule). So of a correlated group the
    first column in order survives — put the columns you prefer first.
    feature-engine walks the columns sorted by name instead; on a frame whose
    columns are in name order the two drop the same columns (tested).

    Correlations are pairwise-complete like pandas ``DataFrame.corr``: each
    pair uses the rows where both values are present. A constant column has
    no correlation (NaN) and is never dropped for it. Only numeric columns
    are examined; the others pass through.

    With ``method="pearson"`` the state is a :class:`CoMomentsState`
    (pairwise-complete counts, means, squared deviations and co-moments,
    merged exactly), so ``partial_fit``, lazy sources and
    :func:`mlprep.merge` give the ``fit`` answer (up to rounding).
    Spearman ranks all rows at once: it has no ``partial_fit``.

    Parameters
    ----------
    threshold : float in [0, 1], default=0.9
        A later column is dropped when its absolute correlation with a kept
        column is strictly greater than this.
    method : {"pearson", "spearman"}, default="pearson"
        Pearson (linear) or Spearman (rank, monotonic) correlation.
    {columns}

    Attributes
    ----------
    columns_ : list of str
        The numeric columns examined.
    dropped_ : list of str
        The dropped columns, in input order.
    correlated_with_ : dict
        Dropped column name to the kept column that removed it.
    correlation_ : ndarray of shape (len(columns_), len(columns_))
        The correlation matrix of ``columns_`` (NaN where undefined).
    partial_state_ : CoMomentsState
        Pearson only: the mergeable state.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    See Also
    --------
    feature_engine.selection.DropCorrelatedFeatures : the pandas original.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.select import DropCorrelatedFeatures
    >>> X = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [2.0, 4.1, 6.0, 8.2],
    ...                   "c": [1.0, -1.0, 1.0, -1.0]})
    >>> selector = DropCorrelatedFeatures(threshold=0.9).fit(X)
    >>> list(selector.transform(X).columns)
    ['a', 'c']
    >>> print(selector.summary())
    DropCorrelatedFeatures: dropped 1 of 3 columns
      - b: |pearson correlation| 1.000 with 'a' > 0.9
    kept: ['a', 'c']
    """

    _column_kind: ClassVar[str] = "numeric"
    _tags: ClassVar[dict[str, Any]] = {"string": False, "categorical": False}
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "threshold": [Interval(float, 0, 1, closed="both")],
        "method": [Options("pearson", "spearman")],
        "columns": [ColumnSpec],
    }

    def __init__(
        self,
        threshold: float = 0.9,
        *,
        method: str = "pearson",
        columns: Any = None,
    ) -> None:
        self.threshold = threshold
        self.method = method
        self.columns = columns

    def _supports_partial_fit(self) -> bool:
        return self.method == "pearson"

    def _partial_fit_refusal(self) -> str:
        return (
            "Spearman correlations rank all rows at once, which per-batch "
            "summaries cannot do; fit the whole training data, or use "
            "method='pearson', whose co-moments merge exactly."
        )

    def _data(self, frame: nw.DataFrame) -> np.ndarray:
        owner = type(self).__name__
        if not self.columns_:
            return np.empty((len(frame), 0))
        data = np.column_stack(
            [
                as_float_array(frame[name], owner=owner, finite=True)
                for name in self.columns_
            ]
        )
        if self.method == "pearson":
            with np.errstate(invalid="ignore"):
                huge = np.nanmax(np.abs(data), axis=0, initial=0.0) > _OVERFLOW
            for name in np.asarray(self.columns_, dtype=object)[huge]:
                warn_data(
                    f"{owner}: column {name!r} holds values beyond 1e150, whose squares "
                    "overflow float64, so its Pearson correlations are NaN and it is "
                    "kept. Rescale it (or use method='spearman') to compare it."
                )
        return data

    def _new_state(self) -> CoMomentsState:
        return CoMomentsState(len(self.columns_))

    def _update_state(
        self, state: CoMomentsState, frame: nw.DataFrame, y: Any
    ) -> CoMomentsState:
        return state.merge(CoMomentsState.of(self._data(frame)))

    def _finish_state(self, state: CoMomentsState) -> None:
        self._select(state.correlation())

    def _fit(self, frame: nw.DataFrame, y: Any, **fit_params: Any) -> None:
        if self.method == "pearson":
            super()._fit(frame, y, **fit_params)
        else:
            self._select(correlation_matrix(self._data(frame), self.method))

    def _select(self, corr: np.ndarray) -> None:
        """Walk the columns in order; each kept column removes the later ones it exceeds."""
        names = self.columns_
        self.correlation_ = corr
        threshold = float(self.threshold)
        self.correlated_with_: dict[str, str] = {}
        examined: set[int] = set()
        for i, name in enumerate(names):
            if i in examined:
                continue
            examined.add(i)
            for j in range(i + 1, len(names)):
                if j not in examined and abs(corr[i, j]) > threshold:
                    examined.add(j)
                    self.correlated_with_[names[j]] = name
        self._set_dropped(list(self.correlated_with_))

    def _reasons(self) -> dict[str, str]:
        index = {name: i for i, name in enumerate(self.columns_)}
        reasons = {}
        for name in self.dropped_:
            kept = self.correlated_with_[name]
            value = abs(self.correlation_[index[name], index[kept]])
            reasons[name] = (
                f"|{self.method} correlation| {value:.3f} with {kept!r} > {self.threshold}"
            )
        return reasons
