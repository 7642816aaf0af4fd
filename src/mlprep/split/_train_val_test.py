"""train_val_test_split: one call that splits a frame (and y) into two or three parts."""

from __future__ import annotations

from typing import Any

import numpy as np

from mlprep.core import (
    Constraint,
    Options,
    Predicate,
    column_is_temporal,
    column_values,
    is_column_spec,
    n_rows,
    series_is_temporal,
    series_values,
    take_rows,
    validate_params,
)
from mlprep.exceptions import DataError, InvalidParameterError
from mlprep.split._base import RATIOS, SEED, check_lengths, check_parts, check_rows
from mlprep.split._key import key_labels, stratified_key_labels
from mlprep.split._ordered import GAP, gap_units, ordered_labels, sortable
from mlprep.split._random import random_labels
from mlprep.split._stratified import class_codes, stratified_labels

__all__ = ["train_val_test_split"]

_OWNER = "train_val_test_split"


def _spec_or_values(value: Any) -> bool:
    return value is None or is_column_spec(value) or hasattr(value, "__len__")


_SPEC = Predicate(
    _spec_or_values,
    "None, a column name or position, a list of column names, or an array with one value per row",
)
_CONSTRAINTS: dict[str, list[Constraint]] = {
    "ratios": [RATIOS],
    "method": [Options("random", "stratified", "ordered", "key")],
    "stratify": [_SPEC],
    "order_by": [_SPEC],
    "key": [_SPEC],
    "gap": [GAP],
    "seed": [SEED],
}
_USED_BY = {
    "stratify": ("stratified", "key"),
    "order_by": ("ordered",),
    "key": ("key", "stratified"),
}


def _columns(data: Any, spec: Any, param: str, n: int) -> list[np.ndarray]:
    if is_column_spec(spec):
        return column_values(data, spec, param=param, owner=_OWNER)
    values = series_values(spec)
    if values.ndim != 1 or len(values) != n:
        raise DataError(
            f"{_OWNER}: {param} has shape {values.shape} but the data has {n} rows; "
            "pass a column name or one value per row."
        )
    return [values]


def _check_arguments(
    method: str, stratify: Any, order_by: Any, key: Any, gap: Any
) -> None:
    given = {"stratify": stratify, "order_by": order_by, "key": key}
    for name, value in given.items():
        if value is not None and method not in _USED_BY[name]:
            raise InvalidParameterError(
                f"{_OWNER}: {name}= is not used by method={method!r}; it applies to "
                f"method={' or '.join(repr(m) for m in _USED_BY[name])}. Remove it or "
                "change the method."
            )
    if method == "key" and key is None:
        raise InvalidParameterError(
            f"{_OWNER}: method='key' needs key= (column name(s) or values)."
        )
    if gap != 0 and method != "ordered":
        raise InvalidParameterError(
            f"{_OWNER}: gap= applies to method='ordered' only; got method={method!r}."
        )


def _labels(data: Any, y: Any, n: int, params: dict[str, Any]) -> np.ndarray:
    method, ratios, seed = params["method"], tuple(params["ratios"]), params["seed"]
    if method == "random":
        return random_labels(n, ratios, seed)
    if method == "ordered":
        spec = params["order_by"]
        if spec is None:
            values, temporal = np.arange(n), False
        else:
            (values,) = _columns(data, spec, "order_by", n)
            temporal = (
                column_is_temporal(data, spec)
                if is_column_spec(spec)
                else series_is_temporal(spec)
            )
        return ordered_labels(
            sortable(values, _OWNER), ratios, gap_units(params["gap"], temporal, _OWNER)
        )
    strata = None
    if params["stratify"] is not None:
        strata = _columns(data, params["stratify"], "stratify", n)
    elif method == "stratified":
        if y is None:
            raise InvalidParameterError(
                f"{_OWNER}: method='stratified' needs the classes: pass y= or stratify=."
            )
        strata = [series_values(y)]
    keys = None if params["key"] is None else _columns(data, params["key"], "key", n)
    if strata is not None:
        codes, names = class_codes(strata)
        if keys is not None:
            return stratified_key_labels(keys, codes, ratios, seed)
        return stratified_labels(codes, names, ratios, seed)
    assert keys is not None
    return key_labels(keys, ratios, seed)


