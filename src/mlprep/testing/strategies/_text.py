"""Strategies for text: corpora with unicode, punctuation and empty documents."""

from __future__ import annotations

import pandas as pd
from hypothesis import strategies as st

__all__ = ["TRICKY_CHARACTERS", "corpora", "text_frames"]

TRICKY_CHARACTERS = (
    "abcxyzABCXYZ019_"  # ASCII word characters
    " \t\n\x0b\x1c\u00a0\u2003"  # whitespace, Python's and Unicode's
    ".,;:!?'\"-()#@/&"  # punctuation
    "éÉñüßçøÅ"  # accented letters, ß (upper-cases to SS)
    "\u0301\u0308"  # combining marks: not \\w for Python's re
    "ΣσςΑ"  # Greek: final sigma on lowercasing
    "İı"  # Turkish dotted/dotless i: 'İ'.lower() is two characters
    "²½٣"  # other numbers and Arabic-Indic digits: \\w for Python's re
    "中文字"  # CJK
    "\u200d😀"  # zero-width joiner, emoji
    "ﬁ"  # ligature (NFKD splits it)
)
"""Characters on which tokenizers, case folding and accent stripping disagree."""

_WORDS = (
    "the",
    "cat",
    "Cat",
    "sat",
    "on",
    "mat",
    "dog",
    "ran",
    "café",
    "naïve",
    "a",
    "I",
)


@st.composite
def corpora(
    draw: st.DrawFn,
    *,
    min_docs: int = 1,
    max_docs: int = 8,
    missing: bool = True,
    wordy: bool | None = None,
) -> list[str | None]:
    """A list of documents: random characters, or words that repeat across documents.

    Parameters
    ----------
    min_docs, max_docs : int
        Number of documents.
    missing : bool
        Include None and ``""`` documents.
    wordy : bool or None
        True: documents are words from a small vocabulary with punctuation
        (so terms repeat and document frequencies matter); False: random
        strings over :data:`TRICKY_CHARACTERS`; None: either.
    """
    if wordy is None:
        wordy = draw(st.booleans())
    if wordy:
        word = st.sampled_from(_WORDS)
        glue = st.sampled_from([" ", " ", ", ", ". ", "  ", "\t", "! "])
        doc = st.lists(st.tuples(word, glue), max_size=10).map(
            lambda pairs: "".join(w + g for w, g in pairs)
        )
    else:
        doc = st.text(alphabet=TRICKY_CHARACTERS, max_size=30)
    if missing:
        doc = st.one_of(doc, doc, doc, st.just(""), st.none())
    return draw(st.lists(doc, min_size=min_docs, max_size=max_docs))


@st.composite
def text_frames(
    draw: st.DrawFn, *, columns: tuple[str, ...] = ("text",), max_docs: int = 8
) -> pd.DataFrame:
    """A pandas frame of text columns (object dtype, None for missing)."""
    n_docs = draw(st.integers(1, max_docs))
    data = {name: draw(corpora(min_docs=n_docs, max_docs=n_docs)) for name in columns}
    return pd.DataFrame(
        {name: pd.Series(values, dtype=object) for name, values in data.items()}
    )
