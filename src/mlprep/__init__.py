"""mlprep: local-first, leakage-safe feature engineering and preprocessing.

pandas, polars or pyarrow frames in, the same frame out; numpy in, numpy out.
Every transformer is a scikit-learn transformer, and every fitted one can be
saved as plain JSON with :func:`save` and read back with :func:`load`.

Families: :mod:`mlprep.balance`, :mod:`mlprep.encode`, :mod:`mlprep.impute`, :mod:`mlprep.outliers`, :mod:`mlprep.scale`, :mod:`mlprep.select`, :mod:`mlprep.split`, :mod:`mlprep.text`, :mod:`mlprep.timeseries`.
"""

from mlprep import (
    balance,
    encode,
    exceptions,
    impute,
    io,
    outliers,
    scale,
    select,
    split,
    state,
    text,
    timeseries,
)
from mlprep._version import __version__
from mlprep.balance import Balancer, class_weights
from mlprep.core.persistence import load, save
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

__all__ = [
    "Balancer",
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
    "encode",
    "exceptions",
    "impute",
    "io",
    "load",
    "merge",
    "ngrams",
    "outliers",
    "save",
    "scale",
    "select",
    "split",
    "state",
    "text",
    "timeseries",
    "tokenize",
    "train_val_test_split",
]
