"""A corpus's vocabulary in scikit-learn's order, merged from blocks of documents.

The vectorizers analyse a corpus block by block (:meth:`Analysis.tables
<mlprep.text._analyze.Analysis.tables>`): each block's n-grams get local
integer ids (:func:`~mlprep.text._ngrams.word_ngrams`), and the block keeps
only its stream of ids and its distinct n-gram keys. :class:`CorpusTerms`
then merges the blocks' distinct keys, length by length, into the corpus's
terms (a sort of integers, never of strings), and builds the count matrix
one block of rows at a time. Working memory is one block's n-gram table plus
what grows with the vocabulary and the output itself.

Term order. scikit-learn sorts its vocabulary by the term strings. When no
token is empty or holds a character ``<= " "`` (true of every ``\\w``-based
pattern), the string order of space-joined n-grams is the lexicographic order
of their word-rank tuples, a tuple before its extensions. Terms of one length
are numbered in that order by the merge itself; the lengths are then
interleaved by counting (a term's column is the number of terms before it),
without a sort. Otherwise (tokens with spaces may join into equal strings)
the strings are built, merged and sorted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np
import scipy.sparse as sp

from mlprep.core import factorize_array, join_words
from mlprep.text._ngrams import (
    INT32_MAX,
    SLICE,
    NgramTable,
    joined_terms,
    sorted_groups,
    stack_rows,
    term_parts,
)

__all__ = ["CorpusTerms"]


def _no_ids() -> np.ndarray:
    return np.zeros(0, dtype=np.int64)


@dataclass
class _Block:
    """What the merge keeps of one block: its id stream and its distinct keys."""

    indptr: np.ndarray
    term: np.ndarray
    keys: list[np.ndarray]
    first: list[np.ndarray]  # global stream positions of first occurrences
    n_words: int
    to_global: np.ndarray = field(default_factory=_no_ids)  # local -> global term id

    @property
    def n_docs(self) -> int:
        return len(self.indptr) - 1


class CorpusTerms:
    """The distinct terms of a corpus and, per block of documents, where they occur.

    Parameters
    ----------
    tables : iterable of NgramTable
        The blocks of a corpus in document order, their codes pointing into
        one shared, growing word list (as :meth:`Analysis.tables` makes them).
    ngram_range : tuple (min_n, max_n)

    Attributes
    ----------
    n_docs : int
    n_columns : int
        The number of distinct term strings: the columns, in sorted order.

    Notes
    -----
    Global term ids number the terms of length ``min_n`` first (in word-rank
    tuple order), then those of length ``min_n + 1``, ... Counts are built
    once (:meth:`first_seen_counts` or :meth:`counts`): they release each
    block's id stream as they build its rows; :meth:`strings` works before and
    after.

    Examples
    --------
    >>> from mlprep.text import CountVectorizer
    >>> from mlprep.text._analyze import Analysis
    >>> analysis = Analysis.of(CountVectorizer(ngram_range=(1, 2)))
    >>> terms = analysis.terms(["red shoes", "blue shoes"])
    >>> terms.strings()
    ['blue', 'blue shoes', 'red', 'red shoes', 'shoes']
    >>> terms.first_seen_counts().toarray()
    array([[0, 0, 1, 1, 1],
           [1, 1, 0, 0, 1]])
    """

    def __init__(self, tables: Iterable[NgramTable], ngram_range: tuple[int, int]):
        self.min_n, self.max_n = ngram_range
        blocks: list[_Block] = []
        words: list[str] = []
        stream = 0
        for table in tables:
            blocks.append(
                _Block(
                    table.indptr,
                    table.term.astype(_index_dtype(table.n_terms)),
                    table.keys,
                    [first + stream for first in table.first],
                    table.n_words,
                )
            )
            stream += len(table.term)
            words = table.words
        self._blocks = blocks
        self._stream_length = stream
        self.n_docs = sum(block.n_docs for block in blocks)
        order = sorted(range(len(words)), key=words.__getitem__)
        self._words = [words[i] for i in order]  # by rank
        self._base = max(len(words), 1)
        rank = np.empty(len(words), dtype=np.int64)
        rank[order] = np.arange(len(words), dtype=np.int64)
        appearance = self._merge(rank)
        self._strings: list[str] | None = None
        self._order_columns(appearance)

    # ------------------------------------------------------------- merging
    def _merge(self, rank: np.ndarray) -> np.ndarray:
        """Number every length's terms across blocks; return them in order of appearance.

        Level ``n``'s global keys are the blocks' keys rewritten with global
        ids: ``prefix_id * n_words + word_rank`` (a unigram's key is its word
        rank). Sorting them numbers the terms in word-rank tuple order. A
        block numbers its terms in order of first appearance, so the terms
        new in each block, block after block, are that length's terms in
        order of first appearance: one sorted run of positions per length.
        """
        blocks, base, min_n = self._blocks, self._base, self.min_n
        self._keys: list[np.ndarray] = []
        new_ids: list[np.ndarray] = []  # per length: terms by first appearance
        new_positions: list[np.ndarray] = []  # ... and where they first appear
        # each block's local term id -> global id, filled length by length
        index_dtype = _index_dtype(sum(len(block.term) for block in blocks))
        for block in blocks:
            sizes = [len(keys) for keys in block.keys[min_n - 1 :]]
            block.to_global = np.empty(sum(sizes), dtype=index_dtype)
        filled = [0] * len(blocks)
        previous = [rank] * len(blocks)  # level n-1 local id -> global id
        offset = 0
        for n in range(1, self.max_n + 1):
            if n == 1:
                level = [rank[block.keys[0]] for block in blocks]
                uniques = np.arange(len(rank), dtype=np.int64)
                if min_n == 1:  # each word is new in exactly one block
                    fresh_ids: np.ndarray = np.empty(len(rank), dtype=index_dtype)
                    fresh_positions = np.empty(len(rank), dtype=np.int64)
                    seen = np.zeros(len(rank), dtype=bool)
                    at = 0
                    for block, local in zip(blocks, level):
                        fresh = np.flatnonzero(~seen[local])
                        seen[local] = True
                        fresh_ids[at : at + len(fresh)] = local[fresh]
                        fresh_positions[at : at + len(fresh)] = block.first[0][fresh]
                        at += len(fresh)
            else:
                bounds = np.cumsum([0, *(len(block.keys[n - 1]) for block in blocks)])
                merged = np.empty(int(bounds[-1]), dtype=np.int64)
                for block, prefix, a, b in zip(blocks, previous, bounds, bounds[1:]):
                    keys, key = block.keys[n - 1], merged[a:b]
                    key[...] = prefix[keys // block.n_words]
                    key *= base
                    key += rank[keys % block.n_words]
                group, uniques, first_index = sorted_groups(
                    merged, overwrite=True, group_dtype=index_dtype
                )
                del merged
                level = [group[a:b] for a, b in pairwise(bounds)]
                if n >= min_n:  # each term is new in the earliest block that has it
                    fresh_ids = np.empty(len(uniques), dtype=index_dtype)
                    fresh_positions = np.empty(len(uniques), dtype=np.int64)
                    fresh = np.zeros(len(group), dtype=bool)
                    fresh[first_index] = True
                    del first_index
                    at = 0
                    for block, a, b in zip(blocks, bounds, bounds[1:]):
                        entries = np.flatnonzero(fresh[a:b])
                        stop = at + len(entries)
                        fresh_ids[at:stop] = group[a:b][entries]
                        fresh_positions[at:stop] = block.first[n - min_n][entries]
                        at = stop
                    del fresh
            self._keys.append(uniques)
            if n >= min_n:
                fresh_ids += offset
                new_ids.append(fresh_ids)
                new_positions.append(fresh_positions)
                for i, (block, local) in enumerate(zip(blocks, level)):
                    target = block.to_global[filled[i] : filled[i] + len(local)]
                    np.add(local, offset, out=target, casting="unsafe")
                    filled[i] += len(local)
                offset += len(uniques)
            if n >= 2:  # a bigram's prefix is a word code, mapped by rank
                previous = level
        for block in blocks:
            block.keys, block.first = [], []
        if len(new_ids) == 1:
            return new_ids[0]
        # merge the lengths' sorted runs (a stable sort finds and merges runs)
        order = np.argsort(np.concatenate(new_positions), kind="stable")
        del new_positions
        return np.concatenate(new_ids)[order]

    def _sizes(self) -> list[int]:
        return [len(keys) for keys in self._keys[self.min_n - 1 :]]

    # ------------------------------------------------------------- columns
    def _order_columns(self, appearance: np.ndarray) -> None:
        """The column of every term, and the columns in order of first appearance."""
        n_terms = len(appearance)
        index_dtype = _index_dtype(n_terms)
        if self.max_n == 1 or _plain_tokens(self._words):
            self._column: np.ndarray = self._tuple_columns().astype(index_dtype)
            self.n_columns = n_terms
            self._representative: np.ndarray = np.empty(n_terms, dtype=index_dtype)
            self._representative[self._column] = np.arange(n_terms, dtype=index_dtype)
            self._first_seen: np.ndarray = self._column[appearance]
            self._first_seen_rank: np.ndarray = np.empty(n_terms, dtype=index_dtype)
            self._first_seen_rank[self._first_seen] = np.arange(
                n_terms, dtype=index_dtype
            )
            return
        strings = self._term_strings(np.arange(n_terms, dtype=np.int64))
        factor, distinct = factorize_array(strings)
        del strings
        unique_terms = distinct.tolist()
        lexical = sorted(range(len(unique_terms)), key=unique_terms.__getitem__)
        self._strings = [unique_terms[i] for i in lexical]
        unique_rank = np.empty(len(unique_terms), dtype=np.int64)
        unique_rank[lexical] = np.arange(len(unique_terms))
        self._column = unique_rank[factor].astype(index_dtype)
        self.n_columns = len(unique_terms)
        self._representative = np.zeros(self.n_columns, dtype=index_dtype)
        self._representative[self._column] = np.arange(n_terms, dtype=index_dtype)
        # a column appears with the first of its terms to appear
        first_term = sorted_groups(self._column[appearance])[2]
        self._first_seen_rank, _, self._first_seen = sorted_groups(first_term)

    def _tuple_columns(self) -> np.ndarray:
        """Each term's column when string order is word-rank tuple order.

        A term ``T`` of length ``n`` is preceded by: the terms of length ``n``
        numbered before it; of each shorter length ``m``, those up to its own
        ``m``-token prefix (which is a term, and a prefix sorts first); of each
        longer length, those whose ``n``-token prefix is below ``T``.
        """
        keys, base = self._keys, self._base
        columns = []
        for n in range(self.min_n, self.max_n + 1):
            column = np.arange(len(keys[n - 1]), dtype=np.int64)
            if n > self.min_n:
                prefix = keys[n - 1] // base  # each term's (n-1)-token prefix
                for m in range(n - 1, self.min_n - 1, -1):
                    column += prefix
                    column += 1
                    if m > self.min_n:
                        prefix = keys[m - 1][prefix] // base
                del prefix
            for m in range(n + 1, self.max_n + 1):
                longer = keys[m - 1] // base  # the m-grams' (m-1)-token prefixes
                for level in range(m - 1, n, -1):
                    longer = keys[level - 1][longer] // base
                column[:] += np.searchsorted(longer, np.arange(len(column)))
            columns.append(column)
        return np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64)

    # ------------------------------------------------------------- strings
    def _term_strings(self, terms: np.ndarray) -> np.ndarray:
        """The strings of global term ids (an object array)."""
        return joined_terms(
            terms,
            words=self._words,
            keys=self._keys,
            sizes=self._sizes(),
            min_n=self.min_n,
            n_words=self._base,
        )

    def strings(self, columns: np.ndarray | None = None) -> list[str]:
        """The term strings of ``columns`` (default: every column, in order)."""
        if self._strings is not None:
            if columns is None:
                return list(self._strings)
            return [self._strings[i] for i in np.asarray(columns).tolist()]
        terms = (
            self._representative
            if columns is None
            else self._representative[np.asarray(columns, dtype=np.int64)]
        )
        sizes = self._sizes()
        if len(sizes) == 1:  # one length: join at once
            parts = term_parts(self._keys, self.min_n, terms, self._base)
            return join_words(self._words, parts)
        strings: list[str] = self._term_strings(terms).tolist()
        return strings

    # -------------------------------------------------------------- counts
    def first_seen_counts(self, dtype: type = np.int64) -> sp.csr_matrix:
        """Counts stored as scikit-learn's ``fit_transform`` stores them.

        scikit-learn numbers terms in order of first appearance, sorts each
        row by that number, then renames the columns to the sorted-term order
        without re-sorting the rows. Row norms are sums in storage order, so
        keeping that order keeps TF-IDF values identical to the last bit.
        """
        rank_of_term = self._first_seen_rank[self._column]
        del self._first_seen_rank
        counts = self._rows(rank_of_term, self.n_columns, dtype)
        first_seen = self._first_seen.astype(counts.indices.dtype, copy=False)
        del self._first_seen
        indices = counts.indices
        for start in range(0, len(indices), SLICE):  # rename in place
            indices[start : start + SLICE] = first_seen[indices[start : start + SLICE]]
        counts.has_sorted_indices = False  # rows are in first-appearance order
        return counts

    def counts(
        self, output: np.ndarray, n_output: int, dtype: type = np.int64
    ) -> sp.csr_matrix:
        """Counts in sorted-index CSR: column ``c`` counted in ``output[c]`` (-1: dropped)."""
        output = np.asarray(output, dtype=np.int64)
        return self._rows(output[self._column], n_output, dtype)

    def _rows(self, target: np.ndarray, n_columns: int, dtype: type) -> sp.csr_matrix:
        """Count each block's occurrences into ``target[term]`` (-1 dropped), block by block."""
        index_dtype = (
            np.int32 if max(n_columns, self._stream_length) <= INT32_MAX else np.int64
        )
        target = target.astype(index_dtype)
        del self._column  # the term ids' meaning is consumed with the blocks
        pieces = []
        while self._blocks:
            block = self._blocks.pop(0)  # released once its rows are built
            lookup = target[block.to_global]
            indices = lookup[block.term]
            indptr, n_docs = block.indptr, block.n_docs
            del block
            if len(lookup) and lookup.min() < 0:
                keep = indices >= 0
                kept = np.zeros(len(keep) + 1, dtype=np.int64)
                np.cumsum(keep, out=kept[1:])
                indptr, indices = kept[indptr], indices[keep]
            piece = sp.csr_matrix(
                (
                    np.ones(len(indices), dtype=dtype),
                    indices,
                    indptr.astype(index_dtype),
                ),
                shape=(n_docs, n_columns),
            )
            piece.sum_duplicates()
            pieces.append(piece)
        return stack_rows(pieces, n_columns, index_dtype)


def _index_dtype(size: int) -> type:
    """int32 for ids below ``size`` when they fit, else int64."""
    return np.int32 if size <= INT32_MAX else np.int64


def _plain_tokens(words: list[str]) -> bool:
    """No empty token and no character <= ' ': rank order is string order."""
    return all(word and min(word) > " " for word in words)
