"""The mergeable state of the category-learning encoders: value counts and first sightings.

A column's categories are learned from two partial states:

* :class:`mlprep.state.CountsState`: how often each value occurred (exact up
  to its cap of distinct values), merged by addition;
* :class:`FirstSeen`: when each value was first seen, as ``(batch, position)``
  (the batch number within the fit, the value's position among that batch's
  distinct values), merged by the minimum. Sequential batches so reproduce
  the order of first appearance of the whole data; copies fitted on shards and
  merged have no common row order, so their sightings interleave by batch
  number, then position, then value: a rule that does not depend on the order
  of the merge.

Appearance and frequency orders (ties by first appearance) read both;
lexical order reads the counts alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import factorize_series, lexical_order
from mlprep.exceptions import DataError
from mlprep.state import CountsState, PartialState
from mlprep.state._counts import DEFAULT_CAP

__all__ = ["FirstSeen", "Tally", "ordered_categories", "tally"]

Tally = tuple[list[Any], np.ndarray, int]
"""``(distinct values in order of first appearance, their counts, missing count)``."""

_UNSEEN = (float("inf"), float("inf"))


def tally(series: nw.Series) -> Tally:
    """The distinct values of one column, their counts and the number of missing values.

    Examples
    --------
    >>> import pandas as pd
    >>> column = nw.from_native(pd.Series(["b", "a", None, "b"]), series_only=True)
    >>> values, counts, missing = tally(column)
    >>> values, counts.tolist(), missing
    (['b', 'a'], [2, 1], 1)
    """
    codes, uniques = factorize_series(series)
    counts = np.bincount(codes + 1, minlength=len(uniques) + 1)  # 0: missing
    return uniques, counts[1:], int(counts[0])


def count_pairs(values: Sequence[Any], counts: np.ndarray) -> dict[Any, int]:
    """``{value: count}``, adding up values a dict key cannot tell apart (``1``, ``True``)."""
    pairs: dict[Any, int] = {}
    for value, count in zip(values, counts.tolist()):
        pairs[value] = pairs.get(value, 0) + count
    return pairs


def _tiebreak(value: Any) -> tuple[str, str]:
    """A total order on values of any type, for sightings that tie across shards."""
    return type(value).__name__, repr(value)


class FirstSeen(PartialState):
    """When each value was first seen: ``(batch, position)``, merged by the minimum.

    ``update`` takes the distinct values of one batch in order of first
    appearance; a value keeps its earliest sighting. Merging adds up the
    batch counters (batches after a merge come after everything merged) and
    keeps the earlier sighting of each value. The ``cap`` earliest sightings
    are kept (ties by value), so the state is exact while at most ``cap``
    distinct values were seen, and bounded above that.

    Parameters
    ----------
    cap : int, default=100_000

    Examples
    --------
    >>> a = FirstSeen().update(["red", "blue"]).update(["green", "red"])
    >>> a.order(["green", "blue", "red"])
    ['red', 'blue', 'green']
    >>> b = FirstSeen().update(["green"])
    >>> a.merge(b).order(["green", "blue", "red"]) == b.merge(a).order(["green", "blue", "red"])
    True
    """

    kind = "encode.first_seen"

    def __init__(self, cap: int = DEFAULT_CAP) -> None:
        self.cap = int(cap)
        self.batches = 0
        self._ranks: dict[Any, tuple[int, int]] = {}

    def update(self, values: Iterable[Any]) -> FirstSeen:
        """Add one batch's distinct values, in order of first appearance; returns ``self``."""
        batch, ranks = self.batches, self._ranks
        for position, value in enumerate(values):
            if value not in ranks:
                ranks[value] = (batch, position)
        self.batches += 1
        self._bound(2 * self.cap)
        return self

    def merge(self, other: FirstSeen) -> FirstSeen:
        """A new state of both inputs; the order of the two does not matter."""
        self._check_mergeable(other)
        merged = FirstSeen(self.cap)
        merged.batches = self.batches + other.batches
        ranks = dict(self._ranks)
        for value, rank in other._ranks.items():
            known = ranks.get(value)
            if known is None or rank < known:
                ranks[value] = rank
        merged._ranks = ranks
        merged._bound(2 * self.cap)
        return merged

    def _bound(self, limit: int) -> None:
        """Keep the ``cap`` earliest sightings once more than ``limit`` are held."""
        if len(self._ranks) > limit:
            kept = sorted(self._ranks.items(), key=lambda i: (i[1], _tiebreak(i[0])))
            self._ranks = dict(kept[: self.cap])

    def order(self, values: Sequence[Any]) -> list[Any]:
        """``values`` sorted by first sighting (values never seen, or beyond the cap, last)."""
        return [values[i] for i in self.argsort(values)]

    def argsort(
        self, values: Sequence[Any], counts: Sequence[int] | None = None
    ) -> list[int]:
        """Indices that sort ``values`` by first sighting, or by ``-counts`` then sighting."""
        self._bound(self.cap)
        ranks = [self._ranks.get(v, _UNSEEN) for v in values]
        if len(set(ranks)) < len(ranks):  # sightings tie only across merged shards
            keys: list[Any] = [(r, _tiebreak(v)) for r, v in zip(ranks, values)]
        else:
            keys = ranks
        if counts is not None:
            keys = [(-c, k) for c, k in zip(counts, keys)]
        return sorted(range(len(values)), key=keys.__getitem__)

    def _config(self) -> dict[str, Any]:
        return {"cap": self.cap}

    def _data(self) -> dict[str, Any]:
        self._bound(self.cap)
        return {
            "batches": self.batches,
            "ranks": [[v, b, p] for v, (b, p) in self._ranks.items()],
        }

    @classmethod
    def _from_data(cls, config: dict[str, Any], data: dict[str, Any]) -> FirstSeen:
        state = cls(int(config["cap"]))
        state.batches = int(data["batches"])
        for value, batch, position in data["ranks"]:
            if not (isinstance(value, (str, int, float, bool)) or value is None):
                raise TypeError(f"a sighting must be of a scalar, got {value!r}")
            state._ranks[value] = (int(batch), int(position))
        return state


def ordered_categories(
    counts: CountsState, seen: FirstSeen | None, order: str, column: str
) -> tuple[list[Any], list[int]]:
    """``(categories, counts)`` of one column from its state, missing last as None.

    ``order`` is ``"lexical"``, ``"frequency"`` (descending count, ties by
    first appearance) or ``"appearance"``; the latter two need ``seen``.
    """
    table = counts.counts
    values = list(table)
    totals = [table[v] for v in values]
    if order == "lexical":
        index = sort_lexically(values, column).tolist()
    elif (
        seen is None
    ):  # pragma: no cover - the encoders keep sightings for these orders
        raise ValueError(f"order {order!r} needs the first sightings")
    else:
        index = seen.argsort(values, totals if order == "frequency" else None)
    categories = [values[i] for i in index]
    numbers = [totals[i] for i in index]
    if counts.missing:
        categories.append(None)
        numbers.append(counts.missing)
    return categories, numbers


def sort_lexically(values: Sequence[Any], column: str) -> np.ndarray:
    """:func:`lexical_order`, with a message naming the column when it cannot sort."""
    try:
        return lexical_order(values)
    except TypeError as exc:
        raise DataError(
            f"Column {column!r} mixes values that cannot be sorted "
            f"({sorted({type(v).__name__ for v in values})}). Cast the column to "
            "one type (e.g. str) before encoding it."
        ) from exc
