"""Strategies for categorical frames: string, integer, boolean and pandas-categorical columns."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from hypothesis import strategies as st

__all__ = ["CATEGORICAL_KINDS", "categorical_columns", "categorical_frames"]

CATEGORICAL_KINDS = ("string", "integer", "boolean", "categorical")

_LEVELS: dict[str, list[Any]] = {
    "string": ["a", "b", "c", "Zoë", "x y", "日本", "10"],
    "integer": [0, 1, 2, 7, -3, 100],
    "boolean": [True, False],
    "categorical": ["low", "mid", "high", "ünï"],
}


def _column(kind: str, values: list[Any]) -> Any:
    """A pandas column of ``kind`` holding ``values`` (None is missing)."""
    if kind == "string":
        return pd.array(values, dtype=object)
    if kind == "integer":
        return pd.array(values, dtype="Int64")
    if kind == "boolean":
        return pd.array(values, dtype="boolean")
    return pd.Categorical(values, categories=_LEVELS["categorical"])


@st.composite
def categorical_columns(
    draw: st.DrawFn,
    kind: str,
    n_rows: int,
    *,
    missing: bool = True,
    levels: list[Any] | None = None,
) -> tuple[list[Any], list[Any]]:
    """``(values, alphabet)`` of one column: ``n_rows`` values drawn from the alphabet.

    ``missing`` sprinkles None. ``levels`` overrides the kind's alphabet.
    """
    alphabet = levels if levels is not None else _LEVELS[kind]
    size = draw(st.integers(1, len(alphabet)))
    chosen = draw(st.permutations(alphabet))[:size]
    elements = st.sampled_from(chosen)
    if missing:
        elements = elements | st.none()
    values = draw(st.lists(elements, min_size=n_rows, max_size=n_rows))
    return values, chosen


@st.composite
def categorical_frames(
    draw: st.DrawFn,
    *,
    min_rows: int = 1,
    max_rows: int = 12,
    min_columns: int = 1,
    max_columns: int = 3,
    kinds: tuple[str, ...] = CATEGORICAL_KINDS,
    missing: bool = True,
    unseen: bool = False,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """A pandas frame of categorical columns ``c0, c1, ...`` (and, with ``unseen``, a test frame).

    Column kinds: ``"string"`` (object), ``"integer"`` (nullable Int64),
    ``"boolean"`` (nullable boolean) and ``"categorical"`` (pandas
    Categorical). Missing values are None/NA; unicode labels included.

    With ``unseen=True`` the result is ``(train, test)``: ``test`` has the same
    columns and kinds, and may hold values (or missing values) the training
    frame lacks.
    """
    n_rows = draw(st.integers(min_rows, max_rows))
    n_columns = draw(st.integers(min_columns, max_columns))
    train: dict[str, Any] = {}
    test: dict[str, Any] = {}
    n_test = draw(st.integers(1, max_rows)) if unseen else 0
    for index in range(n_columns):
        kind = draw(st.sampled_from(kinds))
        values, _ = draw(categorical_columns(kind, n_rows, missing=missing))
        train[f"c{index}"] = _column(kind, values)
        if unseen:
            test_values, _ = draw(categorical_columns(kind, n_test, missing=True))
            test[f"c{index}"] = _column(kind, test_values)
    frame = pd.DataFrame(train, index=np.arange(n_rows))
    if not unseen:
        return frame
    return frame, pd.DataFrame(test, index=np.arange(n_test))
