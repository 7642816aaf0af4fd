"""DropConstantFeatures: feature-engine equivalence, missing values, partial_fit, errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from feature_engine.selection import DropConstantFeatures as FEDropConstant
from sklearn.datasets import load_diabetes

import mlprep
from mlprep.exceptions import DataError, InvalidParameterError
from mlprep.select import DropConstantFeatures


def _diabetes(missing: bool = False) -> pd.DataFrame:
    frame = load_diabetes(as_frame=True).data.copy()
    n = len(frame)
    frame["constant"] = 1.0
    frame["quasi"] = np.where(np.arange(n) < 5, 2.0, 0.0)  # 98.9 % zero
    frame["label"] = np.where(np.arange(n) < 20, "a", "b")  # 95.5 % "b"
    frame["flag"] = np.arange(n) % 7 == 0
    if missing:
        frame.loc[:9, "constant"] = np.nan
        frame.loc[:3, "quasi"] = np.nan
        frame.loc[:300, "sex"] = np.nan
        frame.loc[50:55, "label"] = None
    return frame


@pytest.mark.parametrize("tol", [1.0, 0.99, 0.98, 0.95, 0.9, 0.5])
def test_equals_feature_engine_without_missing(tol: float) -> None:
    frame = _diabetes()
    ours = DropConstantFeatures(tol=tol).fit(frame)
    theirs = FEDropConstant(tol=tol).fit(frame)
    assert ours.dropped_ == theirs.features_to_drop_
    assert ours.dropped_  # the test data has something to drop at every tol
    assert list(ours.transform(frame).columns) == list(theirs.transform(frame).columns)


# feature-engine fills missing with a string under "include" (pandas warns)
@pytest.mark.filterwarnings("ignore:'str' is not supported as a fill value")
@pytest.mark.parametrize("missing_values", ["ignore", "include"])
@pytest.mark.parametrize("tol", [1.0, 0.99, 0.95, 0.9, 0.5])
def test_equals_feature_engine_with_missing(missing_values: str, tol: float) -> None:
    frame = _diabetes(missing=True)
    ours = DropConstantFeatures(tol=tol, missing_values=missing_values).fit(frame)
    theirs = FEDropConstant(tol=tol, missing_values=missing_values).fit(frame)
    assert ours.dropped_ == theirs.features_to_drop_


def test_missing_value_rules() -> None:
    frame = pd.DataFrame(
        {
            "one_and_nan": [1.0, 1.0, np.nan, np.nan],
            "all_nan": [np.nan] * 4,
            "varies": [1.0, 2.0, 3.0, 4.0],
        }
    )
    ignore = DropConstantFeatures(missing_values="ignore").fit(frame)
    assert ignore.dropped_ == ["one_and_nan"]
    include = DropConstantFeatures(missing_values="include").fit(frame)
    assert include.dropped_ == ["all_nan"]
    assert DropConstantFeatures(0.5, missing_values="ignore").fit(frame).dropped_ == [
        "one_and_nan"
    ]
    assert DropConstantFeatures(0.5, missing_values="include").fit(frame).dropped_ == [
        "one_and_nan",
        "all_nan",
    ]
    assert ignore.top_share_ == {"one_and_nan": 0.5, "all_nan": 0.0, "varies": 0.25}


def test_missing_values_raise_names_the_column() -> None:
    frame = _diabetes(missing=True)
    with pytest.raises(DataError, match=r"'sex'.*missing_values='ignore'"):
        DropConstantFeatures().fit(frame)


def test_partial_fit_and_polars_equal_fit() -> None:
    frame = _diabetes(missing=True)
    whole = DropConstantFeatures(tol=0.95, missing_values="include").fit(frame)
    batched = DropConstantFeatures(tol=0.95, missing_values="include")
    for start in range(0, len(frame), 100):
        batched.partial_fit(frame.iloc[start : start + 100])
    assert batched.dropped_ == whole.dropped_
    assert batched.top_share_ == pytest.approx(whole.top_share_)
    lazy = DropConstantFeatures(tol=0.95, missing_values="include").fit(
        pl.from_pandas(frame).lazy()
    )
    assert lazy.dropped_ == whole.dropped_


def test_every_column_dropped_is_a_data_error() -> None:
    frame = pd.DataFrame({"a": [1, 1, 1], "b": ["x", "x", "x"]})
    with pytest.raises(DataError, match="every column"):
        DropConstantFeatures().fit(frame)


@pytest.mark.parametrize(
    "params", [{"tol": 0.0}, {"tol": 1.5}, {"missing_values": "drop"}]
)
def test_invalid_parameters(params: dict) -> None:
    with pytest.raises(InvalidParameterError):
        DropConstantFeatures(**params).fit(_diabetes())


def test_columns_limits_what_is_examined() -> None:
    frame = _diabetes()
    selector = DropConstantFeatures(columns=["quasi", "age"], tol=0.98).fit(frame)
    assert selector.dropped_ == ["quasi"]
    assert "constant" in selector.transform(frame).columns


def test_summary_lists_each_dropped_column_with_its_share() -> None:
    text = DropConstantFeatures(tol=0.98).fit(_diabetes()).summary()
    lines = text.splitlines()
    assert lines[0] == "DropConstantFeatures: dropped 2 of 14 columns"
    assert lines[1].startswith("  - constant: most frequent value fills 100%")
    assert lines[2].startswith("  - quasi: most frequent value fills 99%")


def test_partial_fit_of_a_constant_looking_batch_refuses_only_at_transform() -> None:
    frame = pd.DataFrame({"a": [1, 1, 2], "b": [1, 2, 3]})
    early = DropConstantFeatures(tol=0.6).partial_fit(frame.iloc[2:])
    assert early.dropped_ == ["a", "b"]
    with pytest.raises(DataError, match="every column"):
        early.transform(frame)
    late = DropConstantFeatures(tol=0.6).partial_fit(frame.iloc[:2])
    merged = mlprep.merge([early, late])
    assert merged.dropped_ == ["a"]
    assert list(merged.transform(frame).columns) == ["b"]
    with pytest.raises(DataError, match="n_samples=1"):
        DropConstantFeatures(tol=0.6).fit(frame.iloc[2:])
