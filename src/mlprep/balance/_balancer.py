"""Rebalance the classes of a training set: random over/under-sampling and SMOTE."""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import (
    as_float_array,
    from_frame,
    is_missing,
    plain_value,
    series_values,
    take_rows,
)
from mlprep.core._mergeable import batches_only
from mlprep.core._sources import source_kind
from mlprep.core._validation import InstanceOf, Interval, Options
from mlprep.core.resample import MlprepResampler
from mlprep.exceptions import DataError, InvalidParameterError, MissingDependencyError

__all__ = ["Balancer"]

_STRATEGIES = ("auto", "minority", "majority", "not minority", "not majority", "all")
_OVER = ("random_over", "smote")


def _target_stats(labels: np.ndarray) -> dict[Any, int]:
    classes, counts = np.unique(labels, return_counts=True)
    return {plain_value(c): int(n) for c, n in zip(classes, counts, strict=True)}


def sampling_plan(
    strategy: Any, stats: dict[Any, int], *, over: bool, owner: str
) -> dict[Any, int]:
    """imbalanced-learn's ``sampling_strategy_``: rows to add (over) or keep (under) per class.

    ``stats`` maps each class (sorted) to its count. The rules are those of
    ``imblearn.utils.check_sampling_strategy``, including its tie-breaking
    (the first class in sorted order wins a tie for majority or minority).
    """
    majority = max(stats, key=stats.__getitem__)
    minority = min(stats, key=stats.__getitem__)
    n_major, n_minor = stats[majority], stats[minority]
    kind = "over-sampling" if over else "under-sampling"
    if isinstance(strategy, str):
        if strategy == "auto":
            strategy = "not majority" if over else "not minority"
        if (over and strategy == "majority") or (not over and strategy == "minority"):
            raise InvalidParameterError(
                f"{owner}: sampling_strategy={strategy!r} cannot be used with "
                f"{kind}; use 'not majority', 'not minority', 'all' or 'auto'."
            )
        chosen = {
            "minority": [minority],
            "majority": [majority],
            "not minority": [c for c in stats if c != minority],
            "not majority": [c for c in stats if c != majority],
            "all": list(stats),
        }[strategy]
        if over:
            return {c: n_major - stats[c] for c in chosen}
        return dict.fromkeys(chosen, n_minor)
    if isinstance(strategy, dict):
        unknown = [k for k in strategy if k not in stats]
        if unknown:
            raise DataError(
                f"{owner}: sampling_strategy names class(es) {unknown} that are not "
                f"in y; its classes are {list(stats)}."
            )
        plan = {}
        for label, wanted in strategy.items():
            have = stats[label]
            if (
                not isinstance(wanted, Integral)
                or isinstance(wanted, bool)
                or int(wanted) < 0
            ):
                raise InvalidParameterError(
                    f"{owner}: sampling_strategy[{label!r}]={wanted!r} must be a "
                    "number of samples (an int >= 0)."
                )
            wanted = int(wanted)
            if over and wanted < have:
                raise DataError(
                    f"{owner}: sampling_strategy asks {wanted} samples of class "
                    f"{label!r}, which has {have}; over-sampling cannot remove rows "
                    f"(ask at least {have}, or use method='random_under')."
                )
            if not over and wanted > have:
                raise DataError(
                    f"{owner}: sampling_strategy asks {wanted} samples of class "
                    f"{label!r}, which has {have}; under-sampling cannot add rows "
                    f"(ask at most {have}, or use an over-sampling method)."
                )
            plan[plain_value(label)] = wanted - have if over else wanted
        return {c: plan[c] for c in stats if c in plan}
    ratio = float(strategy)
    if len(stats) != 2:
        raise DataError(
            f"{owner}: sampling_strategy={ratio} (a minority/majority ratio) needs a "
            f"binary target; y has {len(stats)} classes. Give a dict "
            "{class: n_samples} instead."
        )
    if over:
        plan = {c: int(n_major * ratio - n) for c, n in stats.items() if c != majority}
        if any(v <= 0 for v in plan.values()):
            raise DataError(
                f"{owner}: sampling_strategy={ratio} would remove minority rows "
                f"({stats}); over-sampling needs a ratio above the current "
                f"{n_minor / n_major:.4g}."
            )
        return plan
    plan = {c: int(n_minor / ratio) for c in stats if c != minority}
    if any(v > stats[c] for c, v in plan.items()):
        raise DataError(
            f"{owner}: sampling_strategy={ratio} would add majority rows ({stats}); "
            f"under-sampling needs a ratio above the current {n_minor / n_major:.4g}."
        )
    return plan


