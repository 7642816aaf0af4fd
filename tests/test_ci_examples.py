"""The CI gate in examples/ci/ works as its README says, run as real processes.

``check_split.sh`` splits the bundled customers by key and checks every pair
of sets; it must pass on a key split and fail (exit 1) when the split leaks.
The GitHub Actions workflow must parse, and its leakage step, run as written
in a checkout holding a split, must pass or fail the job by mlprep's exit code.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "examples" / "ci" / "check_split.sh"
WORKFLOW = ROOT / "examples" / "ci" / "github-actions.yml"
CUSTOMERS = ROOT / "src" / "mlprep" / "datasets" / "customers.csv"
BASH = shutil.which("bash")
BIN = Path(sys.executable).parent

needs_bash = pytest.mark.skipif(BASH is None, reason="bash is not installed")


def _environment(**extra: str) -> dict[str, str]:
    """This interpreter's ``python -m mlprep`` as the script's MLPREP, on PATH."""
    env = dict(os.environ)
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["MLPREP"] = f"{Path(sys.executable).name} -m mlprep"
    env.update(extra)
    return env


def _check_split(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [BASH, str(SCRIPT), *args],
        cwd=cwd,
        env=_environment(**env),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _snapshots(folder: Path) -> Path:
    """Two snapshots of every customer: a random split of them leaks keys."""
    first = pd.read_csv(CUSTOMERS)
    later = first.assign(monthly_visits=first["monthly_visits"] + 1)
    path = folder / "snapshots.csv"
    pd.concat([first, later]).to_csv(path, index=False)
    return path


@needs_bash
@pytest.mark.slow
def test_key_split_of_bundled_customers_passes(tmp_path):
    data = tmp_path / "customers.csv"
    shutil.copy(CUSTOMERS, data)
    result = _check_split(tmp_path, str(data), "customer_id")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.count("no leakage found") == 3  # every pair of 3 sets
    parts = {
        name: pd.read_csv(tmp_path / "splits" / f"{name}.csv")
        for name in ("train", "validation", "test")
    }
    assert sum(len(part) for part in parts.values()) == 500
    keys = [set(part["customer_id"]) for part in parts.values()]
    assert not (keys[0] & keys[1] or keys[0] & keys[2] or keys[1] & keys[2])


@needs_bash
@pytest.mark.slow
def test_key_split_keeps_every_snapshot_of_a_customer_together(tmp_path):
    result = _check_split(tmp_path, str(_snapshots(tmp_path)), "customer_id", "out")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.count("no leakage found") == 3


@needs_bash
@pytest.mark.slow
def test_leaky_split_fails_with_exit_1_and_a_table(tmp_path):
    result = _check_split(
        tmp_path, str(_snapshots(tmp_path)), "customer_id", SPLIT_METHOD="random"
    )
    assert result.returncode == 1, result.stderr[-3000:]
    # every pair is checked and reported, not just the first leaky one
    assert result.stdout.count("== ") == 3
    assert result.stdout.count("appear in both train and test") == 3
    assert "no leakage found" not in result.stdout


@needs_bash
@pytest.mark.slow
def test_data_error_exit_code_is_propagated(tmp_path):
    result = _check_split(tmp_path, str(CUSTOMERS), "no_such_column")
    assert result.returncode == 3
    assert "no_such_column" in result.stderr
    assert not (tmp_path / "splits" / "train.csv").exists()


@needs_bash
@pytest.mark.slow
def test_usage_error_exits_2(tmp_path):
    result = _check_split(tmp_path, str(CUSTOMERS))
    assert result.returncode == 2
    assert "usage: check_split.sh DATA KEY [OUT_DIR]" in result.stderr


@needs_bash
@pytest.mark.slow
def test_stale_output_folder_is_refused(tmp_path):
    (tmp_path / "splits").mkdir()
    (tmp_path / "splits" / "train.parquet").write_bytes(b"")
    result = _check_split(tmp_path, str(CUSTOMERS), "customer_id")
    assert result.returncode == 2
    assert "give an empty OUT_DIR" in result.stderr


# ------------------------------------------------------------------ workflow
def _steps() -> list[dict]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    # YAML 1.1 reads the key `on` as True
    triggers = workflow.get("on", workflow.get(True))
    assert "pull_request" in triggers
    (job,) = workflow["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest"
    return job["steps"]


def _leakage_step() -> dict:
    (step,) = [s for s in _steps() if "mlprep check-leakage" in s.get("run", "")]
    return step


def test_workflow_installs_mlprep_kit_checks_and_uploads_the_report():
    steps = _steps()
    runs = [step.get("run", "") for step in steps]
    assert any("pip install mlprep-kit" in run for run in runs)
    check = _leakage_step()
    assert check["run"].endswith("--json > leakage.json")
    assert "continue-on-error" not in check  # exit 1 must fail the job
    index = steps.index(check)
    assert any("pip install mlprep-kit" in run for run in runs[:index])
    (upload,) = [
        s for s in steps if s.get("uses", "").startswith("actions/upload-artifact")
    ]
    assert steps.index(upload) > index
    assert upload["if"] == "always()"  # uploaded when the check failed too
    assert upload["with"]["path"] == "leakage.json"


def _run_leakage_step(checkout: Path) -> tuple[int, dict]:
    if shutil.which("mlprep", path=str(BIN)) is None:
        pytest.skip("the mlprep console script is not installed next to python")
    result = subprocess.run(
        [BASH, "-e", "-c", _leakage_step()["run"]],
        cwd=checkout,
        env=_environment(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr[-3000:]
    return result.returncode, json.loads((checkout / "leakage.json").read_text())


def _split(data: Path, checkout: Path, method: str) -> None:
    key = ["--key", "customer_id"] if method == "key" else []
    subprocess.run(
        [
            sys.executable,
            "-m",
            "mlprep",
            "split",
            "--data",
            str(data),
            "--method",
            method,
            *key,
            "--out",
            str(checkout / "data" / "splits"),
            "--quiet",
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )


@needs_bash
@pytest.mark.slow
def test_workflow_step_passes_on_a_key_split(tmp_path):
    _split(CUSTOMERS, tmp_path, "key")
    code, report = _run_leakage_step(tmp_path)
    assert code == 0
    assert report["ok"] is True
    assert report["problems"] == []


@needs_bash
@pytest.mark.slow
def test_workflow_step_fails_the_job_on_a_leaky_split(tmp_path):
    _split(_snapshots(tmp_path), tmp_path, "random")
    code, report = _run_leakage_step(tmp_path)
    assert code == 1
    assert report["ok"] is False
    assert [problem["kind"] for problem in report["problems"]] == ["key"]
