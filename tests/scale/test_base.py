"""The shared pieces: zero_scale_to_one and map_columns."""

from __future__ import annotations

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
import polars as pl

from mlprep.scale._base import map_columns, zero_scale_to_one


def test_zero_scale_to_one() -> None:
    assert zero_scale_to_one(0.0) == 1.0
    assert zero_scale_to_one(1e-300) == 1.0
    assert zero_scale_to_one(2.5) == 2.5
    assert zero_scale_to_one(2.5, constant=True) == 1.0
    assert np.isnan(zero_scale_to_one(float("nan")))


def test_map_columns_keeps_index_and_backend_nulls() -> None:
    pandas_frame = nw.from_native(
        pd.DataFrame({"a": [1.0, np.nan, 4.0], "b": [1, 2, 3]}, index=[7, 3, 5])
    )
    out = nw.to_native(
        map_columns(pandas_frame, ["a"], lambda name, v: np.sqrt(v), owner="T")
    )
    assert out.index.tolist() == [7, 3, 5]
    assert out["a"].tolist()[::2] == [1.0, 2.0] and np.isnan(out["a"].iloc[1])
    assert list(out.columns) == ["a", "b"]
    polars_frame = nw.from_native(pl.DataFrame({"a": [1.0, None, float("nan")]}))
    result = nw.to_native(
        map_columns(polars_frame, ["a"], lambda name, v: v * 2, owner="T")
    )
    assert result["a"].null_count() == 1 and result["a"].is_nan().sum() == 1
