"""check_leakage growth benchmark (issue 16): time against N, exponent, ratios, peak memory.

Workload (``bench_split``'s data): N train and N test rows of 13 columns (10
floats, a class, a key of ~20 rows per value, an epoch-second time); the test
set is the train set shuffled and shifted one day, with 1,000 exact duplicate
rows. ``check_leakage(train, test, key="key", time="ts")`` runs all three
checks (key, time, duplicates). Peers, measured in the same run at the same N:

* pandas by hand: ``isin`` on the key, min/max of the time, and 64-bit row
  hashes (``pd.util.hash_pandas_object``) with ``isin``;
* polars by hand: a semi-join on the key, min/max of the time, and a semi-join
  on every column.

Each task runs in its own spawned process (``_harness.run``): best of
``--repeats`` runs; peak = the process's RSS high-water mark while timing
(data included), ``× input`` = peak / the in-memory size of train + test.
The exponent is the least-squares slope of log(time) on log(N) (1.0: linear).
``mlprep ×`` = peer time / mlprep time on the same input type (> 1: mlprep
faster); the targets are exponent <= 1.1, mlprep <= 1.5x its hand-written peer
at 5M rows, peak <= 2.5x the input.

Sizes default to 100k, 1M and 5M rows per set; ``MLPREP_BENCH_10M=1`` adds
10M (about 8 GB). Run from the repository root::

    /work/venv/bin/python benchmarks/bench_leakage.py
    /work/venv/bin/python benchmarks/bench_leakage.py --sizes 100000 1000000 --repeats 2
"""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from _harness import Row, Task, exponent, run, short_time
from bench_split import DATA, _two_sets  # noqa: F401  (DATA: the "splits" generator)

HERE = "bench_leakage"
BYTES_PER_ROW = 13 * 8
"""13 numeric columns of 8 bytes: the in-memory size of one row of either set."""


# ------------------------------------------------------------------- mlprep
def mlprep_pandas(d: dict[str, np.ndarray]) -> Callable[[], Any]:
    from mlprep.split import check_leakage

    train, test = _two_sets(d, "pandas")
    return lambda: check_leakage(train, test, key="key", time="ts")


def mlprep_polars(d: dict[str, np.ndarray]) -> Callable[[], Any]:
    from mlprep.split import check_leakage

    train, test = _two_sets(d, "polars")
    return lambda: check_leakage(train, test, key="key", time="ts")


# -------------------------------------------------------------------- peers
def pandas_by_hand(d: dict[str, np.ndarray]) -> Callable[[], Any]:
    """Shared keys (isin), time overlap (min / max), shared rows (64-bit row hashes)."""
    import pandas as pd

    train, test = _two_sets(d, "pandas")

    def checks() -> Any:
        shared_keys = test["key"][test["key"].isin(train["key"])].nunique()
        overlap = test["ts"].min() <= train["ts"].max()
        hashes = pd.util.hash_pandas_object(train, index=False)
        test_hashes = pd.util.hash_pandas_object(test, index=False)
        return shared_keys, overlap, int(test_hashes.isin(hashes).sum())

    return checks


def polars_by_hand(d: dict[str, np.ndarray]) -> Callable[[], Any]:
    """The same three checks as polars semi-joins."""
    train, test = _two_sets(d, "polars")

    def checks() -> Any:
        shared_keys = (
            test.select("key").unique().join(train.select("key"), on="key", how="semi")
        ).height
        overlap = test["ts"].min() <= train["ts"].max()
        duplicates = test.join(train, on=test.columns, how="semi").height
        return shared_keys, overlap, duplicates

    return checks


PAIRS = {"pandas": "pandas isin + row hashes", "polars": "polars semi-join"}
TASKS = [
    Task(
        "check_leakage",
        "pandas",
        "mlprep (pandas in)",
        "splits",
        f"{HERE}:mlprep_pandas",
    ),
    Task(
        "check_leakage", "pandas", PAIRS["pandas"], "splits", f"{HERE}:pandas_by_hand"
    ),
    Task(
        "check_leakage",
        "polars",
        "mlprep (polars in)",
        "splits",
        f"{HERE}:mlprep_polars",
    ),
    Task(
        "check_leakage", "polars", PAIRS["polars"], "splits", f"{HERE}:polars_by_hand"
    ),
]


# ------------------------------------------------------------------- report
def report(results: dict[int, list[Row]], sizes: list[int]) -> str:
    """One row per peer: time per N, exponent, ratio to mlprep and peak at the largest N."""
    largest = sizes[-1]
    input_mib = 2 * largest * BYTES_PER_ROW / 2**20
    lines = [
        f"## check_leakage growth (N train x N test; {', '.join(f'{n:,}' for n in sizes)})",
        "",
        "Key + time + duplicate checks. Best of the runs, each task in its own "
        "process. Exponent = slope of log time on log N. `mlprep ×` = peer time / "
        "mlprep time on the same input type at the largest N (> 1: mlprep faster). "
        f"Peak = RSS high-water mark at N = {largest:,} (data included); "
        f"input = train + test = {input_mib:.0f} MiB.",
        "",
        "| input | peer | "
        + " | ".join(f"N = {n:,}" for n in sizes)
        + " | exponent | mlprep × | peak MiB | × input |",
        "|---|---|" + "---:|" * len(sizes) + "---:|---:|---:|---:|",
    ]
    by_peer: dict[tuple[str, str], dict[int, Row]] = {}
    for n, rows in results.items():
        for row in rows:
            by_peer.setdefault((row.task.variant, row.task.peer), {})[n] = row
    for (variant, peer), by_n in by_peer.items():
        ns = [n for n in sizes if n in by_n]
        ours = next(
            (
                r
                for (v, p), r in by_peer.items()
                if v == variant and p.startswith("mlprep")
            ),
            {},
        )
        ratio = (
            f"{by_n[largest].best_s / ours[largest].best_s:.2f}"
            if largest in by_n and largest in ours
            else "—"
        )
        peak = by_n[largest].peak_mib if largest in by_n else math.nan
        cells = " | ".join(
            short_time(by_n[n].best_s) if n in by_n else "—" for n in sizes
        )
        slope = exponent(ns, [by_n[n].best_s for n in ns])
        lines.append(
            f"| {variant} | {peer} | {cells} | {slope:.2f} | {ratio} | "
            f"{peak:.0f} | {peak / input_mib:.2f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="check_leakage growth benchmark")
    default = [100_000, 1_000_000, 5_000_000]
    if os.environ.get("MLPREP_BENCH_10M") == "1":
        default.append(10_000_000)
    parser.add_argument("--sizes", type=int, nargs="+", default=default)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--only", choices=sorted(PAIRS), default=None, help="one input type"
    )
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    sizes = sorted(args.sizes)
    tasks = [t for t in TASKS if args.only in (None, t.variant)]
    results = {n: run(tasks, n, args.repeats) for n in sizes}
    table = report(results, sizes)
    print(table)
    if args.out:
        with open(args.out, "a", encoding="utf-8") as handle:
            handle.write(table + "\n")


if __name__ == "__main__":
    main()
