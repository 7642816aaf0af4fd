"""Stop words, stemmers and lemmatizers: offline, with install commands when data is missing."""

from __future__ import annotations

import sys

import pytest
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from mlprep.exceptions import InvalidParameterError, MissingDependencyError
from mlprep.text import Tokenizer, _options, tokenize

nltk = pytest.importorskip("nltk")


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    _options._nltk_stop_words.cache_clear()
    yield
    _options._nltk_stop_words.cache_clear()


def _no_data(monkeypatch: pytest.MonkeyPatch) -> None:
    def find(resource: str, *args: object, **kwargs: object) -> None:
        raise LookupError(f"Resource {resource} not found.")

    monkeypatch.setattr(nltk.data, "find", find)


def test_english_stop_words_are_built_in() -> None:
    assert _options.resolve_stop_words("english") == ENGLISH_STOP_WORDS
    assert tokenize("The cat is on the mat", stop_words="english") == ["cat", "mat"]


def test_list_of_stop_words() -> None:
    assert tokenize("The cat is on the mat", stop_words=["the", "is"]) == [
        "cat",
        "on",
        "mat",
    ]


def test_nltk_stop_words_without_data_give_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _no_data(monkeypatch)
    with pytest.raises(
        MissingDependencyError, match=r"python -m nltk\.downloader stopwords"
    ):
        tokenize("a b", stop_words="nltk:english")
    with pytest.raises(MissingDependencyError, match="stopwords"):
        Tokenizer(stop_words="nltk:french").fit([["le chat"]])


def test_nltk_stop_words_with_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nltk.data, "find", lambda *a, **k: "/fake/corpora/stopwords")

    class FakeCorpus:
        @staticmethod
        def fileids() -> list[str]:
            return ["english", "french"]

        @staticmethod
        def words(language: str) -> list[str]:
            return {"english": ["the", "on"], "french": ["le", "sur"]}[language]

    monkeypatch.setattr("nltk.corpus.stopwords", FakeCorpus, raising=False)
    assert tokenize("le chat sur le tapis", stop_words="nltk:french") == [
        "chat",
        "tapis",
    ]
    with pytest.raises(InvalidParameterError, match="no language 'klingon'"):
        tokenize("a", stop_words="nltk:klingon")


def test_missing_nltk_package_gives_pip_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "nltk", None)
    for options in (
        {"stemmer": "porter"},
        {"method": "treebank"},
        {"stop_words": "nltk:english"},
    ):
        with pytest.raises(
            MissingDependencyError, match=r'pip install "mlprep-kit\[text\]"'
        ):
            tokenize("running", **options)


@pytest.mark.parametrize(
    ("stemmer", "word", "stem"),
    [
        ("porter", "running", "run"),
        ("snowball", "running", "run"),
        ("snowball:english", "generously", "generous"),
        ("snowball:german", "katzen", "katz"),
        ("lancaster", "running", "run"),
    ],
)
def test_stemmers_need_no_data(
    stemmer: str, word: str, stem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_data(monkeypatch)
    assert tokenize(word, stemmer=stemmer) == [stem]


def test_unknown_snowball_language() -> None:
    with pytest.raises(
        InvalidParameterError, match="Snowball stemmer has no language 'elvish'"
    ):
        tokenize("a", stemmer="snowball:elvish")


def test_wordnet_without_data_gives_the_install_command(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _no_data(monkeypatch)
    with pytest.raises(
        MissingDependencyError, match=r"python -m nltk\.downloader wordnet"
    ):
        tokenize("geese", lemmatizer="wordnet")


def test_wordnet_when_present(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nltk.data, "find", lambda *a, **k: "/fake/corpora/wordnet")
    monkeypatch.setattr(
        "nltk.stem.WordNetLemmatizer.lemmatize",
        lambda self, word, pos="n": {"geese": "goose"}.get(word, word),
    )
    assert tokenize("geese flew", lemmatizer="wordnet") == ["goose", "flew"]


def test_lemmatize_then_stem() -> None:
    assert tokenize("children running", lemmatizer="rules", stemmer="porter") == [
        "child",
        "run",
    ]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("stop_words", "nltk:"),
        ("stop_words", "german"),
        ("stop_words", ["ok", 3]),
        ("stemmer", "snowball:"),
        ("stemmer", "krovetz"),
        ("lemmatizer", "spacy"),
        ("ngram_range", (2, 1)),
        ("ngram_range", [1, 2]),
    ],
)
def test_option_specs_reject(name: str, value: object) -> None:
    with pytest.raises(
        InvalidParameterError, match=f"The '{name}' parameter of tokenize"
    ):
        tokenize("a", **{name: value})
