"""What the column selectors share: drop ``dropped_``, name the kept columns, summarise."""

from __future__ import annotations

from typing import Any, ClassVar

import narwhals.stable.v2 as nw

from mlprep.core import MlprepTransformer
from mlprep.exceptions import DataError

__all__ = ["ColumnDropper"]


class ColumnDropper(MlprepTransformer):
    """Base of the selectors: ``transform`` removes ``dropped_`` and keeps the rest.

    Subclasses set ``dropped_`` (column names, in input order) when fitted.
    The output is the input minus those columns, in the same container;
    :meth:`summary` says what was dropped and why.
    """

    _abstract = True
    _column_kind: ClassVar[str] = "any"
    _tags: ClassVar[dict[str, Any]] = {
        "string": True,
        "categorical": True,
        "preserves_dtype": [],
    }
    dropped_: list[str]

    def _transform(self, frame: nw.DataFrame) -> nw.DataFrame:
        self._check_not_all_dropped()
        return frame.drop(self.dropped_) if self.dropped_ else frame

    def _feature_names_out(self, input_names: list[str]) -> list[str]:
        dropped = set(self.dropped_)
        return [name for name in input_names if name not in dropped]

    def fit(self, X: Any, y: Any = None, **fit_params: Any) -> ColumnDropper:
        """Learn which columns to drop; a DataError if that would be every column.

        Parameters
        ----------
        X : DataFrame (pandas, polars), pyarrow Table, array-like, or a lazy source
            Training data.
        y : None
            Ignored.
        **fit_params : dict
            Not used.

        Returns
        -------
        self
        """
        super().fit(X, y, **fit_params)
        self._check_not_all_dropped()
        return self

    def _set_dropped(self, dropped: list[str], n_samples: int | None = None) -> None:
        """Keep ``dropped`` in input order (and the row count, for the error)."""
        chosen = set(dropped)
        self.dropped_ = [name for name in self._input_names() if name in chosen]
        self._n_samples = n_samples

    def _check_not_all_dropped(self) -> None:
        """``fit`` and ``transform`` refuse to return a frame without columns.

        ``partial_fit`` does not (an early batch may look constant), so a
        partially fitted selector that drops everything refuses at transform.
        """
        names = self._input_names()
        if names and len(self.dropped_) == len(names):
            n_samples = getattr(self, "_n_samples", None)
            size = f"n_features={len(names)}" + (
                "" if n_samples is None else f", n_samples={n_samples}"
            )
            raise DataError(
                f"{type(self).__name__} would drop every column of the data "
                f"({size}: {names[:10]}), leaving an empty frame. "
                f"{self._all_dropped_hint()}"
            )

    def _all_dropped_hint(self) -> str:
        return "Select fewer columns with columns=."

    def _reasons(self) -> dict[str, str]:
        """Column name to why it was dropped (for :meth:`summary`)."""
        return {}

    def summary(self) -> str:
        """What the fit dropped and kept, one line per dropped column.

        Returns
        -------
        str
            ``"<Class>: dropped k of n columns"`` followed by one line per
            dropped column with its reason, then the kept columns.
        """
        self._check_fitted()
        names = self._input_names()
        reasons = self._reasons()
        lines = [
            f"{type(self).__name__}: dropped {len(self.dropped_)} of "
            f"{len(names)} columns"
        ]
        for name in self.dropped_:
            reason = reasons.get(name)
            lines.append(f"  - {name}" + (f": {reason}" if reason else ""))
        kept = self._feature_names_out(names)
        lines.append(f"kept: {kept}")
        return "\n".join(lines)
