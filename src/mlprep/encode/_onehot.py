"""One indicator column per category, sorted as scikit-learn sorts them."""

from __future__ import annotations

from numbers import Integral, Real
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import Boolean, ColumnSpec, Interval, NoneOK, Options
from mlprep.encode._base import MISSING_LABEL, one_per_row_csr, suffixed_names
from mlprep.encode._vocabulary import VocabularyEncoder

__all__ = ["OneHotEncoder"]

INFREQUENT_LABEL = "infrequent"


class OneHotEncoder(VocabularyEncoder):
    """Encode each category of a column as its own 0/1 column.

    Suits nominal columns with few categories and models that need numbers
    without an order (linear models, k-NN, neural networks). Output columns
    are named ``{column}_{category}``, categories sorted as in
    :class:`sklearn.preprocessing.OneHotEncoder`, with the missing category
    (``{column}_nan``) and the infrequent bucket (``{column}_infrequent``) last.

    Parameters
    ----------
    handle_unknown : {"ignore", "error", "infrequent"}, default="ignore"
        Categories not seen in ``fit``: ``"ignore"`` gives a row of zeros for
        the column, ``"error"`` raises, ``"infrequent"`` puts them in the
        ``{column}_infrequent`` column when the column has one (zeros
        otherwise), as scikit-learn's ``"infrequent_if_exist"``.
    min_frequency : int >= 1, float in (0, 1) or None, default=None
        Categories seen fewer times (an int) or in a smaller fraction of the
        rows (a float) are grouped into ``{column}_infrequent``.
    max_categories : int >= 1 or None, default=None
        At most this many output columns per input column, the infrequent
        bucket included; the least frequent categories are grouped (ties:
        the category sorting first is grouped first, as scikit-learn).
    drop : {None, "first", "if_binary"}, default=None
        Drop the first output column of every encoded column (``"first"``),
        or only of columns with exactly two output columns (``"if_binary"``,
        counted after infrequent grouping, as scikit-learn: one frequent
        category and the ``infrequent`` bucket make a binary column), to
        avoid collinear columns. Unknown categories then look like the
        dropped category (all zeros).
    sparse_output : bool, default=False
        Return a scipy CSR matrix (passthrough columns must be numeric) with
        names from ``get_feature_names_out`` (a sparse pandas frame under
        ``set_output(transform="pandas")``); the default returns a frame of
        float64 0/1 columns.
    handle_missing : {"value", "error"}, default="value"
        ``"value"``: a missing value seen in ``fit`` is a category of its own,
        ``{column}_nan``; one first seen in ``transform`` is unknown.
        ``"error"``: missing values raise.
    {columns}
        Integer and float columns are encoded when named.
    {drop_original}

    Attributes
    ----------
    categories_ : dict
        Column name to its sorted categories (None, last, is missing).
    counts_ : dict
        Column name to the count of each category in ``fit``.
    infrequent_categories_ : dict
        Column name to the categories grouped as infrequent (may be empty).
    output_categories_ : dict
        Column name to the label of each output column, after grouping and
        ``drop`` (the suffixes of the output names).
    columns_ : list of str
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    See Also
    --------
    sklearn.preprocessing.OneHotEncoder : the array equivalent (same sorting).
    BinaryEncoder : fewer columns for many categories.

    Notes
    -----
    {category_batches} The infrequent grouping
    (``min_frequency``, ``max_categories``) is decided from the merged counts,
    as ``fit`` decides it from all the rows.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.encode import OneHotEncoder
    >>> X = pd.DataFrame({"Color": ["White", "Black", "Red", "Black"], "n": [1, 2, 3, 4]})
    >>> OneHotEncoder().fit_transform(X)
       Color_Black  Color_Red  Color_White  n
    0          0.0        0.0          1.0  1
    1          1.0        0.0          0.0  2
    2          0.0        1.0          0.0  3
    3          1.0        0.0          0.0  4
    >>> OneHotEncoder(min_frequency=2).fit(X).get_feature_names_out().tolist()
    ['Color_Black', 'Color_infrequent', 'n']
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "handle_unknown": [Options("ignore", "error", "infrequent")],
        "min_frequency": [
            Interval(Integral, 1, None),
            Interval(Real, 0, 1, closed="neither"),
            NoneOK,
        ],
        "max_categories": [Interval(Integral, 1, None), NoneOK],
        "drop": [Options("first", "if_binary"), NoneOK],
        "sparse_output": [Boolean],
        "handle_missing": [Options("value", "error")],
        "columns": [ColumnSpec],
        "drop_original": [Boolean],
    }

    def __init__(
        self,
        *,
        handle_unknown: str = "ignore",
        min_frequency: int | float | None = None,
        max_categories: int | None = None,
        drop: str | None = None,
        sparse_output: bool = False,
        handle_missing: str = "value",
        columns: Any = None,
        drop_original: bool = True,
    ) -> None:
        self.handle_unknown = handle_unknown
        self.min_frequency = min_frequency
        self.max_categories = max_categories
        self.drop = drop
        self.sparse_output = sparse_output
        self.handle_missing = handle_missing
        self.columns = columns
        self.drop_original = drop_original

    def _sparse_output(self) -> bool:
        return bool(self.sparse_output)

    # --------------------------------------------------------------- fitting
    def _fit_codes(self, frame: nw.DataFrame, y: Any) -> dict[str, np.ndarray]:
        fitted = self._learn_categories(frame, order="lexical")
        self._categories_learned(frame.shape[0])
        return fitted

    def _categories_learned(self, n_samples: int) -> None:
        """Infrequent grouping, output slots and ``drop`` from the learned counts."""
        self.infrequent_categories_: dict[str, list[Any]] = {}
        self.output_categories_: dict[str, list[str]] = {}
        self.output_index_: dict[str, list[int]] = {}
        self.unknown_index_: dict[str, int] = {}
        for column in self.columns_:
            categories = self.categories_[column]
            infrequent = self._infrequent_mask(
                np.asarray(self.counts_[column]), n_samples
            )
            frequent = np.flatnonzero(~infrequent)
            slot = np.empty(len(categories), dtype=np.int64)
            slot[frequent] = np.arange(frequent.size)
            labels = [  # category_label, inlined: this runs once per category
                MISSING_LABEL if (c := categories[i]) is None else str(c)
                for i in frequent.tolist()
            ]
            has_bucket = bool(infrequent.any())
            if has_bucket:
                slot[infrequent] = len(frequent)
                labels.append(INFREQUENT_LABEL)
            unknown = (
                len(frequent)
                if has_bucket and self.handle_unknown == "infrequent"
                else -1
            )
            # "if_binary" looks at the outputs after infrequent grouping, as
            # scikit-learn does: a column whose rare categories collapse into
            # one bucket beside a single frequent one is binary too
            if self.drop == "first" or (self.drop == "if_binary" and len(labels) == 2):
                slot = np.where(slot == 0, -1, slot - 1)
                unknown = unknown - 1 if unknown > 0 else -1
                labels = labels[1:]
            self.infrequent_categories_[column] = (
                [c for c, f in zip(categories, infrequent.tolist()) if f]
                if has_bucket
                else []
            )
            self.output_categories_[column] = labels
            self.output_index_[column] = slot.tolist()
            self.unknown_index_[column] = int(unknown)
        self._check_names()

    def _infrequent_mask(self, counts: np.ndarray, n_samples: int) -> np.ndarray:
        """scikit-learn's rule: below ``min_frequency``, then beyond ``max_categories - 1``."""
        mask = np.zeros(counts.size, dtype=bool)
        if self.min_frequency is not None:
            threshold = (
                self.min_frequency
                if isinstance(self.min_frequency, Integral)
                else self.min_frequency * n_samples
            )
            mask = counts < threshold
        if self.max_categories is not None:
            n_outputs = counts.size - int(mask.sum()) + 1
            if self.max_categories < n_outputs:
                keep = self.max_categories - 1
                if keep == 0:
                    mask[:] = True
                else:
                    mask[np.argsort(counts, kind="mergesort")[:-keep]] = True
        return mask

    # ------------------------------------------------------------- transform
    def _names_for(self, column: str, label: str) -> list[str]:
        return suffixed_names(label, self.output_categories_[column])

    def _encode(self, column: str, codes: np.ndarray) -> Any:
        lut = np.append(
            np.asarray(self.output_index_[column], dtype=np.int64),
            self.unknown_index_[column],
        )
        index = lut[codes]  # code -1 (unknown) reads the last slot
        width = len(self.output_categories_[column])
        if self.sparse_output:
            return one_per_row_csr(index, width)
        block = np.zeros((index.size, width), dtype=np.float64, order="F")
        rows = np.flatnonzero(index >= 0)
        block[rows, index[rows]] = 1.0
        return block
