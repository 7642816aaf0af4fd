"""The hostile-input sweep's judgement of non-finite output (issue 15).

``±inf`` out of finite input is damage, except where the true result exceeds
float64 (the clean output times the scale factor of the ``1e308`` variant),
where ``±inf`` is the correctly rounded value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from mlprep.testing._hostile import HostileVariant, _damage, hostile_variants

CLEAN = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0]})


def _scaled() -> HostileVariant:
    return next(v for v in hostile_variants(CLEAN, None) if v.scaled)


def test_the_scaled_variant_records_its_factor() -> None:
    variant = _scaled()
    assert variant.factor == pytest.approx(1e308 / 4.0)
    assert variant.X["a"].max() == 1e308


def test_a_sum_beyond_float64_may_be_inf() -> None:
    variant = _scaled()
    reference = (
        CLEAN.cumsum().to_numpy()
    )  # 1, 3, 6, 10: x 2.5e307, the last is beyond float64
    with np.errstate(over="ignore"):
        output = variant.X.cumsum()
    assert np.isinf(output.to_numpy()).any()
    assert _damage(output, reference, variant, "transform") is None


def test_inf_where_the_true_result_is_finite_is_damage() -> None:
    variant = _scaled()
    reference = (CLEAN / 4.0).to_numpy()  # a scaler: small outputs
    output = pd.DataFrame({"a": [0.25, 0.5, np.inf, 1.0]})
    assert _damage(output, reference, variant, "transform") == (
        "±inf in the output of an input without ±inf"
    )


def test_without_a_reference_any_inf_is_damage() -> None:
    variant = _scaled()
    output = pd.DataFrame({"a": [np.inf, 1.0, 1.0, 1.0]})
    assert _damage(output, None, variant, "transform") is not None
