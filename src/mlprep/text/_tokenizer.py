"""Replace text columns with columns of token lists."""

from __future__ import annotations

from typing import Any, ClassVar

import narwhals.stable.v2 as nw

from mlprep.core import ColumnSpec, MlprepTransformer, text_list
from mlprep.text._analyze import WORD_PATTERN, Analysis
from mlprep.text._functions import TOKENIZE_CONSTRAINTS

__all__ = ["Tokenizer"]


class Tokenizer(MlprepTransformer):
    """Turn each text column into a column of token lists.

    The chain: normalize (lowercase, strip accents) → tokenize → drop stop
    words → lemmatize → stem → n-grams. Everything runs offline; nltk is
    needed only for the ``treebank`` / ``tweet`` methods, the stemmers and
    the ``wordnet`` lemmatizer, and nltk *data* only for ``"nltk:<language>"``
    stop words and ``"wordnet"``.

    Parameters
    ----------
    method : {"regex", "treebank", "wordpunct", "whitespace", "tweet"}, default="regex"
        ``regex``: the matches of ``token_pattern`` (Python ``re``);
        ``treebank``: nltk's Penn Treebank tokenizer (splits contractions:
        ``"don't"`` → ``"do", "n't"``); ``wordpunct``: runs of word characters
        and runs of punctuation; ``whitespace``: ``str.split()``; ``tweet``:
        nltk's tweet tokenizer (keeps emoticons, #hashtags, @handles, URLs).
    lowercase : bool, default=True
        Lowercase first (``tweet`` lowercases its tokens but keeps emoticons).
    token_pattern : str, default=r"(?u)\\w+(?:['’\\-]\\w+)*"
        The token regex of ``method="regex"``: words of any length with
        inner apostrophes and hyphens. ``r"(?u)\\b\\w\\w+\\b"`` gives
        scikit-learn's tokens exactly.
    strip_accents : {"ascii", "unicode"} or None, default=None
        Remove accents (scikit-learn's functions), after lowercasing.
    stop_words : None, "english", "nltk:<language>" or list of str, default=None
        Words to drop: scikit-learn's built-in English list (no download),
        nltk's corpus for a language (needs ``python -m nltk.downloader
        stopwords``), or any list. Matched after lowercasing.
    stemmer : None, "porter", "lancaster", "snowball" or "snowball:<language>", default=None
        An nltk stemmer (no data needed): ``"running"`` → ``"run"``.
    lemmatizer : None, "rules" or "wordnet", default=None
        ``"rules"``: a small built-in English lemmatizer (irregular forms such
        as ``"better"`` → ``"good"`` and noun plurals; no part-of-speech
        tagging, so verb endings are left alone). ``"wordnet"``: nltk's
        WordNet lemmatizer (needs ``python -m nltk.downloader wordnet``).
    ngram_range : tuple (min_n, max_n), default=(1, 1)
        Add word n-grams, joined with a space, after the unigrams.
    {columns}

    Attributes
    ----------
    columns_ : list of str
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Notes
    -----
    Each selected column is *replaced* by its token lists (same name,
    same position): a ``List(String)`` column for polars and pyarrow, an
    object column of Python lists for pandas and numpy. Missing text (None,
    NaN) and ``""`` become empty lists. Fitting learns nothing but the
    columns; it checks the options (and that the nltk pieces they need are
    installed). ``partial_fit`` exists for streaming pipelines; its state is
    empty.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.text import Tokenizer
    >>> df = pd.DataFrame({"text": ["The cat is on the mat", "Running fast"], "id": [1, 2]})
    >>> Tokenizer(stop_words=["the", "is"]).fit_transform(df)["text"].tolist()
    [['cat', 'on', 'mat'], ['running', 'fast']]
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        **TOKENIZE_CONSTRAINTS,
        "columns": [ColumnSpec],
    }
    _column_kind: ClassVar[str] = "text"
    _named_kind: ClassVar[str | None] = "text_or_null"
    _numeric_input: ClassVar[bool] = False

    def __init__(
        self,
        *,
        method: str = "regex",
        lowercase: bool = True,
        token_pattern: str = WORD_PATTERN,
        strip_accents: str | None = None,
        stop_words: Any = None,
        stemmer: str | None = None,
        lemmatizer: str | None = None,
        ngram_range: tuple[int, int] = (1, 1),
        columns: Any = None,
    ) -> None:
        self.method = method
        self.lowercase = lowercase
        self.token_pattern = token_pattern
        self.strip_accents = strip_accents
        self.stop_words = stop_words
        self.stemmer = stemmer
        self.lemmatizer = lemmatizer
        self.ngram_range = ngram_range
        self.columns = columns

    # nothing to learn but the columns: an empty state, each batch checks the
    # options (and the nltk pieces they need)
    def _new_state(self) -> dict[str, Any]:
        return {}

    def _update_state(
        self, state: dict[str, Any], frame: nw.DataFrame, y: Any
    ) -> dict[str, Any]:
        Analysis.of(self)
        return state

    def _finish_state(self, state: dict[str, Any]) -> None:
        return None

    def _transform(self, frame: nw.DataFrame) -> nw.DataFrame:
        analysis = Analysis.of(self)
        owner = type(self).__name__
        as_objects = frame.implementation.is_pandas_like()
        dtype = nw.Object if as_objects else nw.List(nw.String)
        new = []
        for column in self.columns_:
            lists = analysis.token_lists(text_list(frame, column, owner=owner))
            new.append(
                nw.new_series(column, lists, dtype=dtype, backend=frame.implementation)
            )
        return frame.with_columns(*new)
