"""Calendar parts of datetime and date columns (and of strings parsed with a format)."""

from __future__ import annotations

from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import (
    Boolean,
    ColumnSpec,
    NoneOK,
    Predicate,
    check_unique_names,
    kind_of,
    output_name,
    parse_datetime_ns_array,
    temporal_kind,
    wall_clock_ns_array,
)
from mlprep.core._derived import DerivesColumns
from mlprep.core.base import MlprepTransformer
from mlprep.exceptions import DataError
from mlprep.timeseries._state import AnyFlag

__all__ = ["DatetimeFeatures"]

DATE_PARTS = (
    "year",
    "month",
    "day",
    "day_of_week",
    "day_of_year",
    "week_of_year",
    "quarter",
    "is_weekend",
    "is_month_start",
    "is_month_end",
)
TIME_PARTS = ("hour", "minute")
FEATURES = (*DATE_PARTS[:7], *TIME_PARTS, *DATE_PARTS[7:])
PERIODIC = (
    "month",
    "day",
    "day_of_week",
    "day_of_year",
    "week_of_year",
    "quarter",
    "hour",
    "minute",
)
_NS_PER_DAY = 86_400 * 10**9


def _features_ok(value: Any) -> bool:
    items = (value,) if isinstance(value, str) else value
    return (
        isinstance(items, (list, tuple))
        and bool(items)
        and all(isinstance(v, str) and v in FEATURES for v in items)
        and len(set(items)) == len(items)
    )


