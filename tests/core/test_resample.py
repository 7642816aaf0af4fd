"""MlprepResampler: y alignment per container, length checks, the mask, registration."""

import re

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from mlprep.core import Options, registered
from mlprep.core._rows import take_rows
from mlprep.core.resample import MlprepResampler
from mlprep.exceptions import DataError, InvalidParameterError, NotFittedError


class EveryOther(MlprepResampler):
    """Keeps the even rows (or the odd ones): the smallest concrete resampler."""

    _parameter_constraints = {"start": [Options(0, 1)]}

    def __init__(self, *, start=0):
        self.start = start

    def _keep_mask(self, frame, y):
        return np.arange(frame.shape[0]) % 2 == self.start


X = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0, 5.0]}, index=[10, 11, 12, 13, 14])


@pytest.mark.parametrize(
    ("y", "expected"),
    [
        (np.array([0, 1, 2, 3, 4]), np.array([0, 2, 4])),
        (
            np.array([[0, 9], [1, 9], [2, 9], [3, 9], [4, 9]]),
            np.array([[0, 9], [2, 9], [4, 9]]),
        ),
        ([0, 1, 2, 3, 4], [0, 2, 4]),
        ((0, 1, 2, 3, 4), (0, 2, 4)),
    ],
)
def test_numpy_and_python_targets_keep_their_type(y, expected):
    _, y_out = EveryOther().fit_resample(X, y)
    assert type(y_out) is type(expected)
    np.testing.assert_array_equal(np.asarray(y_out), np.asarray(expected))


def test_pandas_target_is_taken_by_position_and_keeps_its_labels():
    y = pd.Series([0, 1, 2, 3, 4], index=[4, 3, 2, 1, 0], name="t")
    X_out, y_out = EveryOther().fit_resample(X, y)
    assert y_out.tolist() == [0, 2, 4] and y_out.index.tolist() == [4, 2, 0]
    assert X_out.index.tolist() == [10, 12, 14]
    frame_y = pd.DataFrame({"t": [0, 1, 2, 3, 4], "u": list("abcde")})
    _, frame_out = EveryOther(start=1).fit_resample(X, frame_y)
    assert frame_out["u"].tolist() == ["b", "d"]


def test_polars_and_pyarrow_targets():
    _, y_pl = EveryOther().fit_resample(
        pl.from_pandas(X), pl.Series("t", [0, 1, 2, 3, 4])
    )
    assert isinstance(y_pl, pl.Series) and y_pl.to_list() == [0, 2, 4]
    _, y_pa = EveryOther().fit_resample(X, pa.chunked_array([[0, 1, 2, 3, 4]]))
    assert isinstance(y_pa, pa.ChunkedArray) and y_pa.to_pylist() == [0, 2, 4]


def test_other_array_likes_become_numpy():
    assert take_rows(range(5), np.array([1, 3])).tolist() == [1, 3]
    assert take_rows(None, np.array([0])) is None


@pytest.mark.parametrize("kind", ["pandas", "polars", "pyarrow", "numpy"])
def test_x_comes_back_in_its_own_container(kind):
    native = {
        "pandas": X,
        "polars": pl.from_pandas(X),
        "pyarrow": pa.Table.from_pandas(X, preserve_index=False),
        "numpy": X.to_numpy(),
    }[kind]
    X_out, y_out = EveryOther().fit_resample(native)
    assert type(X_out) is type(native) and y_out is None
    assert np.asarray(
        X_out if kind != "pyarrow" else X_out.to_pandas()
    ).ravel().tolist() == [1, 3, 5]


def test_length_mismatch_is_an_error():
    with pytest.raises(DataError, match="y has 4 rows but X has 5"):
        EveryOther().fit_resample(X, [0, 1, 2, 3])


def test_what_was_removed_is_reported():
    resampler = EveryOther()
    with pytest.raises(NotFittedError, match="not fitted yet"):
        resampler.get_mask()
    assert resampler.fit(X) is resampler
    assert resampler.n_removed_ == 2 and resampler.n_samples_seen_ == 5
    assert resampler.removed_indices_.tolist() == [1, 3]
    assert resampler.get_mask().tolist() == [True, False, True, False, True]
    assert resampler.get_mask(removed=True).tolist() == [
        False,
        True,
        False,
        True,
        False,
    ]
    assert list(resampler.feature_names_in_) == ["a"] and resampler.n_features_in_ == 1
    resampler.fit_resample(X.to_numpy())
    assert not hasattr(resampler, "feature_names_in_")


def test_parameters_are_validated():
    with pytest.raises(
        InvalidParameterError,
        match=re.escape(
            "The 'start' parameter of EveryOther must be one of 0, 1. Got 2 instead."
        ),
    ):
        EveryOther(start=2).fit_resample(X)


def test_it_is_a_sampler_and_not_a_transformer():
    from imblearn.base import is_sampler

    assert is_sampler(EveryOther())
    assert not hasattr(EveryOther(), "transform")
    assert "mlprep.core.MlprepResampler" not in registered()


def test_input_is_not_modified():
    before = X.copy()
    y = np.arange(5)
    EveryOther().fit_resample(X, y)
    pd.testing.assert_frame_equal(X, before)
    assert y.tolist() == [0, 1, 2, 3, 4]
