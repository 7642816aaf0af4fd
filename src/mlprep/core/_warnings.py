"""Warnings that point at the caller's line and are shown once there."""

from __future__ import annotations

import sys
import warnings
from typing import Any

__all__ = ["warn_data"]

_INTERNAL = frozenset(
    {
        "mlprep",
        "sklearn",
        "imblearn",
        "joblib",
        "narwhals",
        "numpy",
        "pandas",
        "polars",
        "pyarrow",
        "scipy",
        "threadpoolctl",
    }
)
"""Packages whose frames a warning skips on its way to the user's line."""

_SHOWN: set[tuple[Any, ...]] = set()


def _action(message: str, category: type[Warning], module: str, lineno: int) -> str:
    """The action the warning filters give this warning (as ``warnings`` decides it)."""
    for action, text, kind, name, line in warnings.filters:
        if (
            (text is None or text.match(message))
            and issubclass(category, kind)
            and (name is None or name.match(module))
            and (line == 0 or line == lineno)
        ):
            return str(action)
    return str(getattr(warnings, "defaultaction", "default"))


def warn_data(message: str, category: type[Warning] | None = None) -> None:
    """Warn at the first line outside mlprep and the libraries it calls, once per line.

    A warning raised while scikit-learn fits a pipeline would otherwise point
    at scikit-learn's ``base.py``, and cross-validation, which resets the
    warning filters in every fold, would show it once per fold. Here it
    points at the user's own call (the ``fit``, or the ``GridSearchCV.fit``)
    and, under the default filter action, is shown once per message and
    line for the process, as Python's ``"default"`` action means. Any other
    action (``"always"``, ``"error"``, ``"ignore"``, as ``pytest.warns`` or
    ``-W error`` set) is honoured as usual.

    Parameters
    ----------
    message : str
    category : Warning subclass, default DataWarning
    """
    if category is None:
        from mlprep.exceptions import DataWarning

        category = DataWarning
    frame = sys._getframe(1)
    while frame.f_back is not None and _package(frame.f_globals) in _INTERNAL:
        frame = frame.f_back
    module = str(frame.f_globals.get("__name__", "__main__"))
    filename, lineno = frame.f_code.co_filename, frame.f_lineno
    if _action(message, category, module, lineno) == "default":
        key = (category, message, filename, lineno)
        if key in _SHOWN:
            return
        _SHOWN.add(key)
    warnings.warn_explicit(
        message,
        category,
        filename,
        lineno,
        module=module,
        registry=frame.f_globals.setdefault("__warningregistry__", {}),
    )


def _package(namespace: dict[str, Any]) -> str:
    """The top-level package of a frame's module (``python -m mlprep`` runs as ``__main__``)."""
    name = str(namespace.get("__name__", ""))
    spec = namespace.get("__spec__")
    if name == "__main__" and spec is not None:
        name = str(spec.name)
    return name.split(".")[0]
