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
from mlprep.exceptions import InvalidParameterError
from mlprep.impute import Imputer
from mlprep.outliers import OutlierHandler
from mlprep.scale import StandardScaler
from mlprep.testing.strategies import BACKENDS, as_backend


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


CASES: list[Case] = [
    Case(Imputer()),
    Case(Imputer(strategy="median", add_indicator=True)),
    Case(Imputer(strategy="most_frequent"), mixed_data),
    Case(Imputer(strategy="constant", fill_value=0), numeric_data),
    Case(StandardScaler()),
    Case(StandardScaler(with_mean=False)),
    Case(OutlierHandler()),
    Case(OutlierHandler(method="zscore", k=2.0, action="nan")),
    Case(OutlierHandler(method="mad", action="median")),
    Case(OutlierHandler(method="quantile", quantiles=(0.05, 0.95), action="mean")),
    Case(
        OutlierHandler(action="flag"), mixed_data, backends=("pandas", "polars", "pyarrow")
    ),
]


def _ids(cases: list[Case]) -> list[str]:
    return [str(case) for case in cases]


# ----------------------------------------------------------------- helpers
def _as_pandas(output: Any) -> pd.DataFrame:
    if isinstance(output, pd.DataFrame):
        frame = output.reset_index(drop=True)
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
_EXPECTED_FAILURES = {id(case.estimator): case.expected_failed_checks for case in _SKLEARN_CASES}


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
        assert list(output.columns if backend != "pyarrow" else output.column_names) == list(
            estimator.get_feature_names_out()
        )
    reference = clone(case.estimator).fit(X, y).transform(X)
    _assert_same_values(output, reference)


@pytest.mark.parametrize("case", [c for c in CASES if c.frame_output], ids=_ids([c for c in CASES if c.frame_output]))
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
