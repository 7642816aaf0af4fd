"""Imputer(strategy="knn" | "iterative"): equal to scikit-learn, frames, errors, batches, files."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.datasets import load_breast_cancer, load_diabetes, load_wine
from sklearn.exceptions import ConvergenceWarning
from sklearn.experimental import enable_iterative_imputer  # noqa: F401
from sklearn.impute import IterativeImputer, KNNImputer

import mlprep
from mlprep.datasets import load_customers
from mlprep.exceptions import DataError, DataWarning, InvalidParameterError
from mlprep.impute import Imputer
from mlprep.io import scan
from mlprep.testing.strategies import as_backend, numeric_frames

MODELS = ["knn", "iterative"]
LOADERS = [load_diabetes, load_breast_cancer]


def _cancer_means(**kwargs: Any) -> Any:
    """Breast cancer's ten ``mean ...`` columns (its 30 make each regression slow)."""
    bunch = load_breast_cancer(**kwargs)
    bunch.data = bunch.data.iloc[:, :10]
    return bunch


def _knocked_out(loader: Callable[..., Any], share: float, seed: int) -> pd.DataFrame:
    """A scikit-learn dataset as a frame with ``share`` of its cells set missing."""
    frame = loader(as_frame=True).data.copy()
    rng = np.random.default_rng(seed)
    return frame.mask(rng.random(frame.shape) < share)


