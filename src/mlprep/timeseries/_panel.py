"""Numpy kernels shared by the panel transformers: ordering, history, windows.

A *panel* is the rows of one call (and, in ``transform``, the history tail kept
by ``fit``) sorted once by (group, time). Every feature is computed on those
sorted arrays, where each group is one contiguous segment, and scattered back
to the caller's row order. No Python loop runs over rows.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Literal

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import (
    combine_codes,
    epoch_ns_array,
    factorize_array,
    index_in,
    is_missing,
    temporal_kind,
    timedelta_ns,
)
from mlprep.exceptions import DataError

__all__ = [
    "Panel",
    "build_panel",
    "duration_ns",
    "group_codes",
    "group_order",
    "key_values",
    "locate",
    "time_kind",
    "time_values",
]


def duration_ns(value: Any) -> int | None:
    """Nanoseconds of a duration string such as ``"7D"`` or ``"12h"``; None if not one."""
    if not isinstance(value, str):
        return None
    try:
        ns = timedelta_ns(value)
    except (TypeError, ValueError):
        return None
    return ns if ns > 0 else None


def is_lag(value: Any) -> bool:
    """A row count >= 1 (int) or a positive duration string."""
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, np.integer)):
        return bool(value >= 1)
    return duration_ns(value) is not None


def time_kind(series: nw.Series, *, owner: str) -> str:
    """``"datetime"``, ``"date"`` or ``"numeric"``: the kind of a time column.

    Raises a DataError when the column is none of these.
    """
    kind = temporal_kind(series.dtype)
    if kind is None:
        raise DataError(
            f"{owner} needs a datetime, date or numeric time_column, but column "
            f"{series.name!r} has dtype {series.dtype}. Parse it into datetimes first "
            "(pandas.to_datetime, polars' str.to_datetime)."
        )
    return kind


def time_values(series: nw.Series, *, owner: str) -> tuple[np.ndarray, str]:
    """The time column as int64 nanoseconds since the epoch (UTC) or float64 numbers.

    Raises a DataError when the column is not datetime, date or numeric, or has
    missing values (a row without a time has no place in the order).
    """
    kind = time_kind(series, owner=owner)
    if kind == "numeric":  # NaN is missing too
        missing = int(is_missing(series).sum())
    else:  # NaT / null: a count the backend may know without a pass
        missing = int(series.null_count())
    if missing:
        raise DataError(
            f"{owner}: the time_column {series.name!r} has {missing} missing value(s); "
            "every row needs a time to be ordered. Drop or fill those rows first."
        )
    if kind == "numeric":
        return np.asarray(series.to_numpy(), dtype=np.float64), kind
    return epoch_ns_array(series), kind


def key_values(series: nw.Series) -> np.ndarray:
    """A group column's values as numpy (categories as their strings)."""
    dtype = series.dtype
    if dtype in (nw.Categorical, nw.Enum) or isinstance(
        dtype, (nw.Categorical, nw.Enum)
    ):
        series = series.cast(nw.String)
    return np.asarray(series.to_numpy())


def _direct_codes(
    values: np.ndarray, history: list[Any] | None
) -> tuple[np.ndarray, np.ndarray] | None:
    """Integer keys in [0, 2**16) are their own codes (no hash table); else None.

    The bound keeps the codes sortable by numpy's 16-bit radix sort.
    """
    if values.dtype.kind not in "iu" or values.size == 0:
        return None
    bound = 2**16
    if values.min() < 0 or values.max() >= bound:
        return None
    hist_codes = np.zeros(0, np.int64)
    if history is not None:
        hist = np.asarray(history)
        if hist.dtype.kind not in "iu" or (
            hist.size and (hist.min() < 0 or hist.max() >= bound)
        ):
            return None
        hist_codes = hist.astype(np.int64)
    return hist_codes, values.astype(np.int64)


