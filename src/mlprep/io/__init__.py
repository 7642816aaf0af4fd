"""Reading data that does not fit in memory: :func:`scan` of files, folders and globs."""

from mlprep.io._scan import scan

__all__ = ["scan"]
