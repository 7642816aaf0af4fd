"""check_transformer catches each broken contract, and its expected failures are strict."""

from __future__ import annotations

from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import KFold

from mlprep.core import ColumnSpec
from mlprep.encode import OneHotEncoder, TargetEncoder
from mlprep.scale import MinMaxScaler, StandardScaler
from mlprep.testing import (
    TRANSFORMER_CHECKS,
    CheckResult,
    ConformanceError,
    check_transformer,
)
from mlprep.testing.data import (
    categorical_binary_target,
    categorical_mixed_data,
    numeric_data,
    text_data,
)
from mlprep.text import CountVectorizer


def _data() -> tuple[pd.DataFrame, None]:
    return numeric_data()


def _fails(estimator: Any, check: str, match: str = "", **options: Any) -> str:
    """Run one check; assert it fails, naming estimator and check; return the message."""
    X, y = options.pop("data", _data)()
    with pytest.raises(ConformanceError) as raised:
        check_transformer(estimator, X, y, checks=[check], **options)
    message = str(raised.value)
    assert type(estimator).__name__ in message
    assert check in message
    assert list(raised.value.failures) == [check]
    if match:
        assert match in message, message
    return message


def _passes(estimator: Any, check: str, **options: Any) -> CheckResult:
    X, y = options.pop("data", _data)()
    (result,) = check_transformer(estimator, X, y, checks=[check], **options)
    return result


# --------------------------------------------------------- broken on purpose
class MutatingScaler(StandardScaler):
    """Writes into the caller's data."""

    def _prepare_input(self, X: Any) -> Any:
        if isinstance(X, pd.DataFrame):
            X.iloc[0, 0] = -1.0
        elif isinstance(X, np.ndarray):
            X[0, 0] = -1.0
        return X


class CountingScaler(StandardScaler):
    """Counts its transform calls on self."""

    def _transform(self, frame: nw.DataFrame) -> Any:
        self.calls_ = getattr(self, "calls_", 0) + 1
        return super()._transform(frame)


class DriftingScaler(StandardScaler):
    """Changes a fitted value in place during transform (same keys, new values)."""

    def _transform(self, frame: nw.DataFrame) -> Any:
        out = super()._transform(frame)
        first = next(iter(self.scale_))
        self.scale_[first] = self.scale_[first] * 2.0
        return out


class PrefixScaler(StandardScaler):
    """Names its outputs ``scaled_{input}``: consistent, but against the naming rule."""

    def _transform(self, frame: nw.DataFrame) -> Any:
        out = super()._transform(frame)
        return out.rename({c: f"scaled_{c}" for c in out.columns})

    def _feature_names_out(self, input_names: list[str]) -> list[str]:
        return [f"scaled_{n}" for n in input_names]


class MislabelledScaler(StandardScaler):
    """``get_feature_names_out`` disagrees with the output columns."""

    def _feature_names_out(self, input_names: list[str]) -> list[str]:
        return [f"{n}_z" for n in input_names]


class UnconstrainedScaler(StandardScaler):
    """A parameter without a constraint."""

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **StandardScaler._parameter_constraints
    }

    def __init__(self, *, columns: Any = None, extra: int = 0) -> None:
        super().__init__(columns=columns)
        self.extra = extra


class ShiftedFitTransform(StandardScaler):
    """fit_transform adds one: differs from fit().transform()."""

    def _fit_transform(self, frame: nw.DataFrame, y: Any, **fit_params: Any) -> Any:
        out = super()._fit_transform(frame, y, **fit_params)
        return out.with_columns(nw.col(c) + 1.0 for c in self.columns_)


class ForgetfulMinMax(MinMaxScaler):
    """partial_fit ignores every batch after the first."""

    def _update_state(self, state: Any, frame: nw.DataFrame, y: Any) -> Any:
        if any(part.count for part in state.values()):
            return state
        return super()._update_state(state, frame, y)


