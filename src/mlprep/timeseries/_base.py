"""The shared machinery of the panel transformers (lags, windows, differences).

:class:`PanelTransformer` resolves ``time_column`` / ``group_columns``, keeps
each group's history tail in ``fit``, and in ``transform`` sorts the history
and the new rows once by (group, time), lets the subclass compute its features
on the sorted arrays and returns them in the caller's row order.

History rule (the same for every subclass that keeps a tail):

* ``transform`` computes every row from the union of the fitted tail and the
  new rows. A new row whose (group, time) equals a tail row's replaces it, so
  ``fit(X).transform(X)`` equals ``fit_transform(X)``, and rows that follow the
  fitted period get real lags and windows at the boundary.
* A group not seen in ``fit`` has no history: its first rows are missing (or
  ``fill_value``), exactly as in ``fit_transform``.
* Without ``time_column`` the row order is the time order and the rows given
  to ``transform`` are taken to follow the fitted rows directly.

Batches: the tails are a mergeable :class:`~mlprep.timeseries._state.TailsState`
(``partial_state_``); ``history_`` is set from it. With ``time_column`` the
batches and shards may arrive in any order; without it each ``partial_fit``
batch follows the one before, and lazy sources and merges are refused.
``_batch_local`` is False: a row's features need earlier rows, so a LazyFrame
is not transformed batch by batch.
"""

from __future__ import annotations

from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import as_float_array, check_unique_names, kind_of
from mlprep.core._derived import DerivesColumns
from mlprep.core.base import MlprepTransformer
from mlprep.exceptions import DataError
from mlprep.timeseries._panel import (
    Panel,
    build_panel,
    group_codes,
    key_values,
    time_kind,
    time_values,
)
from mlprep.timeseries._state import TailsState

__all__ = ["PanelTransformer", "group_columns_ok", "time_column_ok"]


def time_column_ok(value: Any) -> bool:
    return value is None or isinstance(value, str)


def group_columns_ok(value: Any) -> bool:
    if value is None or isinstance(value, str):
        return True
    return (
        isinstance(value, (list, tuple))
        and bool(value)
        and all(isinstance(v, str) for v in value)
    )