def _quietly(run: Callable[[], Any]) -> tuple[Any, set[type[Warning]]]:
    """``run()`` and the categories of the warnings it raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = run()
    return result, {record.category for record in caught}


def _numeric_customers() -> tuple[pd.DataFrame, list[str]]:
    customers = load_customers()
    numeric = [
        c for c in customers.columns if pd.api.types.is_numeric_dtype(customers[c])
    ]
    return customers, numeric


# ------------------------------------------------------------- equivalence
@pytest.mark.parametrize("loader", LOADERS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("weights", ["uniform", "distance"])
@pytest.mark.parametrize("n_neighbors", [1, 5])
def test_knn_equals_knn_imputer_on_real_data(loader, weights, n_neighbors) -> None:
    frame = _knocked_out(loader, 0.15, seed=0)
    train, test = frame.iloc[:300], frame.iloc[300:]
    ours = Imputer(strategy="knn", n_neighbors=n_neighbors, weights=weights)
    theirs = KNNImputer(n_neighbors=n_neighbors, weights=weights)
    out = ours.fit(train).transform(test)
    # 1e-11: inverse-distance weights differ in the last bits between numpy
    # builds (1.1e-12 relative on breast cancer's areas with numpy 2.1 and 2.5)
    np.testing.assert_allclose(
        out.to_numpy(), theirs.fit(train).transform(test), rtol=1e-11, atol=1e-12
    )
    np.testing.assert_allclose(
        ours.fit_transform(frame).to_numpy(),
        theirs.fit_transform(frame),
        rtol=1e-11,
        atol=1e-12,
    )
    assert list(out.index) == list(test.index)


@pytest.mark.slow
@pytest.mark.parametrize(
    "loader", [load_diabetes, _cancer_means], ids=lambda f: f.__name__
)
@pytest.mark.parametrize("max_iter, tol", [(10, 1e-3), (30, 1e-2), (2, 1e-3)])
def test_iterative_equals_iterative_imputer_on_real_data(loader, max_iter, tol) -> None:
    frame = _knocked_out(loader, 0.15, seed=1)
    train, test = frame.iloc[:350], frame.iloc[350:]
    ours, ours_warned = _quietly(
        lambda: Imputer(strategy="iterative", max_iter=max_iter, tol=tol).fit(train)
    )
    theirs, theirs_warned = _quietly(
        lambda: IterativeImputer(max_iter=max_iter, tol=tol).fit(train)
    )
    assert ours.n_iter_ == theirs.n_iter_
    # scikit-learn's ConvergenceWarning comes out as mlprep's DataWarning, only then
    assert (DataWarning in ours_warned) == (ConvergenceWarning in theirs_warned)
    assert ConvergenceWarning not in ours_warned
    np.testing.assert_allclose(
        ours.transform(test).to_numpy(), theirs.transform(test), rtol=1e-12, atol=1e-12
    )
    together, _ = _quietly(
        lambda: Imputer(strategy="iterative", max_iter=max_iter, tol=tol).fit_transform(
            frame
        )
    )
    expected, _ = _quietly(
        lambda: IterativeImputer(max_iter=max_iter, tol=tol).fit_transform(frame)
    )
    np.testing.assert_allclose(together.to_numpy(), expected, rtol=1e-12, atol=1e-12)


def test_iterative_chain_is_scikit_learns_as_plain_numbers() -> None:
    frame = _knocked_out(load_wine, 0.1, seed=2)
    ours = Imputer(strategy="iterative", max_iter=25).fit(frame)
    theirs = IterativeImputer(max_iter=25).fit(frame)
    assert len(ours.imputation_sequence_) == len(theirs.imputation_sequence_)
    assert len(ours.imputation_sequence_) == ours.n_iter_ * frame.shape[1]
    for step, triplet in zip(ours.imputation_sequence_, theirs.imputation_sequence_):
        assert step["column"] == triplet.feat_idx
        assert step["predictors"] == list(triplet.neighbor_feat_idx)
        np.testing.assert_array_equal(step["coef"], triplet.estimator.coef_)
        assert step["intercept"] == triplet.estimator.intercept_
    np.testing.assert_array_equal(
        list(ours.statistics_.values()), theirs.initial_imputer_.statistics_
    )


@pytest.mark.parametrize("strategy", MODELS)
def test_bundled_customers_equal_scikit_learn_and_keep_the_frame(strategy) -> None:
    customers, numeric = _numeric_customers()
    peer = KNNImputer() if strategy == "knn" else IterativeImputer()
    out, _ = _quietly(lambda: Imputer(strategy=strategy).fit_transform(customers))
    expected, _ = _quietly(lambda: peer.fit_transform(customers[numeric]))
    assert list(out.columns) == list(customers.columns)
    np.testing.assert_allclose(out[numeric].to_numpy(), expected, rtol=1e-12, atol=1e-9)
    assert all(out[c].dtype == np.float64 for c in numeric)
    for text in ("customer_id", "signup_date", "city"):
        pd.testing.assert_series_equal(out[text], customers[text])
    assert customers["annual_income"].isna().sum() == 50  # the input is untouched


@pytest.mark.parametrize("strategy", MODELS)
def test_polars_in_polars_out_equal_to_pandas(strategy) -> None:
    pandas_in = load_customers()
    polars_in = load_customers(backend="polars")
    from_pandas, _ = _quietly(
        lambda: Imputer(strategy=strategy).fit_transform(pandas_in)
    )
    from_polars, _ = _quietly(
        lambda: Imputer(strategy=strategy).fit_transform(polars_in)
    )
    assert isinstance(from_polars, pl.DataFrame)
    assert from_polars.columns == list(pandas_in.columns)
    _, numeric = _numeric_customers()
    assert all(from_polars.schema[c] == pl.Float64 for c in numeric)
    np.testing.assert_allclose(
        from_polars.select(numeric).to_numpy(),
        from_pandas[numeric].to_numpy(),
        rtol=1e-12,
    )


@pytest.mark.parametrize("strategy", MODELS)
def test_pyarrow_numpy_and_nullable_columns(strategy) -> None:
    frame = pd.DataFrame(
        {
            "i": pd.array([1, None, 3, 4, 2, 5], dtype="Int64"),
            "f": [1.5, 2.5, np.nan, 4.5, 2.0, 5.5],
            "s": ["a", "b", None, "d", "e", "f"],
        }
    )
    expected = Imputer(strategy=strategy).fit_transform(frame)
    assert expected["i"].dtype == np.float64
    table = Imputer(strategy=strategy).fit_transform(pa.Table.from_pandas(frame))
    assert isinstance(table, pa.Table)
    assert table.schema.field("i").type == pa.float64()
    np.testing.assert_allclose(table.column("i").to_numpy(), expected["i"].to_numpy())
    array = frame[["i", "f"]].to_numpy(dtype=float, na_value=np.nan)
    out = Imputer(strategy=strategy).fit_transform(array)
    assert isinstance(out, np.ndarray)
    np.testing.assert_allclose(out, expected[["i", "f"]].to_numpy())


# -------------------------------------------------------- column selection
@pytest.mark.parametrize("strategy", MODELS)
def test_selects_numeric_columns_and_refuses_a_named_string_column(strategy) -> None:
    frame = pd.DataFrame(
        {"n": [1.0, np.nan, 3.0], "m": [2.0, 1.0, 0.0], "s": ["a", None, "b"]}
    )
    assert Imputer(strategy=strategy).fit(frame).columns_ == ["n", "m"]
    with pytest.raises(DataError, match=r"column 's' has dtype String"):
        Imputer(strategy=strategy, columns=["n", "s"]).fit(frame)


def test_knn_distances_use_only_the_selected_columns() -> None:
    frame = pd.DataFrame(
        {
            "a": [1.0, 2.0, 10.0, np.nan],
            "b": [1.0, 2.0, 10.0, 9.0],
            "c": [9.0, 1.0, 1.0, 9.0],
        }
    )
    out = Imputer(strategy="knn", n_neighbors=1, columns=["a", "b"]).fit_transform(
        frame
    )
    assert out["a"].tolist() == [1.0, 2.0, 10.0, 10.0]  # nearest in b, c ignored
    assert out["c"].tolist() == frame["c"].tolist()


@pytest.mark.parametrize("strategy", MODELS)
def test_indicator_columns_follow_the_imputed_ones(strategy) -> None:
    frame = pd.DataFrame({"a": [1.0, np.nan, 3.0, 4.0], "b": [1.0, 2.0, 3.0, 5.0]})
    out = Imputer(strategy=strategy, add_indicator=True).fit_transform(frame)
    assert list(out.columns) == ["a", "b", "a_missing", "b_missing"]
    assert out["a_missing"].tolist() == [False, True, False, False]
    assert not out["b_missing"].any()


@pytest.mark.parametrize("strategy", MODELS)
def test_pandas_index_is_kept(strategy) -> None:
    frame = pd.DataFrame(
        {"a": [1.0, np.nan, 3.0, 4.0], "b": [1.0, 2.0, 3.0, 5.0]}, index=[10, 7, 3, 99]
    )
    out = Imputer(strategy=strategy).fit_transform(frame)
    assert list(out.index) == [10, 7, 3, 99]
    assert out.loc[10, "a"] == 1.0 and out.loc[99, "a"] == 4.0


# ------------------------------------------------------------- statistics
@pytest.mark.parametrize("strategy", MODELS)
def test_statistics_are_the_fit_column_means(strategy) -> None:
    frame = _knocked_out(load_diabetes, 0.1, seed=3)
    fitted, _ = _quietly(lambda: Imputer(strategy=strategy).fit(frame))
    assert fitted.statistics_ == pytest.approx(frame.mean().to_dict(), rel=1e-12)
    assert fitted.n_observed_ == frame.notna().sum().to_dict()


def test_knn_keeps_the_reference_rows() -> None:
    frame = _knocked_out(load_diabetes, 0.1, seed=3)
    fitted = Imputer(strategy="knn").fit(frame)
    rows = fitted.reference_rows_
    assert rows.shape == frame.shape and rows.dtype == np.float64
    np.testing.assert_array_equal(rows, frame.to_numpy())
    assert rows is not frame.to_numpy() and not np.shares_memory(rows, frame.to_numpy())


def test_knn_falls_back_to_the_fit_mean_without_a_donor() -> None:
    train = pd.DataFrame({"a": [1.0, 3.0, np.nan], "b": [np.nan, np.nan, 5.0]})
    test = pd.DataFrame({"a": [np.nan], "b": [5.0]})
    fitted = Imputer(strategy="knn").fit(train)
    # the only row near in b has no a: the mean of a in fit fills the gap
    assert fitted.transform(test)["a"].tolist() == [2.0]
    assert (
        fitted.transform(test)["a"].tolist()
        == KNNImputer().fit(train).transform(test)[:, 0].tolist()
    )


def test_iterative_with_one_column_or_no_rounds_gives_the_means() -> None:
    frame = pd.DataFrame({"a": [1.0, np.nan, 5.0]})
    single = Imputer(strategy="iterative").fit(frame)
    assert single.n_iter_ == 0 and single.imputation_sequence_ == []
    assert single.transform(frame)["a"].tolist() == [1.0, 3.0, 5.0]
    wide = pd.DataFrame({"a": [1.0, np.nan, 5.0, 2.0], "b": [1.0, 2.0, 6.0, 2.0]})
    none = Imputer(strategy="iterative", max_iter=0).fit(wide)
    assert none.n_iter_ == 0
    assert none.transform(wide)["a"].tolist() == [1.0, 8.0 / 3.0, 5.0, 2.0]


def test_iterative_rows_missing_everywhere_follow_scikit_learn() -> None:
    frame = _knocked_out(load_wine, 0.1, seed=0)  # converges in 5 rounds
    ours = Imputer(strategy="iterative").fit(frame)
    theirs = IterativeImputer().fit(frame)
    blank = pd.DataFrame(np.nan, index=[0, 1], columns=frame.columns)
    # all values missing: the means, as scikit-learn answers
    np.testing.assert_array_equal(
        ours.transform(blank).to_numpy(), theirs.transform(blank)
    )
    np.testing.assert_allclose(
        ours.transform(blank).iloc[0].to_numpy(), list(ours.statistics_.values())
    )
    mixed = pd.concat([blank, frame.iloc[:3]], ignore_index=True)
    np.testing.assert_allclose(
        ours.transform(mixed).to_numpy(),
        theirs.transform(mixed),
        rtol=1e-12,
        atol=1e-12,
    )


# ------------------------------------------------------------------ errors
@pytest.mark.parametrize("strategy", MODELS)
def test_entirely_missing_column_raises_naming_it(strategy) -> None:
    frame = pd.DataFrame({"ok": [1.0, 2.0, 3.0], "empty": [np.nan] * 3})
    with pytest.raises(
        DataError, match=r"Column 'empty' is entirely missing.*strategy='constant'"
    ):
        Imputer(strategy=strategy).fit(frame)


@pytest.mark.parametrize("strategy", MODELS)
@pytest.mark.parametrize("where", ["fit", "transform"])
def test_infinite_values_are_refused_by_column(strategy, where) -> None:
    clean = pd.DataFrame({"a": [1.0, np.nan, 3.0], "b": [1.0, 2.0, 3.0]})
    dirty = clean.assign(b=[1.0, np.inf, -np.inf])
    fitted = Imputer(strategy=strategy).fit(clean)
    with pytest.raises(DataError, match=r"(?i)column 'b' holds 2 infinite value"):
        if where == "fit":
            Imputer(strategy=strategy).fit(dirty)
        else:
            fitted.transform(dirty)


@pytest.mark.parametrize(
    "params, name",
    [
        ({"n_neighbors": 0}, "n_neighbors"),
        ({"n_neighbors": 2.5}, "n_neighbors"),
        ({"weights": "gaussian"}, "weights"),
        ({"max_iter": -1}, "max_iter"),
        ({"tol": -0.1}, "tol"),
    ],
)
def test_invalid_parameters_are_named(params, name) -> None:
    frame = pd.DataFrame({"a": [1.0, np.nan]})
    with pytest.raises(
        InvalidParameterError, match=rf"The '{name}' parameter of Imputer"
    ):
        Imputer(strategy="knn", **params).fit(frame)


def test_convergence_warning_becomes_a_data_warning_with_the_fix() -> None:
    frame = _knocked_out(load_diabetes, 0.15, seed=0)
    with pytest.warns(
        DataWarning, match=r"max_iter=1 rounds.*raise max_iter"
    ) as caught:
        Imputer(strategy="iterative", max_iter=1).fit(frame)
    assert not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    converged, warned = _quietly(
        lambda: Imputer(strategy="iterative", max_iter=100).fit(frame)
    )
    assert converged.n_iter_ < 100 and not warned


# ------------------------------------------------------- batches and sources
@pytest.mark.parametrize("strategy", MODELS)
def test_partial_fit_is_refused_with_a_reason(strategy) -> None:
    imputer = Imputer(strategy=strategy)
    assert not hasattr(imputer, "partial_fit")
    with pytest.raises(AttributeError):
        imputer.partial_fit(pd.DataFrame({"a": [1.0]}))
    reason = imputer._partial_fit_refusal()
    assert f"strategy={strategy!r} does not fit in batches" in reason
    assert "fit()" in reason and "lf.collect()" in reason
    assert hasattr(Imputer(strategy="mean"), "partial_fit")


@pytest.mark.parametrize("strategy", MODELS)
def test_lazy_sources_are_refused_with_the_reason(strategy, tmp_path) -> None:
    frame = pd.DataFrame({"a": [1.0, np.nan, 3.0], "b": [1.0, 2.0, 3.0]})
    frame.to_parquet(tmp_path / "part.parquet", index=False)
    reason = Imputer(strategy=strategy)._partial_fit_refusal()
    for source, name in [
        (pl.from_pandas(frame).lazy(), "polars LazyFrame"),
        (scan(tmp_path), ""),
    ]:
        with pytest.raises(DataError, match=rf"Imputer cannot fit a {name}") as error:
            Imputer(strategy=strategy).fit(source)
        assert reason in str(error.value)


@pytest.mark.parametrize("strategy", MODELS)
def test_spark_fit_is_refused_with_the_reason(strategy, spark) -> None:
    sdf = spark.createDataFrame([(1.0, 2.0), (None, 3.0)], ["a", "b"])
    with pytest.raises(DataError, match=r"cannot fit a .*does not fit in batches"):
        Imputer(strategy=strategy).fit(sdf)


@pytest.mark.parametrize("strategy", MODELS)
def test_a_fitted_imputer_transforms_a_lazy_frame_batch_by_batch(strategy) -> None:
    frame = _knocked_out(load_diabetes, 0.1, seed=5)
    fitted, _ = _quietly(
        lambda: Imputer(strategy=strategy, add_indicator=True).fit(frame)
    )
    lazy = fitted.transform(pl.from_pandas(frame).lazy())
    assert isinstance(lazy, pl.LazyFrame)
    eager = fitted.transform(frame)
    out = lazy.collect()
    assert out.columns == list(eager.columns)
    np.testing.assert_allclose(
        out.select(list(frame.columns)).to_numpy(),
        eager[list(frame.columns)].to_numpy(),
        rtol=1e-12,
    )


@pytest.mark.parametrize("strategy", MODELS)
def test_a_new_fit_forgets_the_model_of_another_strategy(strategy) -> None:
    frame = pd.DataFrame({"a": [1.0, np.nan, 3.0], "b": [1.0, 2.0, 3.0]})
    imputer = Imputer(strategy=strategy).fit(frame)
    imputer.set_params(strategy="mean").fit(frame)
    assert not hasattr(imputer, "reference_rows_")
    assert not hasattr(imputer, "imputation_sequence_")
    assert imputer.transform(frame)["a"].tolist() == [1.0, 2.0, 3.0]


# ------------------------------------------------------------- persistence
@pytest.mark.parametrize("strategy", MODELS)
def test_save_load_gives_identical_output(strategy, tmp_path) -> None:
    frame = _knocked_out(load_diabetes, 0.15, seed=6)
    train, test = frame.iloc[:300], frame.iloc[300:]
    fitted, _ = _quietly(lambda: Imputer(strategy=strategy, n_neighbors=3).fit(train))
    path = tmp_path / "imputer.json"
    mlprep.save(fitted, path)
    loaded = mlprep.load(path)
    pd.testing.assert_frame_equal(loaded.transform(test), fitted.transform(test))
    state = json.loads(path.read_text())["object"]["state"]
    if strategy == "knn":
        assert state["reference_rows_"]["shape"] == [300, 10]
        # the documented size: about 20-30 bytes per reference value
        assert 15 * train.size < path.stat().st_size < 35 * train.size
    else:
        assert len(state["imputation_sequence_"]) == fitted.n_iter_ * 10


# ---------------------------------------------------------------- properties
def _without_data_warnings(run: Callable[[], Any]) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # a chain still moving
        return run()


@given(
    numeric_frames(max_rows=12, max_columns=4),
    st.sampled_from(MODELS),
    st.sampled_from(["pandas", "polars", "numpy"]),
)
def test_property_no_gap_is_left_and_observed_values_stay(
    frame, strategy, backend
) -> None:
    native = as_backend(frame, backend)
    before = frame.copy()
    out = _without_data_warnings(
        lambda: Imputer(strategy=strategy, n_neighbors=3).fit_transform(native)
    )
    values = np.asarray(out if backend == "numpy" else out.to_numpy(), dtype=float)
    assert not np.isnan(values).any()
    observed = frame.notna().to_numpy()
    np.testing.assert_array_equal(values[observed], frame.to_numpy()[observed])
    pd.testing.assert_frame_equal(frame, before)  # the caller's frame is untouched
    if backend == "polars":
        pd.testing.assert_frame_equal(native.to_pandas(), before)


@given(numeric_frames(max_rows=12, max_columns=4), st.integers(1, 6))
def test_property_uniform_knn_stays_within_the_observed_range(frame, k) -> None:
    out = Imputer(strategy="knn", n_neighbors=k).fit_transform(frame)
    for name in frame.columns:
        low, high = frame[name].min(), frame[name].max()
        slack = 1e-12 * max(1.0, abs(low), abs(high))  # the average's rounding
        assert out[name].between(low - slack, high + slack).all()


@given(numeric_frames(min_rows=2, max_rows=12, max_columns=4), st.sampled_from(MODELS))
def test_property_transform_of_the_fit_data_equals_fit_transform(
    frame, strategy
) -> None:
    imputer = Imputer(strategy=strategy)
    together = _without_data_warnings(lambda: imputer.fit_transform(frame))
    np.testing.assert_allclose(
        imputer.transform(frame).to_numpy(), together.to_numpy(), rtol=1e-12, atol=1e-12
    )
