"""The bundled customer-churn table."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pandas as pd

from mlprep.core import Options, validate_params

__all__ = ["load_customers"]


def load_customers(*, backend: str = "pandas") -> Any:
    """Load a 500-row customer-churn table with gaps and skewed columns.

    Synthetic but realistic: retail customers with their city, age, tenure,
    income, account balance (a few negative), visits, recency, basket value
    and whether they churned. About 3–12% of the values of ``age``,
    ``annual_income``, ``account_balance``, ``days_since_last_purchase``,
    ``avg_basket_value`` and ``city`` are missing; income, balance, recency
    and basket value are strongly right-skewed. It ships inside the package,
    so it loads offline.

    Parameters
    ----------
    backend : {"pandas", "polars"}, default="pandas"
        The frame library to return.

    Returns
    -------
    DataFrame
        500 rows; columns ``customer_id``, ``signup_date`` (ISO date strings),
        ``city``, ``age``, ``tenure_months``, ``annual_income``,
        ``account_balance``, ``monthly_visits``, ``days_since_last_purchase``,
        ``avg_basket_value`` and ``churned`` (0/1).

    Examples
    --------
    >>> from mlprep.datasets import load_customers
    >>> customers = load_customers()
    >>> customers.shape
    (500, 11)
    >>> int(customers["annual_income"].isna().sum())
    50
    """
    validate_params(
        "load_customers",
        {"backend": backend},
        {"backend": [Options("pandas", "polars")]},
    )
    with (
        resources.files("mlprep.datasets")
        .joinpath("customers.csv")
        .open("rb") as handle
    ):
        frame = pd.read_csv(handle)
    if backend == "polars":
        import polars as pl

        return pl.from_pandas(frame)
    return frame
