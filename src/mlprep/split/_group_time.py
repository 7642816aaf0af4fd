"""GroupTimeSeriesSplit: expanding-window CV over whole groups (days, weeks, sessions)."""

from __future__ import annotations

from collections.abc import Iterator
from numbers import Integral
from typing import Any

import numpy as np

from mlprep.core import (
    Boolean,
    Interval,
    NoneOK,
    Predicate,
    column_values,
    factorize_array,
    n_rows,
    plain_value,
    series_values,
)
from mlprep.exceptions import DataError
from mlprep.split._base import Splitter, check_lengths, check_rows
from mlprep.split._ordered import sortable

__all__ = ["GroupTimeSeriesSplit"]

_OWNER = "GroupTimeSeriesSplit"


class GroupTimeSeriesSplit(Splitter):
    """Expanding-window time-series CV whose folds are whole groups in time order.

    Read the groups (days, weeks, sessions) in time order. With ``G`` groups
    and ``n_splits`` folds, each test block is ``G // (n_splits + 1)``
    consecutive groups; fold ``i`` tests on the i-th of the last ``n_splits``
    blocks and trains on every group before it, minus the ``gap`` groups just
    before the test block (and only the latest ``max_train_size`` groups when
    set). So test always comes after train and no group is cut in two. With
    one row per group this is scikit-learn's ``TimeSeriesSplit``.

    **Time order.** ``order_by=None`` means the rows are in time order and a
    group's place is its first row. Otherwise ``order_by`` names the time
    column of ``X`` (numbers or datetimes) and groups are ordered by their
    earliest time. Each group must then be one block in time: a group whose
    rows are interleaved with another group's (in row order, or with
    overlapping time ranges when ``order_by`` is given) raises a DataError
    naming both, unless ``purge=True``.

    **purge=True** is for groups that are entities (customers, patients)
    whose rows interleave in time. The blocks are then consecutive *time
    steps* (distinct values of ``order_by``, or rows when ``order_by=None``)
    instead of groups; ``gap`` and ``max_train_size`` count time steps; and
    the rows of every group present in a fold's test block are removed from
    that fold's train set, so no entity is on both sides.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds (at least 1).
    gap : int, default=0
        Groups (time steps with ``purge=True``) left out between the end of
        train and the start of test.
    max_train_size : int or None, default=None
        At most this many groups (time steps with ``purge=True``) of train
        per fold, the latest ones; None: all earlier ones (expanding window).
    purge : bool, default=False
        Allow interleaved groups and purge test groups from train (see above).
    order_by : str, int or None, default=None
        The time column of ``X`` (a name or position); None: rows are in
        time order.

    Examples
    --------
    >>> import numpy as np
    >>> from mlprep.split import GroupTimeSeriesSplit
    >>> day = np.repeat([1, 2, 3, 4, 5, 6], 2)
    >>> X = np.zeros((12, 1))
    >>> for train, test in GroupTimeSeriesSplit(n_splits=2, gap=1).split(X, groups=day):
    ...     print(sorted(set(day[train].tolist())), sorted(set(day[test].tolist())))
    [1] [3, 4]
    [1, 2, 3] [5, 6]
    """

    _parameter_constraints = {
        "n_splits": [Interval(Integral, 1, None)],
        "gap": [Interval(Integral, 0, None)],
        "max_train_size": [Interval(Integral, 1, None), NoneOK],
        "purge": [Boolean],
        "order_by": [
            NoneOK,
            Predicate(
                lambda v: isinstance(v, (str, int)) and not isinstance(v, bool),
                "a column name or position",
            ),
        ],
    }
    __metadata_request__split = {"groups": True}

    def __init__(
        self,
        n_splits: int = 5,
        *,
        gap: int = 0,
        max_train_size: int | None = None,
        purge: bool = False,
        order_by: Any = None,
    ) -> None:
        self.n_splits = n_splits
        self.gap = gap
        self.max_train_size = max_train_size
        self.purge = purge
        self.order_by = order_by

    def _n_splits(self) -> int:
        return int(self.n_splits)

    def split(
        self, X: Any, y: Any = None, groups: Any = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield ``(train, test)`` positional indices for each fold, earliest first.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Read for its length and the ``order_by`` column.
        y : None
            Ignored.
        groups : array-like of shape (n_samples,)
            The group of every row (required).

        Yields
        ------
        train, test : ndarray of int
        """
        self._validate_params()
        n = n_rows(X)
        check_lengths(n, owner=_OWNER, y=y, groups=groups)
        check_rows(n, owner=_OWNER)
        if groups is None:
            raise DataError(f"{_OWNER} needs the groups: pass groups= to split().")
        group_ids, _ = factorize_array(series_values(groups), na_sentinel=False)
        times = None
        if self.order_by is not None:
            (raw,) = column_values(X, self.order_by, param="order_by", owner=_OWNER)
            times = sortable(raw, _OWNER)
        if self.purge:
            step, n_steps = self._time_steps(times, n)
        else:
            step, n_steps = self._group_steps(group_ids, times, groups)
        for train_lo, test_lo, test_hi in self._blocks(n_steps):
            test = (step >= test_lo) & (step < test_hi)
            train = (step >= train_lo) & (step < test_lo - self.gap)
            if self.purge:
                train &= ~np.isin(group_ids, np.unique(group_ids[test]))
                if not train.any():
                    raise DataError(
                        f"{_OWNER}: purging the test groups leaves the train set of the "
                        f"fold testing time steps {test_lo}..{test_hi - 1} empty; every "
                        "earlier row belongs to a group in the test block. Use fewer "
                        "splits or purge=False with time-block groups."
                    )
            yield np.flatnonzero(train), np.flatnonzero(test)

    def _blocks(self, n_steps: int) -> list[tuple[int, int, int]]:
        """(train start, test start, test end) in steps, sklearn TimeSeriesSplit's arithmetic."""
        n_folds = self.n_splits + 1
        unit = "time steps" if self.purge else "groups"
        test_size = n_steps // n_folds
        if test_size < 1 or n_steps - self.n_splits * test_size - self.gap <= 0:
            raise DataError(
                f"{_OWNER}: too many splits={self.n_splits} for {n_steps} {unit} with "
                f"gap={self.gap}; each fold needs at least one {unit[:-1]} of test and one "
                "of train. Use fewer splits or a smaller gap."
            )
        blocks = []
        for test_lo in range(n_steps - self.n_splits * test_size, n_steps, test_size):
            train_end = test_lo - self.gap
            train_lo = (
                0
                if self.max_train_size is None
                else max(0, train_end - self.max_train_size)
            )
            blocks.append((train_lo, test_lo, test_lo + test_size))
        return blocks

    def _time_steps(self, times: np.ndarray | None, n: int) -> tuple[np.ndarray, int]:
        if times is None:
            return np.arange(n), n
        steps, uniques = factorize_array(times, sort=True)
        return steps, len(uniques)

    def _group_steps(
        self, group_ids: np.ndarray, times: np.ndarray | None, groups: Any
    ) -> tuple[np.ndarray, int]:
        n_groups = int(group_ids.max()) + 1
        labels = series_values(groups)
        if times is None:
            changes = np.flatnonzero(group_ids[1:] != group_ids[:-1])
            if len(changes) != n_groups - 1:
                seen = np.zeros(n_groups, dtype=bool)
                seen[group_ids[0]] = True
                for position in (changes + 1).tolist():
                    if seen[group_ids[position]]:
                        raise DataError(
                            f"{_OWNER}: group {plain_value(labels[position])!r} is not contiguous: it "
                            f"comes back at row {position} after group "
                            f"{plain_value(labels[position - 1])!r}. Sort the rows by time, give "
                            "order_by=, or use purge=True for groups that interleave."
                        )
                    seen[group_ids[position]] = True
            return group_ids, n_groups  # factorize numbers groups by first appearance
        low = np.full(n_groups, np.inf)
        high = np.full(n_groups, -np.inf)
        np.minimum.at(low, group_ids, times)
        np.maximum.at(high, group_ids, times)
        order = np.lexsort((high, low))
        overlap = np.flatnonzero(low[order][1:] <= high[order][:-1])
        if overlap.size:
            a, b = order[overlap[0]], order[overlap[0] + 1]
            first_a = plain_value(labels[np.flatnonzero(group_ids == a)[0]])
            first_b = plain_value(labels[np.flatnonzero(group_ids == b)[0]])
            raise DataError(
                f"{_OWNER}: groups {first_a!r} and {first_b!r} overlap in time, so "
                "they are not blocks of time. Use groups that partition time (days, "
                "weeks), or purge=True for entity groups whose rows interleave."
            )
        rank = np.empty(n_groups, dtype=np.int64)
        rank[order] = np.arange(n_groups)
        return rank[group_ids], n_groups