class PanelTransformer(DerivesColumns, MlprepTransformer):
    """Base class: per-group, time-ordered features with a history carried from ``fit``."""

    _abstract = True
    _column_kind: ClassVar[str] = "numeric"
    _numeric_input: ClassVar[bool] = True
    _tags: ClassVar[dict[str, Any]] = {"preserves_dtype": []}
    _batch_local: ClassVar[bool] = False
    time_column: str | None
    group_columns: Any

    # ------------------------------------------------------------ subclass API
    def _check_params(self) -> None:
        """Relations between parameters, checked in ``fit``."""

    def _uses_durations(self) -> bool:
        return False

    def _history_rows(self) -> int:
        """How many trailing rows per group the next period may need."""
        return 0

    def _history_span(self) -> int:
        """How far back in time (ns) the next period may need, 0 for none."""
        return 0

    def _features(
        self, panel: Panel, values: dict[str, np.ndarray]
    ) -> dict[str, np.ndarray]:
        """Sorted feature arrays keyed by output name."""
        raise NotImplementedError  # pragma: no cover - abstract

    def _output_names(self) -> list[str]:
        raise NotImplementedError  # pragma: no cover - abstract

    # ---------------------------------------------------------------- columns
    def _group_list(self) -> list[str]:
        groups = self.group_columns
        if groups is None:
            return []
        return [groups] if isinstance(groups, str) else list(groups)

    def _key_columns(self) -> list[str]:
        time = [self.time_column] if self.time_column is not None else []
        return [*time, *self._group_list()]

    # -------------------------------------------------------------------- fit
    def _fit(self, frame: nw.DataFrame, y: Any, **fit_params: Any) -> None:
        panel, values = self._fit_panel(frame)
        self._adopt_state(self._panel_state(frame, panel, values))

    def _fit_transform(
        self, frame: nw.DataFrame, y: Any, **fit_params: Any
    ) -> nw.DataFrame:
        """Fit, then the features of ``frame`` computed from ``frame`` alone.

        Equal to ``fit(X).transform(X)`` when ``time_column`` is given (every
        tail row is replaced by the same row of ``X``), and one sort cheaper.
        Without it, ``transform`` takes its rows to follow the fitted ones, so
        the two differ by design.
        """
        panel, values = self._fit_panel(frame)
        self._adopt_state(self._panel_state(frame, panel, values))
        return self._attach(frame, panel, self._features(panel, values))

    def _check_frame(self, frame: nw.DataFrame) -> str:
        """Check the keys and parameters against a batch; its time kind."""
        owner = type(self).__name__
        self._check_params()
        if self.time_column is not None:
            kind = time_kind(frame[self.time_column], owner=owner)
        else:
            kind = "row"
        if self._uses_durations() and kind not in ("datetime", "date"):
            raise DataError(
                f"{owner}: durations such as '7D' need a datetime or date "
                f"time_column; got {'no time_column' if kind == 'row' else 'a numeric one'}. "
                "Give time_column= or use row counts (ints)."
            )
        new = self._output_names()
        clash = [n for n in new if n in frame.columns]
        if clash:
            raise DataError(
                f"{owner} would create column {clash[0]!r}, which is already in the data. "
                "Rename that column first."
            )
        check_unique_names(owner, new)
        return kind

    def _fit_panel(self, frame: nw.DataFrame) -> tuple[Panel, dict[str, np.ndarray]]:
        """Check the keys and parameters against the data; the panel of ``frame`` alone."""
        self.time_kind_ = self._check_frame(frame)
        panel, values, _ = self._panel(frame, history=None)
        return panel, values

    # -------------------------------------------------------- partial state
    def _order_dependent(self) -> bool:
        """Whether the state depends on the order batches arrive in (no time column)."""
        return self.time_column is None

    def _refuse_unordered(self) -> None:
        if self._order_dependent():
            raise DataError(
                f"{type(self).__name__} without time_column takes the row order as "
                "the time order, and a lazy source delivers its batches in no set "
                "order. Give time_column= (then batches and shards may come in any "
                "order), or pass the rows in time order to fit() or partial_fit()."
            )

    def _start_schema(self, frame: nw.DataFrame) -> None:
        self._refuse_unordered()
        super()._start_schema(frame)

    def _check_schema(self, frame: nw.DataFrame) -> None:
        self._refuse_unordered()
        super()._check_schema(frame)

    def _new_state(self) -> Any:
        return TailsState(
            rows=self._history_rows(),
            span=self._history_span(),
            time_column=self.time_column,
            groups=self._group_list(),
            columns=self.columns_,
        )

    def _update_state(self, state: Any, frame: nw.DataFrame, y: Any) -> Any:
        """Add a batch's rows; each group keeps only its latest ones."""
        owner = type(self).__name__
        kind = self._check_frame(frame)
        n = frame.shape[0]
        if self.time_column is not None:
            times, _ = time_values(frame[self.time_column], owner=owner)
        else:
            times = np.arange(n, dtype=np.int64)
        return state.add(
            times,
            {g: key_values(frame[g]) for g in self._group_list()},
            {c: as_float_array(frame[c], owner=owner) for c in self.columns_},
            time_kind=kind,
            n_rows=n,
        )

    def _panel_state(
        self, frame: nw.DataFrame, panel: Panel, values: dict[str, np.ndarray]
    ) -> Any:
        """The state of a whole frame from its panel: the tail rows only."""
        span = self._history_span()
        if span:
            keep = (panel.ends - np.arange(panel.size)) <= self._history_rows()
            last = panel.times[panel.ends - 1]
            keep |= panel.times >= last - span
        else:  # the last rows of each group, found from the group bounds alone
            keep = panel.tail_positions(self._history_rows())
        rows = panel.order[keep]
        return self._new_state().add(
            panel.times[keep],
            {name: key_values(frame[name])[rows] for name in self._group_list()},
            {name: values[name][keep] for name in self.columns_},
            time_kind=self.time_kind_,
            n_rows=frame.shape[0],
        )

    def _finish_state(self, state: Any) -> None:
        self.time_kind_ = state.time_kind
        self.history_ = state.history()

    # --------------------------------------------------------------- transform
    def _transform(self, frame: nw.DataFrame) -> nw.DataFrame:
        return self._compute(frame, self.history_)

    def _compute(self, frame: nw.DataFrame, history: dict[str, Any]) -> nw.DataFrame:
        """The features of ``frame`` computed with the fitted ``history``."""
        panel, values, _ = self._panel(frame, history)
        return self._attach(frame, panel, self._features(panel, values))

    def _attach(
        self, frame: nw.DataFrame, panel: Panel, features: dict[str, np.ndarray]
    ) -> nw.DataFrame:
        """Append the sorted features to ``frame`` in its own row order."""
        backend = nw.get_native_namespace(frame)
        pandas_like = kind_of(nw.to_native(frame)) == "pandas"
        names = self._output_names()
        new = [
            nw.new_series(
                name, panel.scatter(features[name]), nw.Float64, backend=backend
            )
            for name in names
        ]
        out = frame.with_columns(*new)
        if not pandas_like:  # missing as null: one expression over all the new columns
            out = out.with_columns(nw.col(*names).fill_nan(None))
        return self._without_sources(out)

    def _panel(
        self, frame: nw.DataFrame, history: dict[str, Any] | None
    ) -> tuple[Panel, dict[str, np.ndarray], int]:
        """Sort history + frame rows; the value columns in sorted order."""
        owner = type(self).__name__
        n = frame.shape[0]
        groups = self._group_list()
        hist_codes, codes, keys = group_codes(
            frame,
            groups,
            history["groups"] if history else None,
            len(history["time"]) if history else 0,
        )
        n_hist = hist_codes.size
        if self.time_column is not None:
            times, kind = time_values(frame[self.time_column], owner=owner)
            if (kind == "numeric") != (self.time_kind_ == "numeric"):
                raise DataError(
                    f"{owner} was fitted with a {self.time_kind_} time_column, but "
                    f"{self.time_column!r} is now {kind}. Use the same type as in fit."
                )
        else:
            times = np.arange(n, dtype=np.int64)
        if history:
            hist_times = np.asarray(history["time"])
            if self.time_column is None:
                hist_times = hist_times - hist_times.max(initial=-1) - 1
            times = np.concatenate([hist_times.astype(times.dtype), times])
        all_codes = np.concatenate([hist_codes, codes])

        def describe(row: int) -> str:
            parts = [f"{g}={key[row]!r}" for g, key in zip(groups, keys)]
            if self.time_column is not None:  # without it, rows never tie in time
                parts.append(f"{self.time_column}={frame[self.time_column][row]!r}")
            return "(" + ", ".join(parts) + ")"

        panel = build_panel(all_codes, times, n_hist, describe=describe, owner=owner)
        values = {}
        for name in self.columns_:
            column = as_float_array(frame[name], owner=owner)
            if history:
                column = np.concatenate(
                    [np.asarray(history["values"][name], np.float64), column]
                )
            values[name] = panel.take(column)
        return panel, values, n_hist

    def _feature_names_out(self, input_names: list[str]) -> list[str]:
        kept = self._kept_names(self._input_names(), input_names)
        return [*kept, *self._output_names()]
