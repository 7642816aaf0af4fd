"""k-NN imputation: scikit-learn's ``KNNImputer`` on the reference rows kept by ``fit``.

Values near ``1e308`` overflow the squared differences of the distances and
the sums of the averages. There :func:`knn_impute` runs the same algorithm
in power-of-two units (:func:`_knn_in_units`): the distances on the data
divided by one unit for all columns (exact, so the neighbours and their
weights are those of the data scaled down), each column's average in a unit
of its own (so a column of small values next to a huge one keeps its
precision), and the imputed values multiplied back.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.impute import KNNImputer
from sklearn.metrics import pairwise_distances_chunked

from mlprep.core._stats import from_units, unit_for_squares

__all__ = ["knn_impute"]

_WEIGHT_SHIFT = 2.0**64
"""Distances in units are multiplied by this before their inverse is taken.

A distance between rows of values below 2 (in units) lies in ``[2**-1074,
2**20]``: times ``2**64`` its inverse is finite and normal, where ``1 /
distance`` alone would overflow for rows closer than ``2**-1024`` units.
Inverse-distance weights are normalised, so a power-of-two factor leaves
the averages unchanged bit for bit.
"""


def knn_impute(
    reference: np.ndarray, values: np.ndarray, *, n_neighbors: int, weights: str
) -> np.ndarray:
    """``values`` imputed from their nearest rows of ``reference``.

    Exactly scikit-learn's ``KNNImputer(n_neighbors, weights).fit(reference)
    .transform(values)``: nan-Euclidean distances, the donors are the nearest
    reference rows with the column observed, averaged uniformly or by inverse
    distance, and the reference column's mean where no row can donate. The
    ``KNNImputer`` is rebuilt on each call: its ``fit`` only validates and
    masks ``reference`` (one pass), small next to the distances of
    ``transform``, and so the fitted ``Imputer`` holds plain data only.

    Data beyond :data:`~mlprep.core._stats.SQUARES_SAFE` in magnitude
    (values near ``1e308``) are imputed by :func:`_knn_in_units`: the same
    neighbours, weights and averages as scikit-learn's on the data divided
    by a power of two, multiplied back, and finite.

    Examples
    --------
    >>> reference = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    >>> knn_impute(reference, np.array([[np.nan, 2.9]]), n_neighbors=2, weights="uniform")
    array([[2.5, 2.9]])
    >>> huge = knn_impute(
    ...     reference * 2.0**1020, np.array([[np.nan, 2.9 * 2.0**1020]]),
    ...     n_neighbors=2, weights="uniform",
    ... )
    >>> bool(huge[0, 0] == 2.5 * 2.0**1020)
    True
    """
    if values.shape[0] == 0:
        return values
    unit = unit_for_squares(reference, values)
    if unit != 1.0:
        return _knn_in_units(
            reference, values, unit=unit, n_neighbors=n_neighbors, weights=weights
        )
    imputer = KNNImputer(n_neighbors=n_neighbors, weights=weights)
    return np.asarray(imputer.fit(reference).transform(values), dtype=np.float64)


def _column_units(reference: np.ndarray) -> np.ndarray:
    """Per column, the power of two at its largest magnitude (1.0 for a column of zeros)."""
    with np.errstate(invalid="ignore"):
        top = np.fmax.reduce(np.abs(reference), axis=0, initial=0.0)
    exponents = np.frexp(top)[1] - 1
    return np.where(top > 0, np.ldexp(1.0, exponents), 1.0)


def _knn_in_units(
    reference: np.ndarray,
    values: np.ndarray,
    *,
    unit: float,
    n_neighbors: int,
    weights: str,
) -> np.ndarray:
    """:func:`knn_impute` in power-of-two units, step for step scikit-learn's algorithm.

    The rows of ``values`` with a gap are compared with every ``reference``
    row by scikit-learn's ``pairwise_distances_chunked(metric=
    "nan_euclidean")`` on the data divided by ``unit`` (one power of two for
    all columns: the distances of the scaled-down data, finite). Per column
    with gaps, as ``KNNImputer.transform`` does: the candidate donors are
    the reference rows that observe it; a row with no defined distance to
    any of them gets the column's reference mean; otherwise its
    ``n_neighbors`` nearest (``np.argpartition``) are averaged, uniformly
    (weight 0 for an undefined distance) or by inverse distance (the rows at
    distance 0 alone, if any). Each column is averaged in a unit of its own
    (:func:`_column_units`) and multiplied back; observed values are copied
    unchanged.
    """
    out = values.copy()
    missing = np.isnan(values)
    gappy = np.flatnonzero(missing.any(axis=1))
    if gappy.size == 0:
        return out
    reference_missing = np.isnan(reference)
    units = _column_units(reference)
    in_units = reference / units  # per column: exact, each below 2 in magnitude

    def impute_chunk(distances: np.ndarray, start: int) -> None:
        rows = gappy[start : start + distances.shape[0]]
        for column in range(values.shape[1]):
            gaps = np.flatnonzero(missing[rows, column])
            if gaps.size == 0:
                continue
            observed = ~reference_missing[:, column]
            donors = np.flatnonzero(observed)
            found = _impute_column(
                distances[gaps][:, donors],
                np.ma.array(in_units[:, column], mask=~observed),
                donors,
                n_neighbors,
                weights,
            )
            out[rows[gaps], column] = from_units(found, units[column])

    chunks = pairwise_distances_chunked(
        values[gappy] / unit,
        reference / unit,
        metric="nan_euclidean",
        reduce_func=impute_chunk,
    )
    for _ in chunks:  # impute_chunk writes into out
        pass
    return out


def _impute_column(
    distances: np.ndarray,
    column: np.ma.MaskedArray,
    donors: np.ndarray,
    n_neighbors: int,
    weights: str,
) -> np.ndarray:
    """One column's imputations from the receivers' distances to its ``donors`` (in units).

    ``column`` is the reference column in its units, masked where missing.
    """
    found = np.empty(distances.shape[0])
    undefined = np.isnan(distances).all(axis=1)
    if undefined.any():  # no defined distance: the column's reference mean
        found[undefined] = column.mean()
        if undefined.all():
            return found
    near = ~undefined
    subset = distances[near]
    donor_values = column.data[donors]
    k = min(n_neighbors, donors.shape[0])
    chosen = np.argpartition(subset, k - 1, axis=1)[:, :k]
    chosen_distances = subset[np.arange(chosen.shape[0])[:, None], chosen]
    weight = _weights(chosen_distances, weights)
    donors = np.ma.array(donor_values.take(chosen), mask=np.zeros(chosen.shape, bool))
    found[near] = np.ma.average(donors, axis=1, weights=weight).data
    return found


def _weights(distances: np.ndarray, weights: str) -> Any:
    """scikit-learn's neighbour weights (``_get_weights``), inverted without overflow."""
    if weights == "uniform":
        weight = np.ones_like(distances)
        weight[np.isnan(distances)] = 0.0
        return weight
    with np.errstate(divide="ignore"):
        weight = 1.0 / (distances * _WEIGHT_SHIFT)
    exact = np.isinf(weight)  # distance 0: those rows alone, equally
    tied = exact.any(axis=1)
    weight[tied] = exact[tied]
    weight[np.isnan(weight)] = 0.0
    return weight
