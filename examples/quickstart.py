"""mlprep quickstart: impute and scale a real-looking customer table.

Run:  pip install . && python examples/quickstart.py

It loads the 500-row customer table bundled with mlprep (gaps and skewed
columns), splits it, fits one scikit-learn Pipeline of mlprep steps on the
training rows only, transforms the held-out rows, saves the fitted pipeline
as JSON, reloads it, and prints a before/after summary.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

import mlprep
from mlprep.datasets import load_customers
from mlprep.impute import Imputer
from mlprep.scale import PowerTransformer, StandardScaler

SKEWED = [
    "annual_income",
    "account_balance",
    "days_since_last_purchase",
    "avg_basket_value",
]
STANDARDIZED = ["age", "tenure_months", "monthly_visits"]


def summary(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Missing count, mean, standard deviation and skewness per column."""
    return pd.DataFrame(
        {
            "missing": frame[columns].isna().sum(),
            "mean": frame[columns].mean(),
            "std": frame[columns].std(ddof=0),
            "skew": frame[columns].skew(),
        }
    )


def main() -> None:
    customers = load_customers()
    features = customers.drop(columns=["customer_id", "signup_date", "churned"])
    train, test = train_test_split(features, test_size=0.25, random_state=0)

    pipeline = make_pipeline(
        Imputer(strategy="median"),  # numeric columns: the median resists skew
        Imputer(strategy="most_frequent", columns=["city"]),
        PowerTransformer(method="yeo-johnson", columns=SKEWED),  # reduces skew
        StandardScaler(columns=STANDARDIZED),  # centres and scales, keeps the shape
    )
    pipeline.fit(train)  # statistics come from the training rows only
    prepared = pipeline.transform(test)

    numeric = SKEWED + STANDARDIZED
    pd.set_option("display.width", 120)
    pd.set_option("display.float_format", "{:,.3f}".format)
    print(
        f"mlprep {mlprep.__version__}: {len(train)} training rows, {len(test)} held-out rows\n"
    )
    print("Held-out rows before:")
    print(summary(test, numeric))
    print(
        "\nHeld-out rows after imputation + Yeo-Johnson (skewed) + standard scaling (others):"
    )
    print(summary(prepared, numeric))
    print(
        "\nYeo-Johnson pulled the skewed columns towards symmetry; standard scaling "
        "centred the others but kept their skew (tenure, visits)."
    )
    print(
        f"\ncity gaps before: {test['city'].isna().sum()}, after: {prepared['city'].isna().sum()}"
    )

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pipeline.json"
        mlprep.save(pipeline, path)
        reloaded = mlprep.load(path)
        same = reloaded.transform(test).equals(prepared)
        print(
            f"\nSaved the fitted pipeline as JSON ({path.stat().st_size:,} bytes); "
            f"reloaded output identical: {same}"
        )
        lambdas = reloaded.steps[2][1].lambdas_
        print("Learned Yeo-Johnson λ:", {k: round(v, 3) for k, v in lambdas.items()})


if __name__ == "__main__":
    main()
