"""Class weights for imbalanced targets, as scikit-learn computes them."""

from __future__ import annotations

from typing import Any

import numpy as np

from mlprep.core import n_rows, plain_value, series_values
from mlprep.exceptions import DataError, InvalidParameterError

__all__ = ["class_weights"]

_METHODS = ("balanced",)


def class_weights(y: Any, method: str = "balanced") -> dict[Any, float]:
    """Weights per class that make every class count as much in a model's loss.

    ``"balanced"`` gives class ``c`` the weight ``n_samples / (n_classes *
    count(c))``, exactly scikit-learn's
    ``compute_class_weight("balanced", classes=np.unique(y), y=y)``. Pass the
    result as ``class_weight=`` to a scikit-learn classifier: an alternative
    to resampling with :class:`Balancer` that keeps every row as it is.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        The class labels: a numpy array, list, pandas or polars Series.
    method : {"balanced"}, default="balanced"
        How the weights are computed.

    Returns
    -------
    dict
        Class label (a plain Python scalar) to its weight (a float), classes
        in sorted order.

    Raises
    ------
    InvalidParameterError
        ``method`` is not one of the allowed values.
    DataError
        ``y`` is empty or has missing labels.

    Examples
    --------
    >>> from mlprep.balance import class_weights
    >>> class_weights(["a", "a", "a", "b"])
    {'a': 0.6666666666666666, 'b': 2.0}
    """
    if not (isinstance(method, str) and method in _METHODS):
        raise InvalidParameterError(
            f"class_weights: method={method!r} is not supported; the allowed values "
            f"are {', '.join(repr(m) for m in _METHODS)}."
        )
    if n_rows(y) == 0:
        raise DataError("class_weights: y is empty; it needs at least one label.")
    values = series_values(y)
    if values.ndim != 1:
        values = values.ravel() if values.ndim == 2 and 1 in values.shape else values
    if values.ndim != 1:
        raise DataError(
            f"class_weights: y must be one column of labels; got shape {values.shape}."
        )
    try:
        classes, counts = np.unique(values, return_counts=True)
    except TypeError as exc:
        raise DataError(
            "class_weights: the labels of y cannot be sorted (mixed types or missing "
            "values); give one type of label and fill or drop missing ones."
        ) from exc
    if classes.dtype.kind == "f" and np.isnan(classes).any():
        raise DataError(
            "class_weights: y has missing (NaN) labels; drop those rows first."
        )
    weights = len(values) / (len(classes) * counts.astype(np.float64))
    return {
        plain_value(label): float(weight)
        for label, weight in zip(classes, weights, strict=True)
    }
