"""The value-level door: kernels on numpy arrays and scalars that pandas implements best.

Coding values as integers, hash-table membership, 64-bit hashes, missing
value tests and duration parsing are done by pandas' C hash tables and
parsers. Families call these helpers instead of pandas, so pandas stays
behind :mod:`mlprep.core`.

Design rule of the door
-----------------------
A helper that materializes data in memory says so in its name (see
:mod:`mlprep.core._rows`). The kernels here take numpy arrays that the
caller has already materialized (with ``..._values`` / ``..._array``
helpers) or single Python scalars, and return numpy arrays or scalars; they
never receive a container. A lazy backend either runs them per batch or
replaces them with an expression inside a door helper, so their callers do
not change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "combine_codes",
    "factorize_array",
    "hash_array",
    "is_missing_scalar",
    "is_timedelta_scalar",
    "isin",
    "missing_mask",
    "timedelta_ns",
    "timestamp_ns",
]


def factorize_array(
    values: np.ndarray, *, sort: bool = False, na_sentinel: bool = True
) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes of ``values`` and the distinct values they stand for.

    Parameters
    ----------
    values : ndarray of shape (n,)
        Any 1-D array (numbers, datetimes, strings, objects).
    sort : bool, default=False
        False: codes number the distinct values in order of first
        appearance. True: in sorted order (pandas' safe sort: numbers before
        strings; raises TypeError for values that cannot be ordered).
    na_sentinel : bool, default=True
        True: missing values (None, NaN, NA, NaT) get code -1 and are not
        among the uniques. False: they form one distinct value of their own.

    Returns
    -------
    codes : ndarray of int64, shape (n,)
    uniques : ndarray
        The distinct values; ``uniques[codes[i]] == values[i]``.

    Examples
    --------
    >>> import numpy as np
    >>> codes, uniques = factorize_array(np.array(["b", "a", None, "b"], dtype=object))
    >>> codes.tolist(), uniques.tolist()
    ([0, 1, -1, 0], ['b', 'a'])
    >>> codes, uniques = factorize_array(np.array([3.0, np.nan, 1.0]), sort=True, na_sentinel=False)
    >>> codes.tolist(), uniques.tolist()
    ([1, 2, 0], [1.0, 3.0, nan])
    """
    codes, uniques = pd.factorize(values, sort=sort, use_na_sentinel=na_sentinel)
    return np.asarray(codes, dtype=np.int64), np.asarray(uniques)


def combine_codes(codes: Sequence[np.ndarray]) -> np.ndarray:
    """One code per distinct combination of several code arrays, in order of first appearance.

    Parameters
    ----------
    codes : sequence of ndarray of non-negative int, each of shape (n,)
        Codes of several columns for the same rows (e.g. from
        :func:`factorize_array` with ``na_sentinel=False``).

    Returns
    -------
    ndarray of int64, shape (n,)
        Equal for two rows exactly when all their input codes are equal;
        numbered 0, 1, ... in order of first appearance.

    Examples
    --------
    >>> import numpy as np
    >>> combine_codes([np.array([0, 0, 1, 0]), np.array([1, 0, 1, 1])]).tolist()
    [0, 1, 2, 0]
    """
    if not codes:
        raise ValueError("combine_codes needs at least one code array.")
    if len(codes) == 1:
        return factorize_array(np.asarray(codes[0]))[0]
    out = np.asarray(codes[0], dtype=np.int64)
    for more in codes[1:]:
        size = int(more.max()) + 1 if len(more) else 1
        out = factorize_array(out * size + more)[0]
    return out


def isin(values: np.ndarray, among: np.ndarray) -> np.ndarray:
    """Boolean mask of the entries of ``values`` that occur in ``among`` (a hash-table lookup).

    Linear in ``len(values) + len(among)``, unlike a sort-based
    :func:`numpy.isin`.

    Parameters
    ----------
    values, among : ndarray

    Returns
    -------
    ndarray of bool, shape (len(values),)

    Examples
    --------
    >>> import numpy as np
    >>> isin(np.array([1, 5, 2], dtype=np.uint64), np.array([2, 3], dtype=np.uint64)).tolist()
    [False, False, True]
    """
    return np.asarray(pd.Series(values, copy=False).isin(among), dtype=bool)


