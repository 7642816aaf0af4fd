"""The number of distinct values of a column: a HyperLogLog sketch (Apache DataSketches)."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from typing import Any

from mlprep.exceptions import DataError
from mlprep.state._base import PartialState
from mlprep.state._counts import _key
from mlprep.state._quantiles import _datasketches

__all__ = ["DEFAULT_LG_K", "DistinctSketch"]

DEFAULT_LG_K = 12
"""log2 of the HLL register count: 4096 registers, about 1.6 % relative error (1 sd)."""


class DistinctSketch(PartialState):
    """Mergeable count of distinct values: an HLL sketch (Flajolet et al., 2007).

    Memory stays at about ``2 ** lg_k`` bytes whatever the number of values,
    and merging two sketches gives the sketch of the union, so distinct counts
    add up correctly across batches, shards and Spark partitions (a value seen
    by two shards is counted once). While few values have been seen, the
    sketch is exact. Values are keyed as :class:`~mlprep.state.CountsState`
    keys them (``1`` and ``"1"`` differ, ``1`` and ``1.0`` do not).

    Parameters
    ----------
    lg_k : int, default=12
        log2 of the register count; the relative standard error is about
        ``1.04 / sqrt(2 ** lg_k)``.

    Examples
    --------
    >>> a = DistinctSketch().update(["x", "y", "x"])
    >>> b = DistinctSketch().update(["y", "z"])
    >>> round(a.merge(b).estimate)
    3
    """

    kind = "hll"

    def __init__(self, lg_k: int = DEFAULT_LG_K) -> None:
        self.lg_k = int(lg_k)
        self._sketch = _datasketches().hll_sketch(self.lg_k)

    def update(self, values: Iterable[Any]) -> DistinctSketch:
        """Add distinct values (duplicates are harmless); returns ``self``."""
        update = self._sketch.update
        for value in values:
            if isinstance(value, float) and value.is_integer():
                value = int(value)  # 1.0 is the value 1, as a dict key would be
            update(_key(value))
        return self

    def merge(self, other: DistinctSketch) -> DistinctSketch:
        """A new sketch of the union of both inputs."""
        self._check_mergeable(other)
        union = _datasketches().hll_union(self.lg_k)
        union.update(self._sketch)
        union.update(other._sketch)
        merged = DistinctSketch(self.lg_k)
        merged._sketch = union.get_result()
        return merged

    @property
    def estimate(self) -> float:
        """The estimated number of distinct values."""
        return float(self._sketch.get_estimate())

    @property
    def relative_error(self) -> float:
        """The relative error bound of :attr:`estimate` at two standard deviations."""
        if self._sketch.is_empty():
            return 0.0
        upper = self._sketch.get_upper_bound(2)
        estimate = self.estimate
        return float((upper - estimate) / estimate) if estimate else 0.0

    def _config(self) -> dict[str, Any]:
        return {"lg_k": self.lg_k}

    def _data(self) -> dict[str, Any]:
        raw = self._sketch.serialize_compact()
        return {"sketch": base64.b64encode(raw).decode("ascii")}

    @classmethod
    def _from_data(cls, config: dict[str, Any], data: dict[str, Any]) -> DistinctSketch:
        state = cls(int(config["lg_k"]))
        raw = base64.b64decode(data["sketch"], validate=True)
        try:
            state._sketch = _datasketches().hll_sketch.deserialize(raw)
        except (RuntimeError, ValueError) as exc:
            raise DataError(f"The HLL sketch bytes are corrupt: {exc}") from exc
        return state
