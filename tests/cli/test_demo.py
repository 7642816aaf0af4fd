"""``mlprep demo``: the README's main job, run as a real process."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

import mlprep

# each test starts real processes (seconds each): run by CI, skipped by plain pytest
pytestmark = pytest.mark.slow


def test_the_demo_writes_every_file_and_a_report(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mlprep",
            "demo",
            "--out",
            str(tmp_path / "demo"),
            "--json",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    folder = tmp_path / "demo"
    assert report["splits"] == {"train": 350, "validation": 75, "test": 75}
    assert report["leakage_ok"] is True and report["naive_split_problems"] == 2
    for name in (
        "customers.csv",
        "spec.json",
        "state.json",
        "leakage.json",
        "report.html",
        "splits/train.csv",
        "transformed/test.csv",
    ):
        assert (folder / name).is_file(), name
    # the state transforms the test split into the file the demo wrote
    state = mlprep.load(folder / "state.json")
    test = pd.read_csv(folder / "splits" / "test.csv")
    written = pd.read_csv(folder / "transformed" / "test.csv")
    expected = state.transform(test.drop(columns="churned"))
    assert written.columns.tolist() == ["churned", *expected.columns]
    pd.testing.assert_frame_equal(
        written.drop(columns="churned"), expected, check_dtype=False, atol=1e-9
    )
    page = (folder / "report.html").read_text()
    for heading in ("Splits", "Pipeline", "Transformed test rows", "Leakage checks"):
        assert f"<h2>{heading}" in page
    assert "a split that reuses rows): 2 problem(s)" in page
    assert json.loads((folder / "leakage.json").read_text())["ok"] is True
