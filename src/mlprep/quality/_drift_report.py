"""What :meth:`Baseline.check` finds: violations and per-column drift."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from typing import Any

from mlprep.core._json import json_safe

__all__ = ["DriftReport"]


@dataclass(frozen=True)
class DriftReport:
    """The result of checking data against a :class:`~mlprep.quality.Baseline`.

    Parameters
    ----------
    violations : list of dict
        One record per failed check: ``column``, ``check`` (Model Monitor's
        ``constraint_check_type``, e.g. ``"completeness_check"``), ``value``
        (what was observed), ``threshold`` (what was allowed) and
        ``description`` (a sentence).
    drift : dict
        Column name to ``{"kind", "method", "value", "threshold", "error",
        "drifted"}``: the distance between the baseline's distribution and the
        data's, its threshold, and the bound on its error from the quantile
        sketches (0 when exact, NaN when no bound is known).
    missing_columns, new_columns : list of str
        Baseline columns absent from the data; data columns the baseline
        does not describe.
    n_rows, n_rows_baseline : int
        Rows checked, rows the baseline was fitted on.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.quality import Baseline
    >>> baseline = Baseline().fit(pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]}))
    >>> report = baseline.check(pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0]}))
    >>> report.ok, report.violations
    (True, [])
    >>> print(report)
    DriftReport: no violations (1 column, 4 rows; baseline 4 rows)
      column  kind     linf   threshold  drifted
      x       numeric  0      0.1        no
    """

    violations: list[dict[str, Any]]
    drift: dict[str, dict[str, Any]]
    missing_columns: list[str] = field(default_factory=list)
    new_columns: list[str] = field(default_factory=list)
    n_rows: int = 0
    n_rows_baseline: int = 0

    @property
    def ok(self) -> bool:
        """Whether no check failed."""
        return not self.violations

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serializable dict (NaN and infinities as null)."""
        return json_safe(
            {
                "ok": self.ok,
                "n_rows": self.n_rows,
                "n_rows_baseline": self.n_rows_baseline,
                "violations": self.violations,
                "drift": self.drift,
                "missing_columns": self.missing_columns,
                "new_columns": self.new_columns,
            }
        )

    def to_json(self, **kwargs: Any) -> str:
        """:meth:`to_dict` as JSON text (``kwargs`` go to :func:`json.dumps`)."""
        return json.dumps(self.to_dict(), **kwargs)

    def write_sagemaker(self, directory: Any) -> Any:
        """Write Model Monitor's ``constraint_violations.json`` into ``directory``.

        Each violation becomes ``{"feature_name", "constraint_check_type",
        "description"}``. The file is written atomically.

        Parameters
        ----------
        directory : str or path-like

        Returns
        -------
        pathlib.Path
        """
        from mlprep.quality._sagemaker import write_violations

        return write_violations(self, directory)

    # ---------------------------------------------------------------- display
    def _rows(self) -> list[list[str]]:
        method = next((d["method"] for d in self.drift.values()), "distance")
        header = ["column", "kind", method, "threshold", "drifted"]
        rows = [header]
        for name, found in self.drift.items():
            rows.append(
                [
                    name,
                    found["kind"],
                    _fmt(found["value"]),
                    _fmt(found["threshold"]),
                    "YES" if found["drifted"] else "no",
                ]
            )
        return rows

    def _headline(self) -> str:
        count = len(self.violations)
        verdict = f"{count} violation{'s' * (count != 1)}" if count else "no violations"
        columns = len(self.drift)
        return (
            f"{verdict} ({columns} column{'s' * (columns != 1)}, {self.n_rows} rows; "
            f"baseline {self.n_rows_baseline} rows)"
        )

    def __repr__(self) -> str:
        lines = [f"DriftReport: {self._headline()}"]
        rows = self._rows()
        if len(rows) > 1:
            widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
            for row in rows:
                cells = [cell.ljust(width) for cell, width in zip(row, widths)]
                lines.append("  " + "  ".join(cells).rstrip())
        for violation in self.violations:
            lines.append(f"  ! {violation['column']}: {violation['description']}")
        return "\n".join(lines)

    __str__ = __repr__

    def _repr_html_(self) -> str:
        """A table for notebooks: violations first, then the drift of every column."""
        esc = html.escape
        parts = [f"<div><strong>DriftReport</strong>: {esc(self._headline())}"]
        if self.violations:
            parts.append(
                "<table><thead><tr><th>column</th><th>check</th><th>value</th>"
                "<th>threshold</th><th>description</th></tr></thead><tbody>"
            )
            for v in self.violations:
                parts.append(
                    f"<tr><td>{esc(str(v['column']))}</td><td>{esc(v['check'])}</td>"
                    f"<td>{esc(_fmt(v['value']))}</td><td>{esc(_fmt(v['threshold']))}</td>"
                    f"<td>{esc(v['description'])}</td></tr>"
                )
            parts.append("</tbody></table>")
        rows = self._rows()
        if len(rows) > 1:
            head = "".join(f"<th>{esc(cell)}</th>" for cell in rows[0])
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>")
            for row in rows[1:]:
                style = ' style="color:#b00020"' if row[-1] == "YES" else ""
                cells = "".join(f"<td>{esc(cell)}</td>" for cell in row)
                parts.append(f"<tr{style}>{cells}</tr>")
            parts.append("</tbody></table>")
        parts.append("</div>")
        return "".join(parts)


def _fmt(value: Any) -> str:
    """A number as a short string (4 significant digits), anything else as str."""
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float):
        if value != value:  # NaN
            return "nan"
        return f"{value:.4g}"
    return str(value)
