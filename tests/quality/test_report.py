"""The HTML report: structure, drift numbers, escaping, bad input, lazy sources, a real browser."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import warnings
import zlib
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest

from mlprep.datasets import load_customers
from mlprep.exceptions import DataError, DataWarning, InvalidParameterError
from mlprep.outliers import OutlierHandler
from mlprep.quality import Baseline
from mlprep.quality._check import profile_distance
from mlprep.quality._distances import METHODS
from mlprep.quality._report import QualityReport, report
from mlprep.quality._svg import number

VOID = {
    "meta",
    "br",
    "hr",
    "img",
    "input",
    "link",
    "area",
    "base",
    "col",
    "source",
    "wbr",
}
SVG_EMPTY = {"rect", "line", "polyline", "path", "circle"}


class _Tree(HTMLParser):
    """Checks nesting and collects ids, links and details."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.links: list[str] = []
        self.details: list[dict[str, str | None]] = []
        self.errors: list[str] = []
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if "id" in found:
            self.ids.append(str(found["id"]))
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        if tag == "details":
            self.details.append(found)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in SVG_EMPTY | VOID:
            self.errors.append(f"self-closed <{tag}/>")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:]}")
            return
        self.stack.pop()


def _parse(text: str) -> _Tree:
    tree = _Tree()
    tree.feed(text)
    tree.close()
    assert tree.doctype.lower() == "doctype html"
    assert tree.errors == [] and tree.stack == []
    assert len(tree.ids) == len(set(tree.ids)), "duplicate ids"
    return tree


def _drifted(frame: pd.DataFrame) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    current = frame.copy()
    current["age"] = current["age"] + 6
    current["annual_income"] = current["annual_income"] * 1.3
    current.loc[rng.random(len(current)) < 0.3, "city"] = "Austin"
    current.loc[rng.random(len(current)) < 0.2, "avg_basket_value"] = np.nan
    return current


@pytest.fixture(scope="module")
def customers() -> pd.DataFrame:
    return load_customers()


@pytest.fixture(scope="module")
def full(
    customers: pd.DataFrame,
) -> tuple[QualityReport, Baseline, pd.DataFrame, OutlierHandler]:
    baseline = Baseline().fit(customers)
    current = _drifted(customers)
    handler = OutlierHandler(method="iqr", columns=["age", "annual_income"]).fit(
        current
    )
    order = np.random.default_rng(0).permutation(len(current))
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore", DataWarning
        )  # missing city values, reported in the page
        page = report(
            current,
            baseline=baseline,
            target="churned",
            outliers=handler,
            facet="city",
            split={"train": order[:350], "test": order[350:]},
            title="Customers vs baseline",
        )
    return page, baseline, current, handler


# ------------------------------------------------------------------ structure
def test_every_column_has_a_section_and_a_contents_link(full) -> None:
    page, _, current, _ = full
    tree = _parse(page.html)
    anchors = [f"c{i}" for i in range(current.shape[1])]
    assert [d["id"] for d in tree.details] == anchors
    for anchor in anchors:
        assert f"#{anchor}" in tree.links
    for name in current.columns:
        assert f">{name}<span" in page.html  # the section's summary
    assert page.columns == list(current.columns) and page.n_rows == len(current)


def test_chart_count(full) -> None:
    page, _, current, _ = full
    # per column: one missing bar + one chart (customer_id: all distinct, no chart);
    # split: one stacked bar chart; bias: CI and DPL bars
    expected = current.shape[1] * 2 - 1 + 1 + 2
    assert page.html.count("<svg") == expected
    assert page.html.count('class="fence"') == 4  # two fences on age and annual_income


def test_drift_numbers_equal_profile_distance(full, customers) -> None:
    page, baseline, current, _ = full
    fitted = (
        page.profile
    )  # the Baseline the page drew (KLL sketches: a refit differs a little)
    for name in current.columns:
        kind = baseline.constraints_[name]["inferred_type"]
        for method in METHODS:
            _, expected = profile_distance(
                baseline.partial_state_[name], fitted.partial_state_[name], kind, method
            )
            assert page.drift[name][method] == expected.value
            assert (
                f"<td>{method}</td><td class=n>{number(expected.value)}</td>"
                in page.html
            )
    assert page.drift["age"]["ks"] > 0.1 and page.drift["customer_id"]["ks"] == 0


def test_drift_report_equals_baseline_check(customers) -> None:
    small = customers.head(150)  # under the sketch size k: exact, so two fits agree
    baseline = Baseline().fit(customers.tail(150).reset_index(drop=True))
    page = report(small, baseline=baseline)
    assert page.drift_report.to_dict() == baseline.check(small).to_dict()
    assert not page.drift_report.ok


