"""SageMaker Python SDK (v2) code for the three ways to run mlprep in a Processing job.

Not run by the test suite: it needs the ``sagemaker`` package, an AWS account,
an IAM role and a bucket. Import a function and call it, or paste its body.
docs/sagemaker.md explains each pattern; ``simulate_two_hosts.py`` in this
folder runs the same jobs on this machine.

SDK v3 moved these classes: ``from sagemaker.core.processing import Processor,
FrameworkProcessor``, and inputs/outputs are the API shapes
``sagemaker.core.shapes.ProcessingInput(input_name=..., s3_input=
ProcessingS3Input(...))`` and ``ProcessingOutput(output_name=..., s3_output=
ProcessingS3Output(...))``; the channel names and arguments stay the same.

Channels: every input and output is named (``input_name``/``output_name``),
and mlprep's path flags take those names. Local paths must be under
``/opt/ml/processing/``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

PROCESSING = "/opt/ml/processing"
HERE = Path(__file__).resolve().parent


def channel_in(name: str, s3_uri: str, *, sharded: bool = False) -> Any:
    """An input channel ``name`` at /opt/ml/processing/input/NAME."""
    from sagemaker.processing import ProcessingInput

    return ProcessingInput(
        source=s3_uri,
        destination=f"{PROCESSING}/input/{name}",
        input_name=name,
        s3_data_distribution_type="ShardedByS3Key" if sharded else "FullyReplicated",
    )


def channel_out(name: str, s3_uri: str) -> Any:
    """An output channel ``name`` at /opt/ml/processing/output/NAME."""
    from sagemaker.processing import ProcessingOutput

    return ProcessingOutput(
        source=f"{PROCESSING}/output/{name}",
        destination=s3_uri,
        output_name=name,
    )


# ---------------------------------------------------------------- pattern 1
def own_image_fit(role: str, image_uri: str, bucket: str) -> None:
    """Pattern 1: the image of ./Dockerfile (ENTRYPOINT python3 -m mlprep).

    The arguments are the command after ``mlprep``; they become the job's
    ContainerArguments.
    """
    from sagemaker.processing import Processor

    processor = Processor(
        role=role,
        image_uri=image_uri,  # e.g. <account>.dkr.ecr.<region>.amazonaws.com/mlprep-processing:latest
        instance_count=1,
        instance_type="ml.m5.xlarge",
    )
    processor.run(
        inputs=[
            channel_in("spec", f"s3://{bucket}/mlprep/spec/"),
            channel_in("data", f"s3://{bucket}/mlprep/train/"),
        ],
        outputs=[channel_out("state", f"s3://{bucket}/mlprep/state/")],
        arguments=(
            "sagemaker fit --spec spec --data data --target churned --out state"
        ).split(),
    )


# ---------------------------------------------------------------- pattern 2
# Installs mlprep-kit from the wheelhouse input channel "wheels" (no index is
# contacted), then replaces the shell with mlprep: the job's arguments follow
# "sagemaker" ("$@"), and mlprep receives the stop signal.
BOOTSTRAP = [
    "/bin/sh",
    "-c",
    "python3 -m pip install --no-index --find-links "
    f"{PROCESSING}/input/wheels mlprep-kit "
    '&& exec python3 -m mlprep sagemaker "$@"',
    "mlprep",  # $0 of the script
]


def sklearn_image_transform(role: str, region: str, bucket: str) -> None:
    """Pattern 2: the prebuilt scikit-learn image and a wheelhouse input.

    ``s3://BUCKET/mlprep/wheels/`` holds the wheels ``pip download`` fetched
    for the image's Python (3.10 for 1.4-2; see docs/sagemaker.md), including
    scikit-learn >= 1.5 because the image ships 1.4.2.
    """
    from sagemaker import image_uris
    from sagemaker.processing import Processor

    processor = Processor(
        role=role,
        # an SDK release that lists 1.4-2; otherwise give the URI from the AWS docs
        image_uri=image_uris.retrieve("sklearn", region, version="1.4-2"),
        instance_count=2,
        instance_type="ml.m5.xlarge",
        entrypoint=BOOTSTRAP,
    )
    processor.run(
        inputs=[
            channel_in("wheels", f"s3://{bucket}/mlprep/wheels/"),
            channel_in("state", f"s3://{bucket}/mlprep/state/"),
            channel_in("data", f"s3://{bucket}/mlprep/test/", sharded=True),
        ],
        outputs=[channel_out("transformed", f"s3://{bucket}/mlprep/test-ready/")],
        arguments=(
            "transform --state state --data data --out transformed --target churned --format sagemaker-csv"
        ).split(),
    )


# ---------------------------------------------------------------- pattern 3
# The whole entry point of the FrameworkProcessor pattern.
ENTRY_POINT = "from mlprep.cli import main\n\nraise SystemExit(main())\n"


def framework_processor_fit(role: str, bucket: str, source_dir: Path) -> None:
    """Pattern 3: FrameworkProcessor with source_dir and requirements.txt.

    ``source_dir`` is filled with ``run_mlprep.py`` (the two lines above) and
    this folder's requirements.txt; for an offline job put the wheelhouse in
    ``source_dir/wheels/`` and uncomment the two lines of requirements.txt.
    The SDK uploads the folder as sourcedir.tar.gz; the job unpacks it in
    /opt/ml/processing/input/code/, runs ``pip install -r requirements.txt``
    and then ``python3 run_mlprep.py ARGUMENTS``.
    """
    from sagemaker.processing import FrameworkProcessor
    from sagemaker.sklearn.estimator import SKLearn

    source_dir.mkdir(parents=True, exist_ok=True)
    (source_dir / "run_mlprep.py").write_text(ENTRY_POINT, encoding="utf-8")
    shutil.copy(HERE / "requirements.txt", source_dir / "requirements.txt")

    processor = FrameworkProcessor(
        estimator_cls=SKLearn,
        framework_version="1.4-2",
        role=role,
        instance_count=1,
        instance_type="ml.m5.xlarge",
        command=["python3"],
    )
    processor.run(
        code="run_mlprep.py",
        source_dir=str(source_dir),
        inputs=[
            channel_in("spec", f"s3://{bucket}/mlprep/spec/"),
            channel_in("data", f"s3://{bucket}/mlprep/train/"),
        ],
        outputs=[
            channel_out("state", f"s3://{bucket}/mlprep/state/"),
            channel_out("transformed", f"s3://{bucket}/mlprep/train-ready/"),
        ],
        arguments=(
            "sagemaker fit-transform --spec spec --data data --state state --out transformed --format sagemaker-csv"
        ).split(),
    )


# ---------------------------------------------------------------- sharded fit
def sharded_fit(
    make_processor: Callable[[int], Any],
    bucket: str,
    spec_file: str,
    instances: int,
) -> str:
    """Fit a spec on a sharded data channel: one job per step, then a merge job.

    ``make_processor(instance_count)`` returns a ``Processor`` of any pattern
    whose job arguments follow ``mlprep`` (pattern 1's; for pattern 2 drop
    the leading "sagemaker" below, the bootstrap adds it). ``spec_file`` is
    the local copy of the spec uploaded to ``s3://BUCKET/mlprep/spec/``.
    Returns the S3 prefix of the merged ``state.json``.

    Round k fits step k on every instance (ShardedByS3Key: each gets a share
    of the objects, so give the channel at least as many objects as
    instances) and writes ``partial-<host>.json``; round k+1 reads all of
    them as the input channel ``previous``, merges them, passes its shard
    through the merged steps and fits the next one.
    """
    from mlprep.spec import build_pipeline

    steps = len(build_pipeline(spec_file).steps)  # "drop" counts as a step
    spec = channel_in("spec", f"s3://{bucket}/mlprep/spec/")
    data = channel_in("data", f"s3://{bucket}/mlprep/train/", sharded=True)
    previous = None
    for step in range(1, steps + 1):
        partials = f"s3://{bucket}/mlprep/fit/round-{step}/"
        inputs = [spec, data]
        arguments = ["sagemaker", "fit", "--spec", "spec", "--data", "data"]
        if previous is not None:
            inputs.append(channel_in("previous", previous))
            arguments += ["--state", "previous"]
        make_processor(instances).run(
            inputs=inputs,
            outputs=[channel_out("partials", partials)],
            arguments=[*arguments, "--out", "partials"],
        )
        previous = partials
    state = f"s3://{bucket}/mlprep/state/"
    make_processor(1).run(
        inputs=[channel_in("partials", previous)],
        outputs=[channel_out("state", state)],
        arguments=["sagemaker", "merge", "partials", "--out", "state"],
    )
    return state
