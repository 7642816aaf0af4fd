"""``drift``: one distance per shared column of two datasets."""

from __future__ import annotations

import math
from numbers import Integral
from typing import Any

import narwhals.stable.v2 as nw

from mlprep.core import (
    Boolean,
    ColumnSpec,
    Interval,
    Options,
    as_float_array,
    select_columns,
    validate_params,
    value_counts,
)
from mlprep.core._frame import to_frame
from mlprep.core._sources import source_kind
from mlprep.core._warnings import warn_data
from mlprep.exceptions import DataError
from mlprep.quality._distances import (
    METHODS,
    THRESHOLDS,
    Distance,
    NumericSample,
    categorical_distance,
    numeric_distance,
)
from mlprep.quality._profile import is_number

__all__ = ["drift"]

_OWNER = "drift"


def _exact(
    name: str, ref: nw.Series, cur: nw.Series, method: str, bins: int
) -> tuple[str, Distance | None]:
    """The exact distance of one column of two in-memory frames."""
    numeric = is_number(ref.dtype), is_number(cur.dtype)
    if all(numeric):
        found = numeric_distance(
            method,
            NumericSample.of(as_float_array(ref, owner=_OWNER)),
            NumericSample.of(as_float_array(cur, owner=_OWNER)),
            bins=bins,
        )
        return "numeric", found
    if not any(numeric):
        found = categorical_distance(method, value_counts(ref)[0], value_counts(cur)[0])
        return "categorical", found
    warn_data(
        f"drift: column {name!r} is {ref.dtype} in the reference but {cur.dtype} in "
        "the current data, so no distance is computed (NaN). Cast one side to "
        "the other's type to compare them."
    )
    return "mismatch", None


def _from_profiles(
    reference: Any, current: Any, columns: Any, method: str, bins: int
) -> dict[str, tuple[str, Distance | None]]:
    """Distances from Baseline profiles: a fitted reference, or lazy sources on either side."""
    from mlprep.quality._baseline import Baseline
    from mlprep.quality._check import profile_distance

    if not isinstance(reference, Baseline):
        reference = Baseline(columns=columns).fit(reference)
    reference._check_fitted()
    fitted = Baseline(k=reference.k, columns=None).fit(current)
    found: dict[str, tuple[str, Distance | None]] = {}
    for name in reference.columns_:
        if name not in fitted.columns_:
            continue
        kind = reference.statistics_[name]["inferred_type"]
        cur_kind = fitted.statistics_[name]["inferred_type"]
        if (kind == "String") != (cur_kind == "String"):
            found[name] = ("mismatch", None)
            continue
        found[name] = profile_distance(
            reference.partial_state_[name],
            fitted.partial_state_[name],
            kind,
            method,
            bins=bins,
        )
    return found


def drift(
    reference: Any,
    current: Any,
    *,
    method: str = "psi",
    columns: Any = None,
    bins: int = 10,
    as_frame: bool = False,
) -> Any:
    """How far each shared column of ``current`` has moved from ``reference``.

    Numeric columns (both sides numeric) are compared as distributions of
    numbers, the others as distributions of categories. ``method``:

    * ``"psi"``: population stability index over ``bins`` bins at the
      reference's quantiles (< 0.1 stable, 0.1–0.25 moderate, > 0.25 large);
    * ``"ks"``: the two-sample Kolmogorov–Smirnov statistic (equal to
      :func:`scipy.stats.ks_2samp`'s on in-memory data); for categories the
      largest difference of shares;
    * ``"js"``: Jensen–Shannon divergence (natural log, at most ln 2);
    * ``"linf"``: the largest difference of bin or category shares
      (SageMaker Model Monitor's distribution distance);
    * ``"wasserstein"``: the earth mover's distance in the column's units
      (equal to :func:`scipy.stats.wasserstein_distance`); for categories the
      total variation distance.

    In-memory frames give exact distances. A lazy source on either side
    (polars ``LazyFrame``, DuckDB relation, pyarrow dataset, Spark
    ``DataFrame``), or a fitted :class:`~mlprep.quality.Baseline` as
    ``reference``, is streamed into KLL sketches and value counts: numeric
    distances are then approximate, and ``as_frame=True`` states the bound on
    the error (``ks``: the sum of both sketches' rank errors; NaN where no
    bound is known).

    Parameters
    ----------
    reference : DataFrame (pandas, polars), pyarrow Table, lazy source, or a fitted Baseline
        The data the model was trained on.
    current : DataFrame, pyarrow Table, or lazy source
        The data to compare.
    method : {"psi", "ks", "js", "linf", "wasserstein"}, default="psi"
    columns : str, list of str or None, default=None
        The columns to compare; None compares every column both sides have.
    bins : int, default=10
        Bins of the reference's quantiles for ``psi``, ``js`` and ``linf`` on
        numeric columns.
    as_frame : bool, default=False
        Return a pandas DataFrame with a row per column (``column``, ``kind``,
        ``method``, ``distance``, ``error``, ``threshold``, ``drifted``)
        instead of a dict.

    Returns
    -------
    dict or pandas.DataFrame
        ``{column: distance}`` (NaN where a side has no value, or the two
        sides' types differ: a :class:`~mlprep.exceptions.DataWarning` says
        which), in the reference's column order.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.quality import drift
    >>> train = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0], "c": ["a", "a", "b", "b"]})
    >>> today = pd.DataFrame({"x": [3.0, 4.0, 5.0, 6.0], "c": ["a", "b", "b", "b"]})
    >>> drift(train, today, method="ks")
    {'x': 0.5, 'c': 0.25}
    >>> drift(train, today, method="wasserstein")["x"]
    2.0
    """
    validate_params(
        "drift",
        {"method": method, "columns": columns, "bins": bins, "as_frame": as_frame},
        {
            "method": [Options(*METHODS)],
            "columns": [ColumnSpec],
            "bins": [Interval(Integral, 2, None)],
            "as_frame": [Boolean],
        },
    )
    from mlprep.quality._baseline import Baseline

    if isinstance(reference, Baseline) or any(
        source_kind(side) is not None for side in (reference, current)
    ):
        found = _from_profiles(reference, current, columns, method, bins)
    else:
        ref, _ = to_frame(reference, owner=_OWNER, numeric=False)
        cur, _ = to_frame(current, owner=_OWNER, numeric=False)
        names = select_columns(ref, columns, kind="any", owner=_OWNER)
        absent = [name for name in names if name not in cur.columns]
        if columns is not None and absent:
            raise DataError(
                f"drift: the current data lacks the column {absent[0]!r} named in "
                f"columns=; its columns are {list(cur.columns)[:20]}."
            )
        found = {
            name: _exact(name, ref[name], cur[name], method, bins)
            for name in names
            if name in cur.columns
        }
    if not as_frame:
        return {
            name: (result.value if result is not None else math.nan)
            for name, (_, result) in found.items()
        }
    threshold = THRESHOLDS[method]
    rows = []
    for name, (kind, result) in found.items():
        value = result.value if result is not None else math.nan
        rows.append(
            {
                "column": name,
                "kind": kind,
                "method": method,
                "distance": value,
                "error": result.error if result is not None else math.nan,
                "threshold": threshold,
                "drifted": bool(value > threshold),
            }
        )
    names = ["column", "kind", "method", "distance", "error", "threshold", "drifted"]
    table = {name: [row[name] for row in rows] for name in names}
    return nw.from_dict(table, backend="pandas").to_native()
