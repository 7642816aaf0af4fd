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

from typing import Any

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core._estimator import MlprepEstimator
from mlprep.core._frame import from_frame
from mlprep.core._rows import n_rows, take_rows
from mlprep.core._sources import source_kind
from mlprep.exceptions import DataError, NotFittedError

__all__ = ["MlprepResampler"]


class MlprepResampler(MlprepEstimator):
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

    # ---------------------------------------------------------------- API
    def fit(self, X: Any, y: Any = None) -> MlprepResampler:
        """Decide which rows to drop and record it, without returning the data.

        Parameters
        ----------
        X : DataFrame (pandas, polars), pyarrow Table or array-like
            Of shape (n_samples, n_features); or, for a resampler that learns
            mergeable statistics, a lazy source (polars LazyFrame, DuckDB
            relation, pyarrow dataset, Spark DataFrame).
        y : array-like of length n_samples, a column name (lazy sources) or None

        Returns
        -------
        self
        """
        kind = source_kind(X)
        if kind is not None:
            self._fit_source(X, kind, y)
            return self
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
            A lazy source gives a polars ``LazyFrame`` of the kept rows.
        y_resampled : same container as ``y``, or None
            The kept rows of ``y``, aligned with ``X_resampled``; None for a
            lazy source (its target is a column of the frame and stays one).
        """
        kind = source_kind(X)
        if kind is not None:
            self._fit_source(X, kind, y)
            return self._resample_source(X, kind), None
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
        self._validate_params()
        self.__dict__.pop("partial_state_", None)  # an exact fit replaces a partial one
        frame, kind = self._ingest(X, reset=True)
        n_samples = frame.shape[0]
        if y is not None and n_rows(y) != n_samples:
            raise DataError(
                f"{owner}: y has {n_rows(y)} rows but X has {n_samples}; they must be "
                "the same rows in the same order."
            )
        keep = np.asarray(self._keep_mask(frame, y), dtype=bool)
        self.n_samples_seen_ = int(n_samples)
        self.removed_indices_ = np.flatnonzero(~keep).astype(np.int64)
        self.n_removed_ = int(self.removed_indices_.size)
        return frame, kind, keep

    def _fit_source(self, X: Any, kind: str, y: Any) -> None:
        """Learn from a lazy source: mergeable resamplers stream it, others refuse."""
        if not hasattr(self, "_new_state"):
            raise DataError(
                f"{type(self).__name__} needs the rows in memory; collect the lazy "
                "source first."
            )
        from mlprep.state._engine import fit_source

        fit_source(self, X, kind, y, partial=False)

    def _resample_source(self, X: Any, kind: str) -> Any:  # pragma: no cover
        raise NotImplementedError

    def _keep_mask(self, frame: nw.DataFrame, y: Any) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError
