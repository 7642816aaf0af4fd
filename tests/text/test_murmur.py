"""The vectorized MurmurHash3 equals scikit-learn's murmurhash3_32."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from sklearn.utils import murmurhash3_32

from mlprep.text._murmur import murmurhash3_32_many


def test_reference_values() -> None:
    assert murmurhash3_32_many(["foo", "hello"]).tolist() == [-156908512, 613153351]
    assert murmurhash3_32_many([]).tolist() == []


@given(st.lists(st.text(max_size=12), max_size=20))
def test_equals_sklearn(strings: list[str]) -> None:
    expected = [murmurhash3_32(s, seed=0) for s in strings]
    assert murmurhash3_32_many(strings).tolist() == expected


def test_long_strings_fall_back_to_sklearn() -> None:
    strings = ["x" * 1000, "short", "é" * 200]
    expected = np.array([murmurhash3_32(s, seed=0) for s in strings])
    np.testing.assert_array_equal(murmurhash3_32_many(strings), expected)
