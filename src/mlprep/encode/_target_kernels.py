"""The arithmetic of the in-memory target encoder: shrunk means and per-fold moments.

:func:`shrunk_means` blends per-category target means with the overall mean
(scikit-learn's ``TargetEncoder`` statistics); :func:`fold_moments`,
:func:`merged_moments` and :func:`other_folds` give the count, sum and
squared deviations of the target per category and fold, and of every fold
but one, merged by Chan et al.'s rule (cross-fitting without recomputing
over each fold's training rows). The target arrives in the units chosen by
:class:`~mlprep.encode.TargetEncoder` (ordinary targets as they are).
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["fold_moments", "merged_moments", "other_folds", "shrunk_means"]


def shrunk_means(
    codes: np.ndarray, y: np.ndarray, n_categories: int, smooth: Any, prior: float
) -> np.ndarray:
    """Per-category target means shrunk towards ``prior``.

    ``smooth="auto"``: Micci-Barreca's empirical-Bayes blend, weight
    ``n_c * var(y) / (n_c * var(y) + var_c(y))`` on the category mean
    (population variances). A number ``m``: ``(sum_c + m * prior) / (n_c + m)``.
    Categories without rows get ``prior``.

    Examples
    --------
    >>> codes, y = np.array([0, 0, 1]), np.array([1.0, 3.0, 5.0])
    >>> shrunk_means(codes, y, 3, 1.0, prior=3.0).tolist()
    [2.3333333333333335, 4.0, 3.0]
    """
    counts = np.bincount(codes, minlength=n_categories).astype(np.float64)
    sums = np.bincount(codes, weights=y, minlength=n_categories)
    seen = counts > 0
    out = np.full(n_categories, prior, dtype=np.float64)
    if smooth == "auto":
        means = np.zeros(n_categories)
        means[seen] = sums[seen] / counts[seen]
        deviations = y - means[codes]
        within = np.bincount(
            codes, weights=deviations * deviations, minlength=n_categories
        )
        var_c = np.zeros(n_categories)
        var_c[seen] = within[seen] / counts[seen]
        var_y = float(np.var(y))
        numerator = counts * var_y
        denominator = numerator + var_c
        weight = np.ones(n_categories)
        positive = denominator > 0
        weight[positive] = numerator[positive] / denominator[positive]
        out[seen] = weight[seen] * means[seen] + (1.0 - weight[seen]) * prior
    else:
        m = float(smooth)
        usable = seen if m == 0 else np.ones(n_categories, dtype=bool)
        out[usable] = (sums[usable] + m * prior) / (counts[usable] + m)
    return out


def fold_moments(
    key: np.ndarray, count: np.ndarray, y: np.ndarray, n_folds: int, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per fold and category (``key = fold * k + code``): count, sum and squared deviations of ``y``.

    ``count`` is ``bincount(key)``. Each result has shape ``(n_folds, k)``;
    the deviations are from the fold's own category mean (two passes), so no
    sum of squares cancels.

    Examples
    --------
    >>> key = np.array([0, 0, 1, 2])  # (fold, category): (0, 0), (0, 0), (0, 1), (1, 0)
    >>> count = np.bincount(key, minlength=4).astype(np.float64)
    >>> count, sums, m2 = fold_moments(key, count, np.array([1.0, 3.0, 5.0, 7.0]), 2, 2)
    >>> count.tolist(), sums.tolist(), m2.tolist()
    ([[2.0, 1.0], [1.0, 0.0]], [[4.0, 5.0], [7.0, 0.0]], [[2.0, 0.0], [0.0, 0.0]])
    >>> other_folds(count, sums, m2, 0)[1].tolist()  # fold 1's sums
    [7.0, 0.0]
    """
    size = n_folds * k
    sums = np.bincount(key, weights=y, minlength=size)
    mean = np.divide(sums, count, out=np.zeros(size), where=count > 0)
    deviation = y - mean[key]
    m2 = np.bincount(key, weights=deviation * deviation, minlength=size)
    return count.reshape(n_folds, k), sums.reshape(n_folds, k), m2.reshape(n_folds, k)


def merged_moments(
    count: np.ndarray, sums: np.ndarray, m2: np.ndarray, axis: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Count, sum and squared deviations of the groups along ``axis`` merged (Chan et al.).

    ``M2 = sum_j M2_j + sum_j n_j (mean_j - mean)^2``, with ``mean`` that of the
    merged rows: exact, and stable (no difference of large sums of squares).
    """
    total, total_sum = count.sum(axis=axis), sums.sum(axis=axis)
    mean = np.divide(total_sum, total, out=np.zeros_like(total), where=total > 0)
    mean_j = np.divide(sums, count, out=np.zeros_like(sums), where=count > 0)
    gap = mean_j - np.expand_dims(mean, axis)
    return total, total_sum, m2.sum(axis=axis) + (count * gap * gap).sum(axis=axis)


def other_folds(
    count: np.ndarray, sums: np.ndarray, m2: np.ndarray, fold: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`merged_moments` over every fold (axis 0) but ``fold``."""
    keep = np.arange(count.shape[0]) != fold
    return merged_moments(count[keep], sums[keep], m2[keep], axis=0)
