"""Normalization and tokenization kernels: the same tokens as scikit-learn and nltk."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer as SkCount

from mlprep.testing.strategies import TRICKY_CHARACTERS, corpora
from mlprep.text import tokenize
from mlprep.text._analyze import (
    RUN_PATTERNS,
    SKLEARN_TOKEN_PATTERN,
    Analysis,
    normalize_documents,
    split_documents,
)

tricky_text = st.text(alphabet=TRICKY_CHARACTERS, max_size=40)


def _split(docs: list[str], method: str, **options: object) -> list[list[str]]:
    settings = {
        "token_pattern": SKLEARN_TOKEN_PATTERN,
        "lowercase": True,
        "strip_accents": None,
    }
    settings.update(options)
    return split_documents(docs, method=method, owner="test", **settings)  # type: ignore[arg-type]


@given(
    doc=tricky_text,
    lowercase=st.booleans(),
    accents=st.sampled_from([None, "ascii", "unicode"]),
)
def test_normalize_documents_equals_sklearn_preprocessor(
    doc: str, lowercase: bool, accents: str | None
) -> None:
    expected = SkCount(lowercase=lowercase, strip_accents=accents).build_preprocessor()(
        doc
    )
    assert normalize_documents([doc], lowercase=lowercase, strip_accents=accents) == [
        expected
    ]


@given(
    doc=tricky_text,
    pattern=st.sampled_from([SKLEARN_TOKEN_PATTERN, r"(?u)\b\w+\b", r"\w+", r"(\w)\w"]),
)
def test_regex_tokens_equal_sklearn_on_unicode(doc: str, pattern: str) -> None:
    expected = SkCount(token_pattern=pattern).build_analyzer()(doc)
    assert _split([doc], "regex", token_pattern=pattern) == [expected]


@given(doc=tricky_text)
def test_wordpunct_and_whitespace_equal_nltk_outside_c0_separators(doc: str) -> None:
    # nltk >= 3.10 runs its patterns with the `regex` module, whose \w and \s
    # follow Unicode (combining marks and ZWJ are word characters, "²" is not,
    # \x1c-\x1f are not whitespace); Python's re (and scikit-learn) disagree on
    # those. mlprep follows Python's re (documented): compare on the rest.
    nltk_tokenize = pytest.importorskip("nltk.tokenize")
    regex = pytest.importorskip("regex")

    def agree(char: str) -> bool:
        return all(
            bool(re.fullmatch(p, char)) == bool(regex.fullmatch(p, char))
            for p in (r"\w", r"\s")
        )

    doc = "".join(char if agree(char) else " " for char in doc)
    assert _split([doc], "wordpunct", lowercase=False) == [
        nltk_tokenize.wordpunct_tokenize(doc)
    ]
    expected = nltk_tokenize.WhitespaceTokenizer().tokenize(doc)
    assert _split([doc], "whitespace", lowercase=False) == [expected]


@given(doc=tricky_text)
def test_whitespace_method_is_str_split(doc: str) -> None:
    assert _split([doc], "whitespace", lowercase=False) == [doc.split()]


def test_treebank_and_tweet_are_nltk_tokenizers() -> None:
    nltk_tokenize = pytest.importorskip("nltk.tokenize")
    doc = "Don't panic :D — email me@example.com #calm @friend!"
    assert _split([doc], "treebank", lowercase=False) == [
        nltk_tokenize.TreebankWordTokenizer().tokenize(doc)
    ]
    tweet = _split([doc], "tweet")[0]
    assert tweet == nltk_tokenize.TweetTokenizer(preserve_case=False).tokenize(doc)
    assert ":D" in tweet and "#calm" in tweet and "don't" in tweet


def test_analysis_drops_stop_words_before_stemming() -> None:
    pytest.importorskip("nltk")

    class Options:
        method, token_pattern, lowercase, strip_accents = "regex", r"\w+", True, None
        stop_words, stemmer, lemmatizer, ngram_range = (
            ["running"],
            "porter",
            None,
            (1, 2),
        )

    analysis = Analysis.of(Options())
    assert analysis.token_lists(["Running dogs running", None or ""]) == [["dog"], []]
    two = Analysis.of(type("O", (Options,), {"stop_words": None})())
    assert two.token_lists(["Running dogs"]) == [["run", "dog", "run dog"]]


@given(
    docs=corpora(min_docs=1, max_docs=6),
    pattern=st.sampled_from(sorted(RUN_PATTERNS)),
    lowercase=st.booleans(),
)
def test_bulk_ascii_tokens_equal_python_re(
    docs: list, pattern: str, lowercase: bool
) -> None:
    # word-run patterns take pyarrow's RE2 path on ASCII documents and Python's re on
    # the others (RE2's \w and \b are ASCII-only): the tokens must not tell the two apart
    analyze = SkCount(token_pattern=pattern, lowercase=lowercase).build_analyzer()
    expected = [analyze(doc or "") for doc in docs]
    assert tokenize(docs, token_pattern=pattern, lowercase=lowercase) == expected


def test_bulk_path_keeps_document_order_with_mixed_scripts() -> None:
    docs = ["plain ascii", "Ünïcödé wörds", None, "more ascii_text here", "ΣΑΣ και"]
    expected = [SkCount().build_analyzer()(doc or "") for doc in docs]
    assert tokenize(docs, token_pattern=SKLEARN_TOKEN_PATTERN) == expected
