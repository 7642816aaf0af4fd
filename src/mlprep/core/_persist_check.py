"""Checks around persistence: is an object fitted, and is a loaded state sound.

:func:`check_fitted_state` is the generic check :func:`mlprep.load` runs on
every mlprep estimator it rebuilds (through
``MlprepEstimator._check_loaded_state``, which a class may extend). It
derives what a state must look like from mlprep's conventions instead of a
schema per class:

* ``n_features_in_`` is an int >= 0; ``feature_names_in_`` a 1-D array of
  ``n_features_in_`` distinct strings;
* ``columns_`` is a list of distinct strings, each an input column
  (``feature_names_in_``, or ``x0 … x{n-1}`` for array input);
* a fitted attribute ``n_…_`` is a count: an int >= 0, or a dict of them;
* a dict-valued fitted attribute keyed by column names is keyed by exactly
  ``columns_`` (a dict mapping columns to other columns, such as
  ``duplicate_of_``, is a relation and may cover some of them), its values of
  one kind (all scalars, all lists, all dicts ...) and, for a transformer
  of numeric columns, numbers;
* a numpy array has a plain dtype (bool, int, float, str or object).

An edited file with a wrong type or a missing column so fails at load with a
:class:`~mlprep.exceptions.PersistenceError` naming the attribute, not later
inside ``transform``.
"""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any

import numpy as np

from mlprep.exceptions import PersistenceError

__all__ = [
    "check_composite_state",
    "check_fitted_state",
    "check_sklearn_state",
    "unfitted_parts",
]

_RELAXED = frozenset({"partial_state_"})
"""Fitted attributes with their own validation (mergeable states)."""


def _fail(owner: Any, attribute: str, problem: str) -> PersistenceError:
    return PersistenceError(
        f"{type(owner).__name__}.{attribute} {problem}. The file was edited or "
        "damaged; refit and save the object again."
    )


def _is_count(value: Any) -> bool:
    return (
        isinstance(value, Integral) and not isinstance(value, bool) and int(value) >= 0
    )


def _is_number(value: Any) -> bool:
    return value is None or (isinstance(value, Real) and not isinstance(value, bool))


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "dict"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, np.ndarray):
        return "array"
    return "scalar"


def _input_names(obj: Any) -> list[str] | None:
    names = getattr(obj, "feature_names_in_", None)
    if names is not None:
        return [str(n) for n in names]
    n = getattr(obj, "n_features_in_", None)
    return [f"x{i}" for i in range(n)] if isinstance(n, int) else None


def _check_ingest(obj: Any, state: dict[str, Any]) -> None:
    if "n_features_in_" in state and not _is_count(state["n_features_in_"]):
        raise _fail(
            obj,
            "n_features_in_",
            f"is {state['n_features_in_']!r}, not a number of columns (int >= 0)",
        )
    if "feature_names_in_" in state:
        names = state["feature_names_in_"]
        if not (
            isinstance(names, np.ndarray)
            and names.ndim == 1
            and all(isinstance(n, str) for n in names.tolist())
        ):
            raise _fail(obj, "feature_names_in_", "is not a 1-D array of column names")
        if len(set(names.tolist())) != len(names):
            raise _fail(obj, "feature_names_in_", "repeats a column name")
        n = state.get("n_features_in_")
        if n is not None and len(names) != n:
            raise _fail(
                obj,
                "feature_names_in_",
                f"holds {len(names)} names but n_features_in_ is {n}",
            )


def _check_columns(obj: Any, columns: Any) -> list[str]:
    if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
        raise _fail(obj, "columns_", f"is {columns!r}, not a list of column names")
    if len(set(columns)) != len(columns):
        raise _fail(obj, "columns_", "repeats a column")
    inputs = _input_names(obj)
    if inputs is not None:
        unknown = [c for c in columns if c not in inputs]
        if unknown:
            raise _fail(
                obj,
                "columns_",
                f"names {unknown}, which are not input columns {inputs}",
            )
    return columns


