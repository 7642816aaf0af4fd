"""Splitting and leakage guards: train/validation/test splits, CV splitters, check_leakage."""

from mlprep.split._key import KeySplitter
from mlprep.split._ordered import OrderedSplitter
from mlprep.split._random import RandomSplitter
from mlprep.split._stratified import StratifiedSplitter
from mlprep.split._train_val_test import train_val_test_split

__all__ = [
    "KeySplitter",
    "OrderedSplitter",
    "RandomSplitter",
    "StratifiedSplitter",
    "train_val_test_split",
]
