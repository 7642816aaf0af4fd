"""Categories as the bits of their code: log2(k) columns instead of k."""

from __future__ import annotations

from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np

from mlprep.core import Boolean, ColumnSpec, Options
from mlprep.encode._base import suffixed_names
from mlprep.encode._vocabulary import VocabularyEncoder

__all__ = ["BinaryEncoder"]


class BinaryEncoder(VocabularyEncoder):
    """Encode each category by the binary digits of its code, one column per bit.

    A column with ``k`` categories needs ``k.bit_length()`` columns instead of
    one-hot's ``k`` — eight colours need four. The output is identical, values
    and names, to ``category_encoders.BinaryEncoder`` with its defaults: codes
    1..k by first appearance in ``fit`` (missing last), most significant bit
    first, columns ``{column}_0, {column}_1, ...``. It is computed from integer
    codes in one pass, without comparing categories pairwise.

    Parameters
    ----------
    handle_unknown : {"ignore", "error"}, default="ignore"
        ``"ignore"`` encodes categories not seen in ``fit`` as all zeros (code
        0, which no known category has); ``"error"`` raises.
    handle_missing : {"value", "error"}, default="value"
        ``"value"``: missing values seen in ``fit`` get their own (last) code;
        a missing value ``fit`` never saw is unknown (zeros). ``"error"``
        refuses missing values.
    {columns}
        Integer and float columns are encoded when named.
    {drop_original}

    Attributes
    ----------
    categories_ : dict
        Column name to its categories in code order; code = position + 1.
    counts_ : dict
        Column name to the count of each category in ``fit``.
    n_bits_ : dict
        Column name to its number of output columns.
    columns_ : list of str
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    See Also
    --------
    OneHotEncoder : one column per category, no information lost.
    HashingEncoder : fixed width for very many categories, no fit needed.

    Notes
    -----
    {category_batches}

    {appearance_batches}

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.encode import BinaryEncoder
    >>> X = pd.DataFrame({"Color": ["White", "Black", "Red", "Blue", "White"]})
    >>> BinaryEncoder().fit_transform(X)
       Color_0  Color_1  Color_2
    0        0        0        1
    1        0        1        0
    2        0        1        1
    3        1        0        0
    4        0        0        1
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "handle_unknown": [Options("ignore", "error")],
        "handle_missing": [Options("value", "error")],
        "columns": [ColumnSpec],
        "drop_original": [Boolean],
    }

    def __init__(
        self,
        *,
        handle_unknown: str = "ignore",
        handle_missing: str = "value",
        columns: Any = None,
        drop_original: bool = True,
    ) -> None:
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
        self.n_bits_ = {
            c: int(len(self.categories_[c]).bit_length()) for c in self.columns_
        }
        self._check_names()

    def _names_for(self, column: str, label: str) -> list[str]:
        return suffixed_names(label, [str(i) for i in range(self.n_bits_[column])])

    def _encode(self, column: str, codes: np.ndarray) -> np.ndarray:
        n_bits = self.n_bits_[column]
        # unknown (-1) becomes 0: all bits off; int32 holds every code (n_bits
        # <= 31 for a column that fits in memory) at half the memory traffic
        work = np.add(codes, 1, dtype=np.int32 if n_bits < 32 else np.int64)
        bit = np.empty_like(work)
        block = np.empty((codes.size, n_bits), dtype=np.int64, order="F")
        for j in range(n_bits):
            np.right_shift(work, n_bits - 1 - j, out=bit)
            np.bitwise_and(bit, 1, out=bit)
            block[:, j] = bit
        return block
