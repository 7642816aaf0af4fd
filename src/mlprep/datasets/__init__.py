"""Small datasets shipped inside the package, for examples and tests (no download)."""

from mlprep.datasets._customers import load_customers

__all__ = ["load_customers"]
