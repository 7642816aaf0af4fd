"""Developer sessions: ``nox -l`` lists them, ``nox -s NAME`` runs one.

The default run (``nox``) is tests, lint and typecheck. ``minimums`` tests the
lowest supported versions; ``bench`` rewrites benchmarks/RESULTS.md (slow, and
best on a quiet machine).
"""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.error_on_missing_interpreters = True

ROOT = Path(__file__).parent
PYTHON = "3.11"
# pyproject's addopts leave out the tests marked slow (the everyday `pytest`);
# the sessions run every test, as CI does. A later -m in posargs still wins.
ALL_TESTS = ["-m", ""]
# The lowest versions mlprep supports (pyproject.toml's floors), pinned
# where a wheel exists for the session's Python.
MINIMUMS = [
    "numpy==1.24.4",
    "scipy==1.10.1",
    "pandas==2.0.3",
    "scikit-learn==1.4.2",  # SageMaker's scikit-learn 1.4-2 image
    "narwhals==2.26.0",
    "pyarrow==14.0.2",
    "pyspark==3.5.9",  # the oldest Spark mlprep supports (SageMaker's Spark images)
]


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the whole test suite (doctests and slow tests included), newest dependencies.

    ``nox -s tests -- -m "not slow"`` runs the everyday subset.
    """
    session.install("-e", ".[test]")
    session.run("pytest", *ALL_TESTS, *session.posargs, env={"CI": "true"})


@nox.session(python=PYTHON, default=False)
def minimums(session: nox.Session) -> None:
    """Run the test suite on the lowest supported numpy, pandas and scikit-learn."""
    session.install(*MINIMUMS)
    session.install("-e", ".[test]", *[f"--constraint={_constraints(session)}"])
    session.run(
        "python",
        "-c",
        "import numpy, pandas, sklearn; print(numpy.__version__, pandas.__version__, sklearn.__version__)",
    )
    # Docstring examples print reprs of the newest numpy/pandas; test modules only.
    session.run("pytest", "tests", *ALL_TESTS, *session.posargs, env={"CI": "true"})


def _constraints(session: nox.Session, pins: list[str] = MINIMUMS) -> str:
    path = Path(session.create_tmp()) / "constraints.txt"
    path.write_text("\n".join(pins) + "\n")
    return str(path)


# What SageMaker's scikit-learn images ship (docs/sagemaker.md): the 1.4-2 image
# leaves pandas unpinned, so it gets the newest pandas 2 for its Python.
SAGEMAKER_SKLEARN_14 = [
    "scikit-learn==1.4.2",
    "numpy==2.1.0",
    "pyarrow==17.0.0",
    "pandas<3",
]
SAGEMAKER_SKLEARN_19 = [
    "scikit-learn==1.9.0",
    "numpy==2.5.1",
    "pandas==2.2.3",
    "pyarrow==25.0.0",
]


@nox.session(python="3.10", default=False)
def sagemaker_sklearn_14(session: nox.Session) -> None:
    """Run the test suite on the SageMaker scikit-learn 1.4-2 image's versions."""
    _sagemaker_image(session, SAGEMAKER_SKLEARN_14)


@nox.session(python="3.12", default=False)
def sagemaker_sklearn_19(session: nox.Session) -> None:
    """Run the test suite on the SageMaker (DLC) scikit-learn 1.9-0 image's versions."""
    # pandas 2.2.3 predates numpy 2.5: its own Timedelta constructor warns
    # about numpy's generic timedelta unit, whatever mlprep passes it.
    _sagemaker_image(
        session,
        SAGEMAKER_SKLEARN_19,
        "-W",
        "ignore:The 'generic' unit for NumPy timedelta is deprecated:DeprecationWarning",
    )


def _sagemaker_image(session: nox.Session, pins: list[str], *pytest_args: str) -> None:
    session.install(*pins)
    session.install("-e", ".[test]", f"--constraint={_constraints(session, pins)}")
    session.run(
        "python",
        "-c",
        "import numpy, pandas, pyarrow, sklearn; print(numpy.__version__, "
        "pandas.__version__, pyarrow.__version__, sklearn.__version__)",
    )
    session.run(
        "pytest",
        "tests",
        *ALL_TESTS,
        *pytest_args,
        *session.posargs,
        env={"CI": "true"},
    )


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """ruff over the package, tests, benchmarks and examples."""
    session.install("ruff")
    session.run("ruff", "check", "src", "tests", "benchmarks", "examples", "noxfile.py")


@nox.session(python=PYTHON)
def typecheck(session: nox.Session) -> None:
    """mypy over the package."""
    session.install(
        "-e", ".[test]", "mypy", "pandas-stubs"
    )  # mlprep.testing uses hypothesis
    session.run("mypy")


@nox.session(python=PYTHON)
def examples(session: nox.Session) -> None:
    """Run every script in examples/ (each must exit 0)."""
    session.install("-e", ".[test]")
    for script in sorted((ROOT / "examples").glob("*.py")):
        session.log(f"running {script.name}")
        session.run("python", str(script))


@nox.session(python=PYTHON, default=False)
def docs(session: nox.Session) -> None:
    """Build the user guide and API reference with mkdocs (strict: broken links fail).

    The site loads nothing from the network (no web fonts): the session fails
    if a built page or stylesheet refers to a font service.
    """
    session.install("-e", ".[docs]")
    site = ROOT / "site"
    session.run(
        "mkdocs",
        "build",
        "--strict",
        "--site-dir",
        str(site),
        env={"NO_MKDOCS_2_WARNING": "1"},
    )
    fonts = ("fonts.googleapis.com", "fonts.gstatic.com")
    for path in site.rglob("*"):
        if path.suffix in {".html", ".css", ".js"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            if any(host in text for host in fonts):
                session.error(
                    f"{path.relative_to(ROOT)} loads web fonts from the network"
                )


@nox.session(python=PYTHON, default=False)
def bench(session: nox.Session) -> None:
    """Re-measure mlprep against its peers; rewrites benchmarks/RESULTS.md.

    bench_scale.py writes its Parquet files once into benchmarks/.data/ (about
    2 GB); bench_spark.py needs Java 17+ for Spark's local mode.
    """
    session.install("-e", ".[bench,spark]", "scikit-learn", "pandas")
    results = ROOT / "benchmarks" / "RESULTS.md"
    results.write_text(
        "# Benchmark results\n\nWritten by `nox -s bench`; every table compares peers "
        "measured in the same run on the same machine.\n\n"
    )
    for script in sorted((ROOT / "benchmarks").glob("bench_*.py")):
        session.run("python", str(script), "--out", str(results), *session.posargs)
