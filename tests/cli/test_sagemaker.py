"""``mlprep sagemaker``: channels from a fake /opt/ml, real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import mlprep
from mlprep.datasets import load_customers

# each test starts real processes (seconds each): run by CI, skipped by plain pytest
pytestmark = pytest.mark.slow

EXAMPLE = Path(__file__).parents[2] / "examples" / "sagemaker" / "simulate_two_hosts.py"


def _job(
    root: Path,
    inputs: dict[str, Path],
    outputs: list[str],
    host: str = "algo-1",
    hosts: tuple[str, ...] = ("algo-1",),
    sharded: tuple[str, ...] = (),
) -> None:
    config = {
        "ProcessingInputs": [
            {
                "InputName": name,
                "S3Input": {
                    "LocalPath": str(path),
                    "S3DataDistributionType": (
                        "ShardedByS3Key" if name in sharded else "FullyReplicated"
                    ),
                },
            }
            for name, path in inputs.items()
        ],
        "ProcessingOutputConfig": {
            "Outputs": [
                {
                    "OutputName": name,
                    "S3Output": {"LocalPath": str(root / "out" / name)},
                }
                for name in outputs
            ]
        },
    }
    (root / "config").mkdir(parents=True, exist_ok=True)
    (root / "config" / "processingjobconfig.json").write_text(json.dumps(config))
    (root / "config" / "resourceconfig.json").write_text(
        json.dumps({"current_host": host, "hosts": list(hosts)})
    )


def _run(root: Path, *args: str):
    env = {**os.environ, "MLPREP_SAGEMAKER_ROOT": str(root), "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [sys.executable, "-m", "mlprep", "sagemaker", *args],
        capture_output=True,
        text=True,
        env=env,
    )


@pytest.fixture
def channels(tmp_path):
    data = tmp_path / "in" / "data"
    data.mkdir(parents=True)
    load_customers().to_csv(data / "customers.csv", index=False)
    spec = tmp_path / "in" / "spec"
    spec.mkdir()
    (spec / "spec.json").write_text(
        json.dumps(
            {
                "steps": [
                    {"class": "Imputer"},
                    {"class": "OneHotEncoder", "columns": ["city"]},
                ],
                "drop": ["customer_id", "signup_date"],
                "target": "churned",
            }
        )
    )
    return tmp_path, {"data": data, "spec": spec}


def test_a_simulated_two_host_job_equals_one_fit():
    done = subprocess.run(
        [sys.executable, str(EXAMPLE)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "sharded fit == one fit: True" in done.stdout
    assert "part-algo-1.csv', 'part-algo-2.csv" in done.stdout


def test_one_host_fits_the_whole_spec_into_state_json(channels):
    root, inputs = channels
    _job(root, inputs, ["state"])
    done = _run(
        root, "fit", "--spec", "spec", "--data", "data", "--out", "state", "--json"
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["steps_fitted"] == report["steps_total"] == 3
    fitted = mlprep.load(root / "out" / "state" / "state.json")
    assert [name for name, _ in fitted.steps] == ["drop", "imputer", "onehotencoder"]
    assert not (root / "output" / "message").exists()


def test_a_sharded_input_on_two_hosts_fits_the_next_step_partially(channels):
    root, inputs = channels
    _job(
        root,
        inputs,
        ["state"],
        host="algo-2",
        hosts=("algo-1", "algo-2"),
        sharded=("data",),
    )
    done = _run(
        root, "fit", "--spec", "spec", "--data", "data", "--out", "state", "--json"
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["partial"] is True
    assert (root / "out" / "state" / "partial-algo-2.json").exists()


def test_a_failure_names_the_channel_in_the_exit_message(channels):
    root, inputs = channels
    _job(root, inputs, ["state"])
    done = _run(root, "fit", "--spec", "spec", "--data", "train", "--out", "state")
    assert done.returncode == 3
    message = (root / "output" / "message").read_text()
    assert "no input channel named 'train'" in message and "['data', 'spec']" in message
    assert message.strip() in done.stderr


def test_without_the_config_files_it_says_where_it_looked(tmp_path):
    done = _run(tmp_path, "inspect", "state")
    assert done.returncode == 3
    assert "processingjobconfig.json" in done.stderr
    assert "MLPREP_SAGEMAKER_ROOT" in done.stderr


def test_a_leaky_split_fails_the_job_with_exit_1(channels):
    root, inputs = channels
    _job(root, {"train": inputs["data"], "test": inputs["data"]}, [])
    done = _run(
        root,
        "check-leakage",
        "--train",
        "train",
        "--test",
        "test",
        "--key",
        "customer_id",
    )
    assert done.returncode == 1
    assert "exit 1" in (root / "output" / "message").read_text()


def test_a_bad_flag_also_leaves_an_exit_message(channels):
    root, inputs = channels
    _job(root, inputs, ["state"])
    done = _run(root, "fit", "--spek", "spec")
    assert done.returncode == 2
    assert "usage error" in (root / "output" / "message").read_text()


def test_fit_transform_refuses_a_sharded_input(channels):
    root, inputs = channels
    _job(root, inputs, ["state", "out"], hosts=("algo-1", "algo-2"), sharded=("data",))
    done = _run(
        root,
        "fit-transform",
        "--spec",
        "spec",
        "--data",
        "data",
        "--state",
        "state",
        "--out",
        "out",
    )
    assert done.returncode == 3
    assert (
        "ShardedByS3Key over 2 instances" in (root / "output" / "message").read_text()
    )


def test_split_on_several_hosts_writes_one_folder_per_host(channels):
    root, inputs = channels
    _job(root, inputs, ["splits"], host="algo-2", hosts=("algo-1", "algo-2"))
    done = _run(
        root, "split", "--data", "data", "--out", "splits", "--ratios", "0.8", "0.2"
    )
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in (root / "out" / "splits" / "algo-2").iterdir())
    assert written == ["test.csv", "train.csv"]
