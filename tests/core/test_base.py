"""The template: public methods in the base, hooks in the family, declared selection and tags."""

from __future__ import annotations

from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
import polars as pl
import pytest
import scipy.sparse as sp

from mlprep.core import MlprepTransformer
from mlprep.core._estimator import SKLEARN_TAGS
from mlprep.core._validation import ColumnSpec
from mlprep.exceptions import DataError
from mlprep.state import MomentsState


class _Centre(MlprepTransformer):
    """Subtract the column mean; batches merge; invertible.

    Parameters
    ----------
    {columns}
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {"columns": [ColumnSpec]}
    _tags: ClassVar[dict[str, Any]] = {
        "positive_only": lambda self: self.columns == ["b"]
    }

    def __init__(self, *, columns: Any = None) -> None:
        self.columns = columns

    def _new_state(self) -> dict[str, MomentsState]:
        return {c: MomentsState() for c in self.columns_}

    def _update_state(
        self, state: dict[str, MomentsState], frame: nw.DataFrame, y: Any
    ) -> dict[str, MomentsState]:
        return {
            c: state[c].merge(MomentsState.of(frame[c].to_numpy().astype(float)))
            for c in self.columns_
        }

    def _finish_state(self, state: dict[str, MomentsState]) -> None:
        self.count_ = {c: state[c].count for c in self.columns_}
        self.sum_ = {c: state[c].count * state[c].mean for c in self.columns_}

    def _mean(self, c: str) -> float:
        return self.sum_[c] / self.count_[c]

    def _transform(self, frame: nw.DataFrame) -> nw.DataFrame:
        return frame.with_columns(*(nw.col(c) - self._mean(c) for c in self.columns_))

    def _inverse_transform(self, frame: nw.DataFrame) -> nw.DataFrame:
        return frame.with_columns(*(nw.col(c) + self._mean(c) for c in self.columns_))


class _Keyed(MlprepTransformer):
    """Reads a time key; doubles the other numeric columns.

    Parameters
    ----------
    {columns}
    time_column : str
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "columns": [ColumnSpec],
        "time_column": [ColumnSpec],
    }

    def __init__(self, *, columns: Any = None, time_column: str = "t") -> None:
        self.columns = columns
        self.time_column = time_column

    def _key_columns(self) -> list[str]:
        return [self.time_column]

    def _fit(self, frame: nw.DataFrame, y: Any, **fit_params: Any) -> None:
        self.seen_ = True

    def _transform(self, frame: nw.DataFrame) -> Any:
        values = frame.select(self.columns_).to_numpy() * 2.0
        return sp.csr_matrix(values)

    def _feature_names_out(self, input_names: list[str]) -> list[str]:
        return [f"{c}_double" for c in self.columns_]


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"a": [1.0, 2.0, 3.0, 6.0], "b": [2.0, 2.0, 5.0, 7.0], "t": [1, 2, 3, 4]}
    )


def test_partial_fit_fits_first_then_merges(frame: pd.DataFrame) -> None:
    whole = _Centre().fit(frame)
    batched = _Centre().partial_fit(frame.iloc[:2]).partial_fit(frame.iloc[2:])
    assert batched.sum_ == whole.sum_ and batched.count_ == whole.count_
    pd.testing.assert_frame_equal(batched.transform(frame), whole.transform(frame))


def test_hooks_decide_which_public_methods_exist(frame: pd.DataFrame) -> None:
    assert hasattr(_Centre(), "partial_fit") and hasattr(_Centre(), "inverse_transform")
    assert not hasattr(_Keyed(), "partial_fit")
    assert not hasattr(_Keyed(), "inverse_transform")


def test_inverse_round_trip_and_refuses_wrong_names(frame: pd.DataFrame) -> None:
    centre = _Centre().fit(frame)
    pd.testing.assert_frame_equal(
        centre.inverse_transform(centre.transform(frame)),
        frame.astype({"t": "float64"}),
        check_dtype=False,
    )
    with pytest.raises(DataError, match="needs the columns transform produced"):
        centre.inverse_transform(frame.rename(columns={"a": "z"}))
    array = _Centre().fit(frame.to_numpy())
    back = array.inverse_transform(array.transform(frame.to_numpy()))
    np.testing.assert_allclose(back, frame.to_numpy())


def test_key_columns_are_not_selected_and_may_not_be_named(frame: pd.DataFrame) -> None:
    keyed = _Keyed().fit(frame)
    assert keyed.columns_ == ["a", "b"]
    with pytest.raises(DataError, match="both in columns= and a time/group column"):
        _Keyed(columns=["a", "t"]).fit(frame)
    with pytest.raises(DataError, match="key column 'when'"):
        _Keyed(time_column="when").fit(frame)


def test_sparse_results_follow_set_output(frame: pd.DataFrame) -> None:
    keyed = _Keyed().fit(frame)
    out = keyed.transform(frame)
    assert sp.issparse(out) and out.shape == (4, 2)
    as_pandas = _Keyed().set_output(transform="pandas").fit_transform(frame)
    assert list(as_pandas.columns) == ["a_double", "b_double"]
    assert isinstance(as_pandas.dtypes.iloc[0], pd.SparseDtype)
    with pytest.raises(DataError, match="polars has no sparse frames"):
        _Keyed().set_output(transform="polars").fit_transform(frame)


def test_transform_keeps_container(frame: pd.DataFrame) -> None:
    centre = _Centre(columns=["a"]).fit(frame)
    out = centre.transform(pl.from_pandas(frame))
    assert isinstance(out, pl.DataFrame)
    assert out["a"].to_list() == [-2.0, -1.0, 0.0, 3.0]


def test_tag_table_translates_for_both_tag_apis() -> None:
    positive = _Centre(columns=["b"])
    if SKLEARN_TAGS:  # scikit-learn >= 1.6
        tags = positive.__sklearn_tags__()
        assert tags.input_tags.positive_only and tags.input_tags.allow_nan
    else:
        assert not hasattr(positive, "__sklearn_tags__")
    assert positive._more_tags()["requires_positive_X"] is True
    assert _Centre()._more_tags()["requires_positive_X"] is False
    assert _Centre()._more_tags()["X_types"] == ["2darray"]


def test_unknown_tags_are_refused() -> None:
    with pytest.raises(TypeError, match="unknown tags"):

        class _Bad(MlprepTransformer):
            _tags: ClassVar[dict[str, Any]] = {"alow_nan": True}


def test_columns_paragraph_is_generated_from_the_declarations() -> None:
    assert "None selects every\n        numeric column. The other" in (
        _Centre.__doc__ or ""
    )
    assert "other than the time and group columns" in (_Keyed.__doc__ or "")
    assert "{columns}" not in (_Keyed.__doc__ or "")
