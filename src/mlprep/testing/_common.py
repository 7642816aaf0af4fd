"""Pieces the transformer, resampler and splitter checks share."""

from __future__ import annotations

import inspect
import pickle
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import clone

from mlprep.core.persistence import load, save
from mlprep.exceptions import InvalidParameterError
from mlprep.testing._equality import first_difference

__all__ = [
    "assert_params_equal",
    "check_constraint_table",
    "pickle_round_trip",
    "save_load_round_trip",
    "take",
]


class _Invalid:
    """A parameter value no constraint accepts."""

    def __repr__(self) -> str:
        return "<invalid value>"


def take(y: Any, rows: np.ndarray) -> Any:
    """The rows ``rows`` (positions) of a target or frame, in its own container."""
    if y is None:
        return None
    if isinstance(y, (pd.DataFrame, pd.Series)):
        return y.iloc[rows]
    if isinstance(y, np.ndarray):
        return y[rows]
    if isinstance(y, list):
        return [y[i] for i in rows]
    return np.asarray(y)[rows]


def pickle_round_trip(estimator: Any) -> Any:
    """``estimator`` through ``pickle.dumps`` / ``pickle.loads``."""
    return pickle.loads(pickle.dumps(estimator))


def save_load_round_trip(estimator: Any) -> Any:
    """``mlprep.load(mlprep.save(estimator))`` through a temporary JSON file."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "estimator.json"
        save(estimator, path)
        loaded = load(path)
    if type(loaded) is not type(estimator):
        raise AssertionError(
            f"load(save(...)) gave a {type(loaded).__name__}, not a "
            f"{type(estimator).__name__}"
        )
    assert_params_equal(loaded, estimator, "load(save(...))")
    return loaded


def assert_params_equal(copy: Any, original: Any, what: str) -> None:
    """Assert ``copy`` has the parameters of ``original`` (deep equality)."""
    found = first_difference(
        copy.get_params(deep=False), original.get_params(deep=False), "params"
    )
    if found:
        raise AssertionError(f"{what} changed the parameters: {found}")


def check_constraint_table(estimator: Any, use: Callable[[Any], Any]) -> None:
    """Every ``__init__`` parameter has a constraint, and a bad value is refused.

    ``use(copy)`` runs the step that validates the parameters (``fit``,
    ``fit_resample``, ``split``); with any parameter set to a value no
    constraint accepts it must raise :class:`~mlprep.exceptions.InvalidParameterError`
    with scikit-learn's message form.
    """
    cls = type(estimator)
    owner = cls.__name__
    signature = inspect.signature(cls.__init__)
    init = {
        p.name
        for p in signature.parameters.values()
        if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    }
    params = set(estimator.get_params(deep=False))
    if params != init:
        raise AssertionError(
            f"get_params() gives {sorted(params)} but __init__ takes {sorted(init)}"
        )
    table = getattr(cls, "_parameter_constraints", None)
    if not isinstance(table, dict):
        raise AssertionError(f"{owner} has no _parameter_constraints table")
    if set(table) != init:
        missing, extra = sorted(init - set(table)), sorted(set(table) - init)
        raise AssertionError(
            f"_parameter_constraints does not match __init__: missing {missing}, "
            f"unknown {extra}"
        )
    for name in sorted(init):
        copy = _clone_with(estimator, name)
        pattern = (
            rf"The '{re.escape(name)}' parameter of {owner} must be .* Got .* instead\."
        )
        try:
            use(copy)
        except InvalidParameterError as error:
            if not re.search(pattern, str(error), flags=re.DOTALL):
                raise AssertionError(
                    f"an invalid {name!r} raised InvalidParameterError without "
                    f"scikit-learn's message form ({pattern!r}): {error}"
                ) from error
        except Exception as error:
            raise AssertionError(
                f"an invalid {name!r} raised {type(error).__name__} instead of "
                f"InvalidParameterError: {error}"
            ) from error
        else:
            raise AssertionError(f"an invalid {name!r} was accepted")


def _clone_with(estimator: Any, name: str) -> Any:
    return clone(estimator).set_params(**{name: _Invalid()})
