"""The vectorizers keep the other columns of a frame, as the encoders' sparse output does.

One rule (issue 15): a frame's text columns become blocks of term columns in
their place; its numeric and boolean columns pass through as columns of the
CSR matrix, in their place, under their own names; any other column raises.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction import text as sk
from tests.text._helpers import REAL_CORPUS

import mlprep
from mlprep.encode import OneHotEncoder
from mlprep.exceptions import DataError, PersistenceError
from mlprep.testing.strategies import corpora
from mlprep.text import CountVectorizer, HashingVectorizer, TfidfVectorizer

VECTORIZERS = [
    CountVectorizer(ngram_range=(1, 2)),
    TfidfVectorizer(sublinear_tf=True),
    HashingVectorizer(n_features=16),
]
DOCS = REAL_CORPUS[:8]
PRICE = [9.5, np.nan, 0.0, -3.25, 1e6, 7.0, np.nan, 2.0]
STOCK = [3, 0, 12, 7, 1, 0, 5, 2]
SALE = [True, False, True, True, False, False, True, False]


def _pandas() -> pd.DataFrame:
    return pd.DataFrame(
        {"price": PRICE, "review": DOCS, "stock": STOCK, "on_sale": SALE}
    )


def _polars() -> pl.DataFrame:
    return pl.DataFrame(
        {"price": PRICE, "review": DOCS, "stock": STOCK, "on_sale": SALE},
        nan_to_null=True,
    )


def _pyarrow() -> pa.Table:
    return pa.table(
        {
            "price": pa.array(PRICE, from_pandas=True),
            "review": DOCS,
            "stock": STOCK,
            "on_sale": SALE,
        }
    )


FRAMES = [_pandas, _polars, _pyarrow]


@pytest.fixture(params=VECTORIZERS, ids=lambda v: type(v).__name__)
def vectorizer(request: pytest.FixtureRequest) -> object:
    return clone(request.param)


def _text_block(vectorizer: object, X: sp.csr_matrix) -> np.ndarray:
    """The columns of ``X`` between ``price`` and ``stock``: the review's terms."""
    names = vectorizer.get_feature_names_out().tolist()
    return X.toarray()[:, names.index("price") + 1 : names.index("stock")]


@pytest.mark.parametrize("make", FRAMES, ids=["pandas", "polars", "pyarrow"])
def test_numeric_and_boolean_columns_pass_through_in_place(vectorizer, make) -> None:
    frame = make()
    X = vectorizer.fit_transform(frame)
    text_only = clone(vectorizer).fit_transform(pd.DataFrame({"review": DOCS}))
    width = text_only.shape[1]
    assert sp.issparse(X) and X.format == "csr" and X.dtype == np.float64
    assert X.shape == (len(DOCS), width + 3)
    names = vectorizer.get_feature_names_out().tolist()
    terms = [f"review_{t}" for t in clone(vectorizer).fit(DOCS).get_feature_names_out()]
    if isinstance(vectorizer, HashingVectorizer):
        terms = [t.replace("review_x0_", "review_") for t in terms]
    assert names == ["price", *terms, "stock", "on_sale"]
    assert vectorizer.columns_ == ["review"]
    assert vectorizer.passthrough_ == ["price", "stock", "on_sale"]
    dense = X.toarray()
    np.testing.assert_array_equal(dense[:, 0], np.array(PRICE))  # NaN where NaN
    np.testing.assert_array_equal(dense[:, width + 1], np.array(STOCK, dtype=float))
    np.testing.assert_array_equal(dense[:, width + 2], np.array(SALE, dtype=float))
    np.testing.assert_array_equal(_text_block(vectorizer, X), text_only.toarray())
    # transform stores each row sorted, fit_transform as scikit-learn does:
    # TF-IDF row norms may then differ in the last bit
    again = vectorizer.transform(frame)
    np.testing.assert_allclose(again.toarray(), dense, rtol=1e-15, atol=0)


