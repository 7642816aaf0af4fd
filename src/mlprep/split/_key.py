"""KeySplitter: every row of a key in one part, chosen by a stable hash of the key."""

from __future__ import annotations

from numbers import Integral
from typing import Any

import numpy as np

from mlprep.core import (
    ColumnSpec,
    Interval,
    column_values,
    factorize_array,
    hash_columns,
    series_values,
)
from mlprep.exceptions import DataError
from mlprep.split._base import RATIOS, SEED, SeededSplitter

__all__ = ["KeySplitter", "key_labels", "stratified_key_labels"]


def _cuts(ratios: tuple[float, ...]) -> np.ndarray:
    return np.cumsum(np.asarray(ratios, dtype=np.float64))[:-1]


def key_labels(
    columns: list[np.ndarray], ratios: tuple[float, ...], seed: int
) -> np.ndarray:
    """Part of each row from the hash of its key: ``u = hash / 2**64`` cut at the cumulative ratios.

    A key's part depends only on its value(s), the seed and the ratios, never
    on the other rows: appending rows never moves an existing key.
    """
    hashes = hash_columns(columns, seed)
    labels = np.zeros(len(hashes), dtype=np.int8)
    for cut in _cuts(ratios):
        # u >= cut  <=>  hash >= cut * 2**64, compared on the integers (no float pass)
        threshold = np.uint64(min(int(cut * 2.0**64), 2**64 - 1))
        labels += (hashes >= threshold).view(np.int8)
    return labels


def stratified_key_labels(
    columns: list[np.ndarray], codes: np.ndarray, ratios: tuple[float, ...], seed: int
) -> np.ndarray:
    """Keys kept whole, strata balanced: each key joins the stratum of its majority class.

    Within a stratum, keys are ordered by their hash and assigned to the part
    in which the midpoint of their rows falls on the stratum's cumulative row
    count, so each stratum's row shares track the ratios within about one key.
    Ties of the majority go to the class seen first.
    """
    key_ids, key_hashes = factorize_array(hash_columns(columns, seed))
    n_classes = int(codes.max()) + 1 if len(codes) else 1
    pairs, pair_counts = np.unique(key_ids * n_classes + codes, return_counts=True)
    pair_key, pair_class = pairs // n_classes, pairs % n_classes
    order = np.lexsort((pair_class, -pair_counts, pair_key))
    first = order[np.r_[True, pair_key[order][1:] != pair_key[order][:-1]]]
    majority = pair_class[first]  # one entry per key id, in key-id order
    sizes = np.bincount(key_ids, minlength=len(key_hashes)).astype(np.float64)
    order = np.lexsort((np.asarray(key_hashes, dtype=np.uint64), majority))
    stratum = majority[order]
    running = np.cumsum(sizes[order])
    totals = np.bincount(stratum, weights=sizes[order], minlength=n_classes)
    before = np.concatenate(([0.0], np.cumsum(totals)[:-1]))
    middle = (running - before[stratum] - sizes[order] / 2.0) / totals[stratum]
    key_part = np.empty(len(key_hashes), dtype=np.int8)
    key_part[order] = np.searchsorted(_cuts(ratios), middle, side="right")
    return key_part[key_ids]


class KeySplitter(SeededSplitter):
    """Split by key: all rows of a key (customer, session, patient) land in one part.

    Each distinct key value (or combination, for several columns) gets a
    stable 64-bit hash of its canonical bytes and the seed, mapped to
    ``u`` in [0, 1); the key goes to the part whose cumulative ratio interval
    holds ``u``. So the split is a function of the key alone:

    * appending rows never moves an existing key to another part;
    * the same data gives the same split in any process (``PYTHONHASHSEED``)
      and on any machine, and across pandas, polars, pyarrow and numpy.

    Row shares are random around the ratios: with keys of sizes ``s_i`` over
    ``n`` rows, a part's share has standard deviation
    ``sqrt(r * (1 - r) * sum(s_i**2)) / n`` (``sqrt(r * (1 - r) / K)`` for K
    equal keys); expect it within three of those of ``r``.

    Parameters
    ----------
    ratios : tuple of 2 or 3 floats, default=(0.8, 0.2)
        Target shares of (train, test) or (train, validation, test).
    n_splits : int, default=1
        How many pairs :meth:`split` yields: repeated random holdouts, the
        i-th with seed ``seed + i`` (scikit-learn's ``ShuffleSplit`` kind,
        not K-fold: holdouts overlap and some rows are never held out). For
        K-fold, where every row is validated once, use :class:`KeyKFold`.
    key : str, int, list of str or None, default=None
        Key column(s) of ``X``; None takes the key from ``groups``.
    seed : int, default=0
        Mixed into the hash: another seed gives another (equally stable) split.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.split import KeySplitter
    >>> df = pd.DataFrame({"customer": [1, 1, 2, 3, 3, 4, 5, 6, 7, 8], "x": range(10)})
    >>> train, test = next(KeySplitter(ratios=(0.5, 0.5), key="customer").split(df))
    >>> set(df.customer.iloc[train]) & set(df.customer.iloc[test])
    set()
    """

    _parameter_constraints = {
        "ratios": [RATIOS],
        "n_splits": [Interval(Integral, 1, None)],
        "key": [ColumnSpec],
        "seed": [SEED],
    }
    __metadata_request__split = {"groups": True}

    def __init__(
        self,
        *,
        ratios: tuple[float, ...] = (0.8, 0.2),
        n_splits: int = 1,
        key: Any = None,
        seed: int = 0,
    ) -> None:
        self.ratios = ratios
        self.n_splits = n_splits
        self.key = key
        self.seed = seed

    def _labels(self, X: Any, y: Any, groups: Any, seed: int) -> np.ndarray:
        if self.key is not None:
            columns = column_values(X, self.key, param="key", owner="KeySplitter")
        elif groups is not None:
            columns = [series_values(groups)]
        else:
            raise DataError(
                "KeySplitter needs the key: name its column(s) with key= or pass "
                "groups to split()."
            )
        return key_labels(columns, tuple(self.ratios), seed)

    def _empty_hint(self) -> str:
        return (
            "A key split assigns whole keys by hash, so with few distinct keys a "
            "part can stay empty: use more keys, another seed, or method='random'."
        )
