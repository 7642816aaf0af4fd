"""What a newcomer meets first: the README and the docs site's configuration.

Every ```python block of README.md runs, in order and in one namespace, as
cells of one notebook would, in a fresh folder; the numbers its comments
state are measured. Its links point at files of the repository, and CI runs
the test command it shows. The docs site includes CHANGELOG.md instead of a
stub, loads no web fonts, and has an API reference page in its navigation for
every public module.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
# the public modules; each has a page under docs/api/
MODULES = [
    "impute",
    "outliers",
    "scale",
    "encode",
    "timeseries",
    "text",
    "split",
    "balance",
    "select",
    "quality",
    "state",
    "io",
    "spec",
    "datasets",
    "testing",
    "exceptions",
]


def _blocks(text: str, language: str) -> list[str]:
    return [body for lang, body in FENCE.findall(text) if lang == language]


def _readme() -> str:
    return README.read_text(encoding="utf-8")


def test_blocks_are_found():
    text = "a\n```python\nx = 1\n```\n\n```sh\nls\n```\n```python\ny = 2\n```\n"
    assert _blocks(text, "python") == ["x = 1\n", "y = 2\n"]
    assert _blocks(text, "sh") == ["ls\n"]


@pytest.fixture(scope="module")
def readme_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The folder it ran in and the namespace after every python block, in order."""
    blocks = _blocks(_readme(), "python")
    assert len(blocks) >= 2, (
        "the README shows a notebook and a larger-than-memory block"
    )
    folder = tmp_path_factory.mktemp("readme")
    namespace: dict[str, Any] = {"__name__": "__readme__"}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        for number, block in enumerate(blocks, start=1):
            code = compile(block, f"README.md python block {number}", "exec")
            exec(code, namespace)
    return folder, namespace


@pytest.fixture
def notebook(readme_run: tuple[Path, dict[str, Any]]) -> dict[str, Any]:
    return readme_run[1]


def test_the_notebook_block_runs_on_the_bundled_data(notebook):
    train, test = notebook["train"], notebook["test"]
    train_ready, test_ready = notebook["train_ready"], notebook["test_ready"]
    assert len(train) + len(test) == 500
    assert list(train_ready.columns) == list(train.columns)
    assert test_ready.index.equals(test.index)
    numeric = test_ready.select_dtypes("number").columns
    assert not test_ready[numeric].isna().any().any(), "the imputer fills every gap"
    assert test_ready["city"].notna().all()


def test_the_reloaded_pipeline_transforms_alike(readme_run):
    # the first block saves and reloads `prep`; the second refits it on shards,
    # so compare the saved file with the first block's output
    from mlprep import load

    folder, notebook = readme_run
    saved = load(folder / "prep.json")
    pd.testing.assert_frame_equal(
        saved.transform(notebook["test"]), notebook["test_ready"]
    )


def test_the_skew_the_readme_states_is_measured(notebook):
    block = _blocks(_readme(), "python")[0]
    line = next(
        line for line in block.splitlines() if "PowerTransformer(columns=" in line
    )
    columns = re.search(r"columns=\[([^\]]*)\]", line)
    claim = re.search(r"# skew ([-\d., ]+) -> ([-\d., ]+)$", line)
    assert columns and claim, (
        f"expected columns and a '# skew a, b -> c, d' comment: {line}"
    )
    names = [name.strip().strip("\"'") for name in columns.group(1).split(",")]
    before = [float(value) for value in claim.group(1).split(",")]
    after = [float(value) for value in claim.group(2).split(",")]
    test, test_ready = notebook["test"], notebook["test_ready"]
    for name, stated_before, stated_after in zip(names, before, after, strict=True):
        assert test[name].skew() == pytest.approx(stated_before, abs=0.051), name
        assert test_ready[name].skew() == pytest.approx(stated_after, abs=0.051), name
        assert abs(test_ready[name].skew()) < abs(test[name].skew())


