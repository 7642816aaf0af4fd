"""OneHotEncoder: the seed vector, scikit-learn equivalence, infrequent/drop, sparse, properties."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from hypothesis import given
from hypothesis import strategies as st
from sklearn.preprocessing import OneHotEncoder as SkOneHot

from mlprep.encode import OneHotEncoder
from mlprep.exceptions import DataError
from mlprep.testing.strategies import as_backend, categorical_frames

COLORS = [
    "White",
    "Black",
    "Red",
    "Blue",
    "Green",
    "Yellow",
    "Pink",
    "Brown",
    "White",
    "Black",
]


def _as_frame(output: Any) -> pd.DataFrame:
    return output if isinstance(output, pd.DataFrame) else output.to_pandas()


def test_seed_colors_give_eight_sorted_columns() -> None:
    X = pd.DataFrame({"Color": COLORS})
    out = OneHotEncoder().fit_transform(X)
    assert out.columns.tolist() == [
        "Color_Black",
        "Color_Blue",
        "Color_Brown",
        "Color_Green",
        "Color_Pink",
        "Color_Red",
        "Color_White",
        "Color_Yellow",
    ]
    assert out.shape == (10, 8)
    assert out.loc[0, "Color_White"] == 1.0 and out.loc[1, "Color_Black"] == 1.0
    assert (out.sum(axis=1) == 1).all()


def _sklearn_input(frame: pd.DataFrame) -> np.ndarray:
    array = np.array(frame.astype(object).to_numpy(), dtype=object)
    array[pd.isna(frame).to_numpy()] = np.nan
    return array


def _sklearn_names(names: np.ndarray) -> list[str]:
    return [n.replace("_infrequent_sklearn", "_infrequent") for n in names]


SETTINGS = st.fixed_dictionaries(
    {
        "min_frequency": st.sampled_from([None, 2, 3, 4, 0.25]),
        "max_categories": st.sampled_from([None, 1, 2, 3]),
        "drop": st.sampled_from([None, "first", "if_binary"]),
        "handle_unknown": st.sampled_from(["ignore", "infrequent"]),
    }
)


@given(
    data=categorical_frames(kinds=("string",), unseen=True, max_rows=15),
    settings=SETTINGS,
)
def test_equals_sklearn_one_hot(
    data: tuple[pd.DataFrame, pd.DataFrame], settings: dict[str, Any]
) -> None:
    train, test = data
    sk_settings = dict(settings)
    unknown = settings.get("handle_unknown", "ignore")
    sk_settings["handle_unknown"] = (
        "infrequent_if_exist" if unknown == "infrequent" else "ignore"
    )
    sk = SkOneHot(sparse_output=False, **sk_settings).fit(_sklearn_input(train))
    ours = OneHotEncoder(**settings)
    try:
        ours.fit(train)
    except DataError as error:  # zero output columns: sklearn returns an empty matrix
        assert "no output columns" in str(error)
        assert sk.get_feature_names_out().size == 0
        return
    assert ours.get_feature_names_out().tolist() == _sklearn_names(
        sk.get_feature_names_out(list(train.columns))
    )
    with warnings.catch_warnings():
        warnings.simplefilter(
            "ignore", UserWarning
        )  # sklearn warns on unknowns with drop
        expected = sk.transform(_sklearn_input(test))
    np.testing.assert_array_equal(ours.transform(test).to_numpy(), expected)


@given(
    data=categorical_frames(unseen=True), backend=st.sampled_from(["pandas", "polars"])
)
def test_rows_sum_to_one_or_zero_for_unknowns(
    data: tuple[pd.DataFrame, pd.DataFrame], backend: str
) -> None:
    train, test = data
    encoder = OneHotEncoder(columns=list(train.columns)).fit(as_backend(train, backend))
    out = _as_frame(encoder.transform(as_backend(test, backend)))
    assert len(out) == len(test)
    assert (
        list(out.columns) == encoder.get_feature_names_out().tolist()
    )  # width from fit only
    for column in train.columns:
        block = out[[n for n in out.columns if n.startswith(f"{column}_")]].to_numpy()
        known = (
            test[column]
            .astype(object)
            .where(test[column].notna(), None)
            .isin(encoder.categories_[column])
            .to_numpy()
        )
        np.testing.assert_array_equal(block.sum(axis=1), known.astype(float))


def test_infrequent_grouping_and_unknowns() -> None:
    X = pd.DataFrame({"c": ["a"] + ["b"] * 5 + ["c"] * 3 + ["d"]})
    encoder = OneHotEncoder(min_frequency=2, handle_unknown="infrequent").fit(X)
    assert encoder.infrequent_categories_ == {"c": ["a", "d"]}
    assert encoder.get_feature_names_out().tolist() == ["c_b", "c_c", "c_infrequent"]
    out = encoder.transform(pd.DataFrame({"c": ["a", "b", "zz"]})).to_numpy()
    assert out.tolist() == [[0, 0, 1], [1, 0, 0], [0, 0, 1]]
    top = OneHotEncoder(max_categories=2).fit(X)
    assert top.get_feature_names_out().tolist() == ["c_b", "c_infrequent"]


def test_drop_first_and_if_binary() -> None:
    X = pd.DataFrame({"two": ["y", "n", "y"], "three": ["a", "b", "c"]})
    assert OneHotEncoder(drop="first").fit(X).get_feature_names_out().tolist() == [
        "two_y",
        "three_b",
        "three_c",
    ]
    assert OneHotEncoder(drop="if_binary").fit(X).get_feature_names_out().tolist() == [
        "two_y",
        "three_a",
        "three_b",
        "three_c",
    ]


def test_if_binary_decides_after_infrequent_grouping() -> None:
    # issue 15: one frequent category and the infrequent bucket are two
    # outputs, so "if_binary" drops one, as scikit-learn does
    X = pd.DataFrame({"c": ["a"] * 5 + ["b"] * 3 + ["z"]})
    encoder = OneHotEncoder(min_frequency=4, drop="if_binary").fit(X)
    assert encoder.get_feature_names_out().tolist() == ["c_infrequent"]
    sk = SkOneHot(min_frequency=4, drop="if_binary", sparse_output=False).fit(
        _sklearn_input(X)
    )
    np.testing.assert_array_equal(
        encoder.transform(X).to_numpy(), sk.transform(_sklearn_input(X))
    )
    # two categories that both fall into the bucket leave one output: kept
    both_rare = pd.DataFrame({"c": ["a", "b"]})
    kept = OneHotEncoder(min_frequency=2, drop="if_binary").fit(both_rare)
    assert kept.get_feature_names_out().tolist() == ["c_infrequent"]


def test_if_binary_with_max_categories_2_gives_one_column_per_feature() -> None:
    # Ames-like: many categorical features of 3 to 25 levels; max_categories=2
    # makes each one binary (top category + bucket), so "if_binary" leaves one
    # column per feature (scikit-learn: 40 for Ames' 40 categorical columns)
    rng = np.random.default_rng(15)
    X = pd.DataFrame(
        {
            f"f{i}": rng.choice(
                [f"L{j}" for j in range(levels)],
                size=300,
                p=np.arange(levels, 0, -1) / np.arange(levels, 0, -1).sum(),
            )
            for i, levels in enumerate(rng.integers(3, 26, size=12).tolist())
        }
    )
    encoder = OneHotEncoder(max_categories=2, drop="if_binary").fit(X)
    assert len(encoder.get_feature_names_out()) == X.shape[1]
    sk = SkOneHot(max_categories=2, drop="if_binary", sparse_output=False).fit(
        _sklearn_input(X)
    )
    assert encoder.get_feature_names_out().tolist() == _sklearn_names(
        sk.get_feature_names_out(list(X.columns))
    )
    np.testing.assert_array_equal(
        encoder.transform(X).to_numpy(), sk.transform(_sklearn_input(X))
    )


def test_handle_unknown_error() -> None:
    encoder = OneHotEncoder(handle_unknown="error").fit(pd.DataFrame({"c": ["a", "b"]}))
    with pytest.raises(DataError, match="'c' has 1 value"):
        encoder.transform(pd.DataFrame({"c": ["a", "q"]}))


@pytest.mark.parametrize("backend", ["pandas", "polars", "pyarrow"])
def test_sparse_output_is_csr_equal_to_dense_with_numeric_passthrough(
    backend: str,
) -> None:
    X = pd.DataFrame(
        {
            "c": ["b", "a", None, "b"],
            "n": [1.0, 2.0, 3.0, 4.0],
            "k": ["x", "y", "x", "z"],
        }
    )
    native = as_backend(X, backend)
    sparse = OneHotEncoder(sparse_output=True).fit(native)
    dense = OneHotEncoder().fit(native)
    matrix = sparse.transform(native)
    assert sp.isspmatrix_csr(matrix) or isinstance(matrix, sp.csr_array)
    assert (
        sparse.get_feature_names_out().tolist()
        == dense.get_feature_names_out().tolist()
    )
    assert matrix.shape == (4, len(dense.get_feature_names_out()))
    np.testing.assert_array_equal(
        matrix.toarray(), _as_frame(dense.transform(native)).to_numpy(dtype=float)
    )


def test_missing_is_a_category_when_seen_in_fit() -> None:
    X = pd.DataFrame({"c": ["a", None, "b"]})
    encoder = OneHotEncoder().fit(X)
    assert encoder.categories_ == {"c": ["a", "b", None]}
    assert encoder.get_feature_names_out().tolist() == ["c_a", "c_b", "c_nan"]
    out = encoder.transform(pd.DataFrame({"c": [None, np.nan]})).to_numpy()
    assert out.tolist() == [[0, 0, 1], [0, 0, 1]]
