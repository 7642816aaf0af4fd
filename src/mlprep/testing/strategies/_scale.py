"""Strategies for the scale family: strictly positive frames (log, Box-Cox, sqrt)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from hypothesis import strategies as st

from mlprep.testing.strategies._numeric import numeric_frames

__all__ = ["positive_frames"]

_POSITIVE = st.floats(
    min_value=1e-3, max_value=1e6, allow_nan=False, allow_infinity=False
)


def positive_frames(**kwargs: Any) -> st.SearchStrategy[pd.DataFrame]:
    """:func:`numeric_frames` whose values are all in ``[1e-3, 1e6]`` (NaN aside).

    For transforms defined only on positive data: :class:`~mlprep.scale.LogTransformer`,
    Box-Cox, the square root. Keyword arguments go to :func:`numeric_frames`.
    """
    return numeric_frames(elements=_POSITIVE, **kwargs)
