"""Plain JSON values of what reports hold (timestamps, numpy scalars, NaN)."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["json_safe"]


def json_safe(value: Any) -> Any:
    """``value`` made of what :func:`json.dumps` writes, keeping its meaning.

    Dates and timestamps become ISO 8601 strings, numpy scalars Python
    numbers, NaN and missing markers None (strict JSON has no NaN), tuples
    lists; containers are converted item by item; anything else its ``str``.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> json_safe({"at": pd.Timestamp("2024-01-02"), "n": np.int64(3), "x": [np.nan]})
    {'at': '2024-01-02T00:00:00', 'n': 3, 'x': [None]}
    """
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_safe(v) for v in value]
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        value = value.item()  # numpy scalars (not pandas Timestamps)
        if hasattr(value, "isoformat") or not isinstance(value, (int, float)):
            return json_safe(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    try:
        if value != value:  # NaT
            return None
    except TypeError:  # pd.NA has no truth value
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
