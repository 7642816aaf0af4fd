"""Time-series features: date parts, and per-group lags, windows and differences.

All panel transformers order rows by ``time_column`` within each group of
``group_columns``, return the caller's row order, and carry the training
history into ``transform`` (see ``docs/timeseries.md``).
"""

from mlprep.timeseries._datetime import DatetimeFeatures
from mlprep.timeseries._diff import DiffFeatures
from mlprep.timeseries._expanding import ExpandingFeatures
from mlprep.timeseries._lag import LagFeatures
from mlprep.timeseries._rolling import RollingFeatures

__all__ = [
    "DatetimeFeatures",
    "DiffFeatures",
    "ExpandingFeatures",
    "LagFeatures",
    "RollingFeatures",
]
