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
from numbers import Integral, Real
from typing import Any

import numpy as np

from mlprep.core._codes import factorize_array, is_missing_scalar, timestamp_ns

__all__ = ["canonical_codes", "hash_columns", "mix64"]

_MASK = (1 << 64) - 1
_C1 = np.uint64(0xBF58476D1CE4E5B9)
_C2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = 0x9E3779B97F4A7C15
_MISSING = np.uint64(0x6A09E667F3BCC908)  # a fixed code shared by every missing value
_FLOAT_TAG = np.uint64(0x3C6EF372FE94F82B)
_S30, _S27, _S31 = (np.uint64(s) for s in (30, 27, 31))


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
