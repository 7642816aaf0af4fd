"""The one exception every spec problem raises."""

from __future__ import annotations

from mlprep.exceptions import InvalidParameterError

__all__ = ["SpecError"]


class SpecError(InvalidParameterError):
    """A pipeline spec is malformed or names something mlprep cannot build.

    The message starts with the spec's file (``spec`` for a mapping) and, for a
    step's problem, the step's number, name and class, then says what to change::

        spec.json, step 2 ("scale", RobustScaler): unknown parameter 'quantile';
        did you mean 'quantile_range'?

    A subclass of :class:`~mlprep.exceptions.InvalidParameterError`, so also of
    :class:`~mlprep.exceptions.MlprepError` and ``ValueError``.

    Examples
    --------
    >>> from mlprep.spec import SpecError, load_spec
    >>> try:
    ...     load_spec({"steps": [{"class": "StandardScalar"}]})
    ... except SpecError as error:
    ...     print(error)
    spec, step 1: unknown class 'StandardScalar'; did you mean 'StandardScaler'?
    """
