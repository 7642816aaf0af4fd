"""Integer codes for categories (label / ordinal encoding)."""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import (
    Boolean,
    ColumnSpec,
    InstanceOf,
    Options,
    Predicate,
    as_float_array,
    factorize_series,
    output_name,
)
from mlprep.encode._state import FirstSeen, Tally
from mlprep.encode._vocabulary import VocabularyEncoder
from mlprep.exceptions import DataError
from mlprep.state import CountsState

__all__ = ["OrdinalEncoder"]


def _is_order_mapping(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and len(value) > 0
        and all(isinstance(k, str) for k in value)
        and all(isinstance(v, (list, tuple)) and len(v) > 0 for v in value.values())
    )


class OrdinalEncoder(VocabularyEncoder):
    """Replace each category by an integer code: label encoding and ordinal data.

    Suits tree models (one column, any number of categories) and ordinal
    data whose order matters (shirt sizes S < M < L), given with ``order=``.

    Parameters
    ----------
    order : {"appearance", "lexical", "frequency"} or dict, default="appearance"
        How codes 0, 1, 2, ... are assigned: by first appearance in ``fit``
        (``["White", "Black", "Red"]`` gives 0, 1, 2), by sorted value (as
        scikit-learn's ``OrdinalEncoder``), by descending count (ties by first
        appearance), or explicitly: ``{"size": ["S", "M", "L"]}``. With a
        dict and ``columns=None`` the dict's keys are the encoded columns.
    unknown_value : int or float, default=-1
        The code of categories not seen in ``fit`` (or absent from an
        explicit order).
    encoded_missing_value : int or float, default=-2
        The code of missing values (NaN, None, null) when ``fit`` saw some;
        a missing value ``fit`` never saw is unknown. ``np.nan`` keeps
        missing values missing (as scikit-learn's default).
    handle_unknown : {"ignore", "error"}, default="ignore"
        ``"ignore"`` encodes unknown categories as ``unknown_value``;
        ``"error"`` raises (in ``fit`` too, for values an explicit order
        does not list).
    handle_missing : {"value", "error"}, default="value"
        ``"error"`` refuses missing values in ``fit`` and ``transform``.
    {columns}
        Integer and float columns are encoded when named. With a dict
        ``order`` and ``columns=None``, the dict's keys are the columns.
    {drop_original}

    Attributes
    ----------
    categories_ : dict
        Column name to its categories in code order (None, last, is missing).
    counts_ : dict
        Column name to the count of each category in ``fit`` (0 for
        categories of an explicit order absent from the data).
    columns_ : list of str
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Notes
    -----
    The output is integer (Int64) when both codes for unknown and missing
    values are integers, float64 otherwise. ``inverse_transform`` matches a
    frame's columns to transform's output by name, in any order (a missing
    or unexpected column is an error naming it); an array's by position.
    Unknown and missing codes decode to None.

    Categories are told apart by Python equality: ``True``, ``1`` and
    ``1.0`` in one object column are one category (as in scikit-learn's
    encoders), shown as the value that appears first; ``0.0`` and ``-0.0``
    are one category too.

    {category_batches}

    With ``order="appearance"`` (or ``"frequency"``, for its ties), first
    appearance across ``partial_fit`` batches is the order of the batches; shards merged with :func:`mlprep.merge` (or Spark partitions)
    have no common row order, so their new categories interleave by batch
    number, then position in the batch, then value, whatever the merge order.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.encode import OrdinalEncoder
    >>> X = pd.DataFrame({"Color": ["White", "Black", "Red"], "size": ["M", "S", "L"]})
    >>> OrdinalEncoder(columns="Color").fit_transform(X)
       Color size
    0      0    M
    1      1    S
    2      2    L
    >>> enc = OrdinalEncoder(order={"size": ["S", "M", "L"]}).fit(X)
    >>> enc.transform(pd.DataFrame({"Color": ["Red"] * 2, "size": ["L", "XL"]}))
      Color  size
    0   Red     2
    1   Red    -1
    """

    _kept_suffix: ClassVar[str] = "ordinal"
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "order": [
            Options("appearance", "lexical", "frequency"),
            Predicate(
                _is_order_mapping,
                "a dict of column name to a non-empty list of categories",
            ),
        ],
        "unknown_value": [InstanceOf((Integral, Real), "an int or a float")],
        "encoded_missing_value": [InstanceOf((Integral, Real), "an int or a float")],
        "handle_unknown": [Options("ignore", "error")],
        "handle_missing": [Options("value", "error")],
        "columns": [ColumnSpec],
        "drop_original": [Boolean],
    }

    def __init__(
        self,
        *,
        order: str | dict[str, list[Any]] = "appearance",
        unknown_value: float = -1,
        encoded_missing_value: float = -2,
        handle_unknown: str = "ignore",
        handle_missing: str = "value",
        columns: Any = None,
        drop_original: bool = True,
    ) -> None:
        self.order = order
        self.unknown_value = unknown_value
        self.encoded_missing_value = encoded_missing_value
        self.handle_unknown = handle_unknown
        self.handle_missing = handle_missing
        self.columns = columns
        self.drop_original = drop_original

    # --------------------------------------------------------------- fitting
    def _default_columns(self) -> list[str] | None:
        """With an explicit ``order`` dict, its keys (absent ones are an error)."""
        return list(self.order) if isinstance(self.order, dict) else None

    def _category_order(self) -> str:
        return self.order if isinstance(self.order, str) else "lexical"

    def _check_explicit(self) -> dict[str, list[Any]]:
        """The explicit ``order`` dict, refused when it misses a selected column."""
        assert isinstance(self.order, dict)
        unordered = [name for name in self.columns_ if name not in self.order]
        if unordered:
            raise DataError(
                f"OrdinalEncoder got an explicit order= but none for column(s) "
                f"{unordered}. Add them to the order dict or leave them out of columns=."
            )
        return self.order

    def _explicit(self, column: str) -> list[Any]:
        """The explicit order of ``column``, refused when it lists a category twice."""
        explicit = list(self._check_explicit()[column])
        if len(set(map(repr, explicit))) != len(explicit):
            raise DataError(
                f"order= lists a category of column {column!r} twice: {explicit}."
            )
        return explicit

    def _refuse_stray(
        self, column: str, uniques: list[Any], position: dict[Any, int]
    ) -> None:
        stray = [u for u in uniques if u not in position]
        if stray and self.handle_unknown == "error":
            raise DataError(
                f"Column {column!r} has values {stray[:5]} that its explicit order "
                f"{list(position)} does not list, and handle_unknown='error'. Add "
                "them to the order or use handle_unknown='ignore'."
            )

    def _fit_codes(self, frame: nw.DataFrame, y: Any) -> dict[str, np.ndarray]:
        if not isinstance(self.order, dict):
            learned = self._learn_categories(frame, order=self.order)
            self._check_names()
            return learned
        self._check_explicit()
        self.categories_, self.counts_ = {}, {}
        fitted: dict[str, np.ndarray] = {}
        for column in self.columns_:
            explicit = self._explicit(column)
            codes, uniques = factorize_series(frame[column])
            n_missing = int((codes < 0).sum())
            self._refuse_missing(column, n_missing, "fit")
            counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
            by_value = dict(zip(uniques, counts.tolist()))
            position = {value: i for i, value in enumerate(explicit)}
            self._refuse_stray(column, uniques, position)
            self.categories_[column] = explicit + ([None] if n_missing else [])
            self.counts_[column] = [int(by_value.get(v, 0)) for v in explicit] + (
                [n_missing] if n_missing else []
            )
            lut = np.fromiter(
                (position.get(u, -1) for u in uniques),
                dtype=np.int64,
                count=len(uniques),
            )
            fitted[column] = np.append(lut, len(explicit))[codes]  # missing: last
        self._check_names()
        return fitted

    def _categories_learned(self, n_samples: int) -> None:
        self._check_names()

    # ------------------------------------------------------ mergeable state
    def _new_state(self) -> dict[str, Any]:
        if isinstance(self.order, dict):
            self._check_explicit()
            for column in self.columns_:
                self._explicit(column)
        return super()._new_state()

    def _tally(self, frame: nw.DataFrame, column: str) -> Tally:
        """With an explicit order, only the listed values are counted (strays refused or unknown)."""
        values, counts, n_missing = super()._tally(frame, column)
        if not isinstance(self.order, dict):
            return values, counts, n_missing
        position = {value: i for i, value in enumerate(self.order[column])}
        self._refuse_stray(column, values, position)
        listed = [i for i, value in enumerate(values) if value in position]
        return [values[i] for i in listed], counts[listed], n_missing

    def _state_categories(
        self, column: str, counts: CountsState, seen: FirstSeen | None
    ) -> tuple[list[Any], list[int]]:
        if not isinstance(self.order, dict):
            return super()._state_categories(column, counts, seen)
        explicit = list(self.order[column])
        table = counts.counts
        totals = [int(table.get(value, 0)) for value in explicit]
        if counts.missing:
            return [*explicit, None], [*totals, counts.missing]
        return explicit, totals

    # ------------------------------------------------------------- transform
    def _integer_output(self) -> bool:
        return all(
            isinstance(v, Integral) or (isinstance(v, float) and v.is_integer())
            for v in (self.unknown_value, self.encoded_missing_value)
        )

    def _names_for(self, column: str, label: str) -> list[str]:
        return [label]

    def _lut(self, column: str) -> np.ndarray:
        categories = self.categories_[column]
        lut = np.arange(len(categories) + 1, dtype=np.float64)
        if categories and categories[-1] is None:
            lut[len(categories) - 1] = self.encoded_missing_value
        lut[-1] = self.unknown_value  # code -1 (unknown) reads the last slot
        return lut

    def _encode(self, column: str, codes: np.ndarray) -> np.ndarray:
        values = self._lut(column)[codes]
        if self._integer_output():
            values = values.astype(np.int64)
        return values.reshape(-1, 1)

    def _ingest_output(self, X: Any) -> tuple[nw.DataFrame, str]:
        """The codes given back to ``inverse_transform``, matched to transform's output by name.

        A frame may hold the columns in any order (each decodes with its own
        categories, and keeps its place); a missing or unexpected column is
        an error that names it. A numpy array has no names: its columns are
        taken in the order ``transform`` produced them.
        """
        owner = type(self).__name__
        names = [str(n) for n in self.get_feature_names_out()]
        frame, kind = self._wrap(X)
        seen = [str(n) for n in frame.columns]
        if kind == "numpy":
            if len(seen) != len(names):
                raise DataError(
                    f"inverse_transform of {owner} got an array with "
                    f"{len(seen)} columns, but transform produced {len(names)}: "
                    f"{names[:10]}. Pass transform's output (a DataFrame keeps the "
                    "names, so its columns may come in any order)."
                )
            return frame.rename(dict(zip(frame.columns, names))), kind
        missing = [name for name in names if name not in seen]
        if missing:
            raise DataError(
                f"inverse_transform of {owner}: column(s) {missing} that "
                f"transform produced are missing from X (its columns: {seen[:20]}). "
                "Pass every column of transform's output; their order does not "
                "matter."
            )
        unexpected = [name for name in seen if name not in names]
        if unexpected:
            raise DataError(
                f"inverse_transform of {owner}: column(s) {unexpected} of X "
                f"are not among the columns transform produced ({names[:20]}). "
                "Drop them or rename them to transform's output names."
            )
        return frame, kind

    def _inverse_transform(self, frame: nw.DataFrame) -> nw.DataFrame:
        """Map codes back to categories; unknown and missing codes become None.

        With ``drop_original=False`` the codes (``{col}_ordinal``) replace the
        kept source column, and the code columns leave the output.
        """
        owner = type(self).__name__
        backend = nw.get_native_namespace(frame)
        restored = []
        coded = {
            column: column
            if self.drop_original
            else output_name(column, self._kept_suffix)
            for column in self.columns_
        }
        for column in self.columns_:
            categories = self.categories_[column]
            codes = as_float_array(frame[coded[column]], owner=owner)
            lookup = np.empty(len(categories) + 1, dtype=object)
            lookup[: len(categories)] = categories
            lookup[-1] = None
            index = np.full(codes.shape, -1, dtype=np.int64)
            valid = (
                np.isfinite(codes)
                & (codes >= 0)
                & (codes < len(categories))
                & (codes == np.round(codes))
            )
            index[valid] = codes[valid].astype(np.int64)
            restored.append(
                nw.new_series(column, lookup[index].tolist(), backend=backend)
            )
        out = frame.with_columns(*restored)
        return out if self.drop_original else out.drop(list(coded.values()))
