"""Encoding benchmark: the c20 and c100k workloads of PEERS.md.

N rows, one string column of 20 (``cat_{i:02d}``) or 100k (``id_{i:06d}``)
uniform levels, generated as ``../shared/bench/peers.py`` does (same seed
stream). Every peer runs ``fit_transform`` on the same data, handed over in
the form it takes (a pandas frame for mlprep and category_encoders, a 2-D
object array for scikit-learn's OneHotEncoder, records for FeatureHasher).
pandas 3 stores the frame's string column as an Arrow-backed ``str`` column
(converted before timing, as a CSV or Parquet reader would give it); the
"object column" rows time mlprep on a NumPy object column instead.

* one-hot (sparse CSR): mlprep.OneHotEncoder vs sklearn.OneHotEncoder;
* binary: mlprep.BinaryEncoder vs category_encoders.BinaryEncoder (same output);
* hashing, 2**18 features, CSR: mlprep.HashingEncoder vs sklearn.FeatureHasher
  fed ``{column: value}`` dicts (the identical output) and fed 1-token lists
  (PEERS.md's row), and category_encoders.HashingEncoder (8 dense components,
  PEERS.md's setting);
* pandas.factorize: one hash-table pass, the reference for "a hash pass".

The floor row is numpy ``(x - a) * b`` over N x 1 float64 (one column, like
the workload), so ``× floor`` here is relative to that single-column pass.

    python benchmarks/bench_encode.py --n 1000000 --out benchmarks/RESULTS.md
"""

from __future__ import annotations

from typing import Any

import numpy as np
from _harness import DATA as BASE_DATA
from _harness import Task, main

SEED = 12345
HASH_FEATURES = 2**18
CE_HASH_COMPONENTS = 8


def categorical(n: int) -> dict[str, np.ndarray]:
    """The peers.py columns: object arrays of 20 and 100k uniform levels."""
    rng = np.random.default_rng([SEED, 3])
    small = np.array([f"cat_{i:02d}" for i in range(20)], dtype=object)
    large = np.array([f"id_{i:06d}" for i in range(100_000)], dtype=object)
    return {
        "c20": small[rng.integers(0, 20, n)],
        "c100k": large[rng.integers(0, 100_000, n)],
    }


def floats_one(n: int) -> np.ndarray:
    """N x 1 float64 for the single-column floor."""
    return np.random.default_rng([SEED, 1]).normal(0.0, 1.0, (n, 1))


DATA = {**BASE_DATA, "categorical": categorical, "floats1": floats_one}


def _frame(d: dict[str, np.ndarray], column: str) -> Any:
    import pandas as pd

    return pd.DataFrame({column: d[column]})


def _mlprep(encoder: str, column: str, **params: Any) -> Any:
    def prepare(d: dict[str, np.ndarray]) -> Any:
        import mlprep.encode as enc

        frame = _frame(d, column)
        return lambda: getattr(enc, encoder)(**params).fit_transform(frame)

    return prepare


def _mlprep_object(encoder: str, column: str, **params: Any) -> Any:
    def prepare(d: dict[str, np.ndarray]) -> Any:
        import pandas as pd

        import mlprep.encode as enc

        frame = pd.DataFrame({column: pd.Series(d[column], dtype=object)})
        return lambda: getattr(enc, encoder)(**params).fit_transform(frame)

    return prepare


def _mlprep_polars(encoder: str, column: str, **params: Any) -> Any:
    def prepare(d: dict[str, np.ndarray]) -> Any:
        import polars as pl

        import mlprep.encode as enc

        frame = pl.DataFrame({column: d[column].tolist()})
        return lambda: getattr(enc, encoder)(**params).fit_transform(frame)

    return prepare


def _sk_onehot(column: str) -> Any:
    def prepare(d: dict[str, np.ndarray]) -> Any:
        from sklearn.preprocessing import OneHotEncoder

        x = d[column].reshape(-1, 1)
        return lambda: OneHotEncoder(
            sparse_output=True, handle_unknown="ignore"
        ).fit_transform(x)

    return prepare