class DatetimeFeatures(DerivesColumns, MlprepTransformer):
    """Year, month, day, weekday, ISO week, quarter, time of day and flags of dates.

    Parameters
    ----------
    features : str, sequence of str or None, default=None
        Any of ``year``, ``month``, ``day``, ``day_of_week`` (Monday = 0),
        ``day_of_year``, ``week_of_year`` (ISO 8601), ``quarter`` (1–4),
        ``hour``, ``minute``, ``is_weekend`` (Saturday or Sunday),
        ``is_month_start`` and ``is_month_end``. None means every date part,
        plus ``hour`` and ``minute`` for a column that carries a time of day in
        ``fit`` (any value not at midnight); the choice is stored in ``features_``.
    cyclical : bool, default=False
        Also add ``{col}_{part}_sin`` / ``_cos`` for the periodic parts (month,
        day, day_of_week, day_of_year, week_of_year, quarter, hour, minute),
        so that December sits next to January. Day, day of year and week use
        the length of the actual month, year and ISO year.
    format : str or None, default=None
        How string columns are parsed (``"%d-%m-%y"``...); None accepts ISO
        8601 strings only. Unparseable strings raise a DataError naming the
        column and a value.
    {columns}
        String columns named here are parsed with ``format``.
    {drop_original}

    Attributes
    ----------
    columns_ : list of str
    features_ : dict
        Column name to the list of parts produced for it.
    partial_state_ : dict
        With ``features=None``, column name to whether any value seen had a
        time of day (batches and :func:`mlprep.merge` of shards combine it);
        empty otherwise.
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Notes
    -----
    New columns ``{col}_{part}`` (``ts_month``, ``ts_is_weekend``) are appended
    and the source columns dropped (kept with ``drop_original=False``). Parts are integers (0/1 for flags), or
    float64 with missing values where the input is missing (NaT, None): a
    missing date is not an error. Timezone-aware columns give the parts of
    their local wall-clock time. SageMaker Data Wrangler numbers quarters
    0–3; mlprep, like pandas, numbers them 1–4 (subtract 1 to match).

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.timeseries import DatetimeFeatures
    >>> X = pd.DataFrame({"ts": pd.to_datetime(["2024-10-05", "2024-12-31", None])})
    >>> DatetimeFeatures(features=("day_of_week", "week_of_year", "quarter",
    ...                            "is_weekend")).fit_transform(X)
       ts_day_of_week  ts_week_of_year  ts_quarter  ts_is_weekend
    0             5.0             40.0         4.0            1.0
    1             1.0              1.0         4.0            0.0
    2             NaN              NaN         NaN            NaN
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "features": [
            NoneOK,
            Predicate(
                _features_ok, f"a non-empty sequence of distinct names among {FEATURES}"
            ),
        ],
        "cyclical": [Boolean],
        "format": [
            NoneOK,
            Predicate(lambda v: isinstance(v, str) and bool(v), "a format string"),
        ],
        "columns": [ColumnSpec],
        "drop_original": [Boolean],
    }
    _column_kind: ClassVar[str] = "temporal"
    _named_kind: ClassVar[str | None] = "temporal_or_string"
    _numeric_input: ClassVar[bool] = False
    _tags: ClassVar[dict[str, Any]] = {"string": True, "preserves_dtype": []}

    def __init__(
        self,
        *,
        features: Any = None,
        cyclical: bool = False,
        format: str | None = None,
        columns: Any = None,
        drop_original: bool = True,
    ) -> None:
        self.features = features
        self.cyclical = cyclical
        self.format = format
        self.columns = columns
        self.drop_original = drop_original

    # the state: per column, whether any value had a time of day (features=None
    # chooses the time parts by it); nothing when features are given
    def _new_state(self) -> dict[str, AnyFlag]:
        if self.features is not None:
            return {}
        return {name: AnyFlag() for name in self.columns_}

    def _update_state(
        self, state: dict[str, AnyFlag], frame: nw.DataFrame, y: Any
    ) -> dict[str, AnyFlag]:
        if self.features is not None:
            return state
        updated = dict(state)
        for name in self.columns_:
            wall, missing = self._wall_ns(frame[name])
            has_time = bool(np.any((wall[~missing] % _NS_PER_DAY) != 0))
            updated[name] = state[name].merge(AnyFlag(has_time))
        return updated

    def _finish_state(self, state: dict[str, AnyFlag]) -> None:
        self.features_ = {}
        for name in self.columns_:
            if self.features is not None:
                chosen = (
                    [self.features]
                    if isinstance(self.features, str)
                    else list(self.features)
                )
            else:
                has_time = state[name].value
                chosen = [f for f in FEATURES if f in DATE_PARTS or has_time]
            self.features_[name] = chosen
        new = self._new_names()
        inputs = set(self._input_names())
        clash = [n for n in new if n in inputs]
        if clash:
            raise DataError(
                f"DatetimeFeatures would create column {clash[0]!r}, which is already "
                "in the data. Rename that column first."
            )
        check_unique_names("DatetimeFeatures", new)

    def _new_names(self) -> list[str]:
        names = []
        for column in self.columns_:
            parts = self.features_[column]
            names += [output_name(column, part) for part in parts]
            if self.cyclical:
                for part in parts:
                    if part in PERIODIC:
                        names += [
                            output_name(column, f"{part}_sin"),
                            output_name(column, f"{part}_cos"),
                        ]
        return names

    def _feature_names_out(self, input_names: list[str]) -> list[str]:
        kept = self._kept_names(self._input_names(), input_names)
        return [*kept, *self._new_names()]

    # ------------------------------------------------------------- parsing
    def _wall_ns(self, series: nw.Series) -> tuple[np.ndarray, np.ndarray]:
        """Local wall-clock nanoseconds since 1970 (int64) and the missing mask."""
        dtype = series.dtype
        if temporal_kind(dtype) in ("datetime", "date"):
            return wall_clock_ns_array(series)
        if not (dtype == nw.String or isinstance(dtype, (nw.String, nw.Object))):
            raise DataError(
                f"DatetimeFeatures needs datetime, date or string columns, but column "
                f"{series.name!r} has dtype {dtype}."
            )
        fmt = self.format if self.format is not None else "ISO8601"
        try:
            ns, missing, unparsed = parse_datetime_ns_array(series, self.format)
        except ValueError as exc:
            raise DataError(
                f"DatetimeFeatures could not parse column {series.name!r} with "
                f"format={fmt!r}: {exc}. Give the strings' format with format=."
            ) from exc
        if unparsed.any():
            example = series.item(int(np.flatnonzero(unparsed)[0]))
            raise DataError(
                f"DatetimeFeatures could not parse {int(unparsed.sum())} value(s) of "
                f"column {series.name!r} with format={fmt!r}, e.g. {example!r}. Give "
                "the strings' format with format= (e.g. format='%d-%m-%y') or clean "
                "the column."
            )
        return ns, missing

    # ----------------------------------------------------------- transform
    def _transform(self, frame: nw.DataFrame) -> nw.DataFrame:
        backend = nw.get_native_namespace(frame)
        pandas_like = kind_of(nw.to_native(frame)) == "pandas"
        new = []
        for column in self.columns_:
            wall, missing = self._wall_ns(frame[column])
            parts = _calendar(wall)
            for part in self.features_[column]:
                new.append(
                    _emit(
                        output_name(column, part),
                        parts[part],
                        missing,
                        backend,
                        pandas_like,
                    )
                )
            if self.cyclical:
                for part in self.features_[column]:
                    if part in PERIODIC:
                        angle = (
                            2
                            * np.pi
                            * (parts[part] - _BASE[part])
                            / parts[f"{part}_period"]
                        )
                        for fn, label in ((np.sin, "sin"), (np.cos, "cos")):
                            values = np.where(missing, np.nan, fn(angle))
                            new.append(
                                _emit(
                                    output_name(column, f"{part}_{label}"),
                                    values,
                                    missing,
                                    backend,
                                    pandas_like,
                                    floats=True,
                                )
                            )
        return self._without_sources(frame.with_columns(*new))


_BASE = {
    "month": 1,
    "day": 1,
    "day_of_week": 0,
    "day_of_year": 1,
    "week_of_year": 1,
    "quarter": 1,
    "hour": 0,
    "minute": 0,
}


def _emit(
    name: str,
    values: np.ndarray,
    missing: np.ndarray,
    backend: Any,
    pandas_like: bool,
    floats: bool = False,
) -> nw.Series:
    if missing.any() or floats:
        data = np.where(missing, np.nan, values.astype(np.float64))
        series = nw.new_series(name, data, nw.Float64, backend=backend)
        return series if pandas_like else series.fill_nan(None)
    return nw.new_series(name, values.astype(np.int64), nw.Int64, backend=backend)


def _calendar(ns: np.ndarray) -> dict[str, np.ndarray]:
    """Every part (and the period of the cyclical ones) from wall-clock nanoseconds."""
    days = np.floor_divide(ns, _NS_PER_DAY)
    day = days.astype("datetime64[D]")
    month_start = day.astype("datetime64[M]")
    year_start = day.astype("datetime64[Y]")
    year = year_start.astype(np.int64) + 1970
    month = (month_start - year_start).astype(np.int64) + 1
    dom = (day - month_start).astype(np.int64) + 1
    month_len = (
        (month_start + np.timedelta64(1, "M")).astype("datetime64[D]")
        - month_start.astype("datetime64[D]")
    ).astype(np.int64)
    year_len = (
        (year_start + np.timedelta64(1, "Y")).astype("datetime64[D]")
        - year_start.astype("datetime64[D]")
    ).astype(np.int64)
    dow = (days + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    doy = (day - year_start.astype("datetime64[D]")).astype(np.int64) + 1
    thursday = (days - dow + 3).astype("datetime64[D]")  # the ISO week's Thursday
    iso_start = thursday.astype("datetime64[Y]")
    week = (thursday - iso_start.astype("datetime64[D]")).astype(np.int64) // 7 + 1
    # an ISO year has as many weeks as the ISO week number of its Dec 28
    iso_jan1 = iso_start.astype("datetime64[D]").astype(np.int64)
    dec28 = (iso_start + np.timedelta64(1, "Y")).astype("datetime64[D]").astype(
        np.int64
    ) - 4
    weeks_in_year = (dec28 - (dec28 + 3) % 7 + 3 - iso_jan1) // 7 + 1
    within_day = ns - days * _NS_PER_DAY
    hour = within_day // (3600 * 10**9)
    minute = (within_day // (60 * 10**9)) % 60
    return {
        "year": year,
        "month": month,
        "day": dom,
        "day_of_week": dow,
        "day_of_year": doy,
        "week_of_year": week,
        "quarter": (month - 1) // 3 + 1,
        "hour": hour,
        "minute": minute,
        "is_weekend": (dow >= 5).astype(np.int64),
        "is_month_start": (dom == 1).astype(np.int64),
        "is_month_end": (dom == month_len).astype(np.int64),
        "month_period": np.full(ns.shape, 12),
        "day_period": month_len,
        "day_of_week_period": np.full(ns.shape, 7),
        "day_of_year_period": year_len,
        "week_of_year_period": weeks_in_year,
        "quarter_period": np.full(ns.shape, 4),
        "hour_period": np.full(ns.shape, 24),
        "minute_period": np.full(ns.shape, 60),
    }
