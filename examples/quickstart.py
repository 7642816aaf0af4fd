"""mlprep quickstart: impute and scale a real-looking customer table.

Run:  pip install . && python examples/quickstart.py

It loads the 500-row customer table bundled with mlprep (gaps and skewed
columns), splits it, fits one scikit-learn Pipeline of mlprep steps on the
training rows only, transforms the held-out rows, saves the fitted pipeline
as JSON, reloads it, and prints a before/after summary. The sentences under
the summary are worded from the measured skewness, so they stay true: three
of the skewed columns come out roughly symmetric, while ``account_balance``
(overdrafts make it negative on some rows) keeps most of its skew.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline, make_pipeline

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
SYMMETRIC = 0.5  # a |skewness| below this reads as roughly symmetric


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


def _and(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def skew_sentences(
    before: pd.DataFrame,
    after: pd.DataFrame,
    train: pd.DataFrame,
    lambdas: dict[str, float],
) -> list[str]:
    """What Yeo-Johnson and standard scaling did to the skewness, as measured.

    ``before`` and ``after`` are the held-out rows before and after the
    pipeline, ``train`` the training rows and ``lambdas`` the fitted λ.
    """
    numeric = SKEWED + STANDARDIZED
    skew_before, skew_after = before[numeric].skew(), after[numeric].skew()

    def change(name: str) -> str:
        return f"{name} ({skew_before[name]:.2f} -> {skew_after[name]:.2f})"

    symmetric = [name for name in SKEWED if abs(skew_after[name]) < SYMMETRIC]
    sentences = []
    if symmetric:
        sentences.append(
            "Yeo-Johnson made "
            + _and([change(name) for name in symmetric])
            + f" roughly symmetric (|skew| < {SYMMETRIC})."
        )
    for name in SKEWED:
        if name in symmetric:
            continue
        negatives = int((train[name] < 0).sum())
        why = (
            f"its {negatives} negative training values and its long positive tail "
            "share one λ, and"
            if negatives
            else "for it"
        )
        sentences.append(
            f"{change(name)} stays skewed: {why} the maximum-likelihood "
            f"λ = {lambdas[name]:.2f} is close to 1, where Yeo-Johnson changes little."
            if abs(lambdas[name] - 1) < 0.25
            else f"{change(name)} stays skewed (λ = {lambdas[name]:.2f})."
        )
    kept = []
    for name in STANDARDIZED:
        if round(skew_before[name], 2) == round(skew_after[name], 2):
            kept.append(f"{name} {skew_after[name]:.2f}")
        else:  # the scaling is linear: only the filled gaps move the skewness
            gaps = int(before[name].isna().sum())
            kept.append(f"{change(name)} from its {gaps} gaps filled with the median")
    sentences.append(
        "Standard scaling centred and scaled the others; being linear, it leaves "
        f"their skewness as it was: {_and(kept)}."
    )
    return sentences


def prepare() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, Pipeline]:
    """Split the customers, fit the pipeline on the training rows, transform the rest.

    Returns the training rows, the held-out rows, the transformed held-out rows
    and the fitted pipeline.
    """
    customers = load_customers()
    features = customers.drop(columns=["customer_id", "signup_date", "churned"])
    train, test = train_test_split(features, test_size=0.25, random_state=0)

    pipeline = make_pipeline(
        Imputer(strategy="median"),  # numeric columns: the median resists skew
        Imputer(strategy="most_frequent", columns=["city"]),
        PowerTransformer(method="yeo-johnson", columns=SKEWED),  # towards symmetry
        StandardScaler(columns=STANDARDIZED),  # centres and scales, keeps the shape
    )
    pipeline.fit(train)  # statistics come from the training rows only
    return train, test, pipeline.transform(test), pipeline


def main() -> None:
    train, test, prepared, pipeline = prepare()

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
    lambdas = pipeline.steps[2][1].lambdas_
    print()
    for sentence in skew_sentences(test, prepared, train, lambdas):
        print(sentence)
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
