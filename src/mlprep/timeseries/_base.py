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
"""

from __future__ import annotations

from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import MlprepTransformer, as_float_array, kind_of, select_columns
from mlprep.exceptions import DataError
from mlprep.timeseries._panel import Panel, build_panel, group_codes, time_values

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


class PanelTransformer(MlprepTransformer):
    """Base class: per-group, time-ordered features with a history carried from ``fit``."""

    _abstract = True
    _column_kind: ClassVar[str] = "numeric"
    _numeric_input: ClassVar[bool] = True
    _keeps_history: ClassVar[bool] = True

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

    def _key_list(self) -> list[str]:
        time = [self.time_column] if self.time_column is not None else []
        return [*self._group_list(), *time]

    def _select_columns(self, frame: nw.DataFrame) -> list[str]:
        owner = type(self).__name__
        keys = self._key_list()
        absent = [name for name in keys if name not in frame.columns]
        if absent:
            raise DataError(
                f"{owner}: column {absent[0]!r} given as time_column/group_columns is "
                f"not in the data. Available columns: {list(frame.columns)}."
            )
        if len(set(keys)) != len(keys):
            raise DataError(f"{owner}: time_column and group_columns must be distinct.")
        if self.columns is None:
            schema = frame.schema
            chosen = [n for n in schema if n not in keys and schema[n].is_numeric()]
            if not chosen:
                raise DataError(
                    f"{owner} found no numeric columns besides the time and group "
                    f"columns (columns: {list(frame.columns)}). Name them with columns=."
                )
            return chosen
        chosen = select_columns(frame, self.columns, kind="numeric", owner=owner)
        clash = [name for name in chosen if name in keys]
        if clash:
            raise DataError(
                f"{owner}: column {clash[0]!r} is both in columns= and the "
                "time/group columns; a key cannot be lagged."
            )
        return chosen

    # -------------------------------------------------------------------- fit
    def _fit(self, frame: nw.DataFrame, y: Any) -> None:
        panel, values = self._fit_panel(frame)
        self._fit_history(frame, panel, values)

    def _fit_panel(self, frame: nw.DataFrame) -> tuple[Panel, dict[str, np.ndarray]]:
        """Check the keys and parameters against the data; the panel of ``frame`` alone."""
        owner = type(self).__name__
        self._check_params()
        if self.time_column is not None:
            _, self.time_kind_ = time_values(frame[self.time_column], owner=owner)
        else:
            self.time_kind_ = "row"
        if self._uses_durations() and self.time_kind_ not in ("datetime", "date"):
            raise DataError(
                f"{owner}: durations such as '7D' need a datetime or date "
                f"time_column; got {'no time_column' if self.time_kind_ == 'row' else 'a numeric one'}. "
                "Give time_column= or use row counts (ints)."
            )
        clash = [n for n in self._output_names() if n in frame.columns]
        if clash:
            raise DataError(
                f"{owner} would create column {clash[0]!r}, which is already in the data. "
                "Rename that column first."
            )
        panel, values, _ = self._panel(frame, history=None)
        return panel, values

    def _fit_history(
        self, frame: nw.DataFrame, panel: Panel, values: dict[str, np.ndarray]
    ) -> None:
        """Keep each group's tail: the last rows / the last span of time."""
        index = np.arange(panel.size)
        keep = (panel.ends - index) <= self._history_rows()
        span = self._history_span()
        if span:
            last = panel.times[panel.ends - 1]
            keep |= panel.times >= last - span
        rows = panel.order[keep]
        history: dict[str, Any] = {"time": panel.times[keep].copy()}
        history["groups"] = {
            name: _plain_list(frame[name], rows) for name in self._group_list()
        }
        history["values"] = {name: values[name][keep].copy() for name in self.columns_}
        self.history_ = history

    # --------------------------------------------------------------- transform
    def fit_transform(self, X: Any, y: Any = None, **fit_params: Any) -> Any:
        """Fit, then return the features of ``X`` computed from ``X`` alone.

        Equal to ``fit(X).transform(X)`` when ``time_column`` is given (every
        tail row is replaced by the same row of ``X``). Without it, ``transform``
        takes its rows to follow the fitted ones, so the two differ by design.

        Parameters
        ----------
        X : DataFrame (pandas, polars), pyarrow Table or array-like
            Training data.
        y : None
            Ignored.
        **fit_params : dict
            Ignored.

        Returns
        -------
        X_out : same container as ``X`` (or as ``set_output`` asks)
        """
        frame = self._start_fit(X)
        panel, values = self._fit_panel(frame)
        self._fit_history(frame, panel, values)
        return self._emit(
            self._attach(frame, panel, self._features(panel, values)), kind_of(X)
        )

    def _transform(self, frame: nw.DataFrame) -> nw.DataFrame:
        return self._compute(frame, history=getattr(self, "history_", None))

    def _compute(
        self, frame: nw.DataFrame, history: dict[str, Any] | None
    ) -> nw.DataFrame:
        panel, values, _ = self._panel(frame, history)
        return self._attach(frame, panel, self._features(panel, values))

    def _attach(
        self, frame: nw.DataFrame, panel: Panel, features: dict[str, np.ndarray]
    ) -> nw.DataFrame:
        """Append the sorted features to ``frame`` in its own row order."""
        backend = nw.get_native_namespace(frame)
        pandas_like = kind_of(nw.to_native(frame)) == "pandas"
        new = []
        for name in self._output_names():
            series = nw.new_series(
                name, panel.scatter(features[name]), nw.Float64, backend=backend
            )
            new.append(series if pandas_like else series.fill_nan(None))
        return frame.with_columns(*new)

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
        return [*input_names, *self._output_names()]

    def __sklearn_tags__(self) -> Any:
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        return tags


def _plain_list(series: nw.Series, rows: np.ndarray) -> list[Any]:
    dtype = series.dtype
    if dtype in (nw.Categorical, nw.Enum) or isinstance(
        dtype, (nw.Categorical, nw.Enum)
    ):
        series = series.cast(nw.String)
    values = np.asarray(series.to_numpy())[rows]
    return [v.item() if isinstance(v, np.generic) else v for v in values.tolist()]
