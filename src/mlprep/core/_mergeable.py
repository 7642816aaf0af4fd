"""Mergeable statistics in the template: ``partial_fit``, the state hooks, source schemas.

:class:`Mergeable` is mixed into :class:`~mlprep.core.MlprepTransformer` and
into resamplers that learn statistics (:class:`~mlprep.outliers.OutlierRemover`).
A class becomes mergeable by writing ``_new_state``, ``_update_state`` and
``_finish_state``; then ``partial_fit`` exists, the engines
(:mod:`mlprep.state._engine`, :mod:`mlprep.state._spark`) fit lazy sources and
Spark, and :func:`mlprep.merge` combines copies. The host class provides
``_start_fit(X)`` (validate, ingest with ``reset=True``, set ``columns_``),
``_select_columns(frame, kind)`` and ``_key_columns()``.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core._estimator import MlprepEstimator
from mlprep.core._sources import source_kind
from mlprep.exceptions import DataError, NoPartialFitError

__all__ = ["Mergeable", "batches_only"]


class batches_only:
    """``partial_fit`` where batches merge; elsewhere a :class:`NoPartialFitError`.

    Like scikit-learn's ``available_if``, the method is absent for
    ``hasattr`` when the estimator's configuration cannot merge batches
    (``_supports_partial_fit()`` is False), but the error says why
    (``_partial_fit_refusal()``) instead of only that the attribute is
    missing. Without a method (``partial_fit = batches_only()``) it is always
    refused.
    """

    def __init__(self, method: Callable[..., Any] | None = None) -> None:
        self.method = method
        self.__doc__ = method.__doc__ if method is not None else self.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self.method if self.method is not None else self
        if self.method is None or not obj._supports_partial_fit():
            raise NoPartialFitError(
                f"{type(obj).__name__} has no {self.name}: {obj._partial_fit_refusal()}"
            )
        return types.MethodType(self.method, obj)


class Mergeable(MlprepEstimator):
    """The state hooks and ``partial_fit``, shared by transformers and resamplers."""

    _abstract = True
    columns_: list[str]

    # host-class hooks (MlprepTransformer, or a resampler that learns statistics)
    def _start_fit(self, X: Any) -> tuple[nw.DataFrame, str]:  # pragma: no cover
        raise NotImplementedError

    def _select_columns(
        self, frame: nw.DataFrame, kind: str
    ) -> list[str]:  # pragma: no cover
        raise NotImplementedError

    def _key_columns(self) -> list[str]:
        """Columns read as keys (time, groups): required, never transformed."""
        return []

    def _start_schema(self, frame: nw.DataFrame) -> None:
        """``_start_fit`` for a source: the columns from an empty frame with its schema."""
        self.__dict__.pop("partial_state_", None)
        self.n_features_in_ = frame.shape[1]
        self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        self.columns_ = self._select_columns(frame, "source")

    def _check_schema(self, frame: nw.DataFrame) -> None:
        """A later source must have the columns the first one had, in order."""
        expected = self._input_names()
        if list(frame.columns) != expected:
            missing = [c for c in expected if c not in frame.columns]
            raise DataError(
                f"{type(self).__name__} was partially fitted on the columns "
                f"{expected[:20]}; this source has {list(frame.columns)[:20]}"
                + (f" (missing {missing[:5]})" if missing else "")
                + "."
            )

    def _read_columns(self) -> list[str]:
        """The columns a fit reads: the selected ones and the keys, once each."""
        return list(dict.fromkeys([*self._key_columns(), *self.columns_]))

    # ---------------------------------------------------------- partial_fit
    @batches_only
    def partial_fit(self, X: Any, y: Any = None) -> Any:
        """Add a batch to the statistics; fitted attributes are valid after every call.

        The first call fits; later batches must have the same columns and are
        merged into the partial state (``partial_state_``), exactly for counts,
        sums and moments and within ``rank_error_`` for quantiles. Copies
        fitted on different shards combine with :func:`mlprep.merge`.

        Parameters
        ----------
        X : DataFrame (pandas, polars), pyarrow Table, array-like, or a lazy source
            One batch (a polars LazyFrame, DuckDB relation, pyarrow dataset or
            Spark DataFrame adds all its rows).
        y : array-like of shape (n_samples,), str or None
            The batch's target, for supervised transformers (a column name for
            a lazy source).

        Returns
        -------
        self
        """
        kind = source_kind(X)
        if kind is not None:
            from mlprep.state._engine import fit_source

            return fit_source(self, X, kind, y, partial=True)
        state = getattr(self, "partial_state_", None)
        if state is None:
            if self._is_fitted():
                self._refuse_continuing()
            frame, _ = self._start_fit(X)
            state = self._new_state()
        else:
            self._validate_params()
            frame, _ = self._ingest(X, reset=False)
        self._adopt_state(self._update_state(state, frame, y))
        return self

    def _refuse_continuing(self) -> None:
        raise DataError(
            f"{type(self).__name__} was fitted with fit() on in-memory data, which "
            "computes its statistics exactly and keeps no mergeable state, so it "
            "takes no further batches. Start over with partial_fit() on every batch "
            "(or fit a lazy source), or fit() the whole data."
        )

    def _supports_partial_fit(self) -> bool:
        """Whether batches merge; by default, whether the class writes ``_new_state``."""
        return type(self)._new_state is not Mergeable._new_state

    def _partial_fit_refusal(self) -> str:
        """Why this configuration cannot fit in batches (shown when asked to)."""
        return "it learns nothing that merges across batches."

    def _new_state(self) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _update_state(
        self, state: Any, frame: nw.DataFrame, y: Any
    ) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def _finish_state(self, state: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _moment_columns(self) -> list[str] | None:
        """The columns whose state is exactly their float moments, if that is all it is.

        Such a state (``{column: MomentsState}``, updated with
        ``MomentsState.of(as_float_array(column))``) is computed by the engine
        itself: one streaming query on a polars ``LazyFrame``, one aggregation
        on Spark.
        """
        return None

    def _adopt_state(self, state: Any) -> None:
        """Keep ``state`` as ``partial_state_`` and set the fitted attributes from it."""
        self.partial_state_ = state
        self._finish_state(state)
