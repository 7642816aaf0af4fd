"""Imputer: strategies, missing-value kinds, errors, partial_fit, scikit-learn equivalence."""

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from sklearn.impute import SimpleImputer

from mlprep.exceptions import DataError
from mlprep.impute import Imputer
from mlprep.testing.strategies import as_backend, numeric_frames


def test_worked_example_mean():
    # techniques.md §1.1: SimpleImputer(strategy="mean") on [[1, 2], [None, 4], [5, None]]
    X = np.array([[1, 2], [np.nan, 4], [5, np.nan]])
    np.testing.assert_array_equal(Imputer().fit_transform(X), [[1, 2], [3, 4], [5, 3]])


@pytest.mark.parametrize("strategy", ["mean", "median", "most_frequent", "constant"])
def test_equal_to_simple_imputer(strategy):
    rng = np.random.default_rng(1)
    X = rng.integers(0, 6, (200, 4)).astype(float) * rng.lognormal(0, 1, (1, 4))
    X[rng.random(X.shape) < 0.2] = np.nan
    ours = Imputer(strategy=strategy).fit_transform(X)
    theirs = SimpleImputer(strategy=strategy).fit_transform(X)
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-10)


def test_equal_to_simple_imputer_with_indicator():
    X = np.array([[1.0, np.nan], [np.nan, 2.0], [3.0, 4.0]])
    ours = Imputer(add_indicator=True).fit_transform(X)
    theirs = SimpleImputer(add_indicator=True).fit_transform(X)
    np.testing.assert_allclose(ours, theirs)


def test_most_frequent_breaks_ties_by_the_smallest_value():
    X = pd.DataFrame(
        {"n": [3.0, 1.0, 3.0, 1.0, np.nan], "s": ["b", "a", "b", "a", None]}
    )
    fitted = Imputer(strategy="most_frequent").fit(X)
    assert fitted.statistics_ == {"n": 1.0, "s": "a"}
    np.testing.assert_array_equal(
        SimpleImputer(strategy="most_frequent").fit(X[["n"]]).statistics_, [1.0]
    )


@pytest.mark.parametrize(
    "column",
    [
        pd.Series([1.0, np.nan, 3.0, 3.0]),
        pd.Series([1.0, None, 3.0, 3.0]),
        pd.Series([1, pd.NA, 3, 3], dtype="Int64"),
        pd.Series([1.0, None, 3.0, 3.0], dtype="Float64"),
    ],
)
def test_nan_none_and_na_all_count_as_missing(column):
    out = Imputer(strategy="most_frequent", add_indicator=True).fit_transform(
        pd.DataFrame({"v": column})
    )
    assert out["v"].tolist() == [1, 3, 3, 3]
    assert out["v_missing"].tolist() == [False, True, False, False]


def test_polars_nan_and_null_are_both_missing():
    X = pl.DataFrame({"v": [1.0, float("nan"), None, 3.0]})
    out = Imputer(strategy="mean", add_indicator=True).fit_transform(X)
    assert isinstance(out, pl.DataFrame)
    assert out["v"].to_list() == [1.0, 2.0, 2.0, 3.0]
    assert out["v_missing"].to_list() == [False, True, True, False]


@pytest.mark.parametrize("strategy", ["mean", "median", "most_frequent"])
def test_entirely_missing_column_raises_naming_it(strategy):
    X = pd.DataFrame({"ok": [1.0, 2.0], "empty": [np.nan, np.nan]})
    with pytest.raises(
        DataError, match=r"Column 'empty' is entirely missing.*strategy='constant'"
    ):
        Imputer(strategy=strategy).fit(X)


def test_entirely_missing_column_is_filled_by_constant_and_kept():
    X = pd.DataFrame({"ok": [1.0, 2.0], "empty": [np.nan, np.nan]})
    out = Imputer(strategy="constant", fill_value=-1).fit_transform(X)
    assert list(out.columns) == ["ok", "empty"]
    assert out["empty"].tolist() == [-1.0, -1.0]


def test_constant_defaults_follow_scikit_learn():
    X = pd.DataFrame({"n": [1.0, None], "s": ["a", None]})
    fitted = Imputer(strategy="constant").fit(X)
    assert fitted.statistics_ == {"n": 0, "s": "missing_value"}


def test_mean_selects_numeric_columns_and_passes_the_rest_through():
    X = pd.DataFrame({"n": [1.0, None, 3.0], "s": ["a", None, "b"]})
    out = Imputer().fit_transform(X)
    assert out["n"].tolist() == [1.0, 2.0, 3.0]
    assert out["s"].isna().tolist() == [False, True, False]


def test_mean_on_a_string_column_names_it():
    X = pd.DataFrame({"s": ["a", None]})
    with pytest.raises(DataError, match="column 's' has dtype String"):
        Imputer(columns=["s"]).fit(X)


