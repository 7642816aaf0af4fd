"""The partial state of ExpandingFeatures: per-group running statistics."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from mlprep.timeseries._state import (
    STATS,
    Keyed,
    group_ids,
    group_rank,
    json_floats,
    key_objects,
    read_floats,
    same_time_kind,
)

__all__ = ["SummaryState"]


class SummaryState(Keyed):
    """Each group's count, sum, mean, M2, minimum and maximum per column, and last time.

    Merged exactly (Chan et al.'s rule for mean and M2; sums, minima and
    maxima as such), in any order up to float rounding. ``times`` holds each
    group's last time, or (no time column) how many rows it had.

    Parameters
    ----------
    time_column : str or None
    groups, columns : list of str

    Examples
    --------
    >>> import numpy as np
    >>> def part(y):
    ...     s = SummaryState(time_column=None, groups=[], columns=["y"])
    ...     return s.of_groups({}, np.array([len(y)]), {"y": SummaryState.describe(
    ...         np.array(y), np.array([0]))}, time_kind="row")
    >>> merged = part([1.0, 2.0]).merge(part([3.0, 6.0]))
    >>> merged.stats["y"]["mean"].tolist(), merged.stats["y"]["max"].tolist()
    ([3.0], [6.0])
    """

    kind = "expanding_summary"

    def __init__(
        self,
        *,
        time_column: str | None,
        groups: Sequence[str],
        columns: Sequence[str],
    ) -> None:
        super().__init__(time_column=time_column, groups=groups, columns=columns)
        self.stats = {
            c: {s: np.zeros(0, dtype=np.float64) for s in STATS} for c in self.columns
        }

    def _empty(self) -> SummaryState:
        return SummaryState(
            time_column=self.time_column, groups=self.groups, columns=self.columns
        )

    @staticmethod
    def describe(x: np.ndarray, heads: np.ndarray) -> dict[str, np.ndarray]:
        """The statistics of ``x`` (sorted by group) per group starting at ``heads``."""
        if x.size == 0:
            return {s: np.zeros(0, dtype=np.float64) for s in STATS}
        present = ~np.isnan(x)
        count = np.add.reduceat(present.astype(np.float64), heads)
        # NaN is the intended result where a group is empty or holds an
        # infinity (inf - inf): no RuntimeWarning for it
        with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
            total = np.add.reduceat(np.where(present, x, 0.0), heads)
            mean = np.where(count > 0, total / count, np.nan)
            centred = np.where(
                present, x - np.repeat(mean, np.diff(np.r_[heads, x.size])), 0.0
            )
            m2 = np.add.reduceat(centred * centred, heads)
        return {
            "count": count,
            "sum": total,
            "mean": mean,
            "m2": m2,
            "min": np.fmin.reduceat(x, heads),
            "max": np.fmax.reduceat(x, heads),
        }

    def of_groups(
        self,
        keys: dict[str, Sequence[Any]],
        times: np.ndarray,
        stats: dict[str, dict[str, np.ndarray]],
        *,
        time_kind: str,
    ) -> SummaryState:
        """A new state of distinct groups (one entry each) merged into this one."""
        part = self._empty()
        part.time_kind = time_kind
        part.keys = {g: key_objects(keys[g]) for g in self.groups}
        part.times = np.asarray(times)
        part.stats = {c: {s: stats[c][s] for s in STATS} for c in self.columns}
        return self.merge(part)

    def merge(self, other: SummaryState) -> SummaryState:
        """Both parts' summaries, group by group."""
        self._check_mergeable(other)
        out = self._empty()
        out.time_kind = same_time_kind(self.time_kind, other.time_kind)
        dtype = out._time_dtype()
        times = np.concatenate([self.times.astype(dtype), other.times.astype(dtype)])
        keys = {g: np.concatenate([self.keys[g], other.keys[g]]) for g in self.groups}
        codes = group_ids(keys, times.size)
        order = np.argsort(codes, kind="stable")
        c = codes[order]
        heads = np.flatnonzero(np.r_[True, c[1:] != c[:-1]]) if c.size else c
        firsts = order[heads]
        reduce = np.maximum if self.by_time else np.add
        group_times = reduce.reduceat(times[order], heads) if c.size else times
        stats = {}
        for column in self.columns:
            both = {
                s: np.concatenate([self.stats[column][s], other.stats[column][s]])[
                    order
                ]
                for s in STATS
            }
            stats[column] = _merge_groups(both, heads)
        canonical = np.argsort(
            group_rank({g: k[firsts] for g, k in keys.items()}, heads.size)
        )
        out.keys = {g: k[firsts][canonical] for g, k in keys.items()}
        out.times = np.asarray(group_times, dtype=dtype)[canonical]
        out.stats = {
            col: {s: v[canonical] for s, v in parts.items()}
            for col, parts in stats.items()
        }
        return out

    def history(self) -> dict[str, Any]:
        """The summary as ``history_``: ``{"time", "groups", "summary"}``."""
        return {
            "time": self.times.copy(),
            "groups": self.group_keys(),
            "summary": {
                c: {s: v.copy() for s, v in parts.items()}
                for c, parts in self.stats.items()
            },
        }

    def _data(self) -> dict[str, Any]:
        return {
            "time_kind": self.time_kind,
            "time": self._time_data(),
            "groups": self._key_data(),
            "stats": {
                c: {s: json_floats(v) for s, v in parts.items()}
                for c, parts in self.stats.items()
            },
        }

    @classmethod
    def _from_data(cls, config: dict[str, Any], data: dict[str, Any]) -> SummaryState:
        state = cls(
            time_column=config["time_column"],
            groups=list(config["groups"]),
            columns=list(config["columns"]),
        )
        state._read_keys(data)
        state.stats = {
            c: {s: read_floats(data["stats"][c][s]) for s in STATS}
            for c in state.columns
        }
        return state


def _merge_groups(
    parts: dict[str, np.ndarray], heads: np.ndarray
) -> dict[str, np.ndarray]:
    """Several summaries per group (sorted by group, starting at ``heads``) as one."""
    if parts["count"].size == 0:
        return parts
    n_i = parts["count"]
    sizes = np.diff(np.r_[heads, n_i.size])
    if np.all(sizes == 1):  # one part per group: kept as it is, bit for bit
        return parts
    count = np.add.reduceat(n_i, heads)
    mean_i = np.where(n_i > 0, parts["mean"], 0.0)
    # infinite or huge values give inf/NaN by intent: no RuntimeWarning for them
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        mean = np.where(count > 0, np.add.reduceat(n_i * mean_i, heads) / count, np.nan)
        spread = np.repeat(np.nan_to_num(mean), sizes)
        deviation = np.where(n_i > 0, mean_i - spread, 0.0)
        m2 = np.add.reduceat(
            np.where(n_i > 0, parts["m2"], 0.0) + n_i * deviation * deviation, heads
        )
    single = sizes == 1
    mean = np.where(single, parts["mean"][heads], mean)
    m2 = np.where(single, parts["m2"][heads], m2)
    return {
        "count": count,
        "sum": np.add.reduceat(parts["sum"], heads),
        "mean": mean,
        "m2": m2,
        "min": np.fmin.reduceat(parts["min"], heads),
        "max": np.fmax.reduceat(parts["max"], heads),
    }
