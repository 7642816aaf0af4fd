"""Parameter constraints and their scikit-learn-style messages."""

from numbers import Integral, Real

import numpy as np
import pytest

from mlprep.core import (
    Boolean,
    ColumnSpec,
    InstanceOf,
    Interval,
    NoneOK,
    Options,
    validate_params,
)
from mlprep.exceptions import InvalidParameterError


@pytest.mark.parametrize(
    ("constraint", "good", "bad"),
    [
        (
            Interval(Real, 0, None, closed="neither"),
            [0.5, 3, np.float32(2)],
            [0, -1, True, "1", float("nan")],
        ),
        (Interval(Integral, 1, None, closed="left"), [1, np.int64(7)], [0, 1.5, True]),
        (Interval(Real, 0, 1, closed="both"), [0, 1, 0.25], [-0.1, 1.01]),
        (Options("a", "b"), ["a", "b"], ["c", 1, None]),
        (Boolean, [True, False, np.bool_(True)], [1, 0, "yes", None]),
        (NoneOK, [None], [0, ""]),
        (InstanceOf(str, "a str"), ["x"], [1, None]),
        (
            ColumnSpec,
            [None, "a", 3, ["a", "b"], ("a", 0)],
            [[], [1.5], [True], 2.0, {"a"}],
        ),
    ],
)
def test_constraints_accept_and_reject(constraint, good, bad):
    for value in good:
        assert constraint.is_satisfied_by(value), value
    for value in bad:
        assert not constraint.is_satisfied_by(value), value


@pytest.mark.parametrize(
    ("constraint", "words"),
    [
        (Interval(Real, 0, None, closed="neither"), "a float > 0"),
        (Interval(Integral, 1, None, closed="left"), "an int >= 1"),
        (Interval(Real, None, 5, closed="right"), "a float <= 5"),
        (Interval(Real, 0, 1, closed="left"), "a float in the range [0, 1)"),
        (Options("mean", "median"), "one of 'mean', 'median'"),
    ],
)
def test_constraint_descriptions(constraint, words):
    assert str(constraint) == words


def test_message_follows_scikit_learn_form():
    constraints = {"k": [Interval(Real, 0, None, closed="neither"), NoneOK]}
    with pytest.raises(
        InvalidParameterError,
        match=r"^The 'k' parameter of OutlierHandler must be a float > 0 or None\. Got -1 instead\.$",
    ):
        validate_params("OutlierHandler", {"k": -1}, constraints)


def test_invalid_parameter_error_is_value_and_type_error():
    with pytest.raises(ValueError):
        validate_params("X", {"p": "z"}, {"p": [Options("a")]})
    with pytest.raises(TypeError):
        validate_params("X", {"p": "z"}, {"p": [Options("a")]})


def test_valid_parameters_pass_silently():
    validate_params(
        "X",
        {"p": "a", "q": 2},
        {"p": [Options("a")], "q": [Interval(Integral, 0, None)]},
    )
