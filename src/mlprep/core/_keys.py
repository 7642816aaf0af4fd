"""Stable 64-bit hashes of key values, the same in every process and machine.

Used by the key-based splits, the leakage checks and the hashed folds of
target encoding. Python's ``hash()`` is salted per process (``PYTHONHASHSEED``) and pandas'
and polars' hashes are implementation details, so key-based splits use their
own hash:

1. every value gets a canonical 64-bit code: integers (and floats holding an
   integer, so a key column that became float because of a missing value
   hashes the same), the IEEE bits of other floats, epoch nanoseconds of
   timestamps, and BLAKE2b-64 of the UTF-8 bytes of strings (each distinct
   string is hashed once); missing values share one code;
2. the codes of the key columns are folded together with the seed by the
   SplitMix64 finaliser, a bijective avalanche mix.

Numeric keys are hashed row-wise in a few vectorised numpy passes; strings
are factorised first so each distinct value costs one BLAKE2b call.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from numbers import Integral, Real
from typing import Any

import numpy as np

from mlprep.core._codes import (
    factorize_array,
    hash_array,
    is_missing_scalar,
    timestamp_ns,
)

__all__ = ["canonical_codes", "hash_columns", "mix64", "paired_row_hashes"]

_MASK = (1 << 64) - 1
_C1 = np.uint64(0xBF58476D1CE4E5B9)
_C2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = 0x9E3779B97F4A7C15
_MISSING = np.uint64(0x6A09E667F3BCC908)  # a fixed code shared by every missing value
_FLOAT_TAG = np.uint64(0x3C6EF372FE94F82B)
_S30, _S27, _S31, _S32 = (np.uint64(s) for s in (30, 27, 31, 32))
_NAN_BITS = np.float64(np.nan).view(np.uint64)  # the one code of every NaN


def mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser on a uint64 array, in place (wrapping arithmetic).

    A bijective avalanche mix: every input bit flips about half the output
    bits. Used to fold key codes together and to draw hashed priorities.

    Examples
    --------
    >>> out = mix64(np.array([0, 1, 2], dtype=np.uint64))
    >>> out.dtype.name, len(set(out.tolist()))
    ('uint64', 3)
    """
    x ^= x >> _S30
    x *= _C1
    x ^= x >> _S27
    x *= _C2
    x ^= x >> _S31
    return x


def _mix_int(value: int) -> int:
    """The same finaliser on one Python int (exact, no numpy overflow warnings)."""
    value &= _MASK
    value ^= value >> 30
    value = (value * 0xBF58476D1CE4E5B9) & _MASK
    value ^= value >> 27
    value = (value * 0x94D049BB133111EB) & _MASK
    return value ^ (value >> 31)


def _blake(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def _scalar_code(value: Any) -> int:
    """The canonical code of one Python value (used for object columns)."""
    if is_missing_scalar(value):
        return int(_MISSING)
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, Integral):
        return int(value) & _MASK
    if isinstance(value, Real):
        number = float(value)
        if math.isnan(number):
            return int(_MISSING)
        if number.is_integer() and abs(number) < 2**63:
            return int(number) & _MASK
        bits = int(np.array([number], dtype=np.float64).view(np.uint64)[0])
        return bits ^ int(_FLOAT_TAG)
    if isinstance(value, str):
        return _blake(b"s" + value.encode("utf-8", "surrogatepass"))
    if isinstance(value, bytes):
        return _blake(b"b" + value)
    stamp = timestamp_ns(value)  # pandas Timestamp or numpy datetime64
    if stamp is not None:
        return stamp & _MASK
    return _blake(
        b"o" + type(value).__name__.encode() + b":" + str(value).encode("utf-8")
    )


def _float_codes(values: np.ndarray) -> np.ndarray:
    values = values.astype(np.float64, copy=False)
    missing = np.isnan(values)
    with np.errstate(invalid="ignore"):
        integral = (np.floor(values) == values) & (np.abs(values) < 2.0**63)
    ints = np.where(integral, values, 0.0).astype(np.int64).view(np.uint64)
    bits = (values + 0.0).view(np.uint64) ^ _FLOAT_TAG  # + 0.0 turns -0.0 into 0.0
    codes = np.where(integral, ints, bits)
    codes[missing] = _MISSING
    return codes


def canonical_codes(values: np.ndarray) -> np.ndarray:
    """One uint64 code per entry of ``values``; equal keys get equal codes.

    ``values`` comes from :func:`mlprep.core._rows.series_values` (temporal
    columns are already epoch nanoseconds).
    """
    kind = values.dtype.kind
    if kind == "b":
        return values.astype(np.uint64)
    if kind in "iu":
        return values.astype(np.int64, copy=False).view(np.uint64).copy()
    if kind == "f":
        return _float_codes(values)
    if kind == "M":
        missing = np.isnat(values)
        codes = values.astype("datetime64[ns]").view(np.uint64).copy()
        codes[missing] = _MISSING
        return codes
    codes_, uniques = factorize_array(
        np.asarray(values, dtype=object), na_sentinel=True
    )
    table = np.fromiter(
        (_scalar_code(u) for u in uniques), dtype=np.uint64, count=len(uniques)
    )
    table = np.append(table, _MISSING)  # code -1 (missing) indexes the last entry
    return table[codes_]


