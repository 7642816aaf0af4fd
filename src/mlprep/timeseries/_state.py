"""Partial states of the time-series transformers: per-group tails and summaries.

Both keep rows keyed by group (the values of ``group_columns``, plain Python
scalars) and merge by taking the union per group:

* :class:`TailsState` keeps each group's latest rows (the last ``rows``
  rows and the last ``span`` nanoseconds of time): lags, windows and
  differences of a later period need nothing else;
* ``SummaryState`` (:mod:`mlprep.timeseries._summary`) keeps each group's
  count, sum, mean, M2, minimum, maximum (with the count of finite values
  and a power-of-two unit) and last time: what an expanding window
  continues from.

Rows are stored in a canonical order (groups by their keys, then time), so
states merged in any order compare equal. :class:`AnyFlag` is the one bit
:class:`~mlprep.timeseries.DatetimeFeatures` learns per column.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from mlprep.core import combine_codes, factorize_array, plain_value
from mlprep.exceptions import DataError, PersistenceError
from mlprep.state import PartialState

__all__ = [
    "STATS",
    "AnyFlag",
    "Keyed",
    "TailsState",
    "group_ids",
    "group_rank",
    "json_floats",
    "key_objects",
    "read_floats",
    "same_time_kind",
]

STATS = ("count", "finite", "sum", "mean", "m2", "min", "max", "unit")
"""What ``SummaryState`` keeps per group and column (``finite``: the values
that are not ``±inf``; ``sum`` and ``m2`` in units of ``unit``, a power of two)."""


# ---------------------------------------------------------------- group keys
def key_objects(values: Sequence[Any] | np.ndarray) -> np.ndarray:
    """Group keys as a 1-D array: numbers and booleans as they are, the rest as objects.

    Datetime keys become their integer form (as ``tolist`` gives them), so
    every key is a plain scalar once listed.
    """
    if isinstance(values, np.ndarray) and values.dtype.kind in "iufbO":
        return values
    out = np.empty(len(values), dtype=object)
    out[:] = values.tolist() if isinstance(values, np.ndarray) else list(values)
    return out


def group_ids(keys: dict[str, np.ndarray], n: int) -> np.ndarray:
    """One code per distinct key combination (missing keys are a group of their own)."""
    if not keys:
        return np.zeros(n, dtype=np.int64)
    parts = [factorize_array(k, na_sentinel=False)[0] for k in keys.values()]
    return parts[0] if len(parts) == 1 else combine_codes(parts)


def _json_key(value: Any) -> Any:
    value = plain_value(value)
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    raise PersistenceError(
        f"A group key {value!r} of type {type(value).__name__} cannot be written to "
        "a partial state. Cast the group column to strings or integers before "
        "fitting."
    )


def _sort_key(value: Any) -> tuple[int, Any]:
    """Missing first, then booleans, numbers (by value), strings, anything else."""
    value = plain_value(value)
    if value is None or (isinstance(value, float) and value != value):
        return (0, 0)
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, (int, float)):
        return (2, value)
    if isinstance(value, str):
        return (3, value)
    return (4, repr(value))


def group_rank(keys: dict[str, np.ndarray], n: int) -> np.ndarray:
    """The rank of each of ``n`` groups (one key row each) in the canonical order.

    The order depends on the key values only, not on how they are stored
    (an int64 array or Python ints read back from JSON sort alike).
    """
    if len(keys) == 1:
        (only,) = keys.values()
        if only.dtype.kind in "iu" or (
            only.dtype.kind == "f" and not np.isnan(only).any()
        ):
            # numbers sort by value (distinct groups: no ties), as _sort_key does
            rank = np.empty(n, dtype=np.int64)
            rank[np.argsort(only, kind="stable")] = np.arange(n)
            return rank
    columns = [k.tolist() for k in keys.values()]
    rows = [tuple(_sort_key(c[i]) for c in columns) for i in range(n)]
    rank = np.empty(n, dtype=np.int64)
    rank[sorted(range(n), key=rows.__getitem__)] = np.arange(n)
    return rank


def _join_keys(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Two parts' keys end to end; an empty part does not turn numbers into objects."""
    if not a.size:
        return b
    if not b.size:
        return a
    return np.concatenate([a, b])


