"""Scaling and value transforms: standard, robust, min-max, max-abs, power, log, root, bins."""

from mlprep.scale._standard import StandardScaler

__all__ = ["StandardScaler"]
