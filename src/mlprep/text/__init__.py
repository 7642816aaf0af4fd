"""Text features: tokenization, stop words, stemming and lemmatization, n-grams, counts, TF-IDF, hashing.

Everything runs offline: the English stop-word list is built in, nltk's
stemmers need no data, and nltk corpora (other languages' stop words,
WordNet) are used only when installed — otherwise the error names the
command that installs them.
"""

from mlprep.text._count import CountVectorizer
from mlprep.text._functions import ngrams, tokenize
from mlprep.text._hashing import HashingVectorizer
from mlprep.text._tfidf import TfidfVectorizer
from mlprep.text._tokenizer import Tokenizer

__all__ = [
    "CountVectorizer",
    "HashingVectorizer",
    "TfidfVectorizer",
    "Tokenizer",
    "ngrams",
    "tokenize",
]
