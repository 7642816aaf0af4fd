"""n-grams of one block of documents as integer ids, char n-grams, count matrices.

A bigram at position ``i`` is the pair ``(code[i], code[i + 1])`` packed into
one int64 key (``code[i] * n_words + code[i + 1]``) and factorized; a trigram
key packs the bigram's id with the next code the same way, and so on. No
n-gram string is built per occurrence: strings are made once per distinct
term, and only for the terms that are asked for (:func:`term_strings`).

The occurrences are laid out as scikit-learn's analyzer emits them: document
by document, and within a document its unigrams, then its bigrams, ... each
in position order. A block's documents are therefore the rows of a CSR-like
``(indptr, term)`` pair, and the first occurrence of a term is its first
position in that stream. :mod:`mlprep.text._terms` merges the blocks of a
corpus into one vocabulary.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from mlprep.core import factorize_array, join_words

__all__ = [
    "INT32_MAX",
    "SLICE",
    "NgramTable",
    "char_ngram_lists",
    "first_occurrences",
    "joined_terms",
    "sorted_groups",
    "stack_rows",
    "term_parts",
    "term_strings",
    "word_ngrams",
]


@dataclass
class NgramTable:
    """The n-gram occurrences of a block of documents, as integer ids.

    ``term[indptr[d]:indptr[d + 1]]`` are document ``d``'s n-grams in
    scikit-learn's analyzer order (its unigrams, then its bigrams, ... each by
    position); terms of length ``min_n`` come first in the id space, then
    those of length ``min_n + 1``, ...

    ``keys[n - 1]`` holds the distinct n-grams of every length ``n`` up to
    ``max_n`` (shorter ones too: longer n-grams are built on them), numbered
    in order of first appearance, each as a key: a unigram's key is its word
    code (none are listed when unigrams are not counted); an n-gram's is
    ``prefix * n_words + code`` with ``prefix`` the index in ``keys[n - 2]``
    of its first ``n - 1`` tokens (for a bigram: the first token's word
    code). ``first[n - min_n]`` is the stream position of each length-``n``
    term's first occurrence. ``words[:n_words]`` are the words the codes
    point into.
    """

    indptr: np.ndarray
    term: np.ndarray
    keys: list[np.ndarray]
    first: list[np.ndarray]
    min_n: int
    words: list[str]
    n_words: int

    @property
    def n_docs(self) -> int:
        return len(self.indptr) - 1

    @property
    def sizes(self) -> list[int]:
        """The number of distinct terms of each length ``min_n .. max_n``."""
        return [len(keys) for keys in self.keys[self.min_n - 1 :]]

    @property
    def n_terms(self) -> int:
        return sum(self.sizes)

    @property
    def doc(self) -> np.ndarray:
        """The document of each occurrence in ``term``."""
        return np.repeat(np.arange(self.n_docs, dtype=np.int64), np.diff(self.indptr))


SLICE = 1 << 20
"""Elements per slice of the loops that avoid whole-array temporaries."""

INT32_MAX = int(np.iinfo(np.int32).max)
"""The largest index an int32 index array holds."""


def word_ngrams(
    codes: np.ndarray,
    offsets: np.ndarray,
    words: list[str],
    ngram_range: tuple[int, int],
) -> NgramTable:
    """The word n-grams of every document of a block, from integer token codes.

    ``codes[offsets[d]:offsets[d + 1]]`` are document ``d``'s token codes,
    indices into ``words``.

    Examples
    --------
    >>> words = ["new", "york", "city"]
    >>> table = word_ngrams(np.array([0, 1, 2, 0, 1]), np.array([0, 3, 5]), words, (1, 2))
    >>> strings = term_strings(table, np.arange(table.n_terms))
    >>> [strings[table.term[a:b]].tolist() for a, b in zip(table.indptr, table.indptr[1:])]
    [['new', 'york', 'city', 'new york', 'york city'], ['new', 'york', 'new york']]
    """
    min_n, max_n = ngram_range
    codes = np.asarray(codes, dtype=np.int64)
    offsets = np.asarray(offsets, dtype=np.int64)
    n_words = max(len(words), 1)
    n_docs = len(offsets) - 1
    n_tokens = len(codes)
    sizes = np.diff(offsets)
    per_length = [np.maximum(sizes - (n - 1), 0) for n in range(min_n, max_n + 1)]
    indptr = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(np.sum(per_length, axis=0), out=indptr[1:])
    term = np.empty(int(indptr[-1]), dtype=np.int64)
    doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), sizes)
    # stream position of the n-gram starting at token i of document d: block[d] + i
    block = indptr[:-1] - offsets[:-1]
    keys: list[np.ndarray] = []
    first: list[np.ndarray] = []
    prefix = codes  # id of the (n-1)-gram starting at each position (words for n = 2)
    n_prefixes = 1  # keys below n_prefixes * n_words
    n_ids = 0
    for n in range(1, max_n + 1):
        if n == 1:
            if min_n > 1:  # unigrams are no terms; bigrams start from word codes
                keys.append(np.zeros(0, dtype=np.int64))
                n_prefixes = n_words
                continue
            starts = np.arange(n_tokens, dtype=np.int64)
            key = codes
        else:
            count = max(n_tokens - n + 1, 0)
            starts = np.flatnonzero(doc_of[:count] == doc_of[n - 1 : n - 1 + count])
            key = prefix[starts] * n_words + codes[starts + n - 1]
        if n_prefixes * n_words <= 1 << 32:  # a narrower hash table
            key = key.astype(np.uint32)
        ids, uniques = factorize_array(key)  # numbered in order of appearance
        del key
        keys.append(np.asarray(uniques, dtype=np.int64))
        n_prefixes = n_words if n == 1 else len(uniques)
        if 2 <= n < max_n:
            prefix = np.full(n_tokens, -1, dtype=np.int64)
            prefix[starts] = ids
        if n >= min_n:
            position = block[doc_of[starts]] + starts
            term[position] = ids + n_ids
            first.append(position[first_occurrences(ids, len(uniques))])
            n_ids += len(uniques)
            block += per_length[n - min_n]
    return NgramTable(indptr, term, keys, first, min_n, words, n_words)


def first_occurrences(ids: np.ndarray, n_ids: int) -> np.ndarray:
    """Index of the first occurrence of each id ``0..n_ids - 1`` (all present) in ``ids``.

    Ids numbered in order of appearance (what factorizing produces) are read
    off the running maximum; otherwise sort.

    Examples
    --------
    >>> first_occurrences(np.array([0, 1, 0, 2, 1]), 3).tolist()
    [0, 1, 3]
    >>> first_occurrences(np.array([1, 0, 1]), 2).tolist()
    [1, 0]
    """
    if len(ids):
        running = np.maximum.accumulate(ids)
        new = np.empty(len(ids), dtype=bool)
        new[0] = True
        np.greater(running[1:], running[:-1], out=new[1:])
        first = np.flatnonzero(new)
        if len(first) == n_ids and np.array_equal(ids[first], np.arange(n_ids)):
            return first
    return sorted_groups(ids)[2]


def sorted_groups(
    keys: np.ndarray, *, overwrite: bool = False, group_dtype: type = np.int64
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Group equal non-negative int64 keys, numbering the groups in key order.

    Parameters
    ----------
    keys : ndarray of int64
    overwrite : bool, default=False
        The keys may be overwritten (saves a copy).
    group_dtype : numpy integer type, default=np.int64
        The dtype of ``group`` (int32 halves it when the groups fit).

    Returns
    -------
    group : ndarray of group_dtype
        The group of each key: its key's rank among the distinct keys.
    uniques : ndarray of int64
        The distinct keys, sorted.
    first : ndarray of int64
        The index of each group's first key.

    Notes
    -----
    When key and index fit in 63 bits together, they are packed into one
    int64 and sorted by value (several times faster than ``argsort``);
    otherwise a stable ``argsort``. Both order equal keys by index.

    Examples
    --------
    >>> group, uniques, first = sorted_groups(np.array([7, 3, 7, 5]))
    >>> group.tolist(), uniques.tolist(), first.tolist()
    ([2, 0, 2, 1], [3, 5, 7], [1, 3, 0])
    """
    keys = np.asarray(keys, dtype=np.int64)
    n = len(keys)
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    index_bits = max(int(n - 1).bit_length(), 1)
    if int(keys.max()).bit_length() + index_bits <= 63:
        packed = keys if overwrite else keys.copy()
        packed <<= index_bits
        for start in range(0, n, SLICE):  # packed |= arange(n), a slice at a time
            stop = min(start + SLICE, n)
            packed[start:stop] |= np.arange(start, stop, dtype=np.int64)
        packed.sort()
        order = packed & ((1 << index_bits) - 1)
        packed >>= index_bits
        ordered = packed
    else:
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
    new = np.empty(n, dtype=bool)
    new[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new[1:])
    uniques = ordered[new]
    first = order[new]
    rank = np.cumsum(new, out=ordered)  # the sorted keys are no longer needed
    rank -= 1
    del new
    group: np.ndarray = np.empty(n, dtype=group_dtype)
    group[order] = rank
    return group, uniques, first


