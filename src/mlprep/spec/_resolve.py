"""What a spec may name: transformer classes by name, and their parameters.

Classes come only from mlprep's registry (:mod:`mlprep.core._registry`);
nothing named in a spec is ever imported.
"""

from __future__ import annotations

import copy
import difflib
import inspect
from collections.abc import Iterable, Mapping
from typing import Any

from mlprep.core._registry import registered
from mlprep.core.base import MlprepTransformer
from mlprep.core.resample import MlprepResampler
from mlprep.exceptions import InvalidParameterError
from mlprep.spec._errors import SpecError

__all__ = [
    "constructor_arguments",
    "did_you_mean",
    "parameter_names",
    "resolve_class",
    "short_names",
    "transformer_classes",
]


def transformer_classes() -> dict[str, type]:
    """Every mlprep transformer in the registry: full name to class, sorted by name."""
    return {
        name: cls
        for name, cls in sorted(registered().items())
        if name.startswith("mlprep.") and issubclass(cls, MlprepTransformer)
    }


def short_names(full_names: Iterable[str]) -> dict[str, list[str]]:
    """Short class name (``Imputer``) to the full names that end in it."""
    index: dict[str, list[str]] = {}
    for full in full_names:
        index.setdefault(full.rsplit(".", 1)[1], []).append(full)
    return index


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``"; did you mean 'x'?"`` for the close matches of ``word``, or ``""``."""
    by_lower = {candidate.lower(): candidate for candidate in candidates}
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=3, cutoff=0.6)
    if not close:
        return ""
    quoted = [repr(by_lower[match]) for match in close]
    if len(quoted) == 1:
        return f"; did you mean {quoted[0]}?"
    return f"; did you mean {', '.join(quoted[:-1])} or {quoted[-1]}?"


def resolve_class(written: str, where: str) -> type:
    """The transformer class a step's ``"class"`` names (short or full name)."""
    classes = transformer_classes()
    if written in classes:
        return classes[written]
    shorts = short_names(classes)
    matches = shorts.get(written, [])
    if len(matches) == 1:
        return classes[matches[0]]
    if matches:
        raise SpecError(
            f"{where}: class name {written!r} is ambiguous; use one of the full "
            f"names {' or '.join(repr(m) for m in matches)}"
        )
    everything = registered()
    other = everything.get(written)
    if other is None:
        other = next(
            (cls for name, cls in everything.items() if name.endswith(f".{written}")),
            None,
        )
    if other is not None:
        raise SpecError(f"{where}: {written!r} {_not_a_transformer(other)}")
    hint = did_you_mean(written, classes if "." in written else shorts) or (
        "; the classes are " + ", ".join(sorted(shorts))
    )
    raise SpecError(f"{where}: unknown class {written!r}{hint}")


def _not_a_transformer(cls: type) -> str:
    if issubclass(cls, MlprepResampler):
        return (
            "is a resampler (fit_resample drops rows), not a transformer: a "
            "spec's steps transform columns; resample the data before the pipeline"
        )
    return "is not an mlprep transformer: a spec's steps are mlprep transformers"


def parameter_names(cls: type) -> list[str]:
    """The constructor's parameter names, in signature order."""
    return list(inspect.signature(cls).parameters)


def _tuples(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuples(item) for item in value)
    return value


def _argument(cls: type, name: str, value: Any) -> Any:
    """``value`` as the constructor takes it: a JSON list becomes a tuple when
    only the tuple satisfies the parameter's constraints (``ngram_range``)."""
    if not isinstance(value, list):
        return value
    allowed = cls._parameter_constraints.get(name, [])  # type: ignore[attr-defined]
    if any(c.is_satisfied_by(value) for c in allowed):
        return value
    converted = _tuples(value)
    if any(c.is_satisfied_by(converted) for c in allowed):
        return converted
    return value


def constructor_arguments(
    cls: type,
    params: Mapping[str, Any],
    columns: list[str] | None,
    where: str,
) -> dict[str, Any]:
    """Check a step's parameters against ``cls`` and return its constructor arguments.

    Unknown names are refused with the close matches; values are checked by
    constructing the estimator and calling its ``_validate_params()``.
    """
    names = parameter_names(cls)
    for key in params:
        if key not in names:
            hint = did_you_mean(key, names) or (
                f"; the parameters of {cls.__name__} are " + ", ".join(names)
            )
            raise SpecError(f"{where}: unknown parameter {key!r}{hint}")
    arguments = {
        key: _argument(cls, key, copy.deepcopy(value)) for key, value in params.items()
    }
    if columns is not None:
        if "columns" in params:
            raise SpecError(
                f'{where}: "columns" is given both on the step and in "params"; '
                "keep one"
            )
        if "columns" not in names:
            raise SpecError(
                f'{where}: {cls.__name__} has no columns parameter; remove "columns"'
            )
        arguments["columns"] = list(columns)
    try:
        cls(**copy.deepcopy(arguments))._validate_params()
    except InvalidParameterError as error:
        raise SpecError(f"{where}: {error}") from error
    return arguments
