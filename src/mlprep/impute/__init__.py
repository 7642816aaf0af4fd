"""Imputation: fill missing values with statistics learned in ``fit``."""

from mlprep.impute._imputer import Imputer

__all__ = ["Imputer"]
