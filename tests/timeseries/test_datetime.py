"""DatetimeFeatures: parts against pandas, ISO weeks, time zones, strings, NaT, cyclical."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import polars as pl
import pytest

from mlprep.exceptions import DataError, InvalidParameterError
from mlprep.timeseries import DatetimeFeatures


def test_seed_example_saturday_is_weekend():
    X = pd.DataFrame(
        {"date": pd.to_datetime(["2024-10-05", "2024-10-06", "2024-10-07"])}
    )
    out = DatetimeFeatures().fit_transform(X)
    assert out["date_is_weekend"].tolist() == [1, 1, 0]
    row = out.iloc[0]
    assert (row.date_year, row.date_month, row.date_day) == (2024, 10, 5)
    assert (
        row.date_day_of_week,
        row.date_week_of_year,
        row.date_day_of_year,
        row.date_quarter,
    ) == (5, 40, 279, 4)
    # midnight-only dates get no hour/minute by default
    assert "date_hour" not in out.columns


def test_every_part_matches_pandas_over_decades():
    stamps = pd.date_range("1998-12-25", "2033-01-08", freq="29h").as_unit("ns")
    out = DatetimeFeatures().fit_transform(pd.DataFrame({"ts": stamps}))
    iso = stamps.isocalendar()
    expected = {
        "year": stamps.year,
        "month": stamps.month,
        "day": stamps.day,
        "day_of_week": stamps.day_of_week,
        "day_of_year": stamps.day_of_year,
        "week_of_year": iso.week.to_numpy(),
        "quarter": stamps.quarter,
        "hour": stamps.hour,
        "minute": stamps.minute,
        "is_weekend": stamps.day_of_week >= 5,
        "is_month_start": stamps.is_month_start,
        "is_month_end": stamps.is_month_end,
    }
    for part, values in expected.items():
        np.testing.assert_array_equal(
            out[f"ts_{part}"].to_numpy(),
            np.asarray(values, dtype=np.int64),
            err_msg=part,
        )
        assert out[f"ts_{part}"].dtype == np.int64


def test_timezone_aware_uses_local_wall_time_and_polars_gives_polars():
    stamps = pd.date_range("2024-03-31 00:30", periods=4, freq="h", tz="Europe/Paris")
    out = DatetimeFeatures(features=("hour", "day")).fit_transform(
        pd.DataFrame({"ts": stamps})
    )
    assert out["ts_hour"].tolist() == [0, 1, 3, 4]  # clocks jump at 02:00
    native = pl.from_pandas(pd.DataFrame({"ts": stamps}))
    polars_out = DatetimeFeatures(features=("hour", "day")).fit_transform(native)
    assert isinstance(polars_out, pl.DataFrame)
    assert polars_out["ts_hour"].to_list() == [0, 1, 3, 4]


def test_nat_becomes_missing_not_an_error():
    X = pd.DataFrame({"ts": pd.to_datetime(["2024-01-31 10:15", None])})
    out = DatetimeFeatures().fit_transform(X)
    assert out["ts_minute"].tolist()[0] == 15.0
    assert out.iloc[1, 1:].isna().all()
    polars_out = DatetimeFeatures().fit_transform(pl.from_pandas(X))
    assert polars_out["ts_month"].to_list() == [1.0, None]


def test_strings_parse_with_format_and_bad_values_name_the_column():
    X = pd.DataFrame({"when": ["05-10-24", "31-12-24", None]})
    out = DatetimeFeatures(
        format="%d-%m-%y", columns="when", features=("year", "day_of_week")
    ).fit_transform(X)
    assert out["when_year"].tolist()[:2] == [2024.0, 2024.0]
    assert out["when_day_of_week"].tolist()[0] == 5.0
    with pytest.raises(DataError, match=r"column 'when'.*'31-12-24'"):
        DatetimeFeatures(columns="when").fit(
            pd.DataFrame({"when": ["2024-10-05", "31-12-24"]})
        )
    iso = DatetimeFeatures(columns="when").fit_transform(
        pd.DataFrame({"when": ["2024-10-05T13:45:00"]})
    )
    assert iso["when_hour"].tolist() == [13]


def test_dates_and_default_selection():
    X = pl.DataFrame(
        {"d": [dt.date(2024, 2, 29), dt.date(2023, 1, 1)], "v": [1.0, 2.0]}
    )
    out = DatetimeFeatures(
        features=("is_month_end", "week_of_year", "year")
    ).fit_transform(X)
    assert out.columns == ["v", "d_is_month_end", "d_week_of_year", "d_year"]
    assert out["d_is_month_end"].to_list() == [1, 0]
    assert out["d_week_of_year"].to_list() == [
        9,
        52,
    ]  # 2023-01-01 is in ISO week 52 of 2022
    with pytest.raises(DataError, match="no datetime or date columns"):
        DatetimeFeatures().fit(pd.DataFrame({"v": [1.0]}))


def test_cyclical_pairs_lie_on_the_unit_circle():
    stamps = pd.date_range("2024-01-01", periods=400, freq="D")
    est = DatetimeFeatures(features=("month", "day_of_week", "year"), cyclical=True)
    out = est.fit_transform(pd.DataFrame({"ts": stamps}))
    assert "ts_year_sin" not in out.columns
    assert est.get_feature_names_out().tolist()[-4:] == [
        "ts_month_sin",
        "ts_month_cos",
        "ts_day_of_week_sin",
        "ts_day_of_week_cos",
    ]
    np.testing.assert_allclose(out["ts_month_sin"] ** 2 + out["ts_month_cos"] ** 2, 1.0)
    monday = out["ts_day_of_week"] == 0
    np.testing.assert_allclose(out.loc[monday, "ts_day_of_week_cos"], 1.0)


def test_invalid_features_and_clashing_names():
    X = pd.DataFrame({"ts": pd.to_datetime(["2024-01-01"])})
    with pytest.raises(InvalidParameterError, match="'features' parameter"):
        DatetimeFeatures(features=("fortnight",)).fit(X)
    with pytest.raises(DataError, match="already in the data"):
        DatetimeFeatures().fit(X.assign(ts_year=1))


def test_numpy_arrays_of_strings_are_parsed():
    out = DatetimeFeatures(columns=0, features=("month",)).fit_transform(
        np.array([["2024-10-05"], ["2024-11-05"]], dtype=object)
    )
    assert isinstance(out, np.ndarray)
    assert out[:, 0].tolist() == [10, 11]


def test_named_columns_must_be_temporal_or_strings():
    X = pd.DataFrame({"ts": pd.to_datetime(["2024-01-01"]), "v": [1.0]})
    with pytest.raises(DataError, match=r"datetime, date or string columns.*'v'"):
        DatetimeFeatures(columns="v").fit(X)
    assert DatetimeFeatures()._tag_values()["string"] is True
