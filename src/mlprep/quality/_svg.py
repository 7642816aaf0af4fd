"""Small hand-made inline SVG charts for the data-quality report.

Every function returns one ``<svg>`` element as a string, with no external
reference (no fonts, images or scripts), every text escaped with
:func:`html.escape`, and every coordinate a finite number: NaN or infinite
shares are drawn as 0 and labelled ``n/a``, so a chart never carries ``nan``.
Bars are drawn to scale: a bar's length is its share divided by the largest
share of the chart, times the plot's length.

* :func:`histogram` — vertical bars of the current data, the reference as an
  orange step line over them, vertical fence lines (outlier bounds);
* :func:`category_bars` — horizontal bars per category, current above
  reference;
* :func:`stacked_bars` — one 100 % bar per row (split), one segment per class;
* :func:`signed_bars` — horizontal bars left or right of a zero line (bias
  metrics such as CI and DPL in [-1, 1]);
* :func:`share_bar` — a tiny bar for one share (missing values).
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = [
    "CURRENT",
    "REFERENCE",
    "category_bars",
    "histogram",
    "number",
    "percent",
    "share_bar",
    "signed_bars",
    "stacked_bars",
]

CURRENT = "#3b6fb6"
"""The colour of the data's bars."""
REFERENCE = "#e07b24"
"""The colour of the reference (baseline) overlay."""
FENCE = "#c0392b"
PALETTE = (
    "#3b6fb6", "#e07b24", "#3a9e5b", "#c0392b", "#8e6bbf",
    "#8c564b", "#d16ba5", "#7f7f7f", "#b5b82d", "#2bb3c0",
)  # fmt: skip
_FONT = 'font-family="sans-serif" font-size="11"'


def number(value: Any) -> str:
    """A number in at most 4 significant digits; ``"–"`` for None, NaN or no number.

    Examples
    --------
    >>> number(1234567.0), number(0.000123456), number(3), number(float("nan"))
    ('1.235e+06', '0.0001235', '3', '–')
    """
    if value is None or isinstance(value, bool):
        return "–" if value is None else str(value)
    try:
        x = float(value)
    except (TypeError, ValueError):
        return html.escape(str(value))
    if math.isnan(x):
        return "–"
    if math.isinf(x):
        return "∞" if x > 0 else "-∞"
    return f"{x:.4g}"


def percent(share: Any) -> str:
    """A share as a percentage with one decimal (``"–"`` when not a number).

    Examples
    --------
    >>> percent(0.1234), percent(1), percent(float("nan"))
    ('12.3%', '100.0%', '–')
    """
    x = _finite_or_nan(share)
    return "–" if math.isnan(x) else f"{100 * x:.1f}%"


def _finite_or_nan(value: Any) -> float:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return float("nan")
    return x if math.isfinite(x) else float("nan")


def _clean(values: Any) -> np.ndarray:
    """Shares as float64 with NaN, ±inf and negatives drawn as 0."""
    array = np.asarray(values, dtype=np.float64).ravel()
    return np.where(np.isfinite(array) & (array > 0), array, 0.0)


def _c(x: float) -> str:
    """A coordinate: one decimal, no trailing zeros."""
    text = f"{x:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _open(width: float, height: float, label: str) -> str:
    escaped = html.escape(label)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_c(width)}" '
        f'height="{_c(height)}" viewBox="0 0 {_c(width)} {_c(height)}" role="img" '
        f'aria-label="{escaped}"><title>{escaped}</title>'
    )