def _ce(encoder: str, column: str, **params: Any) -> Any:
    def prepare(d: dict[str, np.ndarray]) -> Any:
        import category_encoders as ce

        frame = _frame(d, column)
        return lambda: getattr(ce, encoder)(cols=[column], **params).fit_transform(
            frame
        )

    return prepare


def _hasher(column: str, input_type: str) -> Any:
    def prepare(d: dict[str, np.ndarray]) -> Any:
        from sklearn.feature_extraction import FeatureHasher

        if input_type == "dict":
            rows: Any = [{column: v} for v in d[column]]
        else:
            rows = [[v] for v in d[column]]
        hasher = FeatureHasher(n_features=HASH_FEATURES, input_type=input_type)
        return lambda: hasher.transform(rows)

    return prepare


def _factorize(column: str) -> Any:
    def prepare(d: dict[str, np.ndarray]) -> Any:
        import pandas as pd

        values = d[column]
        return lambda: pd.factorize(values)

    return prepare


def floor(X: np.ndarray) -> Any:
    a = X.mean(axis=0)
    b = 1.0 / X.std(axis=0)
    return lambda: (X - a) * b


# Module-level prepare functions, looked up by name in the spawned process.
_PREPARES: dict[str, Any] = {}
TASKS: list[Task] = [
    Task("encoding", "floor", "numpy floor", "floats1", "bench_encode:floor")
]
for _col in ("c20", "c100k"):
    groups = {
        "one-hot": {
            "mlprep.OneHotEncoder(sparse)": _mlprep(
                "OneHotEncoder", _col, sparse_output=True
            ),
            "mlprep.OneHotEncoder(sparse, polars in)": _mlprep_polars(
                "OneHotEncoder", _col, sparse_output=True
            ),
            "mlprep.OneHotEncoder(sparse, object column)": _mlprep_object(
                "OneHotEncoder", _col, sparse_output=True
            ),
            "sklearn.OneHotEncoder(sparse)": _sk_onehot(_col),
            "pandas.factorize (ref)": _factorize(_col),
        },
        "binary": {
            "mlprep.BinaryEncoder": _mlprep("BinaryEncoder", _col),
            "category_encoders.BinaryEncoder": _ce("BinaryEncoder", _col),
        },
        "hashing": {
            "mlprep.HashingEncoder(2**18, sparse)": _mlprep(
                "HashingEncoder", _col, n_features=HASH_FEATURES, sparse_output=True
            ),
            "mlprep.HashingEncoder(2**18, sparse, object column)": _mlprep_object(
                "HashingEncoder", _col, n_features=HASH_FEATURES, sparse_output=True
            ),
            "sklearn.FeatureHasher(2**18, dict)": _hasher(_col, "dict"),
            "sklearn.FeatureHasher(2**18, string)": _hasher(_col, "string"),
            "category_encoders.HashingEncoder(8)": _ce(
                "HashingEncoder", _col, n_components=CE_HASH_COMPONENTS
            ),
        },
    }
    for _what, _rows in groups.items():
        for _peer, _prepare in _rows.items():
            _name = f"prepare_{len(_PREPARES)}"
            _PREPARES[_name] = _prepare
            globals()[_name] = _prepare
            TASKS.append(
                Task(
                    "encoding",
                    f"{_col} {_what}",
                    _peer,
                    "categorical",
                    f"bench_encode:{_name}",
                )
            )

if __name__ == "__main__":
    import sys

    if (
        "--quick" in sys.argv
    ):  # skip category_encoders' HashingEncoder (seconds per run)
        sys.argv.remove("--quick")
        TASKS = [t for t in TASKS if "category_encoders.Hashing" not in t.peer]
    main(TASKS, title="Encoding")
