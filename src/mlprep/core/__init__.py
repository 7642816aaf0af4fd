"""The core every family builds on: the template, the door to the backends, persistence.

Family code imports from here; ``core`` imports nothing from the families.
Only ``core`` (with ``io``, ``testing`` and ``datasets``) calls pandas, pyarrow
or polars; the families reach them through the named helpers below (see
``docs/architecture.md``). A helper whose name ends in ``_array``,
``_values`` or ``_list`` (or that takes rows) materializes data in memory.
"""

from mlprep.core._categories import factorize_series, lexical_order, value_counts
from mlprep.core._codes import (
    combine_codes,
    factorize_array,
    hash_array,
    is_missing_scalar,
    is_timedelta_scalar,
    isin,
    missing_mask,
    timedelta_ns,
    timestamp_ns,
)
from mlprep.core._columns import COLUMN_KINDS, select_columns
from mlprep.core._estimator import TAGS, MlprepEstimator
from mlprep.core._frame import (
    as_float_array,
    from_frame,
    is_float,
    is_missing,
    kind_of,
    missing_expr,
    null_nan,
    positional_names,
    refuse_infinite_values,
    sparse_out,
    to_frame,
)
from mlprep.core._keys import canonical_codes, hash_columns, mix64
from mlprep.core._names import check_unique_names, output_name, shared_input_name
from mlprep.core._numpy_path import (
    numpy_columns,
    numpy_float_values,
    with_numpy_columns,
)
from mlprep.core._registry import lookup, register, registered
from mlprep.core._rows import (
    as_column_list,
    column_is_temporal,
    column_values,
    is_column_spec,
    n_rows,
    plain_value,
    series_is_temporal,
    series_values,
    take_rows,
)
from mlprep.core._stats import (
    EPS,
    Moments,
    moments,
    nanquantiles,
    zero_scale_to_one,
)
from mlprep.core._strings import (
    encode_token_lists,
    join_words,
    split_word_runs,
    text_list,
)
from mlprep.core._temporal import (
    epoch_ns_array,
    parse_datetime_ns_array,
    temporal_kind,
    wall_clock_ns_array,
)
from mlprep.core._validation import (
    Boolean,
    ColumnSpec,
    Constraint,
    InstanceOf,
    Interval,
    NoneOK,
    Options,
    Predicate,
    validate_params,
)
from mlprep.core._windows import WINDOW_STATS, index_in, rolling_stat
from mlprep.core.base import MlprepTransformer
from mlprep.core.persistence import load, save

__all__ = [
    "COLUMN_KINDS",
    "EPS",
    "TAGS",
    "WINDOW_STATS",
    "Boolean",
    "ColumnSpec",
    "Constraint",
    "InstanceOf",
    "Interval",
    "MlprepEstimator",
    "MlprepTransformer",
    "Moments",
    "NoneOK",
    "Options",
    "Predicate",
    "as_column_list",
    "as_float_array",
    "canonical_codes",
    "check_unique_names",
    "column_is_temporal",
    "column_values",
    "combine_codes",
    "encode_token_lists",
    "epoch_ns_array",
    "factorize_array",
    "factorize_series",
    "from_frame",
    "hash_array",
    "hash_columns",
    "index_in",
    "is_column_spec",
    "is_float",
    "is_missing",
    "is_missing_scalar",
    "is_timedelta_scalar",
    "isin",
    "join_words",
    "kind_of",
    "lexical_order",
    "load",
    "lookup",
    "missing_expr",
    "missing_mask",
    "mix64",
    "moments",
    "n_rows",
    "nanquantiles",
    "null_nan",
    "numpy_columns",
    "numpy_float_values",
    "output_name",
    "parse_datetime_ns_array",
    "plain_value",
    "positional_names",
    "refuse_infinite_values",
    "register",
    "registered",
    "rolling_stat",
    "save",
    "select_columns",
    "series_is_temporal",
    "series_values",
    "shared_input_name",
    "sparse_out",
    "split_word_runs",
    "take_rows",
    "temporal_kind",
    "text_list",
    "timedelta_ns",
    "timestamp_ns",
    "to_frame",
    "validate_params",
    "value_counts",
    "wall_clock_ns_array",
    "with_numpy_columns",
    "zero_scale_to_one",
]
