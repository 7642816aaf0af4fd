"""scikit-learn parameters that differ between the versions mlprep supports.

A file records the scikit-learn version that wrote it (``sklearn_version``).
Parameters of scikit-learn classes are written only where they differ from
the constructor's default, so a parameter a later version added (Pipeline's
``transform_input``) or an earlier one removed (ColumnTransformer's
``force_int_remainder_cols``) is absent from the file unless it was set.
At load the installed class's constructor signature decides:

* a parameter it does not have is dropped when its value means what this
  version does anyway (the writer's default, or the behaviour this version
  has without the parameter, from :data:`HISTORY`);
* otherwise the file cannot be expressed here, and
  :class:`~mlprep.exceptions.PersistenceError` says "written with
  scikit-learn X, this is Y" and what to do.
"""

from __future__ import annotations

import inspect
import math
import re
from dataclasses import dataclass, field
from typing import Any

import sklearn

from mlprep.exceptions import PersistenceError

__all__ = ["HISTORY", "ParamHistory", "adapt_params", "is_default", "parse_version"]


def parse_version(text: Any) -> tuple[int, int]:
    """``(major, minor)`` of a version string; ``(0, 0)`` when it is not one."""
    match = re.match(r"(\d+)\.(\d+)", text) if isinstance(text, str) else None
    return (int(match[1]), int(match[2])) if match else (0, 0)


@dataclass(frozen=True)
class ParamHistory:
    """One parameter's life across scikit-learn versions.

    ``added``/``removed``: the first version with / without it (None: always).
    ``defaults``: ``(from_version, default)`` in order; the default of a
    version is the last entry at or before it. ``absent``: the values that
    mean what a version without the parameter does, ``"before"`` ``added``
    and ``"after"`` ``removed``. ``inert``: from this version on the
    parameter was accepted but had no effect.
    """

    added: tuple[int, int] | None = None
    removed: tuple[int, int] | None = None
    defaults: tuple[tuple[tuple[int, int], Any], ...] = ()
    absent: dict[str, list[Any]] = field(default_factory=dict)
    inert: tuple[int, int] | None = None

    def default_in(self, version: tuple[int, int]) -> Any:
        value = _MISSING
        for since, default in self.defaults:
            if version >= since:
                value = default
        return value

    def equivalents(self, version: tuple[int, int]) -> list[Any]:
        """Values that mean what ``version`` does without the parameter."""
        if self.added is not None and version < self.added:
            return self.absent.get("before", [])
        if self.removed is not None and version >= self.removed:
            return self.absent.get("after", [])
        return []


_MISSING = object()

HISTORY: dict[str, dict[str, ParamHistory]] = {
    "ColumnTransformer": {
        # 1.5 added it (True: remainder columns as integer positions, as before;
        # False: as given); 1.7 made it a no-op (columns as given), 1.9 removed it.
        "force_int_remainder_cols": ParamHistory(
            added=(1, 5),
            removed=(1, 9),
            defaults=(((1, 5), True), ((1, 7), "deprecated")),
            absent={"before": [True], "after": [False, "deprecated"]},
            inert=(1, 7),
        ),
    },
    "FeatureUnion": {
        "verbose_feature_names_out": ParamHistory(
            added=(1, 5), defaults=(((1, 5), True),), absent={"before": [True]}
        ),
    },
    "Pipeline": {
        "transform_input": ParamHistory(
            added=(1, 6), defaults=(((1, 6), None),), absent={"before": [None]}
        ),
    },
}
"""Parameters of the registered scikit-learn classes that some supported versions lack."""


def _same(value: Any, default: Any) -> bool:
    """Whether a parameter value is its default (plain scalars only)."""
    plain = (type(None), bool, int, float, str)
    if not isinstance(value, plain) or type(value) is not type(default):
        return False
    if isinstance(value, float) and math.isnan(value):
        return isinstance(default, float) and math.isnan(default)
    return bool(value == default)


def signature_defaults(cls: type) -> dict[str, Any]:
    """Constructor parameter name to default (``inspect.Parameter.empty`` if none)."""
    return {
        p.name: p.default
        for p in inspect.signature(cls).parameters.values()
        if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    }


def is_default(cls: type, name: str, value: Any) -> bool:
    """Whether ``cls(name=value)`` is what ``cls()`` does (so the file need not say it)."""
    default = signature_defaults(cls).get(name, inspect.Parameter.empty)
    return default is not inspect.Parameter.empty and _same(value, default)


def adapt_params(
    cls: type, params: dict[str, Any], written_with: Any, where: str
) -> dict[str, Any]:
    """The parameters of a scikit-learn class from a file, for the installed version."""
    known = signature_defaults(cls)
    writer = parse_version(written_with)
    here = parse_version(sklearn.__version__)
    history = HISTORY.get(cls.__name__, {})
    adapted = {}
    for name, value in params.items():
        if name in known:
            adapted[name] = value
            continue
        entry = history.get(name)
        if entry is not None:
            writer_default = entry.default_in(writer)
            if writer_default is not _MISSING and _same(value, writer_default):
                continue  # the writer's default: nothing was chosen
            if entry.inert is not None and writer >= entry.inert:
                continue  # the writer's version ignored it
            if any(_same(value, same) for same in entry.equivalents(here)):
                continue  # what this version does without the parameter
        raise PersistenceError(
            f"{where}: the file was written with scikit-learn {written_with}, this is "
            f"scikit-learn {sklearn.__version__}; {cls.__name__}({name}={value!r}) "
            f"has no equivalent here ({cls.__name__} of this version has no "
            f"parameter {name!r}). Load the file with scikit-learn "
            f"{written_with}, or rebuild and refit the object with scikit-learn "
            f"{sklearn.__version__} and save it again."
        )
    return adapted
