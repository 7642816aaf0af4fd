"""Deduplicator: exact and subset duplicates, keep=, missing values, y alignment."""

import re

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st
from imblearn.pipeline import Pipeline
from sklearn.linear_model import LinearRegression

from mlprep.exceptions import DataError, InvalidParameterError
from mlprep.outliers import Deduplicator
from mlprep.testing.strategies import as_backend, duplicated_frames, targets

X = pd.DataFrame(
    {
        "id": [1, 2, 2, 3, 1, 4],
        "city": ["a", "b", "b", "c", "a", "b"],
        "v": [0.5, 1.0, 1.0, 2.0, 0.5, 1.0],
    },
    index=[10, 11, 12, 13, 14, 15],
)


@pytest.mark.parametrize(
    ("keep", "removed"), [("first", [2, 4]), ("last", [0, 1]), (False, [0, 1, 2, 4])]
)
def test_exact_duplicates_and_keep(keep, removed):
    dedup = Deduplicator(keep=keep)
    X_out, y_out = dedup.fit_resample(X, np.arange(6))
    assert dedup.removed_indices_.tolist() == removed
    assert dedup.n_removed_ == len(removed)
    kept = [i for i in range(6) if i not in removed]
    assert y_out.tolist() == kept
    pd.testing.assert_frame_equal(X_out, X.iloc[kept])  # original index labels kept


def test_subset_decides_duplicates_but_every_column_is_returned():
    dedup = Deduplicator(subset=["city", "v"])
    X_out, _ = dedup.fit_resample(X)
    assert dedup.subset_ == ["city", "v"]
    assert dedup.removed_indices_.tolist() == [2, 4, 5]
    assert list(X_out.columns) == ["id", "city", "v"]


def test_subset_by_position_on_numpy():
    arr = np.array([[1.0, 5.0], [1.0, 6.0], [2.0, 5.0]])
    X_out, _ = Deduplicator(subset=0).fit_resample(arr)
    np.testing.assert_array_equal(X_out, arr[[0, 2]])


def test_unknown_subset_column_is_an_error():
    with pytest.raises(
        DataError, match="Column 'zip' given in columns= is not in the data"
    ):
        Deduplicator(subset="zip").fit_resample(X)


def test_keep_is_validated():
    with pytest.raises(
        InvalidParameterError,
        match=re.escape(
            "The 'keep' parameter of Deduplicator must be one of 'first', 'last', False. Got True instead."
        ),
    ):
        Deduplicator(keep=True).fit_resample(X)


@pytest.mark.parametrize("backend", ["pandas", "polars", "pyarrow", "numpy"])
def test_missing_values_are_equal_to_each_other(backend):
    frame = pd.DataFrame({"a": [1.0, np.nan, np.nan, 2.0], "b": [0.0, 3.0, 3.0, 0.0]})
    dedup = Deduplicator()
    X_out, _ = dedup.fit_resample(as_backend(frame, backend))
    assert dedup.removed_indices_.tolist() == [2]
    assert len(X_out) == 3


def test_polars_null_and_string_columns():
    frame = pl.DataFrame({"s": ["x", None, None, "y"], "n": [1, None, None, 1]})
    X_out, y_out = Deduplicator().fit_resample(frame, pl.Series("y", [0, 1, 2, 3]))
    assert isinstance(X_out, pl.DataFrame) and y_out.to_list() == [0, 1, 3]


def test_pyarrow_table_in_and_out():
    table = pa.table({"a": [1, 1, 2], "b": ["x", "x", "y"]})
    X_out, _ = Deduplicator().fit_resample(table)
    assert isinstance(X_out, pa.Table) and X_out.num_rows == 2


def test_no_duplicates_removes_nothing():
    dedup = Deduplicator()
    X_out, _ = dedup.fit_resample(X.drop_duplicates())
    assert dedup.n_removed_ == 0 and len(X_out) == 4


def test_in_an_imblearn_pipeline():
    Xn = np.array([[1.0, 2.0], [1.0, 2.0], [3.0, 4.0], [5.0, 7.0]])
    y = np.array([1.0, 100.0, 2.0, 3.0])
    pipeline = Pipeline([("dedup", Deduplicator()), ("model", LinearRegression())]).fit(
        Xn, y
    )
    reference = LinearRegression().fit(Xn[[0, 2, 3]], y[[0, 2, 3]])
    np.testing.assert_allclose(pipeline[-1].coef_, reference.coef_)
    assert pipeline.predict(Xn).shape == (4,)


@given(
    frame=duplicated_frames(),
    subset=st.sampled_from([None, ["x"], ["s", "n"]]),
    keep=st.sampled_from(["first", "last", False]),
    backend=st.sampled_from(["pandas", "polars", "pyarrow"]),
)
def test_property_matches_pandas_drop_duplicates(frame, subset, keep, backend):
    y = targets(len(frame), "numpy")
    dedup = Deduplicator(subset=subset, keep=keep)
    X_out, y_out = dedup.fit_resample(as_backend(frame, backend), y)
    expected = frame.drop_duplicates(subset=subset, keep=keep)
    assert len(X_out) == len(y_out) == len(expected)
    assert y_out.tolist() == expected.index.tolist()
    out = X_out if backend == "pandas" else X_out.to_pandas()
    assert _rows(out) == _rows(expected)


def _rows(frame):
    return [
        [None if pd.isna(v) else v for v in row]
        for row in frame.itertuples(index=False)
    ]