def group_codes(
    frame: nw.DataFrame,
    names: list[str],
    history: dict[str, list[Any]] | None,
    n_hist: int,
) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Integer group codes of the history rows and of the frame's rows.

    Returns ``(history_codes, codes, key_arrays)``; equal keys get equal codes
    in both, and a missing key (None/NaN) is a group of its own.
    """
    n = frame.shape[0]
    if not names:
        return np.zeros(n_hist, np.int64), np.zeros(n, np.int64), []
    if len(names) == 1:
        values = key_values(frame[names[0]])
        direct = _direct_codes(
            values, history[names[0]] if n_hist and history else None
        )
        if direct is not None:
            return direct[0], direct[1], [values]
    per_column = []
    keys = []
    for name in names:
        values = key_values(frame[name])
        keys.append(values)
        codes, uniques = factorize_array(values, na_sentinel=False)
        hist_codes = np.zeros(n_hist, np.int64)
        if n_hist:
            assert history is not None, "history rows come with their group keys"
            hist_values = np.empty(n_hist, dtype=object)
            hist_values[:] = history[name]
            hist_codes = index_in(hist_values, uniques)
            unseen = hist_codes < 0
            if unseen.any():
                extra, _ = factorize_array(hist_values[unseen], na_sentinel=False)
                hist_codes[unseen] = len(uniques) + extra
        per_column.append((hist_codes, codes))
    if len(per_column) == 1:
        hist_codes, codes = per_column[0]
        return hist_codes, codes, keys
    both = combine_codes([np.concatenate(pair) for pair in per_column])
    return both[:n_hist], both[n_hist:], keys


@dataclass
class Panel:
    """Rows sorted by (group, time); history rows first, then the frame's rows.

    ``order[i]`` is the combined row (history rows ``0..n_hist-1``, then the
    frame's rows) at sorted position ``i``; ``heads`` are the sorted positions
    where each group's segment begins, and ``starts[i]``/``ends[i]`` (computed
    on first use) bound the segment of row ``i``; ``new_pos`` are the sorted
    positions of the frame's rows and ``new_rows`` their row numbers in the
    frame.
    """

    order: np.ndarray
    codes: np.ndarray
    times: np.ndarray
    heads: np.ndarray
    new_pos: np.ndarray
    new_rows: np.ndarray
    rank: np.ndarray | None = None
    """The sorted position of every combined row, when no row was dropped."""
    n_hist: int = 0
    """How many history rows come before the frame's rows among the combined rows."""

    @property
    def size(self) -> int:
        return int(self.order.size)

    @property
    def tails(self) -> np.ndarray:
        """One past the last sorted position of each group."""
        if not self.heads.size:
            return self.heads.astype(np.int64)
        return np.r_[self.heads[1:], self.size].astype(np.int64)

    @cached_property
    def index(self) -> np.ndarray:
        """``0, 1, …, size - 1``: every sorted position."""
        return np.arange(self.size)

    @cached_property
    def starts(self) -> np.ndarray:
        """Per sorted row, the first position of its group."""
        return np.repeat(self.heads, self.tails - self.heads)

    @cached_property
    def ends(self) -> np.ndarray:
        """Per sorted row, one past the last position of its group."""
        tails = self.tails
        return np.repeat(tails, tails - self.heads)

    def take(self, combined: np.ndarray) -> np.ndarray:
        """A combined (history + frame) column in sorted order."""
        if self.rank is not None:
            # a scatter reads the column in order: far fewer cache misses
            # than gathering it through ``order``
            out = np.empty(self.size, dtype=combined.dtype)
            out[self.rank] = combined
            return out
        return combined[self.order]

    def scatter(self, sorted_values: np.ndarray) -> np.ndarray:
        """A sorted feature back in the frame's row order (history rows dropped)."""
        if self.rank is not None:
            # gathered through each frame row's sorted position: the reads
            # follow the caller's row order (rows of one time hit the same few
            # cache lines of every group), where a scatter through ``order``
            # writes one cache line per row
            return sorted_values[self.rank[self.n_hist :]]
        out = np.empty(self.new_rows.size, dtype=sorted_values.dtype)
        if self.new_pos.size == self.size:
            out[self.new_rows] = sorted_values
        else:
            out[self.new_rows] = sorted_values[self.new_pos]
        return out

    def tail_positions(self, rows: int) -> np.ndarray:
        """The sorted positions of each group's last ``rows`` rows, ascending."""
        heads, tails = self.heads, self.tails
        return _runs(np.maximum(tails - rows, heads), tails)

    def head_positions(self, rows: int) -> np.ndarray:
        """The sorted positions of each group's first ``rows`` rows, ascending."""
        heads, tails = self.heads, self.tails
        return _runs(heads, np.minimum(heads + rows, tails))


def _runs(first: np.ndarray, stop: np.ndarray) -> np.ndarray:
    """The positions ``first[g] .. stop[g] - 1`` of every run ``g``, concatenated."""
    lengths = stop - first
    total = int(lengths.sum())
    offsets = np.repeat(first - (np.cumsum(lengths) - lengths), lengths)
    return np.arange(total, dtype=np.int64) + offsets


def _counting_sort() -> Any:
    """pandas' stable counting sort of group codes, or None if it cannot be imported.

    ``groupsort_indexer(codes, n_groups)`` is what pandas' groupby sorts its
    group ids with: one pass to count, one to place, ``O(n + n_groups)``,
    about ten times numpy's radix ``argsort`` of 16-bit keys.
    """
    try:
        function = importlib.import_module("pandas._libs.algos").groupsort_indexer
    except (ImportError, AttributeError):  # pragma: no cover - a pandas without it
        return None
    return function


_COUNTING_SORT = _counting_sort()


