"""The data-quality report: statistics, distributions, drift, split balance and bias as one HTML page."""

from __future__ import annotations

import html
import math
import os
from collections.abc import Mapping
from numbers import Integral
from pathlib import Path
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import (
    Constraint,
    InstanceOf,
    Interval,
    NoneOK,
    Predicate,
    plain_value,
    take_rows,
    validate_params,
)
from mlprep.core._atomic import write_bytes_atomic
from mlprep.core._sources import as_polars_lazy, source_kind
from mlprep.core._warnings import warn_data
from mlprep.exceptions import DataError, InvalidParameterError
from mlprep.quality._baseline import Baseline
from mlprep.quality._bias import pretraining_bias
from mlprep.quality._check import check_against, describe
from mlprep.quality._report_page import Page

__all__ = ["QualityReport", "report"]

_OWNER = "report"


class QualityReport:
    """A rendered data-quality report: one self-contained HTML page.

    Made by :func:`report`. The page has no external reference (inline CSS
    and SVG only), so it opens offline and can be mailed or archived.

    Attributes
    ----------
    html : str
        The page.
    title : str
    n_rows, n_columns : int
        Rows and columns of the data described.
    columns : list of str
    drift_report : DriftReport or None
        ``baseline.check(data)`` when a baseline was given.
    drift : dict
        Column name to ``{method: value}`` for the five distances (with a
        baseline), else empty.
    bias : list of dict or None
        :func:`~mlprep.quality._bias.pretraining_bias` per facet value, when
        ``facet`` and ``target`` were given and the metrics could be computed.
    split : dict or None
        Split name to ``{"rows": int, "classes": {value: count}}``.
    profile : Baseline
        The baseline fitted on the data, whose statistics and profiles the
        page draws.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.quality._report import report
    >>> page = report(pd.DataFrame({"x": [1.0, 2.0, 4.0], "c": ["a", "b", "a"]}))
    >>> page
    QualityReport('Data quality report': 3 rows, 2 columns, ...)
    >>> page.html.startswith("<!DOCTYPE html>"), page.html.count("<details")
    (True, 2)
    """

    def __init__(self, html_text: str, **summary: Any) -> None:
        self.html = html_text
        self.title: str = summary["title"]
        self.n_rows: int = summary["n_rows"]
        self.columns: list[str] = summary["columns"]
        self.n_columns = len(self.columns)
        self.drift_report = summary.get("drift_report")
        self.drift: dict[str, dict[str, float]] = summary.get("drift", {})
        self.bias: list[dict[str, Any]] | None = summary.get("bias")
        self.split: dict[str, dict[str, Any]] | None = summary.get("split")
        self.profile: Baseline = summary["profile"]

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to ``path`` (UTF-8) atomically; returns the path.

        The page is written to a temporary file in the same folder and renamed,
        so a failure never leaves a half-written report.
        """
        write_bytes_atomic(path, self.html.encode("utf-8"))
        return Path(path)

    def _repr_html_(self) -> str:
        """The page in an ``<iframe srcdoc>``, so its styles stay out of the notebook's."""
        return (
            f'<iframe srcdoc="{html.escape(self.html, quote=True)}" '
            'style="width:100%;height:720px;border:1px solid #ddd"></iframe>'
        )

    def __repr__(self) -> str:
        parts = [f"{self.n_rows} rows", f"{self.n_columns} columns"]
        if self.drift_report is not None:
            count = len(self.drift_report.violations)
            parts.append(f"{count} violation{'s' * (count != 1)}")
        if self.bias is not None:
            parts.append(f"bias for {len(self.bias)} facet value(s)")
        if self.split is not None:
            parts.append(f"{len(self.split)} splits")
        parts.append(f"{len(self.html.encode('utf-8')) / 1024:.0f} kB")
        return f"QualityReport({self.title!r}: {', '.join(parts)})"


def _is_fitted_handler(value: Any) -> bool:
    return isinstance(getattr(value, "bounds_", None), Mapping)


def _is_fitted_baseline(value: Any) -> bool:
    return isinstance(value, Baseline) and hasattr(value, "partial_state_")


