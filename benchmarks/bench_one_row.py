"""One row at a time: what a real-time inference container pays per request (issue 16).

A transformer fitted on 1,000 rows transforms a single-row pandas frame,
over and over, pandas in and pandas out (scikit-learn with
``set_output(transform="pandas")``). Each case times mlprep and the same
steps in scikit-learn, interleaved in one process: CPU time per call, best
of ``--rounds`` rounds of ``--calls`` calls. The ratio is mlprep time /
scikit-learn time (≤ 1: mlprep as fast or faster; the target is ≤ 1.2).

Cases: the issue's pipeline (Imputer(median) → RobustScaler →
StandardScaler → MinMaxScaler on 5 float columns with gaps), each of those
steps alone, OneHotEncoder and OrdinalEncoder, and the README's quickstart pipeline on the bundled customers
(its scikit-learn twin uses a ColumnTransformer with the same column
choices). Usage: ``python bench_one_row.py [--calls N] [--rounds R] [--out FILE]``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn import preprocessing as skp
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline

from mlprep.datasets import load_customers
from mlprep.encode import OneHotEncoder, OrdinalEncoder
from mlprep.impute import Imputer
from mlprep.scale import (
    MinMaxScaler,
    PowerTransformer,
    RobustScaler,
    StandardScaler,
)


def floats() -> pd.DataFrame:
    """1,000 rows x 5 floats, every 7th value of one column missing."""
    rng = np.random.default_rng(12345)
    X = pd.DataFrame(rng.normal(size=(1000, 5)), columns=list("abcde"))
    X.loc[X.index[::7], "b"] = np.nan
    return X


def cases() -> list[tuple[str, Any, Any, pd.DataFrame]]:
    """(name, fitted mlprep transformer, fitted scikit-learn twin, the training frame)."""
    X = floats()

    def sk(*steps: Any) -> Any:
        return make_pipeline(*steps).set_output(transform="pandas").fit(X)

    out: list[tuple[str, Any, Any, pd.DataFrame]] = [
        (
            "Imputer(median) → Robust → Standard → MinMax",
            make_pipeline(
                Imputer(strategy="median"),
                RobustScaler(),
                StandardScaler(),
                MinMaxScaler(),
            ).fit(X),
            sk(
                SimpleImputer(strategy="median"),
                skp.RobustScaler(),
                skp.StandardScaler(),
                skp.MinMaxScaler(),
            ),
            X,
        ),
        (
            "Imputer(median)",
            Imputer(strategy="median").fit(X),
            sk(SimpleImputer(strategy="median")),
            X,
        ),
    ]
    filled = X.fillna(0.0)
    for ours, theirs in (
        (RobustScaler(), skp.RobustScaler()),
        (StandardScaler(), skp.StandardScaler()),
        (MinMaxScaler(), skp.MinMaxScaler()),
        (PowerTransformer(), skp.PowerTransformer()),
    ):
        twin = make_pipeline(theirs).set_output(transform="pandas").fit(filled)
        out.append((type(ours).__name__, ours.fit(filled), twin, filled))
    categories = pd.DataFrame(
        {
            "city": np.random.default_rng(1).choice(list("abcdef"), 1000),
            "plan": np.random.default_rng(2).choice(list("xyz"), 1000),
        }
    )
    for ours, theirs in (
        (OneHotEncoder(), skp.OneHotEncoder(sparse_output=False)),
        (OrdinalEncoder(), skp.OrdinalEncoder()),
    ):
        twin = make_pipeline(theirs).set_output(transform="pandas").fit(categories)
        out.append((type(ours).__name__, ours.fit(categories), twin, categories))
    customers = load_customers().drop(columns=["customer_id", "signup_date", "churned"])
    numeric = customers.select_dtypes("number").columns.tolist()
    powered = ["annual_income", "account_balance"]
    standard = ["age", "tenure_months"]
    rest = [c for c in numeric if c not in powered + standard]
    ours = make_pipeline(
        Imputer(strategy="median"),
        Imputer(strategy="most_frequent", columns=["city"]),
        PowerTransformer(columns=powered),
        StandardScaler(columns=standard),
    ).fit(customers)
    median = SimpleImputer(strategy="median")
    theirs = ColumnTransformer(
        [
            ("power", make_pipeline(median, skp.PowerTransformer()), powered),
            ("standard", make_pipeline(median, skp.StandardScaler()), standard),
            ("rest", SimpleImputer(strategy="median"), rest),
            ("city", SimpleImputer(strategy="most_frequent"), ["city"]),
        ],
        verbose_feature_names_out=False,
    )
    theirs.set_output(transform="pandas").fit(customers)
    out.append(("README quickstart pipeline (customers)", ours, theirs, customers))
    return out


def per_call(transform: Callable[[Any], Any], row: Any, calls: int) -> float:
    """CPU seconds per call of ``transform(row)`` over ``calls`` calls."""
    start = time.process_time()
    for _ in range(calls):
        transform(row)
    return (time.process_time() - start) / calls


def measure(calls: int, rounds: int) -> list[tuple[str, float, float]]:
    """(case, mlprep µs per row, scikit-learn µs per row), best of ``rounds``."""
    results = []
    for name, ours, theirs, X in cases():
        row = X.iloc[[3]]
        ours.transform(row), theirs.transform(row)  # warm caches
        best_ours = best_theirs = float("inf")
        for _ in range(rounds):  # interleaved: both see the same machine load
            best_ours = min(best_ours, per_call(ours.transform, row, calls))
            best_theirs = min(best_theirs, per_call(theirs.transform, row, calls))
        results.append((name, best_ours * 1e6, best_theirs * 1e6))
    return results


def report(results: list[tuple[str, float, float]], calls: int, rounds: int) -> str:
    lines = [
        "## One row per call (issue 16)",
        "",
        f"CPU time per `transform` of a one-row pandas frame, best of {rounds} "
        f"interleaved rounds of {calls:,} calls; scikit-learn with "
        "`set_output(transform='pandas')`. Ratio = mlprep / scikit-learn "
        "(target ≤ 1.2).",
        "",
        "| case | mlprep µs | scikit-learn µs | mlprep ÷ scikit-learn |",
        "|---|---:|---:|---:|",
    ]
    for name, ours, theirs in results:
        lines.append(f"| {name} | {ours:,.0f} | {theirs:,.0f} | {ours / theirs:.2f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="One-row benchmark")
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    table = report(measure(args.calls, args.rounds), args.calls, args.rounds)
    print(table)
    if args.out:
        with open(args.out, "a", encoding="utf-8") as handle:
            handle.write(table + "\n")


if __name__ == "__main__":
    main()
