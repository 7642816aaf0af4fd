"""Tokenizer: text columns become token-list columns, in every container."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.base import clone

import mlprep
from mlprep.testing.strategies import as_backend, text_frames
from mlprep.text import Tokenizer, tokenize


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "review": ["The cat is on the mat", None, "Running dogs, running!", ""],
            "stars": [5, 3, 4, 1],
        }
    )


@pytest.mark.parametrize("backend", ["pandas", "polars", "pyarrow", "numpy"])
def test_tokenizer_replaces_text_with_token_lists(backend: str) -> None:
    data = _frame() if backend != "numpy" else _frame()[["review"]]
    out = Tokenizer(stop_words=["the", "is"]).fit_transform(as_backend(data, backend))
    if backend == "numpy":
        column = list(out[:, 0])
    elif backend == "pyarrow":
        column = out.column("review").to_pylist()
        assert str(out.schema.field("review").type) == "list<item: string>"
    elif backend == "polars":
        import polars as pl

        column = out["review"].to_list()
        assert out.schema["review"] == pl.List(pl.String)
        assert out["stars"].to_list() == [5, 3, 4, 1]
    else:
        column = out["review"].tolist()
        assert out["stars"].tolist() == [5, 3, 4, 1]
    assert [list(tokens) for tokens in column] == [
        ["cat", "on", "mat"],
        [],
        ["running", "dogs", "running"],
        [],
    ]


def test_tokenizer_options_chain() -> None:
    pytest.importorskip("nltk")
    frame = pd.DataFrame({"text": ["The children were running to the café"]})
    out = Tokenizer(
        stop_words="english",
        lemmatizer="rules",
        stemmer="porter",
        strip_accents="unicode",
        ngram_range=(1, 2),
    ).fit_transform(frame)
    assert out["text"].tolist() == [["child", "run", "cafe", "child run", "run cafe"]]


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("regex", ["don't", "stop", "me", "now"]),
        ("whitespace", ["don't", "stop", "me", "now!!", ":-)"]),
        ("wordpunct", ["don", "'", "t", "stop", "me", "now", "!!", ":-)"]),
        ("treebank", ["do", "n't", "stop", "me", "now", "!", "!", ":", "-", ")"]),
        ("tweet", ["don't", "stop", "me", "now", "!", "!", ":-)"]),
    ],
)
def test_tokenizer_methods(method: str, expected: list[str]) -> None:
    if method in ("treebank", "tweet"):
        pytest.importorskip("nltk")
    frame = pd.DataFrame({"t": ["Don't stop me now!! :-)"]})
    assert Tokenizer(method=method).fit_transform(frame)["t"].tolist() == [expected]


def test_tokenizer_several_columns_and_selection() -> None:
    frame = pd.DataFrame({"a": ["x y"], "b": ["z"], "n": [1.0]})
    both = Tokenizer().fit(frame)
    assert both.columns_ == ["a", "b"]
    assert both.get_feature_names_out().tolist() == ["a", "b", "n"]
    only = Tokenizer(columns="b").fit_transform(frame)
    assert only["a"].tolist() == ["x y"] and only["b"].tolist() == [["z"]]


def test_tokenizer_round_trips(tmp_path: object) -> None:
    frame = _frame()
    tokenizer = Tokenizer(token_pattern=r"[a-z]+", ngram_range=(1, 2)).fit(frame)
    path = tmp_path / "tok.json"  # type: ignore[operator]
    mlprep.save(tokenizer, path)
    loaded = mlprep.load(path)
    assert (
        loaded.transform(frame)["review"].tolist()
        == tokenizer.transform(frame)["review"].tolist()
    )
    assert clone(tokenizer).get_params() == tokenizer.get_params()


def test_tokenizer_does_not_touch_input() -> None:
    frame = _frame()
    before = frame.copy()
    Tokenizer().fit_transform(frame)
    pd.testing.assert_frame_equal(frame, before)
    assert np.all(frame["review"].isna() == before["review"].isna())


@given(
    frame=text_frames(columns=("title", "body")),
    backend=st.sampled_from(["pandas", "polars", "pyarrow"]),
)
def test_tokenizer_cells_equal_tokenize(frame: pd.DataFrame, backend: str) -> None:
    # named explicitly, an all-missing column (pyarrow/polars null type) is text too
    tokenizer = Tokenizer(ngram_range=(1, 2), columns=["title", "body"])
    out = tokenizer.fit_transform(as_backend(frame, backend))
    for column in ("title", "body"):
        cells = (
            out[column].to_list()
            if backend != "pyarrow"
            else out.column(column).to_pylist()
        )
        assert [list(cell) for cell in cells] == tokenize(
            frame[column].tolist(), ngram_range=(1, 2)
        )
