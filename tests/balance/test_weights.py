"""class_weights equals scikit-learn's compute_class_weight("balanced")."""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pytest
from sklearn.utils.class_weight import compute_class_weight

from mlprep.balance import class_weights
from mlprep.exceptions import DataError, InvalidParameterError


def _sklearn(y: np.ndarray) -> dict:
    classes = np.unique(y)
    weights = compute_class_weight("balanced", classes=classes, y=y)
    return dict(zip(classes.tolist(), weights.tolist(), strict=True))


@pytest.mark.parametrize(
    "labels",
    [
        np.array([0, 0, 0, 1, 2, 2, 0, 1, 0, 0]),
        np.array(["cat", "dog", "dog", "cat", "cat", "bird"], dtype=object),
        np.array([True, False, False, False]),
    ],
    ids=["ints", "strings", "bools"],
)
@pytest.mark.parametrize("container", ["numpy", "list", "pandas", "polars"])
def test_equals_sklearn(labels: np.ndarray, container: str) -> None:
    y = {
        "numpy": labels,
        "list": labels.tolist(),
        "pandas": pd.Series(labels),
        "polars": pl.Series(labels.tolist()),
    }[container]
    got = class_weights(y)
    expected = _sklearn(labels)
    assert list(got) == list(expected)
    np.testing.assert_allclose(list(got.values()), list(expected.values()), rtol=0)
    for key in got:
        assert type(key) in (int, str, bool)
        assert type(got[key]) is float


def test_real_dataset() -> None:
    from sklearn.datasets import load_wine

    y = load_wine().target[:140]  # classes 0, 1 and a few of 2
    assert class_weights(y) == pytest.approx(_sklearn(y))
    assert len(class_weights(y)) == 3


def test_bad_method_names_the_allowed_values() -> None:
    with pytest.raises(InvalidParameterError, match="'balanced'"):
        class_weights([0, 1], method="inverse")


def test_empty_y() -> None:
    with pytest.raises(DataError, match="empty"):
        class_weights(np.array([], dtype=int))


def test_nan_label() -> None:
    with pytest.raises(DataError, match="missing"):
        class_weights(np.array([0.0, 1.0, np.nan]))
