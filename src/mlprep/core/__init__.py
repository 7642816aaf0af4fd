"""The core every family builds on: base class, validation, dataframe boundary, persistence.

Family code imports from here; ``core`` imports nothing from the families.
"""

from mlprep.core._columns import COLUMN_KINDS, select_columns
from mlprep.core._frame import (
    as_float_array,
    from_frame,
    is_float,
    is_missing,
    kind_of,
    missing_expr,
    null_nan,
    positional_names,
    to_frame,
)
from mlprep.core._registry import lookup, register, registered
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
from mlprep.core.base import MlprepTransformer
from mlprep.core.persistence import load, save

__all__ = [
    "COLUMN_KINDS",
    "Boolean",
    "ColumnSpec",
    "Constraint",
    "InstanceOf",
    "Interval",
    "MlprepTransformer",
    "NoneOK",
    "Options",
    "Predicate",
    "as_float_array",
    "from_frame",
    "is_float",
    "is_missing",
    "kind_of",
    "load",
    "lookup",
    "missing_expr",
    "null_nan",
    "positional_names",
    "register",
    "registered",
    "save",
    "select_columns",
    "to_frame",
    "validate_params",
]