def train_val_test_split(
    data: Any,
    *,
    y: Any = None,
    ratios: tuple[float, ...] = (0.7, 0.2, 0.1),
    method: str = "random",
    stratify: Any = None,
    order_by: Any = None,
    key: Any = None,
    gap: Any = 0,
    seed: int = 0,
) -> tuple[Any, ...]:
    """Split ``data`` (and ``y`` in step) into train, [validation,] test.

    Every row lands in exactly one part (except the ``gap`` rows of an
    ordered split); each part keeps the rows in their original order and the
    caller's type: pandas (index kept), polars, pyarrow, numpy or list.

    Parameters
    ----------
    data : DataFrame (pandas, polars), pyarrow Table, ndarray or list
        The rows to split.
    y : array-like, Series or None, default=None
        Targets, split in step with ``data``; also the classes of
        ``method="stratified"`` when ``stratify`` is None.
    ratios : tuple of 2 or 3 floats, default=(0.7, 0.2, 0.1)
        Shares of (train, test) or (train, validation, test), summing to 1.
    method : {"random", "stratified", "ordered", "key"}, default="random"
        * ``"random"``: a seeded shuffle; part sizes within one row of exact.
        * ``"stratified"``: each class's share in each part within one row of
          exact (:class:`StratifiedSplitter`); a class too small to reach
          every part raises a DataError naming it.
        * ``"ordered"``: by ``order_by`` (or row order), equal values never
          straddle a cut (:class:`OrderedSplitter`).
        * ``"key"``: whole keys by a stable hash of ``key`` and ``seed``;
          appending rows never moves a key, and the split is the same in any
          process (:class:`KeySplitter`).

        ``"stratified"`` with ``key``, or ``"key"`` with ``stratify``, keeps
        keys whole and balances strata over keys.
    stratify : column name(s), position, array or None, default=None
        The strata (default: ``y``).
    order_by : column name, position, array or None, default=None
        The order of ``method="ordered"``; None means row order.
    key : column name(s), position, array or None, default=None
        The entity key of ``method="key"`` (several columns form one key).
    gap : float or timedelta, default=0
        ``method="ordered"`` only: leave out rows within ``gap`` (in
        ``order_by`` units) after each cut.
    seed : int, default=0
        Seed of the shuffle (random, stratified) or of the hash (key).

    Returns
    -------
    tuple
        ``(train, [val,] test)``, followed by ``(y_train, [y_val,] y_test)``
        when ``y`` is given (scikit-learn's ``train_test_split`` order).

    Raises
    ------
    InvalidParameterError
        A parameter is invalid, or given to a method that does not use it.
    DataError
        ``data`` has 0 rows ("no rows to split", whatever the method), a part
        would be empty, a class is too small, a column is missing, or the
        order column has missing values.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.split import train_val_test_split
    >>> df = pd.DataFrame({"x": range(10), "label": [0, 1] * 5})
    >>> train, val, test = train_val_test_split(df, ratios=(0.6, 0.2, 0.2), seed=1)
    >>> len(train), len(val), len(test)
    (6, 2, 2)
    >>> train, test, y_train, y_test = train_val_test_split(
    ...     df[["x"]], y=df["label"], ratios=(0.6, 0.4), method="stratified")
    >>> y_train.value_counts().to_dict(), y_test.value_counts().to_dict()
    ({0: 3, 1: 3}, {0: 2, 1: 2})
    """
    params = {
        "ratios": ratios,
        "method": method,
        "stratify": stratify,
        "order_by": order_by,
        "key": key,
        "gap": gap,
        "seed": seed,
    }
    validate_params(_OWNER, params, _CONSTRAINTS)
    _check_arguments(method, stratify, order_by, key, gap)
    n = n_rows(data)
    check_lengths(n, owner=_OWNER, y=y)
    check_rows(n, owner=f"{_OWNER}(method={method!r})")
    labels = _labels(data, y, n, params)
    check_parts(
        labels,
        tuple(ratios),
        owner=f"{_OWNER}(method={method!r})",
        hint="Use more rows (or keys), fewer parts, or larger ratios for the small parts.",
    )
    masks = [labels == k for k in range(len(ratios))]
    out = [take_rows(data, mask) for mask in masks]
    if y is not None:
        out += [take_rows(y, mask) for mask in masks]
    return tuple(out)
