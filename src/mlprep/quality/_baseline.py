"""A data-quality baseline: per-column statistics and suggested constraints."""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any, ClassVar

import narwhals.stable.v2 as nw

from mlprep.core import (
    ColumnSpec,
    Interval,
    MlprepTransformer,
    NoneOK,
    Options,
    as_float_array,
    nanquantiles,
)
from mlprep.quality._profile import inferred_type, new_profile, profile_batch
from mlprep.state import merge_states
from mlprep.state._engine import quantile_summary
from mlprep.state._quantiles import DEFAULT_K

__all__ = ["Baseline"]

QUANTILES = (0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99)
"""The quantiles ``statistics_`` lists for numeric columns."""

_Z = 1.96  # two-sided 95 % normal quantile, for the completeness lower bound


class Baseline(MlprepTransformer):
    """Per-column statistics and constraints of a reference dataset, to check new data against.

    ``fit`` learns, for every column, what SageMaker Model Monitor's
    data-quality baseline records: the inferred type (``Integral``,
    ``Fractional`` or ``String``), the present and missing counts, and for
    numeric columns the mean, sum, standard deviation (population,
    ``ddof=0``), minimum, maximum and a KLL quantile sketch; for the other
    columns the distinct count and the most frequent values. From these it
    suggests constraints (``constraints_``): the type, a completeness floor,
    non-negativity, a category domain for columns with few values, and the
    observed range. :meth:`check` compares new data with them and returns a
    :class:`~mlprep.quality.DriftReport`; :meth:`write_sagemaker` writes
    Model Monitor's ``statistics.json`` and ``constraints.json``.

    The statistics are mergeable (:mod:`mlprep.state`): ``partial_fit`` over
    batches, a polars ``LazyFrame``, DuckDB relation, Parquet dataset or Spark
    ``DataFrame``, and :func:`mlprep.merge` of shards give the same counts,
    sums and moments as one in-memory fit, and quantiles within
    ``rank_error_``. Distinct counts are exact up to 100 000 distinct values
    and an HLL estimate (about 1.6 % error) beyond.

    ``transform`` returns its input unchanged, so a ``Baseline`` can sit in a
    pipeline and record what the next step is trained on.

    Suggested constraints:

    * ``completeness``: 1.0 when the column has no missing value; otherwise the
      lower end of a 95 % normal interval of the observed completeness ``p``
      over ``n`` rows, ``p - 1.96 * sqrt(p * (1 - p) / n)``, rounded down to two
      decimals (the rule of Amazon Deequ's ``RetainCompletenessRule``), so
      sampling noise alone seldom triggers a violation;
    * ``is_non_negative``: the minimum of a numeric column is ``>= 0``;
    * ``domain``: the observed values of a String column with at most
      ``max_domain`` of them (None otherwise);
    * ``min`` / ``max``: the observed range of a numeric column.

    Parameters
    ----------
    top_k : int, default=20
        The most frequent values kept in ``statistics_`` per String column.
    max_domain : int, default=20
        A String column with at most this many distinct values gets a
        category domain constraint.
    datatype_check_threshold : float in [0, 1], default=0.1
        :meth:`check` reports a type violation when more than this share of a
        column's present values does not fit the baseline's type (text in a
        numeric column, fractions in an Integral one).
    domain_content_threshold : float in [0, 1], default=0.1
        A category-domain violation when more than this share of present
        values lies outside the domain.
    comparison_threshold : float or None, default=None
        A drift violation when a column's distance (``comparison_method``) to
        the baseline exceeds it; None takes the method's documented default
        (:data:`mlprep.quality.THRESHOLDS`; 0.1 for ``"linf"``, Model
        Monitor's default).
    comparison_method : {"linf", "psi", "ks", "js", "wasserstein"}, default="linf"
        The distance :meth:`check` computes (:func:`mlprep.quality.drift`
        documents each); ``"linf"`` is Model Monitor's.
    k : int, default=200
        Size of the KLL quantile sketches.
    {columns}

    Attributes
    ----------
    columns_ : list of str
        The described columns.
    n_rows_ : int
        Rows seen (Model Monitor's ``item_count``).
    statistics_ : dict
        Column name to its statistics: ``inferred_type``, ``num_present``,
        ``num_missing``, and ``mean``, ``sum``, ``std_dev``, ``min``, ``max``,
        ``quantiles`` (numeric) or ``distinct_count``, ``distinct_exact`` and
        ``top`` (String: ``[value, count]`` pairs, most frequent first, ties
        by the value's text, so shards merge to the same list).
    constraints_ : dict
        Column name to its suggested constraints: ``inferred_type``,
        ``completeness``, and ``is_non_negative``, ``min``, ``max`` (numeric)
        or ``domain`` (String).
    quantile_method_ : {"exact", "kll"}
        ``"exact"`` after ``fit`` of in-memory data (numpy's quantiles, the
        same on every run); ``"kll"`` when batches, a lazy source or Spark
        went through the sketches.
    rank_error_ : float
        The largest normalized rank error of the quantiles (0 while exact).
    partial_state_ : dict
        The mergeable profiles (what :meth:`check` compares distributions with).
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    See Also
    --------
    mlprep.quality.drift : distances between two datasets, column by column.
    mlprep.quality.report : the statistics, drift and bias as an HTML page.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.quality import Baseline
    >>> train = pd.DataFrame({"age": [31, 45, 27, 52], "plan": ["a", "b", "a", "a"]})
    >>> baseline = Baseline().fit(train)
    >>> baseline.statistics_["age"]["mean"], baseline.constraints_["plan"]["domain"]
    (38.75, ['a', 'b'])
    >>> new = pd.DataFrame({"age": [33, -1, 40, 38], "plan": ["a", "c", "b", "a"]})
    >>> report = baseline.check(new)
    >>> report.ok
    False
    >>> sorted({v["check"] for v in report.violations})
    ['baseline_drift_check', 'categorical_values_check', 'non_negative_check']
    """

    _column_kind: ClassVar[str] = "any"
    _numeric_input: ClassVar[bool] = False
    _all_array_columns: ClassVar[bool] = True
    _tags: ClassVar[dict[str, Any]] = {
        "allow_nan": True,
        "string": True,
        "categorical": True,
        "preserves_dtype": [],
    }
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "top_k": [Interval(Integral, 1, None)],
        "max_domain": [Interval(Integral, 0, None)],
        "datatype_check_threshold": [Interval(Real, 0, 1, closed="both")],
        "domain_content_threshold": [Interval(Real, 0, 1, closed="both")],
        "comparison_threshold": [Interval(Real, 0, None), NoneOK],
        "comparison_method": [Options("linf", "psi", "ks", "js", "wasserstein")],
        "k": [Interval(Integral, 8, 65535)],
        "columns": [ColumnSpec],
    }

    def __init__(
        self,
        *,
        top_k: int = 20,
        max_domain: int = 20,
        datatype_check_threshold: float = 0.1,
        domain_content_threshold: float = 0.1,
        comparison_threshold: float | None = None,
        comparison_method: str = "linf",
        k: int = DEFAULT_K,
        columns: Any = None,
    ) -> None:
        self.top_k = top_k
        self.max_domain = max_domain
        self.datatype_check_threshold = datatype_check_threshold
        self.domain_content_threshold = domain_content_threshold
        self.comparison_threshold = comparison_threshold
        self.comparison_method = comparison_method
        self.k = k
        self.columns = columns

    # ------------------------------------------------------------ statistics
    def _new_state(self) -> dict[str, dict[str, Any]]:
        return {name: new_profile(self.k) for name in self.columns_}

    def _update_state(
        self, state: dict[str, dict[str, Any]], frame: nw.DataFrame, y: Any
    ) -> dict[str, dict[str, Any]]:
        owner = type(self).__name__
        batch = {
            name: profile_batch(frame[name], self.k, owner) for name in self.columns_
        }
        return merge_states(state, batch)

    def _finish_state(self, state: dict[str, dict[str, Any]]) -> None:
        self.statistics_ = {
            name: _statistics(state[name], self.top_k) for name in self.columns_
        }
        first = next(iter(self.statistics_.values()), None)
        self.n_rows_ = int(first["num_present"] + first["num_missing"]) if first else 0
        self.constraints_ = {
            name: _constraints(self.statistics_[name], state[name], self.max_domain)
            for name in self.columns_
        }
        sketches = [state[name]["sketch"] for name in self.columns_]
        inexact = [sketch for sketch in sketches if not sketch.exact]
        self.quantile_method_, self.rank_error_ = quantile_summary(inexact)

    def _fit(self, frame: nw.DataFrame, y: Any, **fit_params: Any) -> None:
        # In memory the quantiles are exact (numpy's), so two fits of the same
        # frame agree to the bit; the sketches stay in ``partial_state_`` for
        # merging and drift.
        super()._fit(frame, y, **fit_params)
        owner = type(self).__name__
        for name in self.columns_:
            stats = self.statistics_[name]
            if "quantiles" in stats and stats["num_present"]:
                values = as_float_array(frame[name], owner=owner)
                exact = nanquantiles(values, QUANTILES)
                stats["quantiles"] = {
                    str(q): _number(v) for q, v in zip(QUANTILES, exact)
                }
        self.quantile_method_, self.rank_error_ = "exact", 0.0

    def _transform(self, frame: nw.DataFrame) -> nw.DataFrame:
        return frame

    # ------------------------------------------------------------------ check
    def check(self, X: Any) -> Any:
        """Compare new data with the baseline: violations and per-column drift.

        ``X`` is described with the same settings (any container or lazy
        source ``fit`` accepts) and compared column by column, with Model
        Monitor's checks:

        * ``missing_column_check``: a baseline column is absent from ``X``;
        * ``extra_column_check``: ``X`` has a column the baseline does not
          (only when the baseline described every column, ``columns=None``);
        * ``data_type_check``: more than ``datatype_check_threshold`` of the
          present values do not fit the baseline's type;
        * ``completeness_check``: the share of present values is below the
          ``completeness`` constraint;
        * ``non_negative_check``: a negative value in a column constrained
          non-negative;
        * ``categorical_values_check``: more than ``domain_content_threshold``
          of the present values lie outside the column's domain;
        * ``baseline_drift_check``: the distance ``comparison_method`` between
          the baseline's distribution and ``X``'s exceeds
          ``comparison_threshold``.

        Parameters
        ----------
        X : DataFrame (pandas, polars), pyarrow Table, or a lazy source
            The data to check.

        Returns
        -------
        DriftReport
            ``ok``, ``violations`` and the distances of every column.
        """
        from mlprep.quality._check import check_against

        self._check_fitted()
        return check_against(self, X)

    def write_sagemaker(self, directory: Any) -> list[Any]:
        """Write Model Monitor's ``statistics.json`` and ``constraints.json`` into ``directory``.

        The files follow the schema of SageMaker Model Monitor's
        data-quality baseline (``version`` 0): per feature, ``inferred_type``,
        ``numerical_statistics`` (``common.num_present`` / ``num_missing``,
        ``mean``, ``sum``, ``std_dev``, ``min``, ``max`` and
        ``distribution.kll`` with 10 equal-width ``buckets`` and the sketch's
        retained items by level) or ``string_statistics`` (``distinct_count``
        and ``distribution.categorical.buckets``); constraints with
        ``completeness``, ``num_constraints.is_non_negative``,
        ``string_constraints.domains`` and ``monitoring_config``. Each file is
        written to a temporary name and renamed, so a failure never leaves a
        half-written file.

        Parameters
        ----------
        directory : str or path-like
            Created if missing.

        Returns
        -------
        list of pathlib.Path
            The two files written.
        """
        from mlprep.quality._sagemaker import write_baseline

        self._check_fitted()
        return write_baseline(self, directory)


