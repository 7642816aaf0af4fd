"""KeyKFold: K-fold cross-validation by key, each key's fold fixed by a stable hash."""

from __future__ import annotations

from collections.abc import Iterator
from numbers import Integral
from typing import Any

import numpy as np

from mlprep.core import (
    ColumnSpec,
    Interval,
    column_values,
    hash_columns,
    n_rows,
    series_values,
)
from mlprep.exceptions import DataError
from mlprep.split._base import SEED, Splitter, check_lengths, check_rows

__all__ = ["KeyKFold", "key_folds"]

_OWNER = "KeyKFold"


def key_folds(columns: list[np.ndarray], n_splits: int, seed: int) -> np.ndarray:
    """Fold of each row: ``floor(u · n_splits)`` for ``u = hash(key, seed) / 2**64``.

    The fold is a function of the key's value(s), the seed and ``n_splits``
    only: rows appended later never move an existing key, and the same key
    gets the same fold in any process, on any machine and from any backend.

    Examples
    --------
    >>> folds = key_folds([np.array(["a", "b", "a", "c"], dtype=object)], 3, 0)
    >>> bool(folds[0] == folds[2])
    True
    """
    hashes = hash_columns(columns, seed)
    # u·k on the top 53 bits of the hash (exact in float64), so floor(u·k) <= k - 1
    top = (hashes >> np.uint64(11)).astype(np.float64)
    return (top * (n_splits / 2.0**53)).astype(np.int64)


class KeyKFold(Splitter):
    """K-fold cross-validation by key: every row is validated exactly once, keys kept whole.

    Each distinct key value (customer, session, patient; or a combination of
    several columns) gets a stable 64-bit hash of its canonical bytes and the
    seed, mapped to ``u`` in [0, 1); the key's fold is ``floor(u · n_splits)``.
    Split ``i`` validates on fold ``i`` and trains on the others, so:

    * the ``n_splits`` validation sets are disjoint and together cover every
      row exactly once (true K-fold, unlike the ``n_splits`` repeated
      holdouts of :class:`KeySplitter`, :class:`RandomSplitter` and
      :class:`StratifiedSplitter`, which are scikit-learn's ``ShuffleSplit``
      kind);
    * a key is never on both sides of a split;
    * a key's fold depends only on the key, the seed and ``n_splits``:
      appending rows (new keys or more rows of old keys) never moves an
      existing key to another fold, and the same data gives the same folds
      in any process and across pandas, polars, pyarrow and numpy.
      scikit-learn's ``GroupKFold`` balances fold sizes by the group counts
      it sees, so appending rows can reshuffle every group.

    Fold sizes are random around ``n / n_splits``: with keys of sizes
    ``s_i`` over ``n`` rows, a fold's row share has standard deviation
    ``sqrt(p (1 - p) Σ s_i²) / n`` with ``p = 1 / n_splits``. With fewer
    keys than folds (or by chance with few keys) a fold can be empty, which
    raises a DataError naming it.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds (at least 2).
    key : str, int, list of str or None, default=None
        Key column(s) of ``X``; None takes the key from ``groups``.
    seed : int, default=0
        Mixed into the hash: another seed gives other (equally stable) folds.

    See Also
    --------
    KeySplitter : one train/test (or train/validation/test) split by key.
    sklearn.model_selection.GroupKFold : balanced sizes, not stable under appends.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.split import KeyKFold
    >>> df = pd.DataFrame({"customer": [1, 1, 2, 3, 3, 4, 5, 6, 7, 8], "x": range(10)})
    >>> cv = KeyKFold(n_splits=2, key="customer")
    >>> validated = [df.customer.iloc[test].tolist() for _, test in cv.split(df)]
    >>> sorted(sum(validated, []))
    [1, 1, 2, 3, 3, 4, 5, 6, 7, 8]
    >>> all(not set(df.customer.iloc[train]) & set(df.customer.iloc[test])
    ...     for train, test in cv.split(df))
    True
    """

    _parameter_constraints = {
        "n_splits": [Interval(Integral, 2, None)],
        "key": [ColumnSpec],
        "seed": [SEED],
    }
    __metadata_request__split = {"groups": True}

    def __init__(self, n_splits: int = 5, *, key: Any = None, seed: int = 0) -> None:
        self.n_splits = n_splits
        self.key = key
        self.seed = seed

    def _n_splits(self) -> int:
        return int(self.n_splits)

    def assign(
        self, X: Any, y: Any = None, groups: Any = None, *, repeat: int = 0
    ) -> np.ndarray:
        """The fold of every row, ``0`` to ``n_splits - 1`` (the validation fold of split ``i`` is ``i``).

        Parameters
        ----------
        X : DataFrame (pandas, polars), pyarrow Table or array-like
            The data; only its length and the ``key`` column(s) are read.
        y : array-like or None
            Ignored (checked for length).
        groups : array-like or None
            The key of every row, when ``key=None``.
        repeat : int, default=0
            Accepted for the splitter API; must be 0 (the folds are one partition).

        Returns
        -------
        ndarray of int64, shape (n_samples,)

        Raises
        ------
        DataError
            No key, no rows, or a fold without rows.
        """
        self._validate_params()
        if repeat != 0:
            raise DataError(
                f"{_OWNER} has one set of folds (repeat=0); got repeat={repeat!r}. "
                "Use another seed for another partition."
            )
        n = n_rows(X)
        check_lengths(n, owner=_OWNER, y=y, groups=groups)
        check_rows(n, owner=_OWNER)
        if self.key is not None:
            columns = column_values(X, self.key, param="key", owner=_OWNER)
        elif groups is not None:
            columns = [series_values(groups)]
        else:
            raise DataError(
                f"{_OWNER} needs the key: name its column(s) with key= or pass "
                "groups to split()."
            )
        folds = key_folds(columns, int(self.n_splits), int(self.seed))
        sizes = np.bincount(folds, minlength=int(self.n_splits))
        empty = np.flatnonzero(sizes == 0).tolist()
        if empty:
            raise DataError(
                f"{_OWNER}(n_splits={self.n_splits}) leaves fold(s) {empty} without rows "
                f"({n} rows; fold sizes {sizes.tolist()}): whole keys are assigned by "
                "hash, so with few distinct keys a fold can stay empty. Use fewer "
                "splits, more keys, or another seed."
            )
        return folds

    def parts(
        self, X: Any, y: Any = None, groups: Any = None, *, repeat: int = 0
    ) -> tuple[np.ndarray, ...]:
        """Positional indices of each fold, each sorted (the arguments of :meth:`assign`)."""
        folds = self.assign(X, y, groups, repeat=repeat)
        return tuple(np.flatnonzero(folds == k) for k in range(int(self.n_splits)))

    def split(
        self, X: Any, y: Any = None, groups: Any = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield ``(train, validation)`` positional indices, fold 0 first.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or None
        groups : array-like of shape (n_samples,) or None
            The key, when ``key=None``.

        Yields
        ------
        train, test : ndarray of int
        """
        folds = self.assign(X, y, groups)
        for fold in range(int(self.n_splits)):
            yield np.flatnonzero(folds != fold), np.flatnonzero(folds == fold)
