"""The mergeable state of :class:`~mlprep.encode.TargetEncoder`: target statistics per category and fold.

Folds are assigned by hashing, so they depend on a row's content alone and
not on the order of the rows or how they were sharded:
``fold = hash(fold_key value, or the row's encoded values; seed) % cv``. Each
category keeps, per fold, either the counts of each target label
(classification, or a numeric target that so far looks like classes) or the
count, mean and sum of squared deviations of a continuous target. Both merge
exactly (moments by Chan et al.'s rule), and any set of folds can be summed,
so out-of-fold statistics come from the same state as the full ones.

A continuous target beyond :data:`~mlprep.core._stats.SQUARES_SAFE`
(values near ``1e308``) keeps its means and squared deviations in units of a
power of two (``TargetStats.unit``, exact to divide by), so neither the sums
nor the squares overflow; ordinary targets have ``unit == 1`` and plain
arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import factorize_array, hash_columns, plain_value, series_values
from mlprep.core._stats import is_unit, unit_for_squares
from mlprep.exceptions import DataError
from mlprep.state import PartialState

__all__ = ["TargetBatch", "TargetStats", "hashed_folds", "shrink"]


def hashed_folds(columns: list[nw.Series], folds: int, seed: int) -> np.ndarray:
    """The fold of every row: a stable hash of its values in ``columns`` and ``seed``, mod ``folds``.

    The hash is :func:`mlprep.core.hash_columns`, the one the key-based
    splits use: canonical codes (``1`` and ``1.0`` alike, one code for every
    missing value), folded by SplitMix64. The same values give the same fold
    in every process, machine and backend, whatever the other rows.

    Examples
    --------
    >>> import pandas as pd
    >>> key = nw.from_native(pd.Series(["a", "b", "a", None]), series_only=True)
    >>> folds = hashed_folds([key], 5, seed=0)
    >>> bool(folds[0] == folds[2]), bool(((folds >= 0) & (folds < 5)).all())
    (True, True)
    """
    hashes = hash_columns([series_values(c) for c in columns], seed)
    return (hashes % np.uint64(folds)).astype(np.int64)


@dataclass(frozen=True)
class TargetBatch:
    """One batch's target: float ``values`` (``form="moments"``) or label ``codes`` into ``labels``.

    ``unit`` is :func:`~mlprep.core._stats.unit_for_squares` of float
    ``values`` (1.0 for labels), computed once for every state it is added to.
    """

    form: str
    values: np.ndarray
    labels: list[Any]
    unit: float = 1.0


def target_batch(values: np.ndarray, kind: str) -> TargetBatch:
    """A checked target as a :class:`TargetBatch` (``kind`` is the target type)."""
    if kind == "continuous":
        try:
            numbers = values.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise DataError("target_type='continuous' needs a numeric y.") from exc
        return TargetBatch("moments", numbers, [], unit_for_squares(numbers))
    codes, uniques = factorize_array(values)
    labels = [plain_value(u) for u in uniques.tolist()]
    odd = [v for v in labels if not isinstance(v, (str, int, float, bool))]
    if odd:
        raise DataError(
            f"y has labels of type {type(odd[0]).__name__} ({odd[0]!r}); partial "
            "and lazy TargetEncoder fits take str, int, float or bool labels."
        )
    return TargetBatch("labels", codes, labels)


def _numeric(labels: list[Any]) -> np.ndarray:
    if any(isinstance(v, str) for v in labels):
        raise DataError(
            "y mixes text labels and continuous numbers across batches, so it is "
            "neither a classification nor a regression target. Give every batch "
            "the same kind of target (or set target_type=)."
        )
    return np.asarray([float(v) for v in labels], dtype=np.float64)


def _chan(
    a: tuple[np.ndarray, ...], b: tuple[np.ndarray, ...]
) -> tuple[np.ndarray, ...]:
    """Chan et al.'s merge of (count, mean, m2) arrays; empty cells keep mean 0."""
    na, ma, qa = a
    nb, mb, qb = b
    n = na + nb
    safe = np.maximum(n, 1)
    delta = mb - ma
    mean = np.where(n > 0, ma + delta * (nb / safe), 0.0)
    m2 = qa + qb + delta * delta * (na * (nb / safe))
    return n, mean, m2