def _text(
    x: float, y: float, text: str, anchor: str = "start", fill: str = "#333"
) -> str:
    return (
        f'<text x="{_c(x)}" y="{_c(y)}" text-anchor="{anchor}" fill="{fill}" '
        f"{_FONT}>{html.escape(text)}</text>"
    )


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def histogram(
    shares: Any,
    edges: Any,
    *,
    reference: Any = None,
    fences: Sequence[tuple[float, str]] = (),
    label: str = "histogram",
    width: int = 420,
    height: int = 150,
) -> str:
    """Vertical bars of ``shares`` over the bins ``edges``, optionally with a reference and fences.

    Parameters
    ----------
    shares : sequence of float
        The share of each bin (``len(edges) - 1`` of them).
    edges : sequence of float
        Finite, increasing bin edges; the x axis spans ``edges[0]`` to
        ``edges[-1]``.
    reference : sequence of float or None
        Reference shares of the same bins, drawn as an orange step line.
    fences : sequence of (float, str)
        Vertical dashed lines at ``x`` with a caption; a fence outside the axis
        is drawn at the nearest end with ``◂``/``▸`` and its value.
    label : str
        The chart's accessible title.
    width, height : int
        Size in pixels.

    Returns
    -------
    str
        One ``<svg>`` element.

    Examples
    --------
    >>> svg = histogram([0.25, 0.75], [0.0, 1.0, 2.0])
    >>> svg.count('class="bar"'), "nan" in svg
    (2, False)
    """
    current = _clean(shares)
    edge_array = np.asarray(edges, dtype=np.float64)
    ref = _clean(reference) if reference is not None else None
    left, right, top, bottom = 8.0, 8.0, 16.0, 18.0
    plot_w, plot_h = width - left - right, height - top - bottom
    tallest = max(
        float(current.max(initial=0.0)),
        float(ref.max(initial=0.0)) if ref is not None else 0.0,
    )
    parts = [_open(width, height, label)]
    parts.append(
        f'<line x1="{_c(left)}" y1="{_c(top + plot_h)}" x2="{_c(left + plot_w)}" '
        f'y2="{_c(top + plot_h)}" stroke="#999"/>'
    )
    n = current.shape[0]
    if n == 0 or tallest <= 0:
        parts.append(_text(width / 2, top + plot_h / 2, "no values", "middle", "#777"))
        parts.append("</svg>")
        return "".join(parts)
    step = plot_w / n
    for i, share in enumerate(current):
        h = share / tallest * plot_h
        parts.append(
            f'<rect class="bar" x="{_c(left + i * step + 0.5)}" y="{_c(top + plot_h - h)}" '
            f'width="{_c(max(step - 1.0, 0.5))}" height="{_c(h)}" fill="{CURRENT}" '
            f'fill-opacity="0.8"><title>{html.escape(percent(share))}</title></rect>'
        )
    if ref is not None and ref.shape[0] == n:
        points = []
        for i, share in enumerate(ref):
            y = top + plot_h - share / tallest * plot_h
            points += [
                f"{_c(left + i * step)},{_c(y)}",
                f"{_c(left + (i + 1) * step)},{_c(y)}",
            ]
        parts.append(
            f'<polyline class="ref" points="{" ".join(points)}" fill="none" '
            f'stroke="{REFERENCE}" stroke-width="2"/>'
        )
    low, high = float(edge_array[0]), float(edge_array[-1])
    span = high - low if math.isfinite(high - low) and high > low else 1.0
    for x, caption in fences:
        value = _finite_or_nan(x)
        if math.isnan(value):
            continue
        where = (value - low) / span
        text = caption
        if where < 0:
            where, text = 0.0, f"◂ {caption}"
        elif where > 1:
            where, text = 1.0, f"{caption} ▸"
        px = left + where * plot_w
        parts.append(
            f'<line class="fence" x1="{_c(px)}" y1="{_c(top - 4)}" x2="{_c(px)}" '
            f'y2="{_c(top + plot_h)}" stroke="{FENCE}" stroke-dasharray="4 3"/>'
        )
        anchor = "start" if where < 0.5 else "end"
        parts.append(
            _text(px + (3 if anchor == "start" else -3), top - 5, text, anchor, FENCE)
        )
    parts.append(_text(left, height - 4, number(low)))
    parts.append(_text(left + plot_w, height - 4, number(high), "end"))
    parts.append(
        _text(
            left + plot_w / 2,
            height - 4,
            f"max bin {percent(tallest)}",
            "middle",
            "#777",
        )
    )
    parts.append("</svg>")
    return "".join(parts)


