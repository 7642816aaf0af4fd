"""The built-in rule-based English lemmatizer (and its documented limits)."""

from __future__ import annotations

import pytest

from mlprep.text._lemma import IRREGULAR, lemmatize


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("better", "good"),
        ("was", "be"),
        ("children", "child"),
        ("went", "go"),
        ("mice", "mouse"),
        ("studies", "study"),
        ("boxes", "box"),
        ("churches", "church"),
        ("heroes", "hero"),
        ("cats", "cat"),
        ("knives", "knife"),
        ("Cats", "Cat"),
        ("Children", "Child"),
        ("BETTER", "GOOD"),
    ],
)
def test_lemmatize(word: str, lemma: str) -> None:
    assert lemmatize(word) == lemma


@pytest.mark.parametrize(
    "word", ["bus", "news", "series", "glass", "status", "this", "gas", "its"]
)
def test_words_that_only_look_plural_are_kept(word: str) -> None:
    assert lemmatize(word) == word


@pytest.mark.parametrize("word", ["running", "walked", "cat", "a", ""])
def test_regular_verb_forms_and_short_words_are_left_alone(word: str) -> None:
    assert lemmatize(word) == word


def test_every_irregular_lemma_is_its_own_lemma() -> None:
    assert all(
        lemmatize(lemma) == lemma
        for lemma in set(IRREGULAR.values())
        if lemma not in IRREGULAR
    )