def _is_relation(mapping: dict[str, Any], columns: set[str]) -> bool:
    """A dict mapping columns to other columns (``duplicate_of_``)."""

    def names_columns(value: Any) -> bool:
        if isinstance(value, str):
            return value in columns
        if isinstance(value, (list, tuple)):
            return bool(value) and all(
                isinstance(v, str) and v in columns for v in value
            )
        return False

    return all(names_columns(v) for v in mapping.values())


def _check_counts(obj: Any, name: str, value: Any) -> None:
    if isinstance(value, dict):
        bad = {k: v for k, v in value.items() if not _is_count(v)}
        if bad:
            key, item = next(iter(bad.items()))
            raise _fail(obj, f"{name}[{key!r}]", f"is {item!r}, not a count (int >= 0)")
    elif value is not None and not isinstance(value, (np.ndarray, list)):
        if not _is_count(value):
            raise _fail(obj, name, f"is {value!r}, not a count (int >= 0)")


def _check_by_column(
    obj: Any, name: str, mapping: dict[str, Any], columns: list[str], numeric: bool
) -> None:
    keys = set(mapping)
    wanted = set(columns)
    shared = keys & wanted
    if not shared or len(keys - wanted) > len(shared) or _is_relation(mapping, wanted):
        return  # not keyed by column (history_, class counts, a relation)
    missing = [c for c in columns if c not in keys]
    if missing:
        raise _fail(obj, name, f"has no entry for the column(s) {missing}")
    extra = sorted(keys - wanted)
    if extra:
        raise _fail(obj, name, f"has entries for {extra}, which are not fitted columns")
    kinds = {_kind(v) for v in mapping.values() if v is not None}
    if len(kinds) > 1:
        raise _fail(obj, name, f"mixes value kinds {sorted(kinds)} across columns")
    if numeric:
        for column, value in mapping.items():
            items = value if isinstance(value, (list, tuple)) else [value]
            if isinstance(value, (dict, np.ndarray)):
                continue
            for item in items:
                if not (_is_number(item) or isinstance(item, (list, tuple))):
                    raise _fail(
                        obj,
                        f"{name}[{column!r}]",
                        f"holds {item!r}, not a number (the columns are numeric)",
                    )


def _numeric_columns(obj: Any) -> bool:
    kinds = getattr(obj, "_column_kinds", None)
    if kinds is None:
        return False
    try:
        return tuple(kinds()) in {("numeric", None), ("numeric", "numeric")}
    except Exception:  # a configuration the class itself will refuse at fit
        return False


def check_fitted_state(obj: Any) -> None:
    """Check the fitted attributes of a loaded mlprep estimator (see the module doc)."""
    state = {
        k: v
        for k, v in vars(obj).items()
        if k.endswith("_") and not k.startswith("_") and k not in _RELAXED
    }
    _check_ingest(obj, state)
    for name, value in state.items():
        if isinstance(value, np.ndarray) and value.dtype.kind not in "biufUOMm":
            raise _fail(obj, name, f"has dtype {value.dtype}")
        if name.startswith("n_") and name != "n_features_in_":
            _check_counts(obj, name, value)
    if "columns_" not in state:
        return
    columns = _check_columns(obj, state["columns_"])
    if not columns:
        return
    numeric = _numeric_columns(obj)
    for name, value in state.items():
        if (
            name != "columns_"
            and isinstance(value, dict)
            and all(isinstance(k, str) for k in value)
        ):
            _check_by_column(obj, name, value, columns, numeric)


# ---------------------------------------------------------------- scikit-learn
def _length_ok(value: np.ndarray, n: int | None, *, last: bool) -> bool:
    if n is None:
        return True
    return value.shape[-1] == n if last else value.shape == (n,)


