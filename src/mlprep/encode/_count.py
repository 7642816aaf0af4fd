"""Replace each category by how often it occurred in ``fit``."""

from __future__ import annotations

from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import Boolean, ColumnSpec, Options
from mlprep.encode._vocabulary import VocabularyEncoder

__all__ = ["CountEncoder"]


class CountEncoder(VocabularyEncoder):
    """Encode each category by its count (or frequency) in the training data.

    One column per input column, same name. Useful for tree models when the
    popularity of a category carries signal, at any cardinality.

    Parameters
    ----------
    normalize : bool, default=False
        Frequencies (count / number of ``fit`` rows, missing rows included)
        as float64 instead of integer counts.
    handle_unknown : {"ignore", "error"}, default="ignore"
        ``"ignore"``: categories not seen in ``fit`` get 0; ``"error"`` raises.
    handle_missing : {"value", "error"}, default="value"
        ``"value"``: missing values are a category, encoded by the number of
        missing values seen in ``fit`` (0 if none); ``"error"`` raises.
    {columns}
        Integer and float columns are encoded when named.
    {drop_original}

    Attributes
    ----------
    categories_ : dict
        Column name to its categories (order of first appearance; None, last,
        is missing).
    counts_ : dict
        Column name to the count of each category.
    n_samples_fit_ : int
        Rows seen in ``fit`` (the denominator of ``normalize``).
    columns_ : list of str
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Notes
    -----
    {category_batches} Counts merge by
    addition; ``normalize`` divides by the rows of every batch together.

    {appearance_batches}

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.encode import CountEncoder
    >>> X = pd.DataFrame({"city": ["Paris", "Lyon", "Paris", None]})
    >>> enc = CountEncoder().fit(X)
    >>> enc.transform(pd.DataFrame({"city": ["Paris", "Nice", None]}))
       city
    0     2
    1     0
    2     1
    >>> CountEncoder(normalize=True).fit_transform(X)["city"].tolist()
    [0.5, 0.25, 0.5, 0.25]
    """

    _kept_suffix: ClassVar[str] = "count"
    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "normalize": [Boolean],
        "handle_unknown": [Options("ignore", "error")],
        "handle_missing": [Options("value", "error")],
        "columns": [ColumnSpec],
        "drop_original": [Boolean],
    }

    def __init__(
        self,
        *,
        normalize: bool = False,
        handle_unknown: str = "ignore",
        handle_missing: str = "value",
        columns: Any = None,
        drop_original: bool = True,
    ) -> None:
        self.normalize = normalize
        self.handle_unknown = handle_unknown
        self.handle_missing = handle_missing
        self.columns = columns
        self.drop_original = drop_original

    def _category_order(self) -> str:
        return "appearance"

    def _fit_codes(self, frame: nw.DataFrame, y: Any) -> dict[str, np.ndarray]:
        fitted = self._learn_categories(frame, order="appearance")
        self._categories_learned(frame.shape[0])
        return fitted

    def _categories_learned(self, n_samples: int) -> None:
        self.n_samples_fit_ = int(n_samples)
        self._check_names()

    def _names_for(self, column: str, label: str) -> list[str]:
        return [label]

    def _encode(self, column: str, codes: np.ndarray) -> np.ndarray:
        lut = np.append(np.asarray(self.counts_[column], dtype=np.int64), 0)
        values: np.ndarray = lut[codes]  # unknown (-1) reads the 0
        if self.normalize:
            values = values / self.n_samples_fit_
        return values.reshape(-1, 1)
