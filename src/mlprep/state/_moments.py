"""Count, missing count, mean, squared deviations, minimum and maximum of a column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from mlprep.core._stats import Moments, is_unit, moments
from mlprep.state._base import PartialState

__all__ = ["MomentsState"]


@dataclass(frozen=True, eq=False)
class MomentsState(PartialState):
    """The algebraic statistics of one numeric column, merged exactly.

    Mean and variance merge by Chan et al.'s pairwise rule
    (:meth:`mlprep.core._stats.Moments.merge`); counts, minimum and maximum
    add up or compare. Any batch order and any split into batches give the
    same state up to float rounding.

    Parameters
    ----------
    count : int
        Non-missing values seen.
    missing : int
        Missing values (NaN) seen.
    mean : float
        Mean of the non-missing values (NaN when none).
    m2 : float
        Sum of squared deviations from the mean.
    minimum, maximum : float
        Extremes of the non-missing values (NaN when none).
    unit : float, default=1.0
        The power of two in which the moments of values near ``1e308`` are
        kept (:class:`mlprep.core._stats.Moments`): 1.0 for ordinary data.
    m2_in_units : float, default=NaN
        ``m2 / unit**2`` when ``unit`` is not 1: finite where ``m2`` itself
        exceeds float64 (``inf``), so :attr:`std` and merges stay exact.

    Notes
    -----
    Batches of values near ``1e308`` merge in power-of-two units exactly as
    :func:`mlprep.core._stats.moments` computes one batch: the merged mean
    and :attr:`std` are finite and equal, to rounding, to those of all the
    values at once. Only such states carry ``unit`` and ``m2_in_units`` in
    their JSON form; every other state writes (and reads) the six numbers
    it always has, so files saved before load unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> a = MomentsState.of(np.array([1.0, 2.0, np.nan]))
    >>> b = MomentsState.of(np.array([3.0, 4.0]))
    >>> total = a.merge(b)
    >>> total.count, total.missing, total.mean, total.variance, total.maximum
    (4, 1, 2.5, 1.25, 4.0)

    Near the float64 limit the variance exceeds float64, the standard
    deviation does not:

    >>> huge = np.array([1e308, -1e308, 1.5e308])
    >>> both = MomentsState.of(huge).merge(MomentsState.of(huge))
    >>> both.mean, both.variance, both.std == MomentsState.of(np.tile(huge, 2)).std
    (5e+307, inf, True)
    """

    count: int = 0
    missing: int = 0
    mean: float = float("nan")
    m2: float = 0.0
    minimum: float = float("nan")
    maximum: float = float("nan")
    unit: float = 1.0
    m2_in_units: float = float("nan")

    kind = "moments"

    @classmethod
    def of(
        cls,
        values: np.ndarray,
        *,
        variance: bool = True,
        extremes: bool | tuple[float, float] = True,
    ) -> MomentsState:
        """The state of one batch: a float64 vector whose missing values are NaN.

        ``variance=False`` skips the second pass (``m2`` is NaN; merging keeps
        it NaN), for statistics that need only the mean; ``extremes=False``
        skips the minimum and maximum (left NaN), and ``extremes=(low, high)``
        takes them from a caller that has computed them already.
        """
        part = moments(values, variance=variance)
        if part.count == 0:
            return cls(missing=int(values.shape[0]))
        low = high = float("nan")
        if isinstance(extremes, tuple):
            low, high = extremes
        elif extremes:
            with np.errstate(invalid="ignore"):
                low, high = float(np.nanmin(values)), float(np.nanmax(values))
        return cls(
            count=part.count,
            missing=int(values.shape[0]) - part.count,
            mean=part.mean,
            m2=part.m2,
            minimum=low,
            maximum=high,
            unit=part.unit,
            m2_in_units=part.m2_in_units,
        )

    def merge(self, other: MomentsState) -> MomentsState:
        """Both batches together (Chan et al., in units near ``1e308``; extremes compared)."""
        self._check_mergeable(other)
        if other.count == 0 or self.count == 0:
            seen, empty = (self, other) if other.count == 0 else (other, self)
            return MomentsState(
                seen.count,
                seen.missing + empty.missing,
                seen.mean,
                seen.m2,
                seen.minimum,
                seen.maximum,
                seen.unit,
                seen.m2_in_units,
            )
        total = self.moments.merge(other.moments)
        return MomentsState(
            total.count,
            self.missing + other.missing,
            total.mean,
            total.m2,
            float(np.fmin(self.minimum, other.minimum)),
            float(np.fmax(self.maximum, other.maximum)),
            total.unit,
            total.m2_in_units,
        )

    @property
    def moments(self) -> Moments:
        """Count, mean and ``m2`` (with their units) as :class:`mlprep.core._stats.Moments`."""
        return Moments(self.count, self.mean, self.m2, self.unit, self.m2_in_units)

    @property
    def variance(self) -> float:
        """Population variance (``ddof=0``), NaN when nothing was seen."""
        return self.moments.variance

    @property
    def std(self) -> float:
        """Population standard deviation, finite even where :attr:`variance` exceeds float64."""
        return self.moments.std

    @property
    def max_abs(self) -> float:
        """The largest absolute value (NaN when nothing was seen)."""
        return max(abs(self.minimum), abs(self.maximum))

    def _data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "count": self.count,
            "missing": self.missing,
            "mean": _number(self.mean),
            "m2": _number(self.m2),
            "minimum": _number(self.minimum),
            "maximum": _number(self.maximum),
        }
        if self.unit != 1.0:  # only states of values near 1e308 (older files: none)
            data["unit"] = self.unit
            data["m2_in_units"] = _number(self.m2_in_units)
        return data

    @classmethod
    def _from_data(cls, config: dict[str, Any], data: dict[str, Any]) -> MomentsState:
        unit = data.get("unit", 1.0)
        if not is_unit(unit):
            raise ValueError(f"unit must be a power of two >= 1, got {unit!r}")
        in_units = float(data["m2_in_units"]) if "unit" in data else float("nan")
        return cls(
            count=int(data["count"]),
            missing=int(data["missing"]),
            mean=float(data["mean"]),
            m2=float(data["m2"]),
            minimum=float(data["minimum"]),
            maximum=float(data["maximum"]),
            unit=float(unit),
            m2_in_units=in_units,
        )


def _number(value: float) -> float | str:
    """A float for JSON: NaN and ±inf as the strings Python's ``float`` reads."""
    return value if np.isfinite(value) else repr(value)
