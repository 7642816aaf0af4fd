"""The registry of classes :func:`mlprep.load` may build.

Every :class:`~mlprep.core.MlprepTransformer` subclass and every mlprep splitter
registers itself under its public name, ``mlprep.<family>.<Class>``. A few
scikit-learn composites are registered by hand, and an explicit allow-list of
scikit-learn estimators whose fitted state is plain arrays
(:data:`SKLEARN_ESTIMATORS`, with the attributes stored for each).
:func:`mlprep.load` instantiates nothing that is not in this table, so loading
a file can never import or run code of the file's choosing.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "FAMILIES",
    "SKLEARN_ESTIMATORS",
    "lookup",
    "public_name",
    "register",
    "registered",
    "sklearn_allowed",
    "sklearn_spec",
]

_CLASSES: dict[str, type] = {}
_SKLEARN_CLASSES: dict[str, type] = {}

FAMILIES = (
    "balance",
    "encode",
    "impute",
    "outliers",
    "quality",
    "scale",
    "select",
    "split",
    "text",
    "timeseries",
)
"""The packages whose classes register themselves when they are imported."""


def public_name(cls: type) -> str:
    """``mlprep.<family>.<Class>`` for mlprep classes, the import path otherwise."""
    module = cls.__module__
    if module.startswith("mlprep."):
        parts = module.split(".")
        return f"mlprep.{parts[1]}.{cls.__qualname__}"
    return f"{module.split('._')[0]}.{cls.__qualname__}"


def register(cls: type, name: str | None = None) -> type:
    """Add ``cls`` to the registry.

    Skipped: private classes (name starting with ``_``) and base classes that
    declare ``_abstract = True`` in their own body.
    """
    if cls.__name__.startswith("_") or cls.__dict__.get("_abstract", False):
        return cls
    _CLASSES[name or public_name(cls)] = cls
    return cls


def lookup(name: str) -> type | None:
    """The class registered under ``name``, or None.

    ``import mlprep`` imports no family, so a name of a family not imported
    yet (``mlprep.scale.StandardScaler``) imports that family, and only it.
    An allow-listed scikit-learn estimator (:data:`SKLEARN_ESTIMATORS`) is
    found too, imported when first asked for.
    """
    if name not in _CLASSES:
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "mlprep" and parts[1] in FAMILIES:
            importlib.import_module(f"mlprep.{parts[1]}")
        elif name in SKLEARN_ESTIMATORS:
            return _sklearn_class(name)
    return _CLASSES.get(name)


def _sklearn_class(name: str) -> type:
    """An allow-listed scikit-learn class, imported when first needed.

    Kept out of the registry proper: :func:`registered` (what pipeline specs
    may name) lists mlprep's classes and the composites only.
    """
    if name not in _SKLEARN_CLASSES:
        module, _, attribute = name.rpartition(".")
        _SKLEARN_CLASSES[name] = getattr(importlib.import_module(module), attribute)
    return _SKLEARN_CLASSES[name]


def registered() -> dict[str, type]:
    """A copy of the registry, every family imported: public name to class."""
    for family in FAMILIES:
        importlib.import_module(f"mlprep.{family}")
    return dict(_CLASSES)


_SCALER = {"n_samples_seen_": "counts"}
_LINEAR = {"coef_": "coef", "intercept_": "intercept"}

SKLEARN_ESTIMATORS: dict[str, dict[str, str]] = {
    "sklearn.preprocessing.StandardScaler": {
        **_SCALER,
        "mean_": "feature",
        "var_": "feature",
        "scale_": "feature",
    },
    "sklearn.preprocessing.MinMaxScaler": {
        **_SCALER,
        "min_": "feature",
        "scale_": "feature",
        "data_min_": "feature",
        "data_max_": "feature",
        "data_range_": "feature",
    },
    "sklearn.preprocessing.MaxAbsScaler": {
        **_SCALER,
        "max_abs_": "feature",
        "scale_": "feature",
    },
    "sklearn.preprocessing.RobustScaler": {"center_": "feature", "scale_": "feature"},
    "sklearn.linear_model.LogisticRegression": {
        **_LINEAR,
        "classes_": "classes",
        "n_iter_": "counts",
    },
    "sklearn.linear_model.LinearRegression": {
        **_LINEAR,
        "rank_": "count",
        "singular_": "floats",
    },
    "sklearn.linear_model.Ridge": {**_LINEAR, "n_iter_": "counts", "solver_": "text"},
    "sklearn.linear_model.Lasso": {
        **_LINEAR,
        "n_iter_": "counts",
        "dual_gap_": "floats",
    },
    "sklearn.linear_model.ElasticNet": {
        **_LINEAR,
        "n_iter_": "counts",
        "dual_gap_": "floats",
    },
}
"""scikit-learn estimators :func:`mlprep.save` stores, and their fitted attributes.

Each maps a fitted attribute to the kind its value must have at load (see
:func:`mlprep.core._persist_check.check_sklearn_state`). Besides these,
``n_features_in_``, ``feature_names_in_`` and the ``set_output``
configuration are stored. Any other scikit-learn (or third-party) estimator
is refused with a pointer to skops.
"""

_COMMON_FITTED = ("n_features_in_", "feature_names_in_", "_sklearn_output_config")


def sklearn_allowed() -> list[str]:
    """The public names of the scikit-learn estimators :func:`mlprep.save` accepts.

    Examples
    --------
    >>> "sklearn.linear_model.LogisticRegression" in sklearn_allowed()
    True
    """
    return sorted(SKLEARN_ESTIMATORS)


def sklearn_spec(cls: type) -> dict[str, str] | None:
    """The attribute spec of an allow-listed scikit-learn class, or None."""
    name = public_name(cls)
    if lookup(name) is not cls:
        return None
    return SKLEARN_ESTIMATORS.get(name)


def sklearn_fitted_names(cls: type) -> tuple[str, ...]:
    """Every attribute stored for an allow-listed scikit-learn class."""
    return (*_COMMON_FITTED, *(sklearn_spec(cls) or {}))


def _register_sklearn_composites() -> None:
    from sklearn.compose import ColumnTransformer
    from sklearn.pipeline import FeatureUnion, Pipeline
    from sklearn.preprocessing import FunctionTransformer

    for cls in (Pipeline, FeatureUnion, ColumnTransformer, FunctionTransformer):
        register(cls)


def is_registered_instance(obj: Any) -> bool:
    """Whether ``obj``'s exact class is the one registered under its name."""
    return lookup(public_name(type(obj))) is type(obj)


_register_sklearn_composites()