def _codes_into(values: np.ndarray, out: np.ndarray) -> bool:
    """Write codes of a same-dtype column into ``out``; True when they are exact.

    Exact: numbers keep their bits (``-0.0`` as ``0.0``, every NaN as one
    NaN), so two values get one code exactly when they are equal. Other
    values get a hash of each distinct value (equal values, equal hashes).
    """
    kind = values.dtype.kind
    if kind == "f":
        np.add(values, 0.0, out=out.view(np.float64))  # + 0.0 turns -0.0 into 0.0
        missing = np.isnan(values)
        if missing.any():
            out[missing] = _NAN_BITS
        return True
    if kind in "iub":
        np.copyto(out, values, casting="unsafe")  # two's complement bits
        return True
    if kind == "M":
        out[...] = canonical_codes(values)
        return False
    # objects and strings: pandas hashes each distinct value once (missing share one hash)
    out[...] = hash_array(np.asarray(values, dtype=object))
    return False


def _round(out: np.ndarray, codes: np.ndarray) -> None:
    """Fold one column's codes into the row hashes: xor, multiply, xor-shift (in place).

    A bijection of the running hash for fixed codes; ``codes`` is reused as
    scratch space.
    """
    out ^= codes
    out *= _C1
    np.right_shift(out, _S32, out=codes)
    out ^= codes


def _finish(out: np.ndarray, scratch: np.ndarray) -> None:
    """SplitMix64's finaliser in place, with a scratch array instead of temporaries."""
    for shift, factor in ((_S30, _C1), (_S27, _C2)):
        np.right_shift(out, shift, out=scratch)
        out ^= scratch
        out *= factor
    np.right_shift(out, _S31, out=scratch)
    out ^= scratch


def paired_row_hashes(
    pairs: Iterable[tuple[np.ndarray, np.ndarray]], n_left: int, n_right: int
) -> tuple[np.ndarray, np.ndarray, bool]:
    """A 64-bit hash of every row of two tables given column by column; equal rows hash equal.

    Within one process only (object values use pandas' hash). Each pair
    holds one column's values in the left and the right table (from
    :func:`mlprep.core._rows.series_values`); pairs are consumed one at a time
    and their codes are folded into two preallocated hash arrays, so the
    working memory is four arrays of row length, however many columns there
    are. Values compare as in :func:`canonical_codes` when a column's two
    dtypes differ (``1`` equals ``1.0``); missing values equal each other.

    Unequal rows can share a hash (64-bit collisions; objects whose ``str``
    agree): confirm candidate matches value by value, unless ``exact``.

    Parameters
    ----------
    pairs : iterable of (ndarray, ndarray)
        At least one pair; the arrays have ``n_left`` and ``n_right`` entries.
    n_left, n_right : int
        Rows in each table.

    Returns
    -------
    left, right : ndarray of uint64
        One hash per row of each table.
    exact : bool
        True when equal hashes mean equal rows: a single column of one
        numeric dtype on both sides (its codes are the values' bits and the
        mixing is a bijection).

    Examples
    --------
    >>> import numpy as np
    >>> pairs = [(np.array([1, 2, 3]), np.array([3, 4])), (np.array([0.0, 0.5, np.nan]), np.array([np.nan, 0.5]))]
    >>> left, right, exact = paired_row_hashes(pairs, 3, 2)
    >>> bool(left[2] == right[0]), bool(left[1] == right[1]), exact
    (True, False, False)
    >>> left, right, exact = paired_row_hashes([(np.array([-0.0, 1.0]), np.array([0.0]))], 2, 1)
    >>> bool(left[0] == right[0]), exact
    (True, True)
    """
    hashes = (np.empty(n_left, dtype=np.uint64), np.empty(n_right, dtype=np.uint64))
    codes = (np.empty(n_left, dtype=np.uint64), np.empty(n_right, dtype=np.uint64))
    exact, count = True, 0
    for pair in pairs:
        if pair[0].dtype == pair[1].dtype or all(v.dtype.kind in "OSUT" for v in pair):
            for values, out in zip(pair, codes):
                exact &= _codes_into(values, out)
        else:  # differing dtypes: canonical codes (1 equals 1.0)
            exact = False
            for values, out in zip(pair, codes):
                out[...] = canonical_codes(values)
        for out, scratch in zip(hashes, codes):
            if count == 0:
                np.copyto(out, scratch)
                _finish(out, scratch)
            else:
                _round(out, scratch)
        count += 1
    if count == 0:
        raise ValueError("paired_row_hashes needs at least one column.")
    for out, scratch in zip(hashes, codes):
        _finish(out, scratch)
    return hashes[0], hashes[1], exact and count == 1


def hash_columns(columns: list[np.ndarray], seed: int) -> np.ndarray:
    """A uint64 hash per row of the key formed by ``columns`` (in that order) and ``seed``."""
    state = _mix_int(_mix_int(int(seed)) ^ _GOLDEN)
    out: np.ndarray | None = None
    for column in columns:
        codes = canonical_codes(column)
        if out is None:
            codes ^= np.uint64(state)
            out = mix64(codes)
        else:
            out *= np.uint64(0x100000001B3)
            out ^= codes
            out = mix64(out)
    if out is None:
        raise ValueError("hash_columns needs at least one column.")
    return out
