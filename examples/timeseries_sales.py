"""Daily sales of several stores: date parts, per-store lags and rolling means.

Run:  python examples/timeseries_sales.py

It builds 120 days of sales for four stores (rows shuffled, as data often
arrives), fits one scikit-learn Pipeline of mlprep time-series steps on the
first 90 days, and transforms the last 30. The first test day of every store
gets real lags and windows from the end of the training period (the history
carried from fit) instead of missing values, and no feature ever looks at
the day it describes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.pipeline import make_pipeline

from mlprep.timeseries import DatetimeFeatures, LagFeatures, RollingFeatures


def daily_sales(days: int = 120, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2024-09-01", periods=days, freq="D")
    rows = []
    for store, level in {
        "north": 120.0,
        "south": 80.0,
        "east": 60.0,
        "west": 150.0,
    }.items():
        weekend = np.where(dates.day_of_week >= 5, 1.4, 1.0)
        sales = level * weekend + rng.normal(0.0, 8.0, days).cumsum() * 0.2
        rows.append(
            pd.DataFrame({"store": store, "date": dates, "sales": sales.round(1)})
        )
    return (
        pd.concat(rows, ignore_index=True)
        .sample(frac=1.0, random_state=seed)
        .reset_index(drop=True)
    )


def main() -> None:
    data = daily_sales()
    cutoff = pd.Timestamp("2024-11-30")
    train, test = data[data["date"] < cutoff], data[data["date"] >= cutoff]
    keys = {"columns": "sales", "time_column": "date", "group_columns": "store"}
    # each step drops the columns it derives from unless told to keep them: the
    # date stays (the later steps order by it) and so does sales until the last
    # step has read it; then it leaves the features (it is the target)
    pipeline = make_pipeline(
        DatetimeFeatures(
            features=("day_of_week", "is_weekend", "month"),
            columns="date",
            drop_original=False,
        ),
        LagFeatures(lags=(1, 7, "7D"), drop_original=False, **keys),
        RollingFeatures(windows=(7, "28D"), stats=("mean", "std"), **keys),
    )
    pipeline.fit(train)
    features = pipeline.transform(test)

    print(
        f"train: {len(train)} rows up to {train['date'].max().date()}, "
        f"test: {len(test)} rows from {test['date'].min().date()}"
    )
    print(f"new columns: {[c for c in features.columns if c not in data.columns]}")
    assert "sales" not in features.columns, "the target left the features"

    first_day = features[features["date"] == test["date"].min()].sort_values("store")
    print("\nfirst test day (lags and windows come from the training tail):")
    print(
        first_day[
            [
                "store",
                "date_day_of_week",
                "sales_lag_1",
                "sales_lag_7",
                "sales_roll_7_mean",
            ]
        ].to_string(index=False)
    )
    missing = int(
        features[["sales_lag_1", "sales_lag_7", "sales_roll_7_mean"]].isna().sum().sum()
    )
    print(f"\nmissing lag/window values in the test period: {missing}")
    assert missing == 0, "history carried from fit should fill the boundary"

    # the same features computed on the whole series, then cut: identical
    whole = make_pipeline(*[step for _, step in pipeline.steps]).fit_transform(data)
    whole = whole[whole["date"] >= cutoff]
    same = np.allclose(
        whole["sales_roll_28D_std"], features["sales_roll_28D_std"], equal_nan=True
    )
    print(f"fit on train + transform test == features of the full series: {same}")
    assert same


if __name__ == "__main__":
    main()
