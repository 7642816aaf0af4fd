"""Conformance checks for mlprep transformers, resamplers and splitters.

What ``tests/test_common.py`` runs over every public mlprep class, shipped
so that a new family (or a third-party extension) can run it over its own:

* :func:`check_transformer` — containers in and out, ``set_output``, output
  names and the naming rule, ``clone``, pickle and ``mlprep.save`` /
  ``mlprep.load`` round trips, no mutation, ``transform`` writing nothing to
  ``self``, parameter constraints, ``fit_transform`` and ``partial_fit``;
* :func:`check_resampler` — ``fit_resample`` containers, rows and mask,
  round trips, ``imblearn.pipeline.Pipeline``;
* :func:`check_splitter` — disjoint in-range indices, ``get_n_splits``,
  determinism, round trips, ``cv=`` of scikit-learn's model selection;
* :func:`sklearn_checks` / :func:`check_sklearn` — scikit-learn's own checks
  (1.5 and later).

Every function takes ``expected_failures={check name: reason}``, and it is
strict: an expected failure still runs, and if it passes that is an error
(remove it). Failures raise :class:`ConformanceError` (an ``AssertionError``)
naming the estimator and each failing check. Nothing here needs hypothesis.

Examples
--------
>>> from mlprep.scale import MinMaxScaler
>>> from mlprep.testing.checks import TRANSFORMER_CHECKS, check_transformer
>>> from mlprep.testing.data import numeric_data
>>> X, _ = numeric_data()
>>> results = check_transformer(MinMaxScaler(), X, checks=["check_partial_fit"])
>>> results[0].status
'passed'
"""

from mlprep.testing._containers import BACKENDS, as_backend
from mlprep.testing._resampler import RESAMPLER_CHECKS, check_resampler
from mlprep.testing._runner import CheckResult, ConformanceError
from mlprep.testing._sklearn import SklearnCheck, check_sklearn, sklearn_checks
from mlprep.testing._splitter import SPLITTER_CHECKS, check_splitter
from mlprep.testing._transformer import TRANSFORMER_CHECKS, check_transformer

for _public in (CheckResult, ConformanceError, SklearnCheck):
    _public.__module__ = __name__

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
