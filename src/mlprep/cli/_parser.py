"""The ``mlprep`` argument parser: every command, its flags and an example each.

Building the parser imports nothing but argparse, so ``mlprep --help`` answers
before numpy, pandas or scikit-learn would have loaded.
"""

from __future__ import annotations

import argparse

__all__ = ["build_parser"]

_EPILOG = """\
exit codes: 0 ok; 1 a check found a problem (leakage, data-quality violations);
2 usage error (bad flag, bad spec); 3 bad data (missing column or file,
unreadable file).
Reports go to stdout (JSON with --json), logs and progress to stderr."""

_COMMANDS: dict[str, tuple[str, str]] = {
    "fit": (
        "fit a pipeline spec on data and save its state",
        "mlprep fit --spec spec.json --data train.parquet --target churned "
        "--out state.json",
    ),
    "transform": (
        "transform data with a saved state and write the result",
        "mlprep transform --state state.json --data test.csv --out out.parquet",
    ),
    "fit-transform": (
        "fit a spec, save its state and write the transformed training data",
        "mlprep fit-transform --spec spec.json --data train/ --target churned "
        "--state state.json --out train.csv --format sagemaker-csv",
    ),
    "merge": (
        "merge partial states fitted on shards into one state",
        "mlprep merge partial-*.json --out state.json",
    ),
    "inspect": (
        "describe a saved state: classes, parameters, columns",
        "mlprep inspect state.json --json",
    ),
    "split": (
        "split data into train, validation and test files",
        "mlprep split --data customers.csv --method stratified --stratify churned "
        "--ratios 0.7 0.2 0.1 --out splits/",
    ),
    "check-leakage": (
        "look for leakage between a train and a test set (exit 1 if found)",
        "mlprep check-leakage --train splits/train.csv --test splits/test.csv "
        "--key customer_id",
    ),
    "baseline": (
        "describe data: statistics and constraints to check new data against",
        "mlprep baseline --data train.parquet --out baseline/",
    ),
    "check-drift": (
        "check data against a baseline: violations and drift (exit 1 if any)",
        "mlprep check-drift --baseline baseline/ --data today.csv --out drift/",
    ),
    "bias": (
        "SageMaker Clarify's pre-training bias metrics of a label across a facet",
        "mlprep bias --data train.csv --label approved --facet gender "
        "--facet-value female",
    ),
    "report": (
        "write an HTML page of the data's quality, drift and bias",
        "mlprep report --data today.csv --baseline baseline/ --out report.html",
    ),
    "schema": (
        "print the JSON Schema of pipeline specs (for editors)",
        "mlprep schema > mlprep-spec.schema.json",
    ),
    "demo": (
        "run the whole job on the bundled customer table and write a report",
        "mlprep demo --out mlprep-demo && open mlprep-demo/report.html",
    ),
}


_SAGEMAKER_EXAMPLES: dict[str, str] = {
    "fit": "mlprep sagemaker fit --spec spec --data data --target churned --out state",
    "transform": "mlprep sagemaker transform --state state --data data --out transformed "
    "--format sagemaker-csv --target churned",
    "fit-transform": "mlprep sagemaker fit-transform --spec spec --data data "
    "--state state --out transformed",
    "merge": "mlprep sagemaker merge partials --out state",
    "inspect": "mlprep sagemaker inspect state",
    "split": "mlprep sagemaker split --data data --method key --key customer_id --out splits",
    "check-leakage": "mlprep sagemaker check-leakage --train train --test test --key id",
    "baseline": "mlprep sagemaker baseline --data data --out baseline",
    "check-drift": "mlprep sagemaker check-drift --baseline baseline --data data "
    "--out violations",
}


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    *,
    channels: bool,
) -> argparse.ArgumentParser:
    summary, example = _COMMANDS[name]
    if channels:
        example = _SAGEMAKER_EXAMPLES[name]
    parser = commands.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog=f"example:\n  {example}\n\n{_EPILOG}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--json", action="store_true", help="print the report as JSON on stdout"
    )
    parser.add_argument("--quiet", action="store_true", help="no log lines on stderr")
    return parser


def _format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("parquet", "csv", "sagemaker-csv"),
        help="output format (default: from the output's suffix)",
    )