def test_the_larger_than_memory_block_streams_and_merges(readme_run):
    import polars as pl

    folder, notebook = readme_run
    ready = pl.read_parquet(folder / "ready.parquet")
    assert ready.height == len(notebook["test"])
    assert sorted(path.name for path in (folder / "data" / "train").iterdir()) == [
        "part-0.parquet",
        "part-1.parquet",
        "part-2.parquet",
    ]
    merged, whole = notebook["imputer"], notebook["prep"].steps[0][1]
    assert set(merged.statistics_) == set(whole.statistics_)
    train = notebook["train"]
    for name, value in merged.statistics_.items():
        # a sketch's median lies between the exact 45th and 55th percentiles here
        low, high = train[name].quantile([0.45, 0.55])
        assert low <= value <= high, name


def test_the_two_commands_are_shown_and_ci_runs_the_second():
    commands = [block.strip() for block in _blocks(_readme(), "sh")]
    assert "pip install . && python -m mlprep demo" in commands
    assert 'pip install ".[test]" && pytest' in commands
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r'^pip install "\.\[test\]" && pytest$', ci, re.MULTILINE)


def test_ci_runs_the_tests_the_everyday_run_leaves_out(pytestconfig):
    addopts = pytestconfig.getini("addopts")
    assert addopts[addopts.index("-m") + 1] == "not slow"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    setting = re.search(r"^export PYTEST_ADDOPTS=(.+)$", ci, re.MULTILINE)
    assert setting, ".ci/run must clear the marker selection for CI"
    # read after addopts, the last -m wins: an empty one selects every test
    assert shlex.split(shlex.split(setting.group(1))[0]) == ["-m", ""]


def test_readme_links_point_at_files_of_the_repository():
    text = _readme()
    assert "DESIGN.md" not in text, "DESIGN.md is not in the repository"
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    local = [target for target in targets if "://" not in target]
    assert "docs/architecture.md" in local
    missing = [target for target in local if not (ROOT / target).exists()]
    assert not missing, f"README links to files that do not exist: {missing}"


# ------------------------------------------------------------------ docs site


def _mkdocs() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


def _nav_pages(nav: Any) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, list):
        return [page for item in nav for page in _nav_pages(item)]
    if isinstance(nav, dict):
        return [page for value in nav.values() for page in _nav_pages(value)]
    return []


def test_the_site_loads_no_web_fonts():
    assert _mkdocs()["theme"].get("font") is False, (
        "mkdocs-material loads Google Fonts unless theme.font is false"
    )


def test_the_changelog_page_is_the_changelog():
    page = (ROOT / "docs" / "changelog.md").read_text(encoding="utf-8")
    assert re.search(r'^--8<-- "CHANGELOG.md"$', page, re.MULTILINE)
    extensions = _mkdocs()["markdown_extensions"]
    snippets = next(
        item["pymdownx.snippets"]
        for item in extensions
        if isinstance(item, dict) and "pymdownx.snippets" in item
    )
    assert snippets["check_paths"] is True, "a missing CHANGELOG.md must fail the build"
    assert (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").startswith("# Changelog")


@pytest.mark.parametrize("module", MODULES)
def test_every_public_module_has_an_api_page_in_the_nav(module):
    page = ROOT / "docs" / "api" / f"{module}.md"
    assert page.exists(), f"docs/api/{module}.md is missing"
    assert re.search(
        rf"^::: mlprep\.{module}$", page.read_text(encoding="utf-8"), re.MULTILINE
    )
    assert f"api/{module}.md" in _nav_pages(_mkdocs()["nav"])


def test_the_api_pages_cover_the_readme_table():
    listed = set(re.findall(r"^\| `mlprep\.(\w+)` \|", _readme(), re.MULTILINE))
    assert listed, "the README's table of modules"
    assert listed <= set(MODULES), sorted(listed - set(MODULES))


def test_the_api_reference_documents_the_top_level_functions():
    page = (ROOT / "docs" / "api" / "mlprep.md").read_text(encoding="utf-8")
    for name in ("save", "load", "merge"):
        assert re.search(rf"^      heading: mlprep\.{name}$", page, re.MULTILINE), name
