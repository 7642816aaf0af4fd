"""Centre on the median and scale by the interquartile range."""

from __future__ import annotations

from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import (
    Boolean,
    ColumnSpec,
    Predicate,
    as_float_array,
    nanquantiles,
    zero_scale_to_one,
)
from mlprep.exceptions import DataError
from mlprep.scale._base import AffineScaler, unit_for
from mlprep.state import QuantileSketch
from mlprep.state._engine import quantile_summary

__all__ = ["RobustScaler"]


def _is_quantile_range(value: Any) -> bool:
    try:
        low, high = value
        return bool(0 <= float(low) <= float(high) <= 100)
    except (TypeError, ValueError):
        return False


class RobustScaler(AffineScaler):
    """Subtract the median and divide by the interquartile range, per column.

    The median and the IQR ignore the extreme values that drag a mean and a
    standard deviation, so use it for columns with outliers or heavy tails.
    The outliers themselves are kept (handle them with
    :mod:`mlprep.outliers`), and skew is kept too. Quantiles use numpy's
    default ``"linear"`` method, as scikit-learn's RobustScaler does.

    Parameters
    ----------
    quantile_range : tuple (q_min, q_max), default=(25, 75)
        Percentiles, ``0 <= q_min <= q_max <= 100``, whose difference is the
        scale. This is the one parameter of mlprep that takes quantiles as
        percentages rather than fractions in [0, 1] (as ``quantiles=`` of
        :class:`~mlprep.outliers.OutlierHandler` does): it keeps
        scikit-learn's name, scale and default, as the design's API table
        lists it.
    with_centering : bool, default=True
        Subtract the median.
    with_scaling : bool, default=True
        Divide by the quantile range (1.0 for a column whose range is below
        ``10 * eps``, as in scikit-learn).
    {columns}

    Attributes
    ----------
    columns_ : list of str
    center_ : dict
        Column name to the median (NaN ignored), None when
        ``with_centering=False``.
    scale_ : dict
        Column name to the quantile range, None when ``with_scaling=False``.
    quantile_method_ : {"exact", "kll"}
        ``"exact"`` after ``fit`` on in-memory data (numpy's linear rule, equal to
        scikit-learn); ``"kll"`` after ``partial_fit``, a lazy source or Spark,
        whose quantiles come from a KLL sketch.
    rank_error_ : float
        The sketch's rank-error bound: each quantile's rank is within this of the
        asked one (0.0 when exact).
    partial_state_ : dict
        Column name to its :class:`mlprep.state.QuantileSketch` (``partial_fit``,
        lazy and Spark fits only): what :func:`mlprep.merge` combines.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    See Also
    --------
    sklearn.preprocessing.RobustScaler : the array equivalent (same numbers).

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.scale import RobustScaler
    >>> X = pd.DataFrame({"water": [4, 3.8, 4.5, 8, 9, 9.5, 13, 14, 13.7, 25]})
    >>> scaler = RobustScaler().fit(X)
    >>> scaler.center_["water"], round(scaler.scale_["water"], 10)
    (9.25, 8.15)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "quantile_range": [
            Predicate(
                _is_quantile_range,
                "a tuple (q_min, q_max) with 0 <= q_min <= q_max <= 100",
            )
        ],
        "with_centering": [Boolean],
        "with_scaling": [Boolean],
        "columns": [ColumnSpec],
    }

    def __init__(
        self,
        *,
        quantile_range: tuple[float, float] = (25.0, 75.0),
        with_centering: bool = True,
        with_scaling: bool = True,
        columns: Any = None,
    ) -> None:
        self.quantile_range = quantile_range
        self.with_centering = with_centering
        self.with_scaling = with_scaling
        self.columns = columns

    def _wanted(self) -> list[float]:
        low, high = (float(q) / 100.0 for q in self.quantile_range)
        return ([0.5] if self.with_centering else []) + (
            [low, high] if self.with_scaling else []
        )

    def _fit(self, frame: nw.DataFrame, y: Any, **fit_params: Any) -> None:
        """Exact quantiles of in-memory data (numpy's linear rule, as scikit-learn)."""
        owner = type(self).__name__
        wanted = self._wanted()
        found = {}
        for name in self.columns_:
            values = as_float_array(frame[name], owner=owner, finite=True)
            found[name] = (
                [float(v) for v in nanquantiles(values, wanted)] if wanted else []
            )
        self._set_from(found)
        self.quantile_method_, self.rank_error_ = quantile_summary(None)

    def _new_state(self) -> dict[str, QuantileSketch]:
        return {name: QuantileSketch() for name in self.columns_}

    def _update_state(
        self, state: dict[str, QuantileSketch], frame: nw.DataFrame, y: Any
    ) -> dict[str, QuantileSketch]:
        owner = type(self).__name__
        for name in self.columns_:
            state[name].update(as_float_array(frame[name], owner=owner, finite=True))
        return state

    def _finish_state(self, state: dict[str, QuantileSketch]) -> None:
        wanted = self._wanted()
        self._set_from(
            {
                name: [float(v) for v in state[name].quantiles(wanted)]
                if wanted
                else []
                for name in self.columns_
            }
        )
        self.quantile_method_, self.rank_error_ = quantile_summary(state.values())

    def _set_from(self, found: dict[str, list[float]]) -> None:
        self.center_, self.scale_ = {}, {}
        for name, values in found.items():
            self.center_[name] = values.pop(0) if self.with_centering else None
            self.scale_[name] = (
                zero_scale_to_one(self._spread(name, values[0], values[1]))
                if self.with_scaling
                else None
            )

    def _spread(self, name: str, low: float, high: float) -> float:
        """``high - low``; a DataError where it exceeds float64 (quantiles near ±1e308)."""
        with np.errstate(over="ignore"):
            spread = high - low
        if np.isinf(spread) and np.isfinite(low) and np.isfinite(high):
            raise DataError(
                f"RobustScaler: the quantile range of column {name!r} "
                f"({low!r} to {high!r}) exceeds the float64 range, so it cannot "
                "be a divisor. Rescale the column first (e.g. divide it by 1e10)."
            )
        return spread

    def _center_and_factor(self, name: str) -> tuple[float, float]:
        center, scale = self.center_[name], self.scale_[name]
        if center is None or center != center:
            center = 0.0
        return center, 1.0 if scale is None else 1.0 / scale

    def _in_units(self, name: str) -> tuple[float, float, float] | None:
        center, scale = self.center_[name], self.scale_[name]
        if center is None or center != center:
            center = 0.0
        unit = unit_for(center, 1.0 if scale is None else scale)
        if unit == 1.0:
            return None
        return unit, center / unit, 1.0 if scale is None else unit / scale
