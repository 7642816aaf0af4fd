"""Checks every public mlprep transformer passes.

* scikit-learn's ``parametrize_with_checks`` (expected failures listed with a reason);
* the input-type × ``set_output`` matrix (pandas, polars, pyarrow, numpy);
* the ``mlprep.save`` / ``mlprep.load`` round trip;
* input never mutated; ``clone``, pickle, and the parameter-constraint table.

A family adds its transformers to ``CASES``; ``test_every_transformer_has_a_case``
fails when a public transformer is missing from it.
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.utils.estimator_checks import parametrize_with_checks

import mlprep
from mlprep.core import MlprepTransformer, registered
from mlprep.encode import (
    BinaryEncoder,
    CountEncoder,
    HashingEncoder,
    OneHotEncoder,
    OrdinalEncoder,
    TargetEncoder,
)
from mlprep.exceptions import InvalidParameterError
from mlprep.impute import Imputer
from mlprep.outliers import OutlierHandler
from mlprep.scale import (
    Binner,
    LogTransformer,
    MaxAbsScaler,
    MinMaxScaler,
    PowerTransformer,
    RobustScaler,
    RootTransformer,
    StandardScaler,
)
from mlprep.testing.strategies import BACKENDS, as_backend
from mlprep.text import CountVectorizer, HashingVectorizer, TfidfVectorizer, Tokenizer
from mlprep.timeseries import (
    DatetimeFeatures,
    DiffFeatures,
    ExpandingFeatures,
    LagFeatures,
    RollingFeatures,
)


# ----------------------------------------------------------------- test data
def numeric_data() -> tuple[pd.DataFrame, None]:
    """Three skewed, positive float columns with gaps."""
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "income": rng.lognormal(10, 0.8, 60),
            "age": rng.normal(40, 12, 60).clip(18, 90),
            "visits": rng.poisson(3, 60).astype(float) + 1.0,
        }
    )
    frame.loc[[3, 17, 40], "income"] = np.nan
    frame.loc[[5, 22], "age"] = np.nan
    return frame, None


def mixed_data() -> tuple[pd.DataFrame, None]:
    """Numeric and string columns, both with gaps."""
    frame, _ = numeric_data()
    cities = np.array(["Paris", "Lyon", "Nice", "Lille"], dtype=object)
    frame["city"] = cities[np.arange(len(frame)) % 4]
    frame.loc[[2, 9], "city"] = None
    return frame, None


def categorical_data() -> tuple[pd.DataFrame, None]:
    """String (with gaps), pandas-categorical and boolean columns only."""
    rng = np.random.default_rng(0)
    colors = np.array(
        ["White", "Black", "Red", "Blue", "Green", "Yellow", "Pink", "Brown"],
        dtype=object,
    )
    frame = pd.DataFrame(
        {
            "color": colors[rng.integers(0, 8, 60)],
            "size": pd.Categorical(
                np.array(["S", "M", "L"], dtype=object)[rng.integers(0, 3, 60)],
                categories=["S", "M", "L"],
            ),
            "member": rng.random(60) < 0.4,
        }
    )
    frame.loc[[4, 30], "color"] = None
    return frame, None


def categorical_mixed_data() -> tuple[pd.DataFrame, None]:
    """:func:`categorical_data` plus numeric passthrough columns."""
    frame, _ = categorical_data()
    frame["visits"] = np.arange(60) % 7
    frame["spend"] = np.linspace(0.0, 1.0, 60)
    return frame, None


def categorical_binary_target() -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`categorical_data` with a 0/1 target that depends on the colour."""
    frame, _ = categorical_data()
    rng = np.random.default_rng(1)
    y = ((frame["color"].isin(["Red", "Blue"])) ^ (rng.random(60) < 0.2)).astype(int)
    return frame, y.to_numpy()


