"""mlprep.testing without hypothesis: the checks import, the strategies say what to install."""

from __future__ import annotations

import importlib
import sys

import pytest

import mlprep
from mlprep.exceptions import MissingDependencyError


def _forget_testing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the next import of mlprep.testing.* run afresh; undone after the test."""
    for name in list(sys.modules):
        if name == "mlprep.testing" or name.startswith("mlprep.testing."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(
        mlprep, "testing", sys.modules.get("mlprep.testing"), raising=False
    )
    monkeypatch.setitem(sys.modules, "hypothesis", None)  # as if not installed


def test_strategies_without_hypothesis_name_the_extra(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _forget_testing(monkeypatch)
    with pytest.raises(
        MissingDependencyError, match=r'pip install "mlprep-kit\[test\]"'
    ):
        importlib.import_module("mlprep.testing.strategies")


def test_checks_do_not_need_hypothesis(monkeypatch: pytest.MonkeyPatch) -> None:
    _forget_testing(monkeypatch)
    checks = importlib.import_module("mlprep.testing.checks")
    testing = importlib.import_module("mlprep.testing")
    data = importlib.import_module("mlprep.testing.data")
    assert testing.check_transformer is checks.check_transformer
    X, _ = data.numeric_data()
    from mlprep.scale import StandardScaler

    (result,) = checks.check_transformer(StandardScaler(), X, checks=["check_clone"])
    assert result.status == "passed"
