"""Hypothesis strategies for panels: several series of uneven length, shuffled."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

__all__ = ["panels"]


@st.composite
def panels(
    draw: Any,
    *,
    max_groups: int = 4,
    max_length: int = 12,
    nan: bool = True,
    shuffle: bool = True,
) -> pd.DataFrame:
    """A pandas panel with columns ``g`` (str key), ``t`` (datetime64[ns], days with
    gaps, unique within a group) and ``y`` (float, NaN allowed), rows shuffled.

    Group lengths differ (1 to ``max_length`` rows) and times are irregular, so
    row windows and duration windows disagree, as they do in real data.
    """
    n_groups = draw(st.integers(1, max_groups))
    keys, days, values = [], [], []
    value = (
        st.one_of(st.just(np.nan), st.integers(-50, 50).map(float))
        if nan
        else (st.integers(-50, 50).map(float))
    )
    for g in range(n_groups):
        length = draw(st.integers(1, max_length))
        chosen = draw(
            st.lists(
                st.integers(0, 3 * max_length),
                min_size=length,
                max_size=length,
                unique=True,
            )
        )
        keys += [f"g{g}"] * length
        days += sorted(chosen)
        values += draw(st.lists(value, min_size=length, max_size=length))
    frame = pd.DataFrame(
        {
            "g": np.array(keys, dtype=object),
            "t": (
                pd.Timestamp("2024-01-01") + pd.to_timedelta(np.array(days), unit="D")
            ).as_unit("ns"),
            "y": np.array(values, dtype=np.float64),
        }
    )
    if shuffle:
        seed = draw(st.integers(0, 2**16))
        frame = frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    return frame
