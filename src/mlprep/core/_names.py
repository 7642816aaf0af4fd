"""One rule for the names of new output columns: ``{input}_{what}``.

Every family names the columns it creates with :func:`output_name` —
``sales_lag_7``, ``color_White``, ``ts_month``, ``city_hash_3`` — and checks
the whole list with :func:`check_unique_names` before it is used. The two
documented exceptions (see ``docs/architecture.md``):

* a text vectorizer over a **single** text column, with nothing else in its
  output, names its columns by the bare term, as scikit-learn does
  (``"apple"``); over several columns, or beside passed-through columns,
  ``{column}_{term}``;
* hashing encoders that hash several columns into one **shared block** name it
  after all of them joined by ``+``: ``color+city_hash_3``.
"""

from __future__ import annotations

from collections.abc import Sequence

from mlprep.exceptions import DataError

__all__ = ["check_unique_names", "output_name", "shared_input_name"]


def output_name(input_name: str, what: object) -> str:
    """The name of a column derived from ``input_name``: ``{input}_{what}``.

    Examples
    --------
    >>> output_name("sales", "lag_7")
    'sales_lag_7'
    >>> output_name("color", None)
    'color_nan'
    """
    return f"{input_name}_{'nan' if what is None else what}"


def shared_input_name(input_names: Sequence[str]) -> str:
    """The input part of a block computed from several columns together: ``a+b``.

    Examples
    --------
    >>> shared_input_name(["color", "city"])
    'color+city'
    """
    return "+".join(input_names)


def check_unique_names(owner: str, names: Sequence[str]) -> None:
    """Refuse output names that repeat (two categories with the same label, say).

    Raises
    ------
    DataError
        Naming the first repeated name and how to avoid it.

    Examples
    --------
    >>> check_unique_names("OneHotEncoder", ["color_Red", "color_Blue"])
    >>> check_unique_names("OneHotEncoder", ["color_nan", "color_nan"])
    Traceback (most recent call last):
    ...
    mlprep.exceptions.DataError: OneHotEncoder would produce two output columns named 'color_nan' ...
    """
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise DataError(
                f"{owner} would produce two output columns named {name!r} (a "
                "category label equals another, e.g. the string 'nan' beside "
                "missing values, or a new column equals an existing one). Rename "
                "the categories or the column."
            )
        seen.add(name)
