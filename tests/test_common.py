"""Every public mlprep class through the shipped conformance suite.

A thin caller of :mod:`mlprep.testing.checks`: each transformer case runs
``check_transformer`` once per check name (so a failure names the check),
scikit-learn's checks through ``sklearn_checks`` (expected failures run and
must fail), and the resampler and splitter tables run ``check_resampler`` and
``check_splitter`` the same way.

A family adds its classes to ``CASES``, ``RESAMPLER_CASES`` or
``SPLITTER_CASES``; the ``test_every_*_has_a_case`` tests fail when a public
class is missing. An expected failure is listed with its reason, per check
name, in ``expected_failures`` (our checks) or ``sklearn_expected_failures``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.model_selection import BaseCrossValidator

import mlprep
from mlprep.balance import Balancer
from mlprep.core import MlprepTransformer, registered
from mlprep.core.resample import MlprepResampler
from mlprep.encode import (
    BinaryEncoder,
    CountEncoder,
    HashingEncoder,
    OneHotEncoder,
    OrdinalEncoder,
    TargetEncoder,
)
from mlprep.impute import Imputer
from mlprep.outliers import Deduplicator, OutlierHandler, OutlierRemover
from mlprep.quality import Baseline
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
from mlprep.select import (
    DropColumns,
    DropConstantFeatures,
    DropCorrelatedFeatures,
    DropDuplicateFeatures,
)
from mlprep.split import (
    GroupTimeSeriesSplit,
    KeyKFold,
    KeySplitter,
    OrderedSplitter,
    RandomSplitter,
    StratifiedSplitter,
)
from mlprep.testing import (
    BACKENDS,
    RESAMPLER_CHECKS,
    SPLITTER_CHECKS,
    TRANSFORMER_CHECKS,
    CheckResult,
    SklearnCheck,
    check_resampler,
    check_splitter,
    check_transformer,
    sklearn_checks,
)
from mlprep.testing.data import (
    categorical_binary_target,
    categorical_data,
    categorical_mixed_data,
    categorical_multiclass_target,
    datetime_data,
    mixed_data,
    numeric_data,
    panel_data,
    resample_data,
    split_data,
    text_data,
)
from mlprep.text import CountVectorizer, HashingVectorizer, TfidfVectorizer, Tokenizer
from mlprep.timeseries import (
    DatetimeFeatures,
    DiffFeatures,
    ExpandingFeatures,
    LagFeatures,
    RollingFeatures,
)

Data = Callable[[], tuple[pd.DataFrame, Any]]


@dataclass(frozen=True)
class Case:
    """How to exercise one configured transformer."""

    estimator: Any
    data: Data = numeric_data
    backends: tuple[str, ...] = BACKENDS
    sklearn_checks: bool = True
    sklearn_expected_failures: dict[str, str] = field(default_factory=dict)
    expected_failures: dict[str, str] = field(default_factory=dict)
    fit_transform_consistent: bool = True
    partial_fit_exact: bool = True

    def __str__(self) -> str:
        return _compact(self.estimator)


def _compact(obj: Any) -> str:
    return re.sub(r"\s", "", repr(obj))


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
_EXACT_QUANTILES: dict[str, str] = {
    "check_fit_score_takes_y": (
        "calls partial_fit after fit: an exact in-memory quantile (or λ) fit keeps no "
        "mergeable sketch, so partial_fit refuses to continue it (DataError names "
        "the fix) instead of silently restarting"
    )
}
_EXACT_CATEGORIES: dict[str, str] = {
    "check_fit_score_takes_y": (
        "calls partial_fit after fit: the in-memory encoder fit is the one-pass exact "
        "path and keeps no partial state, so partial_fit refuses to continue it "
        "(DataError names the fix) instead of silently restarting"
    )
}
_FRAMES = ("pandas", "polars", "pyarrow")
_CONTINUES = (
    "check_transformer_general",
    "check_transformer_data_not_an_array",
    "check_methods_subset_invariance",
    "check_methods_sample_order_invariance",
)


_NO_ITERATIONS: dict[str, str] = {
    "check_transformer_n_iter": (
        "the check wants n_iter_ >= 1 from any transformer with a max_iter parameter; "
        "Imputer's max_iter is used by strategy='iterative' only, and the other "
        "strategies run no iterations, so they set no n_iter_"
    )
}


def _review_with_numbers() -> tuple[pd.DataFrame, None]:
    """``text_data``'s reviews beside a number and a flag, which pass through (issue 15)."""
    X, _ = text_data()
    n = len(X)
    stars = pd.Series([float(1 + i % 5) for i in range(n)])
    stars[3] = np.nan
    return (
        X[["review"]].assign(stars=stars, verified=[i % 3 == 0 for i in range(n)]),
        None,
    )


