"""What the value transforms share: per-column forward/backward maps, and the affine scalers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import MlprepTransformer, as_float_array
from mlprep.core._frame import (
    count_infinite,
    infinite_error,
    refuse_infinite,
    refuse_infinite_values,
    with_columns_finite,
)
from mlprep.core._numpy_path import numpy_columns, with_numpy_columns
from mlprep.core._stats import Moments, moments
from mlprep.exceptions import DataError
from mlprep.state import MomentsState

__all__ = [
    "HUGE",
    "AffineScaler",
    "NumpyValueTransformer",
    "ValueTransformer",
    "column_state",
    "map_columns",
    "unit_for",
]

HUGE = 2.0**500
"""Magnitudes above which a scaler computes in power-of-two units (no overflow)."""


def unit_for(*magnitudes: float) -> float:
    """A power of two ``u`` near the largest of ``magnitudes``, or 1.0 below :data:`HUGE`.

    Dividing by ``u`` and multiplying back is exact, so an affine map
    computed as ``(x/u - c/u) · (f·u)`` rounds as ``(x - c) · f`` would,
    without overflowing near ``1e308``.
    """
    top = max((abs(m) for m in magnitudes if np.isfinite(m)), default=0.0)
    if top <= HUGE:
        return 1.0
    return float(np.ldexp(1.0, np.frexp(top)[1] - 1))


def column_state(
    values: np.ndarray, *, variance: bool, finite: bool, owner: str, name: str
) -> MomentsState:
    """:meth:`MomentsState.of` of one column, its extremes doubling as the ``±inf`` check.

    The same state as ``MomentsState.of(values, variance=variance)`` (numpy's
    ``nanmin``/``nanmax`` are ``fmin``/``fmax`` reductions on float arrays),
    but the two reductions that find the extremes also tell whether the
    column holds ``±inf``, so a fit that refuses them (``finite=True``)
    reads the column twice less than ``as_float_array(finite=True)``
    followed by ``MomentsState.of``.

    Raises
    ------
    DataError
        ``finite=True`` and the column holds ``±inf`` (:func:`infinite_error`).
    """
    low = high = float("nan")
    if values.size:
        low, high = float(np.fmin.reduce(values)), float(np.fmax.reduce(values))
    if finite and (low == -np.inf or high == np.inf):
        raise infinite_error(owner, name, count_infinite(values))
    return MomentsState.of(values, variance=variance, extremes=(low, high))


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

    Subclasses implement :meth:`_forward_values` and :meth:`_backward_values`,
    numpy kernels ``(name, float64 values with NaN) -> new values``, and
    :meth:`_apply_backend`, the same maps for frames that are not
    numpy-backed pandas. ``transform`` and ``inverse_transform`` apply them
    to ``columns_`` and pass the other columns through (NaN stays NaN, null
    stays null). On pandas columns of numpy dtypes the kernels run on the
    columns' arrays directly, with no per-call expression or schema work, so
    one row costs little more than the call itself.

    ``±inf`` in ``columns_`` is refused in ``fit``, ``partial_fit``,
    ``transform`` and ``inverse_transform`` with a
    :class:`~mlprep.exceptions.DataError` naming the column, the count and the
    fix (mlprep's policy, scikit-learn's rule). A class that legitimately
    takes ``±inf`` declares ``_accepts_inf = True`` (or overrides
    :meth:`_inf_allowed` when it depends on a parameter) and documents what
    it does with it.
    """

    _abstract = True
    _accepts_inf: ClassVar[bool] = False
    """Whether ``±inf`` is a legitimate input (not refused); see the class docstring."""

    def _inf_allowed(self) -> bool:
        return self._accepts_inf

    def _forward_values(
        self, name: str, values: np.ndarray
    ) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _backward_values(
        self, name: str, values: np.ndarray
    ) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def _apply_backend(
        self, frame: nw.DataFrame, *, inverse: bool, refuse: bool
    ) -> nw.DataFrame:  # pragma: no cover - abstract
        """The maps on a frame that is not numpy-backed pandas (``refuse``: refuse ``±inf``)."""
        raise NotImplementedError

    def _transform(self, frame: nw.DataFrame) -> nw.DataFrame:
        return self._apply(frame, inverse=False)

    def _inverse_transform(self, frame: nw.DataFrame) -> nw.DataFrame:
        return self._apply(frame, inverse=True)

    def _apply(
        self, frame: nw.DataFrame, *, inverse: bool, checked: bool = False
    ) -> nw.DataFrame:
        """The frame with ``columns_`` transformed (or back-transformed).

        ``checked=True``: the caller has already refused ``±inf`` in these
        columns of this frame (``fit_transform``, whose fit read them).
        """
        owner = type(self).__name__
        refuse = not (checked or self._inf_allowed())
        arrays = numpy_columns(frame, self.columns_)
        if arrays is None:
            return self._apply_backend(frame, inverse=inverse, refuse=refuse)
        if refuse:
            refuse_infinite_values(arrays, owner=owner)
        func = self._backward_values if inverse else self._forward_values
        return with_numpy_columns(
            frame, {name: func(name, values) for name, values in arrays.items()}
        )


