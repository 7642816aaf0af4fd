"""Scale each column by its maximum absolute value, into ``[-1, 1]``."""

from __future__ import annotations

from typing import Any, ClassVar

from mlprep.core import ColumnSpec, zero_scale_to_one
from mlprep.scale._base import AffineScaler, ColumnMoments, unit_for
from mlprep.state import MomentsState

__all__ = ["MaxAbsScaler"]


class MaxAbsScaler(ColumnMoments, AffineScaler):
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

    def _finish_state(self, state: dict[str, MomentsState]) -> None:
        self.max_abs_ = {name: state[name].max_abs for name in self.columns_}
        self.n_samples_seen_ = {name: state[name].count for name in self.columns_}
        self.scale_ = {
            name: zero_scale_to_one(value) for name, value in self.max_abs_.items()
        }

    def _center_and_factor(self, name: str) -> tuple[float, float]:
        return 0.0, 1.0 / self.scale_[name]

    def _in_units(self, name: str) -> tuple[float, float, float] | None:
        unit = unit_for(self.scale_[name])
        return None if unit == 1.0 else (unit, 0.0, unit / self.scale_[name])