_CONSTRAINTS: dict[str, list[Constraint]] = {
    "target": [NoneOK, InstanceOf(str, "a column name (str)")],
    "facet": [NoneOK, InstanceOf(str, "a column name (str)")],
    "baseline": [NoneOK, Predicate(_is_fitted_baseline, "a fitted Baseline")],
    "split": [
        NoneOK,
        InstanceOf(Mapping, "a mapping of split name to frame or row positions"),
    ],
    "outliers": [NoneOK, Predicate(_is_fitted_handler, "a fitted OutlierHandler")],
    "title": [InstanceOf(str, "a str")],
    "max_categories": [Interval(Integral, 1, None)],
    "bins": [Interval(Integral, 2, 500)],
}


def report(
    data: Any,
    *,
    target: str | None = None,
    baseline: Any = None,
    split: Mapping[str, Any] | None = None,
    outliers: Any = None,
    facet: str | None = None,
    label_value: Any = 1,
    title: str = "Data quality report",
    max_categories: int = 20,
    bins: int = 30,
) -> QualityReport:
    """Describe ``data`` as one self-contained HTML page with pictures.

    A :class:`~mlprep.quality.Baseline` is fitted on ``data`` (so lazy
    sources stream, and every picture comes from its mergeable profiles:
    quantile sketches and value counts). The page holds, per column, the
    type, counts, a missing-share bar, the summary statistics and a
    histogram (numeric) or the most frequent categories (text); and, when
    asked, drift against a baseline, outlier fences, split balance and
    SageMaker Clarify's pre-training bias metrics. A table of contents links
    every column; with more than 20 columns the sections start collapsed,
    except those with a violation.

    Parameters
    ----------
    data : DataFrame (pandas, polars), pyarrow Table, ndarray, or lazy source
        What to describe (polars ``LazyFrame``, DuckDB relation,
        :func:`mlprep.io.scan`, ...).
    target : str or None, default=None
        The label column: class shares per split, and the label of the bias
        metrics.
    baseline : Baseline or None, default=None
        A fitted baseline: each column is drawn against it (reference shares
        in orange), with the five drift distances (``psi``, ``ks``, ``js``,
        ``linf``, ``wasserstein``) and :meth:`Baseline.check`'s violations
        listed at the top.
    split : mapping or None, default=None
        Split name to a frame (same columns) or to row positions (or a
        boolean mask) into ``data``; rows per split, and with ``target`` the
        class shares per split as stacked bars.
    outliers : OutlierHandler or None, default=None
        A fitted handler: its fences are drawn on the histograms of its
        columns, with the share of values outside them.
    facet : str or None, default=None
        With ``target``: the pre-training bias metrics of ``target`` across
        each value of ``facet``, as a table and bars.
    label_value : value or list, default=1
        The positive label value(s) for the bias metrics.
    title : str, default="Data quality report"
        The page title (the page has no timestamp: put one here if wanted).
    max_categories : int, default=20
        Categories drawn per text column (the rest as one "other" bar), and
        classes drawn per split.
    bins : int, default=30
        Bins of the numeric histograms (integer columns with a narrower range
        get one bin per value).

    Returns
    -------
    QualityReport
        ``.html``, ``.save(path)``, and ``.drift_report`` / ``.bias`` when
        computed.

    Raises
    ------
    DataError
        ``target`` or ``facet`` is not a column; a split lacks ``target``, or
        its positions fall outside ``data``.

    Warns
    -----
    DataWarning
        The bias metrics cannot be computed (e.g. ``label_value`` matches no
        label, a continuous label): the page says why instead.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.quality._report import report
    >>> df = pd.DataFrame({"age": [31, 45, 27, 52], "plan": ["a", "b", "a", "a"]})
    >>> page = report(df, title="Customers")
    >>> page.n_rows, page.columns
    (4, ['age', 'plan'])
    >>> "<svg" in page.html and "http://" not in page.html.replace(
    ...     'xmlns="http://www.w3.org/2000/svg"', "")
    True
    """
    validate_params(
        _OWNER,
        {
            "target": target,
            "facet": facet,
            "baseline": baseline,
            "split": split,
            "outliers": outliers,
            "title": title,
            "max_categories": max_categories,
            "bins": bins,
        },
        _CONSTRAINTS,
    )
    if facet is not None and target is None:
        raise InvalidParameterError(
            f"report: facet={facet!r} needs target= (the label whose balance across "
            "the facet the bias metrics measure)."
        )
    if baseline is not None:
        current = describe(baseline, data)
    else:
        current = Baseline(top_k=max_categories).fit(data)
    columns = [str(name) for name in current.columns_]
    for role, name in (("target", target), ("facet", facet)):
        if name is not None and name not in columns:
            raise DataError(
                f"report: the {role} column {name!r} is not in the data; its columns "
                f"are {columns[:20]}{' ...' if len(columns) > 20 else ''}. Pass one of them."
            )
    page = Page(current, baseline, outliers, max_categories, bins)
    drift_report = (
        check_against(baseline, data, current=current) if baseline is not None else None
    )
    split_summary = _split_summary(data, split, target) if split is not None else None
    bias, bias_error = None, None
    if facet is not None and target is not None:
        try:
            bias = pretraining_bias(
                data, label=target, facet=facet, label_value=label_value
            )
        except DataError as error:
            bias_error = str(error)
            warn_data(f"report: the bias metrics are left out: {bias_error}")
    text = page.render(
        title, drift_report, split_summary, target, bias, bias_error, facet
    )
    return QualityReport(
        text,
        title=title,
        n_rows=current.n_rows_,
        columns=columns,
        drift_report=drift_report,
        drift=page.drift,
        profile=current,
        bias=bias,
        split=split_summary,
    )


