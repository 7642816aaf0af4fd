"""The vectorizers' partial state: exact per-term document and total counts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from mlprep.state import PartialState

__all__ = ["TermCounts"]


class TermCounts(PartialState):
    """Per-term document frequency and total count of one text column, merged by addition.

    A vectorizer keeps one per text column and prunes only when it finishes
    (``min_df``, ``max_df``, ``max_features``), so batches and shards merged
    in any order give the vocabulary and idf of a fit on all the documents.
    Every term is kept exactly, however many there are (a frequent-items
    sketch would drop rare terms that a later batch might make frequent).

    Attributes
    ----------
    documents : int
        Documents seen (empty and missing ones included, as they count in idf).
    df : dict of str to int
        How many documents contain each term.
    tf : dict of str to int
        How often each term occurs in all.

    Examples
    --------
    >>> a = TermCounts().add(["cat", "sat"], [2, 1], [3, 1], documents=2)
    >>> b = TermCounts().add(["cat", "dog"], [1, 1], [1, 2], documents=1)
    >>> merged = a.merge(b)
    >>> merged.documents, merged.df, merged.tf
    (3, {'cat': 3, 'sat': 1, 'dog': 1}, {'cat': 4, 'sat': 1, 'dog': 2})
    """

    kind = "term_counts"

    def __init__(self) -> None:
        self.documents = 0
        self.df: dict[str, int] = {}
        self.tf: dict[str, int] = {}

    def add(
        self,
        terms: Iterable[str],
        df: Iterable[int] | np.ndarray,
        tf: Iterable[int] | np.ndarray,
        *,
        documents: int,
    ) -> TermCounts:
        """Add the counts of a batch of ``documents`` documents; returns ``self``."""
        df = df.tolist() if isinstance(df, np.ndarray) else df
        tf = tf.tolist() if isinstance(tf, np.ndarray) else tf
        dfs, tfs = self.df, self.tf
        get_df, get_tf = dfs.get, tfs.get
        for term, d, f in zip(terms, df, tf):
            dfs[term] = get_df(term, 0) + d
            tfs[term] = get_tf(term, 0) + f
        self.documents += int(documents)
        return self

    def merge(self, other: TermCounts) -> TermCounts:
        """A new state of both inputs; neither is modified."""
        self._check_mergeable(other)
        big, small = (self, other) if len(self.df) >= len(other.df) else (other, self)
        merged = TermCounts()
        merged.df, merged.tf = dict(big.df), dict(big.tf)
        merged.documents = big.documents
        terms = list(small.df)
        merged.add(
            terms,
            [small.df[t] for t in terms],
            [small.tf[t] for t in terms],
            documents=0,
        )
        merged.documents += small.documents
        return merged

    def _data(self) -> dict[str, Any]:
        return {
            "documents": self.documents,
            "terms": [[term, self.df[term], self.tf[term]] for term in sorted(self.df)],
        }

    @classmethod
    def _from_data(cls, config: dict[str, Any], data: dict[str, Any]) -> TermCounts:
        state = cls()
        state.documents = int(data["documents"])
        for term, d, f in data["terms"]:
            if not isinstance(term, str):
                raise TypeError(f"a term must be a str, got {type(term).__name__}")
            state.df[term], state.tf[term] = int(d), int(f)
        return state
