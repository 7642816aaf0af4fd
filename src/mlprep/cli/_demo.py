"""``mlprep demo``: the whole job on the bundled customer table, in one command.

Split (stratified, keys kept whole) → fit a spec on the training rows → save
the state → transform the held-out rows → check the splits for leakage → write
``report.html``. Every step is one of the commands, called in-process, so the
demo shows exactly what the command line does; every file it writes can be
opened.
"""

from __future__ import annotations

import argparse
import html
import json
import shutil
from pathlib import Path
from typing import Any

from mlprep.cli._commands import Log, check_leakage, fit, split, transform

__all__ = ["demo"]

SKEWED = [
    "annual_income",
    "account_balance",
    "days_since_last_purchase",
    "avg_basket_value",
]
SPEC: dict[str, Any] = {
    "steps": [
        {"class": "Imputer", "params": {"strategy": "median"}, "name": "impute"},
        {
            "class": "Imputer",
            "params": {"strategy": "most_frequent"},
            "columns": ["city"],
            "name": "impute_city",
        },
        {
            "class": "PowerTransformer",
            "params": {"method": "yeo-johnson"},
            "columns": SKEWED,
            "name": "unskew",
        },
        {"class": "StandardScaler", "name": "scale"},
        {"class": "OneHotEncoder", "columns": ["city"], "name": "city"},
    ],
    "drop": ["customer_id", "signup_date"],
    "target": "churned",
}


def _args(**values: Any) -> argparse.Namespace:
    return argparse.Namespace(**values)


def demo(args: argparse.Namespace, log: Log) -> tuple[dict[str, Any], int]:
    """Run the demo job into ``args.out``; its report and exit code."""
    from mlprep.datasets import _customers

    folder = Path(args.out)
    folder.mkdir(parents=True, exist_ok=True)
    data = folder / "customers.csv"
    shutil.copyfile(Path(_customers.__file__).with_name("customers.csv"), data)
    spec = folder / "spec.json"
    spec.write_text(json.dumps(SPEC, indent=2) + "\n", encoding="utf-8")
    splits = folder / "splits"

    parts, _ = split(
        _args(
            data=str(data),
            method="stratified",
            stratify="churned",
            order_by=None,
            key="customer_id",
            ratios=[0.7, 0.15, 0.15],
            seed=0,
            out=str(splits),
            format="csv",
        ),
        log,
    )
    state = folder / "state.json"
    fitted, _ = fit(
        _args(
            spec=str(spec),
            data=str(splits / "train.csv"),
            target=None,
            out=str(state),
            partial=False,
            stream=False,
            state=None,
        ),
        log,
    )
    transformed = {}
    for name in ("validation", "test"):
        out = folder / "transformed" / f"{name}.csv"
        transformed[name], _ = transform(
            _args(
                state=str(state),
                data=str(splits / f"{name}.csv"),
                out=str(out),
                format="csv",
                target="churned",
            ),
            log,
        )
    checks = {}
    for name, train in (("split", splits / "train.csv"), ("naive", data)):
        checks[name], _ = check_leakage(
            _args(
                train=str(train),
                test=str(splits / "test.csv"),
                key=["customer_id"],
                time=None,
                no_duplicates=False,
            ),
            log,
        )
    (folder / "leakage.json").write_text(
        json.dumps(checks["split"], indent=2) + "\n", encoding="utf-8"
    )
    report_path = folder / "report.html"
    report_path.write_text(
        _html(parts, fitted, transformed, checks, folder), encoding="utf-8"
    )
    log.line(f"open {report_path}")
    report = {
        "folder": str(folder),
        "files": sorted(
            str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()
        ),
        "splits": {k: v["rows"] for k, v in parts["parts"].items()},
        "features_out": len(fitted["pipeline"]["features_out"]),
        "leakage_ok": checks["split"]["ok"],
        "naive_split_problems": len(checks["naive"]["problems"]),
        "report": str(report_path),
    }
    return report, 0


def _html(
    parts: dict[str, Any],
    fitted: dict[str, Any],
    transformed: dict[str, Any],
    checks: dict[str, Any],
    folder: Path,
) -> str:
    """A small self-contained page: the splits, the pipeline, the leakage checks."""
    import narwhals.stable.v2 as nw

    from mlprep.io import read

    esc = html.escape
    rows = []
    for name, part in parts["parts"].items():
        frame = nw.from_native(read(part["path"]), eager_only=True)
        share = float(frame["churned"].mean())
        missing = sum(int(frame[c].is_null().sum()) for c in frame.columns)
        rows.append(
            f"<tr><td>{esc(name)}</td><td>{part['rows']:,}</td><td>{share:.1%}</td>"
            f"<td>{missing:,}</td></tr>"
        )
    steps = "".join(
        f"<tr><td>{esc(step['name'])}</td><td>{esc(step['class'])}</td>"
        f"<td>{esc(', '.join(step.get('columns', [])))}</td></tr>"
        for step in fitted["pipeline"]["steps"]
    )
    test = nw.from_native(read(transformed["test"]["out"]), eager_only=True).head(8)
    head = "".join(f"<th>{esc(str(c))}</th>" for c in test.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_cell(v)}</td>" for v in row) + "</tr>"
        for row in test.iter_rows()
    )
    preview = f"<table><tr>{head}</tr>{body}</table>"
    leakage = []
    for name, check in checks.items():
        title = {
            "split": "train vs test (the key split above)",
            "naive": "all rows vs test (a split that reuses rows)",
        }[name]
        verdict = (
            "no leakage" if check["ok"] else f"{len(check['problems'])} problem(s)"
        )
        items = "".join(f"<li>{esc(p['message'])}</li>" for p in check["problems"])
        leakage.append(f"<h3>{esc(title)}: {esc(verdict)}</h3><ul>{items}</ul>")
    files = "".join(
        f"<li><code>{esc(str(p.relative_to(folder)))}</code></li>"
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "report.html"
    )
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mlprep demo</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; }}
table {{ border-collapse: collapse; margin: 0.5rem 0 1.5rem; }}
td, th {{ border-bottom: 1px solid #ddd; padding: 0.25rem 0.75rem; text-align: right; }}
td:first-child, th:first-child {{ text-align: left; }}
h3 {{ margin-bottom: 0.25rem; }}
</style></head><body>
<h1>mlprep demo: the customer table, end to end</h1>
<p>Split with keys kept whole and classes balanced, a pipeline fitted on the
training rows only, the held-out rows transformed with the saved state, and the
splits checked for leakage. Every file is in <code>{esc(str(folder))}</code>.</p>
<h2>Splits</h2>
<table><tr><th>part</th><th>rows</th><th>churned</th><th>missing cells</th></tr>
{"".join(rows)}</table>
<h2>Pipeline (<code>spec.json</code> &rarr; <code>state.json</code>)</h2>
<table><tr><th>step</th><th>class</th><th>columns</th></tr>{steps}</table>
<p>{len(fitted["pipeline"]["features_out"])} output columns, target first.</p>
<h2>Transformed test rows (<code>transformed/test.csv</code>)</h2>
{preview}
<h2>Leakage checks</h2>
{"".join(leakage)}
<h2>Files</h2><ul>{files}</ul>
</body></html>
"""


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return html.escape(str(value))
