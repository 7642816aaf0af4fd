"""Drop columns that repeat an earlier column."""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import (
    ColumnSpec,
    as_float_array,
    hash_array,
    missing_mask,
    series_values,
)
from mlprep.select._base import ColumnDropper

__all__ = ["DropDuplicateFeatures"]

_MISSING = "\x00<missing>"


def _canonical(series: nw.Series, owner: str) -> np.ndarray:
    """The column's values in a comparable form: float64 with NaN, or str with a marker."""
    dtype = series.dtype
    if dtype.is_numeric() or dtype == nw.Boolean:
        return as_float_array(series, owner=owner)
    values = series_values(series)
    missing = missing_mask(values)
    text = np.asarray(values, dtype=object).astype(str)
    return np.where(missing, _MISSING, text)


def _digest(values: np.ndarray) -> bytes:
    return hashlib.blake2b(hash_array(values).tobytes(), digest_size=16).digest()


class DropDuplicateFeatures(ColumnDropper):
    """Drop every column whose values repeat an earlier column's (keep the first).

    Two columns are duplicates when they have the same dtype and the same
    value in every row, missing values in the same rows. Of each group of
    duplicates the first in column order is kept and the others dropped (the
    keep-first rule), so reordering the columns can change *which* column of
    a group survives but not how many are dropped. The columns are hashed
    (one 128-bit digest per column) into candidate groups and equality is
    then confirmed value by value, so a hash collision never drops a column.
    The result is feature-engine's ``DropDuplicateFeatures`` (tested),
    except that columns of different dtypes are never duplicates here
    (``int64`` ``[1, 2]`` and ``float64`` ``[1.0, 2.0]``): feature-engine's
    answer for them depends on which other columns the frame has.

    Comparing whole columns needs all rows at once, so there is no
    ``partial_fit``: fit the whole training data.

    Parameters
    ----------
    {columns}

    Attributes
    ----------
    columns_ : list of str
        The columns compared.
    dropped_ : list of str
        The dropped columns, in input order.
    duplicate_of_ : dict
        Dropped column name to the kept column it repeats.
    duplicated_feature_sets_ : list of list of str
        Each group of identical columns (two or more), kept column first.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    See Also
    --------
    feature_engine.selection.DropDuplicateFeatures : the pandas original.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.select import DropDuplicateFeatures
    >>> X = pd.DataFrame({"a": [1.0, 2.0, None], "b": [1.0, 2.0, None], "c": [1.0, 2.0, 3.0]})
    >>> selector = DropDuplicateFeatures().fit(X)
    >>> selector.dropped_, selector.duplicate_of_
    (['b'], {'b': 'a'})
    >>> print(selector.summary())
    DropDuplicateFeatures: dropped 1 of 3 columns
      - b: duplicate of 'a'
    kept: ['a', 'c']
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "columns": [ColumnSpec],
    }

    def __init__(self, *, columns: Any = None) -> None:
        self.columns = columns

    def _supports_partial_fit(self) -> bool:
        return False

    def _partial_fit_refusal(self) -> str:
        return (
            "finding identical columns compares whole columns, which do not merge "
            "from per-batch summaries; fit the whole training data instead."
        )

    def _fit(self, frame: nw.DataFrame, y: Any, **fit_params: Any) -> None:
        owner = type(self).__name__
        groups: dict[tuple[str, bytes], list[tuple[str, np.ndarray]]] = {}
        self.duplicate_of_: dict[str, str] = {}
        sets: dict[str, list[str]] = {}
        for name in self.columns_:
            series = frame[name]
            values = _canonical(series, owner)
            key = (str(series.dtype), _digest(values))
            candidates = groups.setdefault(key, [])
            for kept, kept_values in candidates:
                if np.array_equal(
                    kept_values, values, equal_nan=values.dtype.kind == "f"
                ):
                    self.duplicate_of_[name] = kept
                    sets[kept].append(name)
                    break
            else:
                candidates.append((name, values))
                sets[name] = [name]
        self.duplicated_feature_sets_ = [
            members for members in sets.values() if len(members) > 1
        ]
        self._set_dropped(list(self.duplicate_of_))

    def _reasons(self) -> dict[str, str]:
        return {
            name: f"duplicate of {self.duplicate_of_[name]!r}" for name in self.dropped_
        }
