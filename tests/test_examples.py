"""Every script in examples/ runs, declares what it needs, and prints only true claims.

The README's first command runs one; the others are what a newcomer copies.
Each script's docstring names the extras it needs in its ``pip install``
line: every package it imports must come with mlprep or with one of those
extras. The quickstart's sentences about skewness are checked against
scipy's skewness of the same columns.
"""

import ast
import importlib.metadata
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from scipy import stats

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.py"))
BY_NAME = {path.name: path for path in EXAMPLES}
# `pip install ".[a,b]"`, `pip install 'mlprep-kit[a]'` (any quoting)
EXTRAS = re.compile(r"pip install [\"']?(?:\.|mlprep-kit)\[([a-z0-9_,\s-]+)\]")


def test_there_are_examples():
    assert any(path.name == "quickstart.py" for path in EXAMPLES)


@pytest.mark.slow
@pytest.mark.parametrize("script", EXAMPLES, ids=[path.name for path in EXAMPLES])
def test_example_runs(script):
    result = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip(), "an example should print what it did"


# ---------------------------------------------------------------- dependencies


def _imported_packages(source: str) -> set[str]:
    """Top-level names of every absolute import, wherever it stands."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _named_extras(source: str) -> set[str]:
    doc = ast.get_docstring(ast.parse(source)) or ""
    return {
        extra.strip() for group in EXTRAS.findall(doc) for extra in group.split(",")
    }


def _distributions(extras: set[str]) -> set[str]:
    """mlprep-kit's own requirements plus those of ``extras`` (normalized names)."""
    requirements = [
        Requirement(text) for text in importlib.metadata.requires("mlprep-kit") or []
    ]
    declared = set(
        importlib.metadata.metadata("mlprep-kit").get_all("Provides-Extra") or []
    )
    unknown = extras - declared
    assert not unknown, (
        f"the docstring names extras mlprep-kit lacks: {sorted(unknown)}"
    )
    wanted = set()
    for requirement in requirements:
        marker = requirement.marker
        if marker is None or any(marker.evaluate({"extra": extra}) for extra in extras):
            wanted.add(canonicalize_name(requirement.name))
    return wanted


def _undeclared(source: str) -> dict[str, list[str]]:
    """Imported packages that neither mlprep nor the named extras install."""
    providers = importlib.metadata.packages_distributions()
    allowed = _distributions(_named_extras(source))
    missing = {}
    for name in sorted(_imported_packages(source)):
        if name in sys.stdlib_module_names or name == "mlprep":
            continue
        dists = [canonicalize_name(dist) for dist in providers.get(name, [name])]
        if not allowed.intersection(dists):
            missing[name] = dists
    return missing


@pytest.mark.parametrize("script", EXAMPLES, ids=[path.name for path in EXAMPLES])
def test_example_needs_only_mlprep_and_the_extras_it_names(script):
    missing = _undeclared(script.read_text(encoding="utf-8"))
    assert not missing, (
        f"{script.name} imports {missing} (package: distributions) that mlprep-kit "
        "does not install: name the extra in the docstring's `pip install` line, "
        "or drop the import"
    )


def test_an_undeclared_import_is_caught():
    source = '"""Run:  pip install . && python x.py"""\nfrom imblearn.pipeline import Pipeline\n'
    assert set(_undeclared(source)) == {"imblearn"}
    with_extra = source.replace("pip install .", "pip install '.[balance]'")
    assert _undeclared(with_extra) == {}


def test_an_extra_that_does_not_exist_is_caught():
    source = '"""Run:  pip install ".[imbalance]" && python x.py"""\nimport numpy\n'
    with pytest.raises(AssertionError, match="imbalance"):
        _undeclared(source)


# ------------------------------------------------------------------ quickstart


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        f"example_{name}", BY_NAME[f"{name}.py"]
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def quickstart() -> ModuleType:
    return _load("quickstart")


def _skew(values: pd.Series) -> float:
    """scipy's bias-corrected sample skewness (what pandas' ``skew`` computes)."""
    return float(stats.skew(values.dropna().to_numpy(float), bias=False))


def _claims(sentences: list[str], skewed: list[str]) -> dict[str, str]:
    """Column -> "symmetric" or "skewed", as the sentences state it."""
    claims = {}
    for sentence in sentences:
        for name in skewed:
            if re.search(rf"\b{name} \(", sentence):
                assert name not in claims, f"{name} is described twice"
                claims[name] = (
                    "symmetric" if "roughly symmetric" in sentence else "skewed"
                )
    return claims


def test_quickstart_skew_sentences_are_true(quickstart):
    train, test, prepared, pipeline = quickstart.prepare()
    lambdas = pipeline.steps[2][1].lambdas_
    sentences = quickstart.skew_sentences(test, prepared, train, lambdas)
    claims = _claims(sentences, quickstart.SKEWED)
    assert set(claims) == set(quickstart.SKEWED), sentences
    for name, claim in claims.items():
        before, after = _skew(test[name]), _skew(prepared[name])
        text = f"{before:.2f} -> {after:.2f}"
        assert any(f"{name} ({text})" in sentence for sentence in sentences), (
            name,
            text,
        )
        if claim == "symmetric":
            assert abs(after) < quickstart.SYMMETRIC < abs(before)
        else:
            assert abs(after) >= quickstart.SYMMETRIC
    for name in quickstart.STANDARDIZED:  # a linear rescaling keeps the skewness
        assert _skew(prepared[name]) == pytest.approx(
            _skew(test[name].fillna(train[name].median())), abs=1e-9
        )


def test_quickstart_does_not_claim_account_balance_was_made_symmetric(quickstart):
    # the caption that was printed before said every skewed column was pulled
    # towards symmetry; account_balance's skew only went from 3.52 to 2.85
    train, test, prepared, pipeline = quickstart.prepare()
    sentences = quickstart.skew_sentences(
        test, prepared, train, pipeline.steps[2][1].lambdas_
    )
    assert _claims(sentences, quickstart.SKEWED)["account_balance"] == "skewed"
    assert abs(_skew(prepared["account_balance"])) > 2


@st.composite
def _skew_tables(draw: st.DrawFn, columns: list[str]) -> tuple[pd.DataFrame, ...]:
    n = draw(st.integers(5, 30))
    seeds = st.integers(0, 2**32 - 1)
    rng = np.random.default_rng(draw(seeds))
    shapes = draw(
        st.lists(st.floats(0.2, 3.0), min_size=len(columns), max_size=len(columns))
    )
    before = pd.DataFrame({c: rng.gamma(k, 1.0, n) for c, k in zip(columns, shapes)})
    after = pd.DataFrame(
        {
            c: draw(st.sampled_from([np.log1p, np.sqrt, lambda v: v]))(before[c])
            for c in columns
        }
    )
    train = before - draw(st.floats(0.0, 2.0))  # some rows turn negative
    return before, after, train


@given(data=st.data())
def test_skew_sentences_describe_every_column_once_and_truly(quickstart, data):
    columns = quickstart.SKEWED + quickstart.STANDARDIZED
    before, after, train = data.draw(_skew_tables(columns))
    lambdas = {name: data.draw(st.floats(-2.0, 3.0)) for name in quickstart.SKEWED}
    sentences = quickstart.skew_sentences(before, after, train, lambdas)
    claims = _claims(sentences, quickstart.SKEWED)
    assert set(claims) == set(quickstart.SKEWED)
    for name, claim in claims.items():
        symmetric = abs(after[name].skew()) < quickstart.SYMMETRIC
        assert (claim == "symmetric") == symmetric, (name, sentences)
    assert all(name in sentences[-1] for name in quickstart.STANDARDIZED)
