"""``import mlprep`` loads nothing heavy; every public name still resolves on first use."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import mlprep
from mlprep.core._registry import FAMILIES


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return done.stdout


def test_import_mlprep_loads_no_family_and_no_heavy_library():
    loaded = json.loads(
        _run("import json, sys, mlprep; print(json.dumps(sorted(sys.modules)))")
    )
    assert [m for m in loaded if m.startswith("mlprep")] == [
        "mlprep",
        "mlprep._version",
    ]
    for heavy in (
        "sklearn",
        "numpy",
        "pandas",
        "polars",
        "pyarrow",
        "scipy",
        "narwhals",
    ):
        assert heavy not in loaded


def test_a_family_loads_on_first_use_and_only_then():
    loaded = json.loads(
        _run(
            "import json, sys, mlprep\n"
            "mlprep.StandardScaler\n"
            "print(json.dumps(sorted(m for m in sys.modules if m.startswith('mlprep.'))))"
        )
    )
    assert "mlprep.scale" in loaded
    assert not {"mlprep.text", "mlprep.balance", "mlprep.timeseries"} & set(loaded)


@pytest.mark.parametrize("name", mlprep.__all__)
def test_every_public_name_resolves(name):
    assert getattr(mlprep, name) is not None
    assert name in dir(mlprep)


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no attribute 'StandardScalar'"):
        mlprep.StandardScalar  # noqa: B018


def test_load_imports_the_families_a_file_names(tmp_path):
    from sklearn.pipeline import make_pipeline

    from mlprep.datasets import load_customers

    X = load_customers()[["age", "city"]]
    pipeline = make_pipeline(
        mlprep.Imputer(strategy="median", columns=["age"]),
        mlprep.OneHotEncoder(columns=["city"]),
    ).fit(X)
    path = tmp_path / "pipeline.json"
    mlprep.save(pipeline, path)
    names = _run(
        "import sys, mlprep\n"
        f"mlprep.load({str(path)!r})\n"
        "print(sorted(m for m in ('mlprep.impute', 'mlprep.encode', 'mlprep.text') "
        "if m in sys.modules))"
    )
    assert names.strip() == "['mlprep.encode', 'mlprep.impute']"


def test_the_registry_lists_every_family():
    from mlprep.core._registry import registered

    families = {
        name.split(".")[1] for name in registered() if name.startswith("mlprep.")
    }
    assert set(FAMILIES) <= families
