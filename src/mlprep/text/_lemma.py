"""A small rule-based English lemmatizer that needs no data download.

It knows a table of irregular forms (``"better" -> "good"``, ``"was" ->
"be"``, ``"children" -> "child"``, ``"went" -> "go"``) and undoes regular
noun plurals (``"studies" -> "study"``, ``"boxes" -> "box"``, ``"cats" ->
"cat"``). It does no part-of-speech tagging, so it leaves regular verb
endings alone (``"running"`` stays ``"running"``; use a stemmer for that) and
it can be fooled by words that merely look plural (a short exception list
covers the common ones: ``"bus"``, ``"news"``, ``"series"``, ...). For
dictionary-backed lemmas use ``lemmatizer="wordnet"`` (needs nltk's WordNet
data).
"""

from __future__ import annotations

__all__ = ["lemmatize"]

_IRREGULAR_GROUPS = {
    "be": "am is are was were been being 's 're 'm",
    "have": "has had having 've",
    "do": "does did done doing",
    "go": "goes went gone going",
    "good": "better best",
    "bad": "worse worst",
    "far": "further farther furthest farthest",
    "man": "men",
    "woman": "women",
    "child": "children",
    "person": "people",
    "mouse": "mice",
    "goose": "geese",
    "foot": "feet",
    "tooth": "teeth",
    "ox": "oxen",
    "louse": "lice",
    "criterion": "criteria",
    "phenomenon": "phenomena",
    "analysis": "analyses",
    "thesis": "theses",
    "crisis": "crises",
    "index": "indices",
    "matrix": "matrices",
    "vertex": "vertices",
    "knife": "knives",
    "wife": "wives",
    "leaf": "leaves",
    "half": "halves",
    "wolf": "wolves",
    "shelf": "shelves",
    "self": "selves",
    "run": "ran",
    "come": "came",
    "get": "got gotten",
    "give": "gave given",
    "take": "took taken",
    "make": "made",
    "see": "seen",
    "know": "knew known",
    "think": "thought",
    "bring": "brought",
    "buy": "bought",
    "catch": "caught",
    "teach": "taught",
    "say": "said",
    "tell": "told",
    "write": "wrote written",
    "eat": "ate eaten",
    "begin": "began begun",
    "drink": "drank drunk",
    "speak": "spoke spoken",
    "break": "broke broken",
    "choose": "chose chosen",
    "fall": "fell fallen",
    "feel": "felt",
    "keep": "kept",
    "lose": "lost",
    "meet": "met",
    "pay": "paid",
    "sell": "sold",
    "send": "sent",
    "sit": "sat",
    "stand": "stood",
    "understand": "understood",
    "win": "won",
    "grow": "grew grown",
    "fly": "flew flown",
    "drive": "drove driven",
    "rise": "rose risen",
    "sing": "sang sung",
    "swim": "swam swum",
    "throw": "threw thrown",
    "wear": "wore worn",
    "build": "built",
    "hold": "held",
    "lead": "led",
    "mean": "meant",
    "spend": "spent",
}
IRREGULAR: dict[str, str] = {
    form: lemma for lemma, forms in _IRREGULAR_GROUPS.items() for form in forms.split()
}
"""Irregular inflected form -> lemma."""

# Words ending in "s" that are not plurals (or whose plural rule would break them).
_NOT_PLURAL = frozenset(
    "is was has does goes this his its us as yes thus plus bus gas lens news "
    "series species means physics mathematics economics statistics politics "
    "ethics always perhaps whereas towards afterwards alias atlas bias canvas "
    "chaos christmas corps iris virus status campus bonus census focus genus "
    "cactus radius hiatus apparatus analysis basis thesis crisis axis diagnosis "
    "emphasis hypothesis synopsis glass class grass mass pass boss loss moss "
    "kiss miss process access address success stress business witness".split()
)


def lemmatize(word: str) -> str:
    """The lemma of one English word (rule based; case is kept as given).

    Examples
    --------
    >>> from mlprep.text._lemma import lemmatize
    >>> [lemmatize(w) for w in ["better", "children", "studies", "boxes", "cats", "bus"]]
    ['good', 'child', 'study', 'box', 'cat', 'bus']
    """
    lower = word.lower()
    if lower in IRREGULAR:
        lemma = IRREGULAR[lower]
        return lemma if lower == word else _recase(lemma, word)
    if len(lower) <= 3 or not lower.endswith("s") or lower in _NOT_PLURAL:
        return word
    if lower.endswith("ss") or lower.endswith("us") or lower.endswith("is"):
        return word
    if lower.endswith("ies") and len(lower) > 4:
        return word[:-3] + ("y" if word[-3:].islower() else "Y")
    if lower.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return word[:-2]
    if lower.endswith("oes") and len(lower) > 5:
        return word[:-2]
    return word[:-1]


def _recase(lemma: str, word: str) -> str:
    if word.isupper():
        return lemma.upper()
    if word[:1].isupper():
        return lemma[:1].upper() + lemma[1:]
    return lemma
