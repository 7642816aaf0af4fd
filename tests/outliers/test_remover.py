"""OutlierRemover: the seed example, how=, imbalanced-learn pipelines, properties."""

import re
import warnings

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from imblearn.pipeline import Pipeline
from sklearn.linear_model import LinearRegression

from mlprep.exceptions import DataWarning, InvalidParameterError
from mlprep.outliers import OutlierHandler, OutlierRemover
from mlprep.testing.strategies import as_backend, spiky_frames, targets

SEED = np.array(
    [
        [4, 11],
        [3.8, 12],
        [4.5, 12.5],
        [8, 8],
        [9, 8.5],
        [9.5, 7.5],
        [13, 5],
        [14, 4.7],
        [13.7, 6],
        [25, 23],
    ]
)
Y = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 100.0])


def test_seed_how_any_drops_exactly_the_last_row():
    remover = OutlierRemover(method="iqr", how="any")
    X_out, y_out = remover.fit_resample(SEED, Y)
    np.testing.assert_array_equal(X_out, SEED[:9])
    np.testing.assert_array_equal(y_out, Y[:9])
    assert remover.n_removed_ == 1 and remover.removed_indices_.tolist() == [9]
    assert remover.get_mask(removed=True).tolist() == [False] * 9 + [True]
    assert remover.bounds_["x1"] == pytest.approx([-1.6875, 19.8125])


def test_seed_how_all_keeps_the_row_since_25_is_inside_its_fence():
    remover = OutlierRemover(how="all")
    X_out, _ = remover.fit_resample(SEED, Y)
    assert remover.n_removed_ == 0 and len(X_out) == 10


def test_seed_zscore_removes_nothing():
    remover = OutlierRemover(method="zscore")
    X_out, y_out = remover.fit_resample(
        pd.DataFrame(SEED, columns=["water", "energy"]), Y
    )
    assert remover.n_removed_ == 0 and len(X_out) == len(y_out) == 10


def test_how_all_needs_every_selected_column_out():
    X = pd.DataFrame(
        {"a": [1.0, 2, 3, 4, 5, 6, 7, 8, 100, 100], "b": np.r_[1.0:10, 100]}
    )
    assert OutlierRemover(how="any").fit(X).removed_indices_.tolist() == [8, 9]
    assert OutlierRemover(how="all").fit(X).removed_indices_.tolist() == [9]


def test_fences_are_those_of_outlier_handler():
    rng = np.random.default_rng(2)
    X = pd.DataFrame(rng.standard_t(2, (200, 3)), columns=list("abc"))
    for method in ["iqr", "zscore", "mad", "quantile"]:
        remover = OutlierRemover(method=method).fit(X)
        handler = OutlierHandler(method=method, action="flag").fit(X)
        assert remover.bounds_ == handler.bounds_
        flags = handler.transform(X)[["a_outlier", "b_outlier", "c_outlier"]].to_numpy()
        np.testing.assert_array_equal(remover.get_mask(removed=True), flags.any(axis=1))


def test_columns_limits_the_check_and_keeps_other_columns():
    X = pd.DataFrame(
        {"a": [1.0, 2, 3, 4, 100], "b": [1.0, 2, 3, 4, 100], "s": list("vwxyz")}
    )
    remover = OutlierRemover(columns="b")
    X_out, _ = remover.fit_resample(X)
    assert remover.columns_ == ["b"]
    assert X_out["s"].tolist() == list("vwxy")


def test_missing_values_never_remove_a_row():
    X = pl.DataFrame({"a": [1.0, 2.0, None, float("nan"), 3.0, 4.0]})
    X_out, y_out = OutlierRemover().fit_resample(X, pl.Series("y", range(6)))
    assert X_out.height == 6 and y_out.to_list() == list(range(6))


def test_k_with_quantile_is_refused():
    with pytest.raises(
        InvalidParameterError,
        match="The 'k' parameter of OutlierRemover has no meaning",
    ):
        OutlierRemover(method="quantile", k=1.0).fit_resample(SEED)


def test_how_is_validated():
    with pytest.raises(
        InvalidParameterError,
        match=re.escape(
            "The 'how' parameter of OutlierRemover must be one of 'any', 'all'. Got 'some' instead."
        ),
    ):
        OutlierRemover(how="some").fit_resample(SEED)


# ------------------------------------------------------- imbalanced-learn
def test_inside_an_imblearn_pipeline_rows_drop_only_while_fitting():
    pipeline = Pipeline([("drop", OutlierRemover()), ("model", LinearRegression())])
    pipeline.fit(SEED, Y)
    reference = LinearRegression().fit(SEED[:9], Y[:9])
    np.testing.assert_allclose(pipeline[-1].coef_, reference.coef_)
    assert pipeline.named_steps["drop"].n_removed_ == 1
    predictions = pipeline.predict(SEED)
    assert predictions.shape == (10,)  # prediction sees every row
    np.testing.assert_allclose(predictions, reference.predict(SEED))


def test_imblearn_pipeline_with_a_handler_before_the_remover():
    frame = pd.DataFrame(SEED, columns=["water", "energy"])
    pipeline = Pipeline(
        [
            (
                "nan",
                OutlierHandler(method="quantile", quantiles=(0.0, 0.95), action="flag"),
            ),
            ("drop", OutlierRemover(columns=["water", "energy"])),
            ("model", LinearRegression()),
        ]
    )
    pipeline.fit(frame, pd.Series(Y))
    assert pipeline.named_steps["drop"].n_removed_ == 1
    assert pipeline.predict(frame).shape == (10,)


def test_imblearn_would_refuse_a_step_with_transform():
    class Both(OutlierRemover):
        def transform(self, X):
            return X

    with pytest.raises(TypeError, match="implements both"):
        Pipeline([("both", Both()), ("model", LinearRegression())]).fit(SEED, Y)


# ------------------------------------------------------------- properties
@given(
    frame=spiky_frames(),
    method=st.sampled_from(["iqr", "zscore", "mad", "quantile"]),
    how=st.sampled_from(["any", "all"]),
    backend=st.sampled_from(["pandas", "polars", "numpy"]),
    container=st.sampled_from(["numpy", "list", "pandas", "polars"]),
)
def test_property_rows_stay_aligned_and_unchanged(
    frame, method, how, backend, container
):
    if backend == "numpy":  # scikit-learn's check_array refuses ±inf in arrays
        frame = frame.replace([np.inf, -np.inf], [1e12, -1e12])
    y = targets(len(frame), container)
    remover = OutlierRemover(method=method, how=how)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        X_out, y_out = remover.fit_resample(as_backend(frame, backend), y)
    assert len(X_out) == len(y_out) == len(frame) - remover.n_removed_
    kept = np.asarray(list(y_out), dtype=np.intp)
    np.testing.assert_array_equal(kept, np.flatnonzero(remover.get_mask()))
    values = (
        X_out
        if backend == "numpy"
        else (X_out.to_numpy() if backend == "pandas" else X_out.to_pandas().to_numpy())
    )
    np.testing.assert_array_equal(values, frame.to_numpy()[kept])
