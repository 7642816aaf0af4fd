"""Plain-pandas references: groupby shift / rolling on the time-sorted frame."""

from __future__ import annotations

import pandas as pd


def by_time(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["g", "t"], kind="stable")


def reference_lag(frame: pd.DataFrame, lag: int | str) -> pd.Series:
    ordered = by_time(frame)
    if isinstance(lag, str):
        lookup = ordered[["g", "t", "y"]].rename(columns={"y": "lag"})
        lookup["t"] = lookup["t"] + pd.Timedelta(lag)
        merged = ordered.merge(lookup, on=["g", "t"], how="left")
        merged.index = ordered.index
        return merged["lag"].reindex(frame.index)
    return ordered.groupby("g")["y"].shift(lag).reindex(frame.index)


def reference_rolling(
    frame: pd.DataFrame,
    window: int | str,
    stat: str,
    closed: str,
    min_periods: int,
    q: float = 0.5,
) -> pd.Series:
    ordered = by_time(frame)
    if isinstance(window, str):
        rolled = ordered.groupby("g").rolling(
            window, on="t", closed=closed, min_periods=min_periods
        )["y"]
    else:
        rolled = ordered.groupby("g")["y"].rolling(
            window, closed=closed, min_periods=min_periods
        )
    result = rolled.quantile(q) if stat == "quantile" else getattr(rolled, stat)()
    values = result.to_numpy()
    return pd.Series(values, index=ordered.index).reindex(frame.index)


def split_by_time(
    frame: pd.DataFrame, fraction: float
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows before a time cutoff (train) and from it on (test); both keep their order."""
    cutoff = frame["t"].min() + (frame["t"].max() - frame["t"].min()) * fraction
    early = frame["t"] < cutoff
    return frame[early].reset_index(drop=True), frame[~early].reset_index(drop=True)


def assert_history_carried(estimator, frame: pd.DataFrame, fraction: float) -> None:
    """fit(train).transform(test) equals the test rows of fit_transform(train + test)."""
    from sklearn.base import clone

    train, test = split_by_time(frame, fraction)
    if train.empty or test.empty:
        return
    whole = pd.concat([train, test], ignore_index=True)
    expected = (
        clone(estimator).fit_transform(whole).iloc[len(train) :].reset_index(drop=True)
    )
    got = clone(estimator).fit(train).transform(test)
    pd.testing.assert_frame_equal(got, expected, rtol=1e-9, atol=1e-9)


def assert_no_leak(estimator, frame: pd.DataFrame, row: int, new_value: float) -> None:
    """Changing y at and after ``row``'s time in its group leaves ``row``'s features alone."""
    from sklearn.base import clone

    before = clone(estimator).fit_transform(frame)
    changed = frame.copy()
    later = (changed["g"] == changed.loc[row, "g"]) & (
        changed["t"] >= changed.loc[row, "t"]
    )
    changed.loc[later, "y"] = new_value
    after = clone(estimator).fit_transform(changed)
    features = [c for c in before.columns if c not in frame.columns]
    pd.testing.assert_series_equal(before.loc[row, features], after.loc[row, features])
