"""The shared pieces: map_columns (the constant-column rule is tested in tests/core/test_stats.py)."""

from __future__ import annotations

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
import polars as pl
import pytest

from mlprep.exceptions import DataError
from mlprep.scale import Binner, StandardScaler
from mlprep.scale._base import map_columns


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


def test_inverse_transform_comes_from_the_base_and_checks_columns() -> None:
    X = pd.DataFrame({"a": [1.0, 2.0, 4.0], "b": [0.5, 0.0, 1.0]})
    scaler = StandardScaler().fit(X)
    assert "inverse_transform" not in vars(type(scaler))
    back = scaler.inverse_transform(scaler.transform(X))
    pd.testing.assert_frame_equal(back, X)
    with pytest.raises(DataError, match="needs the columns transform produced"):
        scaler.inverse_transform(X[["b", "a"]])
    assert not hasattr(Binner(), "inverse_transform")