CASES: list[Case] = [
    Case(Imputer(), sklearn_expected_failures=_NO_ITERATIONS),
    Case(
        Imputer(strategy="median", add_indicator=True),
        sklearn_expected_failures={**_EXACT_QUANTILES, **_NO_ITERATIONS},
    ),
    Case(
        Imputer(strategy="most_frequent"),
        mixed_data,
        sklearn_expected_failures=_NO_ITERATIONS,
    ),
    Case(
        Imputer(strategy="constant", fill_value=0),
        numeric_data,
        sklearn_expected_failures=_NO_ITERATIONS,
    ),
    Case(Imputer(strategy="knn"), sklearn_expected_failures=_NO_ITERATIONS),
    Case(Imputer(strategy="iterative", add_indicator=True)),
    Case(StandardScaler()),
    Case(StandardScaler(with_mean=False)),
    Case(RobustScaler(), sklearn_expected_failures=_EXACT_QUANTILES),
    Case(
        RobustScaler(quantile_range=(10, 90), with_centering=False),
        sklearn_expected_failures=_EXACT_QUANTILES,
    ),
    Case(MinMaxScaler()),
    Case(MinMaxScaler(feature_range=(-1, 1), clip=True)),
    Case(MaxAbsScaler()),
    Case(PowerTransformer(), sklearn_expected_failures=_EXACT_QUANTILES),
    Case(
        PowerTransformer(method="box-cox", standardize=False),
        sklearn_expected_failures=_POSITIVE_ONLY,
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
    Case(
        Binner(strategy="quantile", n_bins=4, encode="onehot"),
        sklearn_expected_failures=_EXACT_QUANTILES,
    ),
    Case(Binner(strategy="custom", edges=[20.0, 40.0, 60.0])),
    Case(OutlierHandler(), sklearn_expected_failures=_EXACT_QUANTILES),
    Case(
        OutlierHandler(method="zscore", k=2.0, action="nan"),
        sklearn_expected_failures=_EXACT_QUANTILES,
    ),
    Case(
        OutlierHandler(method="mad", action="median"),
        sklearn_expected_failures=_EXACT_QUANTILES,
    ),
    Case(
        OutlierHandler(method="quantile", quantiles=(0.05, 0.95), action="mean"),
        sklearn_expected_failures=_EXACT_QUANTILES,
    ),
    Case(
        OutlierHandler(action="flag"),
        mixed_data,
        backends=("pandas", "polars", "pyarrow"),
        sklearn_expected_failures=_EXACT_QUANTILES,
    ),
    Case(
        OneHotEncoder(),
        categorical_data,
        sklearn_expected_failures=_EXACT_CATEGORIES,
    ),
    Case(
        OneHotEncoder(min_frequency=5, handle_unknown="infrequent", drop="if_binary"),
        categorical_data,
        sklearn_expected_failures=_EXACT_CATEGORIES,
    ),
    Case(
        OneHotEncoder(sparse_output=True),
        categorical_mixed_data,
        backends=("pandas", "polars", "pyarrow"),
        sklearn_expected_failures=_EXACT_CATEGORIES,
    ),
    Case(
        OrdinalEncoder(), categorical_data, sklearn_expected_failures=_EXACT_CATEGORIES
    ),
    Case(
        OrdinalEncoder(order={"size": ["S", "M", "L"]}, handle_unknown="error"),
        categorical_mixed_data,
        backends=("pandas", "polars", "pyarrow"),
        sklearn_checks=False,  # the explicit order names a column arrays do not have
    ),
    Case(
        BinaryEncoder(), categorical_data, sklearn_expected_failures=_EXACT_CATEGORIES
    ),
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
    ),
    Case(CountEncoder(), categorical_data, sklearn_expected_failures=_EXACT_CATEGORIES),
    Case(
        CountEncoder(normalize=True),
        categorical_mixed_data,
        backends=("pandas", "polars", "pyarrow"),
        sklearn_expected_failures=_EXACT_CATEGORIES,
    ),
    Case(
        TargetEncoder(seed=0),
        categorical_binary_target,
        fit_transform_consistent=False,
        sklearn_expected_failures=_EXACT_CATEGORIES,
    ),
    Case(
        TargetEncoder(cv=3, smooth=2.0, seed=0),
        categorical_multiclass_target,
        fit_transform_consistent=False,
        sklearn_expected_failures={
            **_EXACT_CATEGORIES,
            **dict.fromkeys(
                ("check_transformer_general", "check_transformer_data_not_an_array"),
                "fit_transform cross-fits by design, so it differs from fit().transform()",
            ),
        },
    ),
    Case(
        TargetEncoder(fold_key="color", cv=3, seed=1, columns=["size", "member"]),
        categorical_binary_target,
        backends=("pandas", "polars", "pyarrow"),
        fit_transform_consistent=False,
        sklearn_checks=False,  # fold_key names a column arrays do not have
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
        fit_transform_consistent=False,
        sklearn_expected_failures=dict.fromkeys(
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
    Case(CountVectorizer(), text_data, sklearn_checks=False),
    Case(
        CountVectorizer(ngram_range=(1, 2), min_df=2, binary=True),
        text_data,
        sklearn_checks=False,
    ),
    Case(TfidfVectorizer(), text_data, sklearn_checks=False),
    Case(
        TfidfVectorizer(max_df=0.6, max_features=8, binary=True, columns="review"),
        _review_with_numbers,
        backends=_FRAMES,
        sklearn_checks=False,
    ),
    Case(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True),
        text_data,
        sklearn_checks=False,
    ),
    Case(
        HashingVectorizer(n_features=2**10),
        text_data,
        sklearn_checks=False,
    ),
    Case(DropColumns([0])),
    Case(
        DropConstantFeatures(tol=0.95, missing_values="ignore"),
        sklearn_expected_failures=_EXACT_CATEGORIES,
    ),
    Case(DropDuplicateFeatures()),
    Case(DropCorrelatedFeatures(threshold=0.5)),
    Case(DropCorrelatedFeatures(threshold=0.5, method="spearman")),
    Case(Baseline(), mixed_data),
]


@dataclass(frozen=True)
class ResamplerCase:
    """How to exercise one configured resampler."""

    estimator: Any
    data: Data = resample_data
    backends: tuple[str, ...] = BACKENDS
    expected_failures: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return _compact(self.estimator)


_BALANCER_NEEDS_Y = {
    "check_resample_containers": "Balancer needs y: the check's fit_resample(X) "
    "without y is refused (tests/balance checks every container with y)",
}
_BALANCER_ADDS_ROWS = {
    **_BALANCER_NEEDS_Y,
    "check_resample_rows": "over-sampling adds rows (copies or synthetic), so the "
    "output is not a subset of X in increasing order",
    "check_resample_mask": "over-sampling removes no row; the output has more rows "
    "than get_mask() marks",
}

RESAMPLER_CASES: list[ResamplerCase] = [
    ResamplerCase(OutlierRemover()),
    ResamplerCase(OutlierRemover(method="zscore", k=2.5, how="all", columns=[0, 1])),
    ResamplerCase(
        OutlierRemover(method="mad", columns=["age", "visits"]), backends=_FRAMES
    ),
    ResamplerCase(OutlierRemover(method="quantile", quantiles=(0.02, 0.98))),
    ResamplerCase(Deduplicator()),
    ResamplerCase(Deduplicator(subset=[2], keep="last")),
    ResamplerCase(Deduplicator(keep=False)),
    ResamplerCase(Balancer(method="random_under"), expected_failures=_BALANCER_NEEDS_Y),
    ResamplerCase(
        Balancer(method="random_over", sampling_strategy="all"),
        expected_failures=_BALANCER_ADDS_ROWS,
    ),
]


@dataclass(frozen=True)
class SplitterCase:
    """How to exercise one configured splitter on :func:`split_data`."""

    estimator: Any
    groups: str | None = None  # the column of split_data passed as groups=
    use_y: bool = True
    backends: tuple[str, ...] = BACKENDS
    covers_all_rows: bool = False
    expected_failures: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return _compact(self.estimator) + (
            f"-groups={self.groups}" if self.groups else ""
        )

    def data(self) -> tuple[pd.DataFrame, Any, Any]:
        X, y = split_data()
        groups = None if self.groups is None else X[self.groups].to_numpy()
        return X, (y if self.use_y else None), groups


SPLITTER_CASES: list[SplitterCase] = [
    SplitterCase(RandomSplitter(ratios=(0.75, 0.25)), covers_all_rows=True),
    SplitterCase(
        RandomSplitter(ratios=(0.6, 0.2, 0.2), n_splits=3, seed=4), use_y=False
    ),
    SplitterCase(
        StratifiedSplitter(ratios=(0.75, 0.25), n_splits=2), covers_all_rows=True
    ),
    SplitterCase(StratifiedSplitter(ratios=(0.5, 0.5)), groups="customer"),
    SplitterCase(OrderedSplitter(ratios=(0.8, 0.2)), covers_all_rows=True),
    SplitterCase(
        OrderedSplitter(ratios=(0.6, 0.2, 0.2), order_by="day"), backends=_FRAMES
    ),
    SplitterCase(KeySplitter(ratios=(0.5, 0.5), key="customer"), backends=_FRAMES),
    SplitterCase(KeySplitter(ratios=(0.6, 0.4), seed=1), groups="customer"),
    SplitterCase(
        KeyKFold(n_splits=3, key="customer"), backends=_FRAMES, covers_all_rows=True
    ),
    SplitterCase(GroupTimeSeriesSplit(n_splits=3, gap=1), groups="day"),
    SplitterCase(GroupTimeSeriesSplit(n_splits=2, purge=True), groups="customer"),
]


# ------------------------------------------------------------ completeness
def _public(base: type) -> set[type]:
    return {
        cls
        for name, cls in registered().items()
        if name.startswith("mlprep.") and issubclass(cls, base)
    }


def test_every_transformer_has_a_case() -> None:
    covered = {type(case.estimator) for case in CASES}
    assert _public(MlprepTransformer) - covered == set(), "add these to CASES"


def test_every_resampler_has_a_case() -> None:
    covered = {type(case.estimator) for case in RESAMPLER_CASES}
    assert _public(MlprepResampler) - covered == set(), "add these to RESAMPLER_CASES"


def test_every_splitter_has_a_case() -> None:
    covered = {type(case.estimator) for case in SPLITTER_CASES}
    assert _public(BaseCrossValidator) - covered == set(), "add these to SPLITTER_CASES"


def test_every_class_is_exported_at_top_level() -> None:
    for case in [*CASES, *RESAMPLER_CASES, *SPLITTER_CASES]:
        name = type(case.estimator).__name__
        assert getattr(mlprep, name) is type(case.estimator)
        assert name in mlprep.__all__


# ------------------------------------------------------------------ checks
def _report(results: list[CheckResult]) -> None:
    """Show a check that did not apply as skipped, an expected failure as xfailed."""
    for result in results:
        if result.status == "skipped":
            pytest.skip(result.reason)
        if result.status == "xfailed":
            pytest.xfail(result.reason)


@pytest.mark.parametrize("check", list(TRANSFORMER_CHECKS))
@pytest.mark.parametrize("case", CASES, ids=str)
def test_transformer(case: Case, check: str) -> None:
    X, y = case.data()
    _report(
        check_transformer(
            case.estimator,
            X,
            y,
            checks=[check],
            expected_failures=case.expected_failures,
            backends=case.backends,
            fit_transform_consistent=case.fit_transform_consistent,
            partial_fit_exact=case.partial_fit_exact,
        )
    )


def _sklearn_id(value: Any) -> str:
    return value.id if isinstance(value, SklearnCheck) else _compact(value)


@pytest.mark.parametrize(
    "estimator, check",
    [
        pair
        for case in CASES
        if case.sklearn_checks
        for pair in sklearn_checks(
            case.estimator, expected_failures=case.sklearn_expected_failures
        )
    ],
    ids=_sklearn_id,
)
def test_sklearn_compatible(estimator: Any, check: SklearnCheck) -> None:
    _report([check(estimator)])


@pytest.mark.parametrize("check", list(RESAMPLER_CHECKS))
@pytest.mark.parametrize("case", RESAMPLER_CASES, ids=str)
def test_resampler(case: ResamplerCase, check: str) -> None:
    X, y = case.data()
    _report(
        check_resampler(
            case.estimator,
            X,
            y,
            checks=[check],
            expected_failures=case.expected_failures,
            backends=case.backends,
        )
    )


@pytest.mark.parametrize("check", list(SPLITTER_CHECKS))
@pytest.mark.parametrize("case", SPLITTER_CASES, ids=str)
def test_splitter(case: SplitterCase, check: str) -> None:
    X, y, groups = case.data()
    _report(
        check_splitter(
            case.estimator,
            X,
            y,
            groups,
            checks=[check],
            expected_failures=case.expected_failures,
            backends=case.backends,
            covers_all_rows=case.covers_all_rows,
        )
    )


def test_resample_data_changes_the_rows() -> None:
    """Every resampler case changes its data's rows: drops some (keeping some) or adds some."""
    for case in RESAMPLER_CASES:
        X, y = case.data()
        X_out, _ = clone(case.estimator).fit_resample(X, y)
        if getattr(case.estimator, "method", None) in ("random_over", "smote"):
            assert len(X_out) > len(X), case  # over-sampling adds rows
            continue
        assert 0 < len(X_out) < len(X), case
        assert not np.array_equal(X_out.index, X.index)
