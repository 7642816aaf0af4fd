"""Rescale columns to a fixed range, ``[0, 1]`` by default."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from mlprep.core import (
    Boolean,
    ColumnSpec,
    Predicate,
    zero_scale_to_one,
)
from mlprep.scale._base import AffineScaler, ColumnMoments, unit_for
from mlprep.state import MomentsState

__all__ = ["MinMaxScaler"]


def _is_range(value: Any) -> bool:
    try:
        low, high = value
        return bool(np.isfinite(low) and np.isfinite(high) and float(low) < float(high))
    except (TypeError, ValueError):
        return False


def _range_factor(width: float, low: float, high: float, spread: float) -> float:
    """``width / (high - low)``, also where ``high - low`` overflows float64.

    Examples
    --------
    >>> _range_factor(1.0, -1e308, 1e308, float("inf"))
    5e-309
    """
    if np.isfinite(spread) or not (np.isfinite(low) and np.isfinite(high)):
        return width / zero_scale_to_one(spread)
    return width / 2.0 / (high / 2.0 - low / 2.0)


class MinMaxScaler(ColumnMoments, AffineScaler):
    """Rescale each column linearly so its training minimum and maximum map to ``feature_range``.

    ``x' = (x - min) * (high - low) / (max - min) + low``. Use it when the
    scale matters but the distribution does not: k-nearest neighbours, neural
    networks, image intensities. It keeps the shape of the distribution (a
    skewed column stays skewed) and one outlier squeezes every other value into
    a small part of the range: prefer :class:`RobustScaler` then. Fit it on
    the training split only.

    Parameters
    ----------
    feature_range : tuple (low, high), default=(0, 1)
        The output range of the training data; ``low < high``.
    clip : bool, default=False
        Clip transformed values of new data to ``feature_range`` (values
        outside the training range otherwise map outside it).
    {columns}

    Attributes
    ----------
    columns_ : list of str
    data_min_, data_max_ : dict
        Column name to the minimum / maximum seen (NaN ignored; NaN for an
        all-missing column, whose output stays missing).
    data_range_ : dict
        Column name to ``data_max_ - data_min_`` (``inf`` where it exceeds
        float64; ``scale_`` and the transform stay exact there).
    scale_ : dict
        Column name to the factor ``(high - low) / data_range_`` (a constant
        column gets ``high - low``, as in scikit-learn, so it maps to ``low``).
    n_samples_seen_ : dict
        Column name to the number of non-missing values seen.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    See Also
    --------
    sklearn.preprocessing.MinMaxScaler : the array equivalent (same numbers).

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.scale import MinMaxScaler
    >>> X = pd.DataFrame({"a": [1.0, 3.0, 5.0, 7.0, -1.0, -3.0]})
    >>> MinMaxScaler().fit_transform(X)["a"].tolist()
    [0.4, 0.6, 0.8, 1.0, 0.2, 0.0]
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "feature_range": [
            Predicate(
                _is_range, "a tuple (low, high) of finite numbers with low < high"
            )
        ],
        "clip": [Boolean],
        "columns": [ColumnSpec],
    }

    def __init__(
        self,
        *,
        feature_range: tuple[float, float] = (0, 1),
        clip: bool = False,
        columns: Any = None,
    ) -> None:
        self.feature_range = feature_range
        self.clip = clip
        self.columns = columns

    def _finish_state(self, state: dict[str, MomentsState]) -> None:
        low, high = (float(v) for v in self.feature_range)
        self.data_min_ = {name: state[name].minimum for name in self.columns_}
        self.data_max_ = {name: state[name].maximum for name in self.columns_}
        self.n_samples_seen_ = {name: state[name].count for name in self.columns_}
        self.data_range_ = {
            name: self.data_max_[name] - self.data_min_[name] for name in self.columns_
        }
        self.scale_ = {
            name: _range_factor(
                high - low, self.data_min_[name], self.data_max_[name], spread
            )
            for name, spread in self.data_range_.items()
        }

    def _center_and_factor(self, name: str) -> tuple[float, float]:
        return self.data_min_[name], self.scale_[name]

    def _in_units(self, name: str) -> tuple[float, float, float] | None:
        low, high = self.data_min_[name], self.data_max_[name]
        unit = unit_for(low, high)
        if unit == 1.0:
            return None
        spread = high / unit - low / unit
        width = float(self.feature_range[1]) - float(self.feature_range[0])
        return unit, low / unit, width / spread if spread > 0 else width

    def _offset(self, name: str) -> float:
        return float(self.feature_range[0])

    def _clip_bounds(self) -> tuple[float, float] | None:
        if not self.clip:
            return None
        low, high = self.feature_range
        return float(low), float(high)
