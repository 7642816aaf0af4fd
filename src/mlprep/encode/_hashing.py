"""The hashing trick: categories into a fixed number of columns, no vocabulary."""

from __future__ import annotations

import math
from numbers import Integral, Real
from typing import Any, ClassVar

import narwhals.stable.v2 as nw
import numpy as np
import scipy.sparse as sp
from sklearn.utils import murmurhash3_32

from mlprep.core import (
    Boolean,
    ColumnSpec,
    Interval,
    Options,
    check_unique_names,
    factorize_series,
    is_missing,
    output_name,
    shared_input_name,
)
from mlprep.encode._base import Block, CategoricalEncoder, one_per_row_csr
from mlprep.exceptions import DataError

__all__ = ["HashingEncoder"]

_INT32_MIN = -(2**31)
_MAX_DENSE = 2**16


def token_text(value: Any) -> str:
    """The text a category hashes as: numbers canonical, so ``1`` and ``1.0`` agree.

    Booleans (Python or numpy) give ``"True"``/``"False"``, never ``"1"``;
    integers (Python or numpy) their decimal digits; a float (Python or numpy)
    with an integral value the integer's digits (``1.0`` -> ``"1"``, ``-0.0``
    -> ``"0"``), any other float the shortest text that round-trips its 64-bit
    value (``repr``: ``"1.5"``, ``"inf"``); anything else its ``str()``.

    Examples
    --------
    >>> import numpy as np
    >>> [token_text(v) for v in [1, 1.0, np.float32(2), np.int8(2), 1.5, True, "1.0"]]
    ['1', '1', '2', '2', '1.5', 'True', '1.0']
    """
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, Integral):
        return str(int(value))
    if isinstance(value, Real):
        number = float(value)
        if math.isfinite(number) and number.is_integer():
            return str(int(number))
        return repr(number)
    return str(value)


