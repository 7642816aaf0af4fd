"""Strategies for numeric frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import strategies as st

__all__ = ["finite_frames", "numeric_frames"]

_FINITE = st.floats(
    min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False
)


@st.composite
def numeric_frames(
    draw: st.DrawFn,
    *,
    min_rows: int = 1,
    max_rows: int = 12,
    min_columns: int = 1,
    max_columns: int = 4,
    nan: bool = True,
    inf: bool = False,
    all_nan_columns: bool = False,
    constant_columns: bool = True,
    elements: st.SearchStrategy[float] = _FINITE,
) -> pd.DataFrame:
    """A float64 pandas frame with columns ``c0, c1, ...``.

    Parameters
    ----------
    min_rows, max_rows, min_columns, max_columns : int
        Shape bounds (kept small: shrinking works best on tiny frames).
    nan : bool
        Sprinkle NaN, never filling a column unless ``all_nan_columns``.
    inf : bool
        Allow ±inf values.
    all_nan_columns : bool
        Allow columns that are entirely NaN.
    constant_columns : bool
        Allow columns holding a single repeated value.
    elements : strategy
        The finite values.
    """
    n_rows = draw(st.integers(min_rows, max_rows))
    n_columns = draw(st.integers(min_columns, max_columns))
    values = elements | st.sampled_from([np.inf, -np.inf]) if inf else elements
    data = {}
    for index in range(n_columns):
        shape = draw(
            st.sampled_from(
                ["free"]
                + (["constant"] if constant_columns else [])
                + (["all_nan"] if all_nan_columns else [])
            )
        )
        if shape == "all_nan":
            column = [np.nan] * n_rows
        elif shape == "constant":
            column = [draw(elements)] * n_rows
        else:
            column = draw(st.lists(values, min_size=n_rows, max_size=n_rows))
        if nan and shape != "all_nan" and n_rows > 1:
            holes = draw(st.sets(st.integers(0, n_rows - 1), max_size=n_rows - 1))
            column = [np.nan if i in holes else v for i, v in enumerate(column)]
        data[f"c{index}"] = np.asarray(column, dtype=np.float64)
    return pd.DataFrame(data)


def finite_frames(**kwargs: object) -> st.SearchStrategy[pd.DataFrame]:
    """:func:`numeric_frames` without NaN or inf: every value observed."""
    return numeric_frames(nan=False, inf=False, **kwargs)  # type: ignore[arg-type]
