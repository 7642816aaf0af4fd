"""Imputer on categorical columns: a new fill value joins the categories, the dtype stays.

pandas refuses a value that is not a category ("Cannot setitem on a
Categorical with a new category") and a polars Enum left such gaps null;
scikit-learn's SimpleImputer with pandas output fills the value but returns
plain strings. mlprep fills it and keeps the column categorical.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.impute import SimpleImputer

import mlprep
from mlprep.exceptions import DataError
from mlprep.impute import Imputer

VALUES = ["x", None, "y", None, "x"]


def _pandas(ordered: bool = False) -> pd.DataFrame:
    return pd.DataFrame({"c": pd.Categorical(VALUES, ordered=ordered), "n": range(5)})


@pytest.mark.parametrize("ordered", [False, True])
def test_pandas_categorical_takes_a_new_fill_value_as_its_last_category(
    ordered,
) -> None:
    X = _pandas(ordered)
    out = Imputer(strategy="constant", fill_value="z", columns="c").fit_transform(X)
    assert out["c"].tolist() == ["x", "z", "y", "z", "x"]
    assert isinstance(out["c"].dtype, pd.CategoricalDtype)
    assert out["c"].cat.categories.tolist() == ["x", "y", "z"]
    assert out["c"].cat.ordered is ordered
    assert out["n"].tolist() == list(range(5))
    # the caller's frame keeps its gaps and its categories
    assert X["c"].isna().sum() == 2
    assert X["c"].cat.categories.tolist() == ["x", "y"]


def test_same_values_as_simple_imputer_with_pandas_output() -> None:
    X = _pandas()[["c"]]
    ours = Imputer(strategy="constant", fill_value="z").fit_transform(X)
    theirs = (
        SimpleImputer(strategy="constant", fill_value="z")
        .set_output(transform="pandas")
        .fit_transform(X)
    )
    assert ours["c"].astype(str).tolist() == theirs["c"].astype(str).tolist()


def test_default_fill_values_follow_the_categories_kind() -> None:
    text = Imputer(strategy="constant").fit_transform(_pandas()[["c"]])
    assert text["c"].tolist()[1] == "missing_value"
    numbers = pd.DataFrame({"c": pd.Categorical([1, None, 2])})
    out = Imputer(strategy="constant").fit_transform(numbers)
    assert out["c"].tolist() == [1, 0, 2]
    assert out["c"].cat.categories.tolist() == [1, 2, 0]


def test_an_existing_category_fills_without_a_new_one() -> None:
    out = Imputer(strategy="constant", fill_value="y").fit_transform(_pandas()[["c"]])
    assert out["c"].tolist() == ["x", "y", "y", "y", "x"]
    assert out["c"].cat.categories.tolist() == ["x", "y"]


def test_most_frequent_of_numeric_categories_is_a_category() -> None:
    X = pd.DataFrame({"c": pd.Categorical([1, None, 2, 2])})
    imputer = Imputer(strategy="most_frequent").fit(X)
    assert imputer.statistics_["c"] == 2
    out = imputer.transform(X)
    assert out["c"].tolist() == [1, 2, 2, 2]
    assert out["c"].cat.categories.tolist() == [1, 2]


@pytest.mark.parametrize(
    "column",
    [
        pl.Series("c", VALUES, dtype=pl.Categorical),
        pl.Series("c", VALUES, dtype=pl.Enum(["x", "y"])),
    ],
    ids=["categorical", "enum"],
)
def test_polars_categorical_and_enum_take_a_new_fill_value(column) -> None:
    X = pl.DataFrame([column])
    out = Imputer(strategy="constant", fill_value="z").fit_transform(X)
    assert out["c"].to_list() == ["x", "z", "y", "z", "x"]
    assert out["c"].dtype == column.dtype or isinstance(out["c"].dtype, pl.Enum)
    if isinstance(column.dtype, pl.Enum):
        assert out["c"].dtype == pl.Enum(["x", "y", "z"])


def test_arrow_dictionaries_take_a_new_fill_value() -> None:
    table = pa.table({"c": pa.array(VALUES).dictionary_encode()})
    out = Imputer(strategy="constant", fill_value="z").fit_transform(table)
    assert out["c"].to_pylist() == ["x", "z", "y", "z", "x"]
    assert pa.types.is_dictionary(out["c"].type)
    arrow_backed = pd.DataFrame(
        {
            "c": pd.Series(
                pa.array(VALUES).dictionary_encode(),
                dtype=pd.ArrowDtype(pa.dictionary(pa.int32(), pa.string())),
            )
        }
    )
    out = Imputer(strategy="constant", fill_value="z").fit_transform(arrow_backed)
    assert out["c"].tolist() == ["x", "z", "y", "z", "x"]


@pytest.mark.parametrize(
    "X",
    [
        _pandas(),
        pl.DataFrame([pl.Series("c", VALUES, dtype=pl.Categorical)]),
        pl.DataFrame([pl.Series("c", VALUES, dtype=pl.Enum(["x", "y"]))]),
        pa.table({"c": pa.array(VALUES).dictionary_encode()}),
    ],
    ids=["pandas", "polars", "polars-enum", "pyarrow"],
)
def test_a_number_for_text_categories_is_refused_by_name(X) -> None:
    with pytest.raises(
        DataError,
        match=r"Column 'c' is categorical with text categories.*fill_value='0'",
    ):
        Imputer(strategy="constant", fill_value=0).fit(X)


def test_text_for_numeric_categories_is_refused_by_name() -> None:
    X = pd.DataFrame({"c": pd.Categorical([1.5, None, 2.5])})
    with pytest.raises(DataError, match="Column 'c' is categorical with numeric"):
        Imputer(strategy="constant", fill_value="z").fit(X)


def test_partial_fit_lazy_transform_and_files_keep_the_rule() -> None:
    imputer = Imputer(strategy="constant", fill_value="z", columns="c")
    imputer.partial_fit(_pandas().iloc[:2]).partial_fit(_pandas().iloc[2:])
    loaded = mlprep.loads(mlprep.dumps(imputer))
    out = loaded.transform(_pandas())
    assert out["c"].tolist() == ["x", "z", "y", "z", "x"]
    lazy = pl.LazyFrame([pl.Series("c", VALUES, dtype=pl.Enum(["x", "y"]))])
    fitted = Imputer(strategy="constant", fill_value="z").fit(lazy)
    assert fitted.transform(lazy).collect()["c"].to_list() == ["x", "z", "y", "z", "x"]


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.sampled_from(["a", "b", "c", None]), min_size=1, max_size=20),
    fill=st.sampled_from(["a", "z", "missing", "ß"]),
    ordered=st.booleans(),
)
def test_property_categorical_fill_leaves_no_gap_and_keeps_the_rest(
    values, fill, ordered
) -> None:
    X = pd.DataFrame({"c": pd.Categorical(values, ordered=ordered)})
    out = Imputer(strategy="constant", fill_value=fill).fit_transform(X)["c"]
    assert isinstance(out.dtype, pd.CategoricalDtype)
    assert out.notna().all()
    expected = [fill if v is None else v for v in values]
    assert out.tolist() == expected
    known = X["c"].cat.categories.tolist()
    assert out.cat.categories.tolist() == known + ([] if fill in known else [fill])
    assert np.array_equal(X["c"].isna().to_numpy(), [v is None for v in values])