def hash_tokens(
    column: str, values: list[Any], n_features: int, alternate_sign: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Column index and sign of the token ``"{column}={value}"`` for each value.

    ``value`` is written by :func:`token_text`. Signed 32-bit MurmurHash3
    (seed 0) of the UTF-8 token, index ``|h| mod n_features`` and sign of
    ``h`` — scikit-learn's ``FeatureHasher`` rule, including its definition
    for ``h = -2**31``.
    """
    prefix = f"{column}="
    # A string is its own text: skip token_text for it (most categories are strings).
    hashes = np.fromiter(
        (
            murmurhash3_32(
                prefix + (value if type(value) is str else token_text(value)), seed=0
            )
            for value in values
        ),
        dtype=np.int64,
        count=len(values),
    )
    index = np.where(
        hashes == _INT32_MIN,
        (2**31 - 1 - (n_features - 1)) % n_features,
        np.abs(hashes) % n_features,
    )
    sign = np.ones(len(values), dtype=np.float64)
    if alternate_sign:
        sign[hashes < 0] = -1.0
    return index, sign


class HashingEncoder(CategoricalEncoder):
    """Hash every ``column=value`` token into ``n_features`` shared columns.

    Suits columns with very many (or open-ended) categories: the width is
    fixed, nothing is learned, and a category never seen before simply
    hashes like any other. Distinct categories may collide; ``alternate_sign``
    makes collisions cancel on average. The output equals scikit-learn's
    ``FeatureHasher(n_features, input_type="dict", alternate_sign=...)`` fed
    one ``{column: text}`` record per row (signed MurmurHash3 of
    ``"column=text"``), so it is the same in every process, machine and
    version. The text of a string is itself; numbers are written
    canonically (see ``columns``), so an integer ID column that turns float
    (because it gained a missing value) keeps its features. Each distinct
    value is hashed once, not once per row.

    Nothing is learned but the input columns, so there are no unknown
    categories (and no ``handle_unknown``): a value never seen is hashed like
    any other.

    Parameters
    ----------
    n_features : int >= 1, default=2**20
        The number of output columns, ``{column}_hash_0 ...
        {column}_hash_{n_features-1}``; when several columns are hashed into
        the shared block, ``{column}`` is their names joined by ``+``
        (``color+city_hash_0``). Dense output is limited to 65536 columns:
        use ``sparse_output=True`` with the default width.
    alternate_sign : bool, default=True
        Multiply each entry by the sign of its hash, as ``FeatureHasher``.
    sparse_output : bool, default=False
        Return a scipy CSR matrix (passthrough columns must be numeric; a
        sparse pandas frame under ``set_output(transform="pandas")``).
    handle_missing : {"value", "error"}, default="value"
        ``"value"``: a missing value contributes nothing (as a record that
        leaves the key out); ``"error"`` raises.
    {columns}
        Integer and float columns are hashed when named, numbers written
        canonically whatever their dtype (Python or numpy, any width): ``5``,
        ``5.0`` and ``np.float32(5)`` all as ``"5"``; a non-integral float as
        the shortest text of its 64-bit value (``2.5`` as ``"2.5"``, ``inf``
        as ``"inf"``); a boolean as ``"True"``/``"False"`` (not ``"1"``);
        strings as themselves (the string ``"5.0"`` stays ``"5.0"``).
    {drop_original}

    Attributes
    ----------
    columns_ : list of str
    n_features_in_ : int
    feature_names_in_ : ndarray of str

    Notes
    -----
    The hashed block takes the place of the first hashed column; the other
    hashed columns are consumed, passthrough columns keep their places.

    ``partial_fit`` exists, as for scikit-learn's ``HashingVectorizer``: the
    fit learns only the input columns, so a batch is only checked
    (``handle_missing="error"``); lazy sources and :func:`mlprep.merge` work
    alike, and ``fit`` keeps the same (empty) state.

    Examples
    --------
    >>> import pandas as pd
    >>> from mlprep.encode import HashingEncoder
    >>> X = pd.DataFrame({"Color": ["White", "Black", "Red"]})
    >>> HashingEncoder(n_features=3).fit_transform(X)
       Color_hash_0  Color_hash_1  Color_hash_2
    0           0.0          -1.0           0.0
    1           0.0           1.0           0.0
    2          -1.0           0.0           0.0
    >>> X["city"] = ["Paris", "Lyon", "Paris"]
    >>> HashingEncoder(n_features=2).fit(X).get_feature_names_out().tolist()
    ['Color+city_hash_0', 'Color+city_hash_1']
    """

    _parameter_constraints: ClassVar[dict[str, list[Any]]] = {
        "n_features": [Interval(Integral, 1, 2**31 - 1)],
        "alternate_sign": [Boolean],
        "sparse_output": [Boolean],
        "handle_missing": [Options("value", "error")],
        "columns": [ColumnSpec],
        "drop_original": [Boolean],
    }

    def __init__(
        self,
        *,
        n_features: int = 2**20,
        alternate_sign: bool = True,
        sparse_output: bool = False,
        handle_missing: str = "value",
        columns: Any = None,
        drop_original: bool = True,
    ) -> None:
        self.n_features = n_features
        self.alternate_sign = alternate_sign
        self.sparse_output = sparse_output
        self.handle_missing = handle_missing
        self.columns = columns
        self.drop_original = drop_original

    def _sparse_output(self) -> bool:
        return bool(self.sparse_output)

    def _fit_codes(self, frame: nw.DataFrame, y: Any) -> None:
        self._adopt_state(self._update_state(self._new_state(), frame, y))

    # The state: nothing but the input columns (``columns_`` and the names seen),
    # which the template keeps; batches are only checked for refused missing values.
    def _new_state(self) -> dict[str, Any]:
        """An empty state, once the configuration and the output names are checked."""
        if not self.sparse_output and self.n_features > _MAX_DENSE:
            raise DataError(
                f"HashingEncoder with n_features={self.n_features} and dense output "
                f"would add {self.n_features} columns. Use sparse_output=True, or "
                f"n_features <= {_MAX_DENSE} (e.g. 2**8 to 2**12) for a dense frame."
            )
        self._check_names()
        return {}

    def _check_names(self) -> None:
        """The base class's check, without listing the ``n_features`` hashed names.

        Those are distinct by construction, so only a column kept in the
        output (passthrough, or a hashed one with ``drop_original=False``)
        can repeat one of them: it is tested against the name pattern.
        """
        if self._sparse_output() and not self.drop_original:
            super()._check_names()  # refuses sparse output keeping string sources
        kept = [
            name
            for name in self._input_names()
            if name not in self.columns_ or not self.drop_original
        ]
        check_unique_names(type(self).__name__, kept)
        head = self._head(self.columns_)
        for name in kept:
            number = name[len(head) :]
            if (
                name.startswith(head)
                and number.isascii()
                and number.isdigit()
                and str(int(number)) == number
                and int(number) < self.n_features
            ):
                raise DataError(
                    f"HashingEncoder would produce two output columns named {name!r} "
                    "(a column kept in the output has the name of a hashed column). "
                    "Rename it."
                )

    def _update_state(
        self, state: dict[str, Any], frame: nw.DataFrame, y: Any
    ) -> dict[str, Any]:
        if self.handle_missing == "error":
            for column in self.columns_:
                self._refuse_missing(
                    column, int(is_missing(frame[column]).sum()), "fit"
                )
        return state

    def _finish_state(self, state: dict[str, Any]) -> None:
        """Nothing to set: the hashed columns and names are all the fit learns."""

    @staticmethod
    def _head(labels: list[str]) -> str:
        """The hashed names without their number: ``output_name(input, "hash_")``.

        ``input`` is the hashed column's name, or :func:`shared_input_name` of
        several (``color+city``).
        """
        return output_name(shared_input_name(labels), "hash_")

    def _feature_names_out(self, input_names: list[str]) -> list[str]:
        selected = set(self.columns_)
        given = dict(zip(self._input_names(), input_names))
        head = self._head([given[c] for c in self.columns_])
        out: list[str] = []
        for fitted, label in given.items():
            if fitted not in selected or not self.drop_original:
                out.append(label)
            if fitted == self.columns_[0]:
                out.extend([f"{head}{i}" for i in range(self.n_features)])
        return out

    def _blocks(
        self, frame: nw.DataFrame, fitted: dict[str, np.ndarray] | None
    ) -> list[Block]:
        n = frame.shape[0]
        indices, values = [], []
        for column in self.columns_:
            codes, uniques = factorize_series(frame[column])
            self._refuse_missing(column, int((codes < 0).sum()), "transform")
            index, sign = hash_tokens(
                column, uniques, self.n_features, self.alternate_sign
            )
            indices.append(np.append(index, -1)[codes])  # missing (-1): the -1 slot
            values.append(np.append(sign, 0.0)[codes])
        if self.sparse_output:
            if len(indices) == 1:
                block: Any = one_per_row_csr(indices[0], self.n_features, values[0])
            else:
                block = self._csr(np.column_stack(indices), np.column_stack(values), n)
            return [(self.columns_[0], block)]
        dense = np.zeros((n, self.n_features), dtype=np.float64, order="F")
        for index, value in zip(indices, values):
            rows = np.flatnonzero(index >= 0)
            dense[rows, index[rows]] += value[rows]  # one entry per row per column
        return [(self.columns_[0], dense)]

    def _csr(self, index: np.ndarray, value: np.ndarray, n: int) -> sp.csr_matrix:
        present = index >= 0
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(present.sum(axis=1), out=indptr[1:])
        matrix = sp.csr_matrix(
            (value[present], index[present].astype(np.int32), indptr),
            shape=(n, self.n_features),
        )
        if index.shape[1] > 1:
            matrix.sum_duplicates()
        return matrix
