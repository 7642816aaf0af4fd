"""Standardize columns to zero mean and unit variance."""

from __future__ import annotations

from typing import Any, ClassVar

from mlprep.core import (
    Boolean,
    ColumnSpec,
    zero_scale_to_one,
)
from mlprep.scale._base import AffineScaler, ColumnMoments, unit_for
from mlprep.state import MomentsState

__all__ = ["StandardScaler"]


class StandardScaler(ColumnMoments, AffineScaler):
    """Standardize: ``z = (x - mean) / std``, per column, NaN ignored.

    Use it for roughly normal columns and for models that assume centred,
    unit-variance inputs (linear models, SVMs, neural networks). It keeps the
    shape of the distribution: a skewed column stays skewed (reduce skew
    with :class:`PowerTransformer` or :class:`LogTransformer`). Fit it on the
    training split only.

    Parameters
    ----------
    with_mean : bool, default=True
        Subtract the mean.
    with_std : bool, default=True
        Divide by the population standard deviation (``ddof=0``).
    {columns}

    Attributes
    ----------
    columns_ : list of str
    mean_ : dict
        Column name to mean (learned even when ``with_mean=False``, so
        ``partial_fit`` can merge batches).
    var_ : dict
        Column name to population variance (likewise always learned; ``inf``
        where it exceeds float64, for values near ``1e308``, whose ``scale_``
        is still exact).
    scale_ : dict
        Column name to the divisor, None when ``with_std=False``; 1.0 for
        constant columns (scikit-learn's rule, :attr:`mlprep.core._stats.Moments.constant`).
    n_samples_seen_ : dict
        Column name to the number of non-missing values seen.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Examples
    --------
    >>> import numpy as np
    >>> from mlprep.scale import StandardScaler
    >>> X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0], [-1.0, -2.0], [-3.0, -4.0]])
    >>> StandardScaler().fit_transform(X)[0]
    array([-0.29277002, -0.07881104])
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "with_mean": [Boolean],
        "with_std": [Boolean],
        "columns": [ColumnSpec],
    }
    _variance = True

    def __init__(
        self, *, with_mean: bool = True, with_std: bool = True, columns: Any = None
    ) -> None:
        self.with_mean = with_mean
        self.with_std = with_std
        self.columns = columns

    def _finish_state(self, state: dict[str, MomentsState]) -> None:
        found = {name: self._column_moments(state, name) for name in self.columns_}
        self.n_samples_seen_ = {name: state[name].count for name in self.columns_}
        self.mean_ = {name: found[name].mean for name in self.columns_}
        self.var_ = {name: found[name].variance for name in self.columns_}
        self.scale_: dict[str, float | None] = {
            name: (
                zero_scale_to_one(found[name].std, constant=found[name].constant)
                if self.with_std
                else None
            )
            for name in self.columns_
        }

    def _center_and_factor(self, name: str) -> tuple[float, float]:
        center = self.mean_[name] if self.with_mean else 0.0
        scale = self.scale_[name]
        if center is None or center != center:
            center = 0.0
        return center, 1.0 if scale is None else 1.0 / scale

    def _in_units(self, name: str) -> tuple[float, float, float] | None:
        center = self.mean_[name] if self.with_mean else 0.0
        if center is None or center != center:
            center = 0.0
        scale = self.scale_[name]
        unit = unit_for(center, 1.0 if scale is None else scale)
        if unit == 1.0:
            return None
        return unit, center / unit, 1.0 if scale is None else unit / scale