def same_time_kind(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return a or b
    if (a == "numeric") != (b == "numeric"):
        raise DataError(
            f"The parts were fitted with a {a} and a {b} time_column. Use the "
            "same type of time column in every batch and shard."
        )
    return a


def _describe(
    keys: dict[str, np.ndarray], row: int, time: Any, kind: str | None, name: Any
) -> str:
    parts = [f"{g}={plain_value(k[row])!r}" for g, k in keys.items()]
    shown = np.datetime64(int(time), "ns") if kind in ("datetime", "date") else time
    return "(" + ", ".join([*parts, f"{name}={plain_value(shown)!r}"]) + ")"


def json_floats(values: Any) -> list[Any]:
    """Floats as JSON allows them: NaN as None, infinities as ``"inf"``/``"-inf"``."""
    return [
        v if math.isfinite(v) else (None if v != v else str(v))
        for v in np.asarray(values, np.float64).tolist()
    ]


def read_floats(values: list[Any]) -> np.ndarray:
    """The inverse of :func:`json_floats`."""
    return np.array(
        [np.nan if v is None else float(v) for v in values], dtype=np.float64
    )


class Keyed(PartialState):
    """Rows keyed by group, with a time per row; the shared config and JSON parts."""

    def __init__(
        self,
        *,
        time_column: str | None,
        groups: Sequence[str],
        columns: Sequence[str],
    ) -> None:
        self.time_column = time_column
        self.by_time = time_column is not None
        self.groups = list(groups)
        self.columns = list(columns)
        self.time_kind: str | None = None if self.by_time else "row"
        self.keys = {g: np.empty(0, dtype=object) for g in self.groups}
        self.times: np.ndarray = np.zeros(0, dtype=np.int64)

    def _config(self) -> dict[str, Any]:
        return {
            "time_column": self.time_column,
            "groups": self.groups,
            "columns": self.columns,
        }

    def _time_dtype(self) -> type:
        return np.float64 if self.time_kind == "numeric" else np.int64

    def _key_data(self) -> dict[str, list[Any]]:
        return {g: [_json_key(v) for v in k.tolist()] for g, k in self.keys.items()}

    def _read_keys(self, data: dict[str, Any]) -> None:
        self.time_kind = data["time_kind"]
        self.keys = {g: key_objects(data["groups"][g]) for g in self.groups}
        if self.time_kind == "numeric":
            self.times = read_floats(data["time"])
        else:
            self.times = np.asarray(data["time"], dtype=np.int64)

    def _time_data(self) -> list[Any]:
        if self.time_kind == "numeric":
            return json_floats(self.times)
        return [int(t) for t in self.times.tolist()]

    def group_keys(self) -> dict[str, list[Any]]:
        """``{group column: [key per stored row]}``, as ``history_`` holds them."""
        return {
            # tolist gives plain Python scalars for bool, int and float arrays
            g: k.tolist()
            if k.dtype.kind in "biuf"
            else [plain_value(v) for v in k.tolist()]
            for g, k in self.keys.items()
        }


class TailsState(Keyed):
    """Each group's latest rows: the last ``rows`` rows and the last ``span`` of time.

    With a ``time_column`` a merge keeps, per group, the latest rows by time
    of both parts, so any order of batches and shards gives the same tails;
    a (group, time) pair held by both parts is an error, as a duplicate is in
    one fit. Without a time column the row order
    is the time order: :meth:`add` numbers each batch's rows after the
    earlier ones, and two non-empty states cannot be merged (nothing says
    which came first).

    Parameters
    ----------
    rows : int
        Trailing rows kept per group.
    span : int
        Nanoseconds of time kept before each group's last time (0: none).
    time_column : str or None
        The time column the times come from (None: they are row positions).
    groups, columns : list of str
        The group columns and the value columns.

    Examples
    --------
    >>> import numpy as np
    >>> a = TailsState(rows=1, span=0, time_column="t", groups=["g"], columns=["y"])
    >>> a = a.add(np.array([1, 2]), {"g": ["x", "x"]}, {"y": np.array([1.0, 2.0])},
    ...           time_kind="numeric", n_rows=2)
    >>> b = TailsState(rows=1, span=0, time_column="t", groups=["g"], columns=["y"])
    >>> b = b.add(np.array([3.0]), {"g": ["x"]}, {"y": np.array([3.0])},
    ...           time_kind="numeric", n_rows=1)
    >>> a.merge(b).values["y"].tolist() == b.merge(a).values["y"].tolist() == [3.0]
    True
    """

    kind = "tails"

    def __init__(
        self,
        *,
        rows: int,
        span: int,
        time_column: str | None,
        groups: Sequence[str],
        columns: Sequence[str],
    ) -> None:
        super().__init__(time_column=time_column, groups=groups, columns=columns)
        self.rows = int(rows)
        self.span = int(span)
        self.seen = 0
        self.values = {c: np.zeros(0, dtype=np.float64) for c in self.columns}

    def _empty(self) -> TailsState:
        return TailsState(
            rows=self.rows,
            span=self.span,
            time_column=self.time_column,
            groups=self.groups,
            columns=self.columns,
        )

    def add(
        self,
        times: np.ndarray,
        keys: dict[str, Sequence[Any]],
        values: dict[str, np.ndarray],
        *,
        time_kind: str,
        n_rows: int,
    ) -> TailsState:
        """A new state with a batch's rows added (``self`` is not modified).

        ``times`` are the time column's values, or (no time column) the
        rows' positions in a batch of ``n_rows`` rows that follows the rows
        seen so far.
        """
        batch = self._empty()
        batch.time_kind = time_kind
        batch.keys = {g: key_objects(keys[g]) for g in self.groups}
        batch.times = np.asarray(times)
        if not self.by_time:
            batch.times = batch.times.astype(np.int64) + self.seen
        batch.values = {c: np.asarray(values[c], np.float64) for c in self.columns}
        batch.seen = int(n_rows)
        return self._combine(batch)

    def merge(self, other: TailsState) -> TailsState:
        """The tails of both parts (refused without a time column when both hold rows)."""
        self._check_mergeable(other)
        if not self.by_time and self.seen and other.seen:
            raise DataError(
                "Without a time_column the row order is the time order, and two "
                "partial fits have no order between them, so their tails cannot be "
                "merged. Give time_column= (then shards merge in any order), or "
                "partial_fit the batches in time order on one estimator."
            )
        if not self.by_time and not self.seen:
            # keep the positions of the part that has rows
            return other._combine(self)
        return self._combine(other)

    def _combine(self, other: TailsState) -> TailsState:
        out = self._empty()
        out.time_kind = same_time_kind(self.time_kind, other.time_kind)
        out.seen = self.seen + other.seen
        dtype = out._time_dtype()
        times = np.concatenate([self.times.astype(dtype), other.times.astype(dtype)])
        keys = {g: _join_keys(self.keys[g], other.keys[g]) for g in self.groups}
        values = {
            c: np.concatenate([self.values[c], other.values[c]]) for c in self.columns
        }
        keep = self._keep(keys, times, out.time_kind)
        out.times = times[keep]
        out.keys = {g: k[keep] for g, k in keys.items()}
        out.values = {c: v[keep] for c, v in values.items()}
        return out

    def _keep(
        self, keys: dict[str, np.ndarray], times: np.ndarray, kind: str | None
    ) -> np.ndarray:
        """The kept rows, in canonical order; a repeated (group, time) is an error."""
        if times.size == 0:
            return np.zeros(0, dtype=np.int64)
        codes = group_ids(keys, times.size)
        order = np.lexsort((times, codes))
        c, t = codes[order], times[order]
        new_group = np.r_[True, c[1:] != c[:-1]] if c.size else np.zeros(0, bool)
        ties = np.flatnonzero(~new_group[1:] & (t[1:] == t[:-1]))
        if ties.size:
            row = int(order[ties[0]])
            example = _describe(keys, row, times[row], kind, self.time_column)
            raise DataError(
                f"Found {ties.size} duplicate (group, time) pair(s) across batches or "
                f"shards, e.g. {example}. Each group may have one row per time: send "
                "every row once, and aggregate duplicates first."
            )
        heads = np.flatnonzero(new_group)
        ends = np.repeat(np.r_[heads[1:], c.size], np.diff(np.r_[heads, c.size]))
        keep = (ends - np.arange(c.size)) <= self.rows
        if self.span:
            keep |= t >= t[ends - 1] - self.span
        # canonical order: groups by their keys, each group's rows by time
        group = np.cumsum(new_group) - 1
        rank = group_rank({g: k[order[heads]] for g, k in keys.items()}, heads.size)
        kept = order[keep]
        return kept[np.argsort(rank[group[keep]], kind="stable")]

    def history(self) -> dict[str, Any]:
        """The tail as ``history_``: ``{"time", "groups", "values"}``."""
        return {
            "time": self.times.copy(),
            "groups": self.group_keys(),
            "values": {c: v.copy() for c, v in self.values.items()},
        }

    def _config(self) -> dict[str, Any]:
        return {"rows": self.rows, "span": self.span, **super()._config()}

    def _data(self) -> dict[str, Any]:
        return {
            "time_kind": self.time_kind,
            "seen": self.seen,
            "time": self._time_data(),
            "groups": self._key_data(),
            "values": {c: json_floats(v) for c, v in self.values.items()},
        }

    @classmethod
    def _from_data(cls, config: dict[str, Any], data: dict[str, Any]) -> TailsState:
        state = cls(
            rows=int(config["rows"]),
            span=int(config["span"]),
            time_column=config["time_column"],
            groups=list(config["groups"]),
            columns=list(config["columns"]),
        )
        state._read_keys(data)
        state.seen = int(data["seen"])
        state.values = {c: read_floats(data["values"][c]) for c in state.columns}
        if any(v.size != state.times.size for v in state.values.values()):
            raise ValueError("the value columns and times differ in length")
        return state


class AnyFlag(PartialState):
    """Whether any batch showed something (a time of day, for DatetimeFeatures).

    Examples
    --------
    >>> AnyFlag(False).merge(AnyFlag(True)).value
    True
    """

    kind = "any_flag"

    def __init__(self, value: bool = False) -> None:
        self.value = bool(value)

    def merge(self, other: AnyFlag) -> AnyFlag:
        """True when either part is."""
        self._check_mergeable(other)
        return AnyFlag(self.value or other.value)

    def _data(self) -> dict[str, Any]:
        return {"value": self.value}

    @classmethod
    def _from_data(cls, config: dict[str, Any], data: dict[str, Any]) -> AnyFlag:
        if not isinstance(data["value"], bool):
            raise TypeError("the flag must be a bool")
        return cls(data["value"])
