"""The data-quality commands: ``baseline``, ``check-drift``, ``bias`` and ``report``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from mlprep.cli._commands import Log, Report, read_data
from mlprep.exceptions import DataError, InvalidParameterError

__all__ = ["QUALITY_COMMANDS"]

BASELINE_FILE = "baseline.json"
"""The fitted Baseline that ``mlprep baseline`` writes and ``check-drift`` reads."""


def _source(path: str, stream: bool, log: Log) -> Any:
    """The data at ``path``: streamed batch by batch with ``--stream``, else read."""
    if stream:
        from mlprep.io import scan

        return scan(path)
    return read_data(path, log)


def _value(text: str | None) -> Any:
    """A label or facet value from the command line: a JSON number, true/false, or the text."""
    if text is None:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return text
    return value if isinstance(value, (int, float, bool)) else text


def _load_baseline(path: str) -> Any:
    import mlprep
    from mlprep.quality import Baseline

    target = Path(path)
    if target.is_dir():
        target = target / BASELINE_FILE
    if not target.is_file():
        raise DataError(
            f"--baseline {path}: no such file. Give the {BASELINE_FILE} that "
            "'mlprep baseline' wrote, or the folder holding it."
        )
    baseline = mlprep.load(target)
    if not isinstance(baseline, Baseline):
        raise DataError(
            f"--baseline {target} holds a {type(baseline).__name__}, not a Baseline. "
            "Write one with: mlprep baseline --data train.csv --out baseline/"
        )
    return baseline


def baseline(args: argparse.Namespace, log: Log) -> tuple[Report, int]:
    import mlprep
    from mlprep.quality import Baseline

    data = _source(args.data, args.stream, log)
    with log.stage("fitted the baseline" + (" (streamed)" if args.stream else "")):
        fitted = Baseline(columns=args.columns).fit(data)
    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    mlprep.save(fitted, folder / BASELINE_FILE)
    written = [str(folder / BASELINE_FILE), *map(str, fitted.write_sagemaker(folder))]
    log.line(f"wrote {', '.join(written)}")
    types: dict[str, int] = {}
    for stats in fitted.statistics_.values():
        types[stats["inferred_type"]] = types.get(stats["inferred_type"], 0) + 1
    return {
        "data": str(args.data),
        "rows": fitted.n_rows_,
        "columns": len(fitted.columns_),
        "types": types,
        "quantile_method": fitted.quantile_method_,
        "written": written,
    }, 0


def check_drift(args: argparse.Namespace, log: Log) -> tuple[Report, int]:
    from mlprep.quality import Baseline

    if args.baseline is None and args.reference is None:
        raise InvalidParameterError(
            "check-drift compares --data with a baseline: give --baseline DIR "
            "(written by 'mlprep baseline') or --reference PATH (fitted now)."
        )
    params = {"comparison_method": args.method, "comparison_threshold": args.threshold}
    if args.baseline is not None:
        fitted = _load_baseline(args.baseline).set_params(**params)
    else:
        reference = _source(args.reference, args.stream, log)
        with log.stage("fitted the reference"):
            fitted = Baseline(**params).fit(reference)
    data = _source(args.data, args.stream, log)
    with log.stage("checked the data"):
        report = fitted.check(data)
    if args.out is not None:
        folder = Path(args.out)
        path = report.write_sagemaker(folder)
        from mlprep.core._atomic import write_bytes_atomic

        write_bytes_atomic(
            folder / "drift.json", (report.to_json(indent=2) + "\n").encode()
        )
        log.line(f"wrote {path} and {folder / 'drift.json'}")
    return report.to_dict(), 0 if report.ok else 1


def bias(args: argparse.Namespace, log: Log) -> tuple[Report, int]:
    from mlprep.quality import pretraining_bias

    data = read_data(args.data, log)
    with log.stage("computed the pre-training bias metrics"):
        found = pretraining_bias(
            data,
            label=args.label,
            facet=args.facet,
            label_value=_value(args.label_value),
            facet_value=_value(args.facet_value),
            group=args.group,
            threshold=args.threshold,
        )
    rows = found if isinstance(found, list) else [found]
    return {
        "data": str(args.data),
        "label": args.label,
        "facet": args.facet,
        "metrics": rows,
    }, 0


def report(args: argparse.Namespace, log: Log) -> tuple[Report, int]:
    from mlprep.quality import report as build_report

    data = read_data(args.data, log)
    fitted = _load_baseline(args.baseline) if args.baseline is not None else None
    with log.stage("built the report"):
        page = build_report(
            data,
            target=args.target,
            baseline=fitted,
            facet=args.facet,
            label_value=_value(args.label_value),
        )
    page.save(args.out)
    log.line(f"wrote {args.out}")
    return {"data": str(args.data), "report": str(args.out)}, 0


QUALITY_COMMANDS = {
    "baseline": baseline,
    "check-drift": check_drift,
    "bias": bias,
    "report": report,
}
