"""``mlprep sagemaker COMMAND``: the commands inside a SageMaker Processing container.

The container contract: the job's request is in
``/opt/ml/config/processingjobconfig.json`` (inputs by ``InputName`` with their
``S3Input.LocalPath`` and ``S3DataDistributionType``; outputs by
``OutputName`` with their ``S3Output.LocalPath``), the instance in
``/opt/ml/config/resourceconfig.json`` (``current_host``, ``hosts``), and the
reason of a failure goes to ``/opt/ml/output/message`` (its first 1 KB is the
job's ``ExitMessage``). ``MLPREP_SAGEMAKER_ROOT`` replaces ``/opt/ml``.

Path flags name channels instead of paths. Input channels are folders; the
output file names are chosen here, so that several instances writing to one
output prefix never collide (``partial-<host>.json``, ``part-<host>.parquet``).
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mlprep.cli._commands import input_format
from mlprep.exceptions import DataError

__all__ = ["Job", "channel_args", "write_failure"]

ROOT_VARIABLE = "MLPREP_SAGEMAKER_ROOT"
_SUFFIX = {"parquet": ".parquet", "csv": ".csv", "sagemaker-csv": ".csv"}


def _root() -> Path:
    return Path(os.environ.get(ROOT_VARIABLE, "/opt/ml"))


@dataclass(frozen=True)
class Job:
    """What the container was given: channels by name, and which host this is."""

    inputs: dict[str, Path]
    sharded: frozenset[str]
    outputs: dict[str, Path]
    host: str
    hosts: tuple[str, ...]

    @classmethod
    def read(cls, root: Path | None = None) -> Job:
        """The job described by the config files under ``root`` (``/opt/ml``)."""
        root = _root() if root is None else root
        config = _json(root / "config" / "processingjobconfig.json")
        resources = _json(root / "config" / "resourceconfig.json")
        inputs: dict[str, Path] = {}
        sharded = set()
        for item in config.get("ProcessingInputs", []):
            s3 = item.get("S3Input") or {}
            local = s3.get("LocalPath") or (item.get("DatasetDefinition") or {}).get(
                "LocalPath"
            )
            if item.get("InputName") and local:
                inputs[item["InputName"]] = Path(local)
                if s3.get("S3DataDistributionType") == "ShardedByS3Key":
                    sharded.add(item["InputName"])
        outputs = {
            item["OutputName"]: Path(item["S3Output"]["LocalPath"])
            for item in (config.get("ProcessingOutputConfig") or {}).get("Outputs", [])
            if item.get("OutputName") and (item.get("S3Output") or {}).get("LocalPath")
        }
        host = str(resources.get("current_host", "algo-1"))
        hosts = tuple(str(h) for h in resources.get("hosts", [host]))
        return cls(inputs, frozenset(sharded), outputs, host, hosts)

    def input(self, name: str, flag: str) -> Path:
        if name not in self.inputs:
            raise DataError(
                f"{flag} {name}: the job has no input channel named {name!r}; its "
                f"inputs are {sorted(self.inputs)}. Name a ProcessingInput "
                f"InputName={name!r}."
            )
        return self.inputs[name]

    def output(self, name: str, flag: str) -> Path:
        if name not in self.outputs:
            raise DataError(
                f"{flag} {name}: the job has no output channel named {name!r}; its "
                f"outputs are {sorted(self.outputs)}. Name a ProcessingOutput "
                f"OutputName={name!r}."
            )
        return self.outputs[name]

    def is_sharded(self, name: str) -> bool:
        """Whether each instance got only a share of the input channel ``name``."""
        return name in self.sharded and len(self.hosts) > 1


def _json(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise DataError(
            f"Cannot read {path} ({error.strerror}): mlprep sagemaker runs inside a "
            f"SageMaker Processing job; set {ROOT_VARIABLE} to run it elsewhere."
        ) from error
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DataError(f"{path} is not valid JSON: {error}.") from error
    if not isinstance(data, dict):
        raise DataError(f"{path} holds a JSON {type(data).__name__}, not an object.")
    return data


def _one_file(folder: Path, flag: str, patterns: tuple[str, ...]) -> str:
    """The single spec or state file of an input channel."""
    if folder.is_file():
        return str(folder)
    found = sorted({p for pattern in patterns for p in folder.glob(pattern)})
    if len(found) != 1:
        raise DataError(
            f"{flag}: the input channel at {folder} holds {len(found)} files matching "
            f"{' or '.join(patterns)}; it must hold exactly one."
        )
    return str(found[0])


def channel_args(args: argparse.Namespace, job: Job) -> argparse.Namespace:
    """``args`` of ``mlprep sagemaker COMMAND`` with channel names turned into paths."""
    out = argparse.Namespace(**vars(args))
    out.command = args.job
    specs = ("*.json", "*.yaml", "*.yml")
    command = args.job
    if command in ("fit", "fit-transform"):
        out.spec = _one_file(job.input(args.spec, "--spec"), "--spec", specs)
        out.data = str(job.input(args.data, "--data"))
    if command == "fit":
        out.state = [
            str(job.input(name, "--state")) for name in args.state or []
        ] or None
        folder = job.output(args.out, "--out")
        out.partial = args.partial or job.is_sharded(args.data)
        name = f"partial-{job.host}.json" if out.partial else "state.json"
        out.out = str(folder / name)
    elif command == "transform":
        out.state = _one_file(job.input(args.state, "--state"), "--state", ("*.json",))
        data = job.input(args.data, "--data")
        out.data = str(data)
        fmt = args.format or input_format(str(data))
        out.format = fmt
        out.out = str(job.output(args.out, "--out") / f"part-{job.host}{_SUFFIX[fmt]}")
    elif command == "fit-transform":
        if job.is_sharded(args.data):
            raise DataError(
                f"fit-transform fits on all of --data {args.data}, but that channel is "
                f"ShardedByS3Key over {len(job.hosts)} instances, each holding a share. "
                "Fit with 'mlprep sagemaker fit' (partial states), merge them, then "
                "transform the shards; or make the channel FullyReplicated."
            )
        out.state = str(job.output(args.state, "--state") / "state.json")
        fmt = args.format or input_format(str(job.input(args.data, "--data")))
        out.format = fmt
        out.out = str(job.output(args.out, "--out") / f"part-{job.host}{_SUFFIX[fmt]}")
    elif command == "merge":
        out.states = [str(job.input(name, "states")) for name in args.states]
        out.out = str(job.output(args.out, "--out") / "state.json")
    elif command == "inspect":
        out.state = _one_file(job.input(args.state, "STATE"), "STATE", ("*.json",))
    elif command == "split":
        out.data = str(job.input(args.data, "--data"))
        folder = job.output(args.out, "--out")
        # several instances upload to one prefix: one sub-folder each
        out.out = str(folder / job.host if len(job.hosts) > 1 else folder)
    elif command == "baseline":
        if job.is_sharded(args.data):
            raise DataError(
                f"baseline describes all of --data {args.data}, but that channel is "
                f"ShardedByS3Key over {len(job.hosts)} instances, each holding a share. "
                "Make the channel FullyReplicated (with --stream for data larger "
                "than memory)."
            )
        out.data = str(job.input(args.data, "--data"))
        out.out = str(job.output(args.out, "--out"))
    elif command == "check-drift":
        if args.baseline is None:
            raise DataError(
                "check-drift needs --baseline, the channel of baseline.json."
            )
        out.baseline = _one_file(
            job.input(args.baseline, "--baseline"), "--baseline", ("baseline.json",)
        )
        out.data = str(job.input(args.data, "--data"))
        out.reference = None
        out.out = None
        if args.out:
            written = job.output(args.out, "--out")
            # several instances upload to one prefix: one sub-folder each
            out.out = str(written / job.host if len(job.hosts) > 1 else written)
    elif command == "check-leakage":
        out.train = str(job.input(args.train, "--train"))
        out.test = str(job.input(args.test, "--test"))
    return out


def write_failure(message: str) -> None:
    """Put the reason of a failure where SageMaker reads the job's ExitMessage."""
    folder = _root() / "output"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "message").write_text(message[:1024] + "\n", encoding="utf-8")
    except OSError:  # a read-only root: the exit code and stderr still tell
        return
