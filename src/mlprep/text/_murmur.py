"""MurmurHash3 (x86, 32-bit, seed 0) of many strings at once, in numpy.

The same hash as :func:`sklearn.utils.murmurhash3_32` (signed int32 of the
UTF-8 bytes), which scikit-learn's ``HashingVectorizer`` uses, computed for
all terms together: the UTF-8 bytes come from one pyarrow string array and
the 4-byte blocks of every term are mixed column by column. Terms longer than
``_MAX_BYTES`` (rare) and text pyarrow cannot encode go through scikit-learn's
function one by one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

__all__ = ["murmurhash3_32_many"]

_C1 = np.uint32(0xCC9E2D51)
_C2 = np.uint32(0x1B873593)
_MAX_BYTES = 256


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def _scalar(strings: Sequence[str]) -> np.ndarray:
    from sklearn.utils import murmurhash3_32

    return np.fromiter(
        (murmurhash3_32(s, seed=0) for s in strings), dtype=np.int64, count=len(strings)
    )


def murmurhash3_32_many(strings: Sequence[str]) -> np.ndarray:
    """Signed 32-bit MurmurHash3 (seed 0) of each string's UTF-8 bytes, as int64."""
    import pyarrow as pa

    n = len(strings)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    try:
        array = pa.array(strings, type=pa.string())
    except (pa.ArrowException, UnicodeEncodeError):
        return _scalar(strings)
    if isinstance(array, pa.ChunkedArray):  # pragma: no cover - > 2 GiB of terms
        return _scalar(strings)
    buffers = array.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int32)[array.offset : array.offset + n + 1]
    data = (
        np.frombuffer(buffers[2], dtype=np.uint8)
        if buffers[2] is not None
        else np.zeros(0, dtype=np.uint8)
    )
    offsets = offsets.astype(np.int64)
    lengths = np.diff(offsets)
    out = np.empty(n, dtype=np.int64)
    long = lengths > _MAX_BYTES
    if long.any():
        rows = np.flatnonzero(long)
        out[rows] = _scalar([strings[i] for i in rows])
    rows = np.flatnonzero(~long)
    if len(rows) == 0:
        return out
    row_lengths = lengths[rows]
    width = int(-(-max(int(row_lengths.max()), 1) // 4) * 4)  # bytes, a multiple of 4
    padded = np.zeros((len(rows), width), dtype=np.uint8)
    position = np.arange(width)
    inside = position[None, :] < row_lengths[:, None]
    padded[inside] = data[(offsets[rows][:, None] + position[None, :])[inside]]
    blocks = padded.view("<u4").astype(np.uint32)
    n_blocks = row_lengths // 4
    h = np.zeros(len(rows), dtype=np.uint32)
    for j in range(blocks.shape[1]):
        full = n_blocks > j
        k = blocks[:, j] * _C1
        k = _rotl(k, 15) * _C2
        mixed = _rotl(h ^ k, 13) * np.uint32(5) + np.uint32(0xE6546B64)
        h = np.where(full, mixed, h)
    # the tail: bytes after the last full block (zero-padded, so the block holds them)
    tail_index = np.minimum(n_blocks, blocks.shape[1] - 1)
    tail = np.where(
        row_lengths % 4 > 0, blocks[np.arange(len(rows)), tail_index], np.uint32(0)
    ).astype(np.uint32)
    k = _rotl(tail * _C1, 15) * _C2
    h ^= k
    h ^= row_lengths.astype(np.uint32)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    out[rows] = h.view(np.int32).astype(np.int64)
    return out