def term_parts(
    keys: list[np.ndarray], n: int, ids: np.ndarray, n_words: int
) -> np.ndarray:
    """The word codes of length-``n`` terms: an array of shape ``(len(ids), n)``.

    ``ids`` index ``keys[n - 1]``; each key is unpacked down the chain of
    shorter n-grams (see :class:`NgramTable`).
    """
    parts = np.empty((len(ids), n), dtype=np.int64, order="F")  # contiguous columns
    current = np.asarray(ids, dtype=np.int64)
    if n == 1:
        parts[:, 0] = keys[0][current]
        return parts
    for level in range(n, 1, -1):
        key = keys[level - 1][current]
        parts[:, level - 1] = key % n_words
        current = key // n_words
    parts[:, 0] = current
    return parts


def term_strings(table: NgramTable, terms: np.ndarray) -> np.ndarray:
    """The space-joined strings of a block's ``terms`` (an object array).

    Built once per term, in bulk (:func:`mlprep.core._strings.join_words`).
    """
    return joined_terms(
        np.asarray(terms, dtype=np.int64),
        words=table.words,
        keys=table.keys,
        sizes=table.sizes,
        min_n=table.min_n,
        n_words=table.n_words,
    )


def joined_terms(
    terms: np.ndarray,
    *,
    words: list[str],
    keys: list[np.ndarray],
    sizes: Sequence[int],
    min_n: int,
    n_words: int,
) -> np.ndarray:
    """The space-joined strings of term ids numbered n-gram length by length.

    Ids ``[0, sizes[0])`` are the ``min_n``-grams, the next ``sizes[1]`` the
    ``min_n + 1``-grams, and so on; each length's words come from ``keys``
    (:func:`term_parts`) and are joined in bulk.
    """
    out = np.empty(len(terms), dtype=object)
    start = 0
    for n, size in enumerate(sizes, start=min_n):
        mask = (terms >= start) & (terms < start + size)
        if mask.any():
            parts = term_parts(keys, n, terms[mask] - start, n_words)
            out[mask] = join_words(words, parts)
        start += size
    return out