def category_bars(
    labels: Sequence[str],
    shares: Sequence[float],
    *,
    reference: Sequence[float] | None = None,
    label: str = "categories",
    width: int = 360,
) -> str:
    """Horizontal bars, one row per category: the data's share, and the reference's below it.

    Examples
    --------
    >>> svg = category_bars(["a", "<b>"], [0.5, 0.25], reference=[0.5, 0.5])
    >>> svg.count('class="bar"'), svg.count('class="ref"'), "&lt;b&gt;" in svg
    (2, 2, True)
    """
    current = _clean(shares)
    ref = _clean(reference) if reference is not None else None
    row = 26.0 if ref is not None else 16.0
    label_w, value_w = 120.0, 52.0
    plot_w = width - label_w - value_w
    height = 6.0 + row * max(len(labels), 1)
    tallest = max(
        float(current.max(initial=0.0)),
        float(ref.max(initial=0.0)) if ref is not None else 0.0,
    )
    parts = [_open(width, height, label)]
    if not labels:
        parts.append(_text(4, 14, "no values", fill="#777"))
    for i, name in enumerate(labels):
        y = 3.0 + i * row
        parts.append(_text(label_w - 4, y + 11, _short(str(name), 20), "end"))
        share = float(current[i]) if i < current.shape[0] else 0.0
        w = share / tallest * plot_w if tallest > 0 else 0.0
        parts.append(
            f'<rect class="bar" x="{_c(label_w)}" y="{_c(y + 2)}" width="{_c(w)}" '
            f'height="10" fill="{CURRENT}"><title>{html.escape(str(name))}: '
            f"{percent(share)}</title></rect>"
        )
        parts.append(_text(label_w + plot_w + 4, y + 11, percent(share)))
        if ref is not None:
            share_r = float(ref[i]) if i < ref.shape[0] else 0.0
            w_r = share_r / tallest * plot_w if tallest > 0 else 0.0
            parts.append(
                f'<rect class="ref" x="{_c(label_w)}" y="{_c(y + 13)}" width="{_c(w_r)}" '
                f'height="7" fill="{REFERENCE}"><title>reference: {percent(share_r)}'
                "</title></rect>"
            )
            parts.append(
                _text(label_w + plot_w + 4, y + 22, percent(share_r), fill=REFERENCE)
            )
    parts.append("</svg>")
    return "".join(parts)


