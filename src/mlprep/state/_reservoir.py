"""A seeded, order-independent sample of a numeric column (bottom-k by hashed value)."""

from __future__ import annotations

from typing import Any

import numpy as np

from mlprep.core._keys import mix64
from mlprep.state._base import PartialState

__all__ = ["DEFAULT_SIZE", "Reservoir"]

DEFAULT_SIZE = 100_000
"""Distinct values a reservoir keeps: 1.6 MB of state per column at most."""


def _priorities(values: np.ndarray, seed: int) -> np.ndarray:
    """SplitMix64 of the value's bits and the seed: a uniform uint64 per distinct value."""
    bits = (values + 0.0).view(np.uint64)  # + 0.0 folds -0.0 into 0.0
    salt = np.uint64((seed * 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF)
    return mix64(bits ^ salt)


class Reservoir(PartialState):
    """A sample of the distinct values of a column, each with its exact count.

    Every distinct value gets a pseudo-random priority from a hash of its
    bits and ``seed``; the reservoir keeps the ``size`` values of smallest
    priority. A value kept in the end is kept in every batch it occurs in, so
    its count is exact, and the sample depends only on the multiset of values:
    any batch order, any sharding and any merge order give the same
    reservoir. Weighted by their counts, the kept values estimate any sum over
    the rows without bias (a Horvitz–Thompson sample of the distinct values);
    a column with at most ``size`` distinct values is kept whole.

    Parameters
    ----------
    size : int, default=100_000
    seed : int, default=0

    Examples
    --------
    >>> import numpy as np
    >>> a = Reservoir(size=3).update(np.array([1.0, 2.0, 2.0, 5.0]))
    >>> b = Reservoir(size=3).update(np.array([2.0, 7.0, np.nan]))
    >>> merged = a.merge(b)
    >>> len(merged.values), int(merged.total), merged.missing
    (3, 6, 1)
    """

    kind = "reservoir"

    def __init__(self, size: int = DEFAULT_SIZE, seed: int = 0) -> None:
        self.size = int(size)
        self.seed = int(seed)
        self.missing = 0
        self.total = 0
        self.values = np.empty(0, dtype=np.float64)
        self.counts = np.empty(0, dtype=np.int64)

    def update(self, values: np.ndarray) -> Reservoir:
        """Add a float64 vector (NaN counted as missing); returns ``self``."""
        values = np.asarray(values, dtype=np.float64)
        present = values[~np.isnan(values)]
        self.missing += int(values.shape[0] - present.shape[0])
        self.total += int(present.shape[0])
        distinct, counts = np.unique(present + 0.0, return_counts=True)
        self._combine(distinct, counts.astype(np.int64))
        return self

    def _combine(self, values: np.ndarray, counts: np.ndarray) -> None:
        """Add distinct ``values`` with their ``counts``; keep the ``size`` smallest priorities.

        The priority is a bijection of the value's bits (:func:`mix64`), so
        distinct values never tie. Once the reservoir is full, a new value
        can enter only below the largest kept priority, so the others are
        dropped before anything is sorted.
        """
        if self.values.shape[0] >= self.size and values.shape[0]:
            threshold = _priorities(self.values, self.seed).max()
            keep = (_priorities(values, self.seed) < threshold) | np.isin(
                values, self.values, assume_unique=True
            )
            values, counts = values[keep], counts[keep]
        both = np.concatenate([self.values, values])
        weights = np.concatenate([self.counts, counts])
        distinct, inverse = np.unique(both, return_inverse=True)
        summed = np.bincount(
            inverse.ravel(), weights=weights, minlength=distinct.shape[0]
        )
        if distinct.shape[0] > self.size:
            priority = _priorities(distinct, self.seed)
            keep_at = np.sort(np.argpartition(priority, self.size - 1)[: self.size])
            distinct, summed = distinct[keep_at], summed[keep_at]
        self.values = distinct
        self.counts = summed.astype(np.int64)

    def merge(self, other: Reservoir) -> Reservoir:
        """A new reservoir of both inputs (equal to one fed every value)."""
        self._check_mergeable(other)
        merged = Reservoir(self.size, self.seed)
        merged.values, merged.counts = self.values, self.counts
        merged._combine(other.values, other.counts)
        merged.missing = self.missing + other.missing
        merged.total = self.total + other.total
        return merged

    @property
    def exact(self) -> bool:
        """Whether every distinct value is kept (the sample is the whole column)."""
        return int(self.counts.sum()) == self.total

    def sample(self) -> np.ndarray:
        """The kept values repeated by count, thinned to at most ``size`` rows.

        While the reservoir is exact and small this is the column itself
        (sorted). Otherwise counts are scaled by ``size / kept`` (rounded), so
        heavy repeats do not grow the sample beyond ``size`` rows.
        """
        kept = int(self.counts.sum())
        counts = self.counts
        if kept > self.size:
            counts = np.rint(counts * (self.size / kept)).astype(np.int64)
        return np.repeat(self.values, counts)

    def _config(self) -> dict[str, Any]:
        return {"size": self.size, "seed": self.seed}

    def _data(self) -> dict[str, Any]:
        return {
            "missing": self.missing,
            "total": self.total,
            "values": [
                float(v) if np.isfinite(v) else repr(float(v)) for v in self.values
            ],
            "counts": self.counts.tolist(),
        }

    @classmethod
    def _from_data(cls, config: dict[str, Any], data: dict[str, Any]) -> Reservoir:
        state = cls(int(config["size"]), int(config["seed"]))
        state.missing = int(data["missing"])
        state.total = int(data["total"])
        state.values = np.array([float(v) for v in data["values"]], dtype=np.float64)
        state.counts = np.array(data["counts"], dtype=np.int64)
        if state.values.shape != state.counts.shape:
            raise ValueError("values and counts differ in length")
        return state