def test_categorical_and_boolean_columns_use_most_frequent():
    X = pd.DataFrame(
        {
            "c": pd.Categorical(["x", None, "y", "y"]),
            "b": pd.array([True, None, True, False], dtype="boolean"),
        }
    )
    out = Imputer(strategy="most_frequent").fit_transform(X)
    assert out["c"].tolist() == ["x", "y", "y", "y"]
    assert out["b"].tolist() == [True, True, True, False]


def test_integer_column_mean_becomes_float():
    X = pd.DataFrame({"i": pd.array([1, None, 2], dtype="Int64")})
    out = Imputer().fit_transform(X)
    assert out["i"].tolist() == [1.0, 1.5, 2.0]


def test_indicator_columns_exist_for_every_imputed_column():
    X = pd.DataFrame({"full": [1.0, 2.0], "gappy": [np.nan, 1.0]})
    fitted = Imputer(add_indicator=True).fit(X)
    assert list(fitted.get_feature_names_out()) == [
        "full",
        "gappy",
        "full_missing",
        "gappy_missing",
    ]
    out = fitted.transform(pd.DataFrame({"full": [np.nan], "gappy": [3.0]}))
    assert out["full_missing"].tolist() == [True]
    assert out["full"].tolist() == [1.5]


def test_transform_uses_the_statistics_learned_in_fit():
    fitted = Imputer().fit(pd.DataFrame({"v": [10.0, 20.0]}))
    assert fitted.transform(pd.DataFrame({"v": [np.nan, 0.0]}))["v"].tolist() == [
        15.0,
        0.0,
    ]


@pytest.mark.parametrize("strategy", ["mean", "most_frequent", "constant"])
def test_partial_fit_over_batches_equals_fit_on_all(strategy):
    rng = np.random.default_rng(3)
    X = pd.DataFrame(
        {"a": rng.integers(0, 5, 90).astype(float), "b": rng.normal(size=90)}
    )
    X.loc[rng.random(90) < 0.2, "a"] = np.nan
    whole = Imputer(strategy=strategy).fit(X)
    batched = Imputer(strategy=strategy)
    for start in range(0, 90, 30):
        batched.partial_fit(X.iloc[start : start + 30])
    assert batched.statistics_ == pytest.approx(whole.statistics_, rel=1e-12)
    assert batched.n_observed_ == whole.n_observed_


def test_median_partial_fit_uses_a_sketch_within_its_rank_error():
    rng = np.random.default_rng(3)
    values = rng.lognormal(size=20_000)
    imputer = Imputer(strategy="median")
    for part in np.array_split(values, 7):
        imputer.partial_fit(pd.DataFrame({"x": part}))
    assert imputer.quantile_method_ == "kll"
    assert 0 < imputer.rank_error_ < 0.02
    rank = np.mean(values <= imputer.statistics_["x"])
    assert abs(rank - 0.5) <= imputer.rank_error_
    exact = Imputer(strategy="median").fit(pd.DataFrame({"x": values}))
    assert exact.quantile_method_ == "exact" and exact.rank_error_ == 0.0


@given(numeric_frames(max_rows=10))
def test_property_no_missing_value_is_left(frame):
    for backend in ("pandas", "polars", "numpy"):
        out = Imputer(strategy="median").fit_transform(as_backend(frame, backend))
        values = out.to_numpy() if backend != "numpy" else out
        assert not np.isnan(values.astype(float)).any()


@given(numeric_frames(max_rows=10))
def test_property_observed_values_are_never_changed(frame):
    out = Imputer(strategy="mean").fit_transform(frame)
    observed = frame.notna().to_numpy()
    np.testing.assert_array_equal(out.to_numpy()[observed], frame.to_numpy()[observed])


@given(numeric_frames(max_rows=10))
def test_property_backends_agree(frame):
    expected = Imputer(strategy="mean").fit_transform(frame).to_numpy()
    for backend in ("polars", "pyarrow", "numpy"):
        out = Imputer(strategy="mean").fit_transform(as_backend(frame, backend))
        values = (
            out
            if backend == "numpy"
            else (out.to_numpy() if backend == "polars" else out.to_pandas().to_numpy())
        )
        np.testing.assert_allclose(values, expected, rtol=1e-12)


@pytest.mark.parametrize(
    "strategy", ["mean", "median", "most_frequent", "constant", "knn", "iterative"]
)
def test_indicator_name_taken_by_an_existing_column_raises(strategy):
    X = pd.DataFrame({"a": [1.0, np.nan], "a_missing": [0.0, 1.0]})
    with pytest.raises(DataError, match="'a_missing'"):
        Imputer(strategy=strategy, columns=["a"], add_indicator=True).fit(X)
    with pytest.raises(DataError, match="'a_missing'"):
        Imputer(strategy=strategy, columns=["a"], add_indicator=True).fit_transform(X)


