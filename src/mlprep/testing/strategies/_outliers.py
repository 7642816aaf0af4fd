"""Strategies for outlier and row-cleaning property tests."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from mlprep.testing.strategies._numeric import numeric_frames

__all__ = ["duplicated_frames", "spiky_frames", "targets"]

_SPIKE = st.sampled_from([-1e9, -1e4, 1e4, 1e9, np.inf, -np.inf])


@st.composite
def spiky_frames(
    draw: st.DrawFn,
    *,
    min_rows: int = 2,
    max_rows: int = 20,
    max_columns: int = 3,
    nan: bool = True,
    inf: bool = True,
) -> pd.DataFrame:
    """A float64 frame (columns ``c0, c1, ...``) with a few extreme spikes.

    Built on :func:`numeric_frames` (so NaN and constant columns occur), then
    a handful of cells are overwritten by ±1e4, ±1e9 or, with ``inf``, ±inf:
    the values outlier handling exists for. No column is entirely missing or
    entirely spikes.
    """
    frame = draw(
        numeric_frames(
            min_rows=min_rows, max_rows=max_rows, max_columns=max_columns, nan=nan
        )
    )
    spikes = _SPIKE if inf else _SPIKE.filter(np.isfinite)
    n_rows = frame.shape[0]
    for name in frame.columns:
        if n_rows < 2:
            break
        rows = draw(st.sets(st.integers(0, n_rows - 1), max_size=max(1, n_rows // 4)))
        keep_one = np.flatnonzero(frame[name].notna().to_numpy())
        for row in rows:
            if keep_one.size and row == keep_one[0]:
                continue
            frame.loc[row, name] = draw(spikes)
    return frame


@st.composite
def duplicated_frames(
    draw: st.DrawFn, *, min_rows: int = 1, max_rows: int = 15, nan: bool = True
) -> pd.DataFrame:
    """A frame with a numeric, a string and an integer column and repeated rows.

    Rows are drawn from a small pool (so exact duplicates are common), with
    missing values in the float and string columns when ``nan``.
    """
    pool_size = draw(st.integers(1, 5))
    floats = st.sampled_from([0.0, 1.5, -2.0] + ([np.nan] if nan else []))
    strings = st.sampled_from(["a", "b", "é"] + ([None] if nan else []))
    pool = [
        (draw(floats), draw(strings), draw(st.integers(0, 2))) for _ in range(pool_size)
    ]
    n_rows = draw(st.integers(min_rows, max_rows))
    rows = [pool[draw(st.integers(0, pool_size - 1))] for _ in range(n_rows)]
    return pd.DataFrame(
        {
            "x": np.array([r[0] for r in rows], dtype=np.float64),
            "s": pd.Series([r[1] for r in rows], dtype=object),
            "n": np.array([r[2] for r in rows], dtype=np.int64),
        }
    )


def targets(n_rows: int, container: str = "numpy") -> Any:
    """``0, 1, ..., n_rows - 1`` as a target in ``container``.

    ``container`` is one of ``"numpy"``, ``"list"``, ``"pandas"`` (a Series
    with a shifted index, to catch label-based realignment), ``"polars"`` or
    ``"pyarrow"``. Distinct values make every row traceable after resampling.
    """
    values = np.arange(n_rows, dtype=np.int64)
    if container == "numpy":
        return values
    if container == "list":
        return values.tolist()
    if container == "pandas":
        return pd.Series(values, index=np.arange(n_rows) + 100, name="target")
    if container == "polars":
        import polars as pl

        return pl.Series("target", values)
    if container == "pyarrow":
        import pyarrow as pa

        return pa.chunked_array([values])
    raise ValueError(f"Unknown container {container!r}.")
