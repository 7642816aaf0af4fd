"""n-grams from integer token codes, scikit-learn's term order, and count matrices.

A bigram at position ``i`` is the pair ``(code[i], code[i + 1])`` packed into
one int64 (``code[i] * n_words + code[i + 1]``) and factorized; a trigram
extends the bigram id the same way. No n-gram string is built per occurrence:
strings are made once per distinct term, and only for the terms that are kept.

scikit-learn orders its vocabulary by the term strings. When no token is
empty or holds a character ``<= " "`` (true of every ``\\w``-based pattern),
the string order of space-joined n-grams equals the lexicographic order of
their token-rank tuples (a shorter tuple first), so the order comes from one
``np.lexsort`` over integers. Otherwise the strings are built and sorted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from mlprep.core import factorize_array, join_words

__all__ = [
    "NgramTable",
    "canonical_order",
    "char_ngram_lists",
    "count_matrix",
    "term_strings",
    "word_ngrams",
]


@dataclass
class NgramTable:
    """Every n-gram occurrence of a corpus, as integer ids.

    ``doc[k]`` and ``term[k]`` are the document and term of occurrence ``k``.
    Term ``t`` is the token-code tuple ``parts[t, :lengths[t]]`` (``parts`` is
    padded with -1); ``words`` are the distinct tokens the codes point into.
    Term ``t`` first occurs in document ``first_doc[t]``, as occurrence
    ``first_index[t]`` of its length's block (scikit-learn's analyzer emits a
    document's unigrams, then its bigrams, ...: this orders first appearances).
    """

    doc: np.ndarray
    term: np.ndarray
    parts: np.ndarray
    lengths: np.ndarray
    words: list[str]
    n_docs: int
    first_doc: np.ndarray
    first_index: np.ndarray

    @property
    def n_terms(self) -> int:
        return len(self.lengths)


def word_ngrams(
    codes: np.ndarray,
    offsets: np.ndarray,
    words: list[str],
    ngram_range: tuple[int, int],
) -> NgramTable:
    """The word n-grams of every document, from integer token codes.

    ``codes[offsets[d]:offsets[d + 1]]`` are document ``d``'s token codes.
    """
    min_n, max_n = ngram_range
    n_positions = len(codes)
    n_words = max(len(words), 1)
    n_docs = len(offsets) - 1
    doc_of = np.repeat(np.arange(n_docs, dtype=np.int64), np.diff(offsets))
    docs, terms, parts_list, lengths, first_docs, first_indices = [], [], [], [], [], []
    n_terms = 0
    prefix = codes  # id of the (n-1)-gram starting at each position, -1 if none
    parts = np.arange(n_words, dtype=np.int64)[:, None]  # token codes of each id
    for n in range(1, max_n + 1):
        if n == 1:
            starts = np.arange(n_positions, dtype=np.int64)
            ids = codes
        else:
            count = max(n_positions - n + 1, 0)
            starts = np.flatnonzero(doc_of[:count] == doc_of[n - 1 : n - 1 + count])
            keys = prefix[starts] * n_words + codes[starts + n - 1]
            ids, uniques = factorize_array(keys)
            uniques = np.asarray(uniques, dtype=np.int64)
            parts = np.column_stack([parts[uniques // n_words], uniques % n_words])
            if n < max_n:
                prefix = np.full(n_positions, -1, dtype=np.int64)
                prefix[starts] = ids
        if n < min_n or len(starts) == 0:
            continue
        present = np.bincount(ids, minlength=len(parts)) > 0
        if present.all():
            kept, local = parts, ids
        else:
            kept_ids = np.flatnonzero(present)
            relabel = np.full(len(parts), -1, dtype=np.int64)
            relabel[kept_ids] = np.arange(len(kept_ids))
            kept, local = parts[kept_ids], relabel[ids]
        first = _first_occurrences(local, len(kept))
        first_docs.append(doc_of[starts[first]])
        first_indices.append(first)
        relabeled = local + n_terms
        padded = np.full((len(kept), max_n), -1, dtype=np.int64)
        padded[:, :n] = kept
        docs.append(doc_of[starts])
        terms.append(relabeled)
        parts_list.append(padded)
        lengths.append(np.full(len(kept), n, dtype=np.int64))
        n_terms += len(kept)
    if not docs:
        empty = np.zeros(0, dtype=np.int64)
        no_parts = np.zeros((0, max_n), dtype=np.int64)
        return NgramTable(empty, empty, no_parts, empty, words, n_docs, empty, empty)
    return NgramTable(
        np.concatenate(docs),
        np.concatenate(terms),
        np.concatenate(parts_list),
        np.concatenate(lengths),
        words,
        n_docs,
        np.concatenate(first_docs),
        np.concatenate(first_indices),
    )


def _first_occurrences(ids: np.ndarray, n_ids: int) -> np.ndarray:
    """Index of the first occurrence of each id ``0..n_ids - 1`` (all present) in ``ids``.

    Ids numbered in order of appearance (what factorizing and dictionary
    encoding produce) are read off the running maximum; otherwise sort.
    """
    if len(ids):
        running = np.maximum.accumulate(ids)
        new = np.empty(len(ids), dtype=bool)
        new[0] = True
        np.greater(running[1:], running[:-1], out=new[1:])
        first = np.flatnonzero(new)
        if len(first) == n_ids and np.array_equal(ids[first], np.arange(n_ids)):
            return first
    return np.unique(ids, return_index=True)[1]


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


def term_strings(table: NgramTable, terms: np.ndarray) -> np.ndarray:
    """The space-joined strings of ``terms`` (an object array).

    Built once per term, in bulk (:func:`mlprep.core._strings.join_words`).
    """
    out = np.empty(len(terms), dtype=object)
    if len(terms) == 0:
        return out
    lengths = table.lengths[terms]
    for n in np.unique(lengths):
        mask = lengths == n
        out[mask] = join_words(table.words, table.parts[terms[mask], : int(n)])
    return out


def _plain_tokens(words: list[str]) -> bool:
    """No empty token and no character <= ' ': rank order is string order."""
    return all(word and min(word) > " " for word in words)


def canonical_order(table: NgramTable) -> tuple[np.ndarray, np.ndarray]:
    """Sorted-string rank of every term, merging terms whose strings coincide.

    Returns
    -------
    rank : ndarray of shape (n_terms,)
        The column of each term in scikit-learn's (sorted) order.
    representative : ndarray
        For each column, one term id that has it.
    """
    n_terms = table.n_terms
    if n_terms == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    width = table.parts.shape[1]
    if width == 1 or _plain_tokens(table.words):
        order_words = sorted(range(len(table.words)), key=table.words.__getitem__)
        word_rank = np.empty(len(table.words), dtype=np.int64)
        word_rank[order_words] = np.arange(len(order_words))
        # rank + 1, with 0 for "no token": shorter tuples sort first
        ranked = np.where(
            table.parts >= 0, word_rank[np.maximum(table.parts, 0)] + 1, 0
        )
        order = _lexical_order(ranked, len(table.words) + 1)
        rank = np.empty(n_terms, dtype=np.int64)
        rank[order] = np.arange(n_terms)
        return rank, order
    strings = term_strings(table, np.arange(n_terms))
    factor, distinct = factorize_array(strings)
    unique_terms = distinct.tolist()
    lexical = sorted(range(len(unique_terms)), key=unique_terms.__getitem__)
    unique_rank = np.empty(len(unique_terms), dtype=np.int64)
    unique_rank[lexical] = np.arange(len(unique_terms))
    rank = unique_rank[factor]
    representative = np.zeros(len(unique_terms), dtype=np.int64)
    representative[rank] = np.arange(n_terms)
    return rank, representative


def _lexical_order(ranked: np.ndarray, base: int) -> np.ndarray:
    """Row order of ``ranked`` (non-negative ints < base), first column first."""
    width = ranked.shape[1]
    if float(base) ** width < 2.0**62:
        key = ranked[:, 0].copy()
        for k in range(1, width):
            key *= base
            key += ranked[:, k]
        return np.argsort(key)  # distinct terms have distinct keys
    return np.lexsort(ranked.T[::-1])


def count_matrix(
    doc: np.ndarray, column: np.ndarray, n_docs: int, n_columns: int
) -> sp.csr_matrix:
    """Document-term counts (int64 CSR, sorted indices, duplicates summed)."""
    data = np.ones(len(doc), dtype=np.int64)
    matrix = sp.csr_matrix(
        (data, (doc, column)), shape=(n_docs, n_columns), dtype=np.int64
    )
    matrix.sum_duplicates()
    matrix.sort_indices()
    return matrix
