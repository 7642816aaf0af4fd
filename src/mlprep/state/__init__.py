"""Mergeable partial statistics: what every fit reduces its data to.

Each state adds batches (``update``), merges with another state of the same
settings in any order (``merge``) and round-trips through JSON
(``to_dict`` / :func:`state_from_dict`). Estimators keep theirs in
``partial_state_``; :func:`merge` combines partially fitted estimators.

* :class:`MomentsState`: count, missing, mean, variance, min, max (exact);
* :class:`QuantileSketch`: KLL quantiles with a rank-error bound (Apache
  DataSketches, ``pip install 'mlprep-kit[scale]'``);
* :class:`CountsState`: value counts, exact up to a cap, then a
  frequent-items sketch;
* :class:`DistinctSketch`: the number of distinct values (HyperLogLog);
* :class:`Reservoir`: a seeded, order-independent sample of distinct values
  with exact counts.
"""

from mlprep.state._base import STATE_VERSION, PartialState, state_from_dict
from mlprep.state._counts import CountsState
from mlprep.state._distinct import DistinctSketch
from mlprep.state._merge import merge, merge_states
from mlprep.state._moments import MomentsState
from mlprep.state._quantiles import QuantileSketch
from mlprep.state._reservoir import Reservoir

__all__ = [
    "STATE_VERSION",
    "CountsState",
    "DistinctSketch",
    "MomentsState",
    "PartialState",
    "QuantileSketch",
    "Reservoir",
    "merge",
    "merge_states",
    "state_from_dict",
]
