"""Scale each column by its maximum absolute value, into ``[-1, 1]``."""

from __future__ import annotations

import warnings
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import ColumnSpec, as_float_array, zero_scale_to_one
from mlprep.scale._base import AffineScaler

__all__ = ["MaxAbsScaler"]


class MaxAbsScaler(AffineScaler):
    """Divide each column by its largest absolute value: the output lies in ``[-1, 1]``.

    No shift: zeros stay zeros and signs are kept, which suits sparse data
    and columns with many exact zeros (counts, indicators). It keeps the
    shape of the distribution and, like :class:`MinMaxScaler`, is sensitive
    to outliers. Fit it on the training split only.

    Parameters
    ----------
    {columns}

    Attributes
    ----------
    columns_ : list of str
    max_abs_ : dict
        Column name to the largest absolute value seen (NaN ignored).
    scale_ : dict
        Column name to the divisor; 1.0 for an all-zero column, as in
        scikit-learn.
    n_samples_seen_ : dict
        Column name to the number of non-missing values seen.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    See Also
    --------
    sklearn.preprocessing.MaxAbsScaler : the array equivalent (same numbers).

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.scale import MaxAbsScaler
    >>> X = pd.DataFrame({"b": [2.0, 4.0, 6.0, 8.0, -2.0, -4.0]})
    >>> MaxAbsScaler().fit_transform(X)["b"].tolist()
    [0.25, 0.5, 0.75, 1.0, -0.25, -0.5]
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {"columns": [ColumnSpec]}

    def __init__(self, *, columns: Any = None) -> None:
        self.columns = columns

    def _fit(self, frame: nw.DataFrame, y: Any, **fit_params: Any) -> None:
        self.max_abs_: dict[str, float] = {}
        self.n_samples_seen_: dict[str, int] = {}
        self._update(frame)

    def _partial_fit(self, frame: nw.DataFrame, y: Any) -> None:
        """Raise the running maximum absolute value with a batch."""
        self._update(frame)

    def _update(self, frame: nw.DataFrame) -> None:
        owner = type(self).__name__
        self.scale_ = {}
        for name in self.columns_:
            values = as_float_array(frame[name], owner=owner)
            count = int(np.count_nonzero(~np.isnan(values)))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                batch = float(np.nanmax(np.abs(values)))
            seen = self.n_samples_seen_.get(name, 0)
            if seen:
                batch = float(np.fmax(batch, self.max_abs_[name]))
            self.n_samples_seen_[name] = seen + count
            self.max_abs_[name] = batch
            self.scale_[name] = zero_scale_to_one(batch)

    def _center_and_factor(self, name: str) -> tuple[float, float]:
        return 0.0, 1.0 / self.scale_[name]
