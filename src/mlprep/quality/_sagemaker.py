"""SageMaker Model Monitor's files: ``statistics.json``, ``constraints.json``, ``constraint_violations.json``.

The schemas are Model Monitor's documented data-quality formats (version 0):
what its pre-built container writes for a baseline job and reads back to
evaluate a monitoring run. A bring-your-own container may add keys; mlprep
adds one, ``mlprep``, with the settings the documented keys cannot say.
"""

from __future__ import annotations

import json
import os
import pathlib
from typing import Any

import numpy as np

from mlprep.core._atomic import write_bytes_atomic
from mlprep.core._json import json_safe

__all__ = [
    "constraints_document",
    "statistics_document",
    "violations_document",
    "write_baseline",
    "write_violations",
]

_BUCKETS = 10  # Model Monitor's KLL buckets: ten, equal width, from min to max
_KLL_C = 2 / 3  # DataSketches' KLL capacity decay (Karnin, Lang and Liberty's c)


def _kll(sketch: Any, statistics: dict[str, Any]) -> dict[str, Any]:
    low, high = statistics["min"], statistics["max"]
    count = sketch.count
    buckets = []
    if count and low is not None and high is not None:
        edges = np.linspace(low, high, _BUCKETS + 1) if high > low else [low, high]
        below = 0.0
        for i in range(len(edges) - 1):
            upper = 1.0 if i == len(edges) - 2 else sketch.rank(float(edges[i + 1]))
            buckets.append(
                {
                    "lower_bound": float(edges[i]),
                    "upper_bound": float(edges[i + 1]),
                    "count": float(round((upper - below) * count)),
                }
            )
            below = upper
    values, weights = sketch.items() if count else (np.empty(0), np.empty(0))
    levels = np.round(np.log2(np.maximum(weights, 1))).astype(int)
    data = [
        values[levels == level].tolist()
        for level in range(int(levels.max(initial=0)) + 1)
    ]
    return {
        "buckets": buckets,
        "sketch": {"parameters": {"c": _KLL_C, "k": sketch.k}, "data": data},
    }


def statistics_document(baseline: Any) -> dict[str, Any]:
    """The ``statistics.json`` document of a fitted :class:`Baseline`."""
    features = []
    for name in baseline.columns_:
        stats = baseline.statistics_[name]
        common = {
            "num_present": stats["num_present"],
            "num_missing": stats["num_missing"],
        }
        feature: dict[str, Any] = {
            "name": name,
            "inferred_type": stats["inferred_type"],
        }
        if stats["inferred_type"] == "String":
            feature["string_statistics"] = {
                "common": common,
                "distinct_count": stats["distinct_count"],
                "distribution": {
                    "categorical": {
                        "buckets": [
                            {"value": str(value), "count": count}
                            for value, count in stats["top"]
                        ]
                    }
                },
            }
        else:
            feature["numerical_statistics"] = {
                "common": common,
                **{key: stats[key] for key in ("mean", "sum", "std_dev", "min", "max")},
                "distribution": {
                    "kll": _kll(baseline.partial_state_[name]["sketch"], stats)
                },
            }
        features.append(feature)
    return json_safe(
        {
            "version": 0,
            "dataset": {"item_count": baseline.n_rows_},
            "features": features,
        }
    )


def constraints_document(baseline: Any) -> dict[str, Any]:
    """The ``constraints.json`` document of a fitted :class:`Baseline`."""
    from mlprep.quality._check import default_threshold

    features = []
    for name in baseline.columns_:
        constraint = baseline.constraints_[name]
        feature: dict[str, Any] = {
            "name": name,
            "inferred_type": constraint["inferred_type"],
            "completeness": constraint["completeness"],
        }
        if constraint["inferred_type"] == "String":
            if constraint["domain"] is not None:
                feature["string_constraints"] = {
                    "domains": [str(value) for value in constraint["domain"]]
                }
        else:
            feature["num_constraints"] = {
                "is_non_negative": constraint["is_non_negative"]
            }
        features.append(feature)
    linf = default_threshold(baseline, "linf", {})
    threshold = linf if baseline.comparison_method == "linf" else 0.1
    return json_safe(
        {
            "version": 0,
            "features": features,
            "monitoring_config": {
                "evaluate_constraints": "Enabled",
                "emit_metrics": "Enabled",
                "datatype_check_threshold": baseline.datatype_check_threshold,
                "domain_content_threshold": baseline.domain_content_threshold,
                "distribution_constraints": {
                    "perform_comparison": "Enabled",
                    "comparison_threshold": threshold,
                    "comparison_method": "Robust",
                    "categorical_comparison_threshold": threshold,
                    "categorical_drift_method": "LInfinity",
                },
            },
            "mlprep": {
                "comparison_method": baseline.comparison_method,
                "comparison_threshold": baseline.comparison_threshold,
                "max_domain": baseline.max_domain,
            },
        }
    )


def violations_document(report: Any) -> dict[str, Any]:
    """The ``constraint_violations.json`` document of a :class:`DriftReport`."""
    return json_safe(
        {
            "violations": [
                {
                    "feature_name": v["column"],
                    "constraint_check_type": v["check"],
                    "description": v["description"],
                }
                for v in report.violations
            ]
        }
    )


def _write(folder: pathlib.Path, name: str, document: dict[str, Any]) -> pathlib.Path:
    path = folder / name
    text = json.dumps(document, indent=2, allow_nan=False) + "\n"
    write_bytes_atomic(path, text.encode("utf-8"))
    return path


def write_baseline(
    baseline: Any, directory: str | os.PathLike[str]
) -> list[pathlib.Path]:
    """Write ``statistics.json`` and ``constraints.json`` of ``baseline`` into ``directory``."""
    folder = pathlib.Path(directory)
    statistics = statistics_document(baseline)
    constraints = constraints_document(baseline)
    return [
        _write(folder, "statistics.json", statistics),
        _write(folder, "constraints.json", constraints),
    ]


def write_violations(report: Any, directory: str | os.PathLike[str]) -> pathlib.Path:
    """Write ``constraint_violations.json`` of ``report`` into ``directory``."""
    return _write(
        pathlib.Path(directory),
        "constraint_violations.json",
        violations_document(report),
    )
