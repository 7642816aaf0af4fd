"""Shared helpers of the text tests: a small real-English corpus and matrix checks."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import scipy.sparse as sp

REAL_CORPUS = [
    "The harbour was quiet before dawn. Fishing boats rocked against the pier, "
    "and a single gull watched the water for signs of breakfast.",
    "By seven o'clock the market had filled with people: bakers carrying trays "
    "of warm bread, children chasing a stray dog, and an old man selling "
    "lemons from a wooden cart.",
    "Maria runs the small bookshop on the corner. She has run it for twenty "
    "years, and she still reads every novel before she puts it on the shelf.",
    "Rain arrived in the afternoon. The streets emptied quickly, cafés pulled "
    "their chairs inside, and the smell of wet stone rose from the pavement.",
    "Engineers from the city council inspected the old bridge on Tuesday. "
    "Their report, published in March, recommended repairs costing £2.4 million.",
    "",
    "Students at the evening school study mathematics, history and three "
    "languages; many of them work during the day and study late at night.",
    "The museum's new exhibition — maps, letters and photographs — tells the "
    "story of the harbour from 1850 to the present day.",
    "Don't forget: the ferry leaves at 6:45 sharp, and the next one isn't "
    "until tomorrow morning!",
    "Children running along the beach collected shells, stones and pieces of "
    "green glass worn smooth by the sea.",
    "Naïve visitors sometimes think the island is deserted in winter, but the "
    "villages are busy with repairs, weddings and long conversations.",
    "THE STORM WARNING WAS LIFTED AT MIDNIGHT, AND THE BOATS WENT OUT AGAIN.",
]
"""Twelve short paragraphs of plain English (one empty), written for these tests."""


def sklearn_docs(docs: list[Any]) -> list[str]:
    """The documents as scikit-learn takes them: missing ones as ``""``."""
    return ["" if d is None or (isinstance(d, float) and d != d) else d for d in docs]


def run_quietly(function: Callable[[], Any]) -> tuple[Any, Exception | None]:
    """``function()`` with warnings silenced; ``(result, None)`` or ``(None, error)``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return function(), None
        except ValueError as exc:
            return None, exc


def assert_same_matrix(ours: Any, theirs: Any, *, exact: bool = True) -> None:
    """Same shape, dtype, non-zero pattern and values (bit for bit when ``exact``)."""
    assert sp.issparse(ours) and ours.format == "csr"
    theirs = sp.csr_matrix(theirs)
    assert ours.shape == theirs.shape
    assert ours.dtype == theirs.dtype
    left, right = ours.toarray(), theirs.toarray()
    if exact:
        np.testing.assert_array_equal(left, right)
    else:
        np.testing.assert_allclose(left, right, rtol=1e-12, atol=1e-15)
