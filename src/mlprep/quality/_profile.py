"""What a data-quality fit reduces one column to: a mergeable per-column profile.

A profile is a dict of partial states (:mod:`mlprep.state`), so profiles of
batches, shards and Spark partitions merge exactly like every other fit:

* ``dtype``: rows seen under each column type (``Integral``, ``Fractional``,
  ``String``), decided by the batch's dtype, as SageMaker Model Monitor infers
  it from a CSV (integer columns are Integral, float columns Fractional,
  everything else String);
* ``form``: non-missing values by form, ``whole`` / ``fractional`` numbers and
  ``text``, so a check can tell how many values of new data do not fit the
  baseline's type (an Integral column whose values arrive as 2.5);
* ``moments`` and ``sketch``: exact count, missing, mean, variance, extremes,
  and KLL quantiles of numeric columns;
* ``values`` and ``distinct``: value counts (exact up to 100 000 distinct
  values) and an HLL distinct count of the other columns.
"""

from __future__ import annotations

from typing import Any

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import as_float_array, value_counts
from mlprep.core._columns import is_temporal_dtype
from mlprep.state import CountsState, DistinctSketch, MomentsState, QuantileSketch

__all__ = [
    "TYPES",
    "inferred_type",
    "is_number",
    "new_profile",
    "nonconforming",
    "profile_batch",
]

TYPES = ("Integral", "Fractional", "String")
"""Column types in Model Monitor's words, from the most to the least specific."""


def new_profile(k: int) -> dict[str, Any]:
    """An empty profile whose quantile sketch has size ``k``."""
    return {
        "dtype": CountsState(),
        "form": CountsState(),
        "moments": MomentsState(),
        "sketch": QuantileSketch(k),
        "values": CountsState(),
        "distinct": DistinctSketch(),
    }


def is_number(dtype: Any) -> bool:
    """Whether a column of ``dtype`` is described as numbers (booleans are not)."""
    return bool(dtype.is_numeric()) and dtype != nw.Boolean


def profile_batch(series: nw.Series, k: int, owner: str) -> dict[str, Any]:
    """The profile of one batch of one column."""
    profile = new_profile(k)
    dtype = series.dtype
    if is_number(dtype):
        values = as_float_array(series, owner=owner)
        moments = MomentsState.of(values)
        if dtype.is_integer():  # every value whole: no pass needed
            kind, whole = "Integral", moments.count
        else:
            kind = "Fractional"
            whole = int(np.count_nonzero(values == np.floor(values)))  # NaN: False
        profile["dtype"].update({kind: values.shape[0]})
        profile["form"].update({"whole": whole, "fractional": moments.count - whole})
        profile["moments"] = moments
        profile["sketch"].update(values)
        return profile
    if is_temporal_dtype(dtype):
        series = series.cast(nw.String)
    pairs, missing = value_counts(series)
    profile["dtype"].update({"String": series.shape[0]})
    profile["form"].update(_forms(pairs))
    profile["values"].update(pairs, missing=missing)
    profile["distinct"].update(pairs)
    return profile


def _forms(pairs: dict[Any, int]) -> dict[str, int]:
    """Counts of whole numbers, fractional numbers and text among mixed values."""
    forms = {"whole": 0, "fractional": 0, "text": 0}
    for value, count in pairs.items():
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            forms["whole" if float(value).is_integer() else "fractional"] += count
        else:
            forms["text"] += count
    return {form: count for form, count in forms.items() if count}


def inferred_type(profile: dict[str, Any]) -> str:
    """The least specific type any batch had (String over Fractional over Integral)."""
    seen = profile["dtype"].counts
    for kind in reversed(TYPES):
        if seen.get(kind):
            return kind
    return "String" if profile["moments"].count == 0 else "Fractional"


def nonconforming(profile: dict[str, Any], baseline_type: str) -> int:
    """How many present values of ``profile`` the type ``baseline_type`` does not admit."""
    forms = profile["form"].counts
    if baseline_type == "Integral":
        return int(forms.get("fractional", 0) + forms.get("text", 0))
    if baseline_type == "Fractional":
        return int(forms.get("text", 0))
    return 0
