"""The category door: integer codes of a column and the order of its categories.

Encoders (and any family that needs categories as integers: strata, group
keys, vocabularies) get codes here instead of calling pandas or pyarrow:

* :func:`factorize_series` codes a column in one pass of Arrow's
  ``dictionary_encode`` (pandas' hash table for columns Arrow cannot type,
  e.g. an object column mixing strings and numbers);
* :func:`lexical_order` sorts category labels as Python sorts them.

Both materialize the column's codes or its distinct values in memory: they
are eager helpers, called on a batch. A lazy backend (polars ``LazyFrame``,
Spark) would compute the distinct values with a query and code the batches
against them; callers pass what they were given and do not change.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mlprep.core._codes import factorize_array
from mlprep.core._frame import is_float
from mlprep.core._rows import plain_value

__all__ = ["factorize_series", "lexical_order"]


def factorize_series(series: nw.Series) -> tuple[np.ndarray, list[Any]]:
    """Integer codes of a column and its distinct values, in order of first appearance.

    Missing values — null, None, ``pd.NA`` and NaN — get code -1 and are not
    among the distinct values. The column is read into memory once (the
    codes are a numpy array of its length).

    Parameters
    ----------
    series : narwhals.Series
        Any eager column: strings, categoricals (decoded to their labels),
        booleans, integers, floats, or an object column of mixed values.

    Returns
    -------
    codes : ndarray of int32 or int64, shape (n,)
        ``uniques[codes[i]]`` is the value of row ``i``; -1 where missing.
        int32 when Arrow codes the column (half the memory traffic), int64
        otherwise.
    uniques : list
        The distinct values as plain Python scalars (str, int, float, bool),
        numbered by first appearance.

    Examples
    --------
    >>> import pandas as pd
    >>> import narwhals.stable.v2 as nw
    >>> column = nw.from_native(pd.Series(["b", "a", None, "b"]), series_only=True)
    >>> codes, uniques = factorize_series(column)
    >>> codes.tolist(), uniques
    ([0, 1, -1, 0], ['b', 'a'])
    >>> mixed = nw.from_native(pd.Series(["x", 1, float("nan"), 1], dtype=object), series_only=True)
    >>> codes, uniques = factorize_series(mixed)
    >>> codes.tolist(), uniques
    ([0, 1, -1, 1], ['x', 1])
    """
    if is_float(series.dtype):
        series = series.fill_nan(None)
    try:
        array = series.to_arrow()
        if isinstance(array, pa.ChunkedArray):
            array = array.combine_chunks()
        if pa.types.is_dictionary(array.type):
            array = array.dictionary_decode()
        if pa.types.is_null(array.type):  # an all-missing column of no type
            return np.full(len(array), -1, dtype=np.int64), []
        encoded = pc.dictionary_encode(array)
        indices = encoded.indices
        if indices.null_count:
            indices = pc.fill_null(indices, -1)
        codes = indices.to_numpy(zero_copy_only=False)
        return codes, encoded.dictionary.to_pylist()
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        values = np.empty(len(series), dtype=object)
        values[:] = series.to_list()
        codes, uniques = factorize_array(values)
        return codes, [plain_value(u) for u in uniques.tolist()]


def lexical_order(values: Sequence[Any]) -> np.ndarray:
    """The indices that sort ``values`` as Python's ``sorted`` does.

    Strings sort by code point (Arrow's sort of their UTF-8 bytes, the same
    order, when every value is a str); numbers numerically; ``False < True``.

    Parameters
    ----------
    values : sequence
        Distinct category labels (e.g. the ``uniques`` of :func:`factorize_series`).

    Returns
    -------
    ndarray of int64, shape (len(values),)
        ``[values[i] for i in order]`` is sorted.

    Raises
    ------
    TypeError
        The values cannot be compared with each other (e.g. str and int).

    Examples
    --------
    >>> lexical_order(["b", "a", "Z"]).tolist()
    [2, 1, 0]
    >>> lexical_order([3, 1.5, 2]).tolist()
    [1, 2, 0]
    >>> lexical_order(["a", 1])
    Traceback (most recent call last):
    ...
    TypeError: '<' not supported between instances of 'int' and 'str'
    """
    if values and all(type(v) is str for v in values):
        try:
            order = pc.array_sort_indices(pa.array(values, type=pa.large_string()))
            return np.asarray(order.to_numpy(), dtype=np.int64)
        except (pa.ArrowException, UnicodeError):  # e.g. lone surrogates
            pass
    return np.asarray(
        sorted(range(len(values)), key=values.__getitem__), dtype=np.int64
    )
