"""Discretise numeric columns into bins: equal width, quantile or custom edges."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from numbers import Integral
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import (
    ColumnSpec,
    Interval,
    MlprepTransformer,
    NoneOK,
    Options,
    Predicate,
    as_float_array,
    check_unique_names,
    missing_expr,
    nanquantiles,
    output_name,
)
from mlprep.core._frame import refuse_infinite
from mlprep.core._warnings import warn_data
from mlprep.exceptions import DataError
from mlprep.state import MomentsState, QuantileSketch
from mlprep.state._engine import quantile_summary

__all__ = ["Binner"]

# scikit-learn's KBinsDiscretizer threshold: quantile edges closer than this
# (an absolute width, not a rounding epsilon) are merged.
_MIN_WIDTH = 1e-8


def _is_edge_list(value: Any) -> bool:
    if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, np.ndarray)):
        return False
    try:
        edges = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return bool(
        edges.ndim == 1
        and edges.size >= 2
        and not np.isnan(edges).any()
        and np.all(np.diff(edges) > 0)
    )


def _is_edges(value: Any) -> bool:
    if isinstance(value, Mapping):
        return bool(value) and all(
            isinstance(k, str) and _is_edge_list(v) for k, v in value.items()
        )
    return _is_edge_list(value)


class Binner(MlprepTransformer):
    """Replace numeric values by the index of the bin they fall in, or by one-hot bin indicators.

    Binning turns a continuous column into an ordered category: it dampens
    outliers and noise and lets linear models fit step-shaped effects.
    Bins are half-open ``[e_i, e_{i+1})``, the last one closed; values below
    the first edge or above the last (new data outside the training range) go
    to the first or last bin, as in scikit-learn's KBinsDiscretizer.

    Parameters
    ----------
    strategy : {"uniform", "quantile", "custom"}, default="uniform"
        ``"uniform"``: ``n_bins`` bins of equal width between the training
        minimum and maximum. ``"quantile"``: edges at evenly spaced quantiles
        (numpy's ``"linear"`` method), so bins hold about as many values each.
        ``"custom"``: the ``edges`` you give.
    n_bins : int >= 2, default=5
        Number of bins for ``"uniform"`` and ``"quantile"``.
    edges : sequence of float, dict or None, default=None
        For ``"custom"`` (required then, ignored otherwise): strictly
        increasing edges, either one list for every column or
        ``{column: edges}``.
    encode : {"ordinal", "onehot"}, default="ordinal"
        ``"ordinal"``: each column becomes its bin index (float, 0-based).
        ``"onehot"``: each column is replaced, in place, by float 0/1 columns
        ``{col}_bin_0, {col}_bin_1, ...``.
    {columns}

    Attributes
    ----------
    columns_ : list of str
    bin_edges_ : dict
        Column name to the list of edges (``n_bins_ + 1`` values).
    n_bins_ : dict
        Column name to the number of bins actually used.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Warns
    -----
    DataWarning
        When quantile edges closer than 1e-8 are merged (heavily repeated
        values), leaving fewer bins than ``n_bins``; and for a constant column,
        which gets a single bin ``(-inf, inf)`` (both as in scikit-learn).

    Notes
    -----
    Missing values (NaN, None, null) are ignored in ``fit``. In ``transform``
    they stay missing with ``encode="ordinal"`` and give a row of zeros in
    every ``{col}_bin_i`` column with ``encode="onehot"`` (no bin is on), so
    no extra column appears. A column that is entirely missing in ``fit``
    raises an error: it has no range to cut.

    ``±inf`` is refused (a DataError naming the column and count) by the
    ``uniform`` and ``quantile`` strategies, in ``fit`` and ``transform``: it
    has no place in a learned range. With ``strategy="custom"`` the edges
    are given, so ``±inf`` is binned like any value beyond them (into the
    first or last bin).

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.scale import Binner
    >>> X = pd.DataFrame({"age": [18.0, 25.0, 40.0, None, 70.0]})
    >>> Binner(strategy="custom", edges=[0, 30, 60, 100]).fit_transform(X)["age"].tolist()
    [0.0, 0.0, 1.0, nan, 2.0]
    >>> Binner(n_bins=2, encode="onehot").fit_transform(X)
       age_bin_0  age_bin_1
    0        1.0        0.0
    1        1.0        0.0
    2        1.0        0.0
    3        0.0        0.0
    4        0.0        1.0
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "strategy": [Options("uniform", "quantile", "custom")],
        "n_bins": [Interval(Integral, 2, None)],
        "edges": [
            NoneOK,
            Predicate(
                _is_edges, "a strictly increasing sequence of numbers or a dict of them"
            ),
        ],
        "encode": [Options("ordinal", "onehot")],
        "columns": [ColumnSpec],
    }

    def __init__(
        self,
        *,
        strategy: str = "uniform",
        n_bins: int = 5,
        edges: Any = None,
        encode: str = "ordinal",
        columns: Any = None,
    ) -> None:
        self.strategy = strategy
        self.n_bins = n_bins
        self.edges = edges
        self.encode = encode
        self.columns = columns

    def _fit(self, frame: nw.DataFrame, y: Any, **fit_params: Any) -> None:
        """Exact quantile edges of in-memory data (numpy's linear quantiles)."""
        if self.strategy != "quantile":  # extremes merge exactly: keep the state
            super()._fit(frame, y)
            return
        owner = type(self).__name__
        self._check_custom()
        summaries = {}
        for name in self.columns_:
            values = as_float_array(frame[name], owner=owner, finite=True)
            present = values[~np.isnan(values)]
            summaries[name] = (
                present.size,
                float(present.min()) if present.size else np.nan,
                float(present.max()) if present.size else np.nan,
                lambda qs, present=present: nanquantiles(present, qs),
            )
        self._set_edges(summaries)
        self.quantile_method_, self.rank_error_ = quantile_summary(None)

    def _check_custom(self) -> None:
        owner = type(self).__name__
        if self.strategy == "custom" and self.edges is None:
            raise DataError(
                f"{owner}(strategy='custom') needs edges=: a list of increasing numbers "
                "or a dict {column: edges}."
            )
        if self.strategy == "custom" and isinstance(self.edges, Mapping):
            missing = [name for name in self.columns_ if name not in self.edges]
            if missing:
                raise DataError(
                    f"edges= gives no edges for column {missing[0]!r}. Add it to the dict "
                    "or leave it out of columns=."
                )

    def _new_state(self) -> dict[str, Any]:
        if self.strategy == "quantile":
            return {name: QuantileSketch() for name in self.columns_}
        return {name: MomentsState() for name in self.columns_}

    def _moment_columns(self) -> list[str] | None:
        return None if self.strategy == "quantile" else self.columns_

    def _update_state(
        self, state: dict[str, Any], frame: nw.DataFrame, y: Any
    ) -> dict[str, Any]:
        owner = type(self).__name__
        updated = dict(state)
        for name in self.columns_:
            values = as_float_array(
                frame[name], owner=owner, finite=not self._inf_allowed()
            )
            if self.strategy == "quantile":
                updated[name] = state[name].update(values)
            else:
                updated[name] = state[name].merge(
                    MomentsState.of(values, variance=False)
                )
        return updated

    def _finish_state(self, state: dict[str, Any]) -> None:
        self._check_custom()
        self._set_edges(
            {
                name: (
                    part.count,
                    part.minimum,
                    part.maximum,
                    getattr(part, "quantiles", None),
                )
                for name, part in state.items()
            }
        )
        sketches = (
            [state[n] for n in self.columns_] if self.strategy == "quantile" else None
        )
        self.quantile_method_, self.rank_error_ = quantile_summary(sketches)

    def _set_edges(self, summaries: dict[str, tuple[int, float, float, Any]]) -> None:
        self.bin_edges_, self.n_bins_ = {}, {}
        for name in self.columns_:
            edges = self._edges_for(name, *summaries[name])
            self.bin_edges_[name] = [float(e) for e in edges]
            self.n_bins_[name] = len(edges) - 1
        if self.encode == "onehot":
            check_unique_names(
                type(self).__name__, self._feature_names_out(self._input_names())
            )

    def _edges_for(
        self, name: str, count: int, low: float, high: float, quantiles: Any
    ) -> np.ndarray:
        """Edges from a column's count, extremes and quantile function."""
        if self.strategy == "custom":
            chosen = self.edges[name] if isinstance(self.edges, Mapping) else self.edges
            return np.asarray(chosen, dtype=np.float64)
        if count == 0:
            raise DataError(
                f"Column {name!r} is entirely missing, so it has no range to bin. Impute "
                "it first (mlprep.impute) or leave it out of columns=."
            )
        if low == high:
            warn_data(
                f"Column {name!r} is constant ({low!r}); it gets a single bin (-inf, inf) "
                "and every value becomes 0."
            )
            return np.array([-np.inf, np.inf])
        if self.strategy == "uniform":
            with np.errstate(over="ignore"):
                spread = high - low
            if np.isinf(spread):  # extremes near ±1e308: space the halves
                return np.linspace(low / 2, high / 2, self.n_bins + 1) * 2
            return np.linspace(low, high, self.n_bins + 1)
        edges = np.asarray(
            quantiles((np.linspace(0, 100, self.n_bins + 1) / 100).tolist())
        )
        # the sketch's outer quantiles are its extremes; the exact ones equal them too
        edges[0], edges[-1] = low, high
        keep = np.ediff1d(edges, to_begin=np.inf) > _MIN_WIDTH
        if not keep.all():
            warn_data(
                f"Bins whose width is too small (<= {_MIN_WIDTH}) in column {name!r} are "
                f"merged: it gets {int(keep.sum()) - 1} bins instead of {self.n_bins}. "
                "Its values repeat heavily; use fewer bins or strategy='uniform'."
            )
            edges = edges[keep]
        return edges

    def _ordinal(self, name: str, dtype: Any) -> nw.Expr:
        x = nw.col(name).cast(nw.Float64)
        inner = self.bin_edges_[name][1:-1]
        index = nw.lit(0.0)
        for edge in inner:
            index = index + (x >= edge).cast(nw.Float64)
        return nw.when(~missing_expr(name, dtype)).then(index)

    def _inf_allowed(self) -> bool:
        """±inf is binned (into the outer bins) only with explicit edges."""
        return self.strategy == "custom"

    def _transform(self, frame: nw.DataFrame) -> nw.DataFrame:
        if not self._inf_allowed():
            refuse_infinite(frame, self.columns_, owner=type(self).__name__)
        schema = frame.schema
        if self.encode == "ordinal":
            return frame.with_columns(
                *(
                    self._ordinal(name, schema[name]).alias(name)
                    for name in self.columns_
                )
            )
        chosen = set(self.columns_)
        exprs = []
        for name in frame.columns:
            if name not in chosen:
                exprs.append(nw.col(name))
                continue
            index = self._ordinal(name, schema[name])
            exprs += [
                (index == float(i))
                .cast(nw.Float64)
                .fill_null(0.0)
                .alias(output_name(name, f"bin_{i}"))
                for i in range(self.n_bins_[name])
            ]
        return frame.select(*exprs)

    def _feature_names_out(self, input_names: list[str]) -> list[str]:
        if self.encode == "ordinal":
            return list(input_names)
        names = []
        for fitted, given in zip(self._input_names(), input_names):
            if fitted in self.bin_edges_:
                names += [
                    output_name(given, f"bin_{i}") for i in range(self.n_bins_[fitted])
                ]
            else:
                names.append(given)
        return names
