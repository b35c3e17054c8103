"""Figures from tidy tables: comparisons, topics, validation.

Each ``plot_*`` function takes a table from :mod:`framelab.compare`, :mod:`framelab.topics` or
:mod:`framelab.validate`, draws on ``ax`` (a new figure when it is None) and returns the Axes.
Nothing is computed beyond reshaping, nothing is shown, no global style or rcParams is changed.
Colours come from one palette, Okabe & Ito's colour-blind-safe set; sequential maps are
``cividis``. The comparison figures get a title, axis labels and a caption line ("Source: ...")
built from the table's method columns (``caption=`` replaces it, ``caption=""`` leaves it out).
:func:`save_figure` writes PNG + SVG + a JSON provenance sidecar.

The grouping columns of a comparison table are the columns before ``frame``.

Modules: :mod:`framelab.plots._common` (palette, axes, checks, captions, provenance, saving),
:mod:`framelab.plots.compare`, :mod:`framelab.plots.topics`, :mod:`framelab.plots.validate`.
The old modules ``framelab.plots_topics``, ``framelab.plots_validation`` and
``framelab.plots_counts`` still import (deprecated: use ``framelab.plots``).
"""

from framelab.plots._common import OKABE_ITO, save_figure
from framelab.plots.compare import (
    label_with_n,
    plot_coefficients,
    plot_cooccurrence,
    plot_fightin_words,
    plot_heatmap,
    plot_over_time,
    plot_prevalence,
)
from framelab.plots.topics import (
    plot_outlier_sensitivity,
    plot_outlier_share,
    plot_topic_frame_alignment,
    plot_topic_sizes,
    plot_topic_stability,
    plot_topics_over_time,
    plot_topics_per_group,
)
from framelab.plots.validate import (
    plot_accuracy,
    plot_agreement,
    plot_ci_width,
    plot_learning_curve,
)

__all__ = [
    "OKABE_ITO",
    "label_with_n",
    "plot_accuracy",
    "plot_agreement",
    "plot_ci_width",
    "plot_coefficients",
    "plot_cooccurrence",
    "plot_fightin_words",
    "plot_heatmap",
    "plot_learning_curve",
    "plot_outlier_sensitivity",
    "plot_outlier_share",
    "plot_over_time",
    "plot_prevalence",
    "plot_topic_frame_alignment",
    "plot_topic_sizes",
    "plot_topic_stability",
    "plot_topics_over_time",
    "plot_topics_per_group",
    "save_figure",
]
