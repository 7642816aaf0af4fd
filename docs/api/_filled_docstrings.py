"""A griffe extension for the API reference: docstrings as Python sees them.

mlprep writes paragraphs that many classes share once (mlprep.core._docs): a
class docstring holds a line such as ``{columns}`` that is replaced by the
paragraph when the class is created. griffe reads the source, so it would
show the marker; this extension swaps such a docstring for the class's
runtime ``__doc__``. Only classes with a marker line are imported, and only
their docstring is taken from the runtime object.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

import griffe

MARKER = re.compile(r"^[ \t]*\{[a-z_]+\}[ \t]*$", re.MULTILINE)


class FilledDocstrings(griffe.Extension):
    """Replace a class docstring holding a ``{name}`` marker line by its runtime text."""

    def on_class_instance(self, *, cls: griffe.Class, **kwargs: Any) -> None:
        if cls.docstring is None or not MARKER.search(cls.docstring.value):
            return
        runtime = griffe.dynamic_import(cls.path)
        text = inspect.cleandoc(runtime.__doc__ or "")
        if MARKER.search(text):
            raise griffe.GriffeError(
                f"{cls.path}: a docstring marker line is still unfilled at run time"
            )
        cls.docstring.value = text
