"""check_resampler and check_splitter catch each broken contract."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import BaseCrossValidator

from mlprep.outliers import Deduplicator, OutlierRemover
from mlprep.split import GroupTimeSeriesSplit, RandomSplitter
from mlprep.testing import (
    RESAMPLER_CHECKS,
    SPLITTER_CHECKS,
    ConformanceError,
    check_resampler,
    check_splitter,
)
from mlprep.testing.data import resample_data, split_data


def _resampler_fails(resampler: Any, check: str, match: str) -> None:
    X, y = resample_data()
    with pytest.raises(ConformanceError) as raised:
        check_resampler(resampler, X, y, checks=[check])
    assert list(raised.value.failures) == [check]
    assert type(resampler).__name__ in str(raised.value)
    assert match in str(raised.value), str(raised.value)


def _splitter_fails(splitter: Any, check: str, match: str, **options: Any) -> None:
    X, y = split_data()
    with pytest.raises(ConformanceError) as raised:
        check_splitter(splitter, X, y, checks=[check], **options)
    assert list(raised.value.failures) == [check]
    assert match in str(raised.value), str(raised.value)


# ---------------------------------------------------------------- resamplers
class ReversingDeduplicator(Deduplicator):
    """Returns the kept rows backwards."""

    def fit_resample(self, X: Any, y: Any = None) -> tuple[Any, Any]:
        X_out, y_out = super().fit_resample(X, y)
        if isinstance(X_out, pd.DataFrame):
            return X_out.iloc[::-1], y_out[::-1]
        return X_out, y_out


class MiscountingDeduplicator(Deduplicator):
    """Reports one row fewer removed than it removed."""

    def fit_resample(self, X: Any, y: Any = None) -> tuple[Any, Any]:
        out = super().fit_resample(X, y)
        self.n_removed_ -= 1
        return out


class TransformingDeduplicator(Deduplicator):
    """Has a transform, which imbalanced-learn's Pipeline refuses."""

    def transform(self, X: Any) -> Any:
        return X


class ResettingDeduplicator(Deduplicator):
    """Drops the pandas index labels."""

    def fit_resample(self, X: Any, y: Any = None) -> tuple[Any, Any]:
        X_out, y_out = super().fit_resample(X, y)
        if isinstance(X_out, pd.DataFrame):
            X_out = X_out.reset_index(drop=True)
        return X_out, y_out


def test_conforming_resamplers_pass_every_check() -> None:
    X, y = resample_data()
    for resampler in (OutlierRemover(), Deduplicator(keep="last")):
        results = check_resampler(resampler, X, y)
        assert [r.check for r in results] == list(RESAMPLER_CHECKS)
        assert {r.status for r in results} == {"passed"}


def test_resampler_without_y() -> None:
    X, _ = resample_data()
    results = check_resampler(Deduplicator(), X)
    assert {r.status for r in results} == {"passed"}


def test_reordered_rows_are_caught() -> None:
    _resampler_fails(ReversingDeduplicator(), "check_resample_rows", "original order")


def test_lost_index_labels_are_caught() -> None:
    _resampler_fails(ResettingDeduplicator(), "check_resample_rows", "index labels")


def test_a_wrong_count_is_caught() -> None:
    _resampler_fails(MiscountingDeduplicator(), "check_resample_mask", "n_removed_")


def test_a_resampler_with_transform_is_caught() -> None:
    _resampler_fails(
        TransformingDeduplicator(),
        "check_resample_containers",
        "must not have transform",
    )


def test_the_pipeline_check_is_skipped_without_imbalanced_learn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in [
        m for m in sys.modules if m == "imblearn" or m.startswith("imblearn.")
    ]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "imblearn", None)
    X, y = resample_data()
    (result,) = check_resampler(
        Deduplicator(), X, y, checks=["check_imblearn_pipeline"]
    )
    assert result.status == "skipped"
    assert "imbalanced-learn is not installed" in result.reason


# ----------------------------------------------------------------- splitters
class _Toy(BaseCrossValidator):
    """A minimal splitter; subclasses break one rule each."""

    def __init__(self, n_splits: int = 2) -> None:
        self.n_splits = n_splits

    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        return self.n_splits

    def _iter_test_indices(
        self, X: Any = None, y: Any = None, groups: Any = None
    ) -> Iterator[np.ndarray]:
        n = len(X)
        for i in range(self.n_splits):
            yield np.arange(i, n, self.n_splits)


class OverlappingSplit(_Toy):
    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[Any]:
        n = len(X)
        for _ in range(self.n_splits):
            yield np.arange(n // 2 + 1), np.arange(n // 2, n)


class MiscountedSplit(_Toy):
    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        return self.n_splits + 1


class UnseededSplit(_Toy):
    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[Any]:
        n = len(X)
        for _ in range(self.n_splits):
            order = np.random.default_rng().permutation(n)
            yield np.sort(order[: n // 2]), np.sort(order[n // 2 :])


class LeavingRowsOut(_Toy):
    def split(self, X: Any, y: Any = None, groups: Any = None) -> Iterator[Any]:
        n = len(X)
        for _ in range(self.n_splits):
            yield np.arange(n // 2), np.arange(n // 2, n - 1)


def test_conforming_splitters_pass_every_check() -> None:
    X, y = split_data()
    results = check_splitter(
        RandomSplitter(ratios=(0.75, 0.25), n_splits=2), X, y, covers_all_rows=True
    )
    assert [r.check for r in results] == list(SPLITTER_CHECKS)
    assert {r.status for r in results} == {"passed"}
    grouped = check_splitter(
        GroupTimeSeriesSplit(n_splits=3), X, groups=X["week"].to_numpy()
    )
    assert {r.status for r in grouped} == {"passed"}


def test_overlapping_parts_are_caught() -> None:
    _splitter_fails(OverlappingSplit(), "check_split_indices", "in both parts")


def test_a_wrong_get_n_splits_is_caught() -> None:
    _splitter_fails(
        MiscountedSplit(), "check_get_n_splits", "says 3 but split yielded 2"
    )
    _splitter_fails(MiscountedSplit(), "check_cross_validation", "inconsistent")


def test_an_unseeded_splitter_is_caught() -> None:
    _splitter_fails(UnseededSplit(), "check_deterministic", "differs")


def test_rows_left_out_are_caught_when_every_row_must_be_covered() -> None:
    _splitter_fails(
        LeavingRowsOut(), "check_split_indices", "covers 59 of 60", covers_all_rows=True
    )
    X, y = split_data()
    (result,) = check_splitter(LeavingRowsOut(), X, y, checks=["check_split_indices"])
    assert result.status == "passed"


def test_a_splitter_without_constraint_table_is_caught() -> None:
    _splitter_fails(_Toy(), "check_parameter_constraints", "_parameter_constraints")
