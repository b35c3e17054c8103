"""Topic figures: drawn on the given Axes, labelled, from the tidy tables."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from framelab import plots_topics as pt
from framelab.topics import (
    align_topics_frames,
    compare_topic_fits,
    outlier_sensitivity,
    outlier_share,
    topics_over_time,
    topics_per_group,
)


@pytest.fixture(scope="module")
def toy_fit(toy):
    from framelab.topics import fit_topics

    return fit_topics(toy, {"preset": "fast", "n_topics": 3, "use_cache": False})


def test_plot_topic_sizes_greys_the_outliers():
    info = pd.DataFrame(
        {"topic": [-1, 0, 1], "label": ["-1: outliers", "0: a", "1: b"], "share": [0.1, 0.6, 0.3]}
    )
    _, ax = plt.subplots()
    assert pt.plot_topic_sizes(info, ax=ax, title="Sizes") is ax
    widths = [p.get_width() for p in ax.patches]
    np.testing.assert_allclose(widths, [10, 60, 30])
    assert ax.patches[0].get_facecolor()[:3] == pytest.approx((0.6, 0.6, 0.6))
    assert (ax.get_title(), ax.get_xlabel()) == ("Sizes", "Share of units (%)")
    ax2 = pt.plot_topic_sizes(info, top=1)
    assert [t.get_text() for t in ax2.get_yticklabels()] == ["-1: outliers", "0: a"]


def test_plot_topics_per_group_heatmap(toy, toy_fit):
    table = topics_per_group(toy_fit, toy, by="outlet")
    _, ax = plt.subplots()
    assert pt.plot_topics_per_group(table, ax=ax) is ax
    image = ax.images[0].get_array()
    np.testing.assert_allclose(image, 100 * np.full((2, 3), 1 / 3))
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Daily A", "Daily B"]
    assert ax.get_title() == "Topics by group"
    with pytest.raises(ValueError, match=r"no topic 9 in the table; topics are \[0, 1, 2\]"):
        pt.plot_topics_per_group(table, topics=[9])


def test_plot_topics_over_time_needs_a_group_when_there_are_several(toy, toy_fit):
    table = topics_over_time(toy_fit, toy, freq="M", by="outlet")
    with pytest.raises(
        ValueError, match="has 2 groups; pick one with group=..., one of Daily A, Daily B"
    ):
        pt.plot_topics_over_time(table)
    _, ax = plt.subplots()
    assert pt.plot_topics_over_time(table, group="Daily A", topics=[0, 2], ax=ax) is ax
    assert len(ax.get_lines()) == 2
    assert ax.get_lines()[0].get_color() == pt.OKABE_ITO[0]
    assert ax.get_title() == "Topics over time (Daily A)" and ax.get_xlabel() == "Period"


def test_plot_topic_frame_alignment(toy_fit):
    table = align_topics_frames(toy_fit, {"truce": ["truce", "ceasefire"], "grain": ["grain"]})
    _, ax = plt.subplots()
    assert pt.plot_topic_frame_alignment(table, value="lexicon_similarity", ax=ax) is ax
    assert [t.get_text() for t in ax.get_xticklabels()] == ["truce", "grain"]
    np.testing.assert_allclose(
        ax.images[0].get_array(),
        100
        * table.pivot(index="topic", columns="frame", values="lexicon_similarity")[
            ["truce", "grain"]
        ],
    )
    with pytest.raises(ValueError, match="value must be one of coded_share"):
        pt.plot_topic_frame_alignment(table, value="score")


def test_plot_topic_stability_and_outliers(toy, toy_fit):
    report = compare_topic_fits([toy_fit, toy_fit])
    _, ax = plt.subplots()
    assert pt.plot_topic_stability(report.topics, ax=ax) is ax
    assert [p.get_width() for p in ax.patches] == [1.0] * 6
    _, ax = plt.subplots()
    assert pt.plot_outlier_share(outlier_share(toy_fit, toy), ax=ax) is ax
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Daily A (n=12)", "Daily B (n=12)"]
    _, ax = plt.subplots()
    table = outlier_sensitivity(toy_fit, toy)
    assert pt.plot_outlier_sensitivity(table, topic=1, ax=ax) is ax
    assert len(ax.get_lines()) == 3 and ax.get_xlabel() == "Share of units (%)"


def test_plots_check_their_input():
    with pytest.raises(TypeError, match="expected the DataFrame returned by TopicFit.info"):
        pt.plot_topic_sizes([1, 2])
    with pytest.raises(ValueError, match="no 'share' column"):
        pt.plot_topic_sizes(pd.DataFrame({"topic": [0], "label": ["x"]}))
    with pytest.raises(ValueError, match="the table is empty"):
        pt.plot_outlier_share(pd.DataFrame(columns=["group", "n_outliers", "n_units", "share"]))


def test_plot_topic_stability_units_and_words_in_two_colours_gh15():
    from matplotlib.colors import to_hex

    topics = pd.DataFrame({"topic": [0, 1], "label": ["0: a", "1: b"],
                           "unit_overlap": [0.9, 0.3], "word_overlap": [0.8, 0.4],
                           "stable": [True, False]})  # fmt: skip
    ax = pt.plot_topic_stability(topics)
    colours = [to_hex(p.get_facecolor()) for p in ax.patches]
    assert colours[0] == colours[1] != colours[2] == colours[3]
    legend = ax.get_legend()
    assert [to_hex(h.get_facecolor()) for h in legend.legend_handles] == [colours[0], colours[2]]