class NumpyOnly(StandardScaler):
    """Always answers a numpy array."""

    def _emit(self, result: Any, kind: str) -> Any:
        return super()._emit(result, "numpy")


class DenseOneHot(OneHotEncoder):
    """A sparse encoder that densifies whatever set_output asks."""

    def _emit(self, result: Any, kind: str) -> Any:
        emitted = super()._emit(result, kind)
        return emitted.toarray() if hasattr(emitted, "toarray") else emitted


class LambdaState(StandardScaler):
    """Keeps a function in its fitted state: neither pickle nor JSON can hold it."""

    def _fit(self, frame: nw.DataFrame, y: Any, **fit_params: Any) -> None:
        super()._fit(frame, y, **fit_params)
        self.hook_ = lambda value: value


class ListingScaler(StandardScaler):
    """Turns ``columns`` into a list in __init__, which clone refuses."""

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {"columns": [ColumnSpec]}

    def __init__(self, *, columns: Any = None) -> None:
        self.columns = list(columns) if columns is not None else None


# ------------------------------------------------------------------ the tests
def test_a_conforming_transformer_passes_every_check() -> None:
    X, y = _data()
    results = check_transformer(StandardScaler(), X, y)
    assert [r.check for r in results] == list(TRANSFORMER_CHECKS)
    assert {r.status for r in results} == {"passed"}


def test_mutating_the_input_is_caught() -> None:
    _fails(MutatingScaler(), "check_no_mutation", "pandas input was modified")


def test_writing_to_self_in_transform_is_caught() -> None:
    _fails(CountingScaler(), "check_transform_keeps_state", "keys differ")


def test_changing_a_fitted_value_in_transform_is_caught() -> None:
    _fails(DriftingScaler(), "check_transform_keeps_state", "['scale_']")


def test_names_against_the_rule_are_caught() -> None:
    _fails(PrefixScaler(), "check_naming_rule", "scaled_income")
    assert _passes(PrefixScaler(), "check_feature_names_out").status == "passed"


def test_names_that_differ_from_the_output_are_caught() -> None:
    _fails(MislabelledScaler(), "check_feature_names_out", "income_z")
    _fails(MislabelledScaler(), "check_containers", "get_feature_names_out")


def test_a_parameter_without_constraint_is_caught() -> None:
    _fails(UnconstrainedScaler(), "check_parameter_constraints", "missing ['extra']")


def test_fit_transform_must_equal_fit_then_transform_unless_declared() -> None:
    _fails(ShiftedFitTransform(), "check_fit_transform", "fit_transform vs fit")
    result = _passes(
        ShiftedFitTransform(), "check_fit_transform", fit_transform_consistent=False
    )
    assert result.status == "passed"


def test_partial_fit_must_merge_exactly_unless_declared() -> None:
    _fails(ForgetfulMinMax(), "check_partial_fit", "partial_fit over two halves")
    assert (
        _passes(ForgetfulMinMax(), "check_partial_fit", partial_fit_exact=False).status
        == "passed"
    )


def test_partial_fit_is_skipped_without_partial_fit() -> None:
    # a splitter as cv leaves no hashed folds to merge: no partial_fit
    encoder = TargetEncoder(cv=KFold(3, shuffle=True, random_state=0))
    assert not hasattr(encoder, "partial_fit")
    result = _passes(encoder, "check_partial_fit", data=categorical_binary_target)
    assert result == CheckResult("check_partial_fit", "skipped", "no partial_fit")


def test_the_wrong_container_is_caught() -> None:
    _fails(NumpyOnly(), "check_containers", "pandas input gave a numpy output")


def test_sparse_output_contract_holds_for_the_real_encoder() -> None:
    for check in ("check_containers", "check_set_output", "check_naming_rule"):
        result = _passes(
            OneHotEncoder(sparse_output=True),
            check,
            data=categorical_mixed_data,
            backends=("pandas", "polars", "pyarrow"),
        )
        assert result.status == "passed"


