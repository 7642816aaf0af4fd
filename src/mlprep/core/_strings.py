"""The string door: text columns as Python strings, and bulk string kernels on them.

Text features need two things from the backends: the documents of a text
column as Python ``str`` (tokenizing runs Python's ``re``, so that
``token_pattern`` means exactly what it means in scikit-learn), and a few
bulk string kernels that Arrow runs in C++ — integer-coding tokens, splitting
ASCII documents into word runs, joining words into n-gram strings. Families
call the helpers here and never pyarrow or pandas themselves.

Design rule of the door
-----------------------
A helper that materializes data in memory says so in its name:
:func:`text_list` reads a column into a Python list. The kernels take
Python lists (or numpy arrays) the caller already holds and return numpy
arrays and lists; they never receive a container, so a lazy backend only
changes :func:`text_list`. Every kernel has a pure-Python fallback for text
Arrow cannot hold (strings that UTF-8 cannot encode, such as lone
surrogates), with identical results.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import narwhals.stable.v2 as nw
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from mlprep.core._codes import is_missing_scalar
from mlprep.exceptions import DataError

__all__ = [
    "CodedTokens",
    "encode_token_lists",
    "join_words",
    "split_word_runs",
    "text_list",
]

CodedTokens = tuple[np.ndarray, np.ndarray, list[str]]
"""Tokens of a corpus as integer codes: ``(codes, offsets, words)``.

