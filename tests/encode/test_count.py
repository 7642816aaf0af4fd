"""CountEncoder: counts / frequencies equal to pandas value_counts and category_encoders."""

from __future__ import annotations

import warnings

import category_encoders as ce
import numpy as np
import pandas as pd
from hypothesis import given

from mlprep.encode import CountEncoder
from mlprep.testing.strategies import categorical_frames


@given(data=categorical_frames(unseen=True))
def test_equals_value_counts_with_unseen_as_zero(
    data: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    train, test = data
    columns = list(train.columns)
    counts = CountEncoder(columns=columns).fit(train).transform(test)
    freqs = CountEncoder(normalize=True, columns=columns).fit(train).transform(test)
    assert len(counts) == len(test)
    for column in columns:
        table = train[column].astype(object).value_counts(dropna=False)
        expected = [
            int(table[v]) if v in table.index else 0
            for v in test[column].astype(object).where(test[column].notna(), np.nan)
        ]
        expected = [
            int(train[column].isna().sum()) if pd.isna(v) else e
            for v, e in zip(test[column].astype(object), expected)
        ]
        assert counts[column].tolist() == expected
        np.testing.assert_allclose(
            freqs[column].to_numpy(), np.asarray(expected) / len(train)
        )


def test_equals_category_encoders_count_encoder() -> None:
    train = pd.DataFrame({"c": ["a", "a", None, "b", "a"]})
    test = pd.DataFrame({"c": ["a", None, "z", "b"]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for normalize in (False, True):
            expected = (
                ce.CountEncoder(cols=["c"], normalize=normalize)
                .fit(train)
                .transform(test)
            )
            ours = CountEncoder(normalize=normalize).fit(train).transform(test)
            np.testing.assert_allclose(
                ours["c"].to_numpy(dtype=float), expected["c"].to_numpy(dtype=float)
            )
