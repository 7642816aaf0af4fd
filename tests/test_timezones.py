"""pandas datetimes in every IANA zone are datetimes (the narwhals zone-name workaround).

narwhals (2.29 and earlier) reads ``datetime64[ns, America/New_York]`` as
``Unknown``: its pattern for the zone allows letters and ``/`` only.
mlprep repairs the pattern at import (``mlprep.core._columns``); these tests
check the repair end to end, and the first one fails once narwhals reads
such zones itself, so the workaround gets removed.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zoneinfo

import narwhals
import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlprep.core import _columns
from mlprep.core._columns import is_temporal_dtype, select_columns
from mlprep.core._rows import column_is_temporal, series_is_temporal, series_values
from mlprep.split import train_val_test_split
from mlprep.timeseries import (
    DatetimeFeatures,
    DiffFeatures,
    ExpandingFeatures,
    LagFeatures,
    RollingFeatures,
)

ZONES = sorted(zoneinfo.available_timezones())
HARD_ZONES = ["America/New_York", "Etc/GMT+5", "America/Port-au-Prince", "Etc/GMT-14"]
"""Names with ``_``, ``+``, ``-`` and digits: the ones narwhals 2.29 misreads."""


def _stamps(zone: str, n: int = 6, *, shuffled: bool = False) -> pd.Series:
    # hours across the US spring-forward night, so local and UTC clocks differ
    stamps = pd.Series(pd.date_range("2024-03-09 22:00", periods=n, freq="5h", tz=zone))
    if shuffled:
        stamps = stamps.iloc[np.random.default_rng(0).permutation(n)].reset_index(
            drop=True
        )
    return stamps


def test_narwhals_still_misreads_zone_names_so_the_workaround_is_needed() -> None:
    assert _columns.NARWHALS_ZONE_REPAIRED, (
        f"narwhals {narwhals.__version__} now reads pandas' {_columns.ZONE_PROBE!r} "
        "itself: remove the workaround (_repair_narwhals_zone_parsing and "
        "PANDAS_DATETIME in src/mlprep/core/_columns.py), this test, and raise the "
        "narwhals floor in pyproject.toml to this version."
    )


def _narwhals_original_pattern() -> re.Pattern[str]:
    from narwhals._pandas_like import utils

    return re.compile(utils.PD_DATETIME_RGX, re.VERBOSE)


@given(text=st.from_regex(_narwhals_original_pattern(), fullmatch=True))
def test_repaired_pattern_reads_everything_narwhals_reads_the_same_way(
    text: str,
) -> None:
    original = _narwhals_original_pattern().match(text)
    assert original is not None
    repaired = _columns.PANDAS_DATETIME.match(text)
    assert repaired is not None
    assert repaired.groupdict() == original.groupdict()


@given(zone=st.sampled_from(ZONES), unit=st.sampled_from(["s", "ms", "us", "ns"]))
def test_every_iana_zone_reads_as_a_datetime_of_that_zone(zone: str, unit: str) -> None:
    stamps = _stamps(zone, 2).astype(f"datetime64[{unit}, {zone}]")
    dtype = nw.from_native(stamps, series_only=True).dtype
    assert isinstance(dtype, nw.Datetime)
    assert (dtype.time_unit, dtype.time_zone) == (unit, zone)
    assert is_temporal_dtype(dtype)
    frame = nw.from_native(
        pd.DataFrame({"t": stamps, "x": [1.0, 2.0]}), eager_only=True
    )
    assert select_columns(frame, None, kind="temporal", owner="T") == ["t"]
    assert series_is_temporal(stamps) and column_is_temporal(frame.to_native(), "t")
    # the instants, as pandas computes them
    assert (
        series_values(stamps).tolist()
        == stamps.astype("int64")
        .mul({"s": 10**9, "ms": 10**6, "us": 10**3, "ns": 1}[unit])
        .tolist()
    )


@pytest.mark.parametrize("zone", HARD_ZONES)
def test_datetime_features_read_the_local_clock_as_pandas_does(zone: str) -> None:
    stamps = _stamps(zone)
    out = DatetimeFeatures(features=("year", "month", "day", "hour", "day_of_week"))
    result = out.fit_transform(pd.DataFrame({"t": stamps}))
    expected = {
        "t_year": stamps.dt.year,
        "t_month": stamps.dt.month,
        "t_day": stamps.dt.day,
        "t_hour": stamps.dt.hour,
        "t_day_of_week": stamps.dt.day_of_week,
    }
    for name, values in expected.items():
        assert result[name].tolist() == values.tolist(), name


@pytest.mark.parametrize("zone", HARD_ZONES)
def test_datetime_features_agree_with_polars_in_the_same_zone(zone: str) -> None:
    stamps = _stamps(zone)
    from_pandas = DatetimeFeatures(cyclical=True).fit_transform(
        pd.DataFrame({"t": stamps})
    )
    from_polars = DatetimeFeatures(cyclical=True).fit_transform(
        pl.DataFrame({"t": pl.from_pandas(stamps)})
    )
    assert list(from_pandas.columns) == from_polars.columns
    np.testing.assert_array_equal(
        from_pandas.to_numpy(dtype=float), from_polars.to_numpy().astype(float)
    )


@pytest.mark.parametrize("zone", HARD_ZONES)
@pytest.mark.parametrize(
    "make",
    [
        lambda: LagFeatures(lags=(1, 2), columns="y", time_column="t"),
        lambda: RollingFeatures(windows=(2,), columns="y", time_column="t"),
        lambda: ExpandingFeatures(columns="y", time_column="t"),
        lambda: DiffFeatures(columns="y", time_column="t"),
    ],
    ids=["lag", "rolling", "expanding", "diff"],
)
def test_time_column_in_any_zone_orders_rows_as_in_utc(zone: str, make) -> None:
    stamps = _stamps(zone, 8, shuffled=True)
    y = np.arange(8.0) ** 2
    local = pd.DataFrame({"t": stamps, "y": y})
    utc = pd.DataFrame({"t": stamps.dt.tz_convert("UTC"), "y": y})
    got, want = make().fit_transform(local), make().fit_transform(utc)
    assert got["t"].dt.tz == stamps.dt.tz  # passes through in its own zone
    features = [name for name in want.columns if name != "t"]
    assert features and list(got.columns) == list(want.columns)
    pd.testing.assert_frame_equal(got[features], want[features])


@pytest.mark.parametrize("zone", HARD_ZONES)
def test_ordered_split_by_a_zoned_column_orders_by_instant(zone: str) -> None:
    stamps = _stamps(zone, 10, shuffled=True)
    frame = pd.DataFrame({"t": stamps, "x": np.arange(10)})
    parts = train_val_test_split(
        frame, method="ordered", order_by="t", ratios=(0.6, 0.2, 0.2)
    )
    train, test = parts[0], parts[-1]
    assert train["t"].max() < test["t"].min()
    assert sum(len(part) for part in parts) == 10


def test_dtypes_read_before_mlprep_was_imported_are_read_again() -> None:
    # narwhals memoizes parsed dtypes: a zone read as Unknown before the
    # repair must not stay Unknown after it
    script = (
        "import pandas as pd, narwhals.stable.v2 as nw\n"
        "s = pd.Series(pd.date_range('2024-01-01', periods=1, tz='America/New_York'))\n"
        "before = nw.from_native(s, series_only=True).dtype\n"
        "import mlprep.core\n"
        "after = nw.from_native(s, series_only=True).dtype\n"
        "print(mlprep.core._columns.NARWHALS_ZONE_REPAIRED, before, after, sep='|')\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    repaired, _, after = run.stdout.strip().split("|")
    assert repaired == "True"
    # pandas 3 stores microseconds, pandas 2 nanoseconds
    assert after in {
        f"Datetime(time_unit='{unit}', time_zone='America/New_York')"
        for unit in ("us", "ns")
    }
