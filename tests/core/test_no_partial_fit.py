"""``partial_fit`` is absent where batches do not merge, and the error says why."""

from __future__ import annotations

import pandas as pd
import pytest

from mlprep.balance import Balancer
from mlprep.exceptions import MlprepError, NoPartialFitError
from mlprep.impute import Imputer
from mlprep.select import DropDuplicateFeatures

X = pd.DataFrame({"a": [1.0, None, 3.0, 4.0], "b": [1.0, 2.0, None, 4.0]})


@pytest.mark.parametrize(
    ("estimator", "reason"),
    [
        (Imputer(strategy="knn"), "k-NN imputation keeps every training row"),
        (Imputer(strategy="iterative"), "chain of regressions"),
        (Balancer(), "resampling picks rows of the whole training set"),
        (DropDuplicateFeatures(), "compares whole columns"),
    ],
)
def test_the_refusal_names_the_reason(estimator, reason):
    assert not hasattr(estimator, "partial_fit")  # scikit-learn sees no method
    with pytest.raises(NoPartialFitError, match=reason) as caught:
        estimator.partial_fit(X)
    assert isinstance(caught.value, MlprepError)
    assert isinstance(caught.value, AttributeError)
    assert str(caught.value).startswith(
        f"{type(estimator).__name__} has no partial_fit"
    )


def test_a_mergeable_configuration_keeps_its_method():
    imputer = Imputer(strategy="mean")
    assert hasattr(imputer, "partial_fit")
    imputer.partial_fit(X).partial_fit(X)
    assert imputer.statistics_["a"] == pytest.approx(8.0 / 3.0)
    assert Imputer.partial_fit.__doc__.startswith("Add a batch")
    imputer.set_params(strategy="knn")  # the answer follows the parameters
    assert not hasattr(imputer, "partial_fit")
