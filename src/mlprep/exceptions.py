"""Exceptions and warnings raised by mlprep.

Every error derives from :class:`MlprepError` and also from the builtin that
callers already expect, so ``except ValueError`` keeps working::

    MlprepError
     ├── InvalidParameterError (ValueError, TypeError)  a constructor argument is wrong
     ├── NotFittedError (sklearn NotFittedError)        transform before fit
     ├── DataError (ValueError)                         the data cannot be processed
     │    └── DomainError                               values outside a transform's domain
     ├── PersistenceError (ValueError)                  a saved file cannot be read
     └── MissingDependencyError (ImportError)           an optional package or data is absent

    MlprepWarning (UserWarning)
     └── DataWarning                                    the data is odd but usable
"""

from __future__ import annotations

from sklearn.exceptions import NotFittedError as _SklearnNotFittedError

__all__ = [
    "DataError",
    "DataWarning",
    "DomainError",
    "InvalidParameterError",
    "MissingDependencyError",
    "MlprepError",
    "MlprepWarning",
    "NoPartialFitError",
    "NotFittedError",
    "PersistenceError",
]


class MlprepError(Exception):
    """Base class of every error mlprep raises on purpose."""


class InvalidParameterError(MlprepError, ValueError, TypeError):
    """A parameter has a wrong type or value.

    The message follows scikit-learn's form: ``The 'k' parameter of
    OutlierHandler must be a float > 0. Got -1 instead.``
    """


class NotFittedError(MlprepError, _SklearnNotFittedError):
    """A fitted transformer was needed; call ``fit`` first.

    Subclasses scikit-learn's ``NotFittedError`` (a ``ValueError`` and an
    ``AttributeError``), so scikit-learn's own checks recognise it.
    """


class DataError(MlprepError, ValueError):
    """The data cannot be processed as asked.

    Messages name the column, the offending value or count, and the fix.
    """


class DomainError(DataError):
    """Values lie outside a transform's domain (log of 0, sqrt of -1, ...)."""


class PersistenceError(MlprepError, ValueError):
    """A file given to :func:`mlprep.load` is malformed, truncated or tampered."""


class NoPartialFitError(MlprepError, AttributeError):
    """``partial_fit`` was asked of an estimator whose statistics do not merge.

    An ``AttributeError``, so ``hasattr(estimator, "partial_fit")`` is False
    and scikit-learn treats the method as absent; the message says why and
    what to use instead.
    """


class MissingDependencyError(MlprepError, ImportError):
    """An optional package or data file is not installed.

    The message gives the exact command that installs it.
    """


class MlprepWarning(UserWarning):
    """Base class of mlprep's warnings."""


class DataWarning(MlprepWarning):
    """The data is unusual (a constant column, say) but can be processed."""
