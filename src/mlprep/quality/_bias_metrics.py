"""The arithmetic of the pre-training bias metrics on a table of counts.

:func:`mlprep.quality._bias.pretraining_bias` reduces the data to a count
table, one row per distinct (facet, label, group) key; here each metric is a
few ``np.bincount`` over that table's rows, so a facet with many values costs
one pass per value over the small table, never over the data.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["METRICS", "metrics"]

METRICS = ("CI", "DPL", "KL", "JS", "LP", "TVD", "KS")
"""The metrics every result has (CDDL is added with a group column)."""


def _kl(p: np.ndarray, q: np.ndarray) -> float:
    """``Σ p ln(p/q)`` over ``p > 0`` (``inf`` where ``q = 0 < p``)."""
    positive = p > 0
    with np.errstate(divide="ignore"):
        return float(np.sum(p[positive] * np.log(p[positive] / q[positive])))


def _cddl(
    d: np.ndarray, positive: np.ndarray, g: np.ndarray, n: np.ndarray
) -> tuple[float, str | None]:
    """Clarify's CDDL: ``Σ_i n_i DD_i / n``, ``DD_i = n_d(0)_i/n(0)_i - n_d(1)_i/n(1)_i``."""
    size = int(g.max()) + 1

    def tally(mask: np.ndarray) -> np.ndarray:
        return np.bincount(g[mask], weights=n[mask], minlength=size)

    rejected, rejected_d = tally(~positive), tally(~positive & d)
    accepted, accepted_d = tally(positive), tally(positive & d)
    if accepted.sum() == 0:
        return float("nan"), "CDDL needs accepted (positive) labels; there are none"
    if rejected.sum() == 0:
        return float("nan"), "CDDL needs rejected (negative) labels; there are none"
    zero = np.zeros(size)
    share_rejected = np.divide(
        rejected_d, rejected, out=zero.copy(), where=rejected > 0
    )
    share_accepted = np.divide(
        accepted_d, accepted, out=zero.copy(), where=accepted > 0
    )
    weighted = np.sum((rejected + accepted) * (share_rejected - share_accepted))
    return float(weighted / (rejected.sum() + accepted.sum())), None


def metrics(
    d: np.ndarray,
    positive: np.ndarray,
    y: np.ndarray,
    n: np.ndarray,
    n_labels: int,
    g: np.ndarray | None,
) -> dict[str, Any]:
    """Every metric for one split of the count table's rows into facet d and a.

    ``d`` and ``positive`` flag the count-table rows in facet d and with a
    positive label; ``y`` and ``g`` are their label and group codes, ``n``
    their counts.

    Examples
    --------
    Four count-table rows: (a, label 0) × 3, (a, 1) × 3, (d, 0) × 3, (d, 1) × 1.

    >>> d = np.array([False, False, True, True])
    >>> y = np.array([0, 1, 0, 1])
    >>> n = np.array([3.0, 3.0, 3.0, 1.0])
    >>> out = metrics(d, y == 1, y, n, 2, None)
    >>> out["n_a"], out["n_d"], out["CI"], out["DPL"], out["TVD"]
    (6, 4, 0.2, 0.25, 0.25)
    """
    p_a = np.bincount(y[~d], weights=n[~d], minlength=n_labels)
    p_d = np.bincount(y[d], weights=n[d], minlength=n_labels)
    n_a, n_d = int(p_a.sum()), int(p_d.sum())
    nan = float("nan")
    out: dict[str, Any] = {"n_a": n_a, "n_d": n_d, **dict.fromkeys(METRICS, nan)}
    if g is not None:
        out["CDDL"] = nan
    if n_a + n_d:
        out["CI"] = (n_a - n_d) / (n_a + n_d)
    if n_a == 0 or n_d == 0:
        if n_a + n_d == 0:
            empty = "no row has both a facet and a label value"
        else:
            empty = f"facet {'a (the other rows)' if n_a == 0 else 'd'} has no rows"
        out["reason"] = f"{empty}, so the metrics comparing a with d are NaN"
        return out
    share_a, share_d = p_a / n_a, p_d / n_d
    m = (share_a + share_d) / 2
    difference = share_a - share_d
    out["DPL"] = float(n[~d & positive].sum() / n_a - n[d & positive].sum() / n_d)
    out["KL"] = _kl(share_a, share_d)
    out["JS"] = max(0.5 * (_kl(share_a, m) + _kl(share_d, m)), 0.0)
    out["LP"] = float(np.sqrt(np.sum(difference**2)))
    out["TVD"] = float(0.5 * np.sum(np.abs(difference)))
    out["KS"] = float(np.max(np.abs(difference)))
    reason = None
    if g is not None:
        out["CDDL"], reason = _cddl(d, positive, g, n)
    out["reason"] = reason
    return out
