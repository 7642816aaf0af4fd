"""Base class of every mlprep transformer: the template the families fill in.

:class:`MlprepTransformer` implements the scikit-learn contract once. The
public methods (``fit``, ``transform``, ``fit_transform``, ``partial_fit``,
``inverse_transform``, ``get_feature_names_out``, ``set_output``) live here
and nowhere else; a family writes hooks:

================================  =================================================
hook                              what it does
================================  =================================================
``_fit(frame, y)``                learn the statistics of ``columns_`` (required)
``_transform(frame)``             a narwhals frame, or a scipy CSR matrix (required)
``_fit_transform(frame, y, **p)`` both at once, when that saves a pass or must
                                  differ from ``fit(X).transform(X)``
                                  (cross-fitting); defaults to the two hooks
``_new_state()``                  an empty mergeable state (:mod:`mlprep.state`);
                                  its presence makes ``partial_fit``, lazy and
                                  Spark fits and :func:`mlprep.merge` work, and
                                  ``_fit`` defaults to one update of a new state
``_update_state(state, frame, y)``  the state with a batch added (returned)
``_finish_state(state)``          set the fitted attributes from a state
``_supports_partial_fit()``       whether this configuration can merge batches
                                  (``_partial_fit_refusal()`` says why not)
``_inverse_transform(frame)``     its presence makes ``inverse_transform`` exist
``_feature_names_out(names)``     output names, one-to-one unless overridden
================================  =================================================

Column selection is declared, not written: ``_column_kind`` (what
``columns=None`` selects), ``_named_kind`` (what a named column may be),
``_all_array_columns`` (numpy input selects every column) and the hooks
``_key_columns()`` (time/group columns read but not transformed) and
``_default_columns()`` (an explicit default list, e.g. from a parameter).

Fitting streams: ``fit`` of a lazy source (polars ``LazyFrame``, DuckDB
relation, ``pyarrow.dataset``, Spark ``DataFrame``) feeds its batches
through the state hooks (:mod:`mlprep.state._engine`); ``fit`` of an
in-memory frame calls ``_fit``, which a class overrides where an exact
statistic (a median) differs from its sketch. ``transform`` never writes to
``self``.
"""

from __future__ import annotations

from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np
import scipy.sparse as sp
from sklearn import get_config
from sklearn.base import TransformerMixin
from sklearn.utils.metaestimators import available_if

from mlprep.core._columns import select_columns
from mlprep.core._docs import columns_paragraph
from mlprep.core._estimator import (
    SKLEARN_TAGS,
    MlprepEstimator,
    apply_tags,
    legacy_tags,
)
from mlprep.core._frame import from_frame, sparse_out
from mlprep.core._mergeable import Mergeable
from mlprep.core._sources import source_kind
from mlprep.core._validation import Options, validate_params
from mlprep.exceptions import DataError

__all__ = ["MlprepTransformer"]


def _has_inverse(self: MlprepTransformer) -> bool:
    return type(self)._inverse_transform is not MlprepTransformer._inverse_transform


