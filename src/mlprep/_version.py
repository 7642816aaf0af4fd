"""The mlprep version, read by the build backend and by :mod:`mlprep`."""

__version__ = "0.1.0"
