"""The ``mlprep`` argument parser: every command, its flags and an example each.

Building the parser imports nothing but argparse, so ``mlprep --help`` answers
before numpy, pandas or scikit-learn would have loaded.
"""

from __future__ import annotations

import argparse

__all__ = ["build_parser"]

_EPILOG = """\
exit codes: 0 ok; 1 a check found a problem (leakage); 2 usage error (bad flag,
bad spec); 3 bad data (missing column or file, unreadable file).
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


def _in(channels: bool, what: str) -> str:
    return f"input channel holding the {what}" if channels else what
