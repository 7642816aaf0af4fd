"""The command line's cost: start-up, and a job against the same job in Python.

Every measurement is a fresh process, timed from outside (wall clock, best of
``--repeats``), because that is what a CI step or a SageMaker job pays:

* ``python -c "import mlprep"`` and ``mlprep --help`` (start-up);
* ``mlprep fit-transform`` of a spec over a Parquet file of N rows, against a
  Python script that does the same (read with pandas, build the same
  pipeline, fit, transform, write Parquet), and against the bare interpreter
  (``python -c pass``), whose time both include.

The ratio that matters is CLI / Python with the interpreter's own start-up
subtracted from both. Usage: ``python bench_cli.py [--n N] [--repeats R]
[--out FILE]``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

SPEC = {
    "steps": [
        {"class": "Imputer", "params": {"strategy": "median"}},
        {"class": "RobustScaler"},
        {"class": "OneHotEncoder", "columns": ["city"]},
    ],
    "drop": ["id"],
    "target": "label",
}
SCRIPT = """
import sys
import pandas as pd
from mlprep.spec import build_pipeline
data = pd.read_parquet(sys.argv[1])
X, y = data.drop(columns="label"), data["label"]
out = build_pipeline(sys.argv[2]).fit(X, y).transform(X)
out.insert(0, "label", y.to_numpy())
out.to_parquet(sys.argv[3], index=False)
"""


def _data(n: int, folder: Path) -> Path:
    rng = np.random.default_rng(12345)
    frame = pd.DataFrame(
        {f"x{i}": rng.lognormal(0.0, 1.0, n) for i in range(8)}
        | {
            "id": np.arange(n),
            "city": rng.choice(["Lyon", "Oslo", "Pune", "Lima", "Kyiv"], n),
            "label": rng.integers(0, 2, n),
        }
    )
    frame.loc[rng.random(n) < 0.05, "x0"] = np.nan
    path = folder / "data.parquet"
    frame.to_parquet(path, index=False)
    return path


def _best(command: list[str], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description="command line overhead benchmark")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        data = _data(args.n, folder)
        spec = folder / "spec.json"
        spec.write_text(json.dumps(SPEC))
        script = folder / "job.py"
        script.write_text(SCRIPT)
        bare = _best([python, "-c", "pass"], args.repeats)
        imports = _best([python, "-c", "import mlprep"], args.repeats)
        helps = _best([python, "-m", "mlprep", "--help"], args.repeats)
        cli = _best(
            [
                python,
                "-m",
                "mlprep",
                "fit-transform",
                "--spec",
                str(spec),
                "--data",
                str(data),
                "--state",
                str(folder / "state.json"),
                "--out",
                str(folder / "cli.parquet"),
                "--quiet",
            ],
            args.repeats,
        )
        by_hand = _best(
            [python, str(script), str(data), str(spec), str(folder / "py.parquet")],
            args.repeats,
        )
        same = pd.read_parquet(folder / "cli.parquet").equals(
            pd.read_parquet(folder / "py.parquet")
        )
    ratio = (cli - bare) / (by_hand - bare)
    text = "\n".join(
        [
            f"## Command line (N = {args.n:,})",
            "",
            "Fresh processes, wall clock, best of "
            f"{args.repeats}; `python -c pass` = {bare * 1000:.0f} ms is the "
            "interpreter's own start-up, subtracted for the ratio.",
            "",
            "| what | time | minus start-up |",
            "|---|---:|---:|",
            f'| `python -c "import mlprep"` | {imports * 1000:.0f} ms | '
            f"{(imports - bare) * 1000:.0f} ms |",
            f"| `mlprep --help` | {helps * 1000:.0f} ms | {(helps - bare) * 1000:.0f} ms |",
            f"| `mlprep fit-transform` (Parquet in and out) | {cli:.2f} s | "
            f"{cli - bare:.2f} s |",
            f"| the same job as a Python script | {by_hand:.2f} s | {by_hand - bare:.2f} s |",
            "",
            f"CLI / Python = **{ratio:.2f}** (target ≤ 1.2); outputs identical: {same}.",
            "",
        ]
    )
    print(text)
    if args.out:
        with open(args.out, "a", encoding="utf-8") as handle:
            handle.write(text + "\n")


if __name__ == "__main__":
    main()
