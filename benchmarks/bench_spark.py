"""Spark benchmark (issue 11): mlprep fits of a Spark DataFrame vs Spark MLlib's own.

Spark ``local[2]``; N rows x 3 float64 columns generated in Spark
(``spark.range`` with ``rand`` / ``randn``: uniform, normal(100, 15),
lognormal), cached and counted before timing. Every task runs in its own
process with its own SparkSession (so its own JVM), best of the runs:

* StandardScaler: mlprep ``StandardScaler().fit(sdf)`` vs MLlib's
  ``StandardScaler(withMean=True)``, which needs a vector column: timed with
  the ``VectorAssembler`` (what a user runs on this DataFrame) and fit only
  (the assembled column cached and counted before timing);
* median imputation: mlprep ``Imputer(strategy="median")`` vs MLlib's
  ``Imputer(strategy="median")`` (``approxQuantile``, relative error 0.001);
* RobustScaler: mlprep vs MLlib's ``RobustScaler`` (relative error 0.001),
  with and without the assembler as above. mlprep's quantiles are KLL
  sketches (k = 200, rank error ≈ 1.3 %).

Target: mlprep at least as fast as MLlib. Memory lives in the JVM and in
Spark's Python workers, not in the driver: ``peak MiB`` sums the RSS
high-water marks of the JVM and every process under it (Python workers),
reset just before timing; ``Δ MiB`` subtracts their RSS at that moment.

Run from the repository root::

    /work/venv/bin/python benchmarks/bench_spark.py --out benchmarks/RESULTS.md
"""

from __future__ import annotations

import argparse
import gc
import multiprocessing as mp
import os
import platform
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from _harness import SEED, Task

HERE = "bench_spark"
COLUMNS = ["u", "g", "l"]
DEFAULT_N = 10_000_000


