"""Resolving columns= into column names."""

import narwhals.stable.v2 as nw
import pandas as pd
import pytest

from mlprep.core import select_columns
from mlprep.exceptions import DataError

FRAME = nw.from_native(
    pd.DataFrame({"age": [1.0], "city": ["Paris"], "flag": [True], "n": [3]}),
    eager_only=True,
)


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("numeric", ["age", "n"]),
        ("categorical", ["city", "flag"]),
        ("any", ["age", "city", "flag", "n"]),
    ],
)
def test_none_selects_every_column_of_the_kind(kind, expected):
    assert select_columns(FRAME, None, kind=kind, owner="T") == expected


def test_names_and_positions_are_returned_in_frame_order():
    assert select_columns(FRAME, ["n", 0], kind="numeric", owner="T") == ["age", "n"]
    assert select_columns(FRAME, "n", kind="numeric", owner="T") == ["n"]
    assert select_columns(FRAME, -1, kind="numeric", owner="T") == ["n"]


def test_missing_column_is_named_with_the_alternatives():
    with pytest.raises(
        DataError,
        match=r"Column 'agee' given in columns= is not in the data\. Available",
    ):
        select_columns(FRAME, ["agee"], kind="numeric", owner="T")


def test_wrong_kind_is_named_with_its_dtype():
    with pytest.raises(
        DataError,
        match=r"StandardScaler needs numeric columns, but column 'city' has dtype String",
    ):
        select_columns(FRAME, ["city"], kind="numeric", owner="StandardScaler")


def test_position_out_of_range_and_duplicates_are_refused():
    with pytest.raises(DataError, match="out of range"):
        select_columns(FRAME, [9], kind="any", owner="T")
    with pytest.raises(DataError, match="twice"):
        select_columns(FRAME, ["age", 0], kind="any", owner="T")


def test_no_column_of_the_kind_is_an_error():
    only_text = nw.from_native(pd.DataFrame({"city": ["Paris"]}), eager_only=True)
    with pytest.raises(DataError, match="found no numeric columns"):
        select_columns(only_text, None, kind="numeric", owner="T")


@pytest.mark.parametrize(
    "zone",
    ["UTC", "Europe/Paris", "America/New_York", "Etc/GMT+5", "America/Port-au-Prince"],
)
def test_zoned_pandas_datetimes_are_temporal_in_every_zone(zone):
    stamps = pd.Series(pd.to_datetime(["2024-03-10 01:30", None]).tz_localize(zone))
    frame = nw.from_native(
        pd.DataFrame({"t": stamps, "x": [1.0, 2.0]}), eager_only=True
    )
    dtype = frame.schema["t"]  # pandas 3 stores microseconds, pandas 2 nanoseconds
    assert isinstance(dtype, nw.Datetime) and dtype.time_zone == zone
    assert select_columns(frame, None, kind="temporal", owner="T") == ["t"]
    assert select_columns(frame, None, kind="temporal_or_string", owner="T") == ["t"]
    assert select_columns(frame, "t", kind="temporal", owner="T") == ["t"]
