"""Progress bars on a terminal only; stage lines everywhere (real processes)."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest

from mlprep.datasets import load_customers

# each test starts real processes (seconds each): run by CI, skipped by plain pytest
pytestmark = pytest.mark.slow

pytest.importorskip("tqdm")

SPEC = {"steps": [{"class": "StandardScaler"}], "drop": ["customer_id", "signup_date"]}


@pytest.fixture
def job(tmp_path):
    folder = tmp_path / "shards"
    folder.mkdir()
    frame = load_customers()
    for i in range(4):
        frame[i * 125 : (i + 1) * 125].to_csv(folder / f"part-{i}.csv", index=False)
    (tmp_path / "spec.json").write_text(json.dumps(SPEC))
    return tmp_path, [
        sys.executable,
        "-m",
        "mlprep",
        "fit",
        "--stream",
        "--spec",
        "spec.json",
        "--data",
        "shards",
        "--target",
        "churned",
        "--out",
        "state.json",
    ]


def test_a_terminal_gets_a_bar_of_rows(job):
    folder, command = job
    parent, child = pty.openpty()
    done = subprocess.run(command, cwd=folder, stderr=child, stdout=subprocess.DEVNULL)
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(parent, 4096)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(parent)
    shown = b"".join(chunks).decode()
    assert done.returncode == 0
    # tqdm's bar over 500 rows x 2 streamed steps (drop, scale) reached its total
    assert "100%" in shown and "1.00k/1.00k" in shown and "rows/s" in shown
    assert "mlprep fit: fit (streamed) 2 step(s) in" in shown  # and the stage line


def test_a_log_file_gets_only_stage_lines(job):
    folder, command = job
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "%|" not in done.stderr and "\r" not in done.stderr
    assert done.stderr.splitlines()[-1].startswith("mlprep fit: saved state.json in")
