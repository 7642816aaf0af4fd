"""mlprep.merge of pipelines fitted on shards."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import Pipeline

import mlprep
from mlprep.exceptions import DataError
from mlprep.impute import Imputer
from mlprep.scale import StandardScaler


def test_pipelines_merge_when_only_their_last_step_differs():

    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"a": rng.normal(size=100), "b": rng.normal(size=100)})
    frame.loc[::7, "a"] = np.nan
    imputer = Imputer().fit(frame)  # the merged first stage, shared by the shards
    shards = [frame[:40], frame[40:]]
    parts = [
        Pipeline(
            [
                ("impute", imputer),
                ("scale", StandardScaler().partial_fit(imputer.transform(s))),
            ]
        )
        for s in shards
    ]
    merged = mlprep.merge(parts)
    whole = StandardScaler().fit(imputer.transform(frame))
    np.testing.assert_allclose(
        merged.transform(frame).to_numpy(),
        whole.transform(imputer.transform(frame)).to_numpy(),
        atol=1e-12,
    )
    other = Pipeline(
        [
            ("impute", Imputer().fit(frame[:40])),
            ("scale", StandardScaler().partial_fit(frame)),
        ]
    )
    with pytest.raises(DataError, match="Step 'impute' of pipeline 1 differs"):
        mlprep.merge([parts[0], other])
    with pytest.raises(DataError, match="not a pipeline with the steps"):
        mlprep.merge([parts[0], StandardScaler().partial_fit(frame)])
