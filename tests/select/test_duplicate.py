"""DropDuplicateFeatures: feature-engine equivalence, keep-first, missing, dtypes, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from feature_engine.selection import DropDuplicateFeatures as FEDropDuplicate
from sklearn.datasets import load_breast_cancer

from mlprep.exceptions import DataError
from mlprep.select import DropDuplicateFeatures


def _cancer() -> pd.DataFrame:
    frame = load_breast_cancer(as_frame=True).data.copy()
    rng = np.random.default_rng(3)
    with_nan = frame["mean area"].mask(rng.random(len(frame)) < 0.1)
    frame["radius_again"] = frame["mean radius"]
    frame["area_nan"] = with_nan
    frame["area_nan_again"] = with_nan.copy()
    frame["area_other_nan"] = frame["mean area"].mask(rng.random(len(frame)) < 0.1)
    frame["radius_third"] = frame["mean radius"]
    return frame


def test_equals_feature_engine_on_breast_cancer() -> None:
    frame = _cancer()
    ours = DropDuplicateFeatures().fit(frame)
    theirs = FEDropDuplicate().fit(frame)
    assert set(ours.dropped_) == theirs.features_to_drop_
    assert ours.dropped_ == ["radius_again", "area_nan_again", "radius_third"]
    assert sorted(map(sorted, ours.duplicated_feature_sets_)) == sorted(
        map(sorted, theirs.duplicated_feature_sets_)
    )
    assert list(ours.transform(frame).columns) == list(theirs.transform(frame).columns)


def test_equals_feature_engine_on_strings_with_missing() -> None:
    frame = pd.DataFrame(
        {
            "a": ["x", None, "y", "x"],
            "b": ["x", None, "y", "x"],
            "c": ["x", "z", "y", "x"],
            "d": ["x", None, "y", "x"],
        }
    )
    ours = DropDuplicateFeatures().fit(frame)
    assert set(ours.dropped_) == FEDropDuplicate().fit(frame).features_to_drop_
    assert ours.dropped_ == ["b", "d"]
    assert ours.duplicate_of_ == {"b": "a", "d": "a"}


def test_keeps_the_first_of_a_group_in_column_order() -> None:
    frame = _cancer()
    order = ["radius_third", *[c for c in frame.columns if c != "radius_third"]]
    ours = DropDuplicateFeatures().fit(frame[order])
    assert "radius_third" not in ours.dropped_
    assert {"mean radius", "radius_again"} <= set(ours.dropped_)


def test_missing_positions_matter() -> None:
    frame = pd.DataFrame({"a": [1.0, np.nan, 3.0], "b": [1.0, 3.0, np.nan]})
    assert DropDuplicateFeatures().fit(frame).dropped_ == []


def test_all_duplicates_of_one_column_keep_that_column() -> None:
    frame = pd.DataFrame({"a": [1.0, 2.0], "b": [1.0, 2.0]})
    assert list(DropDuplicateFeatures().fit_transform(frame).columns) == ["a"]


def test_a_string_and_a_number_column_are_never_duplicates() -> None:
    frame = pd.DataFrame({"a": ["u", "v"], "b": [1.0, 2.0]})
    assert DropDuplicateFeatures().fit(frame).dropped_ == []


def test_lazy_source_is_refused_by_name() -> None:
    with pytest.raises(DataError, match="DropDuplicateFeatures"):
        DropDuplicateFeatures().fit(pl.DataFrame({"a": [1.0], "b": [1.0]}).lazy())


def test_different_dtypes_are_not_duplicates() -> None:
    frame = pd.DataFrame(
        {"i": [1, 2, 3], "f": [1.0, 2.0, 3.0], "s": ["1", "2", "3"], "f2": [1.0, 2, 3]}
    )
    assert DropDuplicateFeatures().fit(frame).dropped_ == ["f2"]


def test_polars_equals_pandas() -> None:
    frame = _cancer()
    assert (
        DropDuplicateFeatures().fit(pl.from_pandas(frame)).dropped_
        == DropDuplicateFeatures().fit(frame).dropped_
    )


def test_partial_fit_is_refused_with_a_reason() -> None:
    selector = DropDuplicateFeatures()
    assert not hasattr(selector, "partial_fit")
    assert "whole columns" in selector._partial_fit_refusal()


def test_summary() -> None:
    text = DropDuplicateFeatures().fit(_cancer()).summary()
    assert "  - radius_again: duplicate of 'mean radius'" in text.splitlines()
