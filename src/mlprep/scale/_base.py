"""What the affine scalers share: ``(x - center) * factor`` per column, and its inverse."""

from __future__ import annotations

from typing import Any

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import MlprepTransformer, from_frame

__all__ = ["AffineScaler", "zero_scale_to_one"]

_EPS = np.finfo(np.float64).eps


def zero_scale_to_one(scale: float, *, constant: bool = False) -> float:
    """scikit-learn's rule for constant columns: a (near-)zero scale becomes 1.

    A column whose spread is below ``10 * eps`` (or flagged ``constant``) is
    left unscaled rather than divided by ~0, as in scikit-learn.
    """
    if constant or not np.isfinite(scale) or scale < 10 * _EPS:
        return 1.0 if np.isfinite(scale) or constant else scale
    return scale


class AffineScaler(MlprepTransformer):
    """Base of the scalers whose transform is ``(x - center) * factor`` per column.

    Subclasses fit ``columns_`` and implement :meth:`_center_and_factor`.
    ``transform`` is one vectorised expression per column; NaN stays NaN.
    """

    _abstract = True

    def _center_and_factor(self, name: str) -> tuple[float, float]:  # pragma: no cover
        raise NotImplementedError

    def _transform(self, frame: nw.DataFrame) -> nw.DataFrame:
        exprs = []
        for name in self.columns_:
            center, factor = self._center_and_factor(name)
            expr = nw.col(name).cast(nw.Float64)
            if center != 0.0:
                expr = expr - center
            if factor != 1.0:
                expr = expr * factor
            exprs.append(expr.alias(name))
        return frame.with_columns(*exprs)

    def inverse_transform(self, X: Any) -> Any:
        """Undo ``transform``: ``x / factor + center`` per column.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Transformed data.

        Returns
        -------
        X_original : same container as ``X``
        """
        self._check_fitted()
        frame, kind = self._ingest(X, reset=False)
        exprs = []
        for name in self.columns_:
            center, factor = self._center_and_factor(name)
            exprs.append((nw.col(name).cast(nw.Float64) / factor + center).alias(name))
        return from_frame(frame.with_columns(*exprs), kind, self._output_format())
