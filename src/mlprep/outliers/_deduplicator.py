"""Drop duplicate rows, keeping ``y`` aligned."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import ColumnSpec, Options, select_columns
from mlprep.core.resample import MlprepResampler
from mlprep.exceptions import DataError

__all__ = ["Deduplicator"]

_ROW = "__mlprep_row__"
_KEEP: dict[str | bool, Literal["first", "last", "none"]] = {
    "first": "first",
    "last": "last",
    False: "none",
}


class Deduplicator(MlprepResampler):
    """Remove duplicate rows, a resampler for ``imblearn.pipeline.Pipeline``.

    Duplicated rows over-weight some examples in training and, when copies
    land on both sides of a split, leak test rows into training: remove them
    before splitting. ``y`` loses the same rows as ``X``.

    Parameters
    ----------
    subset : str, int, list or None, default=None
        The columns that decide whether two rows are duplicates; None means
        every column (exact duplicate rows). All columns are returned.
    keep : {"first", "last", False}, default="first"
        Which copy of a duplicated row stays: the first, the last, or none
        (False drops every copy, as in pandas).

    Attributes
    ----------
    subset_ : list of str
        The columns compared.
    n_removed_ : int
        How many rows the last ``fit_resample`` dropped.
    removed_indices_ : ndarray of int64
        Their positions in its input; :meth:`get_mask` gives the boolean mask.
    n_samples_seen_ : int
        The number of rows of that input.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Defined when ``X`` has column names.

    Notes
    -----
    Missing values are equal to each other here (NaN, None and null alike),
    as in pandas ``duplicated`` and polars ``unique``: two rows that differ
    only by both missing the same cell are duplicates. Only ``X`` is compared;
    when copies of a row carry different targets, the kept copy's target
    stays. Rows keep their original order.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.outliers import Deduplicator
    >>> X = pd.DataFrame({"id": [1, 2, 2, 3], "v": [0.5, 1.0, 1.0, 2.0]})
    >>> y = pd.Series([0, 1, 1, 0])
    >>> dedup = Deduplicator()
    >>> X_kept, y_kept = dedup.fit_resample(X, y)
    >>> X_kept
       id    v
    0   1  0.5
    1   2  1.0
    3   3  2.0
    >>> dedup.n_removed_, y_kept.tolist()
    (1, [0, 1, 0])
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "subset": [ColumnSpec],
        "keep": [Options("first", "last", False)],
    }
    _numeric_input = False

    def __init__(self, *, subset: Any = None, keep: str | bool = "first") -> None:
        self.subset = subset
        self.keep = keep

    def _keep_mask(self, frame: nw.DataFrame, y: Any) -> np.ndarray:
        owner = type(self).__name__
        self.subset_ = select_columns(frame, self.subset, kind="any", owner=owner)
        indexed = frame.select(*self.subset_).with_row_index(_ROW, order_by=None)
        try:
            kept = indexed.unique(
                self.subset_, keep=_KEEP[self.keep], maintain_order=True
            )
        except TypeError as exc:  # pandas hashes object cells: dicts, lists, arrays
            unhashable = _first_unhashable(frame, self.subset_)
            if unhashable is None:
                raise
            name, kind = unhashable
            raise DataError(
                f"{owner} cannot compare column {name!r}: it holds {kind} values, "
                "which cannot be hashed. Convert them to a hashable form first "
                "(e.g. json.dumps(value, sort_keys=True), or tuple for lists), or "
                "leave the column out of subset=."
            ) from exc
        mask = np.zeros(frame.shape[0], dtype=bool)
        mask[kept[_ROW].to_numpy().astype(np.intp)] = True
        return mask


def _first_unhashable(frame: nw.DataFrame, subset: list[str]) -> tuple[str, str] | None:
    """The first object column of ``subset`` with an unhashable value, and its type."""
    for name in subset:
        if frame.schema[name] != nw.Object:
            continue
        for value in frame[name].to_list():
            try:
                hash(value)
            except TypeError:
                return name, type(value).__name__
    return None
