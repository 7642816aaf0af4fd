"""Resolve the text options (stop words, stemmer, lemmatizer) into plain callables.

nltk is an optional dependency (``pip install "mlprep-kit[text]"``): it is imported
only when an option needs it, and nltk *data* (the stop-word corpus, WordNet)
is looked up on disk only — nothing is ever downloaded. A missing package or
corpus raises :class:`~mlprep.exceptions.MissingDependencyError` naming the
exact command that installs it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from numbers import Integral
from typing import Any

from mlprep.core import Predicate
from mlprep.exceptions import InvalidParameterError, MissingDependencyError

__all__ = [
    "METHODS",
    "LemmatizerSpec",
    "NgramRange",
    "StemmerSpec",
    "StopWordsSpec",
    "english_stop_words",
    "nltk_module",
    "resolve_normalizer",
    "resolve_stop_words",
]

METHODS = ("regex", "treebank", "wordpunct", "whitespace", "tweet")
_INSTALL_NLTK = 'pip install "mlprep-kit[text]"'


def _is_stop_words(value: Any) -> bool:
    if value is None or value == "english":
        return True
    if isinstance(value, str):
        return value.startswith("nltk:") and len(value) > len("nltk:")
    if isinstance(value, (list, tuple, set, frozenset)):
        return all(isinstance(word, str) for word in value)
    return False


def _is_stemmer(value: Any) -> bool:
    if value is None or value in ("porter", "lancaster", "snowball"):
        return True
    return isinstance(value, str) and value.startswith("snowball:") and len(value) > 9


def _is_ngram_range(value: Any) -> bool:
    return (
        isinstance(value, tuple)
        and len(value) == 2
        and all(isinstance(v, Integral) and not isinstance(v, bool) for v in value)
        and 1 <= value[0] <= value[1]
    )


StopWordsSpec = Predicate(
    _is_stop_words,
    "None, 'english', 'nltk:<language>' or a list of words",
)
StemmerSpec = Predicate(
    _is_stemmer, "None, 'porter', 'lancaster', 'snowball' or 'snowball:<language>'"
)
LemmatizerSpec = Predicate(
    lambda value: value is None or value in ("rules", "wordnet"),
    "None, 'rules' or 'wordnet'",
)
NgramRange = Predicate(
    _is_ngram_range, "a tuple (min_n, max_n) with 1 <= min_n <= max_n"
)


def nltk_module(purpose: str) -> Any:
    """Import nltk or raise MissingDependencyError with the install command."""
    try:
        import nltk
    except ImportError as exc:
        raise MissingDependencyError(
            f"{purpose} needs the optional package nltk, which is not installed. "
            f"Install it with: {_INSTALL_NLTK}"
        ) from exc
    return nltk


def english_stop_words() -> frozenset[str]:
    """scikit-learn's built-in English stop-word list (318 words, no download)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


@lru_cache(maxsize=16)
def _nltk_stop_words(language: str) -> frozenset[str]:
    nltk = nltk_module(f"stop_words='nltk:{language}'")
    try:
        nltk.data.find("corpora/stopwords")
    except LookupError as exc:
        raise MissingDependencyError(
            f"stop_words='nltk:{language}' needs nltk's stopwords corpus, which is "
            "not installed (mlprep never downloads at run time). Install it once "
            "with: python -m nltk.downloader stopwords  — or use "
            "stop_words='english', which needs no download."
        ) from exc
    from nltk.corpus import stopwords

    available = stopwords.fileids()
    if language not in available:
        raise InvalidParameterError(
            f"nltk's stopwords corpus has no language {language!r}. "
            f"Available: {sorted(available)}."
        )
    return frozenset(stopwords.words(language))


def resolve_stop_words(spec: Any) -> frozenset[str] | None:
    """The stop-word set an option names, or None."""
    if spec is None:
        return None
    if spec == "english":
        return english_stop_words()
    if isinstance(spec, str):
        return _nltk_stop_words(spec[len("nltk:") :])
    return frozenset(spec)


def _stemmer(spec: str) -> Callable[[str], str]:
    nltk_module(f"stemmer={spec!r}")
    from nltk.stem import LancasterStemmer, PorterStemmer, SnowballStemmer

    if spec == "porter":
        return PorterStemmer().stem
    if spec == "lancaster":
        return LancasterStemmer().stem
    language = spec.partition(":")[2] or "english"
    if language not in SnowballStemmer.languages:
        raise InvalidParameterError(
            f"stemmer={spec!r}: nltk's Snowball stemmer has no language "
            f"{language!r}. Available: {list(SnowballStemmer.languages)}."
        )
    return SnowballStemmer(language).stem


def _wordnet() -> Callable[[str], str]:
    nltk = nltk_module("lemmatizer='wordnet'")
    try:
        nltk.data.find("corpora/wordnet")
    except LookupError as exc:
        raise MissingDependencyError(
            "lemmatizer='wordnet' needs nltk's WordNet corpus, which is not "
            "installed (mlprep never downloads at run time). Install it once with: "
            "python -m nltk.downloader wordnet  — or use lemmatizer='rules', which "
            "needs no download."
        ) from exc
    from nltk.stem import WordNetLemmatizer

    return WordNetLemmatizer().lemmatize


def resolve_normalizer(
    stemmer: str | None, lemmatizer: str | None
) -> Callable[[str], str] | None:
    """One word -> word function: lemmatize, then stem; None when neither is set."""
    steps: list[Callable[[str], str]] = []
    if lemmatizer == "rules":
        from mlprep.text._lemma import lemmatize

        steps.append(lemmatize)
    elif lemmatizer == "wordnet":
        steps.append(_wordnet())
    if stemmer is not None:
        steps.append(_stemmer(stemmer))
    if not steps:
        return None
    if len(steps) == 1:
        return steps[0]
    first, second = steps

    def chain(word: str) -> str:
        return second(first(word))

    return chain
