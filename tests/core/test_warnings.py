"""DataWarnings point at the user's line and are shown once there, even across CV folds."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from mlprep.core._warnings import warn_data
from mlprep.exceptions import DataWarning
from mlprep.scale import Binner


def _data() -> tuple[pd.DataFrame, np.ndarray]:
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"x": rng.normal(size=60), "flat": np.ones(60)})
    return X, rng.normal(size=60)


def test_a_warning_in_a_cross_validated_pipeline_points_here_and_shows_once() -> None:
    X, y = _data()
    search = GridSearchCV(
        make_pipeline(Binner(n_bins=3), Ridge()), {"ridge__alpha": [0.1, 1.0]}, cv=5
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        search.fit(X, y)  # 10 fits + the refit, every one of them warns
    found = [w for w in caught if issubclass(w.category, DataWarning)]
    assert len(found) == 1, [str(w.message) for w in found]
    assert found[0].filename == __file__
    assert "'flat' is constant" in str(found[0].message)


def test_other_filter_actions_are_honoured() -> None:
    X, _ = _data()
    with pytest.warns(DataWarning, match="constant"):
        Binner(n_bins=3).fit(X)
    with pytest.warns(DataWarning, match="constant"):  # "always": shown again
        Binner(n_bins=3).fit(X)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataWarning)
        with pytest.raises(DataWarning):
            warn_data("an unusual column")