def test_missing_values_are_stored_as_nan_like_the_sparse_one_hot_encoder() -> None:
    frame = pd.DataFrame(
        {
            "price": [1.5, np.nan, 0.0],
            "city": ["oslo", "lima", "oslo"],
            "vip": pd.array([True, None, False], dtype="boolean"),
        }
    )
    ours = CountVectorizer(binary=True).fit(frame)
    theirs = OneHotEncoder(sparse_output=True).fit(frame.drop(columns="vip"))
    X = ours.transform(frame)
    Y = theirs.transform(frame.drop(columns="vip"))
    assert ours.get_feature_names_out().tolist() == [
        *theirs.get_feature_names_out().tolist(),
        "vip",
    ]
    np.testing.assert_array_equal(X[:, :-1].toarray(), Y.toarray())
    assert X[1, 0] != X[1, 0] and X[1, 3] != X[1, 3]  # NaN, stored
    assert X.nnz == Y.nnz + 2  # vip: NaN stored, False (0) not


def test_the_place_of_each_column_is_the_one_hot_encoders() -> None:
    """One word per document: the term columns are the categories, in the same place."""
    frame = pd.DataFrame(
        {
            "a": [1.0, 2.0, 3.0, 4.0],
            "color": ["red", "blue", "red", "green"],
            "b": [0, 1, 0, 1],
            "size": ["small", "large", "large", "small"],
            "c": [True, False, True, False],
        }
    )
    ours = CountVectorizer()
    theirs = OneHotEncoder(sparse_output=True, columns=["color", "size"])
    X, Y = ours.fit_transform(frame), theirs.fit_transform(frame)
    assert ours.get_feature_names_out().tolist() == (
        theirs.get_feature_names_out().tolist()
    )
    np.testing.assert_array_equal(X.toarray(), Y.toarray())


def test_tfidf_equals_a_column_transformer_with_passthrough_remainder() -> None:
    frame = _pandas()
    ours = TfidfVectorizer(ngram_range=(1, 2), min_df=2)
    X = ours.fit_transform(frame).toarray()
    peer = ColumnTransformer(
        [("t", sk.TfidfVectorizer(ngram_range=(1, 2), min_df=2), "review")],
        remainder="passthrough",
    )
    Y = peer.fit_transform(frame)
    Y = Y.toarray() if sp.issparse(Y) else np.asarray(Y, dtype=float)
    theirs = {name: Y[:, i] for i, name in enumerate(peer.get_feature_names_out())}
    names = ours.get_feature_names_out().tolist()
    assert len(names) == len(theirs)
    for i, name in enumerate(names):
        if name in ours.passthrough_:  # passed through: the very values
            np.testing.assert_array_equal(
                X[:, i], theirs[f"remainder__{name}"], err_msg=name
            )
        else:  # weights: equal up to the last place (older scipy sums differently)
            peer_name = "t__" + name.removeprefix("review_")
            np.testing.assert_allclose(
                X[:, i], theirs[peer_name], rtol=1e-13, atol=1e-15, err_msg=name
            )


def test_vocabulary_and_idf_cover_the_term_columns_only() -> None:
    ours = TfidfVectorizer().fit(_pandas())
    names = ours.get_feature_names_out().tolist()
    vocabulary = ours.vocabulary_
    assert not set(ours.passthrough_) & set(vocabulary)
    assert len(vocabulary) == len(names) - len(ours.passthrough_)
    assert all(names[column] == name for name, column in vocabulary.items())
    alone = TfidfVectorizer().fit(pd.DataFrame({"review": DOCS}))
    assert len(ours.idf_) == len(vocabulary)
    np.testing.assert_array_equal(ours.idf_, alone.idf_)


@pytest.mark.parametrize("make", FRAMES, ids=["pandas", "polars", "pyarrow"])
def test_a_datetime_column_is_refused_by_name(vectorizer, make) -> None:
    frame = _with_datetime(make())
    with pytest.raises(DataError, match=r"column 'when'.*DatetimeFeatures.*drop it"):
        vectorizer.fit(frame)


def _with_datetime(frame: object) -> object:
    stamps = pd.date_range("2024-01-01", periods=len(DOCS), freq="D")
    if isinstance(frame, pd.DataFrame):
        return frame.assign(when=stamps)
    if isinstance(frame, pl.DataFrame):
        return frame.with_columns(pl.Series("when", list(stamps.to_pydatetime())))
    return frame.append_column("when", pa.array(stamps.to_pydatetime()))


