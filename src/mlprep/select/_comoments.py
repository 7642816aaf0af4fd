"""Pairwise-complete co-moments of numeric columns, merged exactly (Chan et al.)."""

from __future__ import annotations

from typing import Any

import numpy as np

from mlprep.state import PartialState

__all__ = ["CoMomentsState"]


class CoMomentsState(PartialState):
    """What Pearson correlations need, for every pair of columns, on the rows both have.

    For each pair ``(i, j)`` it keeps the number of rows where both values
    are present (``count[i, j]``), the mean of column ``i`` on those rows
    (``mean[i, j]``), its sum of squared deviations (``m2[i, j]``) and the
    co-moment of ``i`` and ``j`` (``comoment[i, j]``). Batches merge by the
    pairwise form of Chan et al.'s update, exactly (up to rounding) and in
    any order, and :meth:`correlation` is then pandas'
    ``DataFrame.corr(method="pearson")``: pairwise-complete.

    Parameters
    ----------
    n_columns : int

    Examples
    --------
    >>> import numpy as np
    >>> data = np.array([[1.0, 2.0], [2.0, 4.1], [3.0, np.nan], [4.0, 8.0]])
    >>> state = CoMomentsState.of(data[:2]).merge(CoMomentsState.of(data[2:]))
    >>> bool(np.allclose(state.correlation(), CoMomentsState.of(data).correlation()))
    True
    """

    kind = "comoments"

    def __init__(self, n_columns: int) -> None:
        self.n_columns = int(n_columns)
        shape = (self.n_columns, self.n_columns)
        self.count = np.zeros(shape)
        self.mean = np.zeros(shape)
        self.m2 = np.zeros(shape)
        self.comoment = np.zeros(shape)

    @classmethod
    def of(cls, data: np.ndarray) -> CoMomentsState:
        """The state of one batch: ``data`` of shape (n_rows, n_columns), NaN missing."""
        data = np.asarray(data, dtype=float)
        state = cls(data.shape[1])
        present = ~np.isnan(data)
        weight = present.astype(float)
        count = weight.T @ weight
        if not count.any():
            return state
        # shift by each column's mean so the sums below lose no precision;
        # squares of values beyond ~1e154 overflow to inf (their correlation
        # is then NaN: the caller warns), never a RuntimeWarning
        with np.errstate(over="ignore", invalid="ignore"):
            seen = weight.sum(axis=0)
            totals = np.where(present, data, 0.0).sum(axis=0)
            shift = np.divide(totals, seen, out=np.zeros_like(totals), where=seen > 0)
            shifted = np.where(present, data - shift, 0.0)
            sums = shifted.T @ weight  # column i on the rows of pair (i, j)
            squares = (shifted * shifted).T @ weight
            products = shifted.T @ shifted
            mean_shifted = np.where(count > 0, sums / np.maximum(count, 1), 0.0)
            state.mean = np.where(count > 0, mean_shifted + shift[:, None], 0.0)
            state.m2 = np.maximum(squares - sums * mean_shifted, 0.0)
            state.comoment = products - sums * mean_shifted.T
        state.count = count
        return state

    def merge(self, other: CoMomentsState) -> CoMomentsState:
        """A new state of both inputs (Chan et al.'s update, pair by pair)."""
        self._check_mergeable(other)
        merged = CoMomentsState(self.n_columns)
        with np.errstate(over="ignore", invalid="ignore"):  # see of()
            total = self.count + other.count
            with np.errstate(divide="ignore", invalid="ignore"):
                share = np.where(total > 0, other.count / total, 0.0)
                weight = np.where(total > 0, self.count * other.count / total, 0.0)
            delta = other.mean - self.mean
            merged.count = total
            merged.mean = self.mean + delta * share
            merged.m2 = self.m2 + other.m2 + delta * delta * weight
            merged.comoment = self.comoment + other.comoment + delta * delta.T * weight
        return merged

    def correlation(self) -> np.ndarray:
        """Pairwise-complete Pearson correlations; NaN for fewer than two rows or a constant."""
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            denominator = np.sqrt(self.m2 * self.m2.T)
            out = np.where(
                (self.count >= 2) & (denominator > 0) & np.isfinite(denominator),
                self.comoment / denominator,
                np.nan,
            )
        return np.clip(out, -1.0, 1.0)

    def _config(self) -> dict[str, Any]:
        return {"n_columns": self.n_columns}

    def _data(self) -> dict[str, Any]:
        return {
            name: getattr(self, name).tolist()
            for name in ("count", "mean", "m2", "comoment")
        }

    @classmethod
    def _from_data(cls, config: dict[str, Any], data: dict[str, Any]) -> CoMomentsState:
        state = cls(int(config["n_columns"]))
        shape = (state.n_columns, state.n_columns)
        for name in ("count", "mean", "m2", "comoment"):
            values = np.asarray(data[name], dtype=float).reshape(shape)
            setattr(state, name, values)
        return state
