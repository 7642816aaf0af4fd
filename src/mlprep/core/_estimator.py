"""What every mlprep estimator shares: registration, parameters, input, tags.

:class:`MlprepEstimator` is the common root of transformers
(:class:`~mlprep.core.MlprepTransformer`) and resamplers
(:class:`~mlprep.core.resample.MlprepResampler`). It owns, once:

* registration for :func:`mlprep.save` / :func:`mlprep.load`, and the check
  of a loaded fitted state (``_check_loaded_state``);
* parameter validation against ``_parameter_constraints``;
* **ingest**: wrapping the caller's data as a narwhals frame, recording
  ``n_features_in_`` / ``feature_names_in_`` when fitting and checking them
  afterwards, with scikit-learn's messages;
* **one tag table** (``_tags``), translated for both scikit-learn tag APIs
  (``__sklearn_tags__`` from 1.6, ``_more_tags`` before).
"""

from __future__ import annotations

import warnings
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np
from sklearn.base import BaseEstimator

from mlprep.core._docs import columns_paragraph, fill_columns_doc, fill_doc
from mlprep.core._frame import positional_names, to_frame
from mlprep.core._persist_check import check_fitted_state
from mlprep.core._registry import register
from mlprep.core._validation import Constraint, check_param_names, validate_params
from mlprep.exceptions import DataError, NotFittedError

__all__ = ["SKLEARN_TAGS", "TAGS", "MlprepEstimator", "apply_tags", "legacy_tags"]

TAGS: dict[str, str] = {
    "allow_nan": "NaN and None are accepted in X (input_tags.allow_nan)",
    "string": "string columns are accepted in X (input_tags.string)",
    "categorical": "categorical columns are accepted in X (input_tags.categorical)",
    "two_d_array": "X may be a 2-D array (input_tags.two_d_array)",
    "positive_only": "X must be > 0 (input_tags.positive_only)",
    "requires_y": "fit needs y (target_tags.required)",
    "preserves_dtype": "float dtypes kept by transform (transformer_tags.preserves_dtype)",
}
"""The tags an mlprep class may declare in ``_tags``, and what each means.

A value is either the tag's value or a callable taking the estimator (for
tags that depend on parameters, e.g. ``positive_only`` of Box-Cox).
"""

SKLEARN_TAGS = hasattr(BaseEstimator, "__sklearn_tags__")
"""Whether this scikit-learn has the ``__sklearn_tags__`` API (1.6 and later)."""

_DEFAULT_TAGS: dict[str, Any] = {
    "allow_nan": True,
    "string": False,
    "categorical": False,
    "two_d_array": True,
    "positive_only": False,
    "requires_y": False,
    "preserves_dtype": ["float64"],
}


