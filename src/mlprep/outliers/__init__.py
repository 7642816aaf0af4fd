"""Outliers and row cleaning: fitted fences, treatments, row removal keeping y aligned."""

from mlprep.outliers._deduplicator import Deduplicator
from mlprep.outliers._handler import OutlierHandler
from mlprep.outliers._remover import OutlierRemover

__all__ = ["Deduplicator", "OutlierHandler", "OutlierRemover"]
