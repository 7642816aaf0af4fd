"""The temporal door: time columns as numbers, and strings parsed into times.

Families that order rows by time or take calendar parts of dates read their
time columns through these helpers and never call pandas, polars or pyarrow
themselves:

* :func:`temporal_kind` — what kind of time axis a dtype can be;
* :func:`epoch_ns_array` — a datetime or date column as int64 nanoseconds
  since the epoch (the instant, UTC, for zone-aware columns): the order of
  events;
* :func:`wall_clock_ns_array` — a datetime or date column as int64
  nanoseconds of its local wall-clock time (zone-aware columns keep the
  clock reading of their own zone): the calendar;
* :func:`parse_datetime_ns_array` — strings parsed with a format into
  wall-clock nanoseconds.

Durations (``"7D"``) are parsed by :func:`mlprep.core._codes.timedelta_ns`.

Every helper here returns numpy arrays and so materializes the column in
memory (hence the ``_array`` names); a lazy backend would compute the same
numbers inside the helper, per batch or as an expression.
"""

from __future__ import annotations

import warnings
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

__all__ = [
    "epoch_ns_array",
    "parse_datetime_ns_array",
    "temporal_kind",
    "wall_clock_ns_array",
]


def _is_datetime(dtype: Any) -> bool:
    return bool(dtype == nw.Datetime or isinstance(dtype, nw.Datetime))


def _is_date(dtype: Any) -> bool:
    return bool(dtype == nw.Date or isinstance(dtype, nw.Date))


def temporal_kind(dtype: Any) -> str | None:
    """What a column of ``dtype`` can be as a time axis.

    Parameters
    ----------
    dtype : narwhals dtype

    Returns
    -------
    {"datetime", "date", "numeric"} or None
        None for anything else (strings, booleans are numeric).

    Examples
    --------
    >>> import narwhals.stable.v2 as nw
    >>> temporal_kind(nw.Datetime("ns")), temporal_kind(nw.Date()), temporal_kind(nw.Int64())
    ('datetime', 'date', 'numeric')
    >>> temporal_kind(nw.String()) is None
    True
    """
    if _is_datetime(dtype):
        return "datetime"
    if _is_date(dtype):
        return "date"
    if dtype.is_numeric():
        return "numeric"
    return None


def epoch_ns_array(series: nw.Series) -> np.ndarray:
    """A datetime or date column as int64 nanoseconds since 1970-01-01 UTC.

    Zone-aware values give their instant (UTC), so the numbers order events
    as they happened. Materializes the column.

    Parameters
    ----------
    series : narwhals.Series
        A datetime or date column without missing values (test them first,
        e.g. with :func:`mlprep.core.is_missing`).

    Returns
    -------
    ndarray of int64, shape (n,)

    Examples
    --------
    >>> import narwhals.stable.v2 as nw
    >>> import pandas as pd
    >>> stamps = pd.Series(pd.to_datetime(["1970-01-01 00:00:01", "1970-01-02 00:00:00"]))
    >>> epoch_ns_array(nw.from_native(stamps, series_only=True)).tolist()
    [1000000000, 86400000000000]
    >>> paris = pd.Series(pd.to_datetime(["1970-01-01 01:00"]).tz_localize("Europe/Paris"))
    >>> epoch_ns_array(nw.from_native(paris, series_only=True)).tolist()
    [0]
    """
    dtype = series.dtype
    if _is_datetime(dtype) and getattr(dtype, "time_zone", None) is None:
        fast = _naive_ns(series.to_numpy())
        if fast is not None:
            return fast
    if _is_date(dtype):
        series = series.cast(nw.Datetime("ns"))
    return np.asarray(series.dt.timestamp("ns").to_numpy(), dtype=np.int64)


