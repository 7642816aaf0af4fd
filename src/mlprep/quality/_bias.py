"""SageMaker Clarify's pre-training bias metrics: does the label differ across a facet?

One aggregation (a ``group_by`` count over the facet, the label and the
optional group column, run by the frame's own engine, lazily for lazy
sources) reduces the data to a small table of counts; every metric is
arithmetic on that table. Definitions follow the Clarify documentation
("Pre-training bias metrics", Amazon SageMaker Developer Guide) and its
open-source implementation (``smclarify``); ``docs/quality-bias.md`` has the
worked examples.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Real
from typing import Any

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import (
    Boolean,
    Constraint,
    InstanceOf,
    NoneOK,
    Predicate,
    missing_expr,
    null_nan,
    plain_value,
    validate_params,
)
from mlprep.core._sources import as_polars_lazy, source_kind
from mlprep.core._warnings import warn_data
from mlprep.exceptions import DataError, InvalidParameterError
from mlprep.quality._bias_metrics import metrics

__all__ = ["CONTINUOUS_MIN_VALUES", "UNIQUENESS_THRESHOLD", "pretraining_bias"]

_OWNER = "pretraining_bias"

UNIQUENESS_THRESHOLD = 0.05
"""Clarify's rule: an integer column whose distinct values are at least 5 % of
its rows is continuous (``smclarify``'s ``UNIQUENESS_THRESHOLD``)."""

CONTINUOUS_MIN_VALUES = 10
"""mlprep's guard: a column with at most this many distinct values is always
categorical (Clarify's rule alone would call a 0/1 label of 20 rows continuous)."""

_N_SHOWN = 10


def _is_value(value: Any) -> bool:
    return value is not None and not isinstance(value, (list, tuple, set, dict))


def _is_values(value: Any) -> bool:
    if isinstance(value, (list, tuple)):
        return len(value) > 0 and all(_is_value(v) for v in value)
    return _is_value(value)


def _is_threshold(value: Any) -> bool:
    return (
        isinstance(value, Real)
        and not isinstance(value, (bool, np.bool_))
        and math.isfinite(float(value))
    )


_NAME = InstanceOf(str, "a column name (str)")
_CONSTRAINTS: dict[str, list[Constraint]] = {
    "label": [_NAME],
    "facet": [_NAME],
    "label_value": [Predicate(_is_values, "a value or a non-empty list of values")],
    "facet_value": [
        NoneOK,
        Predicate(_is_values, "a value or a non-empty list of values"),
    ],
    "group": [NoneOK, _NAME],
    "threshold": [NoneOK, Predicate(_is_threshold, "a finite number")],
    "as_frame": [Boolean],
}


def _frame(data: Any) -> nw.DataFrame | nw.LazyFrame:
    kind = source_kind(data)
    if kind in ("duckdb", "arrow-dataset"):
        data = as_polars_lazy(data, kind)
    try:
        return nw.from_native(data)
    except TypeError:
        raise DataError(
            f"{_OWNER} needs a DataFrame with named columns (pandas, polars, pyarrow) "
            f"or a lazy source (polars LazyFrame, DuckDB relation, mlprep.io.scan); "
            f"got {type(data).__name__}. Wrap arrays in a DataFrame first, e.g. "
            "pd.DataFrame({'label': y, 'facet': s})."
        ) from None


def _collect(frame: Any) -> nw.DataFrame:
    return frame.collect() if isinstance(frame, nw.LazyFrame) else frame


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _shown(values: Sequence[Any]) -> str:
    head = [plain_value(v) for v in list(values)[:_N_SHOWN]]
    more = f" and {len(values) - _N_SHOWN} more" if len(values) > _N_SHOWN else ""
    return f"{head}{more}"


def _sorted(values: Any) -> list[Any]:
    values = list(values)
    try:
        return sorted(values)
    except TypeError:
        return sorted(values, key=repr)


def _plain(value: Any) -> Any:
    """A value (or list of values) as plain Python, for JSON."""
    if isinstance(value, (list, tuple)):
        return [plain_value(v) for v in value]
    return plain_value(value)


def _member(values: list[Any], wanted: list[Any]) -> np.ndarray:
    """Whether each of ``values`` equals one of ``wanted`` (``1 == 1.0 == True``)."""
    return np.array([any(v == w for w in wanted) for v in values], dtype=bool)


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _continuous(
    frame: Any, schema: dict[str, Any], names: list[str]
) -> dict[str, tuple[bool, int, int]]:
    """Per column: (continuous?, distinct values, present values), one query.

    Continuous: numeric (not boolean) with more than ``CONTINUOUS_MIN_VALUES``
    distinct values and either a float dtype (Clarify: floats are continuous)
    or distinct values making up ``UNIQUENESS_THRESHOLD`` of the rows.
    """
    numeric = [n for n in names if schema[n].is_numeric() and schema[n] != nw.Boolean]
    out = dict.fromkeys(names, (False, 0, 0))
    if not numeric:
        return out
    exprs = []
    for i, name in enumerate(numeric):
        column = null_nan(name, schema[name])
        exprs += [
            column.n_unique().alias(f"u{i}"),
            column.count().alias(f"c{i}"),
            column.null_count().alias(f"z{i}"),
        ]
    row = _collect(frame.select(exprs)).rows(named=True)[0]
    for i, name in enumerate(numeric):
        present = int(row[f"c{i}"])
        distinct = int(row[f"u{i}"]) - (1 if int(row[f"z{i}"]) > 0 else 0)
        wide = distinct > CONTINUOUS_MIN_VALUES and (
            schema[name].is_float() or distinct >= UNIQUENESS_THRESHOLD * present
        )
        out[name] = (wide, distinct, present)
    return out


def _counts(
    frame: Any,
    schema: dict[str, Any],
    label: str,
    facet: str,
    group: str | None,
    label_cut: float | None,
    facet_cut: float | None,
) -> list[dict[str, Any]]:
    """The count table: one row per (facet, label, group) key, missing flagged."""

    def key(name: str, cut: float | None) -> nw.Expr:
        value = null_nan(name, schema[name])
        return value > cut if cut is not None else value

    columns = [
        key(facet, facet_cut).alias("f"),
        missing_expr(facet, schema[facet]).alias("f_missing"),
        key(label, label_cut).alias("y"),
        missing_expr(label, schema[label]).alias("y_missing"),
    ]
    keys = ["f", "f_missing", "y", "y_missing"]
    if group is not None:
        columns.append(null_nan(group, schema[group]).alias("g"))
        keys.append("g")
    table = frame.select(columns).group_by(keys, drop_null_keys=False)
    rows = _collect(table.agg(nw.len().alias("n"))).rows(named=True)
    for row in rows:
        for name in keys:
            row[name] = plain_value(row[name])
        if group is not None and _is_missing(row["g"]):
            row["g"] = None  # one subgroup of the rows without a group value
        row["n"] = int(row["n"])
    return rows


def _codes(values: list[Any], order: bool = True) -> tuple[list[Any], np.ndarray]:
    """The distinct values (sorted when ``order``) and each entry's index among them."""
    uniques = _sorted(set(values)) if order else list(dict.fromkeys(values))
    index = {v: i for i, v in enumerate(uniques)}
    return uniques, np.array([index[v] for v in values], dtype=np.int64)


def _needs_cut(column: str, role: str, param: str, stats: tuple[bool, int, int]) -> str:
    _, distinct, present = stats
    return (
        f"{_OWNER}: the {role} column {column!r} is continuous ({distinct} distinct "
        f"values in {present} rows). Pass {param}=<number>: rows with {column} > "
        f"{param} are {'positive' if role == 'label' else 'facet d'} (Clarify's rule "
        f"for continuous columns). To compare each value instead, cast {column!r} to "
        "strings first."
    )


def _kind(value: Any) -> str:
    if isinstance(value, (bool, int, float, np.number, np.bool_)):
        return "number"
    return type(value).__name__


def _check_present(
    values: list[Any], present: list[Any], column: str, param: str
) -> None:
    """A value of another type than the column's is an error; an absent one a warning."""
    absent = [v for v in values if not any(v == p for p in present)]
    if not absent:
        return
    kinds = {_kind(p) for p in present}
    wrong = [v for v in absent if _kind(v) not in kinds]
    if wrong:
        raise DataError(
            f"{_OWNER}: {param}={wrong[0]!r} ({type(wrong[0]).__name__}) matches no "
            f"value of column {column!r}, whose values are {_shown(present)}. Pass one "
            "of those (with the same type)."
        )
    warn_data(
        f"{_OWNER}: {param}={absent[0]!r} does not occur in column {column!r} (its "
        f"values are {_shown(present)}), so no row "
        f"{'is positive' if param == 'label_value' else 'is in facet d'} for it."
    )


def pretraining_bias(
    data: Any,
    *,
    label: str,
    facet: str,
    label_value: Any = 1,
    facet_value: Any = None,
    group: str | None = None,
    threshold: float | None = None,
    as_frame: bool = False,
) -> Any:
    """SageMaker Clarify's pre-training bias metrics of ``label`` across ``facet``.

    Facet *d* (the possibly disadvantaged group) is the rows where
    ``facet == facet_value`` (or whose facet is in the list
    ``facet_value``); facet *a* is the rest. With ``n`` rows and ``P_a(y)``,
    ``P_d(y)`` the label distributions of each facet:

    * ``CI = (n_a - n_d) / (n_a + n_d)``, class imbalance, in [-1, 1];
    * ``DPL = q_a - q_d``, difference in proportions of labels, ``q`` the
      share of positive labels (``label == label_value``, or in the list), in
      [-1, 1];
    * ``KL = Σ_y P_a(y) ln(P_a(y) / P_d(y))``, in [0, ∞] (∞ when facet *d*
      lacks a label value *a* has);
    * ``JS = ½ [KL(P_a ‖ M) + KL(P_d ‖ M)]``, ``M = ½ (P_a + P_d)``, in [0, ln 2];
    * ``LP = ‖P_a - P_d‖₂``, in [0, √2];
    * ``TVD = ½ ‖P_a - P_d‖₁`` and ``KS = max_y |P_a(y) - P_d(y)|``, in [0, 1];
    * with ``group=``: ``CDDL = Σ_i n_i DD_i / n`` over the groups *i*, with
      ``DD_i = n_d(0)_i / n(0)_i - n_d(1)_i / n(1)_i`` (the share of facet *d*
      among the rejected minus its share among the accepted of group *i*; a
      term with no rejected or no accepted rows counts 0, as in Clarify), in
      [-1, 1].

    KL, JS, LP, TVD and KS use the full label distribution (every class of a
    multiclass label); DPL and CDDL use positive vs the rest.

    Parameters
    ----------
    data : DataFrame (pandas, polars), pyarrow Table, or lazy source
        Lazy sources (polars ``LazyFrame``, DuckDB relation,
        :func:`mlprep.io.scan`, PySpark ``DataFrame``) are aggregated by their
        engine; only the count table is collected.
    label : str
        The label column.
    facet : str
        The sensitive column.
    label_value : value or list of values, default=1
        The positive label value(s). Not used when ``threshold`` is given.
    facet_value : value, list of values or None, default=None
        The value(s) forming facet *d*. None: one result per facet value,
        each against the rest (Clarify's default). For a continuous facet, a
        number: facet *d* is ``facet > facet_value``.
    group : str or None, default=None
        The column whose groups CDDL conditions on; rows with no group value
        form one group of their own.
    threshold : float or None, default=None
        For a continuous label (required there): positive is
        ``label > threshold``, and the label distribution is positive vs not.
    as_frame : bool, default=False
        Return a pandas DataFrame with one row per result.

    Returns
    -------
    dict, list of dict or pandas.DataFrame
        One dict when ``facet_value`` is given, a list of dicts (one per
        facet value) when it is None. Keys: ``facet``, ``facet_value``,
        ``facet_d`` (facet *d* in words), ``label``, ``label_value``,
        ``threshold``, ``n_a``, ``n_d``, ``CI``, ``DPL``, ``KL``, ``JS``,
        ``LP``, ``TVD``, ``KS``, ``CDDL`` (with ``group``), ``missing_facet``
        and ``missing_label`` (rows left out), ``reason`` (why a metric is
        NaN, else None). Plain Python values: ``json.dumps`` writes them.

    Raises
    ------
    DataError
        A column is absent; a ``facet_value`` or ``label_value`` of another
        type than the column's values (``"1"`` for a numeric column); a
        continuous label without ``threshold`` (or facet without a numeric
        ``facet_value``).

    Warns
    -----
    DataWarning
        Rows with a missing facet or label: they are left out of both
        facets and counted in ``missing_facet`` / ``missing_label``. A
        ``facet_value`` or ``label_value`` of the right type that does not
        occur (facet *d* is empty, or no row is positive).

    Notes
    -----
    A column is *continuous* when it is numeric (not boolean), has more
    than :data:`CONTINUOUS_MIN_VALUES` distinct values, and is a float column
    or has distinct values for at least 5 % of its rows (Clarify's rule).
    If facet *a* or *d* has no row, CI is ±1 and the other metrics are NaN
    with the reason given. A label with one class gives DPL, KL, JS, LP, TVD
    and KS of 0 (identical distributions) and a NaN CDDL (it needs accepted
    and rejected rows).

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.quality._bias import pretraining_bias
    >>> df = pd.DataFrame({"sex": ["F"] * 4 + ["M"] * 6,
    ...                    "hired": [1, 0, 0, 0, 1, 1, 1, 0, 0, 0]})
    >>> r = pretraining_bias(df, label="hired", facet="sex", facet_value="F")
    >>> r["n_a"], r["n_d"], r["CI"], r["DPL"], round(r["TVD"], 4)
    (6, 4, 0.2, 0.25, 0.25)
    >>> [row["facet_value"] for row in pretraining_bias(df, label="hired", facet="sex")]
    ['F', 'M']
    """
    validate_params(
        _OWNER,
        {
            "label": label,
            "facet": facet,
            "label_value": label_value,
            "facet_value": facet_value,
            "group": group,
            "threshold": threshold,
            "as_frame": as_frame,
        },
        _CONSTRAINTS,
    )
    roles = [("label", label), ("facet", facet)] + ([("group", group)] if group else [])
    names = [name for _, name in roles]
    if len(set(names)) < len(names):
        raise InvalidParameterError(
            f"{_OWNER}: label, facet and group must be different columns; got "
            f"{', '.join(f'{role}={name!r}' for role, name in roles)}."
        )
    frame = _frame(data)
    schema = dict(frame.collect_schema())
    for role, name in roles:
        if name not in schema:
            raise DataError(
                f"{_OWNER}: the {role} column {name!r} is not in the data; its "
                f"columns are {_shown(list(schema))}."
            )
    kinds = _continuous(frame, schema, [label, facet])
    label_cut = _label_cut(label, schema, kinds[label], threshold)
    facet_cut = _facet_cut(facet, kinds[facet], facet_value)
    rows = _counts(frame, schema, label, facet, group, label_cut, facet_cut)

    missing_facet = sum(r["n"] for r in rows if r["f_missing"])
    missing_label = sum(r["n"] for r in rows if r["y_missing"])
    _warn_missing(facet, missing_facet, label, missing_label)
    rows = [r for r in rows if not r["f_missing"] and not r["y_missing"]]

    n = np.array([r["n"] for r in rows], dtype=np.float64)
    label_values, y = _codes([r["y"] for r in rows])
    facet_values, f = _codes([r["f"] for r in rows])
    g = _codes([r["g"] for r in rows], order=False)[1] if group else None
    if label_cut is not None:
        positive_values: list[Any] = [True]
        label_values, y = (
            [False, True],
            np.array([int(r["y"]) for r in rows], dtype=np.int64),
        )
    else:
        positive_values = _as_list(label_value)
        if rows:
            _check_present(positive_values, label_values, label, "label_value")
    positive = _member(label_values, positive_values)[y]

    if facet_cut is not None:
        splits = [(facet_value, f"{facet} > {facet_cut!r}", [True])]
    elif facet_value is None:
        splits = [(v, f"{facet} == {v!r}", [v]) for v in facet_values]
    else:
        wanted = _as_list(facet_value)
        if rows:
            _check_present(wanted, facet_values, facet, "facet_value")
        words = (
            f"{facet} in {wanted!r}"
            if isinstance(facet_value, (list, tuple))
            else f"{facet} == {facet_value!r}"
        )
        splits = [(facet_value, words, wanted)]

    results = []
    for value, words, members in splits:
        result: dict[str, Any] = {
            "facet": facet,
            "facet_value": _plain(value),
            "facet_d": words,
            "label": label,
            "label_value": None if label_cut is not None else _plain(label_value),
            "threshold": label_cut,
        }
        d = _member(facet_values, members)[f]
        result.update(metrics(d, positive, y, n, len(label_values), g))
        result["missing_facet"] = missing_facet
        result["missing_label"] = missing_label
        results.append(result)
    if as_frame:
        columns = (
            list(results[0]) if results else ["facet", "facet_value", "n_a", "n_d"]
        )
        table = {c: [r.get(c) for r in results] for c in columns}
        return nw.from_dict(table, backend="pandas").to_native()
    return results if facet_value is None else results[0]


def _label_cut(
    label: str, schema: dict[str, Any], stats: tuple[bool, int, int], threshold: Any
) -> float | None:
    if threshold is not None:
        if not schema[label].is_numeric() or schema[label] == nw.Boolean:
            raise DataError(
                f"{_OWNER}: threshold={threshold!r} needs a numeric label, but column "
                f"{label!r} has dtype {schema[label]}. Leave threshold=None and give "
                "label_value= instead."
            )
        return float(threshold)
    if stats[0]:
        raise DataError(_needs_cut(label, "label", "threshold", stats))
    return None


def _facet_cut(
    facet: str, stats: tuple[bool, int, int], facet_value: Any
) -> float | None:
    if not stats[0]:
        return None
    values = _as_list(facet_value) if facet_value is not None else []
    if len(values) > 1:
        return None  # several values: membership, as Clarify does
    if not values or not _is_threshold(values[0]):
        raise DataError(_needs_cut(facet, "facet", "facet_value", stats))
    return float(values[0])


def _warn_missing(
    facet: str, missing_facet: int, label: str, missing_label: int
) -> None:
    if missing_facet:
        warn_data(
            f"{_OWNER}: {missing_facet} row(s) have no value in the facet column "
            f"{facet!r}; they are left out of both facets (counted in "
            "'missing_facet'). Impute or label them to include them."
        )
    if missing_label:
        warn_data(
            f"{_OWNER}: {missing_label} row(s) have no value in the label column "
            f"{label!r}; they are left out (counted in 'missing_label')."
        )
