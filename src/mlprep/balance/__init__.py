"""Class imbalance: resample the training rows (Balancer) or weight the classes."""

from mlprep.balance._balancer import Balancer
from mlprep.balance._weights import class_weights

__all__ = ["Balancer", "class_weights"]
