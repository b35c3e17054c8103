"""Deprecated: the topic figures live in :mod:`framelab.plots.topics` (also exposed by
:mod:`framelab.plots`). This module keeps ``from framelab import plots_topics`` working."""

from framelab.plots.topics import (
    OKABE_ITO,
    plot_outlier_sensitivity,
    plot_outlier_share,
    plot_topic_frame_alignment,
    plot_topic_sizes,
    plot_topic_stability,
    plot_topics_over_time,
    plot_topics_per_group,
)

__all__ = [
    "OKABE_ITO",
    "plot_outlier_sensitivity",
    "plot_outlier_share",
    "plot_topic_frame_alignment",
    "plot_topic_sizes",
    "plot_topic_stability",
    "plot_topics_over_time",
    "plot_topics_per_group",
]
