"""Shared fixtures and Hypothesis profiles.

Profiles: ``ci`` (the default under CI=true: bounded examples, no deadline,
derandomized so a red run reproduces), ``dev`` (the local default) and
``thorough`` (``HYPOTHESIS_PROFILE=thorough`` for a long local hunt).

``spark`` is one local Spark session for the whole run; tests that use it
may open loopback sockets (pytest-socket blocks every other socket).
"""

from __future__ import annotations

import os
import shutil
import sys
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from mlprep.testing.strategies import BACKENDS

settings.register_profile(
    "ci",
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each container mlprep accepts: pandas, polars, pyarrow, numpy."""
    return request.param


# Spark talks to its JVM over loopback sockets; every other test stays socket-free.
SPARK_HOSTS = ["127.0.0.1", "::1", "localhost"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that use the ``spark`` fixture may open loopback sockets, nothing else.

    They are also ``slow`` (a Spark session takes ~50 s to start): plain
    ``pytest`` skips them, CI runs them (``.ci/run``).
    """
    for item in items:
        if "spark" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.allow_hosts(SPARK_HOSTS))
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """A local Spark session (2 cores, small shuffles, no UI), shared by the run.

    Skipped where PySpark or a Java runtime is missing.
    """
    if shutil.which("java") is None:
        pytest.skip("Spark needs a Java runtime: no `java` on PATH")
    sql = pytest.importorskip("pyspark.sql")
    utils = pytest.importorskip("pyspark.sql.pandas.utils")
    try:
        with warnings.catch_warnings():  # PySpark 4 warns about pandas 3 here
            warnings.simplefilter("ignore", FutureWarning)
            utils.require_minimum_pandas_version()
            utils.require_minimum_pyarrow_version()
    except ImportError as exc:
        pytest.skip(f"this PySpark's Arrow functions refuse these versions: {exc}")
    root = tmp_path_factory.mktemp("spark")
    with pytest.MonkeyPatch.context() as patch:
        # the executors' Python is this interpreter, so they import this mlprep
        patch.setenv("PYSPARK_PYTHON", sys.executable)
        patch.setenv("PYSPARK_DRIVER_PYTHON", sys.executable)
        session = (
            sql.SparkSession.builder.master("local[2]")
            .appName("mlprep-tests")
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.default.parallelism", "4")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.execution.arrow.pyspark.enabled", "true")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.local.dir", str(root / "local"))
            .config("spark.sql.warehouse.dir", str(root / "warehouse"))
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate()
        )
        session.sparkContext.setLogLevel("ERROR")
        try:
            yield session
        finally:
            session.stop()