def group_order(codes: np.ndarray, n_codes: int) -> tuple[np.ndarray, np.ndarray]:
    """The stable order of ``codes`` (ints in ``[0, n_codes)``) and each code's count.

    Equal to ``np.argsort(codes, kind="stable")`` and ``np.bincount(codes,
    minlength=n_codes)``.

    Examples
    --------
    >>> order, counts = group_order(np.array([2, 0, 2, 1]), 3)
    >>> order.tolist(), counts.tolist()
    ([1, 3, 0, 2], [1, 1, 2])
    """
    if _COUNTING_SORT is not None and codes.size:
        try:
            order, counts = _COUNTING_SORT(codes.astype(np.intp, copy=False), n_codes)
            # counts[0] is pandas' slot for missing codes (-1): there are none
            return np.asarray(order, dtype=np.int64), np.asarray(counts[1:])
        except (TypeError, ValueError):  # pragma: no cover - a changed signature
            pass
    # numpy radix-sorts 16-bit keys: one stable pass instead of a merge sort
    small = codes.astype(np.uint16) if n_codes <= 2**16 else codes
    return np.argsort(small, kind="stable"), np.bincount(codes, minlength=n_codes)


def build_panel(
    codes: np.ndarray,
    times: np.ndarray,
    n_hist: int,
    *,
    describe: Any,
    owner: str,
) -> Panel:
    """Sort combined rows by (group, time), drop history rows the frame supersedes.

    ``describe(row)`` names the group of a frame row for the duplicate message.
    A (group, time) pair present twice among the frame's rows raises a DataError;
    a frame row with the (group, time) of a history row replaces that history row.
    """
    m = codes.size
    n_codes = int(codes.max()) + 1 if m else 0
    order, counts = group_order(codes, n_codes)
    rank = np.empty(m, dtype=np.int64)
    rank[order] = np.arange(m)
    t = np.empty_like(times)
    t[rank] = times  # = times[order], read in row order
    # the codes in sorted order, written from the counts instead of gathered
    c = np.repeat(np.arange(n_codes, dtype=codes.dtype), counts)
    heads = (np.cumsum(counts) - counts)[counts > 0]
    # one pass finds both an unsorted group and a tie: a time not above the
    # one before it, unless a new group starts there
    stalls = t[1:] <= t[:-1]
    stalls[heads[1:] - 1] = False
    ties = heads[:0]
    if stalls.any():
        same = c[1:] == c[:-1]
        if np.any(same & (t[1:] < t[:-1])):
            source = np.arange(m) >= n_hist
            order = np.lexsort((source, times, codes))
            rank[order] = np.arange(m)
            c, t = codes[order], times[order]
            same = c[1:] == c[:-1]
        ties = np.flatnonzero(same & (t[1:] == t[:-1]))
    if ties.size:
        both_new = order[ties] >= n_hist
        if both_new.any():
            row = int(order[ties[both_new][0]]) - n_hist
            count = int(both_new.sum())
            raise DataError(
                f"{owner} found {count} duplicate (group, time) pair(s), e.g. "
                f"{describe(row)}. Each group may have one row per time: aggregate "
                "the duplicates first or add the distinguishing column to group_columns."
            )
        order = np.delete(order, ties)
        c, t = codes[order], times[order]
    size = order.size
    if ties.size:
        heads = np.flatnonzero(np.r_[True, c[1:] != c[:-1]]) if size else c[:0]
    if n_hist:
        new_pos = np.flatnonzero(order >= n_hist)
        new_rows = order[new_pos] - n_hist
    else:
        new_pos, new_rows = np.arange(size), order
    # with rows dropped, take() gathers through order instead of scattering
    return Panel(
        order, c, t, heads, new_pos, new_rows, None if ties.size else rank, n_hist
    )


def locate(
    panel: Panel, query: np.ndarray, side: Literal["left", "right"]
) -> np.ndarray:
    """Per sorted row, the first position of its group with time >= query (``"left"``)
    or > query (``"right"``); the group's end when there is none."""
    unique = np.unique(panel.times)
    width = unique.size + 1
    keys = panel.codes * width + np.searchsorted(unique, panel.times)
    wanted = panel.codes * width + np.searchsorted(unique, query, side=side)
    return np.searchsorted(keys, wanted, side="left")


def shift_rows(panel: Panel, values: np.ndarray, k: int, fill: float) -> np.ndarray:
    """``values`` (sorted) shifted by ``k`` rows within each group, ``fill`` where none.

    Row ``i`` takes row ``i - k`` when both are of one group: groups are
    contiguous, so the whole column is shifted at once and only each group's
    first ``k`` rows, which have no row ``k`` earlier, get ``fill``.
    """
    if k == 0:
        return np.array(values, dtype=np.float64)
    out = np.empty(panel.size, dtype=np.float64)
    out[k:] = values[: max(panel.size - k, 0)]
    out[: min(k, panel.size)] = fill
    out[panel.head_positions(k)] = fill
    return out


def shift_duration(
    panel: Panel, values: np.ndarray, ns: int, fill: float
) -> np.ndarray:
    """The value of the same group exactly ``ns`` earlier, ``fill`` where there is none."""
    query = panel.times - ns
    pos = locate(panel, query, "left")
    inside = pos < panel.ends
    safe = np.minimum(pos, max(panel.size - 1, 0))
    hit = inside & (panel.times[safe] == query)
    return np.where(hit, values[safe], fill)
