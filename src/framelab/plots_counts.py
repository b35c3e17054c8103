"""Deprecated: :func:`label_with_n` lives in :mod:`framelab.plots.compare` (also exposed by
:mod:`framelab.plots`). This module keeps ``from framelab.plots_counts import label_with_n``
working."""

from framelab.plots.compare import label_with_n

__all__ = ["label_with_n"]
