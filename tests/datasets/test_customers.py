"""The bundled customer table."""

import numpy as np
import polars as pl
import pytest

from mlprep.datasets import load_customers
from mlprep.exceptions import InvalidParameterError


def test_shape_gaps_and_skew():
    frame = load_customers()
    assert frame.shape == (500, 11)
    assert frame["customer_id"].is_unique
    gappy = ["age", "annual_income", "account_balance", "avg_basket_value", "city"]
    assert (frame[gappy].isna().mean() > 0.02).all()
    assert frame["annual_income"].skew() > 1.5
    assert (frame["account_balance"] < 0).any()
    assert set(np.unique(frame["churned"])) == {0, 1}


def test_polars_backend_matches_pandas():
    pandas_frame = load_customers()
    polars_frame = load_customers(backend="polars")
    assert isinstance(polars_frame, pl.DataFrame)
    assert polars_frame.columns == list(pandas_frame.columns)
    assert (
        polars_frame["annual_income"].null_count()
        == pandas_frame["annual_income"].isna().sum()
    )


def test_unknown_backend_is_refused():
    with pytest.raises(
        InvalidParameterError, match="'backend' parameter of load_customers"
    ):
        load_customers(backend="spark")
