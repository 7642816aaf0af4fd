"""Feature selection: drop named, constant, duplicate or correlated columns.

Every selector returns its input minus the dropped columns, in the same
container; ``dropped_`` lists them in input order and ``summary()`` explains.
"""

from mlprep.select._columns import DropColumns
from mlprep.select._comoments import CoMomentsState
from mlprep.select._constant import DropConstantFeatures
from mlprep.select._correlated import DropCorrelatedFeatures
from mlprep.select._duplicate import DropDuplicateFeatures

__all__ = [
    "CoMomentsState",
    "DropColumns",
    "DropConstantFeatures",
    "DropCorrelatedFeatures",
    "DropDuplicateFeatures",
]
