"""The category door: integer codes of a column and the order of its categories.

Encoders (and any family that needs categories as integers: strata, group
keys, vocabularies) get codes here instead of calling pandas or pyarrow:

* :func:`factorize_series` codes a column in one pass of Arrow's
  ``dictionary_encode`` (pandas' hash table for object columns, whose
  values keep their Python types and Python equality);
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
from mlprep.exceptions import DataError

__all__ = ["factorize_series", "lexical_order", "value_counts"]


def factorize_series(series: nw.Series) -> tuple[np.ndarray, list[Any]]:
    """Integer codes of a column and its distinct values, in order of first appearance.

    Missing values — null, None, ``pd.NA`` and NaN — get code -1 and are not
    among the distinct values. The column is read into memory once (the
    codes are a numpy array of its length).

    Two values are one category exactly when Python finds them equal, as in
    a ``dict`` or ``set`` and as scikit-learn's encoders do for object
    columns: ``True``, ``1``, ``1.0`` and ``np.int64(1)`` are one category,
    and so are ``0.0`` and ``-0.0`` in a float column. The category keeps
    the value that appears first (``[1, True]`` gives ``[1]``, ``[True, 1]``
    gives ``[True]``). Keep such values apart by converting the column to
    strings first.

    Parameters
    ----------
    series : narwhals.Series
        Any eager column: strings, categoricals (decoded to their labels),
        booleans, integers, floats, or an object column of mixed values.

    Returns
    -------
    codes : ndarray of int32 or int64, shape (n,)
        ``uniques[codes[i]] == value of row i``; -1 where missing.
        int32 when Arrow codes the column (half the memory traffic), int64
        otherwise.
    uniques : list
        The distinct values as plain Python scalars (str, int, float, bool),
        numbered by first appearance.

    Raises
    ------
    DataError
        The column holds values that cannot be categories (unhashable
        values such as lists or dicts).

    Examples
    --------
    >>> import pandas as pd
    >>> import narwhals.stable.v2 as nw
    >>> column = nw.from_native(pd.Series(["b", "a", None, "b"]), series_only=True)
    >>> codes, uniques = factorize_series(column)
    >>> codes.tolist(), uniques
    ([0, 1, -1, 0], ['b', 'a'])
    >>> mixed = nw.from_native(pd.Series(["x", 1, float("nan"), 1.0, True], dtype=object), series_only=True)
    >>> codes, uniques = factorize_series(mixed)
    >>> codes.tolist(), uniques
    ([0, 1, -1, 1, 1], ['x', 1])
    >>> zeros = nw.from_native(pd.Series([-0.0, 2.5, 0.0]), series_only=True)
    >>> codes, uniques = factorize_series(zeros)
    >>> codes.tolist(), uniques
    ([0, 1, 0], [-0.0, 2.5])
    """
    dtype = series.dtype
    if is_float(dtype):
        series = series.fill_nan(None)
    if dtype == nw.Object or isinstance(dtype, nw.Object):
        # Python objects: Arrow would cast them to one type (1 -> 1.0) or refuse
        return _factorize_objects(series)
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
        if pa.types.is_floating(array.type):
            return _merge_signed_zeros(codes, encoded.dictionary)
        return codes, encoded.dictionary.to_pylist()
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return _factorize_objects(series)


def value_counts(series: nw.Series) -> tuple[dict[Any, int], int]:
    """How often each value of a column occurs, and how many values are missing.

    The values are those of :func:`factorize_series` (plain Python scalars,
    first appearance first, missing values left out), so they are the keys a
    :class:`~mlprep.state.CountsState` counts.

    Examples
    --------
    >>> import pandas as pd
    >>> import narwhals.stable.v2 as nw
    >>> value_counts(nw.from_native(pd.Series(["b", "a", None, "b"]), series_only=True))
    ({'b': 2, 'a': 1}, 1)
    """
    codes, uniques = factorize_series(series)
    present = codes[codes >= 0]
    counts = np.bincount(present, minlength=len(uniques)).tolist()
    pairs = {plain_value(v): int(c) for v, c in zip(uniques, counts)}
    return pairs, int(codes.shape[0] - present.shape[0])


def _factorize_objects(series: nw.Series) -> tuple[np.ndarray, list[Any]]:
    """Codes by Python equality and hashing (pandas' object hash table)."""
    values = np.empty(len(series), dtype=object)
    values[:] = series.to_list()
    try:
        codes, uniques = factorize_array(values)
    except TypeError as exc:  # unhashable values
        raise DataError(
            f"Column {series.name!r} holds {_unhashable(values.tolist())}, which "
            "cannot be categories: a category must be hashable (a string, number, "
            "boolean or date). Convert the column (e.g. to strings) or leave it "
            f"out of columns=. ({exc})"
        ) from exc
    return codes, [plain_value(u) for u in uniques.tolist()]


def _unhashable(values: list[Any]) -> str:
    """The first value ``hash`` refuses (a list, a dict, a tuple holding a list), described."""
    for value in values:
        try:
            hash(value)
        except TypeError:
            return f"{type(value).__name__} values (e.g. {value!r:.60})"
    return "values that cannot be compared"  # pragma: no cover - defensive


def _merge_signed_zeros(
    codes: np.ndarray, dictionary: pa.Array
) -> tuple[np.ndarray, list[Any]]:
    """Arrow's float dictionary with 0.0 and -0.0 as one entry (they are equal).

    Arrow tells them apart by their bits; Python, numpy and pandas do not.
    The entry seen first is kept. One vectorized scan of the dictionary (the
    distinct values); the codes are rewritten only when both zeros occur.
    """
    is_zero = pc.equal(dictionary, pa.scalar(0.0, dictionary.type))
    if (pc.sum(is_zero).as_py() or 0) < 2:
        return codes, dictionary.to_pylist()
    uniques = dictionary.to_pylist()
    zeros = np.flatnonzero(is_zero.to_numpy(zero_copy_only=False)).tolist()
    kept, dropped = zeros  # first appearance, then the other sign
    lut = np.arange(len(uniques) + 1, dtype=codes.dtype)
    lut[dropped] = kept
    lut[dropped + 1 : len(uniques)] -= 1
    lut[-1] = -1  # code -1 (missing) reads the last slot
    del uniques[dropped]
    return lut[codes], uniques


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
