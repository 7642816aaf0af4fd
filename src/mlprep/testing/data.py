"""Small, deterministic data sets for the conformance checks.

Each builder returns ``(X, y)``: a pandas frame of at most 60 rows and a
target (or None), with the cases preprocessing code must survive (gaps,
strings, pandas categoricals, booleans, shuffled panels, empty documents).
They are what ``tests/test_common.py`` feeds to :mod:`mlprep.testing.checks`;
a third-party transformer can use them the same way. They need only numpy and
pandas (no hypothesis).

Examples
--------
>>> from mlprep.testing.data import categorical_data
>>> X, y = categorical_data()
>>> X.shape, y is None
((60, 3), True)
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "categorical_binary_target",
    "categorical_data",
    "categorical_mixed_data",
    "categorical_multiclass_target",
    "datetime_data",
    "mixed_data",
    "numeric_data",
    "panel_data",
    "resample_data",
    "split_data",
    "text_data",
]

_N = 60


def numeric_data() -> tuple[pd.DataFrame, None]:
    """Three skewed, positive float columns with gaps (``income``, ``age``, ``visits``).

    Examples
    --------
    >>> X, _ = numeric_data()
    >>> X.isna().sum().tolist()
    [3, 2, 0]
    """
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "income": rng.lognormal(10, 0.8, _N),
            "age": rng.normal(40, 12, _N).clip(18, 90),
            "visits": rng.poisson(3, _N).astype(float) + 1.0,
        }
    )
    frame.loc[[3, 17, 40], "income"] = np.nan
    frame.loc[[5, 22], "age"] = np.nan
    return frame, None


def mixed_data() -> tuple[pd.DataFrame, None]:
    """:func:`numeric_data` plus a string column ``city`` with gaps.

    Examples
    --------
    >>> X, _ = mixed_data()
    >>> X.columns.tolist()
    ['income', 'age', 'visits', 'city']
    """
    frame, _ = numeric_data()
    cities = np.array(["Paris", "Lyon", "Nice", "Lille"], dtype=object)
    frame["city"] = cities[np.arange(len(frame)) % 4]
    frame.loc[[2, 9], "city"] = None
    return frame, None


def categorical_data() -> tuple[pd.DataFrame, None]:
    """String (with gaps), pandas-categorical and boolean columns only.

    Examples
    --------
    >>> X, _ = categorical_data()
    >>> [str(t) for t in X.dtypes]
    ['object', 'category', 'bool']
    """
    rng = np.random.default_rng(0)
    colors = np.array(
        ["White", "Black", "Red", "Blue", "Green", "Yellow", "Pink", "Brown"],
        dtype=object,
    )
    frame = pd.DataFrame(
        {
            "color": pd.Series(colors[rng.integers(0, 8, _N)], dtype=object),
            "size": pd.Categorical(
                np.array(["S", "M", "L"], dtype=object)[rng.integers(0, 3, _N)],
                categories=["S", "M", "L"],
            ),
            "member": rng.random(_N) < 0.4,
        }
    )
    frame.loc[[4, 30], "color"] = None
    return frame, None


def categorical_mixed_data() -> tuple[pd.DataFrame, None]:
    """:func:`categorical_data` plus numeric passthrough columns ``visits`` and ``spend``.

    Examples
    --------
    >>> X, _ = categorical_mixed_data()
    >>> X.columns.tolist()
    ['color', 'size', 'member', 'visits', 'spend']
    """
    frame, _ = categorical_data()
    frame["visits"] = np.arange(_N) % 7
    frame["spend"] = np.linspace(0.0, 1.0, _N)
    return frame, None


def categorical_binary_target() -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`categorical_data` with a 0/1 target that depends on the colour.

    Examples
    --------
    >>> _, y = categorical_binary_target()
    >>> sorted(set(y.tolist()))
    [0, 1]
    """
    frame, _ = categorical_data()
    rng = np.random.default_rng(1)
    red_or_blue = frame["color"].isin(["Red", "Blue"]).to_numpy()
    y = (red_or_blue ^ (rng.random(_N) < 0.2)).astype(np.int64)
    return frame, y


