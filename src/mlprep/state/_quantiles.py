"""A KLL quantile sketch of a numeric column (Apache DataSketches)."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from typing import Any

import numpy as np

from mlprep.core._stats import nanquantiles
from mlprep.exceptions import DataError, MissingDependencyError
from mlprep.state._base import PartialState

__all__ = ["DEFAULT_K", "QuantileSketch"]

DEFAULT_K = 200
"""The sketch size: about 5 KB per column, normalized rank error ≈ 1.3 % (a priori, 99 %)."""


def _datasketches() -> Any:
    try:
        import datasketches
    except ImportError as exc:
        raise MissingDependencyError(
            "Quantiles over batches, lazy sources or Spark (median, IQR, quantile "
            "fences and bins, robust scaling) and data-quality baselines "
            "(mlprep.quality) need Apache DataSketches. Install it with: "
            "pip install 'mlprep-kit[scale]' (or 'mlprep-kit[quality]')"
        ) from exc
    return datasketches


class QuantileSketch(PartialState):
    """Mergeable approximate quantiles: a KLL sketch (Karnin, Lang and Liberty, 2016).

    Memory is bounded by ``k`` whatever the number of values; a returned
    quantile ``x_q`` has a rank within :attr:`rank_error` of ``q`` (with 99 %
    confidence, the sketch's a-priori bound). While fewer values than the
    sketch holds have been seen, quantiles are exact order statistics. The
    sketch is binary compatible with Apache Spark's ``kll_sketch_agg_double``
    and every other DataSketches library. NaN values are counted in
    ``missing`` and not sketched.

    Parameters
    ----------
    k : int, default=200
        Sketch size; the rank error falls roughly as ``1 / k``.

    Examples
    --------
    >>> import numpy as np
    >>> sketch = QuantileSketch().update(np.arange(100.0))
    >>> float(sketch.quantiles([0.5])[0]), sketch.count, sketch.rank_error
    (49.5, 100, 0.0)
    """

    kind = "kll"

    def __init__(self, k: int = DEFAULT_K) -> None:
        self.k = int(k)
        self.missing = 0
        self._sketch = _datasketches().kll_doubles_sketch(self.k)

    def update(self, values: np.ndarray) -> QuantileSketch:
        """Add a float64 vector (NaN counted as missing); returns ``self``."""
        values = np.asarray(values, dtype=np.float64)
        present = ~np.isnan(values)
        if not present.all():
            self.missing += int(values.shape[0] - np.count_nonzero(present))
            values = values[present]
        if values.shape[0]:
            self._sketch.update(
                np.require(values, np.float64, ["C", "W"])
            )  # nanobind: writable
        return self

    def merge(self, other: QuantileSketch) -> QuantileSketch:
        """A new sketch of both inputs."""
        self._check_mergeable(other)
        merged = QuantileSketch(self.k)
        merged._sketch.merge(self._sketch)
        merged._sketch.merge(other._sketch)
        merged.missing = self.missing + other.missing
        return merged

    @property
    def count(self) -> int:
        """Non-missing values seen."""
        return int(self._sketch.n)

    @property
    def rank_error(self) -> float:
        """The normalized rank-error bound of a single quantile (0 while exact)."""
        if not self._sketch.is_estimation_mode():
            return 0.0
        return float(self._sketch.normalized_rank_error(False))

    def quantiles(self, qs: Sequence[float]) -> np.ndarray:
        """Quantiles at ranks ``qs`` (NaN for an empty sketch).

        While the sketch still holds every value (``rank_error == 0``) these
        are the exact quantiles with numpy's default linear interpolation, as
        an in-memory fit computes them; afterwards the sketch's estimates.
        """
        if self._sketch.is_empty():
            return np.full(len(qs), np.nan)
        if self.exact:
            return nanquantiles(self.items()[0], qs)
        return np.array(
            [self._sketch.get_quantile(float(q), True) for q in qs], dtype=np.float64
        )

    def rank(self, value: float) -> float:
        """The share of the sketched values ``<= value`` (approximate beyond ``k`` values)."""
        if self._sketch.is_empty():
            return float("nan")
        return float(self._sketch.get_rank(float(value), True))

    @property
    def exact(self) -> bool:
        """Whether the sketch still holds every value it was given."""
        return not self._sketch.is_estimation_mode()

    def items(self) -> tuple[np.ndarray, np.ndarray]:
        """The retained values and their weights (every value, weight 1, while exact)."""
        pairs = list(self._sketch)
        values = np.fromiter((v for v, _ in pairs), dtype=np.float64, count=len(pairs))
        weights = np.fromiter((w for _, w in pairs), dtype=np.float64, count=len(pairs))
        return values, weights

    @property
    def minimum(self) -> float:
        return float("nan") if self._sketch.is_empty() else self._sketch.get_min_value()

    @property
    def maximum(self) -> float:
        return float("nan") if self._sketch.is_empty() else self._sketch.get_max_value()

    def _config(self) -> dict[str, Any]:
        return {"k": self.k}

    def _data(self) -> dict[str, Any]:
        return {
            "missing": self.missing,
            "sketch": base64.b64encode(self._sketch.serialize()).decode("ascii"),
        }

    @classmethod
    def _from_data(cls, config: dict[str, Any], data: dict[str, Any]) -> QuantileSketch:
        state = cls(int(config["k"]))
        state.missing = int(data["missing"])
        raw = base64.b64decode(data["sketch"], validate=True)
        try:
            state._sketch = _datasketches().kll_doubles_sketch.deserialize(raw)
        except (RuntimeError, ValueError) as exc:
            raise DataError(f"The KLL sketch bytes are corrupt: {exc}") from exc
        return state
