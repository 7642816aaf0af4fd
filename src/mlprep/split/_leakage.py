"""check_leakage: shared keys, time overlap and duplicate rows between train and test."""

from __future__ import annotations

from typing import Any

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import (
    Boolean,
    ColumnSpec,
    Predicate,
    as_column_list,
    canonical_codes,
    factorize_array,
    isin,
    missing_mask,
    plain_value,
    series_values,
    to_frame,
    validate_params,
)
from mlprep.core._keys import paired_row_hashes
from mlprep.exceptions import DataError
from mlprep.split._report import LeakageProblem, LeakageReport

__all__ = ["check_leakage"]

_OWNER = "check_leakage"
_N_EXAMPLES = 5
_CONSTRAINTS = {
    "key": [ColumnSpec],
    "time": [
        Predicate(lambda v: v is None or isinstance(v, str), "None or a column name")
    ],
    "duplicates": [Boolean],
}


def _frame(data: Any, name: str) -> nw.DataFrame:
    try:
        return nw.from_native(data, eager_only=True)
    except TypeError:
        frame, _ = to_frame(data, owner=f"{_OWNER} ({name})", numeric=False)
        return frame


def _require(frame: nw.DataFrame, columns: list[str], param: str, which: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(
            f"{_OWNER}: column(s) {missing} given as {param}= are not in the {which} "
            f"set; its columns are {list(frame.columns)[:20]}."
        )


def _key_problem(
    train: nw.DataFrame, test: nw.DataFrame, keys: list[str]
) -> LeakageProblem | None:
    for name in keys:
        a, b = train.schema[name], test.schema[name]
        if a != b and not (a.is_numeric() and b.is_numeric()):
            raise DataError(
                f"{_OWNER}: key column {name!r} has dtype {a} in train but {b} in "
                "test; cast them to one type first."
            )
    right = test.select(keys).drop_nulls().unique()  # the distinct test keys
    if len(right) == 0 or len(train) == 0:
        return None
    # hash the train keys (no unique, no join), look the distinct test keys up
    found = _matching_rows(train.select(keys), right, keys)
    if found.size == 0:
        return None
    shared = right[found].with_columns(
        nw.col(n).cast(nw.Float64) for n in keys if train.schema[n] != test.schema[n]
    )
    if len(keys) == 1:
        rows: list[Any] = [
            (v,) for v in _smallest(shared.get_column(keys[0]), _N_EXAMPLES)
        ]
    else:
        rows = shared.sort(keys).head(_N_EXAMPLES).rows()
    examples = [
        plain_value(r[0]) if len(keys) == 1 else plain_value(tuple(r)) for r in rows
    ]
    return LeakageProblem(
        kind="key",
        count=int(found.size),
        examples=examples,
        message=(
            f"{found.size} value(s) of key {keys if len(keys) > 1 else keys[0]!r} appear in "
            f"both train and test, e.g. {examples}. Split by key "
            "(train_val_test_split(method='key', key=...)) so each key lands in one set."
        ),
    )


def _smallest(series: nw.Series, k: int) -> list[Any]:
    """The ``k`` smallest values of ``series`` (no missing values), in order.

    A partial sort (numpy's introselect, linear in the length) picks the
    positions of ``k`` smallest values first, so only those are sorted.
    """
    if len(series) > 4 * k:
        values = series_values(series)  # temporal values as epoch nanoseconds
        if values.dtype.kind in "iufb":
            series = series[np.argpartition(values, k - 1)[:k]]
    return series.sort().head(k).to_list()


def _time_problem(
    train: nw.DataFrame, test: nw.DataFrame, time: str
) -> LeakageProblem | None:
    latest = train.get_column(time).drop_nulls().max() if len(train) else None
    if latest is None:
        return None
    column = test.get_column(time)  # only the time column: no copy of the other columns
    early = column.filter(column < latest)
    if len(early) == 0:
        return None
    examples = [plain_value(v) for v in _smallest(early, _N_EXAMPLES)]
    return LeakageProblem(
        kind="time",
        count=len(early),
        examples=examples,
        message=(
            f"{len(early)} test row(s) have {time!r} earlier than the latest train "
            f"time {plain_value(latest)!r}, e.g. {examples}. Split in time order "
            "(method='ordered', order_by=...) so every test row comes after train."
        ),
    )


def _row_hashes(
    train: nw.DataFrame, test: nw.DataFrame, columns: list[str]
) -> tuple[np.ndarray, np.ndarray, bool]:
    """A 64-bit hash per row of each frame over ``columns``; equal rows hash equal.

    Columns are read one at a time and folded into two hash arrays, so the
    working memory is a few arrays of row length, not a copy of both frames.
    """
    pairs = (
        (series_values(train.get_column(n)), series_values(test.get_column(n)))
        for n in columns
    )
    return paired_row_hashes(pairs, len(train), len(test))


def _any_partner(
    train_hash: np.ndarray, test_hash: np.ndarray, candidates: np.ndarray
) -> np.ndarray:
    """For each candidate test row, one train row with the same hash (hash-table lookups)."""
    pool = np.flatnonzero(isin(train_hash, test_hash[candidates]))
    codes, _ = factorize_array(
        np.concatenate([train_hash[pool], test_hash[candidates]])
    )
    partner = np.empty(int(codes.max()) + 1, dtype=np.int64)
    partner[codes[: pool.size]] = pool
    return partner[codes[pool.size :]]


def _same_values(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Elementwise equality of two columns, missing values equal to each other."""
    if left.dtype.kind == "O" and right.dtype.kind == "O":
        try:
            equal = np.asarray(left == right, dtype=bool)
        except (TypeError, ValueError):  # values whose == is not a truth value
            pass
        else:
            return equal | (missing_mask(left) & missing_mask(right))
    return canonical_codes(left) == canonical_codes(right)


def _matching_rows(
    train: nw.DataFrame, test: nw.DataFrame, columns: list[str]
) -> np.ndarray:
    """Positions of the test rows equal to some train row over ``columns``, ascending.

    Missing values equal each other, and numbers compare by value (``1``
    equals ``1.0``). Row hashes and one hash-table lookup find the candidates
    in linear time; only the candidates are then compared value by value,
    which rules out 64-bit hash collisions.
    """
    train_hash, test_hash, exact = _row_hashes(train, test, columns)
    candidates = np.flatnonzero(isin(test_hash, train_hash))
    if candidates.size == 0 or exact:  # exact: equal hashes are equal values
        return candidates
    partners = _any_partner(train_hash, test_hash, candidates)
    ours, theirs = test.select(columns)[candidates], train.select(columns)[partners]
    equal = np.ones(candidates.size, dtype=bool)
    for name in columns:
        equal &= _same_values(
            series_values(ours.get_column(name)), series_values(theirs.get_column(name))
        )
    failed = candidates[~equal]
    if failed.size:  # the partner differs: another train row with that hash may not
        pool = np.flatnonzero(isin(train_hash, test_hash[failed]))
        known = set(_exact_rows(train.select(columns)[pool], columns))
        found = [
            row in known for row in _exact_rows(test.select(columns)[failed], columns)
        ]
        equal[~equal] = found
    return candidates[equal]


def _exact_rows(frame: nw.DataFrame, columns: list[str]) -> list[tuple[int, ...]]:
    """Each row as a tuple of canonical codes: equal tuples, equal rows."""
    codes = [canonical_codes(series_values(frame.get_column(c))) for c in columns]
    return list(zip(*(c.tolist() for c in codes)))


def _duplicate_problem(
    train: nw.DataFrame, test: nw.DataFrame
) -> LeakageProblem | None:
    columns = [c for c in train.columns if c in set(test.columns)]
    if not columns or len(train) == 0 or len(test) == 0:
        return None
    rows = _matching_rows(train, test, columns)
    if rows.size == 0:
        return None
    examples = test.select(columns)[rows[:_N_EXAMPLES]].rows(named=True)
    examples = [{k: plain_value(v) for k, v in row.items()} for row in examples]
    scope = (
        "all columns"
        if len(columns) == len(test.columns) == len(train.columns)
        else f"the {len(columns)} shared columns"
    )
    return LeakageProblem(
        kind="duplicate",
        count=int(rows.size),
        examples=examples,
        message=(
            f"{rows.size} test row(s) are exact duplicates of train rows over "
            f"{scope} (test row positions {rows[:_N_EXAMPLES].tolist()}). "
            "Deduplicate before splitting (mlprep.outliers.Deduplicator, or "
            "drop_duplicates) or split by a key that groups the copies."
        ),
    )


def check_leakage(
    train: Any,
    test: Any,
    *,
    key: Any = None,
    time: str | None = None,
    duplicates: bool = True,
) -> LeakageReport:
    """Look for leakage between a train and a test set.

    Three checks, each vectorised (joins and 64-bit row hashes, no Python
    loop over rows), so a million rows on each side take seconds:

    * ``key``: key values present in both sets (missing keys are ignored);
    * ``time``: test rows strictly earlier than the latest train time;
    * ``duplicates``: test rows exactly equal to a train row over the columns
      both sets share (missing values count as equal to each other).

    Parameters
    ----------
    train, test : DataFrame (pandas, polars), pyarrow Table or 2-D array
        The two sets (arrays get columns ``x0, x1, ...``).
    key : str, list of str or None, default=None
        The entity key column(s); None skips the key check.
    time : str or None, default=None
        The time column; None skips the time check.
    duplicates : bool, default=True
        Whether to look for duplicate rows across the sets.

    Returns
    -------
    LeakageReport
        ``.ok``, ``.problems`` (kind, count, examples, message) and
        ``.raise_for_leakage()``.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.split import check_leakage
    >>> train = pd.DataFrame({"user": [1, 2, 3], "day": [1, 2, 3], "x": [0.1, 0.2, 0.3]})
    >>> test = pd.DataFrame({"user": [3, 4], "day": [2, 4], "x": [0.9, 0.4]})
    >>> report = check_leakage(train, test, key="user", time="day")
    >>> report.ok, [(p.kind, p.count, p.examples) for p in report.problems]
    (False, [('key', 1, [3]), ('time', 1, [2])])
    >>> report.raise_for_leakage()
    Traceback (most recent call last):
    ...
    mlprep.split._report.LeakageError: Leakage check of 3 train and 2 test rows ...
    """
    validate_params(
        _OWNER, {"key": key, "time": time, "duplicates": duplicates}, _CONSTRAINTS
    )
    left, right = _frame(train, "train"), _frame(test, "test")
    problems: list[LeakageProblem | None] = []
    checks: list[str] = []
    if key is not None:
        keys = [str(k) if not isinstance(k, str) else k for k in as_column_list(key)]
        _require(left, keys, "key", "train")
        _require(right, keys, "key", "test")
        checks.append("key")
        problems.append(_key_problem(left, right, keys))
    if time is not None:
        _require(left, [time], "time", "train")
        _require(right, [time], "time", "test")
        checks.append("time")
        problems.append(_time_problem(left, right, time))
    if duplicates:
        checks.append("duplicate")
        problems.append(_duplicate_problem(left, right))
    return LeakageReport(
        problems=[p for p in problems if p is not None],
        checks=tuple(checks),
        n_train=len(left),
        n_test=len(right),
    )