class NumpyValueTransformer(ValueTransformer):
    """A :class:`ValueTransformer` whose maps exist as numpy kernels only (log, root, power).

    On frames that are not numpy-backed pandas, :func:`map_columns` applies
    the kernels and keeps the backend's nulls.
    """

    _abstract = True

    def _apply_backend(
        self, frame: nw.DataFrame, *, inverse: bool, refuse: bool
    ) -> nw.DataFrame:
        owner = type(self).__name__
        if refuse:
            refuse_infinite(frame, self.columns_, owner=owner)
        func = self._backward_values if inverse else self._forward_values
        return map_columns(frame, self.columns_, func, owner=owner)


class AffineScaler(ValueTransformer):
    """Base of the scalers whose transform is ``(x - center) * factor + offset`` per column.

    Subclasses fit ``columns_`` and implement :meth:`_center_and_factor`
    (and :meth:`_offset` / :meth:`_clip_bounds` when they need them).
    ``transform`` is one vectorised expression per column (polars computes
    it on polars input: no numpy round trip), or the same arithmetic in
    numpy on numpy-backed pandas columns; NaN stays NaN. Their ``fit``
    refuses ``±inf`` in ``columns_`` (a ``DataError``), so ``fit_transform``
    does not look for it a second time.
    """

    _abstract = True

    def _fit_transform(self, frame: nw.DataFrame, y: Any, **fit_params: Any) -> Any:
        self._fit(frame, y, **fit_params)
        return self._apply(frame, inverse=False, checked=True)

    def _center_and_factor(self, name: str) -> tuple[float, float]:  # pragma: no cover
        raise NotImplementedError

    def _offset(self, name: str) -> float:
        return 0.0

    def _clip_bounds(self) -> tuple[float, float] | None:
        return None

    def _in_units(self, name: str) -> tuple[float, float, float] | None:
        """``(u, center / u, factor · u)`` for a column near the float64 limit, else None.

        Subclasses whose statistics can exceed :data:`HUGE` return the unit
        (:func:`unit_for`) and the center and factor computed in it, so the
        transform neither overflows nor loses the factor to a subnormal.
        """
        return None

    def _map(self, name: str, x: Any, *, inverse: bool) -> Any:
        """The affine map of column ``name`` applied to ``x``, a float64 expression or array.

        One definition for both: narwhals expressions and numpy arrays share
        the operators and ``clip``, so the two paths perform the same
        floating-point operations in the same order and agree to the bit.
        """
        center, factor = self._center_and_factor(name)
        offset = self._offset(name)
        units = self._in_units(name)
        if units is not None:
            unit, center, factor = units
        if inverse:
            if offset != 0.0:
                x = x - offset
            x = x / factor + center
            return x * unit if units is not None else x
        if units is not None:
            x = x * (1.0 / unit)
        if center != 0.0:
            x = x - center
        if factor != 1.0:
            x = x * factor
        if offset != 0.0:
            x = x + offset
        bounds = self._clip_bounds()
        if bounds is not None:
            x = x.clip(*bounds)
        return x

    def _forward_values(self, name: str, values: np.ndarray) -> np.ndarray:
        out = self._map(name, values, inverse=False)
        return values.copy() if out is values else out

    def _backward_values(self, name: str, values: np.ndarray) -> np.ndarray:
        return self._map(name, values, inverse=True)

    def _apply_backend(
        self, frame: nw.DataFrame, *, inverse: bool, refuse: bool
    ) -> nw.DataFrame:
        exprs = [
            self._map(name, nw.col(name).cast(nw.Float64), inverse=inverse).alias(name)
            for name in self.columns_
        ]
        checked = self.columns_ if refuse else []
        return with_columns_finite(frame, exprs, checked, owner=type(self).__name__)