def _number(value: float) -> float | None:
    """A statistic for JSON: NaN (no value) as None."""
    return None if value is None or math.isnan(value) else float(value)


def _statistics(profile: dict[str, Any], top_k: int) -> dict[str, Any]:
    kind = inferred_type(profile)
    if kind != "String":
        moments = profile["moments"]
        present = moments.count
        quantiles = profile["sketch"].quantiles(QUANTILES)
        return {
            "inferred_type": kind,
            "num_present": present,
            "num_missing": moments.missing,
            "mean": _number(moments.mean),
            "sum": _number(moments.mean * present) if present else 0.0,
            "std_dev": _number(moments.std) if present else None,
            "min": _number(moments.minimum),
            "max": _number(moments.maximum),
            "quantiles": {str(q): _number(v) for q, v in zip(QUANTILES, quantiles)},
        }
    values = profile["values"]
    counts = values.counts
    top = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))[:top_k]
    distinct = len(counts) if values.exact else round(profile["distinct"].estimate)
    missing = values.missing + profile["moments"].missing
    return {
        "inferred_type": kind,
        "num_present": values.total + profile["moments"].count,
        "num_missing": missing,
        "distinct_count": int(distinct),
        "distinct_exact": values.exact,
        "top": [[value, int(count)] for value, count in top],
    }


def _completeness(present: int, rows: int) -> float:
    if rows == 0 or present == rows:
        return 1.0
    p = present / rows
    low = p - _Z * math.sqrt(p * (1 - p) / rows)
    return max(0.0, math.floor(low * 100) / 100)


def _constraints(
    statistics: dict[str, Any], profile: dict[str, Any], max_domain: int
) -> dict[str, Any]:
    rows = statistics["num_present"] + statistics["num_missing"]
    constraint: dict[str, Any] = {
        "inferred_type": statistics["inferred_type"],
        "completeness": _completeness(statistics["num_present"], rows),
    }
    if statistics["inferred_type"] != "String":
        low = statistics["min"]
        constraint["is_non_negative"] = low is not None and low >= 0
        constraint["min"], constraint["max"] = low, statistics["max"]
        return constraint
    values = profile["values"]
    small = values.exact and 0 < len(values.counts) <= max_domain
    constraint["domain"] = sorted(values.counts, key=str) if small else None
    return constraint
