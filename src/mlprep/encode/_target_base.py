"""What :class:`~mlprep.encode.TargetEncoder` learns through the state hooks: hashed folds.

The in-memory fit (scikit-learn's shuffled folds) lives in
:mod:`mlprep.encode._target`; this base holds the checks of ``y`` both fits
share and the mergeable path used by ``partial_fit``, lazy sources,
:func:`mlprep.merge` and ``fold_key``: per column, category and fold, the
target statistics of :class:`~mlprep.encode._target_state.TargetStats`, and
the encodings computed from them over all folds or all but one.
"""

from __future__ import annotations

from numbers import Integral
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
from sklearn.utils.multiclass import type_of_target

from mlprep.core import factorize_series
from mlprep.core._docs import columns_paragraph
from mlprep.core._stats import from_units
from mlprep.encode._base import Block
from mlprep.encode._target_state import (
    TargetStats,
    hashed_folds,
    shrink,
    target_batch,
)
from mlprep.encode._vocabulary import VocabularyEncoder
from mlprep.exceptions import DataError

__all__ = ["TargetBase"]

Stats = tuple[np.ndarray, np.ndarray, np.ndarray]
"""``(count, sum, variance)`` per key: one output's statistics."""


class TargetBase(VocabularyEncoder):
    """Target checks and the hashed-fold state of the target encoder."""

    _abstract = True
    cv: Any
    smooth: Any
    target_type: str
    seed: int | None
    fold_key: str | None

    @classmethod
    def _columns_doc(cls) -> str:  # the fold key is documented with its parameter
        return columns_paragraph(cls._column_kind, arrays=cls._all_array_columns)

    # --------------------------------------------------------------- target
    def _checked_y(self, y: Any, n_samples: int) -> np.ndarray:
        """``y`` as a 1-D array of one value per row, refused when missing or misshapen."""
        if y is None:
            raise DataError(
                "TargetEncoder requires y to be passed, but the target y is None: call "
                "fit(X, y) / fit_transform(X, y)."
            )
        values = np.asarray(y)
        if values.ndim == 2 and values.shape[1] == 1:
            values = values.ravel()
        if values.ndim != 1 or values.shape[0] != n_samples:
            raise DataError(
                f"y must be one value per row of X ({n_samples}), got shape {values.shape}."
            )
        has_nan = (values.dtype.kind in "fc" and bool(np.isnan(values).any())) or (
            values.dtype == object and any(v is None or v != v for v in values)
        )
        if has_nan:
            raise DataError(
                "y has missing values; TargetEncoder needs a target for every row."
            )
        if values.dtype.kind == "f":
            infinite = int(np.count_nonzero(np.isinf(values)))
            if infinite:
                raise DataError(
                    f"y holds {infinite} infinite value(s) (±inf); TargetEncoder needs "
                    "a finite target for every row (a mean with inf in it is inf or "
                    "NaN). Replace them first, e.g. clip y to a finite range or drop "
                    "those rows from X and y."
                )
        return values

    def _target_kind(self, values: np.ndarray) -> str:
        """``target_type``, or the type of ``values`` (a checked ``y``) when "auto"."""
        kind = self.target_type
        if kind == "auto":
            # scikit-learn tests for whole-number labels by a cast to int64,
            # which warns on floats beyond int64 (near 1e308): continuous anyway
            with np.errstate(invalid="ignore", over="ignore"):
                kind = type_of_target(values, input_name="y")
            if kind not in ("continuous", "binary", "multiclass"):
                raise DataError(
                    f"Unknown label type: TargetEncoder handles continuous, binary and "
                    f"multiclass targets; y looks {kind!r}. Set target_type= to say "
                    "which it is, or convert y (e.g. y.astype(float))."
                )
        return str(kind)

    # ------------------------------------------------------------ the folds
    def _key_columns(self) -> list[str]:
        return [] if self.fold_key is None else [self.fold_key]

    def _select_columns(self, frame: nw.DataFrame, kind: str) -> list[str]:
        if self.fold_key is not None and self.fold_key not in frame.columns:
            raise DataError(
                f"TargetEncoder got fold_key={self.fold_key!r}, which is not a column "
                f"of X (columns: {list(frame.columns)[:20]}). Name the column that "
                "identifies related rows (a customer or session id), or leave "
                "fold_key=None."
            )
        return super()._select_columns(frame, kind)

    def _supports_partial_fit(self) -> bool:
        return isinstance(self.cv, Integral)

    def _partial_fit_refusal(self) -> str:
        return (
            "partial and lazy fits assign folds by hashing, which needs cv to be the "
            f"number of folds (an int), not the splitter {self.cv!r}."
        )

    def _folds(self, frame: nw.DataFrame) -> np.ndarray:
        """``hash(fold_key value, or the encoded values of the row; seed) % cv``."""
        names = self.columns_ if self.fold_key is None else [self.fold_key]
        return hashed_folds([frame[c] for c in names], int(self.cv), self.seed or 0)

    # -------------------------------------------------------- state hooks
    def _new_state(self) -> dict[str, Any]:
        if not isinstance(self.cv, Integral):
            raise DataError(
                "TargetEncoder with fold_key= hashes rows into cv folds, so cv must be "
                f"an int (the number of folds), not the splitter {self.cv!r}."
            )
        state = super()._new_state()
        state["target"] = {c: TargetStats(int(self.cv)) for c in self.columns_}
        state["y"] = TargetStats(int(self.cv))
        return state

    def _update_state(
        self, state: dict[str, Any], frame: nw.DataFrame, y: Any
    ) -> dict[str, Any]:
        n = frame.shape[0]
        factorized, tallies = {}, {}
        for column in self.columns_:
            codes, uniques = factorize_series(frame[column])
            counts = np.bincount(codes + 1, minlength=len(uniques) + 1)
            self._refuse_missing(column, int(counts[0]), "fit")
            factorized[column] = (codes, uniques)
            tallies[column] = (uniques, counts[1:], int(counts[0]))
        values = self._checked_y(y, n)
        if n == 0:
            return state
        batch = target_batch(values, self._target_kind(values))
        state["y"].check(batch)  # every TargetStats of the state has the same form
        folds = self._folds(frame)
        self._add_tallies(state, tallies)
        state["y"].add(np.zeros(n, dtype=np.int64), [0], folds, batch)
        for column, (codes, uniques) in factorized.items():
            state["target"][column].add(codes, uniques, folds, batch)
        return state

    def _finish_state(self, state: dict[str, Any]) -> None:
        self._categories_from_state(state)
        self._state_target(state["y"])
        prior, encodings = self._state_encodings(state, None)
        self.target_mean_: Any = prior.tolist() if prior.size > 1 else float(prior[0])
        self.encodings_ = {
            c: (e if e.shape[0] > 1 else e[0]).tolist() for c, e in encodings.items()
        }
        self._check_names()

    def _state_target(self, whole: TargetStats) -> None:
        """``target_type_`` and ``classes_`` from the state's whole-target statistics."""
        kind = self.target_type
        if kind == "auto":
            if whole.form == "moments":
                kind = "continuous"
            else:
                kind = "binary" if len(whole.labels) <= 2 else "multiclass"
        self.target_type_ = kind
        if kind == "continuous":
            self.classes_ = None
            return
        try:
            classes = sorted(whole.labels)
        except TypeError as exc:
            raise DataError(
                f"y mixes labels that cannot be sorted ({whole.labels[:5]}). Give "
                "every batch labels of one type."
            ) from exc
        if kind == "binary" and len(classes) > 2:
            raise DataError(f"target_type='binary' but y has {len(classes)} classes.")
        self.classes_ = classes

    def _outputs(self) -> list[Any]:
        """The label each output column encodes (None: the continuous target)."""
        if self.target_type_ == "continuous":
            return [None]
        classes = self.classes_ or []
        if self.target_type_ == "binary":
            return [classes[1] if len(classes) == 2 else _NO_LABEL]
        return list(classes)

    def _stats(
        self, stats: TargetStats, exclude: int | None, unit: float = 1.0
    ) -> list[Stats]:
        """Per output: count, sum and variance of the target per key, over the folds kept.

        A continuous target's sums and variances are in units of ``unit``
        (sums over ``unit``, variances over ``unit**2``).
        """
        totals = stats.totals(exclude, unit)
        if stats.form == "moments":
            count, mean, m2 = totals
            safe = np.maximum(count, 1)
            variance = np.where(count > 0, m2 / safe, 0.0)
            return [(count, count * mean, variance)] * len(self._outputs())
        (counts,) = totals
        count = counts.sum(axis=1)
        safe = np.maximum(count, 1)
        position = {label: i for i, label in enumerate(stats.labels)}
        out = []
        for label in self._outputs():
            column = position.get(label)
            hits = counts[:, column] if column is not None else np.zeros_like(count)
            share = np.where(count > 0, hits / safe, 0.0)
            out.append((count, hits.astype(np.float64), share * (1.0 - share)))
        return out

    def _state_encodings(
        self, state: dict[str, Any], exclude: int | None
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Target mean per output and each column's ``(n_outputs, n_categories)`` table.

        A target near ``1e308`` is blended in the largest unit of the states
        (:attr:`TargetStats.unit`) and the results multiplied back.
        """
        targets = [state["target"][column] for column in self.columns_]
        unit = max(stats.unit for stats in [state["y"], *targets])
        whole = self._stats(state["y"], exclude, unit)
        total = whole[0][0]
        if total.size == 0 or total[0] == 0:
            raise DataError(
                "TargetEncoder has no rows to learn from"
                + (
                    f": every row hashed into fold {exclude}, so the other folds are "
                    "empty. Use more distinct fold_key values or a smaller cv."
                    if exclude is not None
                    else "."
                )
            )
        priors = np.asarray([s[0] / total[0] for _, s, _ in whole])
        spread = [float(v[0]) for _, _, v in whole]
        tables = {}
        for column, stats in zip(self.columns_, targets):
            rows = stats.rows(self.categories_[column])
            table = []
            for (n, sums, var_c), prior, var_y in zip(
                self._stats(stats, exclude, unit), priors, spread
            ):
                n, sums, var_c = (np.append(a, 0)[rows] for a in (n, sums, var_c))
                table.append(shrink(n, sums, var_c, var_y, float(prior), self.smooth))
            tables[column] = np.vstack(table)
        if unit != 1.0:
            priors = from_units(priors, unit)
            tables = {c: from_units(t, unit) for c, t in tables.items()}
        return priors, tables

    def _hashed_fit_transform(self, frame: nw.DataFrame, y: Any) -> list[Block]:
        """Fit the state, then encode each row from the folds other than its own."""
        state = self._update_state(self._new_state(), frame, y)
        self._adopt_state(state)
        folds = self._folds(frame)
        codes = {c: self._codes(frame, c) for c in self.columns_}
        width = len(self._outputs())
        encoded = {c: np.empty((frame.shape[0], width)) for c in self.columns_}
        for fold in range(int(self.cv)):
            rows = np.flatnonzero(folds == fold)
            if rows.size == 0:
                continue
            priors, tables = self._state_encodings(state, fold)
            for column in self.columns_:
                table = np.hstack([tables[column], priors.reshape(-1, 1)])
                encoded[column][rows] = table[:, codes[column][rows]].T
        return [(c, encoded[c]) for c in self.columns_]


_NO_LABEL = object()
"""The positive class of a binary target that has only one label: never present."""
