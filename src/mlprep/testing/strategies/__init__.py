"""Hypothesis strategies for mlprep property tests.

Frames are generated small (a handful of rows and columns) with the cases that
break preprocessing code: NaN, ±inf, constant and all-NaN columns, single rows.
Each strategy returns pandas; :func:`as_backend` converts to polars, pyarrow
or numpy so one property runs on every container.

It needs ``hypothesis``; without it, importing this module raises
:class:`~mlprep.exceptions.MissingDependencyError` naming the extra to install.
"""

from mlprep.exceptions import MissingDependencyError

try:  # _require_hypothesis: a clear error, not a raw ImportError
    import hypothesis  # noqa: F401
except ImportError as _missing:
    raise MissingDependencyError(
        "mlprep.testing.strategies needs hypothesis, which is not installed. "
        'Install it with: pip install "mlprep-kit[test]"'
    ) from _missing

from mlprep.testing._containers import BACKENDS, as_backend
from mlprep.testing.strategies._categorical import (
    CATEGORICAL_KINDS,
    categorical_columns,
    categorical_frames,
)
from mlprep.testing.strategies._numeric import finite_frames, numeric_frames
from mlprep.testing.strategies._outliers import duplicated_frames, spiky_frames, targets
from mlprep.testing.strategies._scale import positive_frames
from mlprep.testing.strategies._split import split_frames, split_ratios
from mlprep.testing.strategies._text import TRICKY_CHARACTERS, corpora, text_frames
from mlprep.testing.strategies._timeseries import panels

__all__ = [
    "BACKENDS",
    "CATEGORICAL_KINDS",
    "TRICKY_CHARACTERS",
    "as_backend",
    "categorical_columns",
    "categorical_frames",
    "corpora",
    "duplicated_frames",
    "finite_frames",
    "numeric_frames",
    "panels",
    "positive_frames",
    "spiky_frames",
    "split_frames",
    "split_ratios",
    "targets",
    "text_frames",
]
