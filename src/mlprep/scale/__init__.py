"""Scaling and value transforms: standard, robust, min-max, max-abs, power, log, root, bins."""

from mlprep.scale._binner import Binner
from mlprep.scale._log import LogTransformer
from mlprep.scale._maxabs import MaxAbsScaler
from mlprep.scale._minmax import MinMaxScaler
from mlprep.scale._power import PowerTransformer
from mlprep.scale._robust import RobustScaler
from mlprep.scale._root import RootTransformer
from mlprep.scale._standard import StandardScaler

__all__ = [
    "Binner",
    "LogTransformer",
    "MaxAbsScaler",
    "MinMaxScaler",
    "PowerTransformer",
    "RobustScaler",
    "RootTransformer",
    "StandardScaler",
]