class MlprepEstimator(BaseEstimator):
    """Common root of mlprep transformers and resamplers.

    Subclasses declare:

    ``_parameter_constraints``
        ``{param: [Constraint, ...]}`` for every ``__init__`` parameter.
    ``_numeric_input``
        Whether array input must be numeric (``check_array(dtype="numeric")``).
    ``_column_kind``
        The kind of column ``columns=None`` selects (a key of
        :data:`~mlprep.core.COLUMN_KINDS`); a docstring line ``{columns}``
        becomes the shared paragraph describing it.
    ``_tags``
        Entries of :data:`TAGS` that differ from the parent's; merged along
        the class hierarchy.
    """

    _abstract = True
    _parameter_constraints: ClassVar[dict[str, list[Constraint]]] = {}
    _numeric_input: ClassVar[bool] = True
    _column_kind: ClassVar[str] = "numeric"
    _tags: ClassVar[dict[str, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        unknown = set(cls.__dict__.get("_tags", {})) - set(TAGS)
        if unknown:
            raise TypeError(f"{cls.__name__} declares unknown tags {sorted(unknown)}")
        cls.__doc__ = fill_doc(
            fill_columns_doc(cls.__doc__, cls._columns_doc()), cls._doc_paragraphs()
        )
        register(cls)

    @classmethod
    def _doc_paragraphs(cls) -> dict[str, str]:
        """Paragraphs a family shares, by marker name (``{name}`` lines in docstrings)."""
        return {}

    @classmethod
    def _columns_doc(cls) -> str:
        """The ``columns`` parameter's paragraph, worded from the class's declarations."""
        return columns_paragraph(cls._column_kind)

    # ----------------------------------------------------------- parameters
    def set_params(self, **params: Any) -> Any:
        """Set parameters (scikit-learn's ``set_params``); validated at the next ``fit``.

        An unknown name raises :class:`~mlprep.exceptions.InvalidParameterError`
        naming it, the class and the valid names.

        Parameters
        ----------
        **params
            Parameter names and their new values.

        Returns
        -------
        self

        Examples
        --------
        >>> from mlprep.scale import StandardScaler
        >>> StandardScaler().set_params(with_mean=False).with_mean
        False
        >>> StandardScaler().set_params(with_maen=False)
        Traceback (most recent call last):
        ...
        mlprep.exceptions.InvalidParameterError: StandardScaler has no parameter 'with_maen'; did you mean 'with_mean'? Valid parameters are: ['columns', 'with_mean', 'with_std'].
        """
        check_param_names(
            type(self).__name__, params, list(self.get_params(deep=False))
        )
        return super().set_params(**params)

    def _validate_params(self) -> None:
        validate_params(
            type(self).__name__,
            self.get_params(deep=False),
            self._parameter_constraints,
        )

    # ---------------------------------------------------------------- input
    def _prepare_input(self, X: Any) -> Any:
        """Turn an input form the class accepts beyond frames/arrays into one of those.

        The default accepts frames and 2-D arrays only; the text vectorizers
        also take a list of documents or a Series.
        """
        return X

    def _wrap(self, X: Any) -> tuple[nw.DataFrame, str]:
        """``X`` as a narwhals frame and its container family, without column checks."""
        return to_frame(
            self._prepare_input(X),
            owner=type(self).__name__,
            numeric=self._numeric_input,
        )

    def _ingest(self, X: Any, *, reset: bool) -> tuple[nw.DataFrame, str]:
        """Wrap ``X``; record (``reset=True``) or check (``reset=False``) its columns.

        Returns the frame (columns renamed to the fitted names when the input
        is an array) and the caller's container family.
        """
        owner = type(self).__name__
        frame, kind = self._wrap(X)
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
                stacklevel=4,
            )
        elif has_names and fitted_names is not None:
            _check_names(list(frame.columns), [str(n) for n in fitted_names])
        elif not has_names and fitted_names is not None:
            warnings.warn(
                f"X does not have valid feature names, but {owner} was fitted with "
                "feature names",
                UserWarning,
                stacklevel=4,
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

    def _input_names(self) -> list[str]:
        """The fitted input column names (``x0, x1, ...`` for arrays)."""
        names = getattr(self, "feature_names_in_", None)
        if names is not None:
            return [str(n) for n in names]
        return positional_names(self.n_features_in_)

    def _is_fitted(self) -> bool:
        return hasattr(self, "n_features_in_")

    def _check_fitted(self) -> None:
        if not self._is_fitted():
            raise NotFittedError(
                f"This {type(self).__name__} instance is not fitted yet. Call 'fit' "
                "with appropriate arguments before using this estimator."
            )

    def _check_loaded_state(self) -> None:
        """Check the fitted attributes :func:`mlprep.load` restored; raise if unsound.

        Runs once after loading, before the object is returned. The default
        is the generic check (:func:`mlprep.core._persist_check.check_fitted_state`:
        types of the ingest attributes, counts, dicts keyed by exactly
        ``columns_``). A class whose state has more structure extends it
        (``super()._check_loaded_state()`` first) and raises
        :class:`~mlprep.exceptions.PersistenceError` naming the attribute.

        Examples
        --------
        >>> import numpy as np
        >>> from mlprep.scale import StandardScaler
        >>> scaler = StandardScaler().fit(np.array([[1.0], [3.0]]))
        >>> scaler._check_loaded_state()  # sound: nothing happens
        >>> scaler.mean_ = {"x0": "2.0"}
        >>> scaler._check_loaded_state()
        Traceback (most recent call last):
        ...
        mlprep.exceptions.PersistenceError: StandardScaler.mean_['x0'] holds '2.0', not a number (the columns are numeric). The file was edited or damaged; refit and save the object again.
        """
        check_fitted_state(self)

    # ----------------------------------------------------------------- tags
    def _tag_values(self) -> dict[str, Any]:
        """The resolved tag table: defaults, then each class's ``_tags`` from the root down."""
        table = dict(_DEFAULT_TAGS)
        for cls in reversed(type(self).__mro__):
            declared: dict[str, Any] = cls.__dict__.get("_tags", {})
            table.update(declared)
        return {
            name: value(self) if callable(value) else value
            for name, value in table.items()
        }

    if SKLEARN_TAGS:  # scikit-learn >= 1.6; before, only _more_tags exists

        def __sklearn_tags__(self) -> Any:
            return apply_tags(super().__sklearn_tags__(), self._tag_values())

    def _more_tags(self) -> dict[str, Any]:  # scikit-learn < 1.6
        return legacy_tags(self._tag_values())


def apply_tags(tags: Any, table: dict[str, Any]) -> Any:
    """Write a resolved tag table into scikit-learn's ``Tags`` (1.6 and later)."""
    tags.input_tags.allow_nan = table["allow_nan"]
    tags.input_tags.string = table["string"]
    tags.input_tags.categorical = table["categorical"]
    tags.input_tags.two_d_array = table["two_d_array"]
    tags.input_tags.positive_only = table["positive_only"]
    if tags.target_tags is not None:
        tags.target_tags.required = table["requires_y"]
    if tags.transformer_tags is not None:
        tags.transformer_tags.preserves_dtype = list(table["preserves_dtype"])
    return tags


def legacy_tags(table: dict[str, Any]) -> dict[str, Any]:
    """A resolved tag table as scikit-learn < 1.6's ``_more_tags`` dictionary."""
    x_types = ["2darray"] if table["two_d_array"] else []
    x_types += [kind for kind in ("string", "categorical") if table[kind]]
    return {
        "allow_nan": table["allow_nan"],
        "X_types": x_types or ["string"],
        "requires_positive_X": table["positive_only"],
        "requires_y": table["requires_y"],
        "preserves_dtype": list(table["preserves_dtype"]),
    }


def _check_names(seen: list[str], fitted: list[str]) -> None:
    """scikit-learn's message for columns that differ from the fitted ones."""
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