def check_sklearn_state(obj: Any, spec: dict[str, str]) -> None:
    """Check a loaded allow-listed scikit-learn estimator against its attribute spec.

    Spec kinds: ``feature`` (float array, one value per input column, or
    None), ``coef`` (float array, last axis the input columns), ``intercept``
    (a float or float array), ``classes`` (1-D array), ``count`` (int >= 0
    or an int array), ``counts`` (int, int array or None), ``float``,
    ``floats`` (a float or float array), ``text``.
    """
    state = vars(obj)
    _check_ingest(obj, state)
    n = state.get("n_features_in_")
    for name, kind in spec.items():
        if name not in state:
            continue
        value = state[name]
        ok = True
        if kind == "feature":
            ok = value is None or (
                isinstance(value, np.ndarray)
                and value.dtype.kind == "f"
                and _length_ok(value, n, last=False)
            )
        elif kind == "coef":
            ok = (
                isinstance(value, np.ndarray)
                and value.dtype.kind == "f"
                and value.ndim in (1, 2)
                and _length_ok(value, n, last=True)
            )
        elif kind in ("intercept", "floats"):
            ok = (isinstance(value, Real) and not isinstance(value, bool)) or (
                isinstance(value, np.ndarray) and value.dtype.kind == "f"
            )
        elif kind == "classes":
            ok = isinstance(value, np.ndarray) and value.ndim == 1
        elif kind == "count":
            ok = _is_count(value)
        elif kind == "counts":  # scikit-learn >= 1.8 counts weighted samples in floats
            ok = value is None or (
                _is_number(value) and float(value) >= 0
                if not isinstance(value, np.ndarray)
                else value.dtype.kind in "iuf"
            )
        elif kind == "float":
            ok = isinstance(value, Real) and not isinstance(value, bool)
        elif kind == "text":
            ok = isinstance(value, str)
        if not ok:
            raise _fail(obj, name, f"is {_describe(value)}, not a valid {kind} value")
    output = state.get("_sklearn_output_config")
    if output is not None and not (
        isinstance(output, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in output.items())
    ):
        raise _fail(obj, "_sklearn_output_config", "is not a set_output configuration")


def check_composite_state(obj: Any) -> None:
    """Check what a loaded Pipeline / ColumnTransformer / FeatureUnion holds itself."""
    state = vars(obj)
    _check_ingest(obj, state)
    fitted = state.get("transformers_")
    if fitted is not None and not (
        isinstance(fitted, list)
        and all(isinstance(t, tuple) and len(t) == 3 for t in fitted)
    ):
        raise _fail(
            obj, "transformers_", "is not a list of (name, transformer, columns)"
        )
    indices = state.get("output_indices_")
    if indices is not None and not (
        isinstance(indices, dict)
        and all(isinstance(v, slice) for v in indices.values())
    ):
        raise _fail(obj, "output_indices_", "is not a dict of slices")


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"an array of dtype {value.dtype} and shape {value.shape}"
    return repr(value)[:80]


# ------------------------------------------------------------------- fitted?
def unfitted_parts(obj: Any, where: str) -> list[str]:
    """Paths of the estimators inside ``obj`` that are not fitted (empty: all fitted)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer

    from mlprep.core._estimator import MlprepEstimator

    if isinstance(obj, MlprepEstimator):
        return [] if obj._is_fitted() else [where]
    if isinstance(obj, Pipeline):
        return _parts(obj.steps, f"{where}/steps")
    if isinstance(obj, FeatureUnion):
        return _parts(obj.transformer_list, f"{where}/transformer_list")
    if isinstance(obj, ColumnTransformer):
        if not hasattr(obj, "transformers_"):
            return [where]
        return _parts(
            [(name, step) for name, step, _ in obj.transformers_],
            f"{where}/transformers_",
        )
    if isinstance(obj, FunctionTransformer) or not hasattr(obj, "fit"):
        return []  # stateless, or a splitter (a configuration)
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted

    try:
        check_is_fitted(obj)
    except NotFittedError:
        return [where]
    return []


def _parts(named: list[tuple[str, Any]], where: str) -> list[str]:
    out: list[str] = []
    for name, step in named:
        if step is None or isinstance(step, str):
            continue  # "drop" / "passthrough"
        out.extend(unfitted_parts(step, f"{where}/{name}"))
    return out
