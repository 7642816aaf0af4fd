"""The one missing/unknown policy, tested for every encoder, column kind and backend."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import polars as pl
import pytest

from mlprep.encode import (
    BinaryEncoder,
    CountEncoder,
    HashingEncoder,
    OneHotEncoder,
    OrdinalEncoder,
    TargetEncoder,
)
from mlprep.encode._hashing import hash_tokens
from mlprep.exceptions import DataError, InvalidParameterError

# kind -> (known value, unseen value, pandas dtype)
KINDS: dict[str, tuple[Any, Any, Any]] = {
    "string": ("a", "zz", object),
    "integer": (1, 99, "Int64"),
    "boolean": (True, False, "boolean"),
    "categorical": ("a", "zz", pd.CategoricalDtype(["a", "zz"])),
}
Y = np.array([1.0, 0.0, 1.0])


def _frame(kind: str, values: list[Any], backend: str) -> Any:
    dtype = KINDS[kind][2]
    frame = pd.DataFrame(
        {"c": pd.Series(values, dtype=dtype), "n": np.arange(len(values))}
    )
    return frame if backend == "pandas" else pl.from_pandas(frame)


def _values(output: Any) -> pd.DataFrame:
    return output if isinstance(output, pd.DataFrame) else output.to_pandas()


def _hash_row(value: Any) -> np.ndarray:
    index, sign = hash_tokens("c", [value], 8, True)
    row = np.zeros(8)
    row[index[0]] = sign[0]
    return row


def _expected(
    name: str, known: Any, unseen: Any, train_missing: bool
) -> list[list[float]]:
    """Encodings of the test rows [known, unseen, missing] under the documented policy."""
    if name == "onehot":
        return [[1, 0], [0, 0], [0, 1]] if train_missing else [[1], [0], [0]]
    if name == "ordinal":
        return [[0], [-1], [-2 if train_missing else -1]]
    if name == "binary":
        return [[0, 1], [0, 0], [1, 0]] if train_missing else [[1], [0], [0]]
    if name == "count":
        return [[2], [0], [1]] if train_missing else [[3], [0], [0]]
    if name == "hashing":
        return [list(_hash_row(known)), list(_hash_row(unseen)), [0.0] * 8]
    prior = 2 / 3 if train_missing else 1.0
    return [[1.0], [prior], [0.0 if train_missing else prior]]


ENCODERS = {
    "onehot": lambda: OneHotEncoder(columns="c"),
    "ordinal": lambda: OrdinalEncoder(columns="c"),
    "binary": lambda: BinaryEncoder(columns="c"),
    "count": lambda: CountEncoder(columns="c"),
    "hashing": lambda: HashingEncoder(n_features=8, columns="c"),
    "target": lambda: TargetEncoder(smooth=0.0, cv=3, columns="c"),
}


@pytest.mark.parametrize("backend", ["pandas", "polars"])
@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("name", list(ENCODERS))
@pytest.mark.parametrize("train_missing", [True, False])
def test_policy_for_missing_and_unseen(
    name: str, kind: str, backend: str, train_missing: bool
) -> None:
    known, unseen, _ = KINDS[kind]
    train = _frame(kind, [known, None if train_missing else known, known], backend)
    test = _frame(kind, [known, unseen, None], backend)
    encoder = ENCODERS[name]().fit(train, Y)
    out = _values(encoder.transform(test))
    assert len(out) == 3
    assert out.columns[-1] == "n" and out["n"].tolist() == [0, 1, 2]  # passthrough
    encoded = out.drop(columns="n").astype(float).to_numpy()
    expected = np.asarray(_expected(name, known, unseen, train_missing), dtype=float)
    if name == "target" and not train_missing:
        expected = np.array([[2 / 3], [2 / 3], [2 / 3]])  # y = [1, 0, 1] all on `known`
    np.testing.assert_allclose(encoded, expected)


@pytest.mark.parametrize("name", list(ENCODERS))
def test_handle_missing_error_raises_in_fit_and_transform(name: str) -> None:
    encoder = ENCODERS[name]().set_params(handle_missing="error")
    with pytest.raises(DataError, match="'c' has 1 missing value"):
        encoder.fit(_frame("string", ["a", None, "b"], "pandas"), Y)
    encoder.fit(_frame("string", ["a", "b", "a"], "pandas"), Y)
    with pytest.raises(DataError, match="handle_missing='error'"):
        encoder.transform(_frame("string", ["a", None, "b"], "pandas"))


@pytest.mark.parametrize("name", ["onehot", "ordinal", "binary", "count", "target"])
def test_handle_unknown_error_names_column_and_values(name: str) -> None:
    encoder = ENCODERS[name]().set_params(handle_unknown="error")
    encoder.fit(_frame("string", ["a", "b", "a"], "pandas"), Y)
    with pytest.raises(
        DataError, match=r"Column 'c' has 2 value\(s\) not seen in fit .*'zz'"
    ):
        encoder.transform(_frame("string", ["zz", "a", "zz"], "pandas"))
    with pytest.raises(DataError, match="None means missing"):
        encoder.transform(_frame("string", [None, "a", "b"], "pandas"))


@pytest.mark.parametrize("name", ["ordinal", "binary", "count", "target"])
def test_handle_unknown_is_ignore_or_error(name: str) -> None:
    encoder = ENCODERS[name]()
    assert encoder.get_params()["handle_unknown"] == "ignore"
    with pytest.raises(InvalidParameterError, match="handle_unknown"):
        encoder.set_params(handle_unknown="value").fit(
            _frame("string", ["a", "b", "a"], "pandas"), Y
        )


def test_hashing_has_no_unknowns_to_handle() -> None:
    assert "handle_unknown" not in HashingEncoder().get_params()


@pytest.mark.parametrize(
    ("name", "sparse"),
    [(name, False) for name in ENCODERS] + [("onehot", True), ("hashing", True)],
)
def test_transform_writes_nothing_and_fit_transform_leaves_no_stash(
    name: str, sparse: bool
) -> None:
    train = _frame("string", ["a", None, "b", "a", "b", "a"], "pandas")
    y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
    params = {"sparse_output": True} if sparse else {}
    fitted = ENCODERS[name]().set_params(**params).fit(train, y)
    crossed = ENCODERS[name]().set_params(**params)
    crossed.fit_transform(train, y)
    assert sorted(vars(crossed)) == sorted(vars(fitted))
    before = dict(vars(fitted))
    fitted.transform(_frame("string", ["a", "zz", None], "pandas"))
    assert vars(fitted).keys() == before.keys()
    assert all(vars(fitted)[key] is value for key, value in before.items())


@pytest.mark.parametrize(
    "encoder",
    [
        OneHotEncoder(sparse_output=True, columns="c"),
        HashingEncoder(n_features=8, sparse_output=True, columns="c"),
    ],
)
def test_sparse_output_follows_set_output(encoder: Any) -> None:
    frame = pd.DataFrame({"c": ["a", "b", None], "n": [1.0, 2.0, 3.0]})
    matrix = encoder.fit_transform(frame)
    names = encoder.get_feature_names_out().tolist()
    as_pandas = encoder.set_output(transform="pandas").transform(frame)
    assert isinstance(as_pandas, pd.DataFrame)
    assert as_pandas.columns.tolist() == names
    assert all(isinstance(dtype, pd.SparseDtype) for dtype in as_pandas.dtypes)
    np.testing.assert_array_equal(
        as_pandas.sparse.to_dense().to_numpy(), matrix.toarray()
    )
    with pytest.raises(DataError, match="polars has no sparse frames"):
        encoder.set_output(transform="polars").transform(frame)


def test_mixed_object_column_falls_back_and_cannot_be_sorted() -> None:
    frame = pd.DataFrame({"c": pd.Series(["a", 1, None, "a"], dtype=object)})
    out = OrdinalEncoder(columns="c").fit_transform(frame)
    assert out["c"].tolist() == [0, 1, -2, 0]
    with pytest.raises(DataError, match="mixes values that cannot be sorted"):
        OneHotEncoder().fit(frame)


def test_default_columns_are_categorical_and_explicit_may_name_integers() -> None:
    frame = pd.DataFrame(
        {"s": ["a", "b"], "b": [True, False], "i": [3, 4], "f": [0.5, 1.5]}
    )
    assert OneHotEncoder().fit(frame).columns_ == ["s", "b"]
    assert OneHotEncoder(columns=["i"]).fit(frame).get_feature_names_out().tolist() == [
        "s",
        "b",
        "i_3",
        "i_4",
        "f",
    ]


def test_array_input_encodes_every_column() -> None:
    X = np.array([[1.0, "a"], [2.0, "b"]], dtype=object)
    encoder = OneHotEncoder().fit(X)
    assert encoder.get_feature_names_out().tolist() == [
        "x0_1.0",
        "x0_2.0",
        "x1_a",
        "x1_b",
    ]
    assert encoder.transform(X).tolist() == [[1, 0, 1, 0], [0, 1, 0, 1]]


def test_duplicate_output_names_are_refused() -> None:
    frame = pd.DataFrame({"c": ["nan", None, "a"]})
    with pytest.raises(DataError, match="two output columns named 'c_nan'"):
        OneHotEncoder().fit(frame)


@pytest.mark.parametrize(
    "encoder",
    [
        OneHotEncoder(sparse_output=True),
        HashingEncoder(n_features=16, sparse_output=True),
    ],
)
def test_sparse_output_refuses_text_passthrough(encoder: Any) -> None:
    frame = pd.DataFrame({"c": ["a", "b"], "note": ["x", "y"]})
    encoder.set_params(columns="c").fit(frame)
    with pytest.raises(
        DataError, match="passthrough column to be numeric, but column 'note'"
    ):
        encoder.transform(frame)


def test_input_is_not_mutated_and_index_is_kept() -> None:
    frame = pd.DataFrame({"c": ["a", "b", None]}, index=[7, 3, 5])
    before = frame.copy()
    out = OneHotEncoder().fit_transform(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert out.index.tolist() == [7, 3, 5]
    assert out.to_numpy().tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 1]]


PROPERTY_ENCODERS = {
    "onehot": lambda cols: OneHotEncoder(columns=cols, min_frequency=2),
    "ordinal": lambda cols: OrdinalEncoder(columns=cols),
    "binary": lambda cols: BinaryEncoder(columns=cols),
    "count": lambda cols: CountEncoder(columns=cols),
    "hashing": lambda cols: HashingEncoder(n_features=16, columns=cols),
    "target": lambda cols: TargetEncoder(columns=cols, cv=2),
}


@pytest.mark.parametrize("name", list(PROPERTY_ENCODERS))
def test_rows_kept_and_width_fixed_by_fit(name: str) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from mlprep.testing.strategies import as_backend, categorical_frames

    @settings(max_examples=15)
    @given(
        data=categorical_frames(unseen=True, min_rows=2),
        backend=st.sampled_from(["pandas", "polars"]),
    )
    def check(data: tuple[pd.DataFrame, pd.DataFrame], backend: str) -> None:
        train, test = data
        y = np.arange(len(train), dtype=float)
        encoder = PROPERTY_ENCODERS[name](list(train.columns)).fit(
            as_backend(train, backend), y
        )
        out = _values(encoder.transform(as_backend(test, backend)))
        assert len(out) == len(test)
        assert list(out.columns) == encoder.get_feature_names_out().tolist()
        assert not out.isna().any().any()  # every policy yields a number

    check()
