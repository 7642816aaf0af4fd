"""Splitting and leakage guards: train/validation/test splits, CV splitters, check_leakage."""

from mlprep.split._group_time import GroupTimeSeriesSplit
from mlprep.split._key import KeySplitter
from mlprep.split._key_kfold import KeyKFold
from mlprep.split._leakage import check_leakage
from mlprep.split._ordered import OrderedSplitter
from mlprep.split._random import RandomSplitter
from mlprep.split._report import LeakageError, LeakageProblem, LeakageReport
from mlprep.split._stratified import StratifiedSplitter
from mlprep.split._train_val_test import train_val_test_split

__all__ = [
    "GroupTimeSeriesSplit",
    "KeyKFold",
    "KeySplitter",
    "LeakageError",
    "LeakageProblem",
    "LeakageReport",
    "OrderedSplitter",
    "RandomSplitter",
    "StratifiedSplitter",
    "check_leakage",
    "train_val_test_split",
]