# ------------------------------------------------------------------- data
def _session() -> Any:
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("mlprep-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "4g")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def spark_frame(n: int) -> Any:
    """N x 3 doubles made in Spark, cached and counted (so materialized)."""
    from pyspark.sql import functions as F

    sdf = (
        _session()
        .range(n)
        .select(
            F.rand(SEED).alias("u"),
            (F.randn(SEED + 1) * 15.0 + 100.0).alias("g"),
            F.exp(F.randn(SEED + 2)).alias("l"),
        )
    )
    sdf = sdf.cache()
    sdf.count()
    return sdf


def _assembled(sdf: Any) -> Any:
    from pyspark.ml.feature import VectorAssembler

    return VectorAssembler(inputCols=COLUMNS, outputCol="features").transform(sdf)


# ----------------------------------------------------------------- mlprep
def _mlprep(make: Callable[[], Any]) -> Callable[[Any], Callable[[], Any]]:
    def prepare(sdf: Any) -> Callable[[], Any]:
        return lambda: make().fit(sdf)

    return prepare


def _standard() -> Any:
    from mlprep.scale import StandardScaler

    return StandardScaler()


def _median() -> Any:
    from mlprep.impute import Imputer

    return Imputer(strategy="median")


def _robust() -> Any:
    from mlprep.scale import RobustScaler

    return RobustScaler()


mlprep_standard = _mlprep(_standard)
mlprep_median = _mlprep(_median)
mlprep_robust = _mlprep(_robust)


# ------------------------------------------------------------------ MLlib
def _mllib_scaler(name: str) -> Any:
    import pyspark.ml.feature as feature

    cls = getattr(feature, name)
    if name == "StandardScaler":
        return cls(inputCol="features", outputCol="scaled", withMean=True, withStd=True)
    return cls(inputCol="features", outputCol="scaled")


def _mllib_with_assembler(name: str) -> Callable[[Any], Callable[[], Any]]:
    def prepare(sdf: Any) -> Callable[[], Any]:
        return lambda: _mllib_scaler(name).fit(_assembled(sdf))

    return prepare


def _mllib_fit_only(name: str) -> Callable[[Any], Callable[[], Any]]:
    def prepare(sdf: Any) -> Callable[[], Any]:
        assembled = _assembled(sdf).select("features").cache()
        assembled.count()
        return lambda: _mllib_scaler(name).fit(assembled)

    return prepare


mllib_standard = _mllib_with_assembler("StandardScaler")
mllib_standard_fit = _mllib_fit_only("StandardScaler")
mllib_robust = _mllib_with_assembler("RobustScaler")
mllib_robust_fit = _mllib_fit_only("RobustScaler")


def mllib_median(sdf: Any) -> Callable[[], Any]:
    from pyspark.ml.feature import Imputer

    outputs = [f"{c}_imputed" for c in COLUMNS]
    return lambda: Imputer(
        strategy="median", inputCols=COLUMNS, outputCols=outputs
    ).fit(sdf)


TASKS = [
    Task("spark", "StandardScaler", "mlprep", "spark", f"{HERE}:mlprep_standard"),
    Task(
        "spark",
        "StandardScaler",
        "MLlib (VectorAssembler + fit)",
        "spark",
        f"{HERE}:mllib_standard",
    ),
    Task(
        "spark",
        "StandardScaler",
        "MLlib (fit only, vectors cached)",
        "spark",
        f"{HERE}:mllib_standard_fit",
    ),
    Task("spark", "Imputer(median)", "mlprep", "spark", f"{HERE}:mlprep_median"),
    Task("spark", "Imputer(median)", "MLlib", "spark", f"{HERE}:mllib_median"),
    Task("spark", "RobustScaler", "mlprep", "spark", f"{HERE}:mlprep_robust"),
    Task(
        "spark",
        "RobustScaler",
        "MLlib (VectorAssembler + fit)",
        "spark",
        f"{HERE}:mllib_robust",
    ),
    Task(
        "spark",
        "RobustScaler",
        "MLlib (fit only, vectors cached)",
        "spark",
        f"{HERE}:mllib_robust_fit",
    ),
]


# --------------------------------------------------------- process memory
def _status(pid: int, field: str) -> float:
    """``VmRSS`` / ``VmHWM`` of a process in MiB (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _tree(root: int) -> list[int]:
    """``root`` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                parent = int(handle.read().rpartition(")")[2].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _reset_peaks(pids: list[int]) -> None:
    for pid in pids:
        try:
            with open(f"/proc/{pid}/clear_refs", "w") as handle:
                handle.write("5")
        except OSError:
            pass


# ------------------------------------------------------------------ tasks
@dataclass
class SparkRow:
    task: Task
    best_s: float
    peak_mib: float
    delta_mib: float


def _child(task: Task, n: int, repeats: int, queue: Any) -> None:
    import importlib

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    module_name, _, function = task.prepare.partition(":")
    module = importlib.import_module(module_name)
    thunk = getattr(module, function)(spark_frame(n))
    jvm = _session().sparkContext._gateway.proc.pid
    gc.collect()
    pids = _tree(jvm)
    _reset_peaks(pids)
    base = sum(_status(pid, "VmRSS") for pid in pids)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        thunk()
        times.append(time.perf_counter() - start)
    peak = sum(_status(pid, "VmHWM") for pid in _tree(jvm))
    queue.put((min(times), peak, peak - base))


def run(tasks: list[Task], n: int, repeats: int) -> list[SparkRow]:
    """Every task in its own spawned process (own SparkSession, own JVM)."""
    context = mp.get_context("spawn")
    rows = []
    for task in tasks:
        queue = context.Queue()
        process = context.Process(target=_child, args=(task, n, repeats, queue))
        process.start()
        process.join()
        if process.exitcode != 0:
            print(
                f"  {task.peer} {task.variant}: FAILED (exit {process.exitcode})",
                file=sys.stderr,
            )
            continue
        best, peak, delta = queue.get()
        rows.append(SparkRow(task, best, peak, delta))
        print(f"  {task.variant}/{task.peer}: {best:.2f} s", file=sys.stderr)
    return rows


def report(rows: list[SparkRow], *, n: int, repeats: int) -> str:
    """Markdown: MLlib time / mlprep time per workload (> 1: mlprep is faster)."""
    import pyspark

    lines = [
        f"## Spark local[2]: mlprep vs MLlib fits (issue 11, N = {n:,})",
        "",
        f"N x 3 doubles generated in Spark (uniform, normal, lognormal), cached and "
        f"counted before timing; PySpark {pyspark.__version__}, Python "
        f"{platform.python_version()}, {os.cpu_count()} cores, driver memory 4g; "
        f"best of {repeats} runs, each task in its own process and JVM. `mlprep ×` = "
        "time / mlprep time (> 1: mlprep is faster; target ≥ 1 for MLlib). peak = "
        "sum of the RSS high-water marks of the JVM and its Python workers during "
        "the timed runs, Δ = peak minus their RSS just before.",
        "",
        "| workload | peer | time | mlprep × | peak MiB | Δ MiB |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for variant in dict.fromkeys(r.task.variant for r in rows):
        members = [r for r in rows if r.task.variant == variant]
        ours = next((r for r in members if r.task.peer == "mlprep"), None)
        for row in members:
            ratio = f"{row.best_s / ours.best_s:.2f}" if ours else "—"
            lines.append(
                f"| {variant} | {row.task.peer} | {row.best_s:.2f} s | {ratio} | "
                f"{row.peak_mib:.0f} | {row.delta_mib:.0f} |"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    """``python bench_spark.py [--n N] [--repeats R] [--out FILE]``."""
    parser = argparse.ArgumentParser(description="Spark benchmark (issue 11)")
    parser.add_argument("--n", type=int, default=DEFAULT_N)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--out", type=Path, default=None, help="append the table to this Markdown file"
    )
    args = parser.parse_args()
    rows = run(TASKS, args.n, args.repeats)
    text = report(rows, n=args.n, repeats=args.repeats)
    print(text)
    if args.out:
        with open(args.out, "a", encoding="utf-8") as handle:
            handle.write(text + "\n")


if __name__ == "__main__":
    main()
