"""OutlierHandler: the seed example, every action, the NaN policy, fitted fences, peers."""

import warnings

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlprep.exceptions import DataError, DataWarning, InvalidParameterError
from mlprep.outliers import OutlierHandler
from mlprep.testing.strategies import as_backend, spiky_frames

SEED = pd.DataFrame(
    {
        "water": [4, 3.8, 4.5, 8, 9, 9.5, 13, 14, 13.7, 25],
        "energy": [11, 12, 12.5, 8, 8.5, 7.5, 5, 4.7, 6, 23],
    }
)


# ------------------------------------------------------------- seed example
def test_seed_iqr_flags_only_the_23():
    flags = OutlierHandler(method="iqr", action="flag").fit_transform(SEED)
    assert flags["energy_outlier"].tolist() == [False] * 9 + [True]
    # 25 stays inside its 25.75 fence: the row is flagged through the 23 only
    assert not flags["water_outlier"].any()
    pd.testing.assert_frame_equal(flags[["water", "energy"]], SEED)


def test_seed_iqr_fences():
    handler = OutlierHandler(method="iqr").fit(SEED)
    assert handler.k_ == 1.5
    assert handler.bounds_["energy"] == pytest.approx([-1.6875, 19.8125], rel=1e-12)
    assert handler.bounds_["water"] == pytest.approx([-6.85, 25.75], rel=1e-12)
    assert all(type(v) is float for pair in handler.bounds_.values() for v in pair)


def test_seed_iqr_clip_caps_the_23_at_its_fence():
    out = OutlierHandler().fit_transform(SEED)
    assert out.loc[9].tolist() == pytest.approx([25.0, 19.8125])
    pd.testing.assert_frame_equal(out.iloc[:9], SEED.iloc[:9].astype(float))


def test_seed_zscore_flags_nothing():
    handler = OutlierHandler(method="zscore", action="flag").fit(SEED)
    assert handler.k_ == 3.0
    flags = handler.transform(SEED)
    assert not flags[["water_outlier", "energy_outlier"]].to_numpy().any()
    # the largest |z| are 2.387 and 2.577: inside the ±3 fences
    low, high = handler.bounds_["energy"]
    assert (23 - 9.82) / ((high - low) / 6) == pytest.approx(2.57730774, rel=1e-8)


def test_seed_zscore_with_k_2_flags_the_row():
    flags = OutlierHandler(method="zscore", k=2, action="flag").fit_transform(SEED)
    assert flags["water_outlier"].tolist()[-1] and flags["energy_outlier"].tolist()[-1]


# ----------------------------------------------------------------- actions
X = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0, 100.0, np.nan, -50.0]})


def test_clip_caps_both_tails():
    handler = OutlierHandler().fit(X)
    low, high = handler.bounds_["a"]
    out = handler.transform(X)["a"].tolist()
    assert out[:4] == [1.0, 2.0, 3.0, 4.0]
    assert out[4] == high and out[6] == low and np.isnan(out[5])


def test_nan_replaces_outliers_by_nan():
    out = OutlierHandler(action="nan").fit_transform(X)["a"]
    assert out.isna().tolist() == [False] * 4 + [True, True, True]
    assert out.iloc[:4].tolist() == [1.0, 2.0, 3.0, 4.0]


@pytest.mark.parametrize(("action", "value"), [("mean", 2.5), ("median", 2.5)])
def test_mean_and_median_use_the_inliers_of_fit(action, value):
    handler = OutlierHandler(action=action).fit(X)
    assert handler.statistics_ == {"a": value}
    out = handler.transform(X)["a"].tolist()
    assert out[4] == value and out[6] == value and np.isnan(out[5])


def test_median_differs_from_mean_on_skewed_inliers():
    data = pd.DataFrame({"a": [1.0, 1.0, 1.0, 2.0, 10.0, 1e6]})
    mean = (
        OutlierHandler(method="mad", k=1000, action="mean").fit(data).statistics_["a"]
    )
    median = (
        OutlierHandler(method="mad", k=1000, action="median").fit(data).statistics_["a"]
    )
    assert mean == pytest.approx(3.0) and median == 1.0


def test_flag_appends_columns_and_keeps_values():
    handler = OutlierHandler(action="flag").fit(X)
    out = handler.transform(X)
    assert list(out.columns) == ["a", "a_outlier"]
    assert list(handler.get_feature_names_out()) == ["a", "a_outlier"]
    assert out["a_outlier"].tolist() == [False] * 4 + [True, False, True]
    pd.testing.assert_series_equal(out["a"], X["a"])


def test_flag_keeps_integer_dtypes_and_other_actions_return_float():
    data = pd.DataFrame({"n": [1, 2, 3, 4, 1000]})
    assert OutlierHandler(action="flag").fit_transform(data)["n"].dtype == np.int64
    clipped = OutlierHandler().fit_transform(data)["n"]
    assert clipped.dtype == np.float64 and clipped.iloc[-1] == 7.0


