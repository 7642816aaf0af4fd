"""mlprep: local-first, leakage-safe feature engineering and preprocessing.

pandas, polars or pyarrow frames in, the same frame out; numpy in, numpy out.
Every transformer is a scikit-learn transformer, and every fitted one can be
saved as plain JSON with :func:`save` and read back with :func:`load`.

Families: :mod:`mlprep.encode`, :mod:`mlprep.impute`, :mod:`mlprep.outliers`, :mod:`mlprep.scale`, :mod:`mlprep.split`, :mod:`mlprep.timeseries`.
"""

from mlprep import encode, exceptions, impute, outliers, scale, split, timeseries
from mlprep._version import __version__
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
from mlprep.scale import StandardScaler
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
from mlprep.timeseries import (
    DatetimeFeatures,
    DiffFeatures,
    ExpandingFeatures,
    LagFeatures,
    RollingFeatures,
)

__all__ = [
    "BinaryEncoder",
    "CountEncoder",
    "DatetimeFeatures",
    "Deduplicator",
    "DiffFeatures",
    "ExpandingFeatures",
    "GroupTimeSeriesSplit",
    "HashingEncoder",
    "Imputer",
    "KeySplitter",
    "LagFeatures",
    "LeakageError",
    "LeakageReport",
    "OneHotEncoder",
    "OrderedSplitter",
    "OrdinalEncoder",
    "OutlierHandler",
    "OutlierRemover",
    "RandomSplitter",
    "RollingFeatures",
    "StandardScaler",
    "StratifiedSplitter",
    "TargetEncoder",
    "__version__",
    "check_leakage",
    "encode",
    "exceptions",
    "impute",
    "load",
    "outliers",
    "save",
    "scale",
    "split",
    "timeseries",
    "train_val_test_split",
]