# ------------------------------------------------------------------ split
def _native_frame(frame: Any) -> Any:
    kind = source_kind(frame)
    if kind in ("duckdb", "arrow-dataset"):
        frame = as_polars_lazy(frame, kind)
    return nw.from_native(frame)


def _split_summary(
    data: Any, split: Mapping[str, Any], target: str | None
) -> dict[str, dict[str, Any]]:
    summary: dict[str, dict[str, Any]] = {}
    for name, part in split.items():
        if isinstance(part, (list, tuple, range, np.ndarray)):
            if source_kind(data) is not None:
                raise DataError(
                    f"report: split {name!r} gives row positions, but the data is a lazy "
                    "source with no row positions; pass each split as a frame instead."
                )
            rows = np.asarray(part)
            total = len(nw.from_native(data, eager_only=True))
            if (
                rows.dtype.kind in "iu"
                and rows.size
                and (rows.min() < -total or rows.max() >= total)
            ):
                raise DataError(
                    f"report: split {name!r} has row positions outside 0..{total - 1} "
                    f"(e.g. {int(rows.max())}); positions index the rows of data."
                )
            part = take_rows(data, rows if rows.size else rows.astype(np.intp))
        try:
            frame = _native_frame(part)
        except TypeError:
            raise DataError(
                f"report: split {name!r} must be a DataFrame or lazy source with named "
                f"columns, or row positions into data; got {type(part).__name__}."
            ) from None
        schema = frame.collect_schema()
        n = frame.select(nw.len().alias("n"))
        n = n.collect() if isinstance(n, nw.LazyFrame) else n
        entry: dict[str, Any] = {"rows": int(n.item(0, 0))}
        if target is not None:
            if target not in schema:
                raise DataError(
                    f"report: split {name!r} has no target column {target!r}; its columns "
                    f"are {list(schema)[:20]}."
                )
            counts = frame.group_by(target, drop_null_keys=False).agg(
                nw.len().alias("n")
            )
            counts = counts.collect() if isinstance(counts, nw.LazyFrame) else counts
            classes: dict[Any, int] = {}
            for value, count in counts.rows():
                value = plain_value(value)
                key = (
                    None
                    if value is None or (isinstance(value, float) and math.isnan(value))
                    else value
                )
                classes[key] = classes.get(key, 0) + int(count)
            entry["classes"] = classes
        summary[str(name)] = entry
    return summary