def categorical_multiclass_target() -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`categorical_data` with a three-class string target.

    Examples
    --------
    >>> _, y = categorical_multiclass_target()
    >>> sorted(set(y.tolist()))
    ['high', 'low', 'mid']
    """
    frame, _ = categorical_data()
    y = np.array(["low", "mid", "high"], dtype=object)[np.arange(_N) % 3]
    return frame, y


def panel_data() -> tuple[pd.DataFrame, None]:
    """Three stores of uneven length, daily with gaps, rows shuffled, sales with gaps.

    Columns ``store`` (group), ``day`` (time), ``sales`` and ``price``.

    Examples
    --------
    >>> X, _ = panel_data()
    >>> X["store"].value_counts().sort_index().tolist()
    [15, 25, 20]
    """
    rng = np.random.default_rng(0)
    lengths = {"north": 25, "south": 20, "east": 15}
    frames = []
    for store, length in lengths.items():
        days = np.sort(rng.choice(40, size=length, replace=False))
        frames.append(
            pd.DataFrame(
                {
                    "store": pd.Series([store] * length, dtype=object),
                    "day": pd.Timestamp("2024-01-01") + pd.to_timedelta(days, unit="D"),
                    "sales": rng.gamma(5.0, 20.0, length),
                    "price": rng.uniform(1.0, 3.0, length),
                }
            )
        )
    frame = pd.concat(frames, ignore_index=True).sample(frac=1.0, random_state=0)
    frame = frame.reset_index(drop=True)
    frame.loc[[3, 30], "sales"] = np.nan
    return frame, None


def datetime_data() -> tuple[pd.DataFrame, None]:
    """A timestamp column ``ts`` with times of day and a NaT, and a numeric ``amount``.

    Examples
    --------
    >>> X, _ = datetime_data()
    >>> int(X["ts"].isna().sum())
    1
    """
    rng = np.random.default_rng(0)
    stamps = pd.Timestamp("2023-12-20") + pd.to_timedelta(
        rng.integers(0, 400 * 24, _N), unit="h"
    )
    frame = pd.DataFrame({"ts": stamps.as_unit("ns"), "amount": rng.normal(size=_N)})
    frame.loc[7, "ts"] = pd.NaT
    return frame, None


def text_data() -> tuple[pd.DataFrame, None]:
    """Two text columns (``review``, ``title``) with None and empty documents.

    Examples
    --------
    >>> X, _ = text_data()
    >>> X.shape
    (24, 2)
    """
    reviews = [
        "Great phone, the battery lasts two days!",
        "Screen cracked after a week. Very disappointed.",
        None,
        "Fast delivery; works as described.",
        "",
        "The camera is great but the battery is weak",
        "Naïve design, café-quality sound — love it",
        "Terrible support, would not buy again",
    ] * 3
    titles = ["great", "broken", "ok", None, "fine", "mixed", "love it", "bad"] * 3
    frame = pd.DataFrame(
        {
            "review": pd.Series(reviews, dtype=object),
            "title": pd.Series(titles, dtype=object),
        }
    )
    return frame, None


def resample_data() -> tuple[pd.DataFrame, np.ndarray]:
    """Three numeric columns with spikes, gaps and five repeated rows; a 0/1 target.

    The row index is not the default range (it starts at 100), so a check can
    see that a resampler keeps pandas index labels.

    Examples
    --------
    >>> X, y = resample_data()
    >>> int(X.duplicated().sum()), X.index[0], len(y)
    (5, 100, 60)
    """
    rng = np.random.default_rng(11)
    frame = pd.DataFrame(
        {
            "income": rng.lognormal(10, 0.5, _N),
            "age": rng.normal(40, 10, _N),
            "visits": rng.poisson(3, _N).astype(float),
        }
    )
    frame.loc[[4, 30], "income"] = [5e6, 1e7]
    frame.loc[[4, 7], "age"] = [300.0, -300.0]
    frame.loc[[12, 44], "age"] = np.nan
    frame.loc[50:54] = frame.loc[20:24].to_numpy()
    frame.index = pd.RangeIndex(100, 100 + _N)
    y = (np.arange(_N) % 3 == 0).astype(np.int64)
    return frame, y


def split_data() -> tuple[pd.DataFrame, np.ndarray]:
    """60 rows to split: ``customer`` keys, a sorted ``day``, a ``week`` and a float ``x``.

    Rows are in time order (two per day), so ``week`` is a contiguous group
    column for time-series splits; the target has two classes of 24 and 36
    rows, spread over time.

    Examples
    --------
    >>> X, y = split_data()
    >>> X["week"].nunique(), int(y.sum())
    (5, 24)
    """
    rng = np.random.default_rng(7)
    day = np.arange(_N) // 2
    frame = pd.DataFrame(
        {
            "customer": rng.integers(0, 15, _N),
            "day": pd.Timestamp("2024-01-01") + pd.to_timedelta(day, unit="D"),
            "week": day // 7,
            "x": rng.normal(size=_N),
        }
    )
    y = (np.arange(_N) % 5 < 2).astype(np.int64)
    return frame, y
