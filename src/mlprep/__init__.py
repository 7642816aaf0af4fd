"""mlprep: local-first, leakage-safe feature engineering and preprocessing.

pandas, polars or pyarrow frames in, the same frame out; numpy in, numpy out.
Every transformer is a scikit-learn transformer, and every fitted one can be
saved as plain JSON with :func:`save` and read back with :func:`load`.

Families: :mod:`mlprep.balance`, :mod:`mlprep.encode`, :mod:`mlprep.impute`, :mod:`mlprep.outliers`, :mod:`mlprep.quality`, :mod:`mlprep.scale`, :mod:`mlprep.select`, :mod:`mlprep.split`, :mod:`mlprep.text`, :mod:`mlprep.timeseries`.
"""

# Nothing but this module loads at ``import mlprep`` (a command line call, a
# SageMaker job or a CI step pays the import every time); each name below is
# imported when first used, and scikit-learn with the first class.
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from mlprep._version import __version__

if TYPE_CHECKING:  # the names as the type checker and editors see them
    from mlprep import (
        balance,
        encode,
        exceptions,
        impute,
        io,
        outliers,
        quality,
        scale,
        select,
        spec,
        split,
        state,
        text,
        timeseries,
    )
    from mlprep.balance import Balancer, class_weights
    from mlprep.core.persistence import dumps, load, loads, save
    from mlprep.encode import (
        BinaryEncoder,
        CountEncoder,
        HashingEncoder,
        OneHotEncoder,
        OrdinalEncoder,
        TargetEncoder,
    )
    from mlprep.impute import Imputer
    from mlprep.outliers import Deduplicator, OutlierHandler, OutlierRemover
    from mlprep.quality import Baseline
    from mlprep.scale import (
        Binner,
        LogTransformer,
        MaxAbsScaler,
        MinMaxScaler,
        PowerTransformer,
        RobustScaler,
        RootTransformer,
        StandardScaler,
    )
    from mlprep.select import (
        DropColumns,
        DropConstantFeatures,
        DropCorrelatedFeatures,
        DropDuplicateFeatures,
    )
    from mlprep.split import (
        GroupTimeSeriesSplit,
        KeyKFold,
        KeySplitter,
        LeakageError,
        LeakageReport,
        OrderedSplitter,
        RandomSplitter,
        StratifiedSplitter,
        check_leakage,
        train_val_test_split,
    )
    from mlprep.state import merge
    from mlprep.text import (
        CountVectorizer,
        HashingVectorizer,
        TfidfVectorizer,
        Tokenizer,
        ngrams,
        tokenize,
    )
    from mlprep.timeseries import (
        DatetimeFeatures,
        DiffFeatures,
        ExpandingFeatures,
        LagFeatures,
        RollingFeatures,
    )

_ATTRIBUTES = {
    "Balancer": "mlprep.balance",
    "Baseline": "mlprep.quality",
    "BinaryEncoder": "mlprep.encode",
    "Binner": "mlprep.scale",
    "CountEncoder": "mlprep.encode",
    "CountVectorizer": "mlprep.text",
    "DatetimeFeatures": "mlprep.timeseries",
    "Deduplicator": "mlprep.outliers",
    "DiffFeatures": "mlprep.timeseries",
    "DropColumns": "mlprep.select",
    "DropConstantFeatures": "mlprep.select",
    "DropCorrelatedFeatures": "mlprep.select",
    "DropDuplicateFeatures": "mlprep.select",
    "ExpandingFeatures": "mlprep.timeseries",
    "GroupTimeSeriesSplit": "mlprep.split",
    "HashingEncoder": "mlprep.encode",
    "HashingVectorizer": "mlprep.text",
    "Imputer": "mlprep.impute",
    "KeyKFold": "mlprep.split",
    "KeySplitter": "mlprep.split",
    "LagFeatures": "mlprep.timeseries",
    "LeakageError": "mlprep.split",
    "LeakageReport": "mlprep.split",
    "LogTransformer": "mlprep.scale",
    "MaxAbsScaler": "mlprep.scale",
    "MinMaxScaler": "mlprep.scale",
    "OneHotEncoder": "mlprep.encode",
    "OrderedSplitter": "mlprep.split",
    "OrdinalEncoder": "mlprep.encode",
    "OutlierHandler": "mlprep.outliers",
    "OutlierRemover": "mlprep.outliers",
    "PowerTransformer": "mlprep.scale",
    "RandomSplitter": "mlprep.split",
    "RobustScaler": "mlprep.scale",
    "RollingFeatures": "mlprep.timeseries",
    "RootTransformer": "mlprep.scale",
    "StandardScaler": "mlprep.scale",
    "StratifiedSplitter": "mlprep.split",
    "TargetEncoder": "mlprep.encode",
    "TfidfVectorizer": "mlprep.text",
    "Tokenizer": "mlprep.text",
    "check_leakage": "mlprep.split",
    "class_weights": "mlprep.balance",
    "dumps": "mlprep.core.persistence",
    "load": "mlprep.core.persistence",
    "loads": "mlprep.core.persistence",
    "merge": "mlprep.state",
    "ngrams": "mlprep.text",
    "save": "mlprep.core.persistence",
    "tokenize": "mlprep.text",
    "train_val_test_split": "mlprep.split",
}
"""Public names to the module that defines them, imported on first use."""
_SUBMODULES = frozenset(
    {
        "balance",
        "encode",
        "exceptions",
        "impute",
        "io",
        "outliers",
        "quality",
        "scale",
        "select",
        "spec",
        "split",
        "state",
        "text",
        "timeseries",
    }
)


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        value = importlib.import_module(f"mlprep.{name}")
    elif name in _ATTRIBUTES:
        value = getattr(importlib.import_module(_ATTRIBUTES[name]), name)
    else:
        raise AttributeError(f"module 'mlprep' has no attribute {name!r}")
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "Balancer",
    "Baseline",
    "BinaryEncoder",
    "Binner",
    "CountEncoder",
    "CountVectorizer",
    "DatetimeFeatures",
    "Deduplicator",
    "DiffFeatures",
    "DropColumns",
    "DropConstantFeatures",
    "DropCorrelatedFeatures",
    "DropDuplicateFeatures",
    "ExpandingFeatures",
    "GroupTimeSeriesSplit",
    "HashingEncoder",
    "HashingVectorizer",
    "Imputer",
    "KeyKFold",
    "KeySplitter",
    "LagFeatures",
    "LeakageError",
    "LeakageReport",
    "LogTransformer",
    "MaxAbsScaler",
    "MinMaxScaler",
    "OneHotEncoder",
    "OrderedSplitter",
    "OrdinalEncoder",
    "OutlierHandler",
    "OutlierRemover",
    "PowerTransformer",
    "RandomSplitter",
    "RobustScaler",
    "RollingFeatures",
    "RootTransformer",
    "StandardScaler",
    "StratifiedSplitter",
    "TargetEncoder",
    "TfidfVectorizer",
    "Tokenizer",
    "__version__",
    "balance",
    "check_leakage",
    "class_weights",
    "dumps",
    "encode",
    "exceptions",
    "impute",
    "io",
    "load",
    "loads",
    "merge",
    "ngrams",
    "outliers",
    "quality",
    "save",
    "scale",
    "select",
    "spec",
    "split",
    "state",
    "text",
    "timeseries",
    "tokenize",
    "train_val_test_split",
]