class Balancer(MlprepResampler):
    """Rebalance the classes of ``y`` by adding or removing rows of ``X``.

    A resampler (``fit_resample``, no ``transform``): inside an
    ``imblearn.pipeline.Pipeline`` it changes the rows the model is fitted
    on, and prediction sees every row unchanged. Resample the training split
    only, never the test split.

    ``"random_over"`` copies randomly chosen rows of the classes to grow;
    ``"random_under"`` keeps a random subset of the classes to shrink;
    ``"smote"`` adds synthetic rows interpolated between a minority row and
    one of its ``k_neighbors`` nearest neighbours of the same class
    (imbalanced-learn's ``SMOTE``; ``SMOTENC`` is chosen automatically when
    string, categorical or boolean columns are present, those columns being
    its ``categorical_features``). The class counts equal those of
    imbalanced-learn's ``RandomOverSampler``, ``RandomUnderSampler`` and
    ``SMOTE`` for the same ``sampling_strategy``.

    Parameters
    ----------
    method : {"random_over", "random_under", "smote"}, default="random_over"
        How the classes are balanced.
    sampling_strategy : str, float or dict, default="auto"
        As in imbalanced-learn. ``"auto"`` is ``"not majority"`` for the
        over-sampling methods and ``"not minority"`` for ``random_under``;
        ``"minority"`` (over-sampling only), ``"majority"`` (under-sampling
        only), ``"not minority"``, ``"not majority"`` and ``"all"`` name the
        classes resampled to the size of the majority (over) or minority
        (under) class. A float in (0, 1] (binary targets only) is the wanted
        minority/majority ratio. A dict ``{class: n_samples}`` gives the
        wanted size of each named class.
    seed : int >= 0, default=0
        Seed of ``numpy.random.default_rng`` (random methods) or the
        ``random_state`` of imbalanced-learn (``"smote"``).
    k_neighbors : int >= 1, default=5
        The neighbours SMOTE interpolates between; every class it grows needs
        at least ``k_neighbors + 1`` rows. Ignored by the random methods.

    Attributes
    ----------
    sampling_strategy_ : dict
        Class to the number of rows added (over-sampling) or kept
        (under-sampling), as imbalanced-learn defines it.
    class_counts_ : dict
        Class to its number of rows before resampling (classes sorted).
    n_added_ : int
        The rows added (0 for ``random_under``).
    n_removed_ : int
        The rows removed (0 for the over-sampling methods).
    removed_indices_ : ndarray of int64
        Positions of the removed rows; :meth:`get_mask` gives the mask.
    n_samples_seen_ : int
        The rows of the last input.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Defined when ``X`` has column names.

    Notes
    -----
    ``X`` comes back in its own container (pandas, polars, pyarrow, numpy),
    columns, order and dtypes kept (pandas categoricals too); ``y`` in its
    own. Over-sampling returns every original row first, in order, then the
    added rows grouped by class (sorted). pandas index labels: under-sampling
    keeps those of the kept rows, ``random_over`` repeats the label of the
    copied row, and ``"smote"`` numbers all rows 0..n-1 (a synthetic row is
    no row of the input), ``y`` likewise. Integer columns of synthetic rows
    are truncated toward zero, as imbalanced-learn does for pandas input.
    SMOTE needs complete rows (no missing value) and numeric, string,
    categorical or boolean columns. There is no ``partial_fit``: resampling
    needs every row in memory, and a lazy source is refused.

    Examples
    --------
    >>> import numpy as np
    >>> from mlprep.balance import Balancer
    >>> X = np.arange(20.0).reshape(10, 2)
    >>> y = np.array([0] * 8 + [1] * 2)
    >>> X_res, y_res = Balancer(method="random_over").fit_resample(X, y)
    >>> X_res.shape, np.bincount(y_res).tolist()
    ((16, 2), [8, 8])
    >>> under = Balancer(method="random_under", seed=1)
    >>> X_res, y_res = under.fit_resample(X, y)
    >>> np.bincount(y_res).tolist(), under.n_removed_
    ([2, 2], 6)
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "method": [Options("random_over", "random_under", "smote")],
        "sampling_strategy": [
            Options(*_STRATEGIES),
            Interval(Real, 0, 1, closed="right"),
            InstanceOf(dict, "a dict {class: n_samples}"),
        ],
        "seed": [Interval(Integral, 0, None)],
        "k_neighbors": [Interval(Integral, 1, None)],
    }
    _numeric_input = False

    def __init__(
        self,
        method: str = "random_over",
        sampling_strategy: Any = "auto",
        seed: int = 0,
        k_neighbors: int = 5,
    ) -> None:
        self.method = method
        self.sampling_strategy = sampling_strategy
        self.seed = seed
        self.k_neighbors = k_neighbors

    # Resampling draws rows of the whole training set (which to repeat, drop
    # or interpolate between), not a statistic that batches could merge.
    partial_fit = batches_only()

    def _supports_partial_fit(self) -> bool:
        return False

    def _partial_fit_refusal(self) -> str:
        return (
            "resampling picks rows of the whole training set (which to repeat, drop "
            "or interpolate between), which batches cannot add up to. Resample the "
            "training split in memory with fit_resample(); for data larger than "
            "memory, weight the classes instead (class_weights(y))."
        )

    # ---------------------------------------------------------------- API
    def fit(self, X: Any, y: Any = None) -> Balancer:
        """Count the classes and decide the resampling, without returning the data.

        Parameters
        ----------
        X : DataFrame (pandas, polars), pyarrow Table or array-like
            Of shape (n_samples, n_features).
        y : array-like of length n_samples
            The class labels.

        Returns
        -------
        self
        """
        super().fit(X, y)
        self._drop_work()
        return self

    def fit_resample(self, X: Any, y: Any = None) -> tuple[Any, Any]:
        """Resample ``X`` and ``y`` so that the classes have the requested sizes.

        Parameters
        ----------
        X : DataFrame (pandas, polars), pyarrow Table or array-like
            Of shape (n_samples, n_features); it is never modified.
        y : array-like of length n_samples
            The class labels: numpy array, list, pandas/polars Series,
            pyarrow array; returned in the same container.

        Returns
        -------
        X_resampled : same container as ``X``
            Under-sampling: the kept rows in their original order.
            Over-sampling: every row of ``X`` in order, then the added rows.
        y_resampled : same container as ``y``
            Aligned with ``X_resampled``.
        """
        kind = source_kind(X)
        if kind is not None:
            self._fit_source(X, kind, y)  # refuses: the rows must be in memory
        frame, kind, keep = self._fit(X, y)
        try:
            return self._resampled(frame, kind, keep, y)
        finally:
            self._drop_work()

    # ----------------------------------------------------------- internals
    def _resampled(
        self, frame: nw.DataFrame, kind: str, keep: np.ndarray, y: Any
    ) -> tuple[Any, Any]:
        if self.method == "random_under":
            indices = np.flatnonzero(keep)
            return from_frame(frame[indices], kind), take_rows(y, indices)
        n = frame.shape[0]
        templates = self._templates
        positions = np.concatenate([np.arange(n, dtype=np.intp), templates])
        y_out = take_rows(y, positions)
        if self.method == "random_over":
            return from_frame(frame[positions], kind), y_out
        added = frame[templates].with_columns(*self._synthetic_columns(frame))
        out = nw.concat([frame, added], how="vertical")
        if kind == "pandas":
            out = nw.maybe_reset_index(out)
        return from_frame(out, kind), _reset_pandas_index(y_out)

    def _drop_work(self) -> None:
        """Forget the rows chosen for the last call: they are data, not fitted state."""
        for name in ("_templates", "_codes", "_synthetic"):
            self.__dict__.pop(name, None)

    def _keep_mask(self, frame: nw.DataFrame, y: Any) -> np.ndarray:
        owner = type(self).__name__
        if y is None:
            raise DataError(
                f"{owner} balances the classes of y; call fit_resample(X, y) with the "
                "class labels."
            )
        labels = series_values(y)
        if labels.ndim == 2 and labels.shape[1] == 1:
            labels = labels[:, 0]
        if labels.ndim != 1:
            raise DataError(
                f"{owner}: y must be one column of class labels; got shape "
                f"{labels.shape}."
            )
        try:
            stats = _target_stats(labels)
        except TypeError as exc:
            raise DataError(
                f"{owner}: the labels of y cannot be sorted (mixed types or missing "
                "values); give one type of label and drop rows without one."
            ) from exc
        if any(isinstance(c, float) and np.isnan(c) for c in stats):
            raise DataError(f"{owner}: y has missing (NaN) labels; drop those rows.")
        if len(stats) < 2:
            raise DataError(
                f"{owner}: y has a single class ({next(iter(stats))!r}); there is "
                "nothing to balance. Check the target column and the split."
            )
        over = self.method in _OVER
        plan = sampling_plan(self.sampling_strategy, stats, over=over, owner=owner)
        self.class_counts_ = stats
        self.sampling_strategy_ = plan
        n = labels.shape[0]
        keep = np.ones(n, dtype=bool)
        self._drop_work()
        self._templates = np.empty(0, dtype=np.intp)
        if self.method == "random_under":
            rng = np.random.default_rng(self.seed)
            for label, n_keep in plan.items():
                members = np.flatnonzero(labels == label)
                chosen = rng.choice(members, size=n_keep, replace=False)
                keep[members] = False
                keep[chosen] = True
            self.n_added_ = 0
            return keep
        if self.method == "random_over":
            rng = np.random.default_rng(self.seed)
            parts = [
                rng.choice(np.flatnonzero(labels == label), size=n_add, replace=True)
                for label, n_add in plan.items()
                if n_add > 0
            ]
            self._templates = (
                np.concatenate(parts).astype(np.intp)
                if parts
                else np.empty(0, dtype=np.intp)
            )
        else:
            self._smote(frame, labels, stats, plan)
        self.n_added_ = int(self._templates.size)
        return keep

    def _smote(
        self,
        frame: nw.DataFrame,
        labels: np.ndarray,
        stats: dict[Any, int],
        plan: dict[Any, int],
    ) -> None:
        owner = type(self).__name__
        try:
            from imblearn.over_sampling import SMOTE, SMOTENC
        except ImportError as exc:
            raise MissingDependencyError(
                f"{owner}(method='smote') needs imbalanced-learn: "
                "pip install 'mlprep-kit[balance]'"
            ) from exc
        for label, n_add in plan.items():
            if n_add > 0 and stats[label] < self.k_neighbors + 1:
                raise DataError(
                    f"{owner}: class {label!r} has {stats[label]} row(s), but SMOTE "
                    f"with k_neighbors={self.k_neighbors} needs at least "
                    f"{self.k_neighbors + 1}. Use k_neighbors={max(stats[label] - 1, 1)}"
                    " or fewer, or method='random_over'."
                    if stats[label] > 1
                    else f"{owner}: class {label!r} has a single row; SMOTE "
                    "interpolates between neighbours of the same class and needs at "
                    "least 2 (k_neighbors + 1). Use method='random_over' for it."
                )
        schema = frame.schema
        columns: list[np.ndarray] = []
        categorical: list[int] = []
        self._codes: dict[str, np.ndarray] = {}
        for position, (name, dtype) in enumerate(schema.items()):
            series = frame.get_column(name)
            if is_missing(series).any():
                raise DataError(
                    f"{owner}: column {name!r} has missing values; SMOTE cannot "
                    "interpolate them. Impute them first (mlprep.impute.Imputer) or "
                    "drop the rows."
                )
            if dtype.is_temporal():
                raise DataError(
                    f"{owner}: column {name!r} holds dates or times; SMOTE "
                    "interpolates numbers and categories only. Derive numeric "
                    "features from it first (mlprep.timeseries) or drop it."
                )
            if dtype.is_numeric() and dtype != nw.Boolean:
                # ±inf refused (mlprep's rule): SMOTE's distances cannot use it
                columns.append(as_float_array(series, owner=owner, finite=True))
                continue
            values = series_values(series)
            try:
                _, first, codes = np.unique(
                    values, return_index=True, return_inverse=True
                )
            except TypeError as exc:
                raise DataError(
                    f"{owner}: column {name!r} mixes value types; SMOTE-NC needs one "
                    "type of category per column (cast it to str)."
                ) from exc
            categorical.append(position)
            self._codes[name] = first.astype(np.intp)
            columns.append(codes.reshape(-1).astype(np.float64))
        matrix = np.column_stack(columns)
        strategy = self.sampling_strategy
        if categorical:
            if len(categorical) == len(columns):
                raise DataError(
                    f"{owner}: every column is categorical; SMOTE-NC needs at least "
                    "one numeric column. Use method='random_over' instead."
                )
            sampler: Any = SMOTENC(
                categorical_features=categorical,
                sampling_strategy=strategy,
                k_neighbors=self.k_neighbors,
                random_state=self.seed,
            )
        else:
            sampler = SMOTE(
                sampling_strategy=strategy,
                k_neighbors=self.k_neighbors,
                random_state=self.seed,
            )
        resampled, y_resampled = sampler.fit_resample(matrix, labels)
        n = labels.shape[0]
        self._synthetic = resampled[n:]
        new_labels = np.asarray(y_resampled)[n:]
        templates = np.zeros(new_labels.shape[0], dtype=np.intp)
        for label in plan:  # a row of the same class carries each synthetic row's y
            templates[new_labels == label] = np.flatnonzero(labels == label)[0]
        self._templates = templates

    def _synthetic_columns(self, frame: nw.DataFrame) -> list[nw.Series]:
        """The synthetic rows' columns, each with the dtype of the input column."""
        namespace = nw.get_native_namespace(frame)
        out = []
        for position, (name, dtype) in enumerate(frame.schema.items()):
            values = self._synthetic[:, position]
            if name in self._codes:
                rows = self._codes[name][values.astype(np.intp)]
                out.append(frame.get_column(name)[rows])
            else:
                if dtype.is_integer():  # truncate toward zero, as imblearn's astype
                    values = np.trunc(values)
                series = nw.new_series(name, values, backend=namespace)
                out.append(series.cast(dtype))
        return out


def _reset_pandas_index(y: Any) -> Any:
    """A pandas Series/DataFrame ``y`` renumbered 0..n-1; anything else as is."""
    if nw.dependencies.is_pandas_series(y) or nw.dependencies.is_pandas_dataframe(y):
        return nw.to_native(
            nw.maybe_reset_index(nw.from_native(y, eager_only=True, allow_series=True))
        )
    return y
