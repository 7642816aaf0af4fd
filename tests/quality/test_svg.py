"""The report's SVG charts: bars drawn to scale, no NaN in the markup, text escaped."""

from __future__ import annotations

import math
import re
from xml.etree import ElementTree

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mlprep.quality import _svg

SVG = "{http://www.w3.org/2000/svg}"

shares_st = st.lists(
    st.one_of(
        st.floats(0, 1),
        st.just(0.0),
        st.just(float("nan")),
        st.just(float("inf")),
        st.just(-0.5),
    ),
    min_size=1,
    max_size=40,
)


def _rects(svg: str, cls: str) -> list[dict[str, float]]:
    root = ElementTree.fromstring(svg)  # also checks the SVG is well-formed XML
    return [
        {k: float(v) for k, v in r.attrib.items() if k in ("x", "y", "width", "height")}
        for r in root.iter(f"{SVG}rect")
        if r.get("class") == cls
    ]


def _drawn(values: list[float]) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return np.where(np.isfinite(array) & (array > 0), array, 0.0)


def _no_bad_numbers(svg: str) -> None:
    assert not re.search(r"nan|inf(?!o)", svg, flags=re.IGNORECASE), svg[:300]


@settings(max_examples=60, deadline=None)
@given(shares_st)
def test_histogram_bar_heights_are_proportional_to_shares(shares: list[float]) -> None:
    edges = np.linspace(0.0, 10.0, len(shares) + 1)
    svg = _svg.histogram(shares, edges)
    _no_bad_numbers(svg)
    drawn = _drawn(shares)
    bars = _rects(svg, "bar")
    if drawn.max() == 0:
        assert bars == [] and "no values" in svg
        return
    assert len(bars) == len(shares)
    plot_h = 150 - 16 - 18
    for bar, share in zip(bars, drawn):
        assert bar["height"] == pytest.approx(share / drawn.max() * plot_h, abs=0.051)


@settings(max_examples=40, deadline=None)
@given(shares_st, st.data())
def test_histogram_reference_and_fences_stay_finite(
    shares: list[float], data: st.DataObject
) -> None:
    reference = data.draw(
        st.lists(st.floats(0, 1), min_size=len(shares), max_size=len(shares))
    )
    fences = [
        (data.draw(st.floats(-100, 100) | st.just(float("nan"))), "low"),
        (data.draw(st.floats(-100, 100)), "high"),
    ]
    svg = _svg.histogram(
        shares, np.linspace(0, 1, len(shares) + 1), reference=reference, fences=fences
    )
    _no_bad_numbers(svg)
    tallest = max(_drawn(shares).max(), max(reference))
    if tallest > 0:
        assert svg.count('class="ref"') == 1
        assert svg.count('class="fence"') == sum(not math.isnan(x) for x, _ in fences)


@settings(max_examples=60, deadline=None)
@given(shares_st)
def test_category_bar_widths_are_proportional_to_shares(shares: list[float]) -> None:
    labels = [f"v{i}" for i in range(len(shares))]
    svg = _svg.category_bars(labels, shares, reference=shares[::-1])
    _no_bad_numbers(svg)
    drawn = _drawn(shares)
    tallest = max(drawn.max(), _drawn(shares[::-1]).max())
    plot_w = 360 - 120 - 52
    bars = _rects(svg, "bar")
    assert len(bars) == len(shares) and len(_rects(svg, "ref")) == len(shares)
    for bar, share in zip(bars, drawn):
        expected = share / tallest * plot_w if tallest > 0 else 0.0
        assert bar["width"] == pytest.approx(expected, abs=0.051)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        shares_st.map(lambda row: row[:3] + [0.0] * (3 - len(row[:3]))),
        min_size=1,
        max_size=5,
    )
)
def test_stacked_bars_fill_each_row_in_proportion(matrix: list[list[float]]) -> None:
    rows = [f"split{i}" for i in range(len(matrix))]
    svg = _svg.stacked_bars(rows, ["a", "b", "c"], matrix)
    _no_bad_numbers(svg)
    segments = _rects(svg, "seg")
    plot_w = 480 - 90 - 8
    position = 0
    for row in matrix:
        drawn = _drawn(row)
        if drawn.sum() == 0:
            continue
        widths = [s["width"] for s in segments[position : position + 3]]
        position += 3
        assert sum(widths) == pytest.approx(plot_w, abs=0.2)
        for width, share in zip(widths, drawn / drawn.sum()):
            assert width == pytest.approx(share * plot_w, abs=0.051)
    assert position == len(segments)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-3, 3) | st.just(float("nan")), min_size=1, max_size=12))
def test_signed_bars_go_left_for_negative_values(values: list[float]) -> None:
    labels = [f"f{i}" for i in range(len(values))]
    svg = _svg.signed_bars(labels, values)
    bars = _rects(svg, "bar")
    finite = [v for v in values if not math.isnan(v)]
    assert len(bars) == len(finite)
    zero = 110 + (360 - 110 - 52) / 2
    for bar, value in zip(bars, finite):
        assert bar["width"] == pytest.approx(
            min(abs(value), 1.0) * (zero - 110), abs=0.051
        )
        if value < 0:
            assert bar["x"] + bar["width"] == pytest.approx(zero, abs=0.11)
        else:
            assert bar["x"] == pytest.approx(zero, abs=0.051)
    assert "nan" not in svg


@given(
    st.one_of(
        st.floats(allow_nan=True, allow_infinity=True), st.none(), st.text(max_size=5)
    )
)
def test_share_bar_is_clipped_and_finite(share: object) -> None:
    svg = _svg.share_bar(share)
    width = _rects(svg, "bar")[0]["width"]
    assert 0 <= width <= 60
    assert "nan" not in svg.lower().replace("–", "")


def test_every_text_is_escaped() -> None:
    evil = "<script>alert(1)</script>"
    charts = [
        _svg.histogram([1.0], [0.0, 1.0], fences=[(0.5, evil)], label=evil),
        _svg.category_bars([evil], [1.0], label=evil),
        _svg.stacked_bars([evil], [evil], [[1.0]], label=evil),
        _svg.signed_bars([evil], [0.5], label=evil),
        _svg.share_bar(0.5, label=evil),
    ]
    for svg in charts:
        assert "<script" not in svg
        ElementTree.fromstring(svg)


def test_empty_inputs_draw_a_note() -> None:
    assert "no values" in _svg.histogram([], [0.0, 1.0])
    assert "no values" in _svg.category_bars([], [])
    assert "n/a" in _svg.stacked_bars(["train"], ["a"], [[float("nan")]])


def test_fence_off_the_axis_is_pinned_to_the_end() -> None:
    svg = _svg.histogram(
        [0.5, 0.5], [0.0, 1.0, 2.0], fences=[(-50.0, "low"), (99.0, "high")]
    )
    xs = [float(x) for x in re.findall(r'class="fence" x1="([\d.]+)"', svg)]
    assert xs == [8.0, 420 - 8.0]
    assert "◂ low" in svg and "high ▸" in svg


def test_number_and_percent() -> None:
    assert _svg.number(None) == "–" and _svg.number(float("-inf")) == "-∞"
    assert _svg.number("<b>") == "&lt;b&gt;"
    assert _svg.percent(0.5) == "50.0%" and _svg.percent(None) == "–"
