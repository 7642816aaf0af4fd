"""Cross-fitted target (mean) encoding with empirical-Bayes shrinkage."""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.preprocessing import LabelBinarizer, LabelEncoder
from sklearn.utils import check_random_state

from mlprep.core import (
    Boolean,
    ColumnSpec,
    InstanceOf,
    Interval,
    NoneOK,
    Options,
    Predicate,
)
from mlprep.core._stats import from_units, unit_for_squares
from mlprep.encode._base import category_label, suffixed_names
from mlprep.encode._target_base import TargetBase
from mlprep.encode._target_kernels import (
    fold_moments,
    merged_moments,
    other_folds,
    shrunk_means,
)
from mlprep.encode._target_state import shrink
from mlprep.exceptions import DataError

__all__ = ["TargetEncoder"]


def _is_splitter(value: Any) -> bool:
    return hasattr(value, "split") and hasattr(value, "get_n_splits")


def _in_units(target: np.ndarray, unit: float) -> np.ndarray:
    """``target / unit`` (exact: a power of two); ``target`` itself when ``unit`` is 1."""
    return target if unit == 1.0 else target / unit


class TargetEncoder(TargetBase):
    """Encode categories by the (shrunk) mean of the target, cross-fitted in ``fit_transform``.

    Suits high-cardinality columns with supervised models. Each category gets
    the mean target of its rows, shrunk towards the overall mean the fewer
    rows it has. ``fit_transform(X, y)`` is leakage-safe: every row is
    encoded with statistics from the other folds of ``cv`` only, so the
    training encodings carry no memorised label. ``transform`` (test data)
    uses statistics from all the training data. ``fit(X, y).transform(X)``
    is therefore *not* ``fit_transform(X, y)``: use ``fit_transform`` on
    training data.

    Parameters
    ----------
    cv : int >= 2 or a splitter, default=5
        Folds for cross-fitting. An int uses shuffled ``KFold`` (continuous
        targets) or ``StratifiedKFold`` (classification) shuffled with
        ``seed``; any object with ``split``/``get_n_splits`` (e.g.
        ``GroupKFold``) is used as given, with ``groups`` from
        ``fit_transform`` passed through. Its ``split`` gets a placeholder
        array with one row per sample as ``X`` (with ``y`` and ``groups``).
        Each row must be in at most one test fold; rows in none are encoded
        with the target mean. ``fit`` accepts ``groups`` too and ignores it
        (it learns from all rows).
    smooth : "auto" or float >= 0, default="auto"
        ``"auto"``: empirical-Bayes shrinkage (Micci-Barreca), as scikit-learn's
        ``TargetEncoder``; a number ``m`` blends as ``(sum + m * mean) / (n + m)``.
    target_type : {"auto", "continuous", "binary", "multiclass"}, default="auto"
        ``"auto"`` infers it with ``sklearn.utils.multiclass.type_of_target``.
        Binary targets encode the probability of ``classes_[1]``; multiclass
        targets give one column per class, ``{column}_{class}``.
    seed : int or None, default=None
        Seed of the shuffled folds when ``cv`` is an int (None: a different
        shuffle every time), and of the fold hash below (None: 0).
    fold_key : str or None, default=None
        A column whose value decides each row's fold by hashing:
        ``fold = hash(value, seed) % cv``, so all rows of a key (a customer,
        a session) share a fold and ``fit_transform`` encodes them with
        statistics of other keys only. The column is read, never encoded
        (``columns=None`` skips it). It needs ``cv`` to be an int, and ``fit``
        and ``fit_transform`` then keep the mergeable state described in the
        Notes.
    handle_unknown : {"ignore", "error"}, default="ignore"
        ``"ignore"``: categories not seen in ``fit`` get the target mean
        (``target_mean_``); ``"error"`` raises.
    handle_missing : {"value", "error"}, default="value"
        ``"value"``: missing values are a category with their own statistic
        (a missing value ``fit`` never saw gets the target mean); ``"error"``
        raises.
    {columns}
        Integer and float columns are encoded when named.
    {drop_original}

    Attributes
    ----------
    categories_ : dict
        Column name to its sorted categories (None, last, is missing).
    counts_ : dict
        Column name to the count of each category.
    encodings_ : dict
        Column name to the encoding of each category (a list per class for
        multiclass targets).
    target_mean_ : float or list of float
        The target mean (per class for multiclass), used for unknowns.
    target_type_ : str
    classes_ : list or None
        Class labels for binary and multiclass targets.
    columns_ : list of str
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    See Also
    --------
    sklearn.preprocessing.TargetEncoder : same statistics; group-aware cv only from 1.9.

    Notes
    -----
    ``partial_fit``, lazy sources (``fit(lazy_frame, y="label")``) and
    :func:`mlprep.merge` assign folds by hashing instead of shuffling:
    ``fold = hash(fold_key value, or the row's values in the encoded columns;
    seed) % cv``, a function of the row alone, so the assignment does not
    depend on row order or sharding. The state (``partial_state_``) keeps,
    per column, category and fold, the counts of each target label or the
    count, mean and squared deviations of a continuous target, and the same
    for the whole target; these add up exactly, and ``encodings_`` (from all
    folds) equal those of ``fit`` on all the data. A target that looks like
    classes in early batches and continuous later is treated as continuous.
    The in-memory ``fit`` and ``fit_transform`` without ``fold_key`` are
    scikit-learn's (shuffled folds) and keep no state, so ``partial_fit``
    after them raises (fit every batch with ``partial_fit``). ``fit_transform``
    of a lazy source is ``fit(X).transform(X)``, not cross-fitted. With a
    splitter as ``cv`` there are no hashed folds, so ``partial_fit`` is not
    offered.

    A continuous target must be finite (``±inf`` is refused with a
    ``DataError`` giving the count). Values near ``1e308``, whose sums and
    squares overflow float64, are divided by a power of two for the means,
    variances and blends (exact) and the encodings multiplied back: they are
    finite and equal the encodings of the scaled-down target, scaled back.
    Ordinary targets are computed as they are, bit for bit.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.encode import TargetEncoder
    >>> X = pd.DataFrame({"city": ["a", "a", "b", "b", "b", "c"] * 5})
    >>> y = [1, 0, 1, 1, 1, 0] * 5
    >>> enc = TargetEncoder(smooth=0.0)
    >>> train = enc.fit_transform(X, y)  # cross-fitted
    >>> enc.transform(pd.DataFrame({"city": ["a", "b", "zz"]}))["city"].round(3).tolist()
    [0.5, 1.0, 0.667]

    Folds by customer (every row of a customer encoded from other customers):

    >>> X["customer"] = list(range(10)) * 3
    >>> keyed = TargetEncoder(fold_key="customer", cv=3).fit(X, y)
    >>> keyed.fit_transform(X, y).columns.tolist()
    ['city', 'customer']
    """

    _tags: ClassVar[dict[str, Any]] = {"requires_y": True}
    _kept_suffix: ClassVar[str] = "target"
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "cv": [
            Interval(Integral, 2, None),
            Predicate(_is_splitter, "a cross-validation splitter"),
        ],
        "smooth": [Options("auto"), Interval(Real, 0, None)],
        "target_type": [Options("auto", "continuous", "binary", "multiclass")],
        "seed": [Interval(Integral, 0, None), NoneOK],
        "fold_key": [InstanceOf(str, "a column name"), NoneOK],
        "handle_unknown": [Options("ignore", "error")],
        "handle_missing": [Options("value", "error")],
        "columns": [ColumnSpec],
        "drop_original": [Boolean],
    }

    def __init__(
        self,
        *,
        cv: Any = 5,
        smooth: str | float = "auto",
        target_type: str = "auto",
        seed: int | None = None,
        fold_key: str | None = None,
        handle_unknown: str = "ignore",
        handle_missing: str = "value",
        columns: Any = None,
        drop_original: bool = True,
    ) -> None:
        self.cv = cv
        self.smooth = smooth
        self.target_type = target_type
        self.seed = seed
        self.fold_key = fold_key
        self.handle_unknown = handle_unknown
        self.handle_missing = handle_missing
        self.columns = columns
        self.drop_original = drop_original

    # --------------------------------------------------------------- target
    def _target(self, y: Any, n_samples: int) -> np.ndarray:
        """``y`` as floats: (n,) for continuous/binary, (n, n_classes) for multiclass."""
        values = self._checked_y(y, n_samples)
        kind = self._target_kind(values)
        self.target_type_ = kind
        if kind == "continuous":
            self.classes_ = None
            try:
                return values.astype(np.float64)
            except (TypeError, ValueError) as exc:
                raise DataError("target_type='continuous' needs a numeric y.") from exc
        if kind == "binary":
            encoder = LabelEncoder().fit(values)
            if len(encoder.classes_) > 2:
                raise DataError(
                    f"target_type='binary' but y has {len(encoder.classes_)} classes."
                )
            self.classes_ = encoder.classes_.tolist()
            return encoder.transform(values).astype(np.float64)
        binarizer = LabelBinarizer().fit(values)
        self.classes_ = binarizer.classes_.tolist()
        matrix = binarizer.transform(values).astype(np.float64)
        if matrix.shape[1] == 1:  # two classes given as multiclass
            matrix = np.column_stack([1.0 - matrix[:, 0], matrix[:, 0]])
        return matrix

    def _statistics(
        self,
        codes: dict[str, np.ndarray],
        target: np.ndarray,
        rows: Any,
        unit: float = 1.0,
    ) -> tuple[Any, dict[str, Any]]:
        """Target mean and per-category encodings from the rows ``rows``.

        ``target`` is in units of ``unit`` (see :meth:`_fit_target`); the
        results are not (multiplied back).
        """
        prior, encodings = self._unit_statistics(codes, target, rows)
        if unit == 1.0:
            return prior, encodings
        if isinstance(prior, float):
            prior = float(from_units(prior, unit))
        else:
            prior = from_units(prior, unit)
        return prior, {c: from_units(e, unit) for c, e in encodings.items()}

    def _unit_statistics(
        self, codes: dict[str, np.ndarray], target: np.ndarray, rows: Any
    ) -> tuple[Any, dict[str, Any]]:
        """:meth:`_statistics` in the target's units."""
        if target.ndim == 1:
            prior: Any = float(target[rows].mean())
            encodings = {
                c: shrunk_means(
                    codes[c][rows],
                    target[rows],
                    len(self.categories_[c]),
                    self.smooth,
                    prior,
                )
                for c in self.columns_
            }
            return prior, encodings
        priors = target[rows].mean(axis=0)
        encodings = {
            c: np.vstack(
                [
                    shrunk_means(
                        codes[c][rows],
                        target[rows, k],
                        len(self.categories_[c]),
                        self.smooth,
                        float(priors[k]),
                    )
                    for k in range(target.shape[1])
                ]
            )
            for c in self.columns_
        }
        return priors, encodings

    # -------------------------------------------------------------- fitting
    def _fit_codes(
        self, frame: nw.DataFrame, y: Any, groups: Any = None
    ) -> dict[str, np.ndarray] | None:
        """Learn the statistics from all rows (``groups`` is for ``fit_transform``)."""
        if self.fold_key is not None:  # hashed folds: the mergeable state
            self._adopt_state(self._update_state(self._new_state(), frame, y))
            return None
        return self._fit_target(frame, y)[0]

    def _fit_target(
        self, frame: nw.DataFrame, y: Any
    ) -> tuple[dict[str, np.ndarray], np.ndarray, float]:
        """Learn from all rows; the codes, the target and the unit of its arithmetic.

        A continuous target beyond :data:`~mlprep.core._stats.SQUARES_SAFE`
        (values near ``1e308``) is divided by a power of two (``unit``,
        exact) for the means, variances and blends, whose results are
        multiplied back; for every other target ``unit`` is 1.0 and the
        arithmetic is the plain one.
        """
        target = self._target(y, frame.shape[0])
        unit = unit_for_squares(target)
        codes = self._learn_categories(frame, order="lexical")
        prior, encodings = self._statistics(
            codes, _in_units(target, unit), slice(None), unit
        )
        self.target_mean_ = prior.tolist() if isinstance(prior, np.ndarray) else prior
        self.encodings_ = {c: e.tolist() for c, e in encodings.items()}
        self._check_names()
        return codes, target, unit

    def _fit_transform(
        self, frame: nw.DataFrame, y: Any, groups: Any = None, **fit_params: Any
    ) -> nw.DataFrame:
        """Fit on all rows; encode each row with the statistics of the other folds."""
        if fit_params:  # groups is the one fit parameter
            raise TypeError(
                f"TargetEncoder.fit_transform() got an unexpected keyword argument "
                f"{next(iter(fit_params))!r}"
            )
        if self.fold_key is not None:
            if groups is not None:
                raise DataError(
                    "TargetEncoder got groups= and fold_key=: with fold_key the folds "
                    "come from hashing that column, so groups would be ignored. Drop "
                    "one of them."
                )
            return self._assemble(frame, self._hashed_fit_transform(frame, y))
        codes, target, unit = self._fit_target(frame, y)
        scaled = _in_units(target, unit)
        if isinstance(self.cv, Integral):  # KFold-like: each row in one test fold
            encoded_folds = self._kfold_encoded(codes, scaled, groups, unit)
            return self._assemble(frame, encoded_folds)
        n = frame.shape[0]
        prior = np.asarray(self.target_mean_, dtype=np.float64)
        width = 1 if target.ndim == 1 else target.shape[1]
        encoded = {c: np.empty((n, width)) for c in self.columns_}
        for c in self.columns_:
            encoded[c][:] = prior
        covered = np.zeros(n, dtype=np.int64)
        rows = np.broadcast_to(np.int8(0), (n, 1))  # the splitter needs only n
        for train, test in self._splitter().split(rows, self._split_y(target), groups):
            _, fold = self._statistics(codes, scaled, train, unit)
            covered[test] += 1
            for c in self.columns_:
                encoded[c][test] = fold[c][..., codes[c][test]].T.reshape(
                    len(test), width
                )
        if (covered > 1).any():
            raise DataError(
                f"cv puts {int((covered > 1).sum())} row(s) in more than one test fold; "
                "cross-fitting needs each row in at most one (KFold-like splitters)."
            )
        return self._assemble(frame, [(c, encoded[c]) for c in self.columns_])

    def _kfold_encoded(
        self,
        codes: dict[str, np.ndarray],
        target: np.ndarray,
        groups: Any,
        unit: float = 1.0,
    ) -> list[tuple[str, np.ndarray]]:
        """Cross-fitted encodings when every row is in one test fold and trains on the rest.

        The statistics of each category are computed once per fold (count,
        sum and squared deviations from the fold's own mean); those of "every
        fold but f" are merged from them (Chan et al.'s rule, stable), instead
        of recomputed over the training rows of each fold: a few passes over
        the data in all, not ``cv`` passes over 80 % of it. ``target`` is in
        units of ``unit`` (:meth:`_fit_target`); the encodings are not.
        """
        n = target.shape[0]
        n_folds = int(self.cv)
        folds = self._fold_of_rows(target, groups)
        outputs = target.reshape(n, -1)
        width = outputs.shape[1]
        encoded = []
        for c in self.columns_:
            k = len(self.categories_[c])
            key = folds * k + codes[c]  # every code of fit_transform's rows is < k
            count = np.bincount(key, minlength=n_folds * k).astype(np.float64)
            block = np.empty((n, width))
            for j, y in enumerate(outputs.T):
                moments = fold_moments(key, count, y, n_folds, k)
                # per fold, over every category
                whole = merged_moments(*moments, axis=1)
                table = np.empty((n_folds, k))
                for f in range(n_folds):
                    total, total_sum, total_m2 = other_folds(*whole, f)
                    n_c, sum_c, m2_c = other_folds(*moments, f)
                    var_c = np.divide(m2_c, n_c, out=np.zeros(k), where=n_c > 0)
                    table[f] = shrink(
                        n_c,
                        sum_c,
                        var_c,
                        float(total_m2 / total),
                        float(total_sum / total),
                        self.smooth,
                    )
                if unit != 1.0:
                    table = from_units(table, unit)
                block[:, j] = table.ravel()[key]
            encoded.append((c, block))
        return encoded

    def _fold_of_rows(self, target: np.ndarray, groups: Any) -> np.ndarray:
        """The test fold of every row (int ``cv``: KFold or StratifiedKFold, shuffled).

        A continuous target's folds are KFold's, drawn as KFold draws them
        (one seeded shuffle, folds of ``n // cv`` rows, the first ``n % cv``
        one row longer), without building each fold's training index.
        """
        n = target.shape[0]
        n_folds = int(self.cv)
        folds = np.empty(n, dtype=np.int64)
        if self.target_type_ == "continuous" and n >= n_folds:
            order = np.arange(n)
            check_random_state(self.seed).shuffle(order)
            sizes = np.full(n_folds, n // n_folds, dtype=np.int64)
            sizes[: n % n_folds] += 1
            folds[order] = np.repeat(np.arange(n_folds), sizes)
            return folds
        rows = np.broadcast_to(np.int8(0), (n, 1))  # the splitter needs only n
        for f, (_, test) in enumerate(
            self._splitter().split(rows, self._split_y(target), groups)
        ):
            folds[test] = f
        return folds

    def _splitter(self) -> Any:
        if not isinstance(self.cv, Integral):
            return self.cv
        if self.target_type_ == "continuous":
            return KFold(self.cv, shuffle=True, random_state=self.seed)
        return StratifiedKFold(self.cv, shuffle=True, random_state=self.seed)

    @staticmethod
    def _split_y(target: np.ndarray) -> np.ndarray:
        return target if target.ndim == 1 else target.argmax(axis=1)

    # ------------------------------------------------------------ transform
    def _names_for(self, column: str, label: str) -> list[str]:
        if self.target_type_ == "multiclass":
            return suffixed_names(
                label, [category_label(k) for k in self.classes_ or []]
            )
        return [label]

    def _encode(self, column: str, codes: np.ndarray) -> np.ndarray:
        table = np.asarray(self.encodings_[column], dtype=np.float64)
        prior = np.asarray(self.target_mean_, dtype=np.float64)
        if table.ndim == 1:
            block = np.append(table, prior)[codes].reshape(-1, 1)
        else:
            block = np.hstack([table, prior.reshape(-1, 1)])[:, codes].T
        return np.ascontiguousarray(block)
