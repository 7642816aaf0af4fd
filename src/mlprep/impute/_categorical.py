"""Filling categorical columns: the fill value joins the categories, the dtype stays.

pandas refuses to write a value that is not one of a ``Categorical``'s
categories ("Cannot setitem on a Categorical with a new category"), and a
polars ``Enum`` silently leaves such gaps null. ``Imputer`` adds the fill
value as the last category instead, on every backend alike (pandas
``Categorical``, ordered or not; polars ``Categorical`` and ``Enum``; Arrow
dictionaries), so a categorical column comes out categorical with no gap.
scikit-learn's ``SimpleImputer`` with pandas output fills the same value but
returns the column as plain strings.

The fill value must be of the categories' kind: text for text categories,
a number for numeric ones (a :class:`~mlprep.exceptions.DataError` names
the column otherwise, where the backends raise their own errors).
"""

from __future__ import annotations

from numbers import Real
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
from narwhals.dependencies import is_pandas_like_series

from mlprep.core import factorize_series
from mlprep.exceptions import DataError

__all__ = [
    "categorical_fill_value",
    "category_kind",
    "fill_categorical",
    "is_categorical",
]


def is_categorical(dtype: Any) -> bool:
    """Whether a narwhals dtype is categorical (``Categorical`` or ``Enum``).

    Examples
    --------
    >>> is_categorical(nw.Categorical), is_categorical(nw.Enum(["a"])), is_categorical(nw.String)
    (True, True, False)
    """
    return bool(dtype == nw.Categorical or dtype == nw.Enum)


def category_kind(series: nw.Series) -> str:
    """``"text"`` or ``"numeric"``: what the categories of ``series`` are (else ``"other"``).

    Examples
    --------
    >>> import pandas as pd
    >>> column = nw.from_native(pd.Series(pd.Categorical([1, None])), series_only=True)
    >>> category_kind(column)
    'numeric'
    """
    try:
        categories = series.cat.get_categories()
    except AttributeError:  # pandas' Arrow dictionaries have no .cat: the values
        _, values = factorize_series(series)
        if values and all(isinstance(v, str) for v in values):
            return "text"
        if values and all(_is_number(v) for v in values):
            return "numeric"
        return "other"
    if len(categories) == 0:  # no category yet: any value can be the first
        return "other"
    dtype = categories.dtype
    if dtype == nw.String:
        return "text"
    return "numeric" if dtype.is_numeric() else "other"


def _is_number(value: Any) -> bool:
    return isinstance(value, (Real, np.number)) and not isinstance(
        value, (bool, np.bool_)
    )


def categorical_fill_value(name: str, series: nw.Series, fill_value: Any) -> Any:
    """The constant that fills categorical ``series``: ``fill_value``, checked, or the default.

    ``fill_value=None`` means ``"missing_value"`` for text categories and 0
    for numeric ones (scikit-learn's defaults for text and numbers).

    Raises
    ------
    DataError
        ``fill_value`` is a number for text categories, or text for numeric
        ones.

    Examples
    --------
    >>> import pandas as pd
    >>> column = nw.from_native(pd.Series(pd.Categorical(["a", None])), series_only=True)
    >>> categorical_fill_value("c", column, None)
    'missing_value'
    >>> categorical_fill_value("c", column, 0)
    Traceback (most recent call last):
    ...
    mlprep.exceptions.DataError: Column 'c' is categorical with text categories, so it cannot be filled with fill_value=0, which would mix numbers into them. Use a string (e.g. fill_value='0'), or leave the column out with columns=.
    """
    kind = category_kind(series)
    if fill_value is None:
        return 0 if kind == "numeric" else "missing_value"
    is_number = _is_number(fill_value)
    if kind == "text" and not isinstance(fill_value, str):
        raise DataError(
            f"Column {name!r} is categorical with text categories, so it cannot be "
            f"filled with fill_value={fill_value!r}, which would mix "
            f"{'numbers' if is_number else type(fill_value).__name__ + ' values'} into "
            f"them. Use a string (e.g. fill_value={str(fill_value)!r}), or leave the "
            "column out with columns=."
        )
    if kind == "numeric" and not is_number:
        raise DataError(
            f"Column {name!r} is categorical with numeric categories, so it cannot "
            f"be filled with fill_value={fill_value!r}. Use a number, or cast the "
            f"column's categories to text first (e.g. X[{name!r}].cat."
            "rename_categories(str)), or leave the column out with columns=."
        )
    return fill_value


def fill_categorical(series: nw.Series, value: Any) -> nw.Series:
    """``series`` with its missing values set to ``value``, still categorical.

    A ``value`` that is not yet a category is added as the last one (for an
    ordered pandas ``Categorical`` or a polars ``Enum``: ranked above every
    other); the other categories, their order and orderedness are kept.

    Examples
    --------
    >>> import pandas as pd
    >>> column = nw.from_native(
    ...     pd.Series(pd.Categorical(["a", None, "b"]), name="c"), series_only=True
    ... )
    >>> filled = fill_categorical(column, "z").to_native()
    >>> filled.tolist(), filled.cat.categories.tolist()
    (['a', 'z', 'b'], ['a', 'b', 'z'])
    """
    native = series.to_native()
    if is_pandas_like_series(native) and native.dtype.name == "category":
        # pandas: no narwhals expression adds a category, and pandas refuses
        # to write a value that is not one ("Cannot setitem on a Categorical
        # with a new category"): the native accessor, on a new series
        if value not in native.cat.categories:
            native = native.cat.add_categories([value])
        return nw.from_native(native.fillna(value), series_only=True)
    if series.dtype == nw.Enum:  # polars: an Enum takes only its categories
        categories = series.cat.get_categories().to_list()
        if value not in categories:
            series = series.cast(nw.Enum([*categories, value]))
    return series.fill_null(value)
