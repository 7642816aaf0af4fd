"""OrderedSplitter: monotone parts, the tie rule and the gap."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest

from mlprep.exceptions import DataError
from mlprep.split import OrderedSplitter
from mlprep.split._ordered import ordered_labels


def test_cut_moves_to_the_nearer_end_of_a_tie_run():
    # 10 rows, 70/30: the target cut at 7 falls inside the run of 5s (positions 5..8)
    values = np.array([1, 2, 3, 4, 4, 5, 5, 5, 5, 6])
    labels = ordered_labels(values, (0.7, 0.3), gap=0)
    # run 5..9 (exclusive): 7 - 5 = 2 vs 9 - 7 = 2 -> equal: the run stays in train
    assert labels.tolist() == [0] * 9 + [1]
    values = np.array([1, 2, 3, 4, 5, 5, 5, 6, 7, 8])
    labels = ordered_labels(values, (0.7, 0.3), gap=0)
    # run at 4..7: target 7 is at its end already: no move
    assert labels.tolist() == [0] * 7 + [1] * 3
    values = np.array([1, 2, 3, 4, 5, 5, 5, 5, 5, 9])
    labels = ordered_labels(values, (0.5, 0.5), gap=0)
    # target 5 inside run 4..9: 5 - 4 = 1 < 9 - 5 = 4 -> back to 4
    assert labels.tolist() == [0] * 4 + [1] * 6


def test_unsorted_rows_datetimes_polars_and_strings():
    days = pd.to_datetime(
        ["2024-01-05", "2024-01-01", "2024-01-03", "2024-01-02", "2024-01-04"] * 4
    )
    frame = pd.DataFrame({"day": days})
    labels = OrderedSplitter(ratios=(0.6, 0.4), order_by="day").assign(frame)
    assert days[labels == 0].max() < days[labels == 1].min()
    np.testing.assert_array_equal(
        labels,
        OrderedSplitter(ratios=(0.6, 0.4), order_by="day").assign(
            pl.from_pandas(frame)
        ),
    )
    words = pd.DataFrame({"w": list("dbacefghij")})
    labels = OrderedSplitter(ratios=(0.5, 0.5), order_by="w").assign(words)
    assert sorted(words.w[labels == 0]) == list("abcde")


def test_gap_in_rows_when_there_is_no_order_column():
    labels = OrderedSplitter(ratios=(0.5, 0.3, 0.2), gap=2).assign(np.zeros((20, 1)))
    assert labels.tolist() == [0] * 10 + [-1] * 2 + [1] * 4 + [-1] * 2 + [2] * 2


def test_missing_order_values_and_wide_gaps_raise():
    frame = pd.DataFrame({"t": [1.0, np.nan, 3.0, 4.0]})
    with pytest.raises(DataError, match="1 missing value"):
        OrderedSplitter(order_by="t").assign(frame)
    with pytest.raises(DataError, match=r"leaves the test part empty .* smaller gap"):
        OrderedSplitter(gap=5).assign(np.zeros((10, 1)))
    with pytest.raises(DataError, match="is a timedelta but the order column is not"):
        OrderedSplitter(gap=pd.Timedelta("1D")).assign(np.zeros((10, 1)))


def test_one_split_for_cross_validation():
    splitter = OrderedSplitter(ratios=(0.8, 0.2))
    assert splitter.get_n_splits() == 1
    train, test = next(splitter.split(np.zeros((10, 1))))
    assert train.tolist() == list(range(8)) and test.tolist() == [8, 9]
