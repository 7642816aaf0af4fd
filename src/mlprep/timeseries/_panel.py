"""Numpy kernels shared by the panel transformers: ordering, history, windows.

A *panel* is the rows of one call (and, in ``transform``, the history tail kept
by ``fit``) sorted once by (group, time). Every feature is computed on those
sorted arrays, where each group is one contiguous segment, and scattered back
to the caller's row order. No Python loop runs over rows.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    missing = int(is_missing(series).sum())
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
    frame's rows) at sorted position ``i``; ``starts[i]``/``ends[i]`` bound its
    group's segment; ``new_pos`` are the sorted positions of the frame's rows
    and ``new_rows`` their row numbers in the frame.
    """

    order: np.ndarray
    codes: np.ndarray
    times: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    new_pos: np.ndarray
    new_rows: np.ndarray

    @property
    def size(self) -> int:
        return int(self.order.size)

    def take(self, combined: np.ndarray) -> np.ndarray:
        """A combined (history + frame) column in sorted order."""
        return combined[self.order]

    def scatter(self, sorted_values: np.ndarray) -> np.ndarray:
        """A sorted feature back in the frame's row order (history rows dropped)."""
        out = np.empty(self.new_rows.size, dtype=sorted_values.dtype)
        if self.new_pos.size == self.size:
            out[self.new_rows] = sorted_values
        else:
            out[self.new_rows] = sorted_values[self.new_pos]
        return out


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
    small = codes.astype(np.int16) if m and codes.max() < 2**15 else codes
    order = np.argsort(small, kind="stable")
    c, t = codes[order], times[order]
    same = c[1:] == c[:-1]
    if np.any(same & (t[1:] < t[:-1])):
        source = np.arange(m) >= n_hist
        order = np.lexsort((source, times, codes))
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
    heads = (
        np.flatnonzero(np.r_[True, c[1:] != c[:-1]]) if size else np.zeros(0, np.int64)
    )
    tails = np.r_[heads[1:], size]
    lengths = tails - heads
    starts = np.repeat(heads, lengths)
    ends = np.repeat(tails, lengths)
    if n_hist:
        new_pos = np.flatnonzero(order >= n_hist)
        new_rows = order[new_pos] - n_hist
    else:
        new_pos, new_rows = np.arange(size), order
    return Panel(order, c, t, starts, ends, new_pos, new_rows)


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
    """``values`` (sorted) shifted by ``k`` rows within each group, ``fill`` where none."""
    index = np.arange(panel.size)
    source = index - k
    out = values[np.maximum(source, 0)] if values.size else values.copy()
    return np.where(source >= panel.starts, out, fill)


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
