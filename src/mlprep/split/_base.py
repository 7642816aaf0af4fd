"""What every mlprep splitter shares: parameters, registration, ``split`` and ``parts``.

A splitter turns data into one *label* per row: ``0`` for the first part
(train), ``1`` for the second (validation, or test for two ratios), ``2`` for
the third (test) and ``-1`` for rows in no part (the ``gap`` of an ordered
split). ``split`` yields scikit-learn's ``(train, test)`` index pairs from
those labels, so every splitter works as ``cv=`` in ``cross_validate`` and
``GridSearchCV``; ``parts`` returns every part at once.

Parameters are validated when the splitter is used, never in ``__init__``.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Iterator
from numbers import Integral, Real
from typing import Any, ClassVar

import numpy as np
from sklearn.model_selection import BaseCrossValidator

from mlprep.core import (
    Constraint,
    Interval,
    Predicate,
    n_rows,
    register,
    validate_params,
)
from mlprep.core._validation import check_param_names
from mlprep.exceptions import DataError

__all__ = [
    "RATIOS",
    "SEED",
    "SeededSplitter",
    "Splitter",
    "allocate",
    "check_lengths",
    "check_parts",
    "check_rows",
    "part_names",
]


def _valid_ratios(value: Any) -> bool:
    if not isinstance(value, (tuple, list)) or len(value) not in (2, 3):
        return False
    if not all(isinstance(r, Real) and not isinstance(r, bool) for r in value):
        return False
    if not all(0.0 < float(r) < 1.0 for r in value):
        return False
    return math.isclose(math.fsum(float(r) for r in value), 1.0, abs_tol=1e-9)


RATIOS = Predicate(_valid_ratios, "a tuple of 2 or 3 floats in (0, 1) that sum to 1")
SEED = Interval(Integral, 0, None)


def part_names(n_parts: int) -> tuple[str, ...]:
    """Names of the parts, for messages."""
    return ("train", "test") if n_parts == 2 else ("train", "validation", "test")


def allocate(total: int, ratios: tuple[float, ...]) -> np.ndarray:
    """Largest-remainder rounding of ``total * ratios``: integer counts summing to ``total``.

    Each count is within one of its exact share; remainders go to the largest
    fractional parts, earlier parts first on ties.

    Examples
    --------
    >>> allocate(10, (0.7, 0.2, 0.1)).tolist()
    [7, 2, 1]
    >>> allocate(4, (0.7, 0.2, 0.1)).tolist()
    [3, 1, 0]
    """
    exact = np.asarray(ratios, dtype=np.float64) * total
    counts = np.floor(exact + 1e-9).astype(np.int64)
    remainder = total - int(counts.sum())
    if remainder > 0:
        fractions = exact - counts
        order = np.argsort(-fractions, kind="stable")
        counts[order[:remainder]] += 1
    return counts


def check_lengths(n: int, *, owner: str, **arrays: Any) -> None:
    """Raise a DataError when ``y`` / ``groups`` do not have one entry per row."""
    for name, value in arrays.items():
        if value is not None and n_rows(value) != n:
            raise DataError(
                f"{owner}: {name} has {n_rows(value)} entries but the data has {n} rows; "
                "pass one entry per row."
            )


def check_rows(n: int, *, owner: str) -> None:
    """Raise a DataError when there are no rows to split (every method, every splitter).

    Examples
    --------
    >>> check_rows(0, owner="RandomSplitter")
    Traceback (most recent call last):
    ...
    mlprep.exceptions.DataError: RandomSplitter: no rows to split (the data has 0 rows). Pass data with at least one row per part.
    """
    if n == 0:
        raise DataError(
            f"{owner}: no rows to split (the data has 0 rows). Pass data with at "
            "least one row per part."
        )


def check_parts(
    labels: np.ndarray, ratios: tuple[float, ...], *, owner: str, hint: str
) -> None:
    """Raise a DataError naming the empty part(s) when a part got no rows."""
    counts = np.bincount(labels.view(np.uint8), minlength=256)[
        : len(ratios)
    ]  # -1 -> 255
    names = part_names(len(ratios))
    empty = [names[k] for k in range(len(ratios)) if counts[k] == 0]
    if empty:
        raise DataError(
            f"{owner} with ratios={tuple(ratios)} leaves the {' and '.join(empty)} "
            f"part empty ({len(labels)} rows; part sizes {counts.tolist()}). {hint}"
        )


class Splitter(BaseCrossValidator):
    """Base class of mlprep's ratio splitters (not public: use a concrete splitter).

    Subclasses declare ``_parameter_constraints`` for every ``__init__``
    parameter, take ``ratios``, and implement ``_labels(X, y, groups, seed)``.
    A splitter is deterministic and yields one pair unless it overrides the
    hooks ``_n_splits()`` and ``_seed()`` (as :class:`SeededSplitter` does).
    """

    _parameter_constraints: ClassVar[dict[str, list[Constraint]]] = {}
    ratios: tuple[float, ...]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        register(cls)

    # -------------------------------------------------------------- params
    @classmethod
    def _param_names(cls) -> list[str]:
        signature = inspect.signature(cls.__init__)
        return [p.name for p in signature.parameters.values() if p.name != "self"]

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor parameters (``deep`` is accepted for scikit-learn's sake)."""
        return {name: getattr(self, name) for name in self._param_names()}

    def set_params(self, **params: Any) -> Splitter:
        """Set constructor parameters; they are validated at the next split."""
        check_param_names(
            type(self).__name__, params, self._param_names(), nested=False
        )
        for name, value in params.items():
            setattr(self, name, value)
        return self

    def _validate_params(self) -> None:
        validate_params(
            type(self).__name__, self.get_params(), self._parameter_constraints
        )

    # ------------------------------------------------------------ splitting
    def get_n_splits(self, X: Any = None, y: Any = None, groups: Any = None) -> int:
        """The number of ``(train, test)`` pairs :meth:`split` yields (``n_splits``)."""
        self._validate_params()
        return self._n_splits()

    def _n_splits(self) -> int:
        """How many pairs :meth:`split` yields; 1 unless a subclass says otherwise."""
        return 1

    def _seed(self) -> int:
        """The seed of repetition 0 (repetition ``i`` uses ``_seed() + i``)."""
        return 0

    def assign(
        self, X: Any, y: Any = None, groups: Any = None, *, repeat: int = 0
    ) -> np.ndarray:
        """The part of every row: 0 train, 1 validation (or test), 2 test, -1 none.

        Parameters
        ----------
        X : DataFrame (pandas, polars), pyarrow Table or array-like
            The data; only its length and the columns the splitter names are read.
        y : array-like or None
            Targets (used for strata by :class:`StratifiedSplitter`).
        groups : array-like or None
            Group labels (the key of :class:`KeySplitter`; kept whole by
            :class:`StratifiedSplitter`).
        repeat : int, default=0
            Which of the ``n_splits`` repetitions (seed ``seed + repeat``).

        Returns
        -------
        ndarray of int8, shape (n_samples,)

        Raises
        ------
        DataError
            ``X`` has no rows ("no rows to split"), or a part would be empty.
        """
        self._validate_params()
        n = n_rows(X)
        check_lengths(n, owner=type(self).__name__, y=y, groups=groups)
        check_rows(n, owner=type(self).__name__)
        labels = self._labels(X, y, groups, self._seed() + repeat)
        self._check_parts(labels)
        return labels

    def parts(
        self, X: Any, y: Any = None, groups: Any = None, *, repeat: int = 0
    ) -> tuple[np.ndarray, ...]:
        """Positional indices of each part (train, [validation,] test), each sorted.

        Takes the same arguments as :meth:`assign`.
        """
        labels = self.assign(X, y, groups, repeat=repeat)
        return tuple(np.flatnonzero(labels == k) for k in range(len(self.ratios)))

    def split(
        self, X: Any, y: Any = None, groups: Any = None
    ) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Yield ``(train, test)`` positional indices, ``n_splits`` times.

        With three ratios the pair is (train, validation): the test part is
        held out of every pair, so a ``GridSearchCV`` tunes on validation and
        the test rows stay unseen (get them from :meth:`parts`).

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or None
        groups : array-like of shape (n_samples,) or None

        Yields
        ------
        train, test : ndarray of int
        """
        for repeat in range(self.get_n_splits()):
            labels = self.assign(X, y, groups, repeat=repeat)
            yield np.flatnonzero(labels == 0), np.flatnonzero(labels == 1)

    def _labels(
        self, X: Any, y: Any, groups: Any, seed: int
    ) -> np.ndarray:  # pragma: no cover
        raise NotImplementedError

    def _check_parts(self, labels: np.ndarray) -> None:
        check_parts(
            labels,
            tuple(self.ratios),
            owner=type(self).__name__,
            hint=self._empty_hint(),
        )

    def _empty_hint(self) -> str:
        return "Use more rows or larger ratios for the small parts."


class SeededSplitter(Splitter):
    """Base class of the splitters with ``n_splits`` seeded repetitions (not public).

    Subclasses take ``n_splits`` and ``seed`` in ``__init__``; repetition
    ``i`` of :meth:`split` uses seed ``seed + i``.
    """

    _abstract = True
    n_splits: int
    seed: int

    def _n_splits(self) -> int:
        return int(self.n_splits)

    def _seed(self) -> int:
        return int(self.seed)
