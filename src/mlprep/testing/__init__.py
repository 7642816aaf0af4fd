"""Testing helpers shipped with mlprep: conformance checks, their data, Hypothesis strategies.

* :mod:`mlprep.testing.checks` (re-exported here): :func:`check_transformer`,
  :func:`check_resampler`, :func:`check_splitter`, :func:`sklearn_checks`,
  :func:`check_sklearn`; strict expected failures; no hypothesis needed.
* :mod:`mlprep.testing.data`: the small data sets the checks run on.
* :mod:`mlprep.testing.strategies`: Hypothesis strategies for property tests;
  it needs ``hypothesis`` (``pip install "mlprep-kit[test]"``) and raises
  :class:`~mlprep.exceptions.MissingDependencyError` saying so without it.

Examples
--------
>>> from mlprep.testing import ConformanceError
>>> issubclass(ConformanceError, AssertionError)
True
"""

from mlprep.testing.checks import (
    BACKENDS,
    RESAMPLER_CHECKS,
    SPLITTER_CHECKS,
    TRANSFORMER_CHECKS,
    CheckResult,
    ConformanceError,
    SklearnCheck,
    as_backend,
    check_resampler,
    check_sklearn,
    check_splitter,
    check_transformer,
    sklearn_checks,
)

__all__ = [
    "BACKENDS",
    "RESAMPLER_CHECKS",
    "SPLITTER_CHECKS",
    "TRANSFORMER_CHECKS",
    "CheckResult",
    "ConformanceError",
    "SklearnCheck",
    "as_backend",
    "check_resampler",
    "check_sklearn",
    "check_splitter",
    "check_transformer",
    "sklearn_checks",
]
