"""Utilities with PyTorch's names: `utils.data` (datasets, and the DataLoader that batches them)."""

from . import data

__all__ = ["data"]
