"""The ``mlprep`` command line, run as a real process (``mlprep`` and ``python -m mlprep``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import mlprep
from mlprep.datasets import load_customers

SCRIPT = Path(sys.executable).with_name("mlprep")
SPEC = {
    "steps": [
        {"class": "Imputer", "params": {"strategy": "median"}, "name": "impute"},
        {"class": "RobustScaler", "name": "scale"},
        {"class": "OneHotEncoder", "columns": ["city"]},
    ],
    "drop": ["customer_id", "signup_date"],
    "target": "churned",
}


def run(*args: str, module: bool = False, cwd: Path | None = None):
    command = [sys.executable, "-m", "mlprep"] if module else [str(SCRIPT)]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, cwd=cwd, env=env
    )


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    load_customers().to_csv(folder / "customers.csv", index=False)
    (folder / "spec.json").write_text(json.dumps(SPEC))
    return folder


def test_the_console_script_is_installed():
    assert SCRIPT.exists(), "pip install -e . installs the mlprep command"


@pytest.mark.parametrize("module", [False, True])
def test_help_lists_every_command_with_an_example(module):
    done = run("--help", module=module)
    assert done.returncode == 0
    for command in (
        "fit",
        "transform",
        "fit-transform",
        "merge",
        "inspect",
        "split",
        "check-leakage",
        "schema",
    ):
        assert command in done.stdout
        if not module:  # one process per command is enough
            sub = run(command, "--help")
            assert sub.returncode == 0 and f"mlprep {command}" in sub.stdout
            assert "example:" in sub.stdout and "exit codes" in sub.stdout


def test_version_and_a_bad_flag():
    assert run("--version").stdout.strip() == f"mlprep {mlprep.__version__}"
    bad = run("fit", "--spek", "x.json")
    assert bad.returncode == 2 and "required: --spec" in bad.stderr


@pytest.mark.slow
def test_split_fit_transform_and_check_leakage_end_to_end(work):
    split = run(
        "split",
        "--data",
        "customers.csv",
        "--method",
        "stratified",
        "--stratify",
        "churned",
        "--out",
        "splits",
        "--json",
        cwd=work,
    )
    assert split.returncode == 0, split.stderr
    parts = json.loads(split.stdout)["parts"]
    assert [parts[p]["rows"] for p in ("train", "validation", "test")] == [350, 100, 50]
    assert "rows" in split.stderr  # one log line per stage on stderr

    fit = run(
        "fit",
        "--spec",
        "spec.json",
        "--data",
        "splits/train.csv",
        "--out",
        "state.json",
        "--json",
        module=True,
        cwd=work,
    )
    assert fit.returncode == 0, fit.stderr
    assert json.loads(fit.stdout)["target"] == "churned"

    out = run(
        "transform",
        "--state",
        "state.json",
        "--data",
        "splits/test.csv",
        "--target",
        "churned",
        "--out",
        "out/test.csv",
        "--format",
        "sagemaker-csv",
        cwd=work,
    )
    assert out.returncode == 0, out.stderr
    written = np.loadtxt(work / "out" / "test.csv", delimiter=",")
    test = pd.read_csv(work / "splits" / "test.csv")
    np.testing.assert_array_equal(written[:, 0], test["churned"])  # target first
    state = mlprep.load(work / "state.json")
    expected = state.transform(test.drop(columns="churned")).to_numpy(dtype=float)
    np.testing.assert_allclose(written[:, 1:], expected)

    clean = run(
        "check-leakage",
        "--train",
        "splits/train.csv",
        "--test",
        "splits/test.csv",
        "--key",
        "customer_id",
        cwd=work,
    )
    assert clean.returncode == 0 and "no leakage found" in clean.stdout


@pytest.mark.slow
def test_the_leakage_gate_fails_a_leaky_split(work):
    leaky = run(
        "check-leakage",
        "--train",
        "customers.csv",
        "--test",
        "customers.csv",
        "--key",
        "customer_id",
        "--json",
        cwd=work,
    )
    assert leaky.returncode == 1
    report = json.loads(leaky.stdout)
    assert report["ok"] is False
    assert {p["kind"] for p in report["problems"]} == {"key", "duplicate"}
    table = run(
        "check-leakage",
        "--train",
        "customers.csv",
        "--test",
        "customers.csv",
        "--key",
        "customer_id",
        cwd=work,
    )
    assert table.returncode == 1 and "key" in table.stdout and "500" in table.stdout


@pytest.mark.slow
def test_fit_transform_writes_state_and_data(work):
    done = run(
        "fit-transform",
        "--spec",
        "spec.json",
        "--data",
        "customers.csv",
        "--state",
        "both.json",
        "--out",
        "both.parquet",
        cwd=work,
    )
    assert done.returncode == 0, done.stderr
    out = pd.read_parquet(work / "both.parquet")
    assert out.columns[0] == "churned" and len(out) == 500
    inspect = run("inspect", "both.json", "--json", cwd=work)
    steps = json.loads(inspect.stdout)["steps"]
    assert [s["name"] for s in steps][-3:] == [
        "impute",
        "scale",
        "onehotencoder",
    ] or len(steps) == 4


@pytest.mark.slow
def test_merge_of_shard_states(work):
    frame = load_customers()
    for i, shard in enumerate((frame[:250], frame[250:])):
        part = mlprep.StandardScaler(columns=["age", "annual_income"]).partial_fit(
            shard
        )
        mlprep.save(part, work / f"partial-{i}.json")
    done = run(
        "merge", "partial-0.json", "partial-1.json", "--out", "merged.json", cwd=work
    )
    assert done.returncode == 0, done.stderr
    merged = mlprep.load(work / "merged.json")
    np.testing.assert_allclose(
        [merged.mean_["age"], merged.mean_["annual_income"]],
        frame[["age", "annual_income"]].mean().to_numpy(),
    )
    full = mlprep.RobustScaler(columns=["age"]).fit(frame)  # exact: no state
    mlprep.save(full, work / "full.json")
    refused = run("merge", "full.json", "--out", "m.json", cwd=work)
    assert refused.returncode == 3 and "no partial state" in refused.stderr


@pytest.mark.slow
def test_a_staged_sharded_fit_equals_one_fit(work):
    """Every step partially fitted on two shards, merged, then the next step."""
    exact = {
        "steps": [
            {"class": "Imputer", "params": {"strategy": "mean"}},
            {"class": "StandardScaler"},
            {"class": "OneHotEncoder", "columns": ["city"]},
        ],
        "drop": ["customer_id", "signup_date"],
        "target": "churned",
    }
    (work / "exact.json").write_text(json.dumps(exact))
    frame = load_customers()
    shards = work / "shards"
    shards.mkdir()
    frame[:200].to_csv(shards / "a.csv", index=False)
    frame[200:].to_csv(shards / "b.csv", index=False)
    merged: list[str] = []
    for stage in range(4):  # drop, impute, scale, one-hot
        for host in ("a", "b"):
            done = run(
                "fit",
                "--partial",
                "--spec",
                "exact.json",
                "--data",
                f"shards/{host}.csv",
                "--out",
                f"stage{stage}-{host}.json",
                *(["--state", *merged] if merged else []),
                "--json",
                cwd=work,
            )
            assert done.returncode == 0, done.stderr
            assert json.loads(done.stdout)["steps_fitted"] == stage + 1
        merged = [f"stage{stage}-a.json", f"stage{stage}-b.json"]
    done = run("merge", *merged, "--out", "sharded.json", cwd=work)
    assert done.returncode == 0, done.stderr
    more = run(
        "fit",
        "--spec",
        "exact.json",
        "--data",
        "customers.csv",
        "--state",
        "sharded.json",
        "--out",
        "x.json",
        cwd=work,
    )
    assert more.returncode == 3 and "nothing left to fit" in more.stderr
    sharded = mlprep.load(work / "sharded.json")
    from mlprep.spec import build_pipeline

    whole = build_pipeline(exact).fit(frame.drop(columns="churned"), frame["churned"])
    X = frame.drop(columns="churned")
    np.testing.assert_allclose(
        sharded.transform(X).to_numpy(dtype=float),
        whole.transform(X).to_numpy(dtype=float),
        atol=1e-12,
    )


@pytest.mark.slow
def test_state_from_another_spec_is_refused(work):
    other = dict(SPEC, drop=["customer_id"])
    (work / "other.json").write_text(json.dumps(other))
    first = run(
        "fit",
        "--partial",
        "--spec",
        "other.json",
        "--data",
        "customers.csv",
        "--out",
        "o1.json",
        cwd=work,
    )
    assert first.returncode == 0, first.stderr
    done = run(
        "fit",
        "--spec",
        "spec.json",
        "--data",
        "customers.csv",
        "--state",
        "o1.json",
        "--out",
        "x.json",
        cwd=work,
    )
    assert done.returncode == 3 and "differs" in done.stderr


@pytest.mark.slow
def test_schema_is_json_schema():
    done = run("schema")
    assert done.returncode == 0
    assert "$schema" in json.loads(done.stdout)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (
            (
                "fit",
                "--spec",
                "absent.json",
                "--data",
                "customers.csv",
                "--out",
                "x.json",
            ),
            2,
            "absent.json",
        ),
        (
            ("fit", "--spec", "spec.json", "--data", "absent.csv", "--out", "x.json"),
            3,
            "absent.csv",
        ),
        (
            (
                "fit",
                "--spec",
                "spec.json",
                "--data",
                "customers.csv",
                "--target",
                "nope",
                "--out",
                "x.json",
            ),
            3,
            "'nope'",
        ),
        (("inspect", "absent.json"), 3, "absent.json"),
    ],
)
def test_errors_exit_with_their_code_and_one_line(work, args, code, said):
    done = run(*args, cwd=work)
    assert done.returncode == code
    assert said in done.stderr and "Traceback" not in done.stderr
    assert not (work / "x.json").exists()  # nothing half-written


@pytest.mark.slow
def test_a_bad_spec_names_the_step(work):
    bad = dict(SPEC, steps=[{"class": "RobustScaler", "params": {"quantile": [1, 99]}}])
    (work / "bad.json").write_text(json.dumps(bad))
    done = run(
        "fit",
        "--spec",
        "bad.json",
        "--data",
        "customers.csv",
        "--out",
        "x.json",
        cwd=work,
    )
    assert done.returncode == 2
    assert "quantile" in done.stderr and "bad.json" in done.stderr


@pytest.mark.slow
def test_a_streamed_fit_of_a_folder_equals_the_in_memory_fit(work):
    exact = {
        "steps": [
            {"class": "Imputer", "params": {"strategy": "mean"}},
            {"class": "StandardScaler"},
            {"class": "OneHotEncoder", "columns": ["city"]},
        ],
        "drop": ["customer_id", "signup_date"],
        "target": "churned",
    }
    (work / "stream-spec.json").write_text(json.dumps(exact))
    frame = load_customers()
    folder = work / "stream-shards"
    folder.mkdir()
    for i, start in enumerate(range(0, 500, 125)):
        frame[start : start + 125].to_csv(folder / f"part-{i}.csv", index=False)
    args = ("fit", "--spec", "stream-spec.json", "--data", "stream-shards")
    streamed = run(*args, "--stream", "--out", "streamed.json", cwd=work)
    assert streamed.returncode == 0, streamed.stderr
    assert "(streamed)" in streamed.stderr
    in_memory = run(*args, "--out", "in-memory.json", cwd=work)
    assert in_memory.returncode == 0, in_memory.stderr
    X = frame.drop(columns="churned")
    np.testing.assert_allclose(
        mlprep.load(work / "streamed.json").transform(X).to_numpy(dtype=float),
        mlprep.load(work / "in-memory.json").transform(X).to_numpy(dtype=float),
        atol=1e-12,
    )
