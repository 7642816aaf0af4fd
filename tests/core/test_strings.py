"""The string door: text columns as str, and the bulk string kernels against Python."""

from __future__ import annotations

import itertools
import re

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mlprep.core._strings import (
    _encode_token_lists_python,
    _join_words_python,
    encode_token_lists,
    join_words,
    split_word_runs,
    text_list,
)
from mlprep.exceptions import DataError
from mlprep.testing.strategies import TRICKY_CHARACTERS


def _decode(
    codes: np.ndarray, offsets: np.ndarray, words: list[str]
) -> list[list[str]]:
    table = np.array([*words, "<pad>"], dtype=object)
    return [table[codes[a:b]].tolist() for a, b in itertools.pairwise(offsets.tolist())]


@pytest.mark.parametrize(
    "native",
    [
        pd.DataFrame({"t": pd.Series(["a", None, np.nan, pd.NA, ""], dtype=object)}),
        pd.DataFrame({"t": pd.Series(["a", None, None, None, ""], dtype="string")}),
        pl.DataFrame({"t": ["a", None, None, None, ""]}),
        pa.table({"t": ["a", None, None, None, ""]}),
    ],
    ids=["pandas-object", "pandas-string", "polars", "pyarrow"],
)
def test_text_list_missing_are_empty_documents(native: object) -> None:
    frame = nw.from_native(native, eager_only=True)
    assert text_list(frame, "t", owner="X") == ["a", "", "", "", ""]


def test_text_list_refuses_non_text_values() -> None:
    frame = nw.from_native(pd.DataFrame({"c": pd.Series(["a", 1.5], dtype=object)}))
    with pytest.raises(DataError, match=r"X needs text in column 'c'.*float"):
        text_list(frame, "c", owner="X")


def test_text_list_turns_str_subclasses_into_str() -> None:
    class Note(str):
        pass

    frame = nw.from_native(pd.DataFrame({"c": pd.Series([Note("hi")], dtype=object)}))
    values = text_list(frame, "c", owner="X")
    assert values == ["hi"] and type(values[0]) is str


@given(
    lists=st.lists(
        st.lists(st.sampled_from(["a", "b", "é", "a b", ""]), max_size=5), max_size=6
    )
)
def test_encode_token_lists_arrow_and_python_agree(lists: list[list[str]]) -> None:
    for codes, offsets, words in (
        encode_token_lists(lists),
        _encode_token_lists_python(lists),
    ):
        assert codes.dtype == np.int64 and offsets.dtype == np.int64
        assert _decode(codes, offsets, words) == lists
        assert len(set(words)) == len(words)
    assert encode_token_lists(lists)[2] == _encode_token_lists_python(lists)[2]


def test_encode_token_lists_handles_lone_surrogates() -> None:
    codes, offsets, words = encode_token_lists([["\ud800x", "a"], ["a"]])
    assert words == ["\ud800x", "a"] and codes.tolist() == [0, 1, 1]
    assert offsets.tolist() == [0, 2, 3]


def _python_runs(min_length: int, lowercase: bool):  # type: ignore[no-untyped-def]
    pattern = re.compile(r"(?u)\b\w\w+\b" if min_length == 2 else r"(?u)\w+")

    def split(docs: list[str]) -> list[list[str]]:
        return [pattern.findall(doc.lower() if lowercase else doc) for doc in docs]

    return split


@given(
    docs=st.lists(
        st.text(alphabet=TRICKY_CHARACTERS + "abcXYZ_09 ,.", max_size=30), max_size=8
    ),
    min_length=st.sampled_from([1, 2]),
    lowercase=st.booleans(),
)
def test_split_word_runs_equals_python_re(
    docs: list[str], min_length: int, lowercase: bool
) -> None:
    split = _python_runs(min_length, lowercase)
    codes, offsets, words = split_word_runs(
        docs, min_length=min_length, lowercase=lowercase, split_other=split
    )
    assert len(offsets) == len(docs) + 1
    assert _decode(codes, offsets, words) == split(docs)


def test_split_word_runs_keeps_document_order_with_mixed_scripts() -> None:
    docs = ["plain ascii", "Ünïcödé wörds", "", "more ascii_text here", "ΣΑΣ και"]
    split = _python_runs(2, True)
    result = split_word_runs(docs, min_length=2, lowercase=True, split_other=split)
    assert _decode(*result) == split(docs)


def test_split_word_runs_falls_back_on_text_arrow_cannot_hold() -> None:
    docs = ["ok words", "bad \ud800 text"]
    split = _python_runs(1, False)
    result = split_word_runs(docs, min_length=1, lowercase=False, split_other=split)
    assert _decode(*result) == split(docs)


@given(
    words=st.lists(st.text(max_size=4), min_size=1, max_size=6, unique=True),
    data=st.data(),
)
def test_join_words_equals_python_join(words: list[str], data: st.DataObject) -> None:
    width = data.draw(st.integers(1, 3))
    rows = data.draw(
        st.lists(
            st.lists(st.integers(0, len(words) - 1), min_size=width, max_size=width),
            max_size=5,
        )
    )
    parts = np.array(rows, dtype=np.int64).reshape(len(rows), width)
    expected = ["-".join(words[i] for i in row) for row in rows]
    assert join_words(words, parts, "-") == expected
    assert _join_words_python(words, parts, "-") == expected


def test_join_words_handles_lone_surrogates() -> None:
    joined = join_words(["\ud800", "a"], np.array([[0, 1], [1, 1]]))
    assert joined == ["\ud800 a", "a a"]
