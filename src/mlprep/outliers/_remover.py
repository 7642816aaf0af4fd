"""Drop the rows that hold outliers, keeping ``y`` aligned."""

from __future__ import annotations

from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import ColumnSpec, Options, select_columns
from mlprep.core.resample import MlprepResampler
from mlprep.outliers._fences import learn_bounds, outlier_flags, resolve_k
from mlprep.outliers._handler import METHOD, QUANTILE_PAIR, K

__all__ = ["OutlierRemover"]


class OutlierRemover(MlprepResampler):
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
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Defined when ``X`` has column names.

    Notes
    -----
    Missing values are ignored in the fences and never make a row an outlier.
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
        self.columns_ = select_columns(frame, self.columns, kind="numeric", owner=owner)
        self.bounds_, _ = learn_bounds(
            frame,
            self.columns_,
            method=self.method,
            k=self.k_,
            quantiles=self.quantiles,
            owner=owner,
        )
        flags = outlier_flags(frame, self.bounds_)
        outlier_rows = np.asarray(
            flags.any(axis=1) if self.how == "any" else flags.all(axis=1)
        )
        return ~outlier_rows
