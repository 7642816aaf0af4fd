"""The ``mlprep`` command line (also ``python -m mlprep``).

Commands: ``fit``, ``transform``, ``fit-transform``, ``merge``, ``inspect``,
``split``, ``check-leakage`` and ``schema``; ``mlprep COMMAND --help`` shows
an example of each. Exit codes: 0 ok, 1 a check found a problem, 2 a usage
error (bad flag, bad spec), 3 bad data (missing file or column, unreadable
file, a state from another version).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from typing import Any

from mlprep.cli._parser import build_parser

__all__ = ["main"]

EXIT_OK, EXIT_CHECK_FAILED, EXIT_USAGE, EXIT_DATA = 0, 1, 2, 3


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``mlprep`` command; return its exit code.

    Parameters
    ----------
    argv : sequence of str or None, default=None
        The arguments after the program name; None reads ``sys.argv``.

    Returns
    -------
    int
        0 ok; 1 a check found a problem; 2 usage error; 3 bad data.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(arguments)
    except SystemExit as exit:  # a bad flag: argparse printed why, exit 2
        if exit.code and arguments[:1] == ["sagemaker"]:
            from mlprep.cli._sagemaker import write_failure

            write_failure(
                f"mlprep {' '.join(arguments)}: usage error (exit {exit.code}); "
                "see the job's log for the message"
            )
        raise
    from mlprep.cli._commands import COMMANDS, Log
    from mlprep.cli._quality import QUALITY_COMMANDS
    from mlprep.exceptions import (
        InvalidParameterError,
        MissingDependencyError,
        MlprepError,
    )

    sagemaker = args.command == "sagemaker"
    name = f"sagemaker {args.job}" if sagemaker else args.command
    log = Log(name, quiet=args.quiet)
    try:
        if sagemaker:
            from mlprep.cli._sagemaker import Job, channel_args

            args = channel_args(args, Job.read())
        report, code = {**COMMANDS, **QUALITY_COMMANDS}[args.command](args, log)
    except (InvalidParameterError, MissingDependencyError) as error:
        return _fail(name, error, EXIT_USAGE, sagemaker=sagemaker)
    except (MlprepError, OSError) as error:
        return _fail(name, error, EXIT_DATA, sagemaker=sagemaker)
    if sagemaker and code != EXIT_OK:
        from mlprep.cli._sagemaker import write_failure

        write_failure(f"mlprep {name}: a check found a problem (exit {code}).")
    text = (
        json.dumps(report, indent=2)
        if args.json or args.command == "schema"
        else _render(args.command, report)
    )
    try:
        print(text, flush=True)
    except BrokenPipeError:  # the reader left (``mlprep inspect ... | head``)
        sys.stdout = open(os.devnull, "w")
    return code


def _fail(command: str, error: BaseException, code: int, *, sagemaker: bool) -> int:
    message = str(error) or type(error).__name__
    if isinstance(error, OSError) and error.filename is not None:
        message = f"{error.strerror or message}: {error.filename}"
    line = f"mlprep {command}: error: {message}"
    print(line, file=sys.stderr)
    if sagemaker:
        from mlprep.cli._sagemaker import write_failure

        write_failure(line)
    return code


def _render(command: str, report: dict[str, Any]) -> str:
    """The human-readable report of ``command``."""
    if command == "check-leakage":
        head = (
            f"Leakage check of {report['n_train']:,} train and {report['n_test']:,} "
            f"test rows ({', '.join(report['checks']) or 'no checks'}): "
        )
        if report["ok"]:
            return head + "no leakage found."
        rows = [f"{'check':<10} {'count':>8}  what", "-" * 60]
        for problem in report["problems"]:
            rows.append(
                f"{problem['kind']:<10} {problem['count']:>8,}  {problem['message']}"
            )
        return head + f"{len(report['problems'])} problem(s).\n" + "\n".join(rows)
    if command == "inspect":
        return "\n".join(_lines(report))
    if command == "demo":
        return "\n".join(
            [
                f"wrote {len(report['files'])} files to {report['folder']}:",
                *(f"  {name}" for name in report["files"]),
                f"splits: {report['splits']}; {report['features_out']} features out",
                "leakage between the splits: "
                + ("none" if report["leakage_ok"] else "found"),
                f"a naive split that reuses rows: {report['naive_split_problems']} "
                "leakage problem(s)",
                f"open {report['report']}",
            ]
        )
    if command == "split":
        return "\n".join(
            f"{name:<10} {part['rows']:>10,} rows  {part['path']}"
            for name, part in report["parts"].items()
        )
    shown = {k: v for k, v in report.items() if k != "pipeline"}
    return "\n".join(f"{key}: {value}" for key, value in shown.items())


def _lines(report: dict[str, Any], indent: str = "") -> list[str]:
    lines = [f"{indent}{report['class']}"]
    for key in ("params", "columns", "n_features_in", "partial"):
        if key in report:
            lines.append(f"{indent}  {key}: {report[key]}")
    for step in report.get("steps", []):
        lines.append(f"{indent}  step {step['name']!r}:")
        lines.extend(_lines(step, indent + "    "))
    if "features_out" in report and not indent:
        names = report["features_out"]
        more = f" ... ({len(names)} in all)" if len(names) > 12 else ""
        lines.append(f"features out: {', '.join(names[:12])}{more}")
    return lines
