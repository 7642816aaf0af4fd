"""A small benchmark harness: each measurement in its own process, ratios in one run.

A *task* names a data generator and a ``prepare`` function. ``prepare(data)``
runs untimed (conversions, building the transformer) and returns the thunk to
time. Each task runs in a fresh spawned process, so its peak memory (RSS
high-water mark, reset just before timing) is its own. Time is the best of
``repeats`` runs. Results are written as a Markdown table with every row's
ratio to mlprep and to the numpy floor measured in the same run.

Usage from a family script::

    from _harness import Task, main
    TASKS = [Task("scaling", "standard", "mlprep", "floats", "bench_scale:mlprep_standard"), ...]
    if __name__ == "__main__":
        main(TASKS, title="Scaling")

Data generators mirror ``../shared/bench/peers.py`` (same distributions and
seeds), so figures are comparable with its PEERS.md.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import multiprocessing as mp
import os
import platform
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
SEED = 12345


# ------------------------------------------------------------------- data
def _rng(stream: int) -> np.random.Generator:
    return np.random.default_rng([SEED, stream])


def floats(n: int) -> np.ndarray:
    """N x 10 float64: ten differently shaped distributions (as peers.py)."""
    rng = _rng(1)
    columns = [
        rng.normal(0.0, 1.0, n),
        rng.normal(100.0, 15.0, n),
        rng.lognormal(0.0, 1.0, n),
        rng.exponential(1.0, n),
        rng.standard_t(3, n),
        rng.uniform(-1.0, 1.0, n),
        rng.gamma(2.0, 2.0, n),
        rng.normal(0.0, 1.0, n) * np.where(rng.random(n) < 0.01, 50.0, 1.0),
        rng.chisquare(4, n),
        rng.pareto(3.0, n),
    ]
    return np.ascontiguousarray(np.column_stack(columns))


def floats_nan(n: int) -> np.ndarray:
    """:func:`floats` with 10% of the cells NaN."""
    X = floats(n)
    X[_rng(2).random(X.shape) < 0.10] = np.nan
    return X


DATA: dict[str, Callable[[int], Any]] = {"floats": floats, "floats_nan": floats_nan}
"""Data generators by name; a family script may add its own before calling main."""


def frame(X: np.ndarray) -> Any:
    """A pandas frame with columns x0..x9, one float64 block (as a user would have)."""
    import pandas as pd

    return pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])])


def floor(X: np.ndarray) -> Callable[[], Any]:
    """The numpy floor: one ``(x - a) * b`` pass with per-column vectors."""
    a = np.nanmean(X, axis=0)
    b = 1.0 / np.nanstd(X, axis=0)
    return lambda: (X - a) * b


# ------------------------------------------------------------------ tasks
@dataclass(frozen=True)
class Task:
    """One peer doing one workload: ``prepare`` is ``"module:function"``."""

    workload: str
    variant: str
    peer: str
    data: str
    prepare: str


@dataclass
class Row:
    task: Task
    best_s: float
    peak_mib: float
    delta_mib: float


def _rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(task: Task, n: int, repeats: int, queue: Any) -> None:
    sys.path.insert(0, str(HERE))
    module_name, _, function = task.prepare.partition(":")
    module = importlib.import_module(module_name)
    generator = getattr(module, "DATA", DATA).get(task.data) or DATA[task.data]
    thunk = getattr(module, function)(generator(n))
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as handle:
            handle.write("5")
    except OSError:
        pass
    base = _rss_mib()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        thunk()
        times.append(time.perf_counter() - start)
    queue.put((min(times), _peak_mib(), _peak_mib() - base))


def run(tasks: list[Task], n: int, repeats: int) -> list[Row]:
    """Run every task in its own spawned process; print progress to stderr."""
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
        rows.append(Row(task, best, peak, delta))
        print(
            f"  {task.workload}/{task.variant}/{task.peer}: {best * 1e3:.1f} ms",
            file=sys.stderr,
        )
    return rows


def _fmt_time(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1e3:.1f} ms"


def exponent(sizes: list[int], seconds: list[float]) -> float:
    """The least-squares slope of log(time) on log(N); NaN with fewer than two sizes.

    >>> round(exponent([10, 100, 1000], [1.0, 10.0, 100.0]), 6)
    1.0
    """
    if len(sizes) < 2:
        return float("nan")
    slope, _ = np.polyfit(np.log(sizes), np.log(seconds), 1)
    return float(slope)


def ratio_line(rows: list[Any], *, ours: str, theirs: str) -> str:
    """One line: per variant, the time of peer ``ours`` over that of peer ``theirs``."""
    found: dict[str, dict[str, float]] = {}
    for row in rows:
        found.setdefault(row.task.variant, {})[row.task.peer] = row.best_s
    ratios = [
        f"{variant} {times[ours] / times[theirs]:.2f}"
        for variant, times in found.items()
        if ours in times and theirs in times
    ]
    if not ratios:
        return ""
    return f"\n`{ours}` / `{theirs}` (same run): " + "; ".join(ratios) + ".\n"


def short_time(seconds: float) -> str:
    """Seconds as ``1.23 s`` or ``456 ms``."""
    return f"{seconds:.2f} s" if seconds >= 1 else f"{seconds * 1e3:.0f} ms"


def report(rows: list[Row], *, title: str, n: int) -> str:
    """Markdown: one table per workload/variant, ratios to mlprep and to the floor."""
    floor_rows = [r for r in rows if r.task.peer == "numpy floor"]
    floor_s = floor_rows[0].best_s if floor_rows else None
    lines = [
        f"## {title} (N = {n:,})",
        "",
        f"Python {platform.python_version()}, {os.cpu_count()} cores; best of the runs; "
        "peak = RSS high-water mark of the task's own process, Δ = peak minus RSS "
        "before timing. `× floor` = time / numpy `(x - a) * b` over the same N x 10 "
        "array; `mlprep ×` = peer time / mlprep time (> 1: mlprep is faster).",
        "",
    ]
    if floor_s:
        lines += [f"Floor: {_fmt_time(floor_s)}.", ""]
    lines += [
        "| workload | variant | peer | time | × floor | mlprep × | peak MiB | Δ MiB |",
        "|---|---|---|---:|---:|---:|---:|---:|",
    ]
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        if row.task.peer != "numpy floor":
            groups.setdefault((row.task.workload, row.task.variant), []).append(row)
    for (workload, variant), members in groups.items():
        ours = next((r for r in members if r.task.peer.startswith("mlprep")), None)
        for row in members:
            x_floor = f"{row.best_s / floor_s:.1f}" if floor_s else "—"
            speedup = f"{row.best_s / ours.best_s:.2f}" if ours else "—"
            lines.append(
                f"| {workload} | {variant} | {row.task.peer} | {_fmt_time(row.best_s)} | "
                f"{x_floor} | {speedup} | {row.peak_mib:.0f} | {row.delta_mib:.0f} |"
            )
    return "\n".join(lines) + "\n"


def main(tasks: list[Task], *, title: str, default_n: int = 1_000_000) -> None:
    """Command line: ``python bench_x.py [--n N] [--repeats R] [--out FILE]``."""
    parser = argparse.ArgumentParser(description=f"{title} benchmark")
    parser.add_argument("--n", type=int, default=default_n)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--out", type=Path, default=None, help="append the table to this Markdown file"
    )
    args = parser.parse_args()
    rows = run(tasks, args.n, args.repeats)
    text = report(rows, title=title, n=args.n)
    print(text)
    if args.out:
        with open(args.out, "a", encoding="utf-8") as handle:
            handle.write(text + "\n")
