"""Shared fixtures and Hypothesis profiles.

Profiles: ``ci`` (the default under CI=true: bounded examples, no deadline,
derandomized so a red run reproduces), ``dev`` (the local default) and
``thorough`` (``HYPOTHESIS_PROFILE=thorough`` for a long local hunt).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from mlprep.testing.strategies import BACKENDS

settings.register_profile(
    "ci",
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "dev", max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("thorough", max_examples=1000, deadline=None)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Each container mlprep accepts: pandas, polars, pyarrow, numpy."""
    return request.param