def test_a_text_column_left_out_of_columns_is_refused(vectorizer) -> None:
    frame = _pandas().assign(title=["short title"] * len(DOCS))
    vectorizer.set_params(columns="review")
    with pytest.raises(DataError, match=r"column 'title'.*add it to columns="):
        vectorizer.fit(frame)
    with pytest.raises(DataError, match=r"column 'title'"):
        clone(vectorizer).partial_fit(frame)
    vectorizer.set_params(columns=["review", "title"]).fit(frame)
    assert vectorizer.passthrough_ == ["price", "stock", "on_sale"]


def test_a_category_column_is_refused() -> None:
    frame = _pandas().assign(grade=pd.Categorical(["a", "b"] * 4))
    with pytest.raises(DataError, match=r"column 'grade'.*mlprep.encode"):
        CountVectorizer().fit_transform(frame)


def test_fit_and_transform_agree_on_the_columns(vectorizer) -> None:
    frame = _pandas()
    fitted = vectorizer.fit(frame)
    with pytest.raises(DataError, match=r"seen at fit time, yet now missing:\n- stock"):
        fitted.transform(frame.drop(columns="stock"))
    with pytest.raises(DataError, match=r"unseen at fit time:\n- extra"):
        fitted.transform(frame.assign(extra=1.0))
    drifted = frame.assign(stock=[str(s) for s in STOCK])
    with pytest.raises(DataError, match=r"'stock' was numeric or boolean in fit"):
        fitted.transform(drifted)


@pytest.mark.parametrize(
    "docs",
    [DOCS, tuple(DOCS), np.array(DOCS, dtype=object), pd.Series(DOCS, name="review")],
    ids=["list", "tuple", "array", "series"],
)
def test_documents_alone_have_no_other_columns(vectorizer, docs) -> None:
    X = vectorizer.fit_transform(docs)
    assert vectorizer.passthrough_ == []
    expected = clone(vectorizer).fit_transform(pd.DataFrame({"review": DOCS}))
    np.testing.assert_array_equal(X.toarray(), expected.toarray())
    assert X.dtype == expected.dtype


def test_a_text_only_frame_keeps_bare_terms_and_integer_counts() -> None:
    frame = pd.DataFrame({"review": DOCS})
    vectorizer = CountVectorizer().fit(frame)
    assert vectorizer.passthrough_ == []
    assert vectorizer.transform(frame).dtype == np.int64
    assert "harbour" in vectorizer.get_feature_names_out().tolist()


def test_partial_fit_merge_and_lazy_fit_equal_fit(vectorizer) -> None:
    frame = _pandas()
    expected = clone(vectorizer).fit(frame)
    want = expected.transform(frame).toarray()
    batches = clone(vectorizer)
    for start in range(0, len(DOCS), 3):
        batches.partial_fit(frame.iloc[start : start + 3])
    shards = [clone(vectorizer).partial_fit(frame.iloc[i::2]) for i in range(2)]
    lazy = clone(vectorizer).fit(_polars().lazy())
    for other in (batches, mlprep.merge(shards), lazy):
        assert other.passthrough_ == expected.passthrough_
        assert other.get_feature_names_out().tolist() == (
            expected.get_feature_names_out().tolist()
        )
        np.testing.assert_array_equal(other.transform(frame).toarray(), want)


def test_lazy_fit_refuses_a_datetime_column_from_the_schema() -> None:
    lazy = pl.DataFrame(
        {"review": ["aa bb"], "when": [pd.Timestamp("2024-01-01").to_pydatetime()]}
    ).lazy()
    with pytest.raises(DataError, match="column 'when'"):
        CountVectorizer().fit(lazy)


def test_save_and_load_keep_the_passed_columns(vectorizer) -> None:
    frame = _pandas()
    fitted = vectorizer.fit(frame)
    loaded = mlprep.loads(mlprep.dumps(fitted))
    assert loaded.passthrough_ == ["price", "stock", "on_sale"]
    np.testing.assert_array_equal(
        loaded.transform(frame).toarray(), fitted.transform(frame).toarray()
    )
    fitted.passthrough_ = ["price"]
    with pytest.raises(PersistenceError, match="passthrough_"):
        mlprep.loads(mlprep.dumps(fitted))


