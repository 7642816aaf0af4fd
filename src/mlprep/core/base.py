"""Base class of every mlprep transformer.

:class:`MlprepTransformer` implements the scikit-learn contract once:

* ``fit`` validates the parameters, wraps the input as a narwhals frame,
  records ``n_features_in_`` / ``feature_names_in_``, resolves ``columns=``
  into ``columns_`` and hands over to the subclass's ``_fit``;
* ``transform`` checks the input against what ``fit`` saw, calls the
  subclass's ``_transform`` on a narwhals frame and returns the caller's
  container (or the one ``set_output`` asks for);
* ``get_feature_names_out`` derives names from ``_feature_names_out``.

A subclass declares ``_parameter_constraints`` and ``_column_kind`` and writes
``_fit(frame, y)`` and ``_transform(frame)``; nothing else.
"""

from __future__ import annotations

import warnings
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np
from sklearn import get_config
from sklearn.base import BaseEstimator, TransformerMixin

from mlprep.core._columns import select_columns
from mlprep.core._frame import from_frame, positional_names, to_frame
from mlprep.core._registry import register
from mlprep.core._validation import Constraint, Options, validate_params
from mlprep.exceptions import DataError, NotFittedError

__all__ = ["MlprepTransformer"]


class MlprepTransformer(TransformerMixin, BaseEstimator, auto_wrap_output_keys=None):  # type: ignore[call-arg]
    """Base class for mlprep transformers (pandas, polars, pyarrow or numpy in and out).

    Subclasses set:

    ``_parameter_constraints``
        ``{param: [Constraint, ...]}`` for every ``__init__`` parameter.
    ``_column_kind``
        Which columns ``columns=None`` selects (a key of
        :data:`mlprep.core.COLUMN_KINDS`).
    ``_numeric_input``
        Whether array input must be numeric (``check_array(dtype="numeric")``).
    """

    _parameter_constraints: ClassVar[dict[str, list[Constraint]]] = {}
    _column_kind: ClassVar[str] = "numeric"
    _numeric_input: ClassVar[bool] = True

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        register(cls)

    # ------------------------------------------------------------------ fit
    def fit(self, X: Any, y: Any = None) -> MlprepTransformer:
        """Learn the statistics of the selected columns of ``X``.

        Parameters
        ----------
        X : DataFrame (pandas, polars), pyarrow Table or array-like of shape (n_samples, n_features)
            Training data.
        y : None
            Ignored.

        Returns
        -------
        self
            The fitted transformer.
        """
        frame = self._start_fit(X)
        self._fit(frame, y)
        return self

    def _start_fit(self, X: Any) -> nw.DataFrame:
        """Validate parameters, ingest ``X`` with ``reset=True`` and set ``columns_``."""
        self._validate_params()
        frame, _ = self._ingest(X, reset=True)
        self.columns_ = self._select_columns(frame)
        return frame

    def _validate_params(self) -> None:
        validate_params(
            type(self).__name__,
            self.get_params(deep=False),
            self._parameter_constraints,
        )

    def _select_columns(self, frame: nw.DataFrame) -> list[str]:
        return select_columns(
            frame,
            getattr(self, "columns", None),
            kind=self._column_kind,
            owner=type(self).__name__,
        )

    def _next_batch(self, X: Any, y: Any) -> nw.DataFrame | None:
        """The shared start of ``partial_fit``.

        The first batch is simply fitted (None is returned: nothing is left to
        merge); a later batch is validated against the columns ``fit`` saw and
        returned as a frame for the subclass to merge into its statistics.
        """
        if not hasattr(self, "n_features_in_"):
            self.fit(X, y)
            return None
        self._validate_params()
        frame, _ = self._ingest(X, reset=False)
        return frame

    def _fit(self, frame: nw.DataFrame, y: Any) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    # ------------------------------------------------------------ transform
    def transform(self, X: Any) -> Any:
        """Transform ``X`` with the statistics learned in ``fit``.

        Parameters
        ----------
        X : DataFrame (pandas, polars), pyarrow Table or array-like of shape (n_samples, n_features)
            The data; the columns ``fit`` saw, in the same order.

        Returns
        -------
        X_out : same container as ``X`` (or as ``set_output`` asks)
            Untouched columns pass through; the input is never modified.
        """
        self._check_fitted()
        frame, kind = self._ingest(X, reset=False)
        return self._emit(self._transform(frame), kind)

    def _transform(self, frame: nw.DataFrame) -> nw.DataFrame:  # pragma: no cover
        raise NotImplementedError

    def _emit(self, frame: nw.DataFrame, kind: str) -> Any:
        return from_frame(frame, kind, self._output_format())

    def _check_fitted(self) -> None:
        if not hasattr(self, "n_features_in_"):
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' "
                "with appropriate arguments before using this estimator."
            )

    # --------------------------------------------------------- input checks
    def _ingest(self, X: Any, *, reset: bool) -> tuple[nw.DataFrame, str]:
        """Wrap ``X`` and check (``reset=False``) or record (``reset=True``) its columns."""
        owner = type(self).__name__
        frame, kind = to_frame(X, owner=owner, numeric=self._numeric_input)
        has_names = kind != "numpy"
        if reset:
            self.n_features_in_ = frame.shape[1]
            if has_names:
                self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
            elif hasattr(self, "feature_names_in_"):
                del self.feature_names_in_
            return frame, kind
        fitted_names = getattr(self, "feature_names_in_", None)
        if has_names and fitted_names is None:
            warnings.warn(
                f"X has feature names, but {owner} was fitted without feature names",
                UserWarning,
                stacklevel=3,
            )
        elif has_names and fitted_names is not None:
            self._check_names(list(frame.columns), list(fitted_names))
        elif not has_names and fitted_names is not None:
            warnings.warn(
                f"X does not have valid feature names, but {owner} was fitted with "
                "feature names",
                UserWarning,
                stacklevel=3,
            )
        if frame.shape[1] != self.n_features_in_:
            raise DataError(
                f"X has {frame.shape[1]} features, but {owner} is expecting "
                f"{self.n_features_in_} features as input."
            )
        expected = self._input_names()
        if list(frame.columns) != expected:
            frame = frame.rename(dict(zip(frame.columns, expected)))
        return frame, kind

    @staticmethod
    def _check_names(seen: list[str], fitted: list[str]) -> None:
        if seen == fitted:
            return
        unseen = [n for n in seen if n not in fitted]
        missing = [n for n in fitted if n not in seen]
        message = "The feature names should match those that were passed during fit.\n"
        if unseen:
            message += "Feature names unseen at fit time:\n"
            message += "".join(f"- {n}\n" for n in unseen)
        if missing:
            message += "Feature names seen at fit time, yet now missing:\n"
            message += "".join(f"- {n}\n" for n in missing)
        if not unseen and not missing:
            message += "Feature names must be in the same order as they were in fit.\n"
        raise DataError(message)

    def _input_names(self) -> list[str]:
        names = getattr(self, "feature_names_in_", None)
        if names is not None:
            return [str(n) for n in names]
        return positional_names(self.n_features_in_)

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

    def _output_format(self) -> str:
        chosen = getattr(self, "_sklearn_output_config", {}).get("transform")
        return chosen if chosen is not None else get_config()["transform_output"]

    # ----------------------------------------------------------------- tags
    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags

    def _more_tags(self) -> dict[str, Any]:  # scikit-learn < 1.6
        return {"allow_nan": True}
