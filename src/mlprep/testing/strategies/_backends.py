"""Convert a pandas frame to each container mlprep accepts."""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["BACKENDS", "as_backend"]

BACKENDS = ("pandas", "polars", "pyarrow", "numpy")


def as_backend(frame: pd.DataFrame, backend: str) -> Any:
    """``frame`` as a pandas/polars frame, a pyarrow table or a numpy array.

    polars and pyarrow get nulls where pandas has NaN in object columns and
    keep float NaN as NaN; numpy gets ``frame.to_numpy()``.
    """
    if backend == "pandas":
        return frame.copy()
    if backend == "polars":
        import polars as pl

        return pl.from_pandas(frame, nan_to_null=False)
    if backend == "pyarrow":
        import pyarrow as pa

        return pa.Table.from_pandas(frame, preserve_index=False)
    if backend == "numpy":
        return frame.to_numpy()
    raise ValueError(f"Unknown backend {backend!r}; expected one of {BACKENDS}.")