_NS_PER = {"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}


def _naive_ns(stamps: np.ndarray) -> np.ndarray | None:
    """A naive ``datetime64`` array as int64 ns, read in place (no per-value parsing).

    None when it is not one, or when scaling to ns could overflow (the
    library path then decides).
    """
    if stamps.dtype.kind != "M":
        return None
    unit, count = np.datetime_data(stamps.dtype)
    scale = _NS_PER.get(unit)
    if scale is None or count != 1:
        return None
    raw = stamps.view(np.int64)
    if scale == 1:
        raw.flags.writeable = False  # it may be the caller's memory
        return raw
    limit = np.iinfo(np.int64).max // scale
    if raw.size and (raw.min() < -limit or raw.max() > limit):
        return None
    return raw * scale


def wall_clock_ns_array(series: nw.Series) -> tuple[np.ndarray, np.ndarray]:
    """A datetime or date column as int64 nanoseconds of its local wall-clock time.

    Zone-aware values give the clock reading in their own zone (Paris
    02:30 stays 02:30), which is what calendar parts describe; naive values
    and dates are taken as they are. Microsecond precision. Materializes the
    column.

    Parameters
    ----------
    series : narwhals.Series
        A datetime or date column; missing values allowed.

    Returns
    -------
    ns : ndarray of int64, shape (n,)
        Wall-clock nanoseconds since 1970-01-01 (0 where missing).
    missing : ndarray of bool, shape (n,)

    Examples
    --------
    >>> import narwhals.stable.v2 as nw
    >>> import pandas as pd
    >>> paris = pd.Series(pd.to_datetime(["1970-01-01 01:00", None]).tz_localize("Europe/Paris"))
    >>> ns, missing = wall_clock_ns_array(nw.from_native(paris, series_only=True))
    >>> ns.tolist(), missing.tolist()
    ([3600000000000, 0], [False, True])
    """
    dtype = series.dtype
    if _is_date(dtype):
        series = series.cast(nw.Datetime("us"))
    elif getattr(dtype, "time_zone", None):
        series = series.dt.replace_time_zone(None)
    missing = np.asarray(series.is_null().to_numpy(), dtype=bool)
    stamps = series.dt.timestamp("us").fill_null(0).cast(nw.Int64).to_numpy()
    return np.asarray(stamps, dtype=np.int64) * 1000, missing


def parse_datetime_ns_array(
    series: nw.Series, format: str | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Strings parsed into int64 nanoseconds of their wall-clock time.

    Strings with a UTC offset keep the clock reading they state. Materializes
    the column.

    Parameters
    ----------
    series : narwhals.Series
        A string (or object) column; missing values allowed.
    format : str or None, default=None
        A ``strftime`` format (``"%d-%m-%y"``); None accepts ISO 8601 only.

    Returns
    -------
    ns : ndarray of int64, shape (n,)
        Wall-clock nanoseconds since 1970-01-01 (0 where ``missing``).
    missing : ndarray of bool, shape (n,)
        No time: the value is missing or did not parse.
    unparsed : ndarray of bool, shape (n,)
        The value is present but did not parse (a subset of ``missing``).

    Raises
    ------
    ValueError
        The column cannot be parsed at all with ``format`` (e.g. mixed UTC
        offsets), with the parser's message.

    Examples
    --------
    >>> import narwhals.stable.v2 as nw
    >>> import pandas as pd
    >>> raw = nw.from_native(pd.Series(["02-01-70", None, "soon"]), series_only=True)
    >>> ns, missing, unparsed = parse_datetime_ns_array(raw, "%d-%m-%y")
    >>> ns.tolist(), missing.tolist(), unparsed.tolist()
    ([86400000000000, 0, 0], [False, True, True], [False, False, True])
    """
    raw = pd.Series(np.asarray(series.to_numpy(), dtype=object))
    absent = raw.isna().to_numpy()
    try:
        with warnings.catch_warnings():
            # pandas < 2.1 only warns about mixed UTC offsets and returns objects
            warnings.simplefilter("ignore", (FutureWarning, DeprecationWarning))
            parsed = pd.to_datetime(
                raw, format=format if format is not None else "ISO8601", errors="coerce"
            )
    except TypeError as exc:
        raise ValueError(str(exc)) from exc
    if parsed.dtype == object:
        raise ValueError(
            "the values cannot be parsed into one datetime column (mixed UTC offsets "
            "or types); convert them to UTC first, e.g. pd.to_datetime(values, utc=True)"
        )
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        parsed = parsed.dt.tz_localize(None)
    missing = np.asarray(parsed.isna().to_numpy(), dtype=bool)
    ns = parsed.to_numpy(dtype="datetime64[ns]").astype(np.int64)
    return np.where(missing, 0, ns), missing, missing & ~absent