def test_infinity_is_an_outlier_in_transform():
    data = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0, np.inf, -np.inf]})
    handler = OutlierHandler().fit(data)
    assert handler.bounds_["a"] == pytest.approx([-0.5, 5.5])  # ±inf left out of fit
    assert handler.transform(data)["a"].tolist()[4:] == [5.5, -0.5]


def test_quantile_winsorizes():
    data = pd.DataFrame({"a": np.arange(101.0)})
    out = OutlierHandler(method="quantile", quantiles=(0.1, 0.9)).fit_transform(data)[
        "a"
    ]
    assert out.min() == 10.0 and out.max() == 90.0


# ---------------------------------------------------------- fitted fences
def test_transform_of_new_data_uses_the_fitted_fences():
    handler = OutlierHandler().fit(SEED)
    new = pd.DataFrame({"water": [100.0, -100.0, 10.0], "energy": [19.0, 20.0, 1000.0]})
    out = handler.transform(new)
    assert out["water"].tolist() == pytest.approx([25.75, -6.85, 10.0])
    assert out["energy"].tolist() == pytest.approx([19.0, 19.8125, 19.8125])


def test_transform_never_writes_to_the_transformer():
    handler = OutlierHandler(action="median").fit(SEED)
    before = dict(vars(handler))
    handler.transform(SEED * 10)
    assert vars(handler) == before


# -------------------------------------------------- NaN policy and backends
@pytest.mark.parametrize("action", ["clip", "nan", "mean", "median", "flag"])
def test_polars_nan_and_null_are_kept_and_never_flagged(action):
    data = pl.DataFrame({"a": [1.0, 2.0, float("nan"), None, 3.0, 4.0, 100.0]})
    out = OutlierHandler(action=action).fit_transform(data)
    assert isinstance(out, pl.DataFrame)
    column = out["a"]
    assert column.is_nan().to_list()[2] is True
    assert column.is_null().to_list()[3] is True
    if action == "flag":
        assert out["a_outlier"].to_list() == [False] * 6 + [True]


@pytest.mark.parametrize("backend", ["pandas", "polars", "pyarrow", "numpy"])
@pytest.mark.parametrize("action", ["clip", "nan", "median", "flag"])
def test_every_backend_gives_the_same_values(backend, action):
    reference = OutlierHandler(action=action).fit_transform(X)
    out = OutlierHandler(action=action).fit_transform(as_backend(X, backend))
    if backend == "numpy":
        values = out
    elif backend == "pyarrow":
        assert isinstance(out, pa.Table)
        values = out.to_pandas().to_numpy(dtype=float)
    else:
        values = out.to_numpy().astype(float)
    np.testing.assert_array_equal(values, reference.to_numpy(dtype=float))


def test_columns_selects_and_other_columns_pass_through():
    data = SEED.assign(city=["x"] * 10, code=range(10))
    handler = OutlierHandler(columns=["energy"]).fit(data)
    assert handler.columns_ == ["energy"]
    out = handler.transform(data)
    assert out["energy"].iloc[-1] == pytest.approx(19.8125)
    pd.testing.assert_frame_equal(
        out.drop(columns="energy"), data.drop(columns="energy")
    )


def test_columns_none_selects_numeric_columns_only():
    data = SEED.assign(city=["x"] * 10)
    assert OutlierHandler().fit(data).columns_ == ["water", "energy"]


def test_string_column_named_explicitly_is_refused():
    with pytest.raises(DataError, match="'city' has dtype String"):
        OutlierHandler(columns="city").fit(SEED.assign(city=["x"] * 10))


# ------------------------------------------------------------------ errors
def test_flag_refuses_to_overwrite_an_existing_column():
    data = SEED.assign(energy_outlier=0.0)
    with pytest.raises(DataError, match=r"\['energy_outlier'\], which already exist"):
        OutlierHandler(action="flag", columns=["water", "energy"]).fit(data)


def test_k_with_quantile_is_refused():
    with pytest.raises(
        InvalidParameterError, match="no meaning with method='quantile'"
    ):
        OutlierHandler(method="quantile", k=2.0).fit(SEED)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"k": -1},
            "The 'k' parameter of OutlierHandler must be a float > 0 or None. Got -1 instead.",
        ),
        (
            {"k": 0},
            "The 'k' parameter of OutlierHandler must be a float > 0 or None. Got 0 instead.",
        ),
        (
            {"method": "iqR"},
            "The 'method' parameter of OutlierHandler must be one of 'iqr', 'zscore', 'mad', 'quantile'. Got 'iqR' instead.",
        ),
        (
            {"action": "drop"},
            "The 'action' parameter of OutlierHandler must be one of 'clip', 'nan', 'mean', 'median', 'flag'. Got 'drop' instead.",
        ),
        (
            {"quantiles": (0.9, 0.1)},
            "The 'quantiles' parameter of OutlierHandler must be a pair (low, high) of floats with 0 <= low < high <= 1. Got (0.9, 0.1) instead.",
        ),
    ],
)
def test_invalid_parameters_are_named(params, message):
    with pytest.raises(InvalidParameterError) as info:
        OutlierHandler(**params).fit(SEED)
    assert str(info.value) == message


