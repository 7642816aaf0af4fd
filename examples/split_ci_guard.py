"""A CI guard for train/validation/test splits: split by customer and by time, check, fail on leakage.

Run:  python examples/split_ci_guard.py            # exits 0: both splits are clean
      python examples/split_ci_guard.py --leaky    # also checks a naive random split: exits 1

It builds a seeded table of 20,000 orders from 1,500 customers over 2024,
then makes two splits a CI pipeline would ship:

1. by customer (``method="key"``): no customer in two sets, stable when new
   orders are appended;
2. by time (``method="ordered"``, a 7-day gap): validation after train,
   test after validation.

Each pair of sets goes through ``check_leakage``; any problem is printed and
the script exits with status 1, which fails the CI job.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from mlprep.split import LeakageError, check_leakage, train_val_test_split


def orders(n: int = 20_000, customers: int = 1_500, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-01-01")
    return pd.DataFrame(
        {
            "order_id": np.arange(n),
            "customer": [f"C{c:05d}" for c in rng.integers(0, customers, n)],
            "ordered_at": start
            + pd.to_timedelta(rng.integers(0, 366 * 24 * 3600, n), unit="s"),
            "amount": rng.lognormal(3.0, 0.8, n).round(2),
            "returned": rng.random(n) < 0.08,
        }
    )


def guard(name: str, sets: dict[str, pd.DataFrame], **checks: str) -> bool:
    """Check every ordered pair (earlier set as train); print and return whether all are clean."""
    names = list(sets)
    sizes = ", ".join(f"{k}={len(v)}" for k, v in sets.items())
    print(f"{name}: {sizes}")
    clean = True
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            report = check_leakage(sets[first], sets[second], **checks)
            try:
                report.raise_for_leakage()
                print(f"  {first} vs {second}: ok ({', '.join(report.checks)})")
            except LeakageError as error:
                clean = False
                print(
                    f"  {first} vs {second}: LEAKAGE\n    "
                    + str(error).replace("\n", "\n    ")
                )
    return clean


def main(argv: list[str]) -> int:
    data = orders()
    ok = True

    train, val, test = train_val_test_split(data, method="key", key="customer", seed=42)
    ok &= guard(
        "split by customer", {"train": train, "val": val, "test": test}, key="customer"
    )

    train, val, test = train_val_test_split(
        data, method="ordered", order_by="ordered_at", gap=pd.Timedelta("7D")
    )
    ok &= guard(
        "split by time (7-day gap)",
        {"train": train, "val": val, "test": test},
        time="ordered_at",
    )

    if "--leaky" in argv:
        train, val, test = train_val_test_split(
            data, seed=42
        )  # random rows: customers and time mix
        ok &= guard(
            "naive random split",
            {"train": train, "val": val, "test": test},
            key="customer",
            time="ordered_at",
        )

    print("all splits clean" if ok else "leakage found: failing the build")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
