"""Checking new data against a fitted :class:`Baseline` (Model Monitor's checks)."""

from __future__ import annotations

import math
from typing import Any

from sklearn.base import clone

from mlprep.quality._distances import (
    THRESHOLDS,
    Distance,
    NumericSample,
    categorical_distance,
    numeric_distance,
)
from mlprep.quality._drift_report import DriftReport
from mlprep.quality._profile import nonconforming

__all__ = ["check_against", "default_threshold", "describe", "profile_distance"]


def profile_distance(
    reference: dict[str, Any],
    current: dict[str, Any],
    reference_type: str,
    method: str,
    *,
    bins: int = 10,
) -> tuple[str, Any]:
    """``(kind, Distance)`` between two column profiles, or ``(kind, None)`` when their types differ."""
    if reference_type != "String":
        if current["sketch"].count == 0 or reference["sketch"].count == 0:
            return "numeric", None
        found = numeric_distance(
            method,
            NumericSample.from_sketch(reference["sketch"]),
            NumericSample.from_sketch(current["sketch"]),
            bins=bins,
        )
        return "numeric", found
    if current["values"].total == 0 or reference["values"].total == 0:
        return "categorical", None
    ref, cur = reference["values"], current["values"]
    if ref.exact and cur.exact:
        return "categorical", categorical_distance(method, ref.counts, cur.counts)
    # Beyond 100 000 distinct values the counts are a frequent-items sketch:
    # a listed count is off by at most error_bound, an unlisted value occurs
    # at most error_bound times. Shares are of all rows (not of the listed
    # ones), so the largest share difference is known within the sum of both
    # sides' bounds; the other distances are estimates without a bound.
    bound = ref.error_bound / ref.total + cur.error_bound / cur.total
    if method in ("linf", "ks"):
        r, c = ref.counts, cur.counts
        keys = dict.fromkeys([*r, *c])
        value = max(
            abs(r.get(k, 0) / ref.total - c.get(k, 0) / cur.total) for k in keys
        )
        return "categorical", Distance(method, float(value), bound)
    found = categorical_distance(method, _with_rest(ref), _with_rest(cur))
    found = Distance(found.method, found.value, math.nan)
    return "categorical", found


_REST = object()
"""The key of the values a frequent-items sketch no longer lists (their total count)."""


def _with_rest(state: Any) -> dict[Any, int]:
    """The counts, with the unlisted rest of a sketch as one more category."""
    counts = state.counts
    if not state.exact:
        counts[_REST] = max(state.total - sum(counts.values()), 0)
    return counts


def default_threshold(baseline: Any, method: str, statistics: dict[str, Any]) -> float:
    """The drift threshold: the parameter, or the method's default (Wasserstein: 0.1 reference sd)."""
    if baseline.comparison_threshold is not None:
        return float(baseline.comparison_threshold)
    if method == "wasserstein":
        std = statistics.get("std_dev")
        return 0.1 * std if std else float("nan")
    return float(THRESHOLDS[method])


def describe(baseline: Any, X: Any) -> Any:
    """``X`` described with ``baseline``'s settings, every column (what ``check`` compares)."""
    return clone(baseline).set_params(columns=None).fit(X)