``codes[offsets[d]:offsets[d + 1]]`` are document ``d``'s tokens in order,
each an index into ``words`` (the distinct tokens, in order of first
appearance). ``codes`` and ``offsets`` are int64; ``offsets`` has one entry
more than there are documents and starts at 0.
"""

_ARROW_ERRORS = (pa.ArrowException, UnicodeEncodeError)


def text_list(frame: nw.DataFrame, column: str, *, owner: str) -> list[str]:
    """The documents of a text column as a list of ``str``; missing values become ``""``.

    Parameters
    ----------
    frame : narwhals.DataFrame
    column : str
        A column of strings (any backend; pandas object columns too).
    owner : str
        The calling class, for messages.

    Returns
    -------
    list of str
        One document per row. None, NaN, pandas ``NA`` and nulls are ``""``;
        ``str`` subclasses become plain ``str``.

    Raises
    ------
    DataError
        A value is neither text nor missing (a number in an object column).

    Examples
    --------
    >>> import pandas as pd
    >>> frame = nw.from_native(pd.DataFrame({"t": ["a b", None, float("nan")]}))
    >>> text_list(frame, "t", owner="Demo")
    ['a b', '', '']
    """
    out = []
    for value in frame[column].to_list():
        if type(value) is str:
            out.append(value)
        elif isinstance(value, str):
            out.append(str(value))
        elif is_missing_scalar(value):
            out.append("")
        else:
            raise DataError(
                f"{owner} needs text in column {column!r}, but found a "
                f"{type(value).__name__} value {value!r}. Convert the column to "
                "strings first (e.g. df[col].astype(str)) or leave it out of columns=."
            )
    return out


def encode_token_lists(token_lists: Sequence[Sequence[str]]) -> CodedTokens:
    """Integer-code the tokens of every document (Arrow's ``dictionary_encode``).

    Parameters
    ----------
    token_lists : sequence of sequences of str
        Each document's tokens, in order.

    Returns
    -------
    CodedTokens
        ``(codes, offsets, words)``, see :data:`CodedTokens`.

    Examples
    --------
    >>> codes, offsets, words = encode_token_lists([["b", "a", "b"], [], ["a"]])
    >>> codes.tolist(), offsets.tolist(), words
    ([0, 1, 0, 1], [0, 3, 3, 4], ['b', 'a'])
    """
    try:
        array = pa.array(token_lists, type=pa.list_(pa.string()))
    except _ARROW_ERRORS:
        return _encode_token_lists_python(token_lists)
    if isinstance(array, pa.ChunkedArray):  # pragma: no cover - > 2 GiB of text
        return _encode_token_lists_python(token_lists)
    encoded = pc.dictionary_encode(array.flatten())
    codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    offsets = np.asarray(array.offsets.to_numpy(), dtype=np.int64)
    offsets = offsets - offsets[0]
    return codes, offsets, encoded.dictionary.to_pylist()


def _encode_token_lists_python(token_lists: Sequence[Sequence[str]]) -> CodedTokens:
    """:func:`encode_token_lists` with a Python dict (any ``str``, lone surrogates too)."""
    index: dict[str, int] = {}
    codes = np.fromiter(
        (
            index.setdefault(token, len(index))
            for tokens in token_lists
            for token in tokens
        ),
        dtype=np.int64,
    )
    offsets = np.zeros(len(token_lists) + 1, dtype=np.int64)
    lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(token_lists))
    np.cumsum(lengths, out=offsets[1:])
    return codes, offsets, list(index)


def split_word_runs(
    docs: Sequence[str],
    *,
    min_length: int,
    lowercase: bool,
    split_other: Callable[[list[str]], list[list[str]]],
) -> CodedTokens:
    """Integer-coded word-run tokens of every document, the ASCII ones split in bulk.

    The tokens of an ASCII document are its maximal runs of ``[0-9A-Za-z_]``
    of at least ``min_length`` characters (after ASCII lowercasing when
    ``lowercase``): on ASCII text that is exactly what Python's ``\\w+`` and
    ``\\b\\w\\w+\\b`` find, and Arrow's RE2 kernels find it for all ASCII
    documents at once. The other documents (where RE2's ASCII ``\\w`` would
    differ from Python's Unicode one) are split by ``split_other``, the
    caller's exact tokenizer, and their tokens merged back in document order.

    Parameters
    ----------
    docs : sequence of str
        The documents (not yet lowercased).
    min_length : int
        The shortest token kept (1 or 2).
    lowercase : bool
        Lowercase ASCII documents first (equal to ``str.lower`` on ASCII).
    split_other : callable
        ``split_other(documents) -> token lists``, applied to the documents
        that are not ASCII (and to all of them when Arrow cannot hold the
        text); it must normalize them the way the caller wants.

    Returns
    -------
    CodedTokens
        ``(codes, offsets, words)``, see :data:`CodedTokens`.

    Examples
    --------
    >>> import re
    >>> def python_words(docs):
    ...     return [re.findall(r"(?u)\\b\\w\\w+\\b", doc.lower()) for doc in docs]
    >>> codes, offsets, words = split_word_runs(
    ...     ["The cat, the HAT", "Ünïcödé cat", "a b"],
    ...     min_length=2, lowercase=True, split_other=python_words,
    ... )
    >>> [[words[c] for c in codes[a:b]] for a, b in zip(offsets[:-1], offsets[1:])]
    [['the', 'cat', 'the', 'hat'], ['ünïcödé', 'cat'], []]
    """
    n_docs = len(docs)
    try:
        array = pa.array(docs, type=pa.string())
    except _ARROW_ERRORS:
        return encode_token_lists(split_other(list(docs)))
    if isinstance(array, pa.ChunkedArray):  # pragma: no cover - > 2 GiB of text
        return encode_token_lists(split_other(list(docs)))
    is_ascii = np.asarray(
        pc.string_is_ascii(array).to_numpy(zero_copy_only=False), dtype=bool
    )
    ascii_rows = np.flatnonzero(is_ascii)
    if len(ascii_rows) == 0:
        return encode_token_lists(split_other(list(docs)))
    part = array if len(ascii_rows) == n_docs else array.take(pa.array(ascii_rows))
    if lowercase:
        part = pc.ascii_lower(part)
    pieces = pc.split_pattern_regex(part, pattern="[^0-9A-Za-z_]+")
    values = pc.list_flatten(pieces)
    parents = np.asarray(pc.list_parent_indices(pieces).to_numpy(), dtype=np.int64)
    long_enough = np.asarray(
        pc.greater_equal(pc.binary_length(values), min_length).to_numpy(
            zero_copy_only=False
        ),
        dtype=bool,
    )
    values = values.filter(pa.array(long_enough))
    doc_ids = ascii_rows[parents[long_enough]]
    if len(ascii_rows) < n_docs:
        other_rows = np.flatnonzero(~is_ascii)
        lists = split_other([docs[int(i)] for i in other_rows])
        try:
            other = pa.array([t for tokens in lists for t in tokens], type=pa.string())
        except _ARROW_ERRORS:
            return encode_token_lists(split_other(list(docs)))
        sizes = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
        values = pa.concat_arrays([values, other])
        doc_ids = np.concatenate([doc_ids, np.repeat(other_rows, sizes)])
        order = np.argsort(doc_ids, kind="stable")
        values, doc_ids = values.take(pa.array(order)), doc_ids[order]
    encoded = pc.dictionary_encode(values)
    codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    offsets = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(np.bincount(doc_ids, minlength=n_docs), out=offsets[1:])
    return codes, offsets, encoded.dictionary.to_pylist()


def join_words(
    words: Sequence[str], parts: np.ndarray, separator: str = " "
) -> list[str]:
    """One string per row of ``parts``: the words it indexes, joined by ``separator``.

    Joined in C++ by Arrow (``take`` then ``binary_join_element_wise``); text
    UTF-8 cannot encode falls back to numpy object concatenation.

    Parameters
    ----------
    words : sequence of str
        The distinct words.
    parts : ndarray of int, shape (n, k)
        Row ``i`` lists the indices into ``words`` of string ``i``'s words.
    separator : str, default=" "

    Returns
    -------
    list of str, length n

    Examples
    --------
    >>> import numpy as np
    >>> join_words(["new", "york", "city"], np.array([[0, 1], [1, 2]]))
    ['new york', 'york city']
    """
    parts = np.asarray(parts)
    try:
        table = pa.array(words, type=pa.string())
    except _ARROW_ERRORS:
        return _join_words_python(words, parts, separator)
    columns = [table.take(pa.array(parts[:, k])) for k in range(parts.shape[1])]
    if len(columns) == 1:
        joined = columns[0]
    else:
        joined = pc.binary_join_element_wise(*columns, separator)
    result: list[str] = joined.to_pylist()
    return result


def _join_words_python(
    words: Sequence[str], parts: np.ndarray, separator: str
) -> list[str]:
    """:func:`join_words` with numpy object arrays (any ``str``, lone surrogates too)."""
    table = np.empty(len(words), dtype=object)
    table[:] = list(words)
    joined = table[parts[:, 0]]
    for k in range(1, parts.shape[1]):
        joined = joined + separator + table[parts[:, k]]
    result: list[str] = joined.tolist()
    return result
