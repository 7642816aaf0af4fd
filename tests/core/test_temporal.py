"""The temporal door: time columns as epoch / wall-clock nanoseconds, strings parsed."""

from __future__ import annotations

import datetime as dt

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from mlprep.core._temporal import (
    epoch_ns_array,
    parse_datetime_ns_array,
    temporal_kind,
    wall_clock_ns_array,
)

STAMPS = ["2024-03-31 00:30", "2024-03-31 03:15", "1969-12-31 23:59:59.5"]


def _series(native):
    return nw.from_native(native, series_only=True)


def _natives(values):
    """The same datetime column as pandas, polars and pyarrow series."""
    pandas = pd.Series(values)
    return [pandas, pl.from_pandas(pandas), pa.chunked_array([pa.array(pandas)])]


def test_temporal_kind_of_every_dtype():
    assert temporal_kind(nw.Datetime("us", "UTC")) == "datetime"
    assert temporal_kind(nw.Date()) == "date"
    assert temporal_kind(nw.Float32()) == "numeric"
    assert temporal_kind(nw.String()) is None
    assert temporal_kind(nw.Duration("ns")) is None


@pytest.mark.parametrize("tz", [None, "Europe/Paris"])
def test_epoch_ns_is_the_instant_on_every_backend(tz):
    stamps = pd.to_datetime(STAMPS, format="ISO8601").as_unit("ns")
    if tz is not None:
        stamps = stamps.tz_localize(tz)
    expected = stamps.asi8 if tz is None else stamps.tz_convert("UTC").asi8
    for native in _natives(stamps):
        found = epoch_ns_array(_series(native))
        assert found.dtype == np.int64
        np.testing.assert_array_equal(found, expected)


def test_epoch_ns_of_dates():
    days = [dt.date(1970, 1, 2), dt.date(1969, 12, 31)]
    expected = [86_400 * 10**9, -86_400 * 10**9]
    np.testing.assert_array_equal(epoch_ns_array(_series(pl.Series(days))), expected)
    np.testing.assert_array_equal(
        epoch_ns_array(_series(pa.chunked_array([pa.array(days)]))), expected
    )


@pytest.mark.parametrize("tz", [None, "Europe/Paris", "America/Chicago"])
def test_wall_clock_keeps_the_local_reading(tz):
    naive = pd.to_datetime([*STAMPS, None], format="ISO8601").as_unit("ns")
    stamps = naive if tz is None else naive.tz_localize(tz)
    expected = np.where(naive.isna(), 0, naive.asi8)
    for native in _natives(stamps):
        ns, missing = wall_clock_ns_array(_series(native))
        np.testing.assert_array_equal(ns, expected)
        np.testing.assert_array_equal(missing, [False, False, False, True])


def test_wall_clock_of_dates_is_midnight():
    ns, missing = wall_clock_ns_array(_series(pl.Series([dt.date(2024, 1, 2), None])))
    assert ns.tolist() == [pd.Timestamp("2024-01-02").value, 0]
    assert missing.tolist() == [False, True]


def test_parse_iso_and_formats_flag_what_does_not_parse():
    raw = _series(pd.Series(["2024-10-05T13:45:00", None, "05/10/2024", "2024-02-30"]))
    ns, missing, unparsed = parse_datetime_ns_array(raw)
    assert ns[0] == pd.Timestamp("2024-10-05 13:45").value
    assert missing.tolist() == [False, True, True, True]
    assert unparsed.tolist() == [False, False, True, True]
    assert ns[1:].tolist() == [0, 0, 0]
    ns, missing, unparsed = parse_datetime_ns_array(
        _series(pl.Series(["05-10-24", "31-12-24"])), "%d-%m-%y"
    )
    assert ns.tolist() == [
        pd.Timestamp("2024-10-05").value,
        pd.Timestamp("2024-12-31").value,
    ]
    assert not missing.any() and not unparsed.any()


def test_parse_keeps_the_stated_clock_reading_of_offsets():
    raw = _series(pd.Series(["2024-10-05T13:45:00+02:00", "2024-10-06T08:00:00+02:00"]))
    ns, _, _ = parse_datetime_ns_array(raw)
    assert ns.tolist() == [
        pd.Timestamp("2024-10-05 13:45").value,
        pd.Timestamp("2024-10-06 08:00").value,
    ]


def test_parse_refusing_the_whole_column_is_a_value_error():
    raw = _series(pd.Series(["2024-10-05T13:45:00+02:00", "2024-10-05T13:45:00+05:00"]))
    with pytest.raises(ValueError):
        parse_datetime_ns_array(raw)
