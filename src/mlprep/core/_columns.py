"""Resolve a ``columns=`` argument into the list of column names to work on.

Column kinds are read from narwhals dtypes. This module is also where the
dtype reading is repaired once for the whole library: narwhals (2.29 and
earlier) parses a pandas zone-aware dtype from its text with a pattern that
only allows letters and ``/`` in the zone name, so ``datetime64[ns,
America/New_York]``, ``Etc/GMT+5`` or ``America/Port-au-Prince`` come back
as ``Unknown`` (UTC and Europe/Paris parse). Every reader of a dtype —
column-kind detection, :func:`is_temporal_dtype`, ``time_column=`` checks,
and narwhals' own ``dt`` methods, which refuse an ``Unknown`` column — then
sees no datetime. :func:`_repair_narwhals_zone_parsing` swaps that pattern
for one that also allows digits, ``_``, ``-`` and ``+`` (it accepts every
dtype text the original accepts, with the same groups) when mlprep is
imported; ``tests/test_timezones.py`` fails with "remove the workaround"
once narwhals parses these zones itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from numbers import Integral
from typing import Any

import narwhals.stable.v2 as nw

from mlprep.exceptions import DataError

DROPPED_HINT = (
    " If an earlier pipeline step derived columns from it, that step dropped it: "
    "give it drop_original=False."
)

__all__ = ["COLUMN_KINDS", "is_temporal_dtype", "select_columns"]

ZONE_PROBE = "datetime64[ns, America/New_York]"
"""A pandas dtype text narwhals 2.29 parses as ``Unknown`` (the zone has a ``_``)."""

PANDAS_DATETIME = re.compile(
    r"""^datetime64\[
        (?P<time_unit>s|ms|us|ns)
        (?:,\s*
            (?P<time_zone>
                [A-Za-z0-9_+\-/]+(?:[+-]\d{2}:\d{2})?   # IANA names, UTC+05:30
                |pytz\.FixedOffset\(\d+\)
            )
        )?
    \]$""",
    re.VERBOSE,
)
"""pandas' ``datetime64[unit, zone]`` dtype text, with any IANA zone name."""


def _repair_narwhals_zone_parsing() -> bool:
    """Make narwhals read pandas datetimes in zones like America/New_York (see module docstring).

    Returns whether the repair was installed: True while narwhals' own
    pattern misreads :data:`ZONE_PROBE`; False once it reads it (or no longer
    has the pattern), when the workaround is to be removed.
    """
    try:
        from narwhals._pandas_like import utils
    except ImportError:  # pragma: no cover - narwhals reorganized its modules
        return False
    pattern = getattr(utils, "PATTERN_PD_DATETIME", None)
    if getattr(pattern, "pattern", None) == PANDAS_DATETIME.pattern:
        return True  # installed by an earlier import of this module
    if not isinstance(pattern, re.Pattern) or pattern.match(ZONE_PROBE):
        return False
    utils.PATTERN_PD_DATETIME = PANDAS_DATETIME
    # the parser memoizes dtypes it read before the repair
    parser = getattr(utils, "non_object_native_to_narwhals_dtype", None)
    cache_clear = getattr(parser, "cache_clear", None)
    if cache_clear is not None:
        cache_clear()
    return True


NARWHALS_ZONE_REPAIRED = _repair_narwhals_zone_parsing()
"""Whether narwhals needed (and got) the zone-name repair in this process."""


def _is_numeric(dtype: Any) -> bool:
    return bool(dtype.is_numeric())


def _is_categorical(dtype: Any) -> bool:
    return dtype in (nw.String, nw.Categorical, nw.Enum, nw.Boolean) or isinstance(
        dtype, (nw.String, nw.Categorical, nw.Enum, nw.Boolean, nw.Object)
    )


def is_temporal_dtype(dtype: Any) -> bool:
    """Whether a narwhals dtype is a datetime (any unit or zone) or a date.

    Parameters
    ----------
    dtype : narwhals dtype

    Returns
    -------
    bool

    Examples
    --------
    >>> import pandas as pd
    >>> stamps = pd.Series(pd.to_datetime(["2024-03-10 03:00"]).tz_localize("America/New_York"))
    >>> is_temporal_dtype(nw.from_native(stamps, series_only=True).dtype)
    True
    >>> is_temporal_dtype(nw.Int64())
    False
    """
    return dtype in (nw.Datetime, nw.Date) or isinstance(dtype, (nw.Datetime, nw.Date))


