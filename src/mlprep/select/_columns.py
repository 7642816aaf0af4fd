"""Drop the columns you name."""

from __future__ import annotations

from typing import Any, ClassVar

import narwhals.stable.v2 as nw

from mlprep.core import ColumnSpec, Predicate
from mlprep.select._base import ColumnDropper

__all__ = ["DropColumns"]


def _names_columns(value: Any) -> bool:
    return value is not None and ColumnSpec.is_satisfied_by(value)


class DropColumns(ColumnDropper):
    """Drop the named columns and pass every other column through.

    Use it in a pipeline to remove identifiers, leaky columns or raw columns
    you have already encoded, so that the same columns go at fit and at
    transform time. It learns nothing from the data but the column names:
    ``partial_fit`` exists and merges trivially (its state is empty).

    Parameters
    ----------
    {columns}

    Attributes
    ----------
    columns_ : list of str
        The columns named by ``columns``.
    dropped_ : list of str
        The dropped columns, in input order (the same as ``columns_``, reordered).
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    See Also
    --------
    DropConstantFeatures, DropDuplicateFeatures, DropCorrelatedFeatures :
        drop columns chosen from the data.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.select import DropColumns
    >>> X = pd.DataFrame({"id": [1, 2], "a": [0.5, 1.5], "b": ["x", "y"]})
    >>> dropper = DropColumns(["id"]).fit(X)
    >>> list(dropper.transform(X).columns), dropper.dropped_
    (['a', 'b'], ['id'])
    >>> print(dropper.summary())
    DropColumns: dropped 1 of 3 columns
      - id: named in columns=
    kept: ['a', 'b']
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "columns": [
            Predicate(
                _names_columns,
                "a column name or a non-empty list of column names or positions "
                "(DropColumns needs the columns to drop)",
            )
        ],
    }

    def __init__(self, columns: Any = None) -> None:
        self.columns = columns

    @classmethod
    def _columns_doc(cls) -> str:
        return (
            "columns : str, int or list of str or int\n"
            "    The columns to drop (names, or positions for arrays); required: the\n"
            "    default None (kept for scikit-learn's default construction) is refused\n"
            "    by ``fit``. A name the data does not have is a DataError that names it."
        )

    def _new_state(self) -> dict[str, Any]:
        return {}

    def _update_state(
        self, state: dict[str, Any], frame: nw.DataFrame, y: Any
    ) -> dict[str, Any]:
        return state

    def _finish_state(self, state: dict[str, Any]) -> None:
        self._set_dropped(self.columns_)

    def _all_dropped_hint(self) -> str:
        return "Name fewer columns in columns=."

    def _reasons(self) -> dict[str, str]:
        return dict.fromkeys(self.dropped_, "named in columns=")
