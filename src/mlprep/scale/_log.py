"""Logarithm of each column, with an optional offset."""

from __future__ import annotations

from numbers import Real
from typing import Any, ClassVar

import numpy as np

from mlprep.core import ColumnSpec, Interval, Options
from mlprep.exceptions import DomainError
from mlprep.scale._base import ColumnMoments, NumpyValueTransformer
from mlprep.state import MomentsState

__all__ = ["LogTransformer"]

_LOGS = {"e": np.log, 2: np.log2, 10: np.log10}
_BASES = {"e": np.e, 2: 2.0, 10: 10.0}


class LogTransformer(ColumnMoments, NumpyValueTransformer):
    """``log(x + offset)`` per column, in base e, 2 or 10.

    The log compresses large values: it reduces right skew (incomes, prices,
    counts), limits the pull of large outliers and turns multiplicative
    relations into additive ones. It is defined only for ``x + offset > 0``:
    pick ``offset`` to make the data positive (``offset=1`` for counts with
    zeros), or use :class:`PowerTransformer` (Yeo-Johnson) or
    :class:`RootTransformer` (``"cbrt"``) for data with negatives.

    Parameters
    ----------
    base : {"e", 2, 10}, default="e"
        The base of the logarithm.
    offset : float, default=0.0
        Added to every value before taking the log.
    {columns}

    Attributes
    ----------
    columns_ : list of str
    min_ : dict
        Column name to the smallest value seen in ``fit`` (NaN ignored).
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Raises
    ------
    DomainError
        From ``fit`` when a column has a value with ``x + offset <= 0``, naming
        the column and its smallest value. ``transform`` raises the same error
        for such a value met only in new data (rather than returning -inf or
        NaN silently).

    Notes
    -----
    NaN is ignored in ``fit`` and stays NaN. ``inverse_transform`` returns
    ``base ** y - offset``.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.scale import LogTransformer
    >>> X = pd.DataFrame({"x": [3, 4, 5, 6], "y": [1.0, 10.0, 100.0, 1000.0]})
    >>> LogTransformer(base=10, columns=["y"]).fit_transform(X)
       x    y
    0  3  0.0
    1  4  1.0
    2  5  2.0
    3  6  3.0
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "base": [Options("e", 2, 10)],
        "offset": [Interval(Real, None, None)],
        "columns": [ColumnSpec],
    }
    _tags: ClassVar[dict[str, Any]] = {"positive_only": True}

    def __init__(
        self, *, base: str | int = "e", offset: float = 0.0, columns: Any = None
    ) -> None:
        self.base = base
        self.offset = offset
        self.columns = columns

    def _finish_state(self, state: dict[str, MomentsState]) -> None:
        """The smallest value per column, checked against the domain."""
        self.min_ = {}
        for name in self.columns_:
            smallest = state[name].minimum
            self._check(name, smallest, stage="fit")
            self.min_[name] = smallest

    def _check(self, name: str, smallest: float, *, stage: str) -> None:
        if smallest + self.offset <= 0:
            what = "Negative values in data" if smallest < 0 else "Values <= 0 in data"
            raise DomainError(
                f"{what}: {type(self).__name__} needs x + offset > 0, but column {name!r} has "
                f"{smallest!r} in {stage} (offset={self.offset!r}). Set offset > "
                f"{-smallest!r}, or use PowerTransformer(method='yeo-johnson') or "
                "RootTransformer(root='cbrt') for data with zeros or negatives."
            )

    def _forward_values(self, name: str, values: np.ndarray) -> np.ndarray:
        present = values[~np.isnan(values)]
        if present.size:
            self._check(name, float(present.min()), stage="transform")
        return (
            _LOGS[self.base](values + self.offset)
            if self.offset
            else _LOGS[self.base](values)
        )

    def _backward_values(self, name: str, values: np.ndarray) -> np.ndarray:
        base = _BASES[self.base]
        restored = np.exp(values) if self.base == "e" else np.power(base, values)
        return restored - self.offset if self.offset else restored
