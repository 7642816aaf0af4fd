"""Value counts of a column: exact up to a cardinality cap, a frequent-items sketch above it."""

from __future__ import annotations

import base64
import json
import math
from collections.abc import Iterable
from typing import Any

from mlprep.state._base import PartialState
from mlprep.state._quantiles import _datasketches

__all__ = ["DEFAULT_CAP", "CountsState"]

DEFAULT_CAP = 100_000
"""Distinct values kept exactly before the counts turn into a sketch."""

_LG_MAX_K = 14  # the frequent-items sketch tracks up to 2**14 * 0.75 items


def _key(value: Any) -> str:
    """A value as the string key the frequent-items sketch counts (its type kept)."""
    return json.dumps(value)


class CountsState(PartialState):
    """How often each value occurs, merged by addition.

    Counts stay exact while at most ``cap`` distinct values have been seen
    (category domains, vocabularies, most frequent values). Beyond that the
    state becomes Apache DataSketches' frequent-items sketch (``datasketches``,
    from ``mlprep-kit[scale]``): counts of the frequent values are estimates whose
    error is at most :attr:`error_bound` each, and rare values may be missing.
    :attr:`exact` says which.

    Values are plain Python scalars (str, int, float, bool); missing values are
    counted in ``missing``.

    Parameters
    ----------
    cap : int, default=100_000

    Examples
    --------
    >>> a = CountsState().update(["x", "y", "x"], missing=1)
    >>> b = CountsState().update({"y": 2, "z": 1})
    >>> merged = a.merge(b)
    >>> merged.counts, merged.missing, merged.total
    ({'x': 2, 'y': 3, 'z': 1}, 1, 6)
    """

    kind = "counts"

    def __init__(self, cap: int = DEFAULT_CAP) -> None:
        self.cap = int(cap)
        self.missing = 0
        self._counts: dict[Any, int] | None = {}
        self._sketch: Any = None
        self._total = 0

    def update(
        self, values: Iterable[Any] | dict[Any, int], *, missing: int = 0
    ) -> CountsState:
        """Add values (an iterable, one per row) or ``{value: count}``; returns ``self``."""
        pairs = values.items() if isinstance(values, dict) else _tally(values)
        self.missing += int(missing)
        for value, count in pairs:
            self._add(value, int(count))
        return self

    def _add(self, value: Any, count: int) -> None:
        self._total += count
        if self._counts is not None:
            self._counts[value] = self._counts.get(value, 0) + count
            if len(self._counts) > self.cap:
                self._to_sketch()
        else:
            self._sketch.update(_key(value), count)

    def _to_sketch(self) -> None:
        sketch = _datasketches().frequent_strings_sketch(_LG_MAX_K)
        for value, count in (self._counts or {}).items():
            sketch.update(_key(value), count)
        self._sketch, self._counts = sketch, None

    def merge(self, other: CountsState) -> CountsState:
        """A new state of both inputs (exact while the union stays under the cap)."""
        self._check_mergeable(other)
        merged = CountsState(self.cap)
        merged.missing = self.missing + other.missing
        for part in (self, other):
            if part._counts is not None:
                for value, count in part._counts.items():
                    merged._add(value, count)
            else:
                if merged._counts is not None:
                    merged._to_sketch()
                merged._sketch.merge(part._sketch)
                merged._total += part._total
        return merged

    @property
    def exact(self) -> bool:
        """Whether :attr:`counts` are exact (at most ``cap`` distinct values seen)."""
        return self._counts is not None

    @property
    def total(self) -> int:
        """Non-missing values seen."""
        return self._total

    @property
    def error_bound(self) -> int:
        """The largest possible error of any count (0 while exact)."""
        if self._counts is not None:
            return 0
        return math.ceil(self._sketch.epsilon * self._sketch.total_weight)

    @property
    def counts(self) -> dict[Any, int]:
        """``{value: count}``, in first-seen order (frequent values only above the cap)."""
        if self._counts is not None:
            return dict(self._counts)
        rows = self._sketch.get_frequent_items(
            _datasketches().frequent_items_error_type.NO_FALSE_NEGATIVES
        )
        return {json.loads(item): int(estimate) for item, estimate, *_ in rows}

    def _config(self) -> dict[str, Any]:
        return {"cap": self.cap}

    def _data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"missing": self.missing, "total": self._total}
        if self._counts is not None:
            data["counts"] = [[value, count] for value, count in self._counts.items()]
        else:
            data["sketch"] = base64.b64encode(self._sketch.serialize()).decode("ascii")
        return data

    @classmethod
    def _from_data(cls, config: dict[str, Any], data: dict[str, Any]) -> CountsState:
        state = cls(int(config["cap"]))
        state.missing = int(data["missing"])
        state._total = int(data["total"])
        if "counts" in data:
            state._counts = {_scalar(v): int(c) for v, c in data["counts"]}
        else:
            raw = base64.b64decode(data["sketch"], validate=True)
            state._counts = None
            state._sketch = _datasketches().frequent_strings_sketch.deserialize(raw)
        return state


def _tally(values: Iterable[Any]) -> Iterable[tuple[Any, int]]:
    counts: dict[Any, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts.items()


def _scalar(value: Any) -> Any:
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    raise TypeError(f"a count key must be a scalar, got {type(value).__name__}")
