"""Square or cube root of each column."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from mlprep.core import ColumnSpec, Options
from mlprep.exceptions import DomainError
from mlprep.scale._base import ColumnMoments, NumpyValueTransformer
from mlprep.state import MomentsState

__all__ = ["RootTransformer"]


class RootTransformer(ColumnMoments, NumpyValueTransformer):
    """Square root or cube root of each column: a milder skew reduction than the log.

    ``"sqrt"`` is defined for values >= 0 (zeros are fine, unlike the log);
    ``"cbrt"`` takes any real value and keeps the sign, so it suits skewed
    columns with negatives.

    Parameters
    ----------
    root : {"sqrt", "cbrt"}, default="sqrt"
        Which root.
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
        With ``root="sqrt"``, from ``fit`` (and from ``transform`` for new
        data) when a column has a negative value, naming the column and its
        smallest value.

    Notes
    -----
    NaN is ignored in ``fit`` and stays NaN. ``inverse_transform`` squares or
    cubes.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.scale import RootTransformer
    >>> X = pd.DataFrame({"a": [0.0, 4.0, 9.0], "b": [-8.0, 1.0, 27.0]})
    >>> RootTransformer(root="sqrt", columns="a").fit_transform(X)["a"].tolist()
    [0.0, 2.0, 3.0]
    >>> RootTransformer(root="cbrt").fit_transform(X)["b"].tolist()
    [-2.0, 1.0, 3.0]
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "root": [Options("sqrt", "cbrt")],
        "columns": [ColumnSpec],
    }
    _tags: ClassVar[dict[str, Any]] = {
        "positive_only": lambda self: self.root == "sqrt"
    }

    def __init__(self, *, root: str = "sqrt", columns: Any = None) -> None:
        self.root = root
        self.columns = columns

    def _finish_state(self, state: dict[str, MomentsState]) -> None:
        """The smallest value per column, checked against the domain."""
        self.min_ = {}
        for name in self.columns_:
            smallest = state[name].minimum
            self._check(name, smallest, stage="fit")
            self.min_[name] = smallest

    def _check(self, name: str, smallest: float, *, stage: str) -> None:
        if self.root == "sqrt" and smallest < 0:
            raise DomainError(
                f"Negative values in data: the square root needs values >= 0, but column {name!r} has {smallest!r} "
                f"in {stage}. Use RootTransformer(root='cbrt'), which keeps the sign, or "
                "PowerTransformer(method='yeo-johnson')."
            )

    def _forward_values(self, name: str, values: np.ndarray) -> np.ndarray:
        if self.root == "cbrt":
            return np.cbrt(values)
        present = values[~np.isnan(values)]
        if present.size:
            self._check(name, float(present.min()), stage="transform")
        return np.sqrt(values)

    def _backward_values(self, name: str, values: np.ndarray) -> np.ndarray:
        return values * values * values if self.root == "cbrt" else values * values