def check_against(baseline: Any, X: Any, *, current: Any = None) -> DriftReport:
    """The :class:`DriftReport` of ``X`` against ``baseline`` (see ``Baseline.check``).

    ``current`` is ``X`` already described by :func:`describe` (then ``X`` is
    not read again).
    """
    if current is None:
        current = describe(baseline, X)
    violations: list[dict[str, Any]] = []
    drift: dict[str, dict[str, Any]] = {}
    seen = set(current.columns_)
    missing = [name for name in baseline.columns_ if name not in seen]
    new: list[str] = []
    if baseline.columns is None:
        known = {str(name) for name in baseline.feature_names_in_}
        new = [name for name in current.columns_ if name not in known]
    for name in missing:
        violations.append(
            _violation(
                name,
                "missing_column_check",
                None,
                None,
                "the column is in the baseline but not in the data",
            )
        )
    for name in new:
        violations.append(
            _violation(
                name,
                "extra_column_check",
                None,
                None,
                "the column is in the data but not in the baseline",
            )
        )
    method = baseline.comparison_method
    for name in baseline.columns_:
        if name not in seen:
            continue
        reference = baseline.partial_state_[name]
        profile = current.partial_state_[name]
        constraint = baseline.constraints_[name]
        stats = current.statistics_[name]
        violations.extend(_column_checks(baseline, name, constraint, profile, stats))
        kind, found = profile_distance(
            reference, profile, constraint["inferred_type"], method
        )
        threshold = default_threshold(baseline, method, baseline.statistics_[name])
        value = found.value if found is not None else float("nan")
        drifted = bool(value > threshold) if not math.isnan(threshold) else False
        drift[name] = {
            "kind": kind,
            "method": method,
            "value": value,
            "threshold": threshold,
            "error": found.error if found is not None else float("nan"),
            "drifted": drifted,
        }
        if drifted:
            violations.append(
                _violation(
                    name,
                    "baseline_drift_check",
                    value,
                    threshold,
                    f"the {method} distance to the baseline is {value:.4g}, "
                    f"above {threshold:.4g}",
                )
            )
    return DriftReport(
        violations=violations,
        drift=drift,
        missing_columns=missing,
        new_columns=new,
        n_rows=current.n_rows_,
        n_rows_baseline=baseline.n_rows_,
    )


def _violation(
    column: str, check: str, value: Any, threshold: Any, description: str
) -> dict[str, Any]:
    return {
        "column": column,
        "check": check,
        "value": value,
        "threshold": threshold,
        "description": description,
    }


def _column_checks(
    baseline: Any,
    name: str,
    constraint: dict[str, Any],
    profile: dict[str, Any],
    stats: dict[str, Any],
) -> list[dict[str, Any]]:
    """Type, completeness, sign and domain checks of one column."""
    found = []
    present, missing = stats["num_present"], stats["num_missing"]
    rows = present + missing
    kind = constraint["inferred_type"]
    if present:
        share = nonconforming(profile, kind) / present
        if share > baseline.datatype_check_threshold:
            found.append(
                _violation(
                    name,
                    "data_type_check",
                    share,
                    baseline.datatype_check_threshold,
                    f"{share:.1%} of the values are not {kind} "
                    f"(the data's type is {stats['inferred_type']})",
                )
            )
    if rows:
        completeness = present / rows
        if completeness < constraint["completeness"]:
            found.append(
                _violation(
                    name,
                    "completeness_check",
                    completeness,
                    constraint["completeness"],
                    f"{completeness:.1%} of the values are present, below "
                    f"the baseline's {constraint['completeness']:.0%}",
                )
            )
    if constraint.get("is_non_negative") and stats.get("min") is not None:
        if stats["min"] < 0:
            found.append(
                _violation(
                    name,
                    "non_negative_check",
                    stats["min"],
                    0.0,
                    f"the column has negative values (minimum {stats['min']:.4g}) "
                    "but was non-negative in the baseline",
                )
            )
    domain = constraint.get("domain")
    if domain is not None and profile["values"].total:
        allowed = set(domain)
        counts = profile["values"].counts
        outside = {v: c for v, c in counts.items() if v not in allowed}
        share = sum(outside.values()) / profile["values"].total
        if share > baseline.domain_content_threshold:
            examples = sorted(outside, key=lambda v: -outside[v])[:5]
            found.append(
                _violation(
                    name,
                    "categorical_values_check",
                    share,
                    baseline.domain_content_threshold,
                    f"{share:.1%} of the values are outside the baseline's "
                    f"domain, e.g. {examples}",
                )
            )
    return found
