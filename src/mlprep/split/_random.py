"""RandomSplitter: a seeded shuffle cut at the ratios."""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np

from mlprep.core import Interval, n_rows
from mlprep.split._base import RATIOS, SEED, SeededSplitter, allocate

__all__ = ["RandomSplitter"]


def random_labels(n: int, ratios: tuple[float, ...], seed: int) -> np.ndarray:
    """Labels 0..k-1 with exactly ``allocate(n, ratios)`` rows each, at seeded random positions."""
    counts = allocate(n, ratios)
    permutation = np.random.default_rng(seed).permutation(n)
    labels = np.empty(n, dtype=np.int8)
    labels[permutation] = np.repeat(np.arange(len(counts), dtype=np.int8), counts)
    return labels


class RandomSplitter(SeededSplitter):
    """Split rows at random into parts of the given ratios.

    Part sizes are ``n * ratios`` rounded by largest remainder (each within
    one row of exact, together exactly ``n``). The shuffle comes from
    ``numpy.random.default_rng(seed)``, so the same ``n`` and seed give the
    same split in any process.

    Parameters
    ----------
    ratios : tuple of 2 or 3 floats, default=(0.8, 0.2)
        Shares of (train, test) or (train, validation, test); each in (0, 1),
        summing to 1.
    n_splits : int, default=1
        How many pairs :meth:`split` yields: repeated random holdouts, the
        i-th with seed ``seed + i`` (scikit-learn's ``ShuffleSplit`` kind,
        not K-fold: holdouts overlap and some rows are never held out). For
        K-fold, where every row is validated once, use :class:`KeyKFold` (by
        key) or scikit-learn's ``KFold``.
    seed : int, default=0
        Seed of the shuffle.

    See Also
    --------
    train_val_test_split : the one-call function form.
    StratifiedSplitter, OrderedSplitter, KeySplitter

    Examples
    --------
    >>> import numpy as np
    >>> from mlprep.split import RandomSplitter
    >>> X = np.arange(10).reshape(-1, 1)
    >>> train, test = next(RandomSplitter(ratios=(0.8, 0.2)).split(X))
    >>> len(train), len(test), sorted(set(train) | set(test)) == list(range(10))
    (8, 2, True)
    """

    _parameter_constraints = {
        "ratios": [RATIOS],
        "n_splits": [Interval(Integral, 1, None)],
        "seed": [SEED],
    }

    def __init__(
        self,
        *,
        ratios: tuple[float, ...] = (0.8, 0.2),
        n_splits: int = 1,
        seed: int = 0,
    ) -> None:
        self.ratios = ratios
        self.n_splits = n_splits
        self.seed = seed

    def _labels(self, X: Any, y: Any, groups: Any, seed: int) -> np.ndarray:
        return random_labels(n_rows(X), tuple(self.ratios), seed)
