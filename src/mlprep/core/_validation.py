"""Declarative parameter validation with scikit-learn-style messages.

Each transformer declares ``_parameter_constraints``: a mapping from every
``__init__`` parameter to the list of constraints it may satisfy. ``fit`` calls
:func:`validate_params`, which raises::

    The 'k' parameter of OutlierHandler must be a float > 0 or None. Got -1 instead.

Only types and single-parameter ranges are declared here; relations between
parameters (``low < high``) are checked in ``fit`` with their own message.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from numbers import Integral, Real
from typing import Any

import numpy as np

from mlprep.exceptions import InvalidParameterError

__all__ = [
    "Boolean",
    "ColumnSpec",
    "Constraint",
    "InstanceOf",
    "Interval",
    "NoneOK",
    "Options",
    "Predicate",
    "check_param_names",
    "validate_params",
]


class Constraint:
    """One admissible form of a parameter value."""

    def is_satisfied_by(self, value: Any) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def __str__(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError


def _is_bool(value: Any) -> bool:
    return isinstance(value, (bool, np.bool_))


class Interval(Constraint):
    """A real or integral number within bounds.

    Parameters
    ----------
    kind : {Integral, Real}
        ``Integral`` accepts Python and numpy integers; ``Real`` accepts those
        and floats. Booleans are never numbers here.
    left, right : float or None
        Bounds; ``None`` means unbounded on that side.
    closed : {"left", "right", "both", "neither"}
        Which bounds belong to the interval.
    """

    def __init__(
        self,
        kind: type,
        left: float | None,
        right: float | None,
        *,
        closed: str = "both",
    ) -> None:
        self.kind = kind
        self.left = left
        self.right = right
        self.closed = closed

    def is_satisfied_by(self, value: Any) -> bool:
        if _is_bool(value) or not isinstance(value, self.kind):
            return False
        if isinstance(value, Real) and math.isnan(float(value)):
            return False
        number: Any = value
        left_ok = (
            self.left is None
            or number > self.left
            or (number == self.left and self.closed in ("left", "both"))
        )
        right_ok = (
            self.right is None
            or number < self.right
            or (number == self.right and self.closed in ("right", "both"))
        )
        return bool(left_ok and right_ok)

    def __str__(self) -> str:
        noun = "an int" if self.kind is Integral else "a float"
        lo_in = self.closed in ("left", "both")
        hi_in = self.closed in ("right", "both")
        if self.left is None and self.right is None:
            return noun
        if self.right is None:
            return f"{noun} {'>=' if lo_in else '>'} {self.left}"
        if self.left is None:
            return f"{noun} {'<=' if hi_in else '<'} {self.right}"
        return (
            f"{noun} in the range {'[' if lo_in else '('}{self.left}, "
            f"{self.right}{']' if hi_in else ')'}"
        )


class Options(Constraint):
    """One of a fixed set of values (usually strings)."""

    def __init__(self, *options: Any) -> None:
        self.options = options

    def is_satisfied_by(self, value: Any) -> bool:
        if _is_bool(value):
            return any(_is_bool(o) and o == value for o in self.options)
        try:
            return any(value == o and type(value) is type(o) for o in self.options)
        except TypeError:
            return False

    def __str__(self) -> str:
        return "one of " + ", ".join(repr(o) for o in self.options)


class InstanceOf(Constraint):
    """An instance of the given type(s), described in words."""

    def __init__(self, types: type | tuple[type, ...], description: str) -> None:
        self.types = types
        self.description = description

    def is_satisfied_by(self, value: Any) -> bool:
        return isinstance(value, self.types) and not (
            _is_bool(value) and bool not in _as_tuple(self.types)
        )

    def __str__(self) -> str:
        return self.description


def _as_tuple(types: type | tuple[type, ...]) -> tuple[type, ...]:
    return types if isinstance(types, tuple) else (types,)


class Predicate(Constraint):
    """Any value for which ``check(value)`` is true, described in words."""

    def __init__(self, check: Callable[[Any], bool], description: str) -> None:
        self.check = check
        self.description = description

    def is_satisfied_by(self, value: Any) -> bool:
        try:
            return bool(self.check(value))
        except (TypeError, ValueError):
            return False

    def __str__(self) -> str:
        return self.description


Boolean = Predicate(_is_bool, "a bool")
NoneOK = Predicate(lambda value: value is None, "None")


def _is_column_spec(value: Any) -> bool:
    if value is None or isinstance(value, str):
        return True
    if isinstance(value, Integral) and not _is_bool(value):
        return True
    if isinstance(value, (list, tuple)) and value:
        return all(
            isinstance(v, str) or (isinstance(v, Integral) and not _is_bool(v))
            for v in value
        )
    return False


ColumnSpec = Predicate(
    _is_column_spec,
    "None, a column name, or a non-empty list of column names or positions",
)


def _describe(constraints: Iterable[Constraint]) -> str:
    words = [str(c) for c in constraints]
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " or " + words[-1]


def validate_params(
    owner: str,
    params: Mapping[str, Any],
    constraints: Mapping[str, Sequence[Constraint]],
) -> None:
    """Raise :class:`InvalidParameterError` for the first invalid parameter.

    Parameters
    ----------
    owner : str
        The class name used in the message.
    params : mapping
        Parameter names to values, as from ``get_params(deep=False)``.
    constraints : mapping
        Parameter names to the constraints any one of which must hold.
        A parameter missing from ``constraints`` is a programming error.

    Examples
    --------
    >>> from numbers import Real
    >>> validate_params("Demo", {"k": -1}, {"k": [Interval(Real, 0, None, closed="neither")]})
    Traceback (most recent call last):
    ...
    mlprep.exceptions.InvalidParameterError: The 'k' parameter of Demo must be a float > 0. Got -1 instead.
    """
    for name, value in params.items():
        allowed = constraints[name]
        if not any(c.is_satisfied_by(value) for c in allowed):
            raise InvalidParameterError(
                f"The {name!r} parameter of {owner} must be {_describe(allowed)}. "
                f"Got {value!r} instead."
            )


def check_param_names(
    owner: str, names: Iterable[str], valid: Sequence[str], *, nested: bool = True
) -> None:
    """Raise :class:`InvalidParameterError` for the first name not in ``valid``.

    The message names the parameter, the class, the close matches (if any)
    and every valid name.

    Parameters
    ----------
    owner : str
        The class name used in the message.
    names : iterable of str
        The parameter names given (``set_params`` keywords).
    valid : sequence of str
        The parameter names the class takes.
    nested : bool, default=True
        Whether ``param__sub`` names a parameter of a nested object: only its
        first part is checked here (the nested object checks the rest).
        Otherwise the whole name must be valid.

    Examples
    --------
    >>> check_param_names("Demo", ["with_mean", "with_std"], ["with_mean", "with_std"])
    >>> check_param_names("Demo", ["with_maen"], ["with_mean", "with_std"])
    Traceback (most recent call last):
    ...
    mlprep.exceptions.InvalidParameterError: Demo has no parameter 'with_maen'; did you mean 'with_mean'? Valid parameters are: ['with_mean', 'with_std'].
    """
    for name in names:
        head = name.split("__", 1)[0] if nested else name
        if head in valid:
            continue
        close = difflib.get_close_matches(head, list(valid), n=3, cutoff=0.6)
        hint = (
            f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else "."
        )
        raise InvalidParameterError(
            f"{owner} has no parameter {head!r}{hint} Valid parameters are: "
            f"{sorted(valid)}."
        )