class TargetStats(PartialState):
    """Target statistics per key (a category, None for missing) and fold.

    ``form`` is ``"labels"`` (``counts[key, fold, label]``) or ``"moments"``
    (``count``, ``mean``, ``m2`` per key and fold). Labels turn into moments
    when a continuous batch arrives (numeric labels only); merging converts
    the same way, so any order of batches and merges gives the same totals.
    ``mean`` and ``m2`` are in units of ``unit`` (``mean / unit``,
    ``m2 / unit**2``): 1.0 unless the target exceeds
    :data:`~mlprep.core._stats.SQUARES_SAFE` in magnitude, then the power of
    two at its largest value, which only grows as batches and merges add
    larger values (the stored numbers are rescaled exactly).

    Parameters
    ----------
    folds : int

    Examples
    --------
    >>> import numpy as np
    >>> a = TargetStats(2).add(np.array([0, 0, 1]), ["x", "y"], np.array([0, 1, 0]),
    ...     target_batch(np.array([1.0, 3.0, 5.0]), "continuous"))
    >>> count, mean, m2 = a.totals()
    >>> a.keys, count.tolist(), mean.tolist(), m2.tolist()
    (['x', 'y'], [2, 1], [2.0, 5.0], [2.0, 0.0])
    """

    kind = "encode.target_stats"

    def __init__(self, folds: int) -> None:
        self.folds = int(folds)
        self.form = "labels"
        self.keys: list[Any] = []
        self._rows: dict[Any, int] = {}
        self.labels: list[Any] = []
        self.counts: np.ndarray = np.zeros((0, self.folds, 0), dtype=np.int64)
        self.count: np.ndarray = np.zeros((0, self.folds), dtype=np.int64)
        self.mean: np.ndarray = np.zeros((0, self.folds))
        self.m2: np.ndarray = np.zeros((0, self.folds))
        self.unit = 1.0

    # ------------------------------------------------------------ adding
    def check(self, batch: TargetBatch) -> None:
        """Raise now if ``batch`` could not be added (so nothing is half-updated)."""
        if self.form != batch.form:
            _numeric(self.labels if self.form == "labels" else batch.labels)

    def _ensure(self, keys: list[Any]) -> np.ndarray:
        """The row of every key, new keys appended (and the arrays grown)."""
        rows = []
        for key in keys:
            row = self._rows.get(key)
            if row is None:
                row = self._rows[key] = len(self.keys)
                self.keys.append(key)
            rows.append(row)
        grow = len(self.keys) - self.count.shape[0]
        if grow:
            n_labels = self.counts.shape[2]
            self.counts = np.concatenate(
                [self.counts, np.zeros((grow, self.folds, n_labels), np.int64)]
            )
            self.count = np.concatenate(
                [self.count, np.zeros((grow, self.folds), np.int64)]
            )
            self.mean = np.concatenate([self.mean, np.zeros((grow, self.folds))])
            self.m2 = np.concatenate([self.m2, np.zeros((grow, self.folds))])
        return np.asarray(rows, dtype=np.int64)

    def _row_index(self, codes: np.ndarray, uniques: list[Any]) -> np.ndarray:
        """The row of every entry of ``codes`` (-1 is missing, the key None)."""
        missing = bool((codes < 0).any())
        table = self._ensure([*uniques, None] if missing else list(uniques))
        if not missing:
            table = np.append(table, -1)  # read by no code
        return table[codes]

    def add(
        self,
        codes: np.ndarray,
        uniques: list[Any],
        folds: np.ndarray,
        batch: TargetBatch,
    ) -> TargetStats:
        """Add rows: key codes into ``uniques`` (-1 missing), their folds and target."""
        self.check(batch)
        rows = self._row_index(codes, uniques)
        cells = rows * self.folds + folds
        size = len(self.keys) * self.folds
        if batch.form == "labels" and self.form == "labels":
            lut = np.asarray(self._label_index(batch.labels), dtype=np.int64)
            n_labels = len(self.labels)
            index = cells * n_labels + lut[batch.values]
            added = np.bincount(index, minlength=size * n_labels)
            self.counts += added.reshape(len(self.keys), self.folds, n_labels)
            return self
        if self.form == "labels":
            self._to_moments()
        if batch.form == "moments":
            values, needed = batch.values, batch.unit
        else:
            numbers = _numeric(batch.labels)
            values, needed = numbers[batch.values], unit_for_squares(numbers)
        self._rescale(max(self.unit, needed))
        if self.unit != 1.0:
            values = values / self.unit
        count = np.bincount(cells, minlength=size)
        sums = np.bincount(cells, weights=values, minlength=size)
        mean = np.where(count > 0, sums / np.maximum(count, 1), 0.0)
        deviation = values - mean[cells]
        m2 = np.bincount(cells, weights=deviation * deviation, minlength=size)
        shape = (len(self.keys), self.folds)
        self.count, self.mean, self.m2 = _chan(
            (self.count, self.mean, self.m2),
            (count.reshape(shape), mean.reshape(shape), m2.reshape(shape)),
        )
        return self

    def _label_index(self, labels: list[Any]) -> list[int]:
        """Positions of ``labels`` among the state's labels (new ones appended)."""
        known = {label: i for i, label in enumerate(self.labels)}
        out = []
        for label in labels:
            if label not in known:
                known[label] = len(self.labels)
                self.labels.append(label)
            out.append(known[label])
        grow = len(self.labels) - self.counts.shape[2]
        if grow:
            pad = np.zeros((self.counts.shape[0], self.folds, grow), np.int64)
            self.counts = np.concatenate([self.counts, pad], axis=2)
        return out

    def _to_moments(self) -> None:
        values = _numeric(self.labels)
        self.unit = max(self.unit, unit_for_squares(values))
        if self.unit != 1.0:
            values = values / self.unit
        count = self.counts.sum(axis=2)
        safe = np.maximum(count, 1)
        mean = np.where(count > 0, (self.counts @ values) / safe, 0.0)
        deviation = values[None, None, :] - mean[:, :, None]
        self.m2 = (self.counts * deviation * deviation).sum(axis=2)
        self.count, self.mean = count, mean
        self.form, self.labels = "moments", []
        self.counts = np.zeros((len(self.keys), self.folds, 0), dtype=np.int64)

    def _rescale(self, unit: float) -> None:
        """Keep ``mean`` and ``m2`` in units of ``unit`` (a power of two >= ``self.unit``)."""
        if unit == self.unit:
            return
        ratio = self.unit / unit  # a power of two: exact
        self.mean = self.mean * ratio
        self.m2 = self.m2 * ratio * ratio
        self.unit = unit

    # ----------------------------------------------------------- merging
    def copy(self) -> TargetStats:
        out = TargetStats(self.folds)
        out.form, out.keys, out._rows = self.form, list(self.keys), dict(self._rows)
        out.labels = list(self.labels)
        out.counts, out.count = self.counts.copy(), self.count.copy()
        out.mean, out.m2 = self.mean.copy(), self.m2.copy()
        out.unit = self.unit
        return out

    def merge(self, other: TargetStats) -> TargetStats:
        """A new state of both inputs (labels become moments if either side is continuous)."""
        self._check_mergeable(other)
        merged, part = self.copy(), other.copy()
        if merged.form != part.form:
            for side in (merged, part):
                if side.form == "labels":
                    side._to_moments()
        rows = merged._ensure(part.keys)
        if merged.form == "labels":
            lut = np.asarray(merged._label_index(part.labels), dtype=np.int64)
            for j, column in enumerate(lut.tolist()):
                merged.counts[rows, :, column] += part.counts[:, :, j]
            return merged
        unit = max(merged.unit, part.unit)
        merged._rescale(unit)
        part._rescale(unit)
        current = (merged.count[rows], merged.mean[rows], merged.m2[rows])
        count, mean, m2 = _chan(current, (part.count, part.mean, part.m2))
        merged.count[rows], merged.mean[rows], merged.m2[rows] = count, mean, m2
        return merged

    # ------------------------------------------------------------ reading
    def totals(
        self, exclude: int | None = None, unit: float | None = None
    ) -> tuple[np.ndarray, ...]:
        """Per key, over every fold but ``exclude``: ``(counts[key, label],)`` or ``(count, mean, m2)``.

        ``mean`` and ``m2`` are in units of ``unit`` (default: the state's
        own, :attr:`unit`; a larger power of two rescales them exactly).
        """
        keep = [f for f in range(self.folds) if f != exclude]
        if self.form == "labels":
            return (self.counts[:, keep, :].sum(axis=1),)
        if unit is not None and unit != self.unit:
            scaled = self.copy()
            scaled._rescale(unit)
            return scaled.totals(exclude)
        total: tuple[np.ndarray, ...] = (
            np.zeros(len(self.keys), np.int64),
            np.zeros(len(self.keys)),
            np.zeros(len(self.keys)),
        )
        for f in keep:
            total = _chan(total, (self.count[:, f], self.mean[:, f], self.m2[:, f]))
        return total

    def rows(self, keys: list[Any]) -> np.ndarray:
        """The row of each key, -1 for keys never seen."""
        return np.asarray([self._rows.get(k, -1) for k in keys], dtype=np.int64)

    # --------------------------------------------------------------- JSON
    def _config(self) -> dict[str, Any]:
        return {"folds": self.folds}

    def _data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"form": self.form, "keys": list(self.keys)}
        if self.form == "labels":
            data["labels"] = list(self.labels)
            data["counts"] = self.counts.tolist()
        else:
            data["count"] = self.count.tolist()
            data["mean"] = self.mean.tolist()
            data["m2"] = self.m2.tolist()
            if self.unit != 1.0:  # a target near 1e308 (older files: none)
                data["unit"] = self.unit
        return data

    @classmethod
    def _from_data(cls, config: dict[str, Any], data: dict[str, Any]) -> TargetStats:
        state = cls(int(config["folds"]))
        keys = list(data["keys"])
        for key in [*keys, *data.get("labels", [])]:
            if not (isinstance(key, (str, int, float, bool)) or key is None):
                raise TypeError(f"a key or label must be a scalar, got {key!r}")
        state.keys, state._rows = keys, {k: i for i, k in enumerate(keys)}
        shape = (len(keys), state.folds)
        if data["form"] == "labels":
            state.labels = list(data["labels"])
            counts = np.asarray(data["counts"], dtype=np.int64)
            state.counts = counts.reshape(*shape, len(state.labels))
            state.count = np.zeros(shape, np.int64)
            state.mean, state.m2 = np.zeros(shape), np.zeros(shape)
        elif data["form"] == "moments":
            state.form = "moments"
            state.counts = np.zeros((*shape, 0), np.int64)
            state.count = np.asarray(data["count"], dtype=np.int64).reshape(shape)
            state.mean = np.asarray(data["mean"], dtype=np.float64).reshape(shape)
            state.m2 = np.asarray(data["m2"], dtype=np.float64).reshape(shape)
            unit = data.get("unit", 1.0)
            if not is_unit(unit):
                raise ValueError(f"unit must be a power of two >= 1, got {unit!r}")
            state.unit = float(unit)
        else:
            raise ValueError(f"unknown form {data['form']!r}")
        return state


def shrink(
    n: np.ndarray,
    sums: np.ndarray,
    var_c: np.ndarray,
    var_y: float,
    prior: float,
    smooth: Any,
) -> np.ndarray:
    """:func:`mlprep.encode._target_kernels.shrunk_means` from per-category count, sum and variance."""
    counts = n.astype(np.float64)
    seen = counts > 0
    out = np.full(counts.shape, prior, dtype=np.float64)
    if smooth == "auto":
        means = np.zeros(counts.shape)
        means[seen] = sums[seen] / counts[seen]
        numerator = counts * var_y
        denominator = numerator + var_c
        weight = np.ones(counts.shape)
        positive = denominator > 0
        weight[positive] = numerator[positive] / denominator[positive]
        out[seen] = weight[seen] * means[seen] + (1.0 - weight[seen]) * prior
    else:
        m = float(smooth)
        usable = seen if m == 0 else np.ones(counts.shape, dtype=bool)
        out[usable] = (sums[usable] + m * prior) / (counts[usable] + m)
    return out