class MlprepTransformer(
    TransformerMixin, Mergeable, MlprepEstimator, auto_wrap_output_keys=None
):
    """Base class for mlprep transformers (pandas, polars, pyarrow or numpy in and out).

    Subclasses set ``_parameter_constraints``, the column-selection
    declarations and ``_tags``, and write the hooks listed in the module
    docstring. Every transformer has a ``columns`` parameter.
    """

    _abstract = True
    columns: Any
    _named_kind: ClassVar[str | None] = None
    _all_array_columns: ClassVar[bool] = False
    _batch_local: ClassVar[bool] = True
    """Whether a row's output depends on that row alone (so a LazyFrame maps batch by batch)."""

    @classmethod
    def _columns_doc(cls) -> str:
        # True when a family declares time/group keys (the hook is overridden)
        keys = cls._key_columns.__qualname__ != "MlprepTransformer._key_columns"
        return columns_paragraph(
            cls._column_kind, keys=keys, arrays=cls._all_array_columns
        )

    # ------------------------------------------------------------------ fit
    def fit(self, X: Any, y: Any = None, **fit_params: Any) -> MlprepTransformer:
        """Learn the statistics of the selected columns of ``X``.

        Parameters
        ----------
        X : DataFrame (pandas, polars), pyarrow Table or array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or None
            The target, for supervised transformers; ignored by the others.
        **fit_params : dict
            Passed to the transformer's fitting step (e.g. ``groups``).

        Returns
        -------
        self
            The fitted transformer.
        """
        kind = source_kind(X)
        if kind is not None:
            from mlprep.state._engine import fit_source

            return fit_source(self, X, kind, y, partial=False)
        frame, _ = self._start_fit(X)
        self._fit(frame, y, **fit_params)
        return self

    def fit_transform(self, X: Any, y: Any = None, **fit_params: Any) -> Any:
        """Fit to ``X`` and return it transformed.

        Equal to ``fit(X, y).transform(X)`` except where the transformer
        documents otherwise (cross-fitted target encoding; time-series features
        computed from ``X`` alone).

        Parameters
        ----------
        X : DataFrame (pandas, polars), pyarrow Table or array-like of shape (n_samples, n_features)
            Training data.
        y : array-like of shape (n_samples,) or None
            The target, for supervised transformers; ignored by the others.
        **fit_params : dict
            Passed to the transformer's fitting step (e.g. ``groups``).

        Returns
        -------
        X_out : same container as ``X`` (or as ``set_output`` asks), or a CSR matrix
        """
        if source_kind(X) is not None:
            return self.fit(X, y, **fit_params).transform(X)
        frame, kind = self._start_fit(X)
        return self._emit(self._fit_transform(frame, y, **fit_params), kind)

    def _start_fit(self, X: Any) -> tuple[nw.DataFrame, str]:
        """Validate parameters, ingest ``X`` with ``reset=True`` and set ``columns_``."""
        self._validate_params()
        self.__dict__.pop("partial_state_", None)
        frame, kind = self._ingest(X, reset=True)
        self.columns_ = self._select_columns(frame, kind)
        return frame, kind

    def _ingest_schema(self, frame: nw.DataFrame) -> nw.DataFrame:
        """An empty frame of the fitted columns, as ``_transform`` receives frames."""
        return frame

    def _select_columns(self, frame: nw.DataFrame, kind: str) -> list[str]:
        """``columns=`` resolved by the class's declarations (see the module docstring)."""
        columns = self.columns
        if columns is None:
            columns = self._default_columns()
        if columns is None and kind == "numpy" and self._all_array_columns:
            return list(frame.columns)
        column_kind, named_kind = self._column_kinds()
        return select_columns(
            frame,
            columns,
            kind=column_kind,
            named_kind=named_kind,
            keys=self._key_columns(),
            owner=type(self).__name__,
        )

    def _column_kinds(self) -> tuple[str, str | None]:
        """``(kind columns=None selects, kind a named column may have)``."""
        return self._column_kind, self._named_kind

    def _key_columns(self) -> list[str]:
        """Columns read as keys (time, groups): required, never transformed."""
        return []

    def _default_columns(self) -> list[str] | None:
        """The columns to use when ``columns=None``; None selects by kind."""
        return None

    def _fit(self, frame: nw.DataFrame, y: Any, **fit_params: Any) -> None:
        """One update of a new state (mergeable classes); exact fits override it."""
        self._adopt_state(self._update_state(self._new_state(), frame, y))

    def _fit_transform(self, frame: nw.DataFrame, y: Any, **fit_params: Any) -> Any:
        self._fit(frame, y, **fit_params)
        return self._transform(frame)

    # ------------------------------------------------------------ transform
    def transform(self, X: Any) -> Any:
        """Transform ``X`` with the statistics learned in ``fit``.

        Parameters
        ----------
        X : DataFrame (pandas, polars), pyarrow Table or array-like of shape (n_samples, n_features)
            The data; the columns ``fit`` saw, in the same order.

        Returns
        -------
        X_out : same container as ``X`` (or as ``set_output`` asks), or a CSR matrix
            Untouched columns pass through; the input is never modified.
        """
        self._check_fitted()
        source = source_kind(X)
        if source is not None:
            from mlprep.state._engine import transform_source

            return transform_source(self, X, source)
        frame, kind = self._ingest(X, reset=False)
        return self._emit(self._transform(frame), kind)

    def _transform(self, frame: nw.DataFrame) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    @available_if(_has_inverse)
    def inverse_transform(self, X: Any) -> Any:
        """Undo ``transform``.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features_out)
            Output of :meth:`transform` (same columns).

        Returns
        -------
        X_original : same container as ``X`` (or as ``set_output`` asks)
            Untouched columns pass through.
        """
        self._check_fitted()
        frame, kind = self._ingest_output(X)
        return self._emit(self._inverse_transform(frame), kind)

    def _ingest_output(self, X: Any) -> tuple[nw.DataFrame, str]:
        """Wrap the output of ``transform`` given back to ``inverse_transform``."""
        names = [str(n) for n in self.get_feature_names_out()]
        frame, kind = self._wrap(X)
        seen = list(frame.columns)
        if seen == names:
            return frame, kind
        if kind != "numpy":
            raise DataError(
                f"inverse_transform of {type(self).__name__} needs the columns "
                f"transform produced, {names[:10]}; got {seen[:10]}."
            )
        if len(seen) != len(names):
            raise DataError(
                f"X has {len(seen)} columns, but {type(self).__name__} produced "
                f"{len(names)}."
            )
        return frame.rename(dict(zip(seen, names))), kind

    def _inverse_transform(
        self, frame: nw.DataFrame
    ) -> nw.DataFrame:  # pragma: no cover - abstract
        raise NotImplementedError

    def _emit(self, result: Any, kind: str) -> Any:
        """The caller's container (or ``set_output``'s) for a frame; CSR as asked."""
        if sp.issparse(result):
            return sparse_out(
                result,
                self._output_names,
                self._output_format(),
                owner=type(self).__name__,
            )
        return from_frame(result, kind, self._output_format())

    def _output_names(self) -> list[str]:
        return [str(n) for n in self.get_feature_names_out()]

    # -------------------------------------------------------- feature names
    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """Names of the output columns.

        Parameters
        ----------
        input_features : array-like of str or None
            Must match ``feature_names_in_`` when given; None uses the names
            seen in ``fit`` (``x0, x1, ...`` for arrays).

        Returns
        -------
        ndarray of str objects
        """
        self._check_fitted()
        names = self._input_names()
        if input_features is not None:
            given = [str(n) for n in input_features]
            if len(given) != self.n_features_in_:
                raise DataError(
                    f"input_features should have length equal to number of features "
                    f"({self.n_features_in_}), got {len(given)}"
                )
            if hasattr(self, "feature_names_in_") and given != names:
                raise DataError("input_features is not equal to feature_names_in_")
            names = given
        return np.asarray(self._feature_names_out(names), dtype=object)

    def _feature_names_out(self, input_names: list[str]) -> list[str]:
        """Output names given the input names; one-to-one unless overridden."""
        return list(input_names)

    # ----------------------------------------------------------- set_output
    def set_output(self, *, transform: str | None = None) -> MlprepTransformer:
        """Choose the container ``transform`` returns.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"} or None
            ``"default"`` returns the input's own container (pandas, polars,
            pyarrow or numpy); ``"pandas"``/``"polars"`` always return that
            frame; None leaves the setting unchanged.

        Returns
        -------
        self
        """
        if transform is None:
            return self
        allowed = Options("default", "pandas", "polars")
        if not allowed.is_satisfied_by(transform):
            validate_params(
                type(self).__name__, {"transform": transform}, {"transform": [allowed]}
            )
        if not hasattr(self, "_sklearn_output_config"):
            self._sklearn_output_config = {}
        self._sklearn_output_config["transform"] = transform
        return self

    # ----------------------------------------------------------------- tags
    # TransformerMixin sets its own defaults (preserves_dtype) after
    # MlprepEstimator's; the table is applied again so it has the last word.
    if SKLEARN_TAGS:

        def __sklearn_tags__(self) -> Any:
            return apply_tags(super().__sklearn_tags__(), self._tag_values())

    def _more_tags(self) -> dict[str, Any]:  # scikit-learn < 1.6
        return legacy_tags(self._tag_values())

    def _output_format(self) -> str:
        chosen = getattr(self, "_sklearn_output_config", {}).get("transform")
        return chosen if chosen is not None else get_config()["transform_output"]
