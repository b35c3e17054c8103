"""Deprecated: the validation figures live in :mod:`framelab.plots.validate` (also exposed by
:mod:`framelab.plots`). This module keeps ``from framelab import plots_validation`` working."""

from framelab.plots.validate import (
    OKABE_ITO,
    plot_accuracy,
    plot_agreement,
    plot_ci_width,
    plot_learning_curve,
)

__all__ = ["OKABE_ITO", "plot_accuracy", "plot_agreement", "plot_ci_width", "plot_learning_curve"]
