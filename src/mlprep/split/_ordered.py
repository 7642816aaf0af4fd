"""OrderedSplitter: train before validation before test along an order column."""

from __future__ import annotations

from numbers import Real
from typing import Any

import numpy as np

from mlprep.core import (
    Predicate,
    column_is_temporal,
    column_values,
    factorize_array,
    is_timedelta_scalar,
    missing_mask,
    n_rows,
    timedelta_ns,
)
from mlprep.exceptions import DataError
from mlprep.split._base import RATIOS, Splitter, allocate

__all__ = ["GAP", "OrderedSplitter", "gap_units", "ordered_labels", "sortable"]


def _valid_gap(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if is_timedelta_scalar(value):  # before Real: numpy.timedelta64 is an Integral
        return timedelta_ns(value) >= 0
    if isinstance(value, Real):
        return float(value) >= 0
    return False


GAP = Predicate(_valid_gap, "a number >= 0 or a non-negative timedelta")


def gap_units(gap: Any, temporal: bool, owner: str) -> float:
    """``gap`` in the units of the order values (nanoseconds for datetimes)."""
    if is_timedelta_scalar(gap):
        if not temporal:
            raise DataError(
                f"{owner}: gap={gap!r} is a timedelta but the order column is not a "
                "datetime; give the gap as a number in the column's units."
            )
        return float(timedelta_ns(gap))
    if temporal and gap != 0:
        raise DataError(
            f"{owner}: the order column holds datetimes, so gap must be a timedelta "
            f"(e.g. datetime.timedelta(days=7) or numpy.timedelta64(7, 'D')); got {gap!r}."
        )
    return float(gap)


def sortable(values: np.ndarray, owner: str) -> np.ndarray:
    """``values`` as numbers that sort like them; missing values raise."""
    if values.dtype.kind in "biu":
        return values
    missing = missing_mask(values)
    if missing.any():
        raise DataError(
            f"{owner}: the order column has {int(missing.sum())} missing value(s); "
            "rows without a time cannot be placed. Impute or drop them first."
        )
    if values.dtype.kind == "f":
        return values
    try:
        codes, _ = factorize_array(values, sort=True)
    except TypeError as exc:
        raise DataError(
            f"{owner}: the order column's values cannot be sorted ({exc})."
        ) from exc
    return codes


def _tie_cut(sorted_values: np.ndarray, target: int) -> int:
    """Move a cut at ``target`` to the nearer end of the run of equal values around it.

    On an exact tie the run stays in the earlier part (the cut moves forward).
    """
    if target <= 0 or target >= len(sorted_values):
        return target
    value = sorted_values[target]
    if sorted_values[target - 1] != value:
        return target
    low = int(np.searchsorted(sorted_values, value, side="left"))
    high = int(np.searchsorted(sorted_values, value, side="right"))
    return low if target - low < high - target else high


def ordered_labels(
    values: np.ndarray, ratios: tuple[float, ...], gap: float
) -> np.ndarray:
    """Labels cutting the rows sorted by ``values`` at the ratios, ties kept together.

    Rows whose value lies within ``gap`` after the last value of the previous
    part get label -1 (they belong to no part).
    """
    n = len(values)
    order = np.argsort(values, kind="stable")
    sorted_values = values[order]
    targets = np.cumsum(allocate(n, ratios))[:-1]
    cuts: list[int] = []
    for target in targets.tolist():
        cut = _tie_cut(sorted_values, target)
        cuts.append(max(cut, cuts[-1]) if cuts else cut)
    sorted_labels = np.zeros(n, dtype=np.int8)
    for cut in cuts:
        sorted_labels[cut:] += 1
    if gap > 0:
        for cut in cuts:
            if 0 < cut < n:
                end = int(
                    np.searchsorted(
                        sorted_values, sorted_values[cut - 1] + gap, side="right"
                    )
                )
                sorted_labels[cut:end] = -1
    labels = np.empty(n, dtype=np.int8)
    labels[order] = sorted_labels
    return labels


class OrderedSplitter(Splitter):
    """Split along an order (time): every train value ≤ every validation value ≤ every test value.

    Rows are sorted by ``order_by`` (stably) and cut at the ratios. Equal
    values never straddle a cut: a cut inside a run of equal values moves to
    the nearer end of the run (to its end, keeping the run in the earlier
    part, when both are equally near), so part sizes may differ from the
    ratios by up to half a run.

    ``gap`` leaves out the rows whose value is at most ``gap`` after the last
    value of the previous part (an embargo against leakage through
    autocorrelation); those rows belong to no part. It is in the units of
    ``order_by``: a timedelta for datetime columns, a number otherwise, rows
    when ``order_by`` is None.

    Parameters
    ----------
    ratios : tuple of 2 or 3 floats, default=(0.8, 0.2)
        Shares of (train, test) or (train, validation, test), in order.
    order_by : str, int or None, default=None
        The order column of ``X`` (numbers, datetimes, dates or strings);
        None means the rows are already in order. Missing values raise.
    gap : float or timedelta, default=0
        The embargo after each cut, in ``order_by`` units.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.split import OrderedSplitter
    >>> df = pd.DataFrame({"day": [5, 1, 4, 2, 3, 3, 6, 7, 8, 9]})
    >>> train, test = next(OrderedSplitter(ratios=(0.7, 0.3), order_by="day").split(df))
    >>> bool(df.day.iloc[train].max() < df.day.iloc[test].min())
    True
    """

    _parameter_constraints = {
        "ratios": [RATIOS],
        "order_by": [
            Predicate(
                lambda v: (
                    v is None or (isinstance(v, (str, int)) and not isinstance(v, bool))
                ),
                "None, a column name or a column position",
            )
        ],
        "gap": [GAP],
    }

    def __init__(
        self,
        *,
        ratios: tuple[float, ...] = (0.8, 0.2),
        order_by: Any = None,
        gap: Any = 0,
    ) -> None:
        self.ratios = ratios
        self.order_by = order_by
        self.gap = gap

    def _labels(self, X: Any, y: Any, groups: Any, seed: int) -> np.ndarray:
        owner = type(self).__name__
        if self.order_by is None:
            values, temporal = np.arange(n_rows(X)), False
        else:
            (values,) = column_values(X, self.order_by, param="order_by", owner=owner)
            temporal = column_is_temporal(X, self.order_by)
        gap = gap_units(self.gap, temporal, owner)
        return ordered_labels(sortable(values, owner), tuple(self.ratios), gap)

    def _empty_hint(self) -> str:
        return (
            "An ordered split keeps equal order values together and drops the gap, "
            "so few distinct values or a wide gap can empty a part: use a finer "
            "order column or a smaller gap."
        )
