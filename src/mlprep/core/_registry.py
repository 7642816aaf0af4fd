"""The registry of classes :func:`mlprep.load` may build.

Every :class:`~mlprep.core.MlprepTransformer` subclass and every mlprep splitter
registers itself under its public name, ``mlprep.<family>.<Class>``. A few
scikit-learn composites are registered by hand. :func:`mlprep.load` instantiates
nothing that is not in this table, so loading a file can never import or run
code of the file's choosing.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["FAMILIES", "lookup", "public_name", "register", "registered"]

_CLASSES: dict[str, type] = {}

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
    """
    if name not in _CLASSES:
        parts = name.split(".")
        if len(parts) == 3 and parts[0] == "mlprep" and parts[1] in FAMILIES:
            importlib.import_module(f"mlprep.{parts[1]}")
    return _CLASSES.get(name)


def registered() -> dict[str, type]:
    """A copy of the registry, every family imported: public name to class."""
    for family in FAMILIES:
        importlib.import_module(f"mlprep.{family}")
    return dict(_CLASSES)


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
