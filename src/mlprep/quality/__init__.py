"""Data quality, drift and bias: baselines and their checks, distances, pre-training bias.

* :class:`Baseline`: per-column statistics and suggested constraints of a
  reference dataset (SageMaker Model Monitor's data-quality baseline, as a
  mergeable estimator); ``check(X)`` gives a :class:`DriftReport`;
* :func:`drift`: one distance per shared column of two datasets (PSI, KS,
  Jensen–Shannon, L-infinity, Wasserstein);
* :func:`pretraining_bias`: SageMaker Clarify's pre-training bias metrics;
* :func:`report`: all of it as one self-contained HTML page.
"""

from mlprep.quality._baseline import Baseline
from mlprep.quality._bias import pretraining_bias
from mlprep.quality._distances import THRESHOLDS
from mlprep.quality._drift import drift
from mlprep.quality._drift_report import DriftReport
from mlprep.quality._report import QualityReport, report

__all__ = [
    "THRESHOLDS",
    "Baseline",
    "DriftReport",
    "QualityReport",
    "drift",
    "pretraining_bias",
    "report",
]
