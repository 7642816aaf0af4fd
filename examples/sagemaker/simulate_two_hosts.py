"""A two-host SageMaker Processing job, simulated on this machine.

Run:  python examples/sagemaker/simulate_two_hosts.py

Each "instance" gets its own fake ``/opt/ml`` (a temporary folder given to
mlprep through ``MLPREP_SAGEMAKER_ROOT``) with the two files SageMaker writes
there, ``config/processingjobconfig.json`` and ``config/resourceconfig.json``,
and its share of the CSV shards, as ``ShardedByS3Key`` would download them. A
folder stands in for S3: what an instance writes to an output channel is
"uploaded" there, and later jobs download it as an input channel.

A spec of several steps is fitted one step per job (a later step learns from
what the earlier steps make of the data, so the shards' states of one step
are merged before the next): every round runs ``mlprep sagemaker fit`` on
both hosts, each reading the previous round's partial states. A last
one-host job merges the final partial states, and a two-host job transforms
the shards into SageMaker CSV. The result is checked against one fit of the
same spec on all the data.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

import mlprep
from mlprep.datasets import load_customers
from mlprep.spec import build_pipeline

SPEC = {
    "steps": [
        {"class": "Imputer", "params": {"strategy": "mean"}, "name": "impute"},
        {"class": "StandardScaler", "name": "scale"},
        {"class": "OneHotEncoder", "columns": ["city"], "name": "city"},
    ],
    "drop": ["customer_id", "signup_date"],
    "target": "churned",
}
HOSTS = ("algo-1", "algo-2")
PROCESSING = "/opt/ml/processing"


def job_config(inputs: dict[str, tuple[str, bool]], outputs: list[str]) -> dict:
    """The parts of processingjobconfig.json mlprep reads (channel -> local path)."""
    return {
        "ProcessingInputs": [
            {
                "InputName": name,
                "S3Input": {
                    "LocalPath": local,
                    "S3DataDistributionType": (
                        "ShardedByS3Key" if sharded else "FullyReplicated"
                    ),
                },
            }
            for name, (local, sharded) in inputs.items()
        ],
        "ProcessingOutputConfig": {
            "Outputs": [
                {"OutputName": name, "S3Output": {"LocalPath": f"{PROCESSING}/{name}"}}
                for name in outputs
            ]
        },
    }


def run_job(
    work: Path,
    s3: Path,
    hosts: tuple[str, ...],
    inputs: dict[str, tuple[str, bool]],
    outputs: list[str],
    arguments: list[str],
) -> None:
    """One processing job: every host downloads, runs mlprep, uploads its outputs."""
    for index, host in enumerate(hosts):
        root = work / host / "opt-ml"
        shutil.rmtree(root, ignore_errors=True)
        local = {}
        for name, (prefix, sharded) in inputs.items():
            target = root / "processing" / name
            target.mkdir(parents=True)
            files = sorted((s3 / prefix).rglob("*.*"))
            mine = files[index :: len(hosts)] if sharded else files
            for file in mine:  # the download SageMaker does before the container starts
                shutil.copy(file, target / file.name)
            local[name] = (str(target), sharded)
        config = job_config(local, outputs)
        for output in config["ProcessingOutputConfig"]["Outputs"]:
            path = root / "processing" / output["OutputName"]
            path.mkdir(parents=True)
            output["S3Output"]["LocalPath"] = str(path)
        (root / "config").mkdir(parents=True)
        (root / "config" / "processingjobconfig.json").write_text(json.dumps(config))
        (root / "config" / "resourceconfig.json").write_text(
            json.dumps({"current_host": host, "hosts": list(hosts)})
        )
        env = {**os.environ, "MLPREP_SAGEMAKER_ROOT": str(root)}
        done = subprocess.run(
            [sys.executable, "-m", "mlprep", "sagemaker", *arguments, "--quiet"],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            message = (root / "output" / "message").read_text()
            raise SystemExit(f"{host} failed ({done.returncode}): {message}")
        for name in outputs:  # the upload at the end of the job
            (s3 / name).mkdir(parents=True, exist_ok=True)
            for file in (root / "processing" / name).iterdir():
                shutil.copy(file, s3 / name / file.name)


def main() -> None:
    customers = load_customers()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        s3 = work / "s3"
        (s3 / "spec").mkdir(parents=True)
        (s3 / "spec" / "spec.json").write_text(json.dumps(SPEC))
        (s3 / "data").mkdir()
        for i, rows in enumerate(np.array_split(np.arange(len(customers)), 6)):
            customers.iloc[rows].to_csv(s3 / "data" / f"part-{i:03d}.csv", index=False)

        n_steps = len(build_pipeline(SPEC).steps)
        previous = None
        for step in range(n_steps):
            inputs = {"spec": ("spec", False), "data": ("data", True)}
            arguments = [
                "fit",
                "--spec",
                "spec",
                "--data",
                "data",
                "--out",
                f"round{step}",
            ]
            if previous is not None:
                inputs["previous"] = (previous, False)
                arguments += ["--state", "previous"]
            run_job(work, s3, HOSTS, inputs, [f"round{step}"], arguments)
            print(
                f"job {step + 1}: step {step + 1} of {n_steps} fitted on 2 hosts:",
                sorted(p.name for p in (s3 / f"round{step}").iterdir()),
            )
            previous = f"round{step}"

        run_job(
            work,
            s3,
            HOSTS[:1],
            {"partials": (previous, False)},
            ["state"],
            ["merge", "partials", "--out", "state"],
        )
        print("merge job:", sorted(p.name for p in (s3 / "state").iterdir()))
        run_job(
            work,
            s3,
            HOSTS,
            {"state": ("state", False), "data": ("data", True)},
            ["transformed"],
            [
                "transform",
                "--state",
                "state",
                "--data",
                "data",
                "--out",
                "transformed",
                "--target",
                "churned",
                "--format",
                "sagemaker-csv",
            ],
        )
        parts = sorted((s3 / "transformed").iterdir())
        print("transform job:", [p.name for p in parts])

        # the same spec fitted once on all the data gives the same numbers
        whole = build_pipeline(SPEC).fit(
            customers.drop(columns="churned"), customers["churned"]
        )
        sharded = mlprep.load(s3 / "state" / "state.json")
        X = customers.drop(columns="churned")
        same = np.allclose(
            sharded.transform(X).to_numpy(float),
            whole.transform(X).to_numpy(float),
            atol=1e-12,
        )
        rows = sum(len(pd.read_csv(p, header=None)) for p in parts)
        print(
            f"rows transformed: {rows} of {len(customers)}; "
            f"sharded fit == one fit: {same}"
        )
        assert same and rows == len(customers)


if __name__ == "__main__":
    main()