def test_a_vectorizer_saved_before_passthrough_keeps_its_output() -> None:
    """A file from an older mlprep has no ``passthrough_``: the text blocks alone."""
    frame = _pandas()
    fitted = CountVectorizer().fit(frame)
    del fitted.passthrough_  # what an older version stored
    old = mlprep.loads(mlprep.dumps(fitted))
    X = old.transform(frame)
    expected = CountVectorizer().fit_transform(frame[["review"]])
    np.testing.assert_array_equal(X.toarray(), expected.toarray())
    assert X.dtype == np.int64
    assert old.get_feature_names_out().tolist() == (
        CountVectorizer().fit(DOCS).get_feature_names_out().tolist()
    )


def test_a_passed_column_named_like_a_term_column_is_refused() -> None:
    frame = pd.DataFrame({"review": ["good phone", "bad"], "review_good": [1, 2]})
    with pytest.raises(DataError, match=r"two output columns named 'review_good'"):
        CountVectorizer().fit(frame)
    with pytest.raises(DataError, match=r"two output columns named 'review_good'"):
        TfidfVectorizer().partial_fit(frame)
    hashed = pd.DataFrame({"review": ["good phone"], "review_hash_7": [1.0]})
    with pytest.raises(DataError, match=r"two output columns named 'review_hash_7'"):
        HashingVectorizer(n_features=8).fit(hashed)
    for free in ("review_hash_8", "review_hash_07", "review_hash_"):
        names = HashingVectorizer(n_features=8).fit(
            hashed.rename(columns={"review_hash_7": free})
        )
        assert names.get_feature_names_out().tolist()[-1] == free


def test_set_output_pandas_names_the_passed_columns(vectorizer) -> None:
    frame = _pandas()
    out = vectorizer.set_output(transform="pandas").fit_transform(frame)
    assert list(out.columns) == vectorizer.get_feature_names_out().tolist()
    np.testing.assert_array_equal(out["stock"].to_numpy(dtype=float), STOCK)


def test_the_input_is_not_modified(vectorizer) -> None:
    frame = _pandas()
    before = frame.copy()
    vectorizer.fit_transform(frame)
    pd.testing.assert_frame_equal(frame, before)


_NUMBERS = st.one_of(
    st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), min_size=1).map(
        lambda v: pd.Series(v, dtype="float64")
    ),
    st.lists(st.integers(-(2**53), 2**53), min_size=1).map(
        lambda v: pd.Series(v, dtype="int64")
    ),
    st.lists(st.booleans(), min_size=1).map(lambda v: pd.Series(v, dtype="bool")),
)


@given(
    docs=corpora(min_docs=1, max_docs=8, wordy=True),
    columns=st.lists(_NUMBERS, min_size=1, max_size=4),
    text_at=st.integers(0, 4),
    which=st.sampled_from(VECTORIZERS),
)
@settings(max_examples=60, deadline=None)
def test_random_numeric_columns_pass_through_unchanged(
    docs, columns, text_at, which
) -> None:
    n = len(docs)
    numbers = {
        f"n{i}": pd.Series(np.resize(c.to_numpy(), n), dtype=c.dtype)
        for i, c in enumerate(columns)
    }
    names = list(numbers)
    names.insert(min(text_at, len(names)), "text")
    frame = pd.DataFrame({**numbers, "text": pd.Series(docs, dtype=object)})[names]
    text_only = frame[["text"]]
    try:
        expected = clone(which).fit_transform(text_only)
    except DataError:  # empty vocabulary: the frame must fail the same way
        with pytest.raises(DataError, match="no terms"):
            clone(which).fit(frame)
        return
    vectorizer = clone(which)
    X = vectorizer.fit_transform(frame)
    dense = X.toarray()
    position = names.index("text")
    width = expected.shape[1]
    assert X.shape == (n, width + len(numbers))
    block = dense[:, position : position + width]
    np.testing.assert_array_equal(block, expected.toarray())
    for name in numbers:
        i = names.index(name)
        at = i if i < position else i + width - 1
        assert vectorizer.get_feature_names_out()[at] == name
        np.testing.assert_array_equal(
            dense[:, at], frame[name].to_numpy(dtype=np.float64)
        )
    again = vectorizer.transform(frame).toarray()
    np.testing.assert_allclose(again, dense, rtol=1e-15, atol=0)