def test_zero_spread_warns_naming_the_column():
    data = SEED.assign(flat=5.0)
    with pytest.warns(DataWarning, match=r"\['flat'\] have zero IQR"):
        handler = OutlierHandler().fit(data)
    assert handler.bounds_["flat"] == [5.0, 5.0]
    assert (
        handler.transform(data.assign(flat=[5.0] * 9 + [7.0]))["flat"].iloc[-1] == 5.0
    )


# ----------------------------------------------------------- equivalence
def test_iqr_clip_equals_feature_engine_winsorizer():
    Winsorizer = pytest.importorskip("feature_engine.outliers").Winsorizer

    rng = np.random.default_rng(7)
    data = pd.DataFrame(rng.lognormal(0, 1, (500, 3)), columns=["a", "b", "c"])
    ours = OutlierHandler(method="iqr", k=1.5).fit_transform(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = Winsorizer(capping_method="iqr", tail="both", fold=1.5).fit_transform(
            data
        )
    pd.testing.assert_frame_equal(ours, theirs, rtol=1e-12)


def test_quantile_clip_equals_feature_engine_winsorizer():
    Winsorizer = pytest.importorskip("feature_engine.outliers").Winsorizer

    rng = np.random.default_rng(8)
    data = pd.DataFrame(rng.standard_t(2, (400, 2)), columns=["a", "b"])
    ours = OutlierHandler(method="quantile", quantiles=(0.05, 0.95)).fit_transform(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = Winsorizer(
            capping_method="quantiles", tail="both", fold=0.05
        ).fit_transform(data)
    pd.testing.assert_frame_equal(ours, theirs, rtol=1e-12)


def test_zscore_clip_equals_pandas_with_population_std():
    rng = np.random.default_rng(9)
    data = pd.DataFrame(rng.standard_t(3, (400, 2)), columns=["a", "b"])
    ours = OutlierHandler(method="zscore").fit_transform(data)
    mean, std = data.mean(), data.std(ddof=0)
    pd.testing.assert_frame_equal(
        ours, data.clip(mean - 3 * std, mean + 3 * std, axis=1), rtol=1e-12
    )


# ------------------------------------------------------------- properties
def _fit_quietly(handler, frame):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)
        return handler.fit(frame)


METHODS = st.sampled_from(["iqr", "zscore", "mad", "quantile"])


@given(
    frame=spiky_frames(), method=METHODS, backend=st.sampled_from(["pandas", "polars"])
)
def test_property_clip_stays_within_the_fences(frame, method, backend):
    handler = _fit_quietly(OutlierHandler(method=method), as_backend(frame, backend))
    out = handler.transform(as_backend(frame, backend))
    out = out if backend == "pandas" else out.to_pandas()
    for name, (low, high) in handler.bounds_.items():
        values = out[name].to_numpy()
        present = ~np.isnan(values)
        assert np.all((values[present] >= low) & (values[present] <= high))
        # missing stays missing, and nothing else becomes missing
        np.testing.assert_array_equal(~present, frame[name].isna().to_numpy())


@given(
    frame=spiky_frames(), method=METHODS, backend=st.sampled_from(["pandas", "polars"])
)
def test_property_flag_never_changes_values(frame, method, backend):
    native = as_backend(frame, backend)
    handler = _fit_quietly(OutlierHandler(method=method, action="flag"), native)
    out = handler.transform(native)
    out = out if backend == "pandas" else out.to_pandas()
    pd.testing.assert_frame_equal(out[list(frame.columns)], frame)
    for name, (low, high) in handler.bounds_.items():
        values = frame[name].to_numpy()
        expected = (values < low) | (values > high)
        np.testing.assert_array_equal(out[f"{name}_outlier"].to_numpy(), expected)


@given(
    train=spiky_frames(min_rows=3, max_columns=2),
    test=spiky_frames(min_rows=1, max_columns=2),
    method=METHODS,
)
def test_property_new_data_uses_the_fitted_fences(train, test, method):
    test = test.iloc[:, : train.shape[1]]
    test.columns = train.columns[: test.shape[1]]
    if test.shape[1] != train.shape[1]:
        return
    handler = _fit_quietly(OutlierHandler(method=method), train)
    fences = {k: list(v) for k, v in handler.bounds_.items()}
    out = handler.transform(test)
    for name, (low, high) in fences.items():
        np.testing.assert_array_equal(
            out[name].to_numpy(), test[name].clip(low, high).to_numpy()
        )
    assert handler.bounds_ == fences