def test_a_densified_sparse_output_is_caught() -> None:
    _fails(
        DenseOneHot(sparse_output=True),
        "check_containers",
        "the result is dense, but it must be sparse",
        data=categorical_mixed_data,
        backends=("pandas",),
    )
    _fails(
        DenseOneHot(sparse_output=True),
        "check_set_output",
        "sparse",
        data=categorical_mixed_data,
        backends=("pandas",),
    )


def test_unpicklable_or_unsavable_state_is_caught() -> None:
    _fails(LambdaState(), "check_pickle")
    _fails(LambdaState(), "check_save_load", "PersistenceError")


def test_an_uncloneable_transformer_is_caught() -> None:
    _fails(ListingScaler(columns=("income",)), "check_clone", "clone")


def test_bare_terms_of_a_single_text_column_are_the_documented_exception() -> None:
    def review_only() -> tuple[pd.DataFrame, None]:
        return text_data()[0][["review"]], None

    result = _passes(
        CountVectorizer(columns=["review"]), "check_naming_rule", data=review_only
    )
    assert result.status == "skipped"
    assert "bare terms" in result.reason
    several = _passes(CountVectorizer(), "check_naming_rule", data=text_data)
    assert several.status == "passed"


# ------------------------------------------------------- strict expected failures
def test_an_expected_failure_runs_and_is_reported_as_xfailed() -> None:
    X, y = _data()
    (result,) = check_transformer(
        CountingScaler(),
        X,
        y,
        checks=["check_transform_keeps_state"],
        expected_failures={"check_transform_keeps_state": "counts its calls"},
    )
    assert result == CheckResult(
        "check_transform_keeps_state", "xfailed", "counts its calls"
    )


def test_an_expected_failure_that_passes_is_an_error() -> None:
    message = _fails(
        StandardScaler(),
        "check_clone",
        "expected failure passed; remove it",
        expected_failures={"check_clone": "was broken once"},
    )
    assert "was broken once" in message


def test_an_expected_failure_that_does_not_apply_is_an_error() -> None:
    _fails(
        TargetEncoder(cv=KFold(3, shuffle=True, random_state=0)),  # no partial_fit
        "check_partial_fit",
        "does not apply",
        data=categorical_binary_target,
        expected_failures={"check_partial_fit": "approximate"},
    )


def test_unknown_check_names_are_refused() -> None:
    X, y = _data()
    with pytest.raises(ValueError, match="Unknown check name"):
        check_transformer(StandardScaler(), X, y, checks=["check_everything"])
    with pytest.raises(ValueError, match="check_typo"):
        check_transformer(
            StandardScaler(), X, y, expected_failures={"check_typo": "reason"}
        )


def test_every_failure_is_listed_and_the_first_is_chained() -> None:
    X, y = _data()
    with pytest.raises(ConformanceError) as raised:
        check_transformer(
            MislabelledScaler(),
            X,
            y,
            checks=["check_clone", "check_feature_names_out", "check_containers"],
        )
    error = raised.value
    assert isinstance(error, AssertionError)
    assert set(error.failures) == {"check_feature_names_out", "check_containers"}
    assert "fails 2 conformance checks" in str(error)
    assert isinstance(error.__cause__, AssertionError)
    assert error.estimator.__class__ is MislabelledScaler


def test_the_estimator_given_is_never_fitted_or_changed() -> None:
    X, y = _data()
    scaler = StandardScaler()
    check_transformer(scaler, X, y, checks=["check_containers", "check_clone"])
    assert not hasattr(scaler, "n_features_in_")


def test_numpy_data_is_accepted() -> None:
    X, _ = numeric_data()
    results = check_transformer(
        StandardScaler(), X.to_numpy(), checks=["check_containers", "check_naming_rule"]
    )
    assert {r.status for r in results} == {"passed"}