def stacked_bars(
    rows: Sequence[str],
    classes: Sequence[str],
    shares: Any,
    *,
    label: str = "class shares",
    width: int = 480,
) -> str:
    """One 100 % bar per row, one segment per class, and a legend.

    ``shares[i][j]`` is the share of class ``j`` in row ``i``; each row is
    normalized to its sum (a row with no share is drawn empty, ``n/a``).

    Examples
    --------
    >>> svg = stacked_bars(["train", "test"], ["0", "1"], [[0.75, 0.25], [0.5, 0.5]])
    >>> svg.count('class="seg"')
    4
    """
    matrix = np.asarray(shares, dtype=np.float64).reshape(len(rows), len(classes))
    matrix = np.where(np.isfinite(matrix) & (matrix > 0), matrix, 0.0)
    label_w, bar_h, gap = 90.0, 16.0, 6.0
    plot_w = width - label_w - 8
    legend_rows = math.ceil(len(classes) / 4) if classes else 0
    height = 4 + len(rows) * (bar_h + gap) + legend_rows * 16 + 4
    parts = [_open(width, height, label)]
    for i, name in enumerate(rows):
        y = 4 + i * (bar_h + gap)
        parts.append(_text(label_w - 4, y + 12, _short(str(name), 14), "end"))
        total = float(matrix[i].sum())
        if total <= 0:
            parts.append(_text(label_w, y + 12, "n/a", fill="#777"))
            continue
        x = label_w
        for j, klass in enumerate(classes):
            share = float(matrix[i, j]) / total
            w = share * plot_w
            parts.append(
                f'<rect class="seg" x="{_c(x)}" y="{_c(y)}" width="{_c(w)}" '
                f'height="{_c(bar_h)}" fill="{PALETTE[j % len(PALETTE)]}">'
                f"<title>{html.escape(str(name))} · {html.escape(str(klass))}: "
                f"{percent(share)}</title></rect>"
            )
            if w > 34:
                parts.append(_text(x + w / 2, y + 12, percent(share), "middle", "#fff"))
            x += w
    y0 = 4 + len(rows) * (bar_h + gap)
    for j, klass in enumerate(classes):
        x = label_w + (j % 4) * (plot_w / 4)
        y = y0 + (j // 4) * 16
        parts.append(
            f'<rect x="{_c(x)}" y="{_c(y + 2)}" width="10" height="10" '
            f'fill="{PALETTE[j % len(PALETTE)]}"/>'
        )
        parts.append(_text(x + 14, y + 11, _short(str(klass), 16)))
    parts.append("</svg>")
    return "".join(parts)


def signed_bars(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    limit: float = 1.0,
    label: str = "metric",
    width: int = 360,
) -> str:
    """Horizontal bars left (negative) or right (positive) of a zero line, scaled to ``±limit``.

    Values beyond ``±limit`` are drawn at the limit; NaN values draw no bar and
    read ``–``.

    Examples
    --------
    >>> svg = signed_bars(["a", "b"], [0.5, -0.25])
    >>> svg.count('class="bar"')
    2
    """
    label_w, value_w, row = 110.0, 52.0, 16.0
    plot_w = width - label_w - value_w
    half = plot_w / 2
    zero = label_w + half
    height = 8.0 + row * max(len(labels), 1)
    parts = [_open(width, height, label)]
    parts.append(
        f'<line x1="{_c(zero)}" y1="2" x2="{_c(zero)}" y2="{_c(height - 2)}" stroke="#999"/>'
    )
    bound = limit if math.isfinite(limit) and limit > 0 else 1.0
    for i, name in enumerate(labels):
        y = 4.0 + i * row
        value = _finite_or_nan(values[i]) if i < len(values) else float("nan")
        parts.append(_text(label_w - 4, y + 11, _short(str(name), 18), "end"))
        if not math.isnan(value):
            w = min(abs(value), bound) / bound * half
            x = zero if value >= 0 else zero - w
            fill = CURRENT if value >= 0 else REFERENCE
            parts.append(
                f'<rect class="bar" x="{_c(x)}" y="{_c(y + 2)}" width="{_c(w)}" '
                f'height="10" fill="{fill}"><title>{html.escape(str(name))}: '
                f"{number(value)}</title></rect>"
            )
        parts.append(_text(label_w + plot_w + 4, y + 11, number(value)))
    parts.append("</svg>")
    return "".join(parts)


def share_bar(share: Any, *, width: int = 60, label: str = "share") -> str:
    """A tiny bar filled to ``share`` (clipped to [0, 1]; empty when not a number).

    Examples
    --------
    >>> share_bar(0.5).count('class="bar"'), 'width="30"' in share_bar(0.5)
    (1, True)
    """
    x = _finite_or_nan(share)
    x = 0.0 if math.isnan(x) else min(max(x, 0.0), 1.0)
    return (
        f"{_open(width, 8, f'{label}: {percent(share)}')}"
        f'<rect width="{width}" height="8" fill="#e6e6e6"/>'
        f'<rect class="bar" width="{_c(x * width)}" height="8" fill="{FENCE}"/></svg>'
    )
