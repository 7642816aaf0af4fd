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
    hash_array,
    isin,
    missing_mask,
    mix64,
    plain_value,
    series_values,
    to_frame,
    validate_params,
)
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
    left = train.select(keys).drop_nulls().unique()
    right = test.select(keys).drop_nulls().unique()
    for name in keys:
        a, b = left.schema[name], right.schema[name]
        if a != b:
            if a.is_numeric() and b.is_numeric():
                left = left.with_columns(nw.col(name).cast(nw.Float64))
                right = right.with_columns(nw.col(name).cast(nw.Float64))
            else:
                raise DataError(
                    f"{_OWNER}: key column {name!r} has dtype {a} in train but {b} in "
                    "test; cast them to one type first."
                )
    shared = right.join(left, on=keys, how="inner")
    if len(shared) == 0:
        return None
    head = shared.sort(keys).head(_N_EXAMPLES)
    rows = head.rows()
    examples = [
        plain_value(r[0]) if len(keys) == 1 else plain_value(tuple(r)) for r in rows
    ]
    return LeakageProblem(
        kind="key",
        count=len(shared),
        examples=examples,
        message=(
            f"{len(shared)} value(s) of key {keys if len(keys) > 1 else keys[0]!r} appear in "
            f"both train and test, e.g. {examples}. Split by key "
            "(train_val_test_split(method='key', key=...)) so each key lands in one set."
        ),
    )


def _time_problem(
    train: nw.DataFrame, test: nw.DataFrame, time: str
) -> LeakageProblem | None:
    latest = train.get_column(time).drop_nulls().max() if len(train) else None
    if latest is None:
        return None
    early = test.filter(nw.col(time) < latest).get_column(time)
    if len(early) == 0:
        return None
    examples = [plain_value(v) for v in early.sort().head(_N_EXAMPLES).to_list()]
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


def _row_codes(frame: nw.DataFrame, columns: list[str]) -> list[np.ndarray]:
    codes = []
    for name in columns:
        values = series_values(frame.get_column(name))
        if (
            values.dtype.kind == "O"
        ):  # consistent within one call; no need for cross-process stability
            missing = missing_mask(values)
            hashed = hash_array(values.astype(str))
            hashed[missing] = np.uint64(0x6A09E667F3BCC908)
            codes.append(hashed)
        else:
            codes.append(canonical_codes(values))
    return codes


def _combine(codes: list[np.ndarray], n: int) -> np.ndarray:
    out = np.zeros(n, dtype=np.uint64)
    for column in codes:
        out *= np.uint64(0x100000001B3)
        out ^= column
        out = mix64(out)
    return out


def _duplicate_problem(
    train: nw.DataFrame, test: nw.DataFrame
) -> LeakageProblem | None:
    columns = [c for c in train.columns if c in set(test.columns)]
    if not columns or len(train) == 0 or len(test) == 0:
        return None
    train_codes, test_codes = _row_codes(train, columns), _row_codes(test, columns)
    train_hash, test_hash = (
        _combine(train_codes, len(train)),
        _combine(test_codes, len(test)),
    )
    # hash-table membership, then sort only the few matching train rows
    candidates = np.flatnonzero(isin(test_hash, train_hash))
    if candidates.size == 0:
        return None
    pool = np.flatnonzero(isin(train_hash, test_hash[candidates]))
    pool = pool[np.argsort(train_hash[pool], kind="stable")]
    match = pool[np.searchsorted(train_hash[pool], test_hash[candidates])]
    equal = np.ones(candidates.size, dtype=bool)
    for a, b in zip(test_codes, train_codes):  # rule out 64-bit hash collisions
        equal &= a[candidates] == b[match]
    rows = candidates[equal]
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
