"""k-NN imputation: scikit-learn's ``KNNImputer`` on the reference rows kept by ``fit``."""

from __future__ import annotations

import numpy as np
from sklearn.impute import KNNImputer

__all__ = ["knn_impute"]


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
    """
    if values.shape[0] == 0:
        return values
    imputer = KNNImputer(n_neighbors=n_neighbors, weights=weights)
    return np.asarray(imputer.fit(reference).transform(values), dtype=np.float64)