def _is_text(dtype: Any) -> bool:
    return dtype == nw.String or isinstance(dtype, nw.Object)


COLUMN_KINDS: dict[str, tuple[str, Callable[[Any], bool]]] = {
    "numeric": ("numeric", _is_numeric),
    "categorical": ("string, categorical or boolean", _is_categorical),
    "encodable": (
        "string, categorical, boolean or numeric",
        lambda dtype: _is_categorical(dtype) or _is_numeric(dtype),
    ),
    "temporal": ("datetime or date", is_temporal_dtype),
    "temporal_or_string": (
        "datetime, date or string",
        lambda dtype: is_temporal_dtype(dtype) or _is_text(dtype),
    ),
    "text": ("string", _is_text),
    "text_or_null": (
        "string (or all-null)",
        lambda dtype: _is_text(dtype) or dtype == nw.Unknown,
    ),
    "any": ("any", lambda dtype: True),
}
"""Column kinds a transformer may work on: ``kind -> (words, dtype predicate)``.

``columns=None`` selects every column whose dtype satisfies the predicate.
"""


def select_columns(
    frame: nw.DataFrame,
    columns: Any,
    *,
    kind: str,
    owner: str,
    named_kind: str | None = None,
    keys: Sequence[str] = (),
) -> list[str]:
    """The column names ``columns`` designates in ``frame``, in frame order.

    Parameters
    ----------
    frame : narwhals.DataFrame
    columns : str, int, list of str or int, or None
        Names, positions, or None for every column of ``kind``.
    kind : str
        A key of :data:`COLUMN_KINDS`.
    owner : str
        The calling class, for messages.
    named_kind : str, optional
        The kind explicitly named columns may have; defaults to ``kind``.
    keys : sequence of str
        Columns the transformer reads as keys (time, groups): they must be in
        the data, are never selected by ``columns=None`` and may not be named.

    Raises
    ------
    DataError
        A named column or key is absent, a key is named in ``columns=``, a
        column has a dtype the transformer cannot use, or ``columns=None``
        finds no column of the kind.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = nw.from_native(pd.DataFrame({"a": [1.0], "b": ["x"], "t": [2]}))
    >>> select_columns(frame, None, kind="numeric", owner="Demo", keys=["t"])
    ['a']
    """
    words, predicate = COLUMN_KINDS[kind]
    schema = frame.schema
    names = list(schema)
    absent = [key for key in keys if key not in schema]
    if absent:
        raise DataError(
            f"{owner}: key column {absent[0]!r} (a time or group column) is not in "
            f"the data. Available columns: {names}.{DROPPED_HINT}"
        )
    if len(set(keys)) != len(keys):
        raise DataError(f"{owner}: the time and group columns must be distinct.")
    if columns is None:
        everything = [
            name for name in names if name not in keys and predicate(schema[name])
        ]
        if not everything:
            besides = " besides the time and group columns" if keys else ""
            raise DataError(
                f"{owner} found no {words} columns{besides} in the data (columns: "
                f"{names}). Name the columns to use with columns=."
            )
        return everything
    requested: list[Any] = (
        [columns] if isinstance(columns, (str, Integral)) else list(columns)
    )
    chosen: list[str] = []
    for item in requested:
        if isinstance(item, Integral) and not isinstance(item, bool):
            item = int(item)
            if not -len(names) <= item < len(names):
                raise DataError(
                    f"Column position {item} given in columns= is out of range for "
                    f"data with {len(names)} columns."
                )
            name = names[item]
        elif isinstance(item, str) and item in schema:
            name = item
        else:
            raise DataError(
                f"Column {item!r} given in columns= is not in the data. "
                f"Available columns: {names}.{DROPPED_HINT}"
            )
        if name in chosen:
            raise DataError(f"Column {name!r} is given twice in columns=.")
        chosen.append(name)
    clash = [name for name in chosen if name in keys]
    if clash:
        raise DataError(
            f"{owner}: column {clash[0]!r} is both in columns= and a time/group "
            "column; a key column is read, not transformed."
        )
    named_words, check = COLUMN_KINDS[named_kind or kind]
    for name in chosen:
        if not check(schema[name]):
            raise DataError(
                f"{owner} needs {named_words} columns, but column {name!r} has dtype "
                f"{schema[name]}. Convert it first or leave it out of columns=."
            )
    return [name for name in names if name in chosen]
