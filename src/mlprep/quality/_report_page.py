"""The HTML of the data-quality report: the page, its sections and their tables."""

from __future__ import annotations

import html
import math
from typing import Any

import numpy as np

from mlprep._version import __version__
from mlprep.quality import _svg
from mlprep.quality._check import default_threshold, profile_distance
from mlprep.quality._distances import METHODS, THRESHOLDS, NumericSample, histogram

__all__ = ["Page"]

_COLLAPSE_ABOVE = 20
_BIAS_METRICS = ("CI", "DPL", "KL", "JS", "LP", "TVD", "KS", "CDDL")
_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0 auto;
max-width:1180px;padding:16px 24px;color:#222;background:#fff}
h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.2em;border-bottom:1px solid #ddd;
padding-bottom:4px;margin-top:1.6em}.meta{color:#555}
table{border-collapse:collapse;font-size:13px;margin:6px 0}
th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.bad{color:#b00020;font-weight:600}.ok{color:#2e7d32}.muted{color:#777}
.cards{display:flex;gap:12px;flex-wrap:wrap}.card{border:1px solid #ddd;border-radius:6px;
padding:8px 14px;min-width:110px}.card b{display:block;font-size:1.4em}
details{border:1px solid #ddd;border-radius:6px;margin:8px 0;padding:4px 10px}
details[open]{padding-bottom:10px}summary{cursor:pointer;font-weight:600;padding:4px 0}
summary .tag{font-weight:400;color:#555;margin-left:8px}
.row{display:flex;gap:24px;flex-wrap:wrap;align-items:flex-start}
.toc{columns:2 420px}.toc table{width:100%}.legend span{margin-right:14px}
.sw{display:inline-block;width:10px;height:10px;margin-right:4px}
"""


def _ordered(values: Any) -> list[Any]:
    present = [v for v in values if v is not None]
    try:
        present = sorted(present)
    except TypeError:
        present = sorted(present, key=repr)
    return present + ([None] if None in values else [])


def _class_name(value: Any) -> str:
    return "(missing)" if value is None else str(value)


# ------------------------------------------------------------------- page
class Page:
    """Renders the sections; keeps the per-column drift it computes."""

    def __init__(
        self, current: Any, baseline: Any, outliers: Any, max_categories: int, bins: int
    ):
        self.current = current
        self.baseline = baseline
        self.outliers = outliers
        self.max_categories = max_categories
        self.bins = bins
        self.drift: dict[str, dict[str, float]] = {}

    # -------------------------------------------------------------- document
    def render(
        self,
        title: str,
        drift_report: Any,
        split_summary: Any,
        target: str | None,
        bias: Any,
        bias_error: str | None,
        facet: str | None,
    ) -> str:
        esc = html.escape
        columns = [str(c) for c in self.current.columns_]
        flagged: dict[str, int] = {}
        for violation in drift_report.violations if drift_report is not None else []:
            flagged[str(violation["column"])] = (
                flagged.get(str(violation["column"]), 0) + 1
            )
        sections = [
            self.column(i, name, flagged.get(name, 0), len(columns))
            for i, name in enumerate(columns)
        ]
        head = (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{esc(title)}</title><style>{_STYLE}</style></head><body>"
        )
        parts = [
            head,
            f"<header><h1>{esc(title)}</h1>",
            self.cards(drift_report, len(columns)),
            "</header>",
        ]
        if drift_report is not None:
            parts.append(
                self.violations(drift_report, {n: i for i, n in enumerate(columns)})
            )
        parts.append(self.contents(columns, flagged, drift_report))
        if split_summary is not None:
            parts.append(self.split(split_summary, target))
        if facet is not None:
            parts.append(self.bias(bias, bias_error, facet, target))
        parts.append('<section id="columns"><h2>Columns</h2>')
        parts += sections
        parts.append(
            f'</section><footer class="muted"><p>mlprep {esc(__version__)} · '
            "self-contained page: no network, inline SVG</p></footer></body></html>\n"
        )
        return "".join(parts)

    def cards(self, drift_report: Any, n_columns: int) -> str:
        cards = [("rows", f"{self.current.n_rows_:,}"), ("columns", f"{n_columns:,}")]
        if self.baseline is not None:
            cards.append(("baseline rows", f"{self.baseline.n_rows_:,}"))
            cards.append(("violations", str(len(drift_report.violations))))
        body = "".join(
            f'<div class="card"><b>{html.escape(v)}</b>{k}</div>' for k, v in cards
        )
        return f'<div class="cards">{body}</div>'

    def violations(self, drift_report: Any, anchors: dict[str, int]) -> str:
        esc = html.escape
        if not drift_report.violations:
            return '<section id="violations"><h2>Checks</h2><p class="ok">No violation of the baseline\'s constraints.</p></section>'
        rows = []
        for v in drift_report.violations:
            name = str(v["column"])
            link = (
                f'<a href="#c{anchors[name]}">{esc(name)}</a>'
                if name in anchors
                else esc(name)
            )
            rows.append(
                f"<tr><td>{link}</td><td>{esc(str(v['check']))}</td><td class=n>{_svg.number(v['value'])}</td>"
                f"<td class=n>{_svg.number(v['threshold'])}</td><td>{esc(str(v['description']))}</td></tr>"
            )
        count = len(drift_report.violations)
        return (
            f'<section id="violations"><h2 class="bad">{count} violation{"s" * (count != 1)}</h2>'
            "<table><thead><tr><th>column</th><th>check</th><th class=n>value</th>"
            f"<th class=n>threshold</th><th>description</th></tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
        )

    def contents(
        self, columns: list[str], flagged: dict[str, int], drift_report: Any
    ) -> str:
        new = set(drift_report.new_columns) if drift_report is not None else set()
        rows = []
        for i, name in enumerate(columns):
            stats = self.current.statistics_[name]
            flag = (
                f'<span class="bad">⚠ {flagged[name]}</span>'
                if flagged.get(name)
                else ""
            )
            if name in new:
                flag += ' <span class="muted">new</span>'
            rows.append(
                f'<tr><td><a href="#c{i}">{html.escape(name)}</a></td><td>{stats["inferred_type"]}</td>'
                f"<td class=n>{_svg.percent(_missing_share(stats))}</td><td>{flag}</td></tr>"
            )
        return (
            '<section id="contents"><h2>Contents</h2><div class="toc"><table><thead><tr>'
            "<th>column</th><th>type</th><th class=n>missing</th><th>checks</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div></section>"
        )

    # ------------------------------------------------------------ one column
    def column(self, index: int, name: str, violations: int, n_columns: int) -> str:
        stats = self.current.statistics_[name]
        profile = self.current.partial_state_[name]
        reference = None
        if self.baseline is not None and name in self.baseline.partial_state_:
            reference = self.baseline.partial_state_[name]
        is_open = n_columns <= _COLLAPSE_ABOVE or violations > 0
        missing = _missing_share(stats)
        tag = f"{stats['inferred_type']} · {_svg.percent(missing)} missing"
        if violations:
            tag += f' · <span class="bad">⚠ {violations} violation{"s" * (violations != 1)}</span>'
        parts = [
            f'<details id="c{index}"{" open" if is_open else ""}><summary>{html.escape(name)}'
            f'<span class="tag">{tag}</span></summary><div class="row">'
        ]
        parts.append(self.stats_table(name, stats, missing))
        if stats["inferred_type"] == "String":
            parts.append(self.categories(name, profile, reference))
        else:
            parts.append(self.numeric(name, stats, profile, reference))
        if reference is not None:
            parts.append(self.distances(name, profile, reference))
        parts.append("</div></details>")
        return "".join(parts)

    def stats_table(self, name: str, stats: dict[str, Any], missing: float) -> str:
        ref = self.baseline.statistics_.get(name) if self.baseline is not None else None
        keys = ["num_present", "num_missing"]
        if stats["inferred_type"] == "String":
            keys += ["distinct_count"]
        else:
            keys += [
                "mean",
                "std_dev",
                "min",
                *(f"q{q}" for q in stats["quantiles"]),
                "max",
            ]

        def value(source: dict[str, Any] | None, key: str) -> str:
            if source is None:
                return ""
            if key.startswith("q"):
                return _svg.number(source.get("quantiles", {}).get(key[1:]))
            return _svg.number(source.get(key))

        head = (
            "<tr><th>statistic</th><th class=n>value</th>"
            + ("<th class=n>baseline</th>" if ref else "")
            + "</tr>"
        )
        rows = [
            f"<tr><td>missing share</td><td class=n>{_svg.share_bar(missing, label='missing')} {_svg.percent(missing)}</td>"
            + (f"<td class=n>{_svg.percent(_missing_share(ref))}</td>" if ref else "")
            + "</tr>"
        ]
        for key in keys:
            label = (
                f"{float(key[1:]):.0%} quantile"
                if key.startswith("q")
                else key.replace("_", " ")
            )
            rows.append(
                f"<tr><td>{label}</td><td class=n>{value(stats, key)}</td>"
                + (f"<td class=n>{value(ref, key)}</td>" if ref else "")
                + "</tr>"
            )
        return f"<table>{head}{''.join(rows)}</table>"

    def numeric(
        self, name: str, stats: dict[str, Any], profile: Any, reference: Any
    ) -> str:
        sample = NumericSample.from_sketch(profile["sketch"])
        ref_sample = None
        if reference is not None and reference["sketch"].count:
            ref_sample = NumericSample.from_sketch(reference["sketch"])
        finite = [
            s.values[np.isfinite(s.values)]
            for s in (sample, ref_sample)
            if s is not None
        ]
        finite = [f for f in finite if f.shape[0]]
        if not finite:
            return f"<div>{_svg.histogram([], [0.0, 1.0], label=f'{name}: no values')}</div>"
        low = float(min(f[0] for f in finite))
        high = float(max(f[-1] for f in finite))
        span = high - low
        fences: list[tuple[float, str]] = []
        bounds = self.outliers.bounds_.get(name) if self.outliers is not None else None
        if bounds is not None:
            for value, caption in zip(bounds, ("low", "high")):
                fences.append((float(value), f"{caption} {_svg.number(value)}"))
                if math.isfinite(value) and (
                    span == 0
                    or abs(value - (low if caption == "low" else high)) <= span / 2
                ):
                    low, high = min(low, float(value)), max(high, float(value))
        edges = _edges(low, high, self.bins, stats["inferred_type"] == "Integral")
        shares = (
            histogram(sample, edges)
            if not sample.empty
            else np.zeros(edges.shape[0] - 1)
        )
        ref_shares = histogram(ref_sample, edges) if ref_sample is not None else None
        chart = _svg.histogram(
            shares,
            edges,
            reference=ref_shares,
            fences=fences,
            label=f"histogram of {name}",
        )
        notes = []
        if ref_shares is not None:
            notes.append(_legend())
        off = sample.count - float(
            np.sum(
                sample.weights[
                    (sample.values >= edges[0]) & (sample.values <= edges[-1])
                ]
            )
        )
        if off > 0:
            notes.append(
                f'<p class="muted">{off:,.0f} infinite value(s) off the axis</p>'
            )
        if bounds is not None and not sample.empty:
            below = float(sample.cdf(np.nextafter(bounds[0], -np.inf)))
            above = 1.0 - float(sample.cdf(bounds[1]))
            notes.append(
                f"<p>Outside the fences [{_svg.number(bounds[0])}, {_svg.number(bounds[1])}]: "
                f"{_svg.percent(below + above)} (below {_svg.percent(below)}, above {_svg.percent(above)})</p>"
            )
        return f"<div>{chart}{''.join(notes)}</div>"

    def categories(self, name: str, profile: Any, reference: Any) -> str:
        counts = profile["values"].counts
        total = profile["values"].total
        if len(counts) > self.max_categories and max(counts.values()) <= 1:
            return (
                f'<p class="muted">All {len(counts):,} values are distinct (an identifier?): '
                "no chart.</p>"
            )
        ref_counts = reference["values"].counts if reference is not None else {}
        ref_total = reference["values"].total if reference is not None else 0
        share = {k: c / total for k, c in counts.items()} if total else {}
        ref_share = (
            {k: c / ref_total for k, c in ref_counts.items()} if ref_total else {}
        )
        keys = list(dict.fromkeys([*counts, *ref_counts]))
        keys.sort(
            key=lambda k: (-max(share.get(k, 0.0), ref_share.get(k, 0.0)), str(k))
        )
        shown, rest = keys[: self.max_categories], keys[self.max_categories :]
        labels = [str(k) for k in shown]
        current = [share.get(k, 0.0) for k in shown]
        ref = [ref_share.get(k, 0.0) for k in shown]
        if rest:
            labels.append(f"(other {len(rest):,})")
            current.append(sum(share.get(k, 0.0) for k in rest))
            ref.append(sum(ref_share.get(k, 0.0) for k in rest))
        chart = _svg.category_bars(
            labels,
            current,
            reference=ref if reference is not None else None,
            label=f"categories of {name}",
        )
        return f"<div>{chart}{_legend() if reference is not None else ''}</div>"

    def distances(self, name: str, profile: Any, reference: Any) -> str:
        kind = self.baseline.constraints_[name]["inferred_type"]
        stats = self.baseline.statistics_[name]
        found: dict[str, float] = {}
        rows = []
        for method in METHODS:
            with np.errstate(invalid="ignore"):  # ±inf values: a NaN distance
                _, distance = profile_distance(reference, profile, kind, method)
            value = distance.value if distance is not None else float("nan")
            error = distance.error if distance is not None else float("nan")
            found[method] = value
            if method == self.baseline.comparison_method:
                threshold = default_threshold(self.baseline, method, stats)
            elif method == "wasserstein":
                threshold = (
                    0.1 * stats["std_dev"] if stats.get("std_dev") else float("nan")
                )
            else:
                threshold = THRESHOLDS[method]
            over = not math.isnan(threshold) and value > threshold
            rows.append(
                f"<tr{' class=bad' if over else ''}><td>{method}</td><td class=n>{_svg.number(value)}</td>"
                f"<td class=n>{_svg.number(error)}</td><td class=n>{_svg.number(threshold)}</td></tr>"
            )
        self.drift[name] = found
        return (
            "<table><thead><tr><th>drift</th><th class=n>distance</th><th class=n>error bound</th>"
            f"<th class=n>threshold</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
        )

    # --------------------------------------------------------- split and bias
    def split(self, summary: dict[str, dict[str, Any]], target: str | None) -> str:
        esc = html.escape
        names = list(summary)
        total = sum(entry["rows"] for entry in summary.values()) or 1
        rows = "".join(
            f"<tr><td>{esc(n)}</td><td class=n>{summary[n]['rows']:,}</td>"
            f"<td class=n>{_svg.percent(summary[n]['rows'] / total)}</td></tr>"
            for n in names
        )
        parts = [
            '<section id="split"><h2>Split</h2><div class="row"><table><thead><tr><th>split</th>'
            f"<th class=n>rows</th><th class=n>share</th></tr></thead><tbody>{rows}</tbody></table>"
        ]
        if target is not None:
            union: dict[Any, int] = {}
            for entry in summary.values():
                for value, count in entry["classes"].items():
                    union[value] = union.get(value, 0) + count
            classes = _ordered(union)
            if len(classes) > self.max_categories:
                keep = sorted(classes, key=lambda v: (-union[v], str(v)))[
                    : self.max_categories - 1
                ]
                classes = [v for v in classes if v in keep]
            other = len(union) > len(classes)
            matrix = []
            for n in names:
                got = summary[n]["classes"]
                row = [got.get(v, 0) for v in classes]
                if other:
                    row.append(sum(c for v, c in got.items() if v not in classes))
                matrix.append(row)
            labels = [_class_name(v) for v in classes] + (["(other)"] if other else [])
            parts.append(
                f"<div><p>Shares of <b>{esc(target)}</b> per split</p>"
                f"{_svg.stacked_bars(names, labels, matrix, label=f'shares of {target} per split')}</div>"
            )
        parts.append("</div></section>")
        return "".join(parts)

    def bias(self, bias: Any, error: str | None, facet: str, target: str | None) -> str:
        esc = html.escape
        head = f'<section id="bias"><h2>Pre-training bias: {esc(str(target))} across {esc(facet)}</h2>'
        if bias is None:
            return (
                f'{head}<p class="bad">Not computed: {esc(error or "")}</p></section>'
            )
        metrics = [m for m in _BIAS_METRICS if any(m in r for r in bias)]
        header = "".join(f"<th class=n>{m}</th>" for m in metrics)
        rows = []
        for r in bias:
            cells = "".join(
                f"<td class=n>{_svg.number(r.get(m))}</td>" for m in metrics
            )
            reason = (
                f'<td class="muted">{esc(str(r["reason"]))}</td>'
                if r.get("reason")
                else "<td></td>"
            )
            rows.append(
                f"<tr><td>{esc(str(r['facet_d']))}</td><td class=n>{r['n_a']:,}</td>"
                f"<td class=n>{r['n_d']:,}</td>{cells}{reason}</tr>"
            )
        shown = sorted(bias, key=lambda r: -r["n_d"])[: self.max_categories]
        labels = [str(r["facet_value"]) for r in shown]
        charts = "".join(
            f"<div><p>{m}</p>{_svg.signed_bars(labels, [r[m] for r in shown], label=f'{m} per {facet} value')}</div>"
            for m in ("CI", "DPL")
        )
        return (
            f"{head}<p class=muted>Facet <i>d</i> is each value in turn, facet <i>a</i> the other rows "
            "(SageMaker Clarify's definitions).</p>"
            f"<table><thead><tr><th>facet d</th><th class=n>n_a</th><th class=n>n_d</th>{header}"
            f"<th>note</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
            f'<div class="row">{charts}</div></section>'
        )


def _legend() -> str:
    return (
        f'<p class="legend"><span><i class="sw" style="background:{_svg.CURRENT}"></i>data</span>'
        f'<span><i class="sw" style="background:{_svg.REFERENCE}"></i>baseline</span></p>'
    )


def _missing_share(stats: dict[str, Any]) -> float:
    rows = stats["num_present"] + stats["num_missing"]
    return stats["num_missing"] / rows if rows else float("nan")


def _edges(low: float, high: float, bins: int, integral: bool) -> np.ndarray:
    """Equal-width edges over [low, high]; one bin per value for narrow integer ranges."""
    if (
        integral
        and high - low < bins
        and float(low).is_integer()
        and float(high).is_integer()
    ):
        return np.arange(low - 0.5, high + 1.0, 1.0)
    if high <= low:
        pad = abs(low) * 0.05 or 0.5
        low, high = low - pad, high + pad
    return np.linspace(low, high, bins + 1)
