"""Deep equality of estimator state, with the first difference spelled out."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp

__all__ = ["first_difference"]

_MAX_DEPTH = 40


def first_difference(left: Any, right: Any, path: str = "") -> str | None:
    """None when ``left`` and ``right`` are equal; else where and how they differ.

    Compares deeply: numpy arrays by dtype, shape and values (NaN equal to
    NaN), dicts by keys and values, lists and tuples item by item, frames
    with their own ``equals``, objects without ``__eq__`` by type and
    ``vars``. Used to prove ``transform`` left ``vars(estimator)`` alone and
    that a copy has the same parameters.

    Examples
    --------
    >>> import numpy as np
    >>> first_difference({"a": np.array([1.0, np.nan])}, {"a": np.array([1.0, np.nan])}) is None
    True
    >>> first_difference({"a": [1, 2]}, {"a": [1, 3]})
    "['a'][1]: 2 != 3"
    """
    return _difference(left, right, path, 0)


def _difference(left: Any, right: Any, path: str, depth: int) -> str | None:
    where = path or "value"
    if left is right:
        return None
    if depth > _MAX_DEPTH:
        return None
    if type(left) is not type(right):
        return f"{where}: {type(left).__name__} != {type(right).__name__}"
    if isinstance(left, np.ndarray):
        return _array_difference(left, right, where, path, depth)
    if isinstance(left, np.generic):
        return _array_difference(
            np.asarray(left), np.asarray(right), where, path, depth
        )
    if sp.issparse(left):
        if left.shape != right.shape or left.dtype != right.dtype:
            return f"{where}: sparse {left.shape}/{left.dtype} != {right.shape}/{right.dtype}"
        return _array_difference(left.toarray(), right.toarray(), where, path, depth)
    if isinstance(left, float):
        same = (math.isnan(left) and math.isnan(right)) or left == right
        return None if same else f"{where}: {left!r} != {right!r}"
    if isinstance(left, dict):
        if set(left) != set(right):
            added = sorted(map(repr, set(left) - set(right)))
            removed = sorted(map(repr, set(right) - set(left)))
            return f"{where}: keys differ (only left: {added}, only right: {removed})"
        for key in left:
            found = _difference(left[key], right[key], f"{path}[{key!r}]", depth + 1)
            if found:
                return found
        return None
    if isinstance(left, (list, tuple)):
        if len(left) != len(right):
            return f"{where}: length {len(left)} != {len(right)}"
        for i, (a, b) in enumerate(zip(left, right)):
            found = _difference(a, b, f"{path}[{i}]", depth + 1)
            if found:
                return found
        return None
    if isinstance(left, (pd.DataFrame, pd.Series, pd.Index)):
        return None if left.equals(right) else f"{where}: pandas objects differ"
    module = type(left).__module__.split(".")[0]
    if module in ("polars", "pyarrow"):
        return None if left.equals(right) else f"{where}: {module} objects differ"
    if type(left).__eq__ is object.__eq__ and hasattr(left, "__dict__"):
        return _difference(vars(left), vars(right), f"{path}.__dict__", depth + 1)
    try:
        same = left == right
    except Exception:
        return f"{where}: {type(left).__name__} values cannot be compared"
    if isinstance(same, (bool, np.bool_)):
        return None if same else f"{where}: {left!r} != {right!r}"
    return f"{where}: {type(left).__name__} values cannot be compared"


def _array_difference(
    left: np.ndarray, right: np.ndarray, where: str, path: str, depth: int
) -> str | None:
    if left.dtype != right.dtype or left.shape != right.shape:
        return f"{where}: array {left.dtype}{left.shape} != {right.dtype}{right.shape}"
    if left.dtype.kind == "O":
        for i, (a, b) in enumerate(zip(left.ravel(), right.ravel())):
            found = _difference(a, b, f"{path}[{i}]", depth + 1)
            if found:
                return found
        return None
    equal_nan = left.dtype.kind in "fcmM"
    if np.array_equal(left, right, equal_nan=equal_nan):
        return None
    return f"{where}: array values differ"
