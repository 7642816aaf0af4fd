"""mlprep: local-first, leakage-safe feature engineering and preprocessing.

pandas, polars or pyarrow frames in, the same frame out; numpy in, numpy out.
Every transformer is a scikit-learn transformer, and every fitted one can be
saved as plain JSON with :func:`save` and read back with :func:`load`.

Families: :mod:`mlprep.impute`, :mod:`mlprep.outliers`, :mod:`mlprep.scale`.
"""

from mlprep import exceptions, impute, outliers, scale
from mlprep._version import __version__
from mlprep.core.persistence import load, save
from mlprep.impute import Imputer
from mlprep.outliers import Deduplicator, OutlierHandler, OutlierRemover
from mlprep.scale import StandardScaler

__all__ = [
    "Deduplicator",
    "Imputer",
    "OutlierHandler",
    "OutlierRemover",
    "StandardScaler",
    "__version__",
    "exceptions",
    "impute",
    "load",
    "outliers",
    "save",
    "scale",
]
