"""What the value transforms share: per-column forward/backward maps, and the affine scalers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import MlprepTransformer, as_float_array
from mlprep.state import MomentsState

__all__ = ["AffineScaler", "NumpyValueTransformer", "ValueTransformer", "map_columns"]


def map_columns(
    frame: nw.DataFrame,
    columns: list[str],
    func: Callable[[str, np.ndarray], np.ndarray],
    *,
    owner: str,
) -> nw.DataFrame:
    """Replace each of ``columns`` by ``func(name, values)`` computed in numpy.

    For kernels narwhals has no expression for (``log10``, ``cbrt``): the
    values arrive as float64 with missing as NaN, and the result keeps the
    backend's own nulls where the input had them (polars null stays null,
    NaN stays NaN).
    """
    backend = nw.get_native_namespace(frame)
    temporary = {name: f"__mlprep_{index}__" for index, name in enumerate(columns)}
    computed = [
        nw.new_series(
            temporary[name],
            func(name, as_float_array(frame[name], owner=owner)),
            nw.Float64,
            backend=backend,
        )
        for name in columns
    ]
    out = frame.with_columns(*computed)
    out = out.with_columns(
        *(
            nw.when(~nw.col(name).is_null()).then(nw.col(temporary[name])).alias(name)
            for name in columns
        )
    )
    return out.drop(list(temporary.values()))


class ValueTransformer(MlprepTransformer):
    """Base of the column-wise transforms with an inverse (scalers, power, log, root).

    Subclasses implement :meth:`_forward` and :meth:`_backward`, one narwhals
    expression per column; ``transform`` and ``inverse_transform`` apply them
    to ``columns_`` and pass the other columns through (NaN stays NaN).
    """

    _abstract = True

    def _forward(self, name: str) -> nw.Expr:  # pragma: no cover - abstract
        raise NotImplementedError

    def _backward(self, name: str) -> nw.Expr:  # pragma: no cover - abstract
        raise NotImplementedError

    def _transform(self, frame: nw.DataFrame) -> nw.DataFrame:
        return self._apply(frame, inverse=False)

    def _inverse_transform(self, frame: nw.DataFrame) -> nw.DataFrame:
        return self._apply(frame, inverse=True)

    def _apply(self, frame: nw.DataFrame, *, inverse: bool) -> nw.DataFrame:
        """The frame with ``columns_`` transformed (or back-transformed)."""
        make = self._backward if inverse else self._forward
        return frame.with_columns(*(make(name).alias(name) for name in self.columns_))


class NumpyValueTransformer(ValueTransformer):
    """A :class:`ValueTransformer` whose maps are numpy kernels (log, root, power).

    Subclasses implement :meth:`_forward_values` and :meth:`_backward_values`,
    ``(name, float64 values with NaN) -> values``; :func:`map_columns` applies
    them and keeps the backend's nulls.
    """

    _abstract = True

    def _forward_values(
        self, name: str, values: np.ndarray
    ) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def _backward_values(
        self, name: str, values: np.ndarray
    ) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def _apply(self, frame: nw.DataFrame, *, inverse: bool) -> nw.DataFrame:
        func = self._backward_values if inverse else self._forward_values
        return map_columns(frame, self.columns_, func, owner=type(self).__name__)


class AffineScaler(ValueTransformer):
    """Base of the scalers whose transform is ``(x - center) * factor + offset`` per column.

    Subclasses fit ``columns_`` and implement :meth:`_center_and_factor`
    (and :meth:`_offset` / :meth:`_clip_bounds` when they need them).
    ``transform`` is one vectorised expression per column; NaN stays NaN.
    """

    _abstract = True

    def _center_and_factor(self, name: str) -> tuple[float, float]:  # pragma: no cover
        raise NotImplementedError

    def _offset(self, name: str) -> float:
        return 0.0

    def _clip_bounds(self) -> tuple[float, float] | None:
        return None

    def _forward(self, name: str) -> nw.Expr:
        center, factor = self._center_and_factor(name)
        offset = self._offset(name)
        expr = nw.col(name).cast(nw.Float64)
        if center != 0.0:
            expr = expr - center
        if factor != 1.0:
            expr = expr * factor
        if offset != 0.0:
            expr = expr + offset
        bounds = self._clip_bounds()
        if bounds is not None:
            expr = expr.clip(*bounds)
        return expr

    def _backward(self, name: str) -> nw.Expr:
        center, factor = self._center_and_factor(name)
        offset = self._offset(name)
        expr = nw.col(name).cast(nw.Float64)
        if offset != 0.0:
            expr = expr - offset
        return expr / factor + center


class ColumnMoments:
    """The mergeable fit of transformers that learn only each column's moments.

    Mixed in before the transformer base: the state is ``{column:
    MomentsState}``, which partial fits, lazy sources (one streaming query on
    a polars ``LazyFrame``) and Spark (one aggregation) all compute exactly.
    The class writes ``_finish_state``; ``_variance`` says whether it needs
    the variance (a second pass) or only count, mean and extremes.
    """

    _variance: ClassVar[bool] = False
    columns_: list[str]

    def _new_state(self) -> dict[str, MomentsState]:
        return {name: MomentsState() for name in self.columns_}

    def _moment_columns(self) -> list[str]:
        return self.columns_

    def _update_state(
        self, state: dict[str, MomentsState], frame: nw.DataFrame, y: Any
    ) -> dict[str, MomentsState]:
        """Merge a batch's moments into the running ones (Chan et al.'s exact merge)."""
        owner = type(self).__name__
        return {
            name: state[name].merge(
                MomentsState.of(
                    as_float_array(frame[name], owner=owner), variance=self._variance
                )
            )
            for name in self.columns_
        }