def char_ngram_lists(
    docs: list[str], ngram_range: tuple[int, int], *, word_bounded: bool
) -> list[list[str]]:
    """scikit-learn's ``char`` / ``char_wb`` n-grams of each normalized document."""
    min_n, max_n = ngram_range
    squeeze = _WHITE_SPACES.sub
    out = []
    for doc in docs:
        text = squeeze(" ", doc)
        grams: list[str] = []
        if word_bounded:
            for word in text.split():
                padded = f" {word} "
                size = len(padded)
                for n in range(min_n, max_n + 1):
                    if n >= size:
                        grams.append(padded)  # a short word counts once
                        break
                    grams.extend(padded[i : i + n] for i in range(size - n + 1))
        else:
            size = len(text)
            for n in range(min_n, min(max_n, size) + 1):
                grams.extend(text[i : i + n] for i in range(size - n + 1))
        out.append(grams)
    return out


_WHITE_SPACES = re.compile(r"\s\s+")


def stack_rows(
    pieces: list[sp.csr_matrix], n_columns: int, index_dtype: type | None = None
) -> sp.csr_matrix:
    """CSR row blocks one below the other, each released once it is copied.

    ``pieces`` (at least one) is emptied as it is read, so a block's arrays
    can be freed before the next is copied. ``index_dtype`` is the dtype of
    the indices and indptr: by default int32 when they fit, else int64.

    Examples
    --------
    >>> a = sp.csr_matrix([[1.0, 0.0]])
    >>> b = sp.csr_matrix([[0.0, 2.0], [3.0, 0.0]])
    >>> stack_rows([a, b], 2).toarray().tolist()
    [[1.0, 0.0], [0.0, 2.0], [3.0, 0.0]]
    """
    n_rows = sum(piece.shape[0] for piece in pieces)
    nnz = sum(piece.nnz for piece in pieces)
    if index_dtype is None:
        index_dtype = np.int32 if max(nnz, n_columns) <= INT32_MAX else np.int64
    if len(pieces) == 1 and pieces[0].indices.dtype == index_dtype:
        return pieces.pop()
    data = np.empty(nnz, dtype=pieces[0].dtype)
    indices = np.empty(nnz, dtype=index_dtype)
    indptr: np.ndarray = np.zeros(n_rows + 1, dtype=index_dtype)
    at = row = 0
    while pieces:
        piece = pieces.pop(0)
        size, rows = piece.nnz, piece.shape[0]
        data[at : at + size] = piece.data
        indices[at : at + size] = piece.indices
        indptr[row + 1 : row + rows + 1] = piece.indptr[1:] + at
        at, row = at + size, row + rows
        del piece
    return sp.csr_matrix((data, indices, indptr), shape=(n_rows, n_columns))