def hash_array(values: np.ndarray) -> np.ndarray:
    """A uint64 hash of every entry of ``values``; equal values get equal hashes.

    pandas' hash (SipHash of the bytes for strings): stable within one
    pandas version, not a documented format across versions, so use it to
    compare values within a process, not to store. Distinct values are
    hashed once.

    Parameters
    ----------
    values : ndarray of shape (n,)
        Numbers, or strings (cast object arrays to ``str`` first).

    Returns
    -------
    ndarray of uint64, shape (n,)

    Examples
    --------
    >>> import numpy as np
    >>> hashed = hash_array(np.array(["a", "b", "a"]))
    >>> hashed.dtype.name, bool(hashed[0] == hashed[2]), bool(hashed[0] == hashed[1])
    ('uint64', True, False)
    """
    return np.asarray(pd.util.hash_array(values, categorize=True), dtype=np.uint64)


def missing_mask(values: np.ndarray) -> np.ndarray:
    """Boolean mask of the missing entries of ``values``: None, NaN, NA or NaT.

    Parameters
    ----------
    values : ndarray

    Returns
    -------
    ndarray of bool, same shape as ``values``

    Examples
    --------
    >>> import numpy as np
    >>> missing_mask(np.array([1.0, np.nan])).tolist()
    [False, True]
    >>> missing_mask(np.array(["a", None, float("nan")], dtype=object)).tolist()
    [False, True, True]
    """
    return np.asarray(pd.isna(values), dtype=bool)


def is_missing_scalar(value: Any) -> bool:
    """Whether one value is missing: None, NaN, pandas NA or NaT (numpy's too).

    Containers (lists, arrays) are values, never missing.

    Parameters
    ----------
    value : Any

    Returns
    -------
    bool

    Examples
    --------
    >>> import numpy as np
    >>> [is_missing_scalar(v) for v in (None, float("nan"), np.datetime64("NaT", "ns"), "", 0, [None])]
    [True, True, True, False, False, False]
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float):  # also numpy float64; answered without pandas
        return value != value
    if isinstance(value, (str, bytes, int)):  # the common cases, answered fast
        return False
    return bool(pd.api.types.is_scalar(value) and pd.isna(value))


def is_timedelta_scalar(value: Any) -> bool:
    """Whether ``value`` is a duration: a ``datetime.timedelta``, ``numpy.timedelta64`` or pandas Timedelta.

    Parameters
    ----------
    value : Any

    Returns
    -------
    bool

    Examples
    --------
    >>> import datetime as dt
    >>> import numpy as np
    >>> is_timedelta_scalar(dt.timedelta(days=1)), is_timedelta_scalar(np.timedelta64(3, "h")), is_timedelta_scalar(3)
    (True, True, False)
    """
    return isinstance(value, (dt.timedelta, np.timedelta64))  # pd.Timedelta included


def timedelta_ns(value: Any) -> int:
    """A duration as integer nanoseconds.

    Parameters
    ----------
    value : datetime.timedelta, numpy.timedelta64, pandas Timedelta or str
        Strings are pandas' duration strings (``"7D"``, ``"1h30min"``).

    Returns
    -------
    int

    Raises
    ------
    ValueError
        ``value`` is not a duration (or is NaT).

    Examples
    --------
    >>> import datetime as dt
    >>> import numpy as np
    >>> timedelta_ns(dt.timedelta(seconds=1)), timedelta_ns(np.timedelta64(2, "us")), timedelta_ns("1min")
    (1000000000, 2000, 60000000000)
    """
    # Strings go through a one-element list: pandas 2.2's scalar string parser
    # uses numpy's generic timedelta unit, which numpy 2.5 deprecates.
    parsed = (
        pd.to_timedelta([value])[0] if isinstance(value, str) else pd.Timedelta(value)
    )
    if parsed is pd.NaT:
        raise ValueError(f"{value!r} is not a duration (NaT).")
    return int(parsed.value)


def timestamp_ns(value: Any) -> int | None:
    """Epoch nanoseconds of a pandas Timestamp or ``numpy.datetime64`` (UTC when zone-aware).

    Other values, Python ``datetime`` objects and NaT included, give None.

    Parameters
    ----------
    value : Any

    Returns
    -------
    int or None

    Examples
    --------
    >>> import numpy as np
    >>> import pandas as pd
    >>> timestamp_ns(np.datetime64("1970-01-01T00:00:01")), timestamp_ns(pd.Timestamp("1970-01-01 01:00", tz="Europe/Paris"))
    (1000000000, 0)
    >>> timestamp_ns("1970-01-01") is None
    True
    """
    if not isinstance(value, (pd.Timestamp, np.datetime64)):
        return None
    stamp = pd.Timestamp(value)
    if stamp is pd.NaT:
        return None
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert("UTC").tz_localize(None)
    return int(stamp.value)
