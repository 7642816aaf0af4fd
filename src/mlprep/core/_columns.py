"""Resolve a ``columns=`` argument into the list of column names to work on."""

from __future__ import annotations

from collections.abc import Callable
from numbers import Integral
from typing import Any

import narwhals.stable.v2 as nw

from mlprep.exceptions import DataError

__all__ = ["COLUMN_KINDS", "select_columns"]


def _is_numeric(dtype: Any) -> bool:
    return bool(dtype.is_numeric())


def _is_categorical(dtype: Any) -> bool:
    return dtype in (nw.String, nw.Categorical, nw.Enum, nw.Boolean) or isinstance(
        dtype, (nw.String, nw.Categorical, nw.Enum, nw.Boolean, nw.Object)
    )


def _is_temporal(dtype: Any) -> bool:
    return dtype in (nw.Datetime, nw.Date) or isinstance(dtype, (nw.Datetime, nw.Date))


def _is_text(dtype: Any) -> bool:
    return dtype == nw.String or isinstance(dtype, nw.Object)


COLUMN_KINDS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "numeric": ("numeric", _is_numeric),
    "categorical": ("string, categorical or boolean", _is_categorical),
    "temporal": ("datetime or date", _is_temporal),
    "text": ("string", _is_text),
    "any": ("any", lambda dtype: True),
}
"""Column kinds a transformer may work on: ``kind -> (words, dtype predicate)``.

``columns=None`` selects every column whose dtype satisfies the predicate.
"""


def select_columns(
    frame: nw.DataFrame,
    columns: Any,
    *,
    kind: str,
    owner: str,
    allowed: Callable[[Any], bool] | None = None,
) -> list[str]:
    """The column names ``columns`` designates in ``frame``, in frame order.

    Parameters
    ----------
    frame : narwhals.DataFrame
    columns : str, int, list of str or int, or None
        Names, positions, or None for every column of ``kind``.
    kind : str
        A key of :data:`COLUMN_KINDS`.
    owner : str
        The calling class, for messages.
    allowed : callable, optional
        Dtype predicate for explicitly named columns; defaults to the kind's.

    Raises
    ------
    DataError
        A named column is absent, has a dtype the transformer cannot use, or
        ``columns=None`` finds no column of the kind.
    """
    words, predicate = COLUMN_KINDS[kind]
    schema = frame.schema
    names = list(schema)
    if columns is None:
        everything = [name for name in names if predicate(schema[name])]
        if not everything:
            raise DataError(
                f"{owner} found no {words} columns in the data (columns: {names}). "
                "Name the columns to use with columns=."
            )
        return everything
    requested: list[Any] = (
        [columns] if isinstance(columns, (str, Integral)) else list(columns)
    )
    chosen: list[str] = []
    for item in requested:
        if isinstance(item, Integral) and not isinstance(item, bool):
            item = int(item)
            if not -len(names) <= item < len(names):
                raise DataError(
                    f"Column position {item} given in columns= is out of range for "
                    f"data with {len(names)} columns."
                )
            name = names[item]
        elif isinstance(item, str) and item in schema:
            name = item
        else:
            raise DataError(
                f"Column {item!r} given in columns= is not in the data. "
                f"Available columns: {names}."
            )
        if name in chosen:
            raise DataError(f"Column {name!r} is given twice in columns=.")
        chosen.append(name)
    check = allowed or predicate
    for name in chosen:
        if not check(schema[name]):
            raise DataError(
                f"{owner} needs {words} columns, but column {name!r} has dtype "
                f"{schema[name]}. Convert it first or leave it out of columns=."
            )
    return [name for name in names if name in chosen]
