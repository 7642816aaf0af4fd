"""Encode a customer table four ways, then cross-validate a model with target encoding.

A synthetic table with a low-cardinality column (plan), a boolean (newsletter)
and a high-cardinality one (city, 2,000 levels). It prints the width each
encoder produces and the cross-validated AUC of a logistic regression whose
pipeline target-encodes the city (cross-fitted inside every training fold).

    python examples/encode_customers.py
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline

from mlprep.encode import BinaryEncoder, HashingEncoder, OneHotEncoder, TargetEncoder


def customers(n: int = 5000, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(seed)
    plans = np.array(["free", "basic", "pro", "team"], dtype=object)
    cities = np.array([f"city_{i:04d}" for i in range(2000)], dtype=object)
    city_code = rng.integers(0, 2000, n)
    frame = pd.DataFrame(
        {
            "plan": plans[rng.integers(0, 4, n)],
            "newsletter": rng.random(n) < 0.3,
            "city": cities[city_code],
            "tenure_months": rng.integers(1, 60, n),
        }
    )
    frame.loc[rng.random(n) < 0.02, "plan"] = None
    city_effect = rng.normal(0.0, 1.0, 2000)[city_code]
    logit = (
        -1.0
        + 0.8 * (frame["plan"] == "pro")
        + city_effect
        - 0.02 * frame["tenure_months"]
    )
    churn = (rng.random(n) < 1.0 / (1.0 + np.exp(-logit))).astype(int)
    return frame, churn.to_numpy()


def main() -> None:
    X, y = customers()
    print(f"customers: {X.shape[0]} rows, columns {list(X.columns)}")
    print(
        f"distinct cities: {X['city'].nunique()}, plans: {X['plan'].nunique(dropna=False)}"
    )
    encoders = {
        "one-hot (sparse)": OneHotEncoder(sparse_output=True),
        "one-hot, min_frequency=5": OneHotEncoder(min_frequency=5, sparse_output=True),
        "binary": BinaryEncoder(),
        "hashing 2**10": HashingEncoder(n_features=2**10, sparse_output=True),
    }
    for name, encoder in encoders.items():
        out = encoder.fit_transform(X)
        print(f"{name:>26}: {out.shape[1]:5d} columns")

    model = make_pipeline(
        make_column_transformer(
            (TargetEncoder(cv=5, seed=0), ["city"]),
            (OneHotEncoder(), ["plan", "newsletter"]),
            remainder="passthrough",
        ),
        LogisticRegression(max_iter=1000),
    )
    scores = cross_val_score(model, X, y, cv=5, scoring="roc_auc")
    print(
        f"cross-validated AUC with a cross-fitted target encoding of city: {scores.mean():.3f}"
    )

    leaky = TargetEncoder(seed=0).fit(X, y).transform(X)["city"]
    crossed = TargetEncoder(seed=0).fit_transform(X, y)["city"]
    print(
        "correlation with the label: in-sample encoding "
        f"{np.corrcoef(leaky, y)[0, 1]:.3f} vs cross-fitted {np.corrcoef(crossed, y)[0, 1]:.3f}"
    )


if __name__ == "__main__":
    main()