class ColumnMoments:
    """The mergeable fit of transformers that learn only each column's moments.

    Mixed in before the transformer base: the state is ``{column:
    MomentsState}``, which partial fits, lazy sources (one streaming query on
    a polars ``LazyFrame``) and Spark (one aggregation) all compute exactly.
    The class writes ``_finish_state``; ``_variance`` says whether it needs
    the variance (a second pass) or only count, mean and extremes.

    ``±inf`` is refused with the column and count from in-memory data, and
    from a lazy source's extremes (a ``±inf`` minimum or maximum). An
    in-memory fit also keeps each column's exact :class:`Moments`
    (:meth:`_column_moments`), whose standard deviation stays finite where
    the variance of values near ``1e308`` exceeds float64.
    """

    _variance: ClassVar[bool] = False
    columns_: list[str]
    _exact_moments: dict[str, Moments] | None = None

    def _new_state(self) -> dict[str, MomentsState]:
        return {name: MomentsState() for name in self.columns_}

    def _moment_columns(self) -> list[str]:
        return self.columns_

    def _finite_only(self) -> bool:
        return not getattr(self, "_inf_allowed", lambda: False)()

    def _column_states(self, frame: nw.DataFrame) -> dict[str, MomentsState]:
        """Each column's :func:`column_state` (``±inf`` refused unless allowed)."""
        owner = type(self).__name__
        finite = self._finite_only()
        return {
            name: column_state(
                as_float_array(frame[name], owner=owner),
                variance=self._variance,
                finite=finite,
                owner=owner,
                name=name,
            )
            for name in self.columns_
        }

    def _update_state(
        self, state: dict[str, MomentsState], frame: nw.DataFrame, y: Any
    ) -> dict[str, MomentsState]:
        """Merge a batch's moments into the running ones (Chan et al.'s exact merge)."""
        found = self._column_states(frame)
        return {name: state[name].merge(found[name]) for name in self.columns_}

    def _fit(self, frame: nw.DataFrame, y: Any, **fit_params: Any) -> None:
        """One batch, plus the exact moments of columns whose variance overflows.

        Only a class that reads the variance (``_variance``) reads those
        moments (:meth:`_column_moments`), so only it computes them.
        """
        state = self._column_states(frame)
        owner = type(self).__name__
        self._exact_moments = {
            name: moments(as_float_array(frame[name], owner=owner))
            for name in self.columns_
            if self._variance
            and state[name].count
            and not (np.isfinite(state[name].mean) and np.isfinite(state[name].m2))
        }
        try:
            self._adopt_state(state)
        finally:
            self._exact_moments = None

    def _adopt_state(self, state: dict[str, MomentsState]) -> None:
        if self._finite_only():
            owner = type(self).__name__
            for name in self.columns_:
                part = state[name]
                if np.isinf(part.minimum) or np.isinf(part.maximum):
                    raise infinite_error(owner, name)
        super()._adopt_state(state)  # type: ignore[misc]

    def _column_moments(self, state: dict[str, MomentsState], name: str) -> Moments:
        """The exact moments of an in-memory fit, else the state's.

        Raises
        ------
        DataError
            The state's standard deviation is not finite: values near
            ``1e308`` aggregated by a lazy engine or Spark, whose sums carry no
            power-of-two units (batches merged by ``partial_fit`` do carry them).
        """
        exact = (self._exact_moments or {}).get(name)
        if exact is not None:
            return exact
        found = state[name].moments
        if self._variance and found.count and not np.isfinite(found.std):
            raise DataError(
                f"{type(self).__name__}: the variance of column {name!r} exceeds the "
                "float64 range (values near 1e308), which a lazy source's or Spark's "
                "aggregation cannot carry. Fit the column in memory or with "
                "partial_fit, or rescale it first (e.g. divide it by 1e300)."
            )
        return found
