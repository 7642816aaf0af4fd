"""LogTransformer: test vectors, bases, offset, domain errors in fit and transform, inverse."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import polars as pl
import pytest

from mlprep.exceptions import DomainError
from mlprep.scale import LogTransformer


def test_log10_test_vector() -> None:
    X = pd.DataFrame({"y": [1.0, 10.0, 100.0, 1000.0]})
    assert LogTransformer(base=10).fit_transform(X)["y"].tolist() == [
        0.0,
        1.0,
        2.0,
        3.0,
    ]


def test_worked_example_techniques_1_5() -> None:
    X = np.array([[3, 1], [4, 10], [5, 100], [6, 1000]], dtype=float)
    out = LogTransformer(base=10, columns=[1]).fit_transform(X)
    np.testing.assert_array_equal(out, [[3, 0], [4, 1], [5, 2], [6, 3]])


def test_log10_of_23_is_the_true_value() -> None:
    # techniques.md §1.2: the seed prints 1.37172724, which is wrong.
    out = (
        LogTransformer(base=10).fit_transform(pd.DataFrame({"x": [23.0]}))["x"].iloc[0]
    )
    assert out == pytest.approx(1.3617278360, abs=1e-10)


@pytest.mark.parametrize(
    ("base", "func"), [("e", np.log), (2, np.log2), (10, np.log10)]
)
def test_bases_offset_and_inverse(base: object, func: object) -> None:
    X = pd.DataFrame({"a": [0.0, 1.5, 7.0, np.nan], "b": [1.0, 2.0, 3.0, 4.0]})
    log = LogTransformer(base=base, offset=1.0, columns="a").fit(X)
    out = log.transform(X)
    np.testing.assert_allclose(
        out["a"].to_numpy()[:3], func(X["a"].to_numpy()[:3] + 1.0), rtol=1e-15
    )
    assert math.isnan(out["a"].iloc[3])
    assert out["b"].tolist() == X["b"].tolist()
    pd.testing.assert_frame_equal(log.inverse_transform(out), X, rtol=1e-12)


def test_fit_refuses_non_positive_naming_column_and_value() -> None:
    X = pd.DataFrame({"good": [1.0, 2.0], "bad": [3.0, -0.5]})
    with pytest.raises(DomainError, match=r"'bad'.*-0\.5.*offset"):
        LogTransformer().fit(X)
    with pytest.raises(DomainError, match=r"'bad'"):
        LogTransformer(offset=0.5).fit(X)  # -0.5 + 0.5 = 0 is still outside the domain
    LogTransformer(offset=0.6).fit(X)


def test_transform_refuses_non_positive_seen_only_in_new_data() -> None:
    log = LogTransformer().fit(pd.DataFrame({"a": [1.0, 2.0]}))
    with pytest.raises(DomainError, match=r"'a'.*0\.0.*in transform"):
        log.transform(pd.DataFrame({"a": [5.0, 0.0]}))


def test_polars_null_stays_null() -> None:
    X = pl.DataFrame({"a": [1.0, None, 100.0, float("nan")]})
    out = LogTransformer(base=10).fit_transform(X)
    assert out["a"].to_list()[:3] == [0.0, None, 2.0]
    assert math.isnan(out["a"].to_list()[3])
