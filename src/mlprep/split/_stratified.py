"""StratifiedSplitter: every class split in the same ratios, within one row."""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np

from mlprep.core import (
    ColumnSpec,
    Interval,
    column_values,
    combine_codes,
    factorize_array,
    plain_value,
    series_values,
)
from mlprep.exceptions import DataError
from mlprep.split._base import RATIOS, SEED, SeededSplitter, allocate
from mlprep.split._key import stratified_key_labels

__all__ = ["StratifiedSplitter", "class_codes", "stratified_labels"]


def class_codes(columns: list[np.ndarray]) -> tuple[np.ndarray, list[Any]]:
    """Integer class codes (0..C-1, order of appearance) and the class values.

    A missing value is a class of its own. Several columns form one class per
    distinct combination.
    """
    codes, uniques = factorize_array(columns[0], na_sentinel=False)
    if len(columns) == 1:
        return codes, list(uniques)
    codes = combine_codes(
        [codes]
        + [factorize_array(column, na_sentinel=False)[0] for column in columns[1:]]
    )
    _, first = np.unique(codes, return_index=True)
    names = [tuple(column[i] for column in columns) for i in first.tolist()]
    return codes, names


def _allocation(
    sizes: np.ndarray, ratios: tuple[float, ...], names: list[Any]
) -> np.ndarray:
    """Rows of each class (row) per part (column): floor or ceil of the exact share.

    Every part gets at least one row of every class; the extra rows left by
    rounding go first where a part would otherwise be empty, then where the
    overall part sizes lag furthest behind ``allocate(n, ratios)``.
    """
    shares = np.asarray(ratios, dtype=np.float64)
    exact = sizes[:, None] * shares[None, :]
    floors = np.floor(exact + 1e-9).astype(np.int64)
    fractions = exact - floors
    spare = sizes - floors.sum(axis=1)
    zero = floors == 0
    too_small = np.flatnonzero(zero.sum(axis=1) > spare)
    if too_small.size:
        need = next(
            m
            for m in range(len(ratios), 10 * len(ratios) + 100)
            if _reaches_every_part(m, shares)
        )
        listed = ", ".join(
            f"{plain_value(names[c])!r} ({sizes[c]} rows)" for c in too_small[:10]
        )
        raise DataError(
            f"Stratified split with ratios={tuple(ratios)}: class(es) {listed} are too "
            f"small to reach every part; each class needs at least {need} rows. Merge "
            "rare classes into a larger one, drop them, or use method='random'."
        )
    counts = floors + zero
    spare = spare - zero.sum(axis=1)
    deficit = allocate(int(sizes.sum()), ratios) - counts.sum(axis=0)
    eligible = (fractions > 1e-9) & ~zero
    for c in np.flatnonzero(spare > 0):
        priority = np.where(eligible[c], deficit + 0.5 * fractions[c], -np.inf)
        chosen = np.argsort(-priority, kind="stable")[: spare[c]]
        counts[c, chosen] += 1
        deficit[chosen] -= 1
    return counts


def _reaches_every_part(size: int, shares: np.ndarray) -> bool:
    floors = np.floor(size * shares + 1e-9)
    return int((floors == 0).sum()) <= size - int(floors.sum())


def stratified_labels(
    codes: np.ndarray, names: list[Any], ratios: tuple[float, ...], seed: int
) -> np.ndarray:
    """Labels giving each class ``floor`` or ``ceil`` of its exact share in every part.

    Rows of a class are assigned in a seeded random order.
    """
    n = len(codes)
    sizes = np.bincount(codes, minlength=len(names))
    counts = _allocation(sizes, ratios, names)
    small = codes.astype(np.int16) if len(names) < 2**15 else codes
    permutation = np.random.default_rng(seed).permutation(n)
    order = permutation[np.argsort(small[permutation], kind="stable")]
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    position = np.arange(n) - np.repeat(starts, sizes)
    bounds = np.cumsum(counts, axis=1)
    sorted_labels = np.zeros(n, dtype=np.int8)
    for k in range(len(ratios) - 1):
        sorted_labels += position >= np.repeat(bounds[:, k], sizes)
    labels = np.empty(n, dtype=np.int8)
    labels[order] = sorted_labels
    return labels


class StratifiedSplitter(SeededSplitter):
    """Split so that every class has the same share in every part, within one row.

    For a class of ``n_c`` rows, each part gets ``floor`` or ``ceil`` of
    ``n_c * ratio`` rows, chosen at random (seeded) within the class; the
    rounding is arranged so the overall part sizes also stay close to
    ``n * ratios``. A missing value is a class of its own.

    A class too small to give every part at least one row raises a
    :class:`~mlprep.exceptions.DataError` naming it (no silent fallback); so
    does data with no rows ("no rows to split"), as for every splitter.

    When ``groups`` are passed to :meth:`split` (or ``key=`` to
    :func:`train_val_test_split`), groups are kept whole and strata are
    balanced over groups: see :class:`KeySplitter`.

    Parameters
    ----------
    ratios : tuple of 2 or 3 floats, default=(0.8, 0.2)
        Shares of (train, test) or (train, validation, test).
    n_splits : int, default=1
        How many pairs :meth:`split` yields: repeated random holdouts, the
        i-th with seed ``seed + i`` (scikit-learn's ``ShuffleSplit`` kind,
        not K-fold: holdouts overlap and some rows are never held out). For
        K-fold, where every row is validated once, use :class:`KeyKFold` (by
        key) or scikit-learn's ``KFold``.
    stratify : str, int, list of str or None, default=None
        Column(s) of ``X`` holding the strata; None stratifies on ``y``.
    seed : int, default=0
        Seed of the shuffle within each class.

    Examples
    --------
    >>> import numpy as np
    >>> from mlprep.split import StratifiedSplitter
    >>> X, y = np.zeros((20, 1)), np.array([0] * 10 + [1] * 10)
    >>> train, test = next(StratifiedSplitter(ratios=(0.8, 0.2)).split(X, y))
    >>> np.bincount(y[train]).tolist(), np.bincount(y[test]).tolist()
    ([8, 8], [2, 2])
    """

    _parameter_constraints = {
        "ratios": [RATIOS],
        "n_splits": [Interval(Integral, 1, None)],
        "stratify": [ColumnSpec],
        "seed": [SEED],
    }
    __metadata_request__split = {"groups": True}

    def __init__(
        self,
        *,
        ratios: tuple[float, ...] = (0.8, 0.2),
        n_splits: int = 1,
        stratify: Any = None,
        seed: int = 0,
    ) -> None:
        self.ratios = ratios
        self.n_splits = n_splits
        self.stratify = stratify
        self.seed = seed

    def _strata(self, X: Any, y: Any) -> list[np.ndarray]:
        if self.stratify is not None:
            return column_values(
                X, self.stratify, param="stratify", owner=type(self).__name__
            )
        if y is None:
            raise DataError(
                "StratifiedSplitter needs the classes: pass y to split(), or name "
                "the strata column(s) with stratify=."
            )
        values = series_values(y)
        if values.ndim != 1:
            raise DataError(
                f"StratifiedSplitter needs a 1-D y; got shape {values.shape}. Name the "
                "strata column with stratify= instead."
            )
        return [values]

    def _labels(self, X: Any, y: Any, groups: Any, seed: int) -> np.ndarray:
        codes, names = class_codes(self._strata(X, y))
        if groups is not None:
            return stratified_key_labels(
                [series_values(groups)], codes, tuple(self.ratios), seed
            )
        return stratified_labels(codes, names, tuple(self.ratios), seed)
