"""Base class of mlprep resamplers: steps that drop rows and keep ``y`` aligned.

A resampler follows the imbalanced-learn convention: ``fit_resample(X, y)``
returns ``(X_resampled, y_resampled)`` and there is **no** ``transform``, so
``imblearn.pipeline.Pipeline`` accepts it (it refuses a step with both) and
applies it while fitting only; at prediction time every row goes through.

:class:`MlprepResampler` implements the contract once:

* ``fit_resample`` validates the parameters, wraps ``X`` as a narwhals frame,
  records ``n_features_in_`` / ``feature_names_in_``, asks the subclass which
  rows to keep (``_keep_mask(frame, y)``), and returns ``X`` and ``y``
  restricted to those rows, each in the caller's own container (pandas keeps
  its index labels, so the dropped rows can be traced);
* what was dropped is reported: ``n_removed_``, ``removed_indices_`` and
  :meth:`get_mask`.

Subclasses declare ``_parameter_constraints`` and ``_numeric_input`` and
write ``_keep_mask``; every subclass registers itself for
:func:`mlprep.save` / :func:`mlprep.load`.
"""

from __future__ import annotations

from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np
from sklearn.base import BaseEstimator

from mlprep.core._frame import from_frame, to_frame
from mlprep.core._registry import register
from mlprep.core._validation import Constraint, validate_params
from mlprep.exceptions import DataError, NotFittedError

__all__ = ["MlprepResampler", "take_rows"]


class MlprepResampler(BaseEstimator):
    """Base class for mlprep resamplers (``fit_resample`` only, no ``transform``).

    Subclasses set:

    ``_parameter_constraints``
        ``{param: [Constraint, ...]}`` for every ``__init__`` parameter.
    ``_numeric_input``
        Whether array input must be numeric.

    and implement ``_keep_mask(frame, y) -> ndarray of bool`` (True for the
    rows to keep), setting any fitted attributes on the way.
    """

    _abstract = True
    _estimator_type = "sampler"
    _parameter_constraints: ClassVar[dict[str, list[Constraint]]] = {}
    _numeric_input: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        register(cls)

    # ---------------------------------------------------------------- API
    def fit(self, X: Any, y: Any = None) -> MlprepResampler:
        """Decide which rows to drop and record it, without returning the data.

        Parameters
        ----------
        X : DataFrame (pandas, polars), pyarrow Table or array-like
            Of shape (n_samples, n_features).
        y : array-like of length n_samples or None

        Returns
        -------
        self
        """
        self._fit(X, y)
        return self

    def fit_resample(self, X: Any, y: Any = None) -> tuple[Any, Any]:
        """Drop rows from ``X`` and the same rows from ``y``.

        Parameters
        ----------
        X : DataFrame (pandas, polars), pyarrow Table or array-like
            Of shape (n_samples, n_features); it is never modified.
        y : array-like of length n_samples or None
            numpy array, list, pandas/polars Series or DataFrame, pyarrow
            array; returned in the same container.

        Returns
        -------
        X_resampled : same container as ``X``
            The kept rows, in their original order (pandas keeps the index).
        y_resampled : same container as ``y``, or None
            The kept rows of ``y``, aligned with ``X_resampled``.
        """
        frame, kind, keep = self._fit(X, y)
        indices = np.flatnonzero(keep)
        return from_frame(frame[indices], kind), take_rows(y, indices)

    def get_mask(self, *, removed: bool = False) -> np.ndarray:
        """Boolean mask over the rows of the last ``fit``/``fit_resample`` input.

        Parameters
        ----------
        removed : bool, default=False
            False: True for the rows kept. True: True for the rows removed.

        Returns
        -------
        ndarray of bool of shape (n_samples_seen_,)
        """
        if not hasattr(self, "n_removed_"):
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call "
                "'fit_resample' before asking which rows it removed."
            )
        mask = np.zeros(self.n_samples_seen_, dtype=bool)
        mask[np.asarray(self.removed_indices_, dtype=np.intp)] = True
        return mask if removed else ~mask

    # ----------------------------------------------------------- internals
    def _fit(self, X: Any, y: Any) -> tuple[nw.DataFrame, str, np.ndarray]:
        owner = type(self).__name__
        validate_params(owner, self.get_params(deep=False), self._parameter_constraints)
        frame, kind = to_frame(X, owner=owner, numeric=self._numeric_input)
        n_rows = frame.shape[0]
        if y is not None and _length(y) != n_rows:
            raise DataError(
                f"{owner}: y has {_length(y)} rows but X has {n_rows}; they must be "
                "the same rows in the same order."
            )
        self.n_features_in_ = frame.shape[1]
        if kind != "numpy":
            self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        keep = np.asarray(self._keep_mask(frame, y), dtype=bool)
        self.n_samples_seen_ = int(n_rows)
        self.removed_indices_ = np.flatnonzero(~keep).astype(np.int64)
        self.n_removed_ = int(self.removed_indices_.size)
        return frame, kind, keep

    def _keep_mask(self, frame: nw.DataFrame, y: Any) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags

    def _more_tags(self) -> dict[str, Any]:  # scikit-learn < 1.6
        return {"allow_nan": True}


def _length(y: Any) -> int:
    shape = getattr(y, "shape", None)
    if shape is not None and len(shape) > 0:
        return int(shape[0])
    return len(y)


def take_rows(y: Any, indices: np.ndarray) -> Any:
    """The rows ``indices`` (positions) of ``y``, in ``y``'s own container.

    numpy arrays are indexed, lists and tuples rebuilt, pandas/polars Series
    and frames and pyarrow arrays/tables go through narwhals (pandas keeps
    its index labels). None stays None.
    """
    if y is None:
        return None
    if isinstance(y, np.ndarray):
        return y[indices]
    if isinstance(y, (list, tuple)):
        return type(y)(y[i] for i in indices)
    try:
        wrapped = nw.from_native(y, eager_only=True, allow_series=True)
    except TypeError:
        return np.asarray(y)[indices]
    return nw.to_native(wrapped[indices])
