"""Strategies for split and leakage properties: frames with keys, classes and times."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import strategies as st

__all__ = ["split_frames", "split_ratios"]

split_ratios = st.sampled_from(
    [
        (0.7, 0.2, 0.1),
        (0.8, 0.2),
        (0.5, 0.5),
        (0.6, 0.2, 0.2),
        (0.34, 0.33, 0.33),
        (0.9, 0.1),
    ]
)
"""Ratios a user would pass: two or three parts summing to 1."""


@st.composite
def split_frames(
    draw: st.DrawFn,
    *,
    min_rows: int = 10,
    max_rows: int = 200,
    string_keys: bool | None = None,
) -> pd.DataFrame:
    """A pandas frame to split, with columns ``key``, ``label``, ``time`` and ``x``.

    ``key`` repeats (several rows per entity; ints or unicode strings, with a
    missing key now and then), ``label`` has 2-4 imbalanced classes, ``time``
    is unsorted with ties (int days), ``x`` is a float feature.
    """
    n = draw(st.integers(min_rows, max_rows))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n_keys = draw(st.integers(1, max(1, n)))
    key_ids = rng.integers(0, n_keys, n)
    use_strings = draw(st.booleans()) if string_keys is None else string_keys
    if use_strings:
        alphabet = np.array(["k", "é", "字", "_", "Z", "0"], dtype=object)
        names = np.array(
            ["".join(rng.choice(alphabet, 3)) + str(i) for i in range(n_keys)],
            dtype=object,
        )
        key = pd.Series(names[key_ids], dtype=object)
        if draw(st.booleans()):
            key[rng.random(n) < 0.05] = None
    else:
        key = pd.Series(key_ids * 7 - 3, dtype=np.int64)
    n_classes = draw(st.integers(2, 4))
    probabilities = rng.dirichlet(np.ones(n_classes))
    label = rng.choice(n_classes, n, p=probabilities)
    n_days = draw(st.integers(1, max(1, n)))
    time = rng.integers(0, n_days, n)
    return pd.DataFrame(
        {"key": key, "label": label, "time": time, "x": rng.normal(size=n)}
    )
