"""The registry of classes :func:`mlprep.load` may build.

Every :class:`~mlprep.core.MlprepTransformer` subclass and every mlprep splitter
registers itself under its public name, ``mlprep.<family>.<Class>``. A few
scikit-learn composites are registered by hand. :func:`mlprep.load` instantiates
nothing that is not in this table, so loading a file can never import or run
code of the file's choosing.
"""

from __future__ import annotations

from typing import Any

__all__ = ["lookup", "public_name", "register", "registered"]

_CLASSES: dict[str, type] = {}


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
    """The class registered under ``name``, or None."""
    return _CLASSES.get(name)


def registered() -> dict[str, type]:
    """A copy of the registry: public name to class."""
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