def test_violations_listed_at_the_top(full) -> None:
    page, _, _, _ = full
    checked = page.drift_report
    assert checked.violations
    for name, found in checked.drift.items():
        assert (
            page.drift[name][found["method"]] == found["value"]
            or found["value"] != found["value"]
        )
    top = page.html.index('id="violations"')
    assert top < page.html.index('id="contents"') < page.html.index('id="columns"')
    for violation in checked.violations:
        assert violation["check"] in page.html[top : page.html.index('id="contents"')]


def test_split_and_bias_sections(full) -> None:
    page, _, current, _ = full
    assert page.split["train"]["rows"] == 350 and page.split["test"]["rows"] == 150
    assert sum(page.split["train"]["classes"].values()) == 350
    assert {r["facet_value"] for r in page.bias} == set(current["city"].dropna())
    assert 'id="split"' in page.html and 'id="bias"' in page.html


def test_no_network_reference(full) -> None:
    page = full[0]
    text = page.html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    for needle in (
        "http://",
        "https://",
        "<link",
        "<script",
        "<img",
        "@import",
        "url(",
    ):
        assert needle not in text
    assert '<meta charset="utf-8">' in page.html


def test_deterministic(customers) -> None:
    small = customers.head(
        150
    )  # Baseline's KLL sketches are exact (and so repeatable) up to k values
    baseline = Baseline().fit(customers.tail(150))
    first = report(_drifted(small), baseline=baseline, target="churned").html
    assert report(_drifted(small), baseline=baseline, target="churned").html == first


def test_save_repr_and_notebook(full, tmp_path: Path) -> None:
    page = full[0]
    path = page.save(tmp_path / "out" / "report.html")
    assert path.read_text(encoding="utf-8") == page.html
    assert os.listdir(tmp_path / "out") == ["report.html"]
    assert repr(page).startswith(
        "QualityReport('Customers vs baseline': 500 rows, 11 columns"
    )
    assert page._repr_html_().startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')


def test_split_as_frames_equals_split_as_positions(customers) -> None:
    positions = {"a": np.arange(0, 300), "b": np.arange(300, 500)}
    frames = {k: customers.iloc[v] for k, v in positions.items()}
    by_rows = report(customers, target="churned", split=positions)
    by_frames = report(customers, target="churned", split=frames)
    assert by_rows.split == by_frames.split
    assert (
        by_rows.split["a"]["classes"]
        == customers["churned"][:300].value_counts().to_dict()
    )


def test_sections_collapse_above_twenty_columns_except_violations() -> None:
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({f"x{i}": rng.normal(size=200) for i in range(25)})
    baseline = Baseline().fit(frame)
    shifted = frame.copy()
    shifted["x3"] = shifted["x3"] + 5
    tree = _parse(report(shifted, baseline=baseline).html)
    opened = [d["id"] for d in tree.details if "open" in d]
    assert opened == ["c3"]
    few = _parse(report(frame.iloc[:, :5]).html)
    assert all("open" in d for d in few.details)


# ------------------------------------------------------------------ escaping
def test_user_strings_are_escaped() -> None:
    evil = "<script>alert(1)</script>"
    frame = pd.DataFrame(
        {
            evil: [1.0, 2.0, 3.0],
            "c": ['<img src=x onerror="alert(2)">', "a", "a"],
            "y": [0, 1, 1],
        }
    )
    baseline = Baseline().fit(frame)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        page = report(
            frame,
            baseline=baseline,
            target="y",
            facet="c",
            split={evil: [0, 1]},
            title=evil,
        )
    assert "<script" not in page.html and "<img" not in page.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.html
    _parse(page.html)


# ------------------------------------------------------------------ bad input
def test_awkward_columns_render() -> None:
    frame = pd.DataFrame(
        {
            "all_nan": [np.nan] * 4,
            "all_none": pd.Series([None] * 4, dtype=object),
            "constant": [7.0] * 4,
            "inf": [1.0, np.inf, -np.inf, 2.0],
            "mixed": [1, "a", 2.5, None],
            "flag": [True, False, True, True],
        }
    )
    page = report(
        frame,
        baseline=Baseline().fit(frame),
        outliers=OutlierHandler().fit(frame[["inf"]]),
    )
    tree = _parse(page.html)
    assert len(tree.details) == frame.shape[1]
    assert "no values" in page.html  # the all-NaN histogram
    assert "2 infinite value(s) off the axis" in page.html
    assert "nan" not in page.html.lower().replace("all_nan", "")


def test_single_row() -> None:
    frame = pd.DataFrame({"x": [3.0], "c": ["a"], "y": [1]})
    page = report(
        frame, target="y", facet="c", baseline=Baseline().fit(frame), split={"all": [0]}
    )
    _parse(page.html)
    assert page.n_rows == 1 and page.bias[0]["n_d"] == 1


