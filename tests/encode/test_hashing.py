"""HashingEncoder: identical to sklearn FeatureHasher(input_type="dict"), stable across processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st
from sklearn.feature_extraction import FeatureHasher

from mlprep.encode import HashingEncoder
from mlprep.exceptions import DataError
from mlprep.testing.strategies import as_backend, categorical_frames

COLORS = ["White", "Black", "Red", "Blue", "Green", "Yellow", "Pink", "Brown"]
# techniques.md §1.7: FeatureHasher(n_features=3) on {"Color": value}
SEED_VECTORS = {
    "White": [0, -1, 0],
    "Black": [0, 1, 0],
    "Red": [-1, 0, 0],
    "Blue": [0, -1, 0],
    "Green": [0, 0, -1],
    "Yellow": [0, 0, 1],
    "Pink": [0, 0, -1],
    "Brown": [0, 0, -1],
}


def _records(frame: pd.DataFrame) -> list[dict[str, str]]:
    return [
        {c: str(v) for c, v in row.items() if not pd.isna(v)}
        for row in frame.astype(object).to_dict(orient="records")
    ]


def test_seed_colors_match_the_documented_vectors() -> None:
    out = HashingEncoder(n_features=3).fit_transform(pd.DataFrame({"Color": COLORS}))
    assert out.to_numpy().tolist() == [SEED_VECTORS[c] for c in COLORS]


@pytest.mark.slow
@given(
    data=categorical_frames(unseen=True, max_columns=3),
    n_features=st.sampled_from([1, 3, 7, 2**10]),
    alternate_sign=st.booleans(),
    backend=st.sampled_from(["pandas", "polars"]),
)
def test_equals_feature_hasher(
    data: Any, n_features: int, alternate_sign: bool, backend: str
) -> None:
    train, test = data
    columns = list(train.columns)
    hasher = FeatureHasher(
        n_features=n_features, input_type="dict", alternate_sign=alternate_sign
    )
    expected = hasher.transform(_records(test)).toarray()
    dense = HashingEncoder(
        n_features=n_features, alternate_sign=alternate_sign, columns=columns
    )
    out = dense.fit(as_backend(train, backend)).transform(as_backend(test, backend))
    frame = out if isinstance(out, pd.DataFrame) else out.to_pandas()
    block = "+".join(columns)  # one column: its name; several: the shared block's
    assert frame.columns.tolist() == [f"{block}_hash_{i}" for i in range(n_features)]
    np.testing.assert_array_equal(frame.to_numpy(), expected)
    sparse = dense.set_params(sparse_output=True).fit(train).transform(test)
    assert sp.issparse(sparse) and sparse.format == "csr"
    np.testing.assert_array_equal(sparse.toarray(), expected)


@pytest.mark.slow
def test_stable_across_processes_and_hash_seeds() -> None:
    code = (
        "import json, pandas as pd; from mlprep.encode import HashingEncoder; "
        "X = pd.DataFrame({'c': ['a', 'Zoë', '日本', 'x y'], 'k': [1, 2, 3, 4]}); "
        "out = HashingEncoder(n_features=64, columns=['c', 'k']).fit_transform(X); "
        "print(json.dumps(out.to_numpy().tolist()))"
    )
    other_seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"
    env = {**os.environ, "PYTHONHASHSEED": other_seed}  # differs from this process
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    results = [json.loads(done.stdout)]
    here = HashingEncoder(n_features=64, columns=["c", "k"]).fit_transform(
        pd.DataFrame({"c": ["a", "Zoë", "日本", "x y"], "k": [1, 2, 3, 4]})
    )
    assert here.to_numpy().tolist() == results[0]


def test_block_replaces_first_hashed_column_and_passthrough_stays() -> None:
    X = pd.DataFrame({"n": [1, 2], "a": ["x", "y"], "m": [3.0, 4.0], "b": ["u", "v"]})
    encoder = HashingEncoder(n_features=4).fit(X)
    assert encoder.get_feature_names_out().tolist() == [
        "n",
        "a+b_hash_0",
        "a+b_hash_1",
        "a+b_hash_2",
        "a+b_hash_3",
        "m",
    ]


def test_one_hashed_column_names_the_block_after_it() -> None:
    X = pd.DataFrame({"city": ["x", "y"], "n": [1, 2]})
    encoder = HashingEncoder(n_features=2).fit(X)
    assert encoder.get_feature_names_out().tolist() == [
        "city_hash_0",
        "city_hash_1",
        "n",
    ]
    assert encoder.transform(X).columns.tolist() == ["city_hash_0", "city_hash_1", "n"]
    renamed = encoder.get_feature_names_out(["city", "n"])
    assert renamed.tolist() == ["city_hash_0", "city_hash_1", "n"]


def test_passthrough_named_like_a_hashed_column_is_refused() -> None:
    X = pd.DataFrame({"c": ["x", "y"], "c_hash_1": [1, 2]})
    with pytest.raises(DataError, match="two output columns named 'c_hash_1'"):
        HashingEncoder(n_features=4).fit(X)
    HashingEncoder(n_features=1).fit(X)  # c_hash_1 is not among c_hash_0..0


def test_dense_output_refuses_the_default_width() -> None:
    with pytest.raises(DataError, match="sparse_output=True"):
        HashingEncoder().fit(pd.DataFrame({"c": ["a"]}))
    matrix = HashingEncoder(sparse_output=True).fit_transform(
        pd.DataFrame({"c": ["a", "b"]})
    )
    assert matrix.shape == (2, 2**20) and matrix.nnz == 2


def _hash_one_by_one(
    column: str, values: list[Any], n_features: int, alternate_sign: bool
) -> tuple[list[int], list[float]]:
    """The per-value definition the vectorised hash_tokens must keep."""
    from sklearn.utils import murmurhash3_32

    from mlprep.encode._hashing import token_text

    index, sign = [], []
    for value in values:
        h = murmurhash3_32(f"{column}={token_text(value)}", seed=0)
        if h == -(2**31):
            index.append((2**31 - 1 - (n_features - 1)) % n_features)
        else:
            index.append(abs(h) % n_features)
        sign.append(-1.0 if alternate_sign and h < 0 else 1.0)
    return index, sign


@given(
    values=st.lists(
        st.one_of(
            st.text(max_size=12),
            st.integers(-(2**40), 2**40),
            st.floats(allow_nan=False),
            st.booleans(),
            st.integers(-100, 100).map(np.int16),
            st.floats(-1e6, 1e6, width=32).map(np.float32),
        ),
        max_size=30,
    ),
    column=st.text(max_size=5),
    n_features=st.sampled_from([1, 2, 3, 1000, 2**20, 2**31 - 1]),
    alternate_sign=st.booleans(),
)
def test_hash_tokens_equal_the_per_value_definition(
    values: list[Any], column: str, n_features: int, alternate_sign: bool
) -> None:
    from mlprep.encode._hashing import hash_tokens

    index, sign = hash_tokens(column, values, n_features, alternate_sign)
    expected_index, expected_sign = _hash_one_by_one(
        column, values, n_features, alternate_sign
    )
    assert index.tolist() == expected_index
    assert sign.tolist() == expected_sign


def test_kept_names_that_only_look_numeric_are_accepted() -> None:
    # "²" is a digit to str.isdigit but not a decimal number: no clash, no crash
    X = pd.DataFrame({"c": ["x", "y"], "c_hash_²": [1, 2], "c_hash_01": [3, 4]})
    out = HashingEncoder(n_features=4).fit_transform(X)
    assert out.columns.tolist()[-2:] == ["c_hash_²", "c_hash_01"]
    kept = HashingEncoder(n_features=2, drop_original=False).fit_transform(X)
    assert kept.columns.tolist() == [
        "c",
        "c_hash_0",
        "c_hash_1",
        "c_hash_²",
        "c_hash_01",
    ]
