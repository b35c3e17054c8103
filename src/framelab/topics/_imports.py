"""Deferred imports of the heavy topic-model stack (bertopic, umap, hdbscan).

``import framelab`` stays fast because these are imported only when a topic function runs.
umap warns at import time (``ImportWarning``: TensorFlow missing, so ParametricUMAP is
unavailable); that warning is about a feature framelab never uses, so it is silenced here, for
this import only - no process-wide warning filter is installed.
"""

from __future__ import annotations

import warnings

__all__ = ["import_bertopic"]


def import_bertopic():
    """Import and return the ``bertopic`` module (umap's TensorFlow ImportWarning silenced)."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=r".*Tensorflow not installed.*", category=ImportWarning
        )
        import bertopic
        import bertopic.backend
        import bertopic.vectorizers

    return bertopic


def import_umap():
    """Import and return the ``umap`` module (same silenced ImportWarning)."""
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message=r".*Tensorflow not installed.*", category=ImportWarning
        )
        import umap

    return umap
