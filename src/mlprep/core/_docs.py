"""Docstring paragraphs every transformer shares, written once.

A class docstring holds a line with only ``{columns}`` where its ``columns``
parameter is documented; when the class is created, that line becomes the
paragraph below, worded from the class's own declarations (the column kind
``columns=None`` selects, and whether it reads time/group key columns or takes
every column of an array). The words therefore cannot drift from what
``fit`` actually selects.
"""

from __future__ import annotations

import re
import textwrap

from mlprep.core._columns import COLUMN_KINDS

__all__ = ["MARKER", "columns_paragraph", "fill_columns_doc", "fill_doc"]

MARKER = "{columns}"


def columns_paragraph(kind: str, *, keys: bool = False, arrays: bool = False) -> str:
    """The numpydoc entry of the ``columns`` parameter, unindented.

    Parameters
    ----------
    kind : str
        The key of :data:`~mlprep.core.COLUMN_KINDS` that ``columns=None`` selects.
    keys : bool, default=False
        Whether the class reads time/group key columns, which are never selected.
    arrays : bool, default=False
        Whether array input selects every column.

    Examples
    --------
    >>> print(columns_paragraph("numeric"))
    columns : str, int, list of str or int, or None, default=None
        The columns to transform, by name or position. None selects every
        numeric column. The other columns pass through unchanged.
    """
    words = COLUMN_KINDS[kind][0]
    selected = "every column" if kind == "any" else f"every {words} column"
    if keys:
        selected += " other than the time and group columns"
    if arrays:
        selected += " (every column of an array)"
    text = (
        f"The columns to transform, by name or position. None selects {selected}. "
        "The other columns pass through unchanged."
    )
    body = textwrap.fill(
        text, width=76, initial_indent="    ", subsequent_indent="    "
    )
    return "columns : str, int, list of str or int, or None, default=None\n" + body


def fill_doc(doc: str | None, paragraphs: dict[str, str]) -> str | None:
    """``doc`` with every line that is only ``{name}`` replaced by ``paragraphs[name]``.

    The paragraph takes the marker line's indentation. A family writes a
    paragraph its classes share once and puts ``{name}`` where it belongs.

    Examples
    --------
    >>> fill_doc("Notes\\n    {batches}\\n", {"batches": "Batches merge."})
    'Notes\\n    Batches merge.\\n'
    """
    for name, paragraph in paragraphs.items():
        doc = _fill_marker(doc, name, paragraph)
    return doc


def _fill_marker(doc: str | None, name: str, paragraph: str) -> str | None:
    marker = "{" + name + "}"
    if doc is None or marker not in doc:
        return doc
    line = re.compile(
        r"^(?P<indent>[ \t]*)" + re.escape(marker) + r"[ \t]*$", re.MULTILINE
    )

    def indent(match: re.Match[str]) -> str:
        pad = match.group("indent")
        return "\n".join(pad + text if text else text for text in paragraph.split("\n"))

    return line.sub(indent, doc)


def fill_columns_doc(doc: str | None, paragraph: str) -> str | None:
    """``doc`` with its ``{columns}`` line replaced by ``paragraph``, indented alike.

    Examples
    --------
    >>> fill_columns_doc("Params\\n    {columns}\\n", "columns : list\\n    Names.")
    'Params\\n    columns : list\\n        Names.\\n'
    """
    return _fill_marker(doc, "columns", paragraph)
