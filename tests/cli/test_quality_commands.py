"""``mlprep baseline``, ``check-drift``, ``bias`` and ``report``, run as real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import mlprep
from mlprep.datasets import load_customers
from mlprep.quality import Baseline

# each test starts real processes (seconds each): run by CI, skipped by plain pytest
pytestmark = pytest.mark.slow


def run(*args: str, cwd: Path, env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "mlprep", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONWARNINGS": "ignore", **(env or {})},
    )


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    folder = tmp_path_factory.mktemp("quality-cli")
    customers = load_customers()
    customers.to_csv(folder / "train.csv", index=False)
    customers.to_csv(folder / "same.csv", index=False)
    moved = customers.assign(tenure_months=customers["tenure_months"] * 3)
    moved.to_csv(folder / "today.csv", index=False)
    return folder


def test_baseline_writes_state_and_model_monitor_files(work):
    done = run("baseline", "--data", "train.csv", "--out", "base", "--json", cwd=work)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert report["rows"] == 500 and report["columns"] == 11
    assert sorted(p.name for p in (work / "base").iterdir()) == [
        "baseline.json",
        "constraints.json",
        "statistics.json",
    ]
    fitted = mlprep.load(work / "base" / "baseline.json")
    expected = Baseline().fit(pd.read_csv(work / "train.csv"))
    assert fitted.statistics_["age"]["mean"] == pytest.approx(
        expected.statistics_["age"]["mean"]
    )
    statistics = json.loads((work / "base" / "statistics.json").read_text())
    assert statistics["dataset"]["item_count"] == 500


def test_check_drift_exit_codes_and_files(work):
    run("baseline", "--data", "train.csv", "--out", "base", cwd=work)
    same = run(
        "check-drift", "--baseline", "base", "--data", "same.csv", "--json", cwd=work
    )
    assert same.returncode == 0, same.stderr
    assert json.loads(same.stdout)["ok"] is True
    moved = run(
        "check-drift",
        "--baseline",
        "base/baseline.json",
        "--data",
        "today.csv",
        "--out",
        "drift",
        "--json",
        cwd=work,
    )
    assert moved.returncode == 1, moved.stderr
    found = json.loads(moved.stdout)
    assert any(
        v["column"] == "tenure_months" and v["check"] == "baseline_drift_check"
        for v in found["violations"]
    )
    violations = json.loads((work / "drift" / "constraint_violations.json").read_text())
    assert {
        "feature_name": "tenure_months",
        "constraint_check_type": "baseline_drift_check",
    }.items() <= next(
        v for v in violations["violations"] if v["feature_name"] == "tenure_months"
    ).items()
    assert json.loads((work / "drift" / "drift.json").read_text())["ok"] is False


def test_check_drift_against_a_reference_file_with_another_method(work):
    done = run(
        "check-drift",
        "--reference",
        "train.csv",
        "--data",
        "today.csv",
        "--method",
        "psi",
        "--json",
        cwd=work,
    )
    assert done.returncode == 1
    drift = json.loads(done.stdout)["drift"]
    assert drift["tenure_months"]["method"] == "psi"
    assert drift["tenure_months"]["threshold"] == mlprep.quality.THRESHOLDS["psi"]


def test_check_drift_without_a_baseline_is_a_usage_error(work):
    done = run("check-drift", "--data", "today.csv", cwd=work)
    assert done.returncode == 2 and "--baseline" in done.stderr
    missing = run(
        "check-drift", "--baseline", "nowhere", "--data", "today.csv", cwd=work
    )
    assert missing.returncode == 3 and "nowhere" in missing.stderr


def test_bias_reports_clarify_metrics(work):
    done = run(
        "bias",
        "--data",
        "train.csv",
        "--label",
        "churned",
        "--facet",
        "city",
        "--facet-value",
        "Seattle",
        "--json",
        cwd=work,
    )
    assert done.returncode == 0, done.stderr
    metrics = json.loads(done.stdout)["metrics"]
    assert len(metrics) == 1 and metrics[0]["facet_value"] == "Seattle"
    data = pd.read_csv(work / "train.csv").dropna(subset=["city"])
    n_d = int((data["city"] == "Seattle").sum())
    n_a = len(data) - n_d
    assert metrics[0]["CI"] == pytest.approx((n_a - n_d) / (n_a + n_d))
    bad = run(
        "bias", "--data", "train.csv", "--label", "churned", "--facet", "nope", cwd=work
    )
    assert bad.returncode == 3 and "nope" in bad.stderr


def test_sagemaker_baseline_and_check_drift(tmp_path):
    root = tmp_path / "ml"
    data = tmp_path / "in" / "data"
    data.mkdir(parents=True)
    load_customers().to_csv(data / "customers.csv", index=False)
    config = {
        "ProcessingInputs": [
            {"InputName": "data", "S3Input": {"LocalPath": str(data)}},
            {
                "InputName": "baseline",
                "S3Input": {"LocalPath": str(root / "out" / "base")},
            },
        ],
        "ProcessingOutputConfig": {
            "Outputs": [
                {
                    "OutputName": name,
                    "S3Output": {"LocalPath": str(root / "out" / name)},
                }
                for name in ("base", "violations")
            ]
        },
    }
    (root / "config").mkdir(parents=True)
    (root / "config" / "processingjobconfig.json").write_text(json.dumps(config))
    (root / "config" / "resourceconfig.json").write_text(
        json.dumps({"current_host": "algo-1", "hosts": ["algo-1"]})
    )
    env = {"MLPREP_SAGEMAKER_ROOT": str(root)}
    done = run(
        "sagemaker",
        "baseline",
        "--data",
        "data",
        "--out",
        "base",
        cwd=tmp_path,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert (root / "out" / "base" / "statistics.json").is_file()
    check = run(
        "sagemaker",
        "check-drift",
        "--baseline",
        "baseline",
        "--data",
        "data",
        "--out",
        "violations",
        cwd=tmp_path,
        env=env,
    )
    assert check.returncode == 0, check.stderr
    written = json.loads(
        (root / "out" / "violations" / "constraint_violations.json").read_text()
    )
    assert written == {"violations": []}