def _target(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--target", metavar="COL", help=what)


def build_parser() -> argparse.ArgumentParser:
    """The ``mlprep`` parser with one sub-command per job, and ``sagemaker`` for each."""
    from mlprep._version import __version__

    parser = argparse.ArgumentParser(
        prog="mlprep",
        description="Leakage-safe preprocessing jobs: fit, transform, split and "
        "check data from the command line.",
        epilog="example:\n  mlprep fit --spec spec.json --data train.csv --out "
        f"state.json\n\n{_EPILOG}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"mlprep {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _add_commands(commands, channels=False)
    _add_quality_commands(commands)
    _command(commands, "schema", channels=False)
    demo = _command(commands, "demo", channels=False)
    demo.add_argument(
        "--out",
        default="mlprep-demo",
        metavar="DIR",
        help="folder to write into (default: mlprep-demo)",
    )
    sagemaker = commands.add_parser(
        "sagemaker",
        help="run a command inside a SageMaker Processing job",
        description=_SAGEMAKER,
        epilog="example:\n  mlprep sagemaker fit --spec spec --data data --out state"
        f"\n\n{_EPILOG}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    jobs = sagemaker.add_subparsers(dest="job", metavar="COMMAND", required=True)
    _add_commands(jobs, channels=True)
    return parser


_SAGEMAKER = """\
Run a command inside a SageMaker Processing container. Path flags take channel
names: inputs and outputs are found by name in
/opt/ml/config/processingjobconfig.json (ProcessingInputs[].InputName,
ProcessingOutputConfig.Outputs[].OutputName), the host in resourceconfig.json.
A fit whose data channel is ShardedByS3Key on several hosts fits partially and
writes partial-<host>.json; a later job merges them (mlprep sagemaker merge).
On failure the reason goes to /opt/ml/output/message. MLPREP_SAGEMAKER_ROOT
moves /opt/ml (for local runs and tests)."""


def _add_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser], *, channels: bool
) -> None:
    """The commands shared by ``mlprep`` and ``mlprep sagemaker``."""
    data = "input channel" if channels else "a CSV or Parquet file, a folder or a glob"
    out = "output channel" if channels else None

    fit = _command(commands, "fit", channels=channels)
    fit.add_argument(
        "--spec", required=True, metavar="SPEC", help=_in(channels, "JSON or YAML spec")
    )
    fit.add_argument("--data", required=True, metavar="PATH", help=data)
    _target(fit, "the label column, passed to fit as y (default: the spec's)")
    fit.add_argument(
        "--out", required=True, metavar="STATE", help=out or "state file to write"
    )
    fit.add_argument(
        "--partial",
        action="store_true",
        help="fit the next step of the spec partially (for shards; merge later)",
    )
    fit.add_argument(
        "--stream",
        action="store_true",
        help="fit batch by batch from the files (data larger than memory; "
        "quantiles from KLL sketches, needs mlprep-kit[scale])",
    )
    fit.add_argument(
        "--state",
        nargs="+",
        metavar="STATE",
        help=_in(channels, "fitted earlier steps (states or partial states to merge)"),
    )

    transform = _command(commands, "transform", channels=channels)
    transform.add_argument(
        "--state", required=True, metavar="STATE", help=_in(channels, "state file")
    )
    transform.add_argument("--data", required=True, metavar="PATH", help=data)
    transform.add_argument(
        "--out", required=True, metavar="PATH", help=out or "data to write"
    )
    _format(transform)
    _target(transform, "a label column kept out of the transform and written first")

    both = _command(commands, "fit-transform", channels=channels)
    both.add_argument(
        "--spec", required=True, metavar="SPEC", help=_in(channels, "JSON or YAML spec")
    )
    both.add_argument("--data", required=True, metavar="PATH", help=data)
    _target(both, "the label column (default: the spec's); written first")
    both.add_argument(
        "--state", required=True, metavar="STATE", help=out or "state to write"
    )
    both.add_argument(
        "--out", required=True, metavar="PATH", help=out or "data to write"
    )
    _format(both)

    merge = _command(commands, "merge", channels=channels)
    merge.add_argument(
        "states", nargs="+", metavar="STATE", help=_in(channels, "states")
    )
    merge.add_argument(
        "--out", required=True, metavar="STATE", help=out or "state to write"
    )

    inspect = _command(commands, "inspect", channels=channels)
    inspect.add_argument("state", metavar="STATE", help=_in(channels, "state file"))

    split = _command(commands, "split", channels=channels)
    split.add_argument("--data", required=True, metavar="PATH", help=data)
    split.add_argument(
        "--method",
        choices=("random", "stratified", "ordered", "key"),
        default="random",
    )
    split.add_argument("--stratify", metavar="COL", help="class column (stratified)")
    split.add_argument("--order-by", metavar="COL", help="time column (ordered)")
    split.add_argument("--key", metavar="COL", help="entity key column (key)")
    split.add_argument(
        "--ratios",
        nargs="+",
        type=float,
        default=[0.7, 0.2, 0.1],
        metavar="R",
        help="2 or 3 shares summing to 1 (default: 0.7 0.2 0.1)",
    )
    split.add_argument("--seed", type=int, default=0)
    split.add_argument(
        "--out", required=True, metavar="DIR", help=out or "folder to write"
    )
    _format(split)

    leakage = _command(commands, "check-leakage", channels=channels)
    leakage.add_argument("--train", required=True, metavar="PATH", help=data)
    leakage.add_argument("--test", required=True, metavar="PATH", help=data)
    leakage.add_argument("--key", nargs="+", metavar="COL", help="entity key column(s)")
    leakage.add_argument("--time", metavar="COL", help="time column")
    leakage.add_argument(
        "--no-duplicates",
        action="store_true",
        help="skip the duplicate-row check",
    )

    baseline = _command(commands, "baseline", channels=channels)
    baseline.add_argument("--data", required=True, metavar="PATH", help=data)
    baseline.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help=out
        or "folder to write baseline.json, statistics.json and constraints.json into",
    )
    _columns(baseline)
    _stream(baseline)

    drift = _command(commands, "check-drift", channels=channels)
    drift.add_argument(
        "--baseline",
        metavar="DIR",
        help=_in(channels, "baseline.json (or its folder) from 'mlprep baseline'"),
    )
    drift.add_argument("--data", required=True, metavar="PATH", help=data)
    if not channels:
        drift.add_argument(
            "--reference",
            metavar="PATH",
            help="reference data to fit a baseline on now (instead of --baseline)",
        )
    drift.add_argument(
        "--method",
        choices=("linf", "psi", "ks", "js", "wasserstein"),
        default="linf",
        help="drift distance (default: linf, as Model Monitor)",
    )
    drift.add_argument(
        "--threshold",
        type=float,
        metavar="T",
        help="drift threshold (default: the method's, see the docs)",
    )
    drift.add_argument(
        "--out",
        metavar="DIR",
        help=out or "folder to write constraint_violations.json and drift.json into",
    )
    _stream(drift)


def _add_quality_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
) -> None:
    """The data-quality commands that read whole tables (not SageMaker jobs)."""
    data = "a CSV or Parquet file, a folder or a glob"
    bias = _command(commands, "bias", channels=False)
    bias.add_argument("--data", required=True, metavar="PATH", help=data)
    bias.add_argument("--label", required=True, metavar="COL", help="the label column")
    bias.add_argument("--facet", required=True, metavar="COL", help="the facet column")
    bias.add_argument(
        "--label-value",
        metavar="V",
        help="the positive label (default: 1)",
        default="1",
    )
    bias.add_argument(
        "--facet-value",
        metavar="V",
        help="the facet value of group d (default: each value against the rest)",
    )
    bias.add_argument("--group", metavar="COL", help="group column for CDDL")
    bias.add_argument(
        "--threshold",
        type=float,
        metavar="T",
        help="a continuous label is positive above T (Clarify's rule)",
    )

    page = _command(commands, "report", channels=False)
    page.add_argument("--data", required=True, metavar="PATH", help=data)
    page.add_argument("--out", required=True, metavar="HTML", help="page to write")
    page.add_argument(
        "--baseline",
        metavar="DIR",
        help="baseline.json (or its folder) to draw drift against",
    )
    _target(page, "the label column (class balance, bias)")
    page.add_argument("--facet", metavar="COL", help="facet column for bias metrics")
    page.add_argument(
        "--label-value",
        metavar="V",
        default="1",
        help="the positive label (default: 1)",
    )


def _columns(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--columns", nargs="+", metavar="COL", help="columns to describe (default: all)"
    )


def _stream(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stream",
        action="store_true",
        help="read batch by batch from the files (data larger than memory)",
    )


def _in(channels: bool, what: str) -> str:
    return f"input channel holding the {what}" if channels else what
