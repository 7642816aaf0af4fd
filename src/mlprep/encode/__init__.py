"""Categorical encoding: one-hot, ordinal, binary, hashing, count and cross-fitted target encoding.

Every encoder follows one policy for missing and unseen values (see
``docs/encode.md``): missing (NaN, None, NA, null) is a category learned in
``fit``; a value ``fit`` did not see gets the encoder's neutral encoding, or
raises with ``handle_unknown="error"``.
"""

from mlprep.encode._binary import BinaryEncoder
from mlprep.encode._count import CountEncoder
from mlprep.encode._hashing import HashingEncoder
from mlprep.encode._onehot import OneHotEncoder
from mlprep.encode._ordinal import OrdinalEncoder
from mlprep.encode._target import TargetEncoder

__all__ = [
    "BinaryEncoder",
    "CountEncoder",
    "HashingEncoder",
    "OneHotEncoder",
    "OrdinalEncoder",
    "TargetEncoder",
]
