"""RootTransformer: sqrt refuses negatives (in fit), cbrt takes any value, inverse."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlprep.exceptions import DomainError
from mlprep.scale import RootTransformer


def test_sqrt_and_inverse() -> None:
    X = pd.DataFrame({"a": [0.0, 4.0, 2.25, np.nan]})
    root = RootTransformer().fit(X)
    out = root.transform(X)
    assert out["a"].tolist()[:3] == [0.0, 2.0, 1.5]
    assert np.isnan(out["a"].iloc[3])
    pd.testing.assert_frame_equal(root.inverse_transform(out), X)


def test_sqrt_refuses_negative_in_fit_and_transform() -> None:
    with pytest.raises(DomainError, match=r"'a'.*-1\.0.*cbrt"):
        RootTransformer().fit(pd.DataFrame({"a": [4.0, -1.0]}))
    root = RootTransformer().fit(pd.DataFrame({"a": [4.0, 1.0]}))
    with pytest.raises(DomainError, match=r"'a'.*-9\.0.*in transform"):
        root.transform(pd.DataFrame({"a": [-9.0, 1.0]}))


def test_cbrt_takes_any_value_and_inverts() -> None:
    X = np.array([[-27.0, 8.0], [0.0, -0.001], [1e6, np.nan]])
    root = RootTransformer(root="cbrt").fit(X)
    out = root.transform(X)
    np.testing.assert_allclose(out, np.cbrt(X), rtol=1e-15)
    # numpy's cbrt is accurate to an ulp or so but not correctly rounded (and
    # its scalar and SIMD array paths differ): -27 may give -3.0000000000000004.
    assert abs(out[0, 0] - -3.0) <= 2 * np.spacing(3.0)
    assert out[1, 0] == 0.0 and np.isnan(out[2, 1])
    np.testing.assert_allclose(root.inverse_transform(out), X, rtol=1e-12)
