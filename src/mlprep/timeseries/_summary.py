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
from mlprep.timeseries._units import group_units, row_units

__all__ = ["SummaryState"]


class SummaryState(Keyed):
    """Each group's count, sum, mean, M2, minimum and maximum per column, and last time.

    Merged exactly (Chan et al.'s rule for mean and M2; sums, minima and
    maxima as such), in any order up to float rounding. ``times`` holds each
    group's last time, or (no time column) how many rows it had. ``±inf``
    is counted by ``count`` and skipped by the rest (``finite`` counts what
    they describe); ``sum`` and ``m2`` are kept in the group's power-of-two
    ``unit`` (see :meth:`describe`), so values near ``1e308`` overflow nothing.

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
        """The statistics of ``x`` (sorted by group) per group starting at ``heads``.

        ``count`` counts the non-missing values, ``±inf`` included; every other
        statistic skips ``±inf`` as a missing value (pandas' rolling rule) and
        ``finite`` counts the values they describe. ``sum`` and ``m2`` are in
        the group's ``unit`` (``sum / unit``, ``m2 / unit**2``; a power of
        two, 1.0 unless the group holds finite values beyond
        :data:`~mlprep.timeseries._units.HUGE`), so neither overflows;
        ``mean``, ``min`` and ``max`` are plain values.
        """
        if x.size == 0:
            return {s: np.zeros(0, dtype=np.float64) for s in STATS}
        sizes = np.diff(np.r_[heads, x.size])
        present = ~np.isnan(x)
        count = np.add.reduceat(present.astype(np.float64), heads)
        finite_mask = np.isfinite(x)
        if np.array_equal(finite_mask, present):
            finite, clean = count, x
        else:  # ±inf: described as missing, counted by ``count`` only
            finite = np.add.reduceat(finite_mask.astype(np.float64), heads)
            clean = np.where(finite_mask, x, np.nan)
        units = group_units(clean, heads)
        scaled = clean if units is None else clean / row_units(units, heads, x.size)
        total = np.add.reduceat(np.where(finite_mask, scaled, 0.0), heads)
        mean = np.divide(
            total, finite, out=np.full(total.shape, np.nan), where=finite > 0
        )
        centred = np.where(finite_mask, scaled - np.repeat(mean, sizes), 0.0)
        m2 = np.add.reduceat(centred * centred, heads)
        unit = np.ones(heads.size) if units is None else units
        return {
            "count": count,
            "finite": finite,
            "sum": total,
            "mean": mean if units is None else mean * units,
            "m2": m2,
            "min": np.fmin.reduceat(clean, heads),
            "max": np.fmax.reduceat(clean, heads),
            "unit": unit,
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
        state.stats = {c: _read_stats(data["stats"][c]) for c in state.columns}
        return state


def _read_stats(data: dict[str, Any]) -> dict[str, np.ndarray]:
    """One column's summary read back; files written before ``finite`` and
    ``unit`` existed (no ``±inf`` skipped, no huge values scaled) get
    ``finite = count`` and ``unit = 1``."""
    stats = {s: read_floats(data[s]) for s in STATS if s in data}
    stats.setdefault("finite", stats["count"])
    stats.setdefault("unit", np.ones_like(stats["count"]))
    missing = [s for s in STATS if s not in stats]
    if missing:
        raise ValueError(f"the summary lacks {missing}")
    if any(v.size != stats["count"].size for v in stats.values()):
        raise ValueError("the summary's statistics differ in length")
    return stats


def _merge_groups(
    parts: dict[str, np.ndarray], heads: np.ndarray
) -> dict[str, np.ndarray]:
    """Several summaries per group (sorted by group, starting at ``heads``) as one.

    Chan's rule, weighted by the ``finite`` counts, computed in each group's
    largest ``unit`` (the parts' sums and M2 are rescaled to it exactly).
    """
    if parts["count"].size == 0:
        return parts
    n_i = parts["finite"]
    sizes = np.diff(np.r_[heads, n_i.size])
    if np.all(sizes == 1):  # one part per group: kept as it is, bit for bit
        return parts
    unit = np.maximum.reduceat(parts["unit"], heads)
    ordinary = bool(np.all(unit == 1.0))
    if ordinary:
        mean_in, m2_in, sum_in = parts["mean"], parts["m2"], parts["sum"]
    else:  # every ratio is a power of two: exact
        rows = np.repeat(unit, sizes)
        ratio = parts["unit"] / rows
        mean_in = parts["mean"] / rows
        m2_in, sum_in = parts["m2"] * ratio * ratio, parts["sum"] * ratio
    finite = np.add.reduceat(n_i, heads)
    mean_i = np.where(n_i > 0, mean_in, 0.0)
    mean = np.divide(
        np.add.reduceat(n_i * mean_i, heads),
        finite,
        out=np.full(heads.shape, np.nan),
        where=finite > 0,
    )
    spread = np.repeat(np.nan_to_num(mean), sizes)
    deviation = np.where(n_i > 0, mean_i - spread, 0.0)
    m2 = np.add.reduceat(
        np.where(n_i > 0, m2_in, 0.0) + n_i * deviation * deviation, heads
    )
    if not ordinary:
        mean = mean * unit
    single = sizes == 1
    mean = np.where(single, parts["mean"][heads], mean)
    m2 = np.where(single, parts["m2"][heads], m2)
    return {
        "count": np.add.reduceat(parts["count"], heads),
        "finite": finite,
        "sum": np.add.reduceat(sum_in, heads),
        "mean": mean,
        "m2": m2,
        "min": np.fmin.reduceat(parts["min"], heads),
        "max": np.fmax.reduceat(parts["max"], heads),
        "unit": unit,
    }