def test_tags_and_column_kinds_follow_the_strategy():
    X = pd.DataFrame({"n": [1.0, np.nan], "s": ["x", None]})
    assert Imputer(strategy="mean").fit(X).columns_ == ["n"]
    assert Imputer(strategy="most_frequent").fit(X).columns_ == ["n", "s"]
    if hasattr(Imputer(), "__sklearn_tags__"):
        assert Imputer().__sklearn_tags__().input_tags.string is True


# ------------------------------------------- constant fill: the value suits the column
@pytest.mark.parametrize("backend", ["pandas", "polars"])
@pytest.mark.parametrize(
    ("column", "fill", "match"),
    [
        (pd.array([1, None, 3], dtype="Int64"), "missing", "'a' is numeric .Int64."),
        (np.array([1.0, np.nan, 3.0]), "missing", "'a' is numeric .Float64."),
        (pd.Series(["x", None, "z"], dtype=object), 0, "'a' holds text"),
        (
            pd.to_datetime(["2024-01-01", None, "2024-01-03"]),
            "missing",
            "'a' holds Datetime",
        ),
    ],
)
def test_constant_fill_value_of_the_wrong_kind_is_refused_by_name(
    backend, column, fill, match
):
    X = as_backend(pd.DataFrame({"a": column}), backend)
    with pytest.raises(DataError, match=match) as info:
        Imputer(strategy="constant", fill_value=fill).fit(X)
    assert "columns=" in str(info.value)  # the fix is named


@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_constant_fraction_makes_an_integer_column_float_whole_numbers_keep_it(backend):
    X = as_backend(
        pd.DataFrame(
            {
                "a": pd.array([1, None], dtype="Int64"),
                "b": pd.array([1, None], dtype="Int64"),
            }
        ),
        backend,
    )
    out = Imputer(strategy="constant", fill_value=2.5, columns=["a"]).fit_transform(X)
    whole = Imputer(strategy="constant", fill_value=2.0, columns=["b"]).fit_transform(X)
    frame = out if backend == "pandas" else out.to_pandas()
    assert frame["a"].tolist() == [1.0, 2.5] and str(frame["a"].dtype) in (
        "Float64",
        "float64",
    )
    kept = whole if backend == "pandas" else whole.to_pandas()
    assert kept["b"].tolist() == [1, 2] and str(kept["b"].dtype) in ("Int64", "int64")


def test_constant_timestamp_fills_a_datetime_column():
    X = pd.DataFrame({"t": pd.to_datetime(["2024-01-01", None])})
    out = Imputer(
        strategy="constant", fill_value=np.datetime64("2020-01-01")
    ).fit_transform(X)
    assert out["t"].tolist() == list(pd.to_datetime(["2024-01-01", "2020-01-01"]))


# ------------------------------------------ the numpy fill path equals the expression one
@pytest.mark.parametrize("strategy", ["mean", "median"])
def test_numpy_backed_columns_fill_like_the_expression_path(strategy):
    rng = np.random.default_rng(7)
    X = pd.DataFrame(rng.normal(size=(500, 3)), columns=list("abc"))
    X = X.mask(rng.random(X.shape) < 0.2)
    X["d"] = rng.integers(0, 9, 500)  # integer, nothing missing: becomes float
    X["e"] = X["a"].astype(np.float32)  # stays float32
    before = X.copy()
    numpy_path = Imputer(strategy=strategy).fit_transform(X)
    nullable = Imputer(strategy=strategy).fit_transform(X.convert_dtypes())
    polars_out = Imputer(strategy=strategy).fit_transform(pl.from_pandas(X)).to_pandas()
    pd.testing.assert_frame_equal(X, before)  # input untouched
    assert numpy_path.dtypes.astype(str).tolist() == [*["float64"] * 4, "float32"]
    for other in (nullable, polars_out):
        np.testing.assert_allclose(
            numpy_path.to_numpy(dtype=float), other.to_numpy(dtype=float), rtol=1e-6
        )
    theirs = SimpleImputer(strategy=strategy).fit_transform(X.to_numpy(dtype=float))
    np.testing.assert_allclose(numpy_path.to_numpy(dtype=float)[:, :4], theirs[:, :4])


@given(numeric_frames(max_rows=30))
def test_property_median_fill_is_the_exact_median_of_the_observed_values(frame):
    out = Imputer(strategy="median").fit_transform(frame)
    for name in out.columns:
        observed = frame[name].to_numpy(dtype=float)
        observed = observed[~np.isnan(observed)]
        if observed.size == 0:
            continue
        expected = np.quantile(observed, 0.5)  # numpy's linear rule, as SimpleImputer
        if not np.isfinite(expected):
            continue  # the midpoint of two values near ±1e308 overflows in numpy
        gaps = frame[name].isna().to_numpy()
        np.testing.assert_allclose(
            out[name].to_numpy(dtype=float)[gaps], expected, rtol=1e-12
        )
