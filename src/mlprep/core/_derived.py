"""Steps that derive new columns from source columns, and whether the sources stay.

Encoders, calendar parts and time-series features all compute new columns from
the columns they select. Every one of them takes ``drop_original`` with the same
meaning and the same default (True): the derived columns replace their sources.
The reason for one default is the model at the end of the pipeline: an encoded
string, a raw datetime or the current value of a lagged target is rarely
something it can or should read (the last one is the target itself, a leak).
"""

from __future__ import annotations

from typing import Any

import narwhals.stable.v2 as nw

__all__ = ["DROP_ORIGINAL_DOC", "DerivesColumns"]

DROP_ORIGINAL_DOC = """\
drop_original : bool, default=True
    Drop the source columns from the output, so that only the columns
    derived from them remain (the default of every step that derives
    columns: encoders, calendar parts, lags and windows). False keeps them.
    Keep them when a later step reads the same column: a lag and then a
    rolling window of ``sales``, or calendar parts of the ``time_column`` of
    a later lag."""


class DerivesColumns:
    """Mixin of transformers whose outputs are computed from ``columns_``.

    It documents ``drop_original`` (the ``{drop_original}`` docstring marker)
    and gives the names and frames without the sources when they are dropped.
    """

    drop_original: bool
    columns_: list[str]

    @classmethod
    def _doc_paragraphs(cls) -> dict[str, str]:
        inherited: dict[str, str] = super()._doc_paragraphs()  # type: ignore[misc]
        return {**inherited, "drop_original": DROP_ORIGINAL_DOC}

    def _dropped_sources(self) -> set[str]:
        """The fitted names of the source columns left out of the output."""
        return set(self.columns_) if self.drop_original else set()

    def _kept_names(self, fitted: list[str], given: list[str]) -> list[str]:
        """``given`` (names as passed) without the dropped sources (``fitted`` names)."""
        dropped = self._dropped_sources()
        return [g for f, g in zip(fitted, given) if f not in dropped]

    def _without_sources(self, frame: nw.DataFrame) -> Any:
        """``frame`` without the dropped source columns."""
        dropped = [name for name in frame.columns if name in self._dropped_sources()]
        return frame.drop(dropped) if dropped else frame