def categorical_multiclass_target() -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`categorical_data` with a three-class string target."""
    frame, _ = categorical_data()
    y = np.array(["low", "mid", "high"], dtype=object)[np.arange(60) % 3]
    return frame, y


def panel_data() -> tuple[pd.DataFrame, None]:
    """Three stores of uneven length, daily with gaps, rows shuffled, sales with gaps."""
    rng = np.random.default_rng(0)
    lengths = {"north": 25, "south": 20, "east": 15}
    frames = []
    for store, length in lengths.items():
        days = np.sort(rng.choice(40, size=length, replace=False))
        frames.append(
            pd.DataFrame(
                {
                    "store": store,
                    "day": pd.Timestamp("2024-01-01") + pd.to_timedelta(days, unit="D"),
                    "sales": rng.gamma(5.0, 20.0, length),
                    "price": rng.uniform(1.0, 3.0, length),
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True).sample(frac=1.0, random_state=0)
    frame = frame.reset_index(drop=True)
    frame.loc[[3, 30], "sales"] = np.nan
    return frame, None


def datetime_data() -> tuple[pd.DataFrame, None]:
    """A timestamp column with times of day and a NaT, and a numeric passthrough."""
    rng = np.random.default_rng(0)
    stamps = pd.Timestamp("2023-12-20") + pd.to_timedelta(
        rng.integers(0, 400 * 24, 60), unit="h"
    )
    frame = pd.DataFrame({"ts": stamps.as_unit("ns"), "amount": rng.normal(size=60)})
    frame.loc[7, "ts"] = pd.NaT
    return frame, None


def text_data() -> tuple[pd.DataFrame, None]:
    """Two text columns (product reviews and titles) with None and empty documents."""
    reviews = [
        "Great phone, the battery lasts two days!",
        "Screen cracked after a week. Very disappointed.",
        None,
        "Fast delivery; works as described.",
        "",
        "The camera is great but the battery is weak",
        "Naïve design, café-quality sound — love it",
        "Terrible support, would not buy again",
    ] * 3
    titles = ["great", "broken", "ok", None, "fine", "mixed", "love it", "bad"] * 3
    frame = pd.DataFrame(
        {
            "review": pd.Series(reviews, dtype=object),
            "title": pd.Series(titles, dtype=object),
        }
    )
    return frame, None


@dataclass(frozen=True)
class Case:
    """How to exercise one configured transformer."""

    estimator: Any
    data: Callable[[], tuple[pd.DataFrame, Any]] = numeric_data
    backends: tuple[str, ...] = BACKENDS
    sklearn_checks: bool = True
    expected_failed_checks: dict[str, str] = field(default_factory=dict)
    frame_output: bool = True
    fit_transform_is_fit_then_transform: bool = True

    def __str__(self) -> str:
        return repr(self.estimator)


_BOX_COX_ZERO = (
    "scikit-learn makes data for positive_only estimators by subtracting the minimum, "
    "which leaves a 0 that Box-Cox (strictly positive data only) refuses with a DomainError"
)
_POSITIVE_ONLY: dict[str, str] = dict.fromkeys(
    [
        "check_dict_unchanged",
        "check_dont_overwrite_parameters",
        "check_dtype_object",
        "check_estimators_dtypes",
        "check_estimators_fit_returns_self",
        "check_estimators_overwrite_params",
        "check_estimators_pickle",
        "check_f_contiguous_array_estimator",
        "check_fit2d_1feature",
        "check_fit2d_1sample",
        "check_fit2d_predict1d",
        "check_fit_check_is_fitted",
        "check_fit_idempotent",
        "check_fit_score_takes_y",
        "check_methods_sample_order_invariance",
        "check_methods_subset_invariance",
        "check_n_features_in",
        "check_n_features_in_after_fitting",
        "check_pipeline_consistency",
        "check_readonly_memmap_input",
        "check_transformer_data_not_an_array",
        "check_transformer_general",
        "check_transformer_preserve_dtypes",
    ],
    _BOX_COX_ZERO,
)
_FRAMES = ("pandas", "polars", "pyarrow")
_CONTINUES = (
    "check_transformer_general",
    "check_transformer_data_not_an_array",
    "check_methods_subset_invariance",
    "check_methods_sample_order_invariance",
)


CASES: list[Case] = [
    Case(Imputer()),
    Case(Imputer(strategy="median", add_indicator=True)),
    Case(Imputer(strategy="most_frequent"), mixed_data),
    Case(Imputer(strategy="constant", fill_value=0), numeric_data),
    Case(StandardScaler()),
    Case(StandardScaler(with_mean=False)),
    Case(RobustScaler()),
    Case(RobustScaler(quantile_range=(10, 90), with_centering=False)),
    Case(MinMaxScaler()),
    Case(MinMaxScaler(feature_range=(-1, 1), clip=True)),
    Case(MaxAbsScaler()),
    Case(PowerTransformer()),
    Case(
        PowerTransformer(method="box-cox", standardize=False),
        expected_failed_checks=_POSITIVE_ONLY,
    ),
    Case(LogTransformer(base=10, offset=1.0)),
    Case(
        LogTransformer(base=2, columns=["visits"]),
        backends=("pandas", "polars", "pyarrow"),
        sklearn_checks=False,  # names a column that arrays do not have
    ),
    Case(RootTransformer()),
    Case(RootTransformer(root="cbrt")),
    Case(Binner()),
    Case(Binner(strategy="quantile", n_bins=4, encode="onehot")),
    Case(Binner(strategy="custom", edges=[20.0, 40.0, 60.0])),
    Case(OutlierHandler()),
    Case(OutlierHandler(method="zscore", k=2.0, action="nan")),
    Case(OutlierHandler(method="mad", action="median")),
    Case(OutlierHandler(method="quantile", quantiles=(0.05, 0.95), action="mean")),
    Case(
        OutlierHandler(action="flag"),
        mixed_data,
        backends=("pandas", "polars", "pyarrow"),
    ),
    Case(OneHotEncoder(), categorical_data),
    Case(
        OneHotEncoder(min_frequency=5, handle_unknown="infrequent", drop="if_binary"),
        categorical_data,
    ),
    Case(
        OneHotEncoder(sparse_output=True),
        categorical_mixed_data,
        backends=("pandas", "polars", "pyarrow"),
        frame_output=False,
    ),
    Case(OrdinalEncoder(), categorical_data),
    Case(
        OrdinalEncoder(order={"size": ["S", "M", "L"]}, handle_unknown="error"),
        categorical_mixed_data,
        backends=("pandas", "polars", "pyarrow"),
        sklearn_checks=False,  # the explicit order names a column arrays do not have
    ),
    Case(BinaryEncoder(), categorical_data),
    Case(
        HashingEncoder(n_features=32),
        categorical_data,
        backends=(
            "pandas",
            "polars",
            "pyarrow",
        ),  # tokens hash the column names (x0 for arrays)
    ),
    Case(
        HashingEncoder(n_features=64, sparse_output=True),
        categorical_mixed_data,
        backends=("pandas", "polars", "pyarrow"),
        frame_output=False,
    ),
    Case(CountEncoder(), categorical_data),
    Case(
        CountEncoder(normalize=True),
        categorical_mixed_data,
        backends=("pandas", "polars", "pyarrow"),
    ),
    Case(
        TargetEncoder(random_state=0),
        categorical_binary_target,
        fit_transform_is_fit_then_transform=False,
    ),
    Case(
        TargetEncoder(cv=3, smooth=2.0, random_state=0),
        categorical_multiclass_target,
        fit_transform_is_fit_then_transform=False,
        expected_failed_checks=dict.fromkeys(
            ("check_transformer_general", "check_transformer_data_not_an_array"),
            "fit_transform cross-fits by design, so it differs from fit().transform()",
        ),
    ),
    # timeseries: these take frames with a time (and group) column; scikit-learn's
    # checks feed anonymous numeric arrays, which have neither.
    Case(DatetimeFeatures(), datetime_data, backends=_FRAMES, sklearn_checks=False),
    Case(
        DatetimeFeatures(
            features=("month", "day_of_week", "hour", "is_weekend"), cyclical=True
        ),
        datetime_data,
        backends=_FRAMES,
        sklearn_checks=False,
    ),
    Case(
        LagFeatures(lags=(1, 7, "7D"), time_column="day", group_columns="store"),
        panel_data,
        backends=_FRAMES,
        sklearn_checks=False,
    ),
    Case(
        RollingFeatures(
            windows=(3, "7D"),
            stats=("mean", "std", "median", "count", "quantile"),
            time_column="day",
            group_columns="store",
        ),
        panel_data,
        backends=_FRAMES,
        sklearn_checks=False,
    ),
    Case(
        ExpandingFeatures(
            stats=("mean", "std", "min", "max", "sum", "count"),
            time_column="day",
            group_columns="store",
        ),
        panel_data,
        backends=_FRAMES,
        sklearn_checks=False,
    ),
    Case(
        DiffFeatures(
            periods=(1, 2),
            method="pct_change",
            time_column="day",
            group_columns="store",
        ),
        panel_data,
        backends=_FRAMES,
        sklearn_checks=False,
    ),
    # without a time column the row order is the time order and numpy works; transform
    # continues the fitted rows, so it differs from fit_transform by design
    Case(
        LagFeatures(lags=(1, 2)),
        fit_transform_is_fit_then_transform=False,
        expected_failed_checks=dict.fromkeys(
            _CONTINUES,
            "without time_column the row order is the time order and transform continues "
            "the fitted series (history carried from fit), so fit().transform(X) differs "
            "from fit_transform(X), and subsets or shuffled rows are different series",
        ),
    ),
    # scikit-learn's checks feed numeric arrays; the Tokenizer works on text columns
    # (its contract is exercised below and in tests/text/test_tokenizer.py)
    Case(Tokenizer(), text_data, sklearn_checks=False),
    Case(
        Tokenizer(stop_words="english", ngram_range=(1, 2), columns="review"),
        text_data,
        backends=_FRAMES,
        sklearn_checks=False,
    ),
    # the vectorizers return scipy CSR matrices, and scikit-learn's checks feed
    # numeric arrays (they skip its own text vectorizers for the same reason);
    # tests/text/test_vectorize.py runs the relevant checks by hand
    Case(CountVectorizer(), text_data, sklearn_checks=False, frame_output=False),
    Case(
        CountVectorizer(ngram_range=(1, 2), min_df=2, binary=True),
        text_data,
        sklearn_checks=False,
        frame_output=False,
    ),
    Case(TfidfVectorizer(), text_data, sklearn_checks=False, frame_output=False),
    Case(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True),
        text_data,
        sklearn_checks=False,
        frame_output=False,
    ),
    Case(
        HashingVectorizer(n_features=2**10),
        text_data,
        sklearn_checks=False,
        frame_output=False,
    ),
]


def _ids(cases: list[Case]) -> list[str]:
    return [str(case) for case in cases]


# ----------------------------------------------------------------- helpers
def _as_pandas(output: Any) -> pd.DataFrame:
    if isinstance(output, pd.DataFrame):
        frame = output.reset_index(drop=True)
    elif hasattr(output, "toarray"):  # scipy sparse (sparse_output=True)
        frame = pd.DataFrame(output.toarray())
    elif isinstance(output, np.ndarray):
        frame = pd.DataFrame(output)
    else:
        frame = output.to_pandas()
    frame.columns = range(frame.shape[1])
    columns = {}
    for index in frame.columns:
        column = frame[index]
        numeric = pd.to_numeric(column, errors="coerce")
        if numeric.notna().sum() == column.notna().sum():
            columns[index] = numeric.astype(float)
        else:
            columns[index] = column.astype(object).where(column.notna(), None)
    return pd.DataFrame(columns)


def _assert_same_values(left: Any, right: Any) -> None:
    pd.testing.assert_frame_equal(
        _as_pandas(left), _as_pandas(right), check_dtype=False, rtol=1e-10, atol=1e-12
    )


def _container(backend: str) -> type:
    if backend == "polars":
        import polars as pl

        return pl.DataFrame
    if backend == "pyarrow":
        import pyarrow as pa

        return pa.Table
    return {"pandas": pd.DataFrame, "numpy": np.ndarray}[backend]


# --------------------------------------------------------------- the checks
def test_every_transformer_has_a_case() -> None:
    covered = {type(case.estimator) for case in CASES}
    public = {
        cls
        for name, cls in registered().items()
        if name.startswith("mlprep.") and issubclass(cls, MlprepTransformer)
    }
    assert public - covered == set(), "add these transformers to CASES"


def test_every_transformer_is_exported_at_top_level() -> None:
    for case in CASES:
        name = type(case.estimator).__name__
        assert getattr(mlprep, name) is type(case.estimator)
        assert name in mlprep.__all__


_SKLEARN_CASES = [case for case in CASES if case.sklearn_checks]
_EXPECTED_FAILURES = {
    id(case.estimator): case.expected_failed_checks for case in _SKLEARN_CASES
}


@parametrize_with_checks([case.estimator for case in _SKLEARN_CASES])
def test_sklearn_compatible(estimator: Any, check: Any) -> None:
    check_name = getattr(check, "func", check).__name__
    reasons = next(
        (
            case.expected_failed_checks
            for case in _SKLEARN_CASES
            if repr(case.estimator) == repr(estimator)
        ),
        {},
    )
    if check_name in reasons:
        pytest.xfail(reasons[check_name])
    check(estimator)


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
@pytest.mark.parametrize("backend", BACKENDS)
def test_same_container_out_as_in(case: Case, backend: str) -> None:
    if backend not in case.backends:
        pytest.skip(f"{case} does not take {backend} input")
    X, y = case.data()
    native = as_backend(X, backend)
    estimator = clone(case.estimator).fit(native, y)
    output = estimator.transform(native)
    if not case.frame_output:
        return
    assert isinstance(output, _container(backend))
    if backend != "numpy":
        assert list(
            output.columns if backend != "pyarrow" else output.column_names
        ) == list(estimator.get_feature_names_out())
    reference = clone(case.estimator).fit(X, y).transform(X)
    _assert_same_values(output, reference)


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c.frame_output],
    ids=_ids([c for c in CASES if c.frame_output]),
)
@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("output", ["pandas", "polars"])
def test_set_output(case: Case, backend: str, output: str) -> None:
    if backend not in case.backends:
        pytest.skip(f"{case} does not take {backend} input")
    X, y = case.data()
    native = as_backend(X, backend)
    estimator = clone(case.estimator).set_output(transform=output)
    result = estimator.fit(native, y).transform(native)
    assert isinstance(result, _container(output))
    names = result.columns
    assert list(names) == list(estimator.get_feature_names_out())


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_save_load_round_trip(case: Case, tmp_path: Any) -> None:
    X, y = case.data()
    fitted = clone(case.estimator).fit(X, y)
    path = tmp_path / "fitted.json"
    mlprep.save(fitted, path)
    loaded = mlprep.load(path)
    assert type(loaded) is type(fitted)
    assert loaded.get_params() == fitted.get_params()
    _assert_same_values(loaded.transform(X), fitted.transform(X))


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
@pytest.mark.parametrize("backend", BACKENDS)
def test_input_never_mutated(case: Case, backend: str) -> None:
    if backend not in case.backends:
        pytest.skip(f"{case} does not take {backend} input")
    X, y = case.data()
    native = as_backend(X, backend)
    before = copy.deepcopy(native)
    estimator = clone(case.estimator)
    estimator.fit_transform(native, y)
    estimator.transform(native)
    _assert_same_values(native, before)


@pytest.mark.parametrize(
    "case",
    [c for c in CASES if c.fit_transform_is_fit_then_transform],
    ids=_ids([c for c in CASES if c.fit_transform_is_fit_then_transform]),
)
def test_fit_transform_equals_fit_then_transform(case: Case) -> None:
    X, y = case.data()
    together = clone(case.estimator).fit_transform(X, y)
    apart = clone(case.estimator).fit(X, y).transform(X)
    _assert_same_values(together, apart)


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_clone_and_pickle(case: Case) -> None:
    X, y = case.data()
    fitted = clone(case.estimator).fit(X, y)
    restored = pickle.loads(pickle.dumps(fitted))
    _assert_same_values(restored.transform(X), fitted.transform(X))
    assert clone(fitted).get_params() == case.estimator.get_params()


@pytest.mark.parametrize("case", CASES, ids=_ids(CASES))
def test_parameter_constraints_cover_every_parameter(case: Case) -> None:
    estimator = case.estimator
    params = estimator.get_params(deep=False)
    assert set(type(estimator)._parameter_constraints) == set(params)
    X, y = case.data()
    for name in params:
        bad = clone(estimator).set_params(**{name: object()})
        with pytest.raises(
            InvalidParameterError,
            match=rf"The '{name}' parameter of {type(estimator).__name__} must be .* Got .* instead\.",
        ):
            bad.fit(X, y)