def test_facet_with_one_value() -> None:
    frame = pd.DataFrame({"f": ["a"] * 6, "y": [0, 1, 0, 1, 1, 0]})
    page = report(frame, target="y", facet="f")
    assert page.bias[0]["CI"] == -1.0
    assert "facet a (the other rows) has no rows" in page.html


def test_label_with_one_class() -> None:
    ones = pd.DataFrame({"f": ["a", "b", "a", "b"], "y": [1, 1, 1, 1]})
    page = report(ones, target="y", facet="f")
    assert all(r["DPL"] == 0 for r in page.bias)
    zeros = ones.assign(y=0)
    with pytest.warns(DataWarning, match="label_value=1"):
        page = report(zeros, target="y", facet="f")
    assert all(r["DPL"] == 0 and r["TVD"] == 0 for r in page.bias)


def test_bias_that_cannot_be_computed_is_explained() -> None:
    frame = pd.DataFrame(
        {"f": ["a", "b"] * 20, "y": np.linspace(0, 1, 40)}
    )  # continuous label
    with pytest.warns(DataWarning, match="bias metrics are left out"):
        page = report(frame, target="y", facet="f")
    assert (
        page.bias is None and "Not computed" in page.html and "threshold" in page.html
    )


def test_errors_name_the_column() -> None:
    frame = pd.DataFrame({"x": [1.0, 2.0], "y": [0, 1]})
    with pytest.raises(DataError, match=r"target column 'label' .*\['x', 'y'\]"):
        report(frame, target="label")
    with pytest.raises(DataError, match="facet column 'sex'"):
        report(frame, target="y", facet="sex")
    with pytest.raises(InvalidParameterError, match="needs target"):
        report(frame, facet="x")
    with pytest.raises(DataError, match="split 'test' has row positions outside"):
        report(frame, split={"test": [0, 5]})
    with pytest.raises(DataError, match="split 'b' has no target column 'y'"):
        report(frame, target="y", split={"a": frame, "b": frame[["x"]]})
    with pytest.raises(InvalidParameterError, match="'baseline' parameter"):
        report(frame, baseline=Baseline())
    with pytest.raises(InvalidParameterError, match="'outliers' parameter"):
        report(frame, outliers=OutlierHandler())
    with pytest.raises(DataError, match="lazy source"):
        report(pl.LazyFrame({"x": [1.0]}), split={"a": [0]})


def test_input_not_mutated(customers) -> None:
    before = customers.copy()
    report(customers, target="churned", split={"a": np.arange(10)})
    pd.testing.assert_frame_equal(customers, before)


# ------------------------------------------------------------------ lazy sources
def test_lazy_source_gives_the_same_page(customers) -> None:
    eager = pl.from_pandas(customers.head(150))
    baseline = Baseline().fit(eager)
    lazy_page = report(
        eager.lazy(),
        baseline=baseline,
        target="churned",
        split={"a": eager.lazy().head(100)},
    )
    eager_page = report(
        eager, baseline=baseline, target="churned", split={"a": eager.head(100)}
    )
    assert lazy_page.html == eager_page.html
    classes = dict(eager.head(100)["churned"].value_counts().rows())
    assert lazy_page.split == {"a": {"rows": 100, "classes": classes}}


# ------------------------------------------------------------------ a real browser
def _png_pixels(data: bytes) -> bytes:
    """The decompressed (filtered) scanlines of a PNG: its IDAT chunks inflated."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, idat = 8, b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        if kind == b"IDAT":
            idat += data[position + 8 : position + 8 + length]
        position += 12 + length
    return zlib.decompress(idat)


@pytest.mark.skipif(
    shutil.which("chromium") is None, reason="chromium is not installed"
)
def test_renders_in_headless_chromium(full, tmp_path: Path) -> None:
    page = full[0]
    html_path = page.save(tmp_path / "report.html")
    png = tmp_path / "shot.png"
    subprocess.run(
        [
            str(shutil.which("chromium")), "--headless", "--disable-gpu", "--no-sandbox",
            f"--screenshot={png}", "--window-size=1280,1600",
            html_path.resolve().as_uri(),
        ],
        check=False, capture_output=True, timeout=120,
    )  # fmt: skip
    assert png.exists(), "chromium wrote no screenshot"
    pixels = _png_pixels(png.read_bytes())
    width = struct.unpack(">I", png.read_bytes()[16:20])[0]
    assert width == 1280
    rows = np.frombuffer(pixels, dtype=np.uint8)
    assert len(set(rows[1 : 1 + width * 3].tolist())) >= 1
    assert np.unique(rows).shape[0] > 16, "the screenshot is blank"
