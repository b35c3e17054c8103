"""Tests for framelab.plots: figures built under Agg with the expected series, labels and captions,
and save_figure's files and provenance sidecar."""

from __future__ import annotations

import itertools
import json

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from framelab.plots import (
    OKABE_ITO,
    plot_coefficients,
    plot_cooccurrence,
    plot_fightin_words,
    plot_heatmap,
    plot_over_time,
    plot_prevalence,
    save_figure,
)

FRAMES = ["ceasefire", "negotiations", "concessions"]
GROUPS = ["russia_state", "uk_eu", "us"]


def prevalence_table() -> pd.DataFrame:
    rows = [
        (g, f, 0.1 * (i + 1) + 0.05 * j) for i, g in enumerate(GROUPS) for j, f in enumerate(FRAMES)
    ]
    table = pd.DataFrame(rows, columns=["perspective", "frame", "estimate"])
    table["ci_low"], table["ci_high"] = table["estimate"] - 0.05, table["estimate"] + 0.05
    table["n"], table["n_clusters"], table["level"] = 50, 50, "document"
    table["measure"], table["method"], table["resample"] = (
        "present",
        "percentile bootstrap",
        "doc_id",
    )
    table["ci_level"], table["n_boot"], table["seed"] = 0.95, 2000, 7
    return table


def caption_of(ax) -> str:
    texts = [t.get_text() for t in ax.texts if t.get_gid() == "framelab-caption"]
    assert len(texts) == 1
    return texts[0]


def test_plot_prevalence_one_series_per_group_on_the_given_axes():
    _, ax = plt.subplots()
    out = plot_prevalence(prevalence_table(), ax=ax)
    assert out is ax
    assert len(ax.containers) == len(GROUPS)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == GROUPS
    assert [t.get_text() for t in ax.get_yticklabels()] == FRAMES
    assert ax.get_title() == "Frame prevalence by group"
    assert ax.get_xlabel() == "Share of documents with the frame (with CI)"
    assert ax.get_ylabel() == "Frame"
    caption = caption_of(ax)
    assert "95% CI, percentile bootstrap (n_boot=2000, seed=7), resampling doc_id" in caption
    assert caption.startswith("Source: framelab ")
    colours = [to_hex(c.lines[0].get_color()) for c in ax.containers]
    assert colours == [c.lower() for c in OKABE_ITO[:3]]


def test_plot_prevalence_selects_and_orders_frames_and_groups():
    ax = plot_prevalence(
        prevalence_table(),
        frames=["concessions", "ceasefire"],
        groups=["us", "uk_eu"],
        title="Selected",
        caption="My caption",
    )
    assert [t.get_text() for t in ax.get_yticklabels()] == ["concessions", "ceasefire"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["us", "uk_eu"]
    assert len(ax.containers) == 2
    assert ax.get_title() == "Selected" and caption_of(ax) == "My caption"
    # the estimates drawn are the table's, whisker ends are the CI
    xs = np.sort(ax.containers[0].lines[0].get_xdata())
    assert xs == pytest.approx([0.3, 0.4])


def test_plot_prevalence_without_groups_and_errors():
    table = prevalence_table()
    single = table[table["perspective"] == "us"].drop(columns="perspective")
    ax = plot_prevalence(single, caption="")
    assert len(ax.containers) == 1 and ax.get_legend() is None
    assert not [t for t in ax.texts if t.get_gid() == "framelab-caption"]
    with pytest.raises(ValueError, match=r"has no 'ci_low', 'ci_high' columns"):
        plot_prevalence(table.drop(columns=["ci_low", "ci_high"]))
    with pytest.raises(TypeError, match=r"expected the DataFrame returned by"):
        plot_prevalence([1, 2])


def time_table() -> pd.DataFrame:
    periods = pd.date_range("2023-09-01", periods=4, freq="MS")
    rows = [
        (g, p, f, 0.2 + 0.1 * k)
        for g in ("us", "uk_eu")
        for f in ("stalemate", "ceasefire")
        for k, p in enumerate(periods)
    ]
    table = pd.DataFrame(rows, columns=["perspective", "period", "frame", "estimate"])
    table["ci_low"], table["ci_high"] = table["estimate"] - 0.1, table["estimate"] + 0.1
    table["level"], table["measure"], table["freq"], table["window"] = "document", "present", "M", 1
    return table


def test_plot_over_time_lines_bands_and_events():
    _, ax = plt.subplots()
    out = plot_over_time(time_table(), ax=ax, events={"2023-11-02": "assessment", "2023-12-01": ""})
    assert out is ax
    series = [
        line for line in ax.lines if line.get_label() and not line.get_label().startswith("_")
    ]
    assert [line.get_label() for line in series] == [
        "us / stalemate",
        "us / ceasefire",
        "uk_eu / stalemate",
        "uk_eu / ceasefire",
    ]
    assert len(ax.collections) == 4  # one CI band per series
    assert len(ax.lines) == 4 + 2  # plus two event markers
    assert [t.get_text() for t in ax.texts if t.get_gid() != "framelab-caption"] == ["assessment"]
    assert ax.get_xlabel() == "Month" and ax.get_ylabel() == "Share of documents with the frame"
    assert ax.get_title() == "Frame prevalence over time"


def test_plot_over_time_selection_and_smoothing_label():
    table = time_table().assign(window=3)
    ax = plot_over_time(table, frames=["ceasefire"], groups=["uk_eu"])
    assert [line.get_label() for line in ax.lines] == ["uk_eu / ceasefire"]
    assert ax.lines[0].get_ydata() == pytest.approx([0.2, 0.3, 0.4, 0.5])
    assert ax.get_xlabel() == "Month (centred 3-period pooling)"


def test_plot_heatmap_cells_and_annotations():
    _, ax = plt.subplots()
    out = plot_heatmap(prevalence_table(), ax=ax)
    assert out is ax
    image = ax.images[0].get_array()
    assert image.shape == (len(GROUPS), len(FRAMES))
    assert image[0, 0] == pytest.approx(0.1) and image[2, 2] == pytest.approx(0.4)
    cells = [t.get_text() for t in ax.texts if t.get_gid() != "framelab-caption"]
    assert len(cells) == 9 and cells[:3] == ["0.10", "0.15", "0.20"]
    assert [t.get_text() for t in ax.get_yticklabels()] == GROUPS
    assert ax.get_ylabel() == "perspective" and ax.get_xlabel() == "Frame"
    assert len(ax.figure.axes) == 2  # the colour bar


def cooccurrence_table() -> pd.DataFrame:
    frames = ["a", "b", "c"]
    lift = {("a", "b"): 2.0, ("a", "c"): 0.5, ("b", "c"): 0.0}
    rows = []
    for fa in frames:
        for fb in frames:
            value = 3.0 if fa == fb else lift.get((fa, fb), lift.get((fb, fa)))
            rows.append((fa, fb, value, 0.2, "sentence"))
    return pd.DataFrame(rows, columns=["frame_a", "frame_b", "lift", "jaccard", "level"])


def test_plot_cooccurrence_masks_the_diagonal():
    _, ax = plt.subplots()
    out = plot_cooccurrence(cooccurrence_table(), ax=ax)
    assert out is ax
    values = ax.images[0].get_array()
    assert values.mask.diagonal().all() and not values.mask[0, 1]
    assert values[0, 1] == pytest.approx(1.0)  # log2(2)
    assert values[1, 2] == pytest.approx(-1.0)  # 0 clipped at 1/2 (scale span 1)
    cells = [t.get_text() for t in ax.texts if t.get_gid() != "framelab-caption"]
    assert sorted(cells) == ["0.00", "0.00", "0.50", "0.50", "2.00", "2.00"]
    assert ax.get_title() == "Frame co-occurrence (sentences)"
    ticks = [t.get_text() for t in ax.figure.axes[1].get_yticklabels()]
    assert ticks == ["0.5", "1", "2"]


def test_plot_cooccurrence_jaccard_diagonal_and_group_error():
    ax = plot_cooccurrence(cooccurrence_table(), value="jaccard", diagonal=True)
    assert not np.ma.getmaskarray(ax.images[0].get_array()).any()
    grouped = pd.concat([cooccurrence_table().assign(outlet=o) for o in ("X", "Y")])
    grouped = grouped[["outlet", *cooccurrence_table().columns]]
    with pytest.raises(ValueError, match=r"several groups of outlet; select one first"):
        plot_cooccurrence(grouped)


def words_table(n_up: int = 14, n_down: int = 13) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    terms = [f"term{i:02d}" for i in range(60)]
    z = np.concatenate(
        [
            np.linspace(2.1, 6, n_up),
            -np.linspace(2.1, 5, n_down),
            rng.uniform(-1.5, 1.5, 60 - n_up - n_down),
        ]
    )
    return pd.DataFrame(
        {
            "group": "russia_state",
            "reference": "(rest)",
            "term": terms,
            "count_group": rng.integers(5, 50, 60),
            "count_reference": rng.integers(5, 50, 60),
            "z": z,
            "prior": "pooled",
            "alpha_0": 1234.0,
        }
    )


def _overlaps(boxes) -> int:
    count = 0
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            a, b = boxes[i], boxes[j]
            if a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1:
                count += 1
    return count


def test_plot_fightin_words_labels_top_terms_without_overlaps():
    _, ax = plt.subplots(figsize=(7, 5))
    out = plot_fightin_words(words_table(), top=10, ax=ax)
    assert out is ax
    labels = [t for t in ax.texts if t.get_gid() == "framelab-term"]
    table = words_table()
    expected = set(table.nlargest(10, "z")["term"]) | set(table.nsmallest(10, "z")["term"])
    assert {t.get_text() for t in labels} == expected
    assert len(ax.collections) == 3  # other terms, group terms, reference terms
    assert [len(c.get_offsets()) for c in ax.collections] == [33, 14, 13]
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert _overlaps(boxes) == 0
    assert ax.get_xscale() == "log"
    assert ax.get_title() == "Distinguishing terms: russia_state vs (rest)"
    assert "prior: pooled" in caption_of(ax) and "alpha_0 = 1234" in caption_of(ax)


def test_plot_fightin_words_picks_the_comparison():
    table = pd.concat([words_table(), words_table().assign(group="us")])
    ax = plot_fightin_words(table, group="us", top=3)
    assert len([t for t in ax.texts if t.get_gid() == "framelab-term"]) == 6
    assert ax.get_title().startswith("Distinguishing terms: us vs")
    with pytest.raises(ValueError, match=r"no rows for group='china'"):
        plot_fightin_words(table, group="china")


def coefficient_table() -> pd.DataFrame:
    terms = [
        "Intercept",
        "C(perspective, Treatment('us'))[T.russia_state]",
        "C(perspective, Treatment('us'))[T.uk_eu]",
        "log_tokens",
    ]
    rows = []
    for k, frame in enumerate(["concessions", "security_guarantees"]):
        for i, term in enumerate(terms):
            est = 0.5 * i - k
            rows.append(
                (
                    frame,
                    term,
                    est,
                    est - 0.3,
                    est + 0.3,
                    np.exp(est),
                    np.exp(est - 0.3),
                    np.exp(est + 0.3),
                    "logit",
                )
            )
    return pd.DataFrame(
        rows,
        columns=[
            "frame",
            "term",
            "estimate",
            "ci_low",
            "ci_high",
            "exp_estimate",
            "exp_ci_low",
            "exp_ci_high",
            "family",
        ],
    )


def test_plot_coefficients_one_series_per_frame_without_intercept():
    _, ax = plt.subplots()
    out = plot_coefficients(coefficient_table(), ax=ax)
    assert out is ax
    assert len(ax.containers) == 2
    assert [t.get_text() for t in ax.get_yticklabels()] == [
        "perspective = russia_state",
        "perspective = uk_eu",
        "log_tokens",
    ]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "concessions",
        "security_guarantees",
    ]
    assert ax.get_xlabel() == "Coefficient (log odds ratio, with CI)"
    reference = [line for line in ax.lines if list(line.get_xdata()) == [0.0, 0.0]]
    assert len(reference) == 1


def test_plot_coefficients_exponentiated_and_with_intercept():
    ax = plot_coefficients(coefficient_table(), exp=True, intercept=True, frames=["concessions"])
    assert ax.get_xscale() == "log"
    assert len(ax.containers) == 1 and ax.get_legend() is None
    assert [t.get_text() for t in ax.get_yticklabels()][0] == "Intercept"
    assert ax.get_xlabel() == "Odds ratio (with CI, log scale)"
    with pytest.raises(ValueError, match=r"no coefficient left to draw"):
        plot_coefficients(coefficient_table()[lambda t: t["term"] == "Intercept"])


def test_save_figure_writes_png_svg_and_provenance(tmp_path):
    ax = plot_prevalence(prevalence_table())
    paths = save_figure(ax, tmp_path / "figures" / "prevalence")
    assert [p.name for p in paths] == ["prevalence.png", "prevalence.svg", "prevalence.json"]
    assert all(p.stat().st_size > 0 for p in paths)
    assert paths[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    sidecar = json.loads(paths[2].read_text(encoding="utf-8"))
    assert sidecar["table"]["seed"] == 7 and sidecar["table"]["n_boot"] == 2000
    assert sidecar["table"]["method"] == "percentile bootstrap"
    assert sidecar["framelab_version"] and sidecar["titles"] == ["Frame prevalence by group"]
    assert sidecar["dpi"] == 150
    first_svg = paths[1].read_bytes()
    save_figure(ax, tmp_path / "figures" / "prevalence.png")  # an extension is replaced
    assert paths[1].read_bytes() == first_svg  # no date, fixed ids: same figure, same file


def test_save_figure_table_argument_and_raw_refusal(tmp_path, monkeypatch):
    _, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    table = pd.DataFrame({"frame": ["x"], "seed": [3], "method": ["percentile bootstrap"]})
    paths = save_figure(ax.figure, tmp_path / "plain", table=table, dpi=72)
    sidecar = json.loads(paths[2].read_text(encoding="utf-8"))
    assert sidecar["table"] == {"method": "percentile bootstrap", "seed": 3}
    assert sidecar["dpi"] == 72
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PermissionError, match=r"refusing to write data/raw/fig.png"):
        save_figure(ax, "data/raw/fig")
    assert not (tmp_path / "data" / "raw").exists()
    with pytest.raises(TypeError, match=r"expected a matplotlib Axes or Figure"):
        save_figure("figure", tmp_path / "x")


def test_plot_prevalence_twelve_groups_get_twelve_colours_gh15():
    groups = [f"camp {i:02d}" for i in range(12)]
    table = pd.DataFrame({"camp": groups, "frame": "x", "estimate": 0.5, "ci_low": 0.4,
                          "ci_high": 0.6})  # fmt: skip
    ax = plot_prevalence(table)
    colours = [to_hex(c.lines[0].get_color()) for c in ax.containers]
    assert len(colours) == 12 and len(set(colours)) == 12  # Okabe-Ito alone repeats after 8
    lines = plot_over_time(
        pd.DataFrame(
            {
                "period": pd.Timestamp("2024-01-01"),
                "frame": groups,
                "estimate": 0.5,
                "ci_low": 0.4,
                "ci_high": 0.6,
            }
        )  # fmt: skip
    ).lines
    assert len({to_hex(line.get_color()) for line in lines}) == 12
    # up to 8 series keep the colour-blind-safe Okabe-Ito colours
    few = plot_prevalence(table[table["camp"].isin(groups[:3])])
    assert [to_hex(c.lines[0].get_color()) for c in few.containers] == [
        to_hex(c) for c in OKABE_ITO[:3]
    ]


def test_plot_heatmap_low_shares_read_below_one_hundredth_gh15():
    table = prevalence_table()
    table.loc[0, "estimate"], table.loc[1, "estimate"] = 0.004, 0.0
    ax = plot_heatmap(table)
    cells = [t.get_text() for t in ax.texts if t.get_gid() != "framelab-caption"]
    assert cells[:3] == ["<0.01", "0.00", "0.20"]


def test_plot_coefficients_log_axis_has_plain_number_labels_gh15():
    table = coefficient_table()
    ax = plot_coefficients(table[table["frame"] == "concessions"], exp=True)
    ax.figure.canvas.draw()
    low, high = ax.get_xlim()
    shown = [t.get_text() for t in ax.get_xticklabels() if low <= t.get_position()[0] <= high]
    # intervals from exp(0.2) = 1.22 to exp(1.8) = 6.05 (plus the reference line at 1):
    # ticks 1, 2 and 5 as plain numbers, no 10^0 labels and no labelled minor ticks
    assert shown == ["1", "2", "5"]
    assert all(t.get_text() == "" for t in ax.xaxis.get_minorticklabels())


def test_plot_fightin_words_frequency_axis_has_plain_number_labels_gh15():
    ax = plot_fightin_words(words_table(), top=10)
    ax.figure.canvas.draw()
    low, high = ax.get_xlim()
    shown = [t.get_text() for t in ax.get_xticklabels() if low <= t.get_position()[0] <= high]
    # frequencies 14 to 92 (axis 12.7 to 101): the 1-2-5 steps inside it, as plain numbers
    assert shown == ["20", "50", "100"]
    assert all(t.get_text() == "" for t in ax.xaxis.get_minorticklabels())


def _overlapping_tick_labels(ax) -> list[tuple[str, str]]:
    """Pairs of neighbouring x tick labels whose drawn boxes overlap."""
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    labels = [t for t in ax.get_xticklabels() if t.get_visible() and t.get_text()]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in labels]
    boxes.sort(key=lambda b: b[1].x0)
    return [(a, b) for (a, ea), (b, eb) in itertools.pairwise(boxes) if ea.x1 > eb.x0]


@pytest.mark.parametrize(
    ("starts", "freq"),
    [(["2022-03-01", "2022-04-01", "2022-05-01"], "M"),  # three months of RUWA headlines
     (list(pd.date_range("2023-09-04", periods=16, freq="7D").astype(str)), "W")],
)  # fmt: skip
def test_over_time_date_labels_never_overlap_gh15(starts, freq):
    """Three months of a monthly series drew 8 weekly ticks labelled "2022-03-08" etc., which
    overlapped into an unreadable band (03-over-time and 05-topics-over-time on RUWA)."""
    from framelab.plots_topics import plot_topics_over_time

    periods = pd.to_datetime(starts)
    n = len(periods)
    table = pd.DataFrame({"period": list(periods) * 2, "frame": ["a"] * n + ["b"] * n,
                          "estimate": 0.02, "ci_low": 0.01, "ci_high": 0.03, "freq": freq})  # fmt: skip
    ax = plot_over_time(table, events={"2022-04-03": "event"})
    topics = pd.DataFrame({"period": list(periods) * 2, "group": "all",
                           "topic": [0] * n + [1] * n, "label": ["0: x"] * n + ["1: y"] * n,
                           "share": 0.5})  # fmt: skip
    ax_topics = plot_topics_over_time(topics)
    for axes in (ax, ax_topics):
        texts = [t.get_text() for t in axes.get_xticklabels() if t.get_text()]
        assert _overlapping_tick_labels(axes) == []
        assert 3 <= len(texts) <= 8
    plt.close("all")


def test_plots_package_exposes_every_figure_and_old_modules_still_import_gh17():
    import framelab.plots as plots
    from framelab import plots_counts, plots_topics, plots_validation
    from framelab.plots import _common, compare, topics, validate

    for module in (compare, topics, validate, plots_topics, plots_validation, plots_counts):
        for name in module.__all__:
            assert getattr(plots, name) is getattr(module, name), (module.__name__, name)
    assert plots.save_figure is _common.save_figure
    # the helpers every figure module draws with are defined once, in plots._common
    assert topics._check is validate._check is compare._check is _common._check


def _topic_and_validation_figures():
    """One small table per public topic/validation plot: (function, table, kwargs, title,
    x label, y label)."""
    from framelab.plots import topics as pt
    from framelab.plots import validate as pv

    period = pd.to_datetime(["2024-01-01", "2024-02-01"] * 2)
    variants = ["with_outliers", "without_outliers", "reduced"] * 2
    return [
        (pt.plot_topic_sizes,
         pd.DataFrame({"topic": [-1, 0], "label": ["-1: outliers", "0: a"], "share": [0.2, 0.8]}),
         {}, "Topic sizes", "Share of units (%)", ""),
        (pt.plot_topics_per_group,
         pd.DataFrame({"group": ["A", "B"], "topic": 0, "label": "0: x", "share": [0.7, 0.2]}),
         {}, "Topics by group", "Topic", ""),
        (pt.plot_topics_over_time,
         pd.DataFrame({"period": period, "group": "all", "topic": [0, 0, 1, 1],
                       "label": ["0: x", "0: x", "1: y", "1: y"], "share": [0.6, 0.4, 0.4, 0.6]}),
         {}, "Topics over time", "Period", "Share of units (%)"),
        (pt.plot_topic_frame_alignment,
         pd.DataFrame({"topic": [0, 0], "label": "0: a", "frame": ["f", "g"],
                       "coded_share": [0.9, 0.1]}),
         {}, "Topics and frames", "Frame", ""),
        (pt.plot_topic_stability,
         pd.DataFrame({"topic": [0], "label": ["0: a"], "unit_overlap": [0.9],
                       "word_overlap": [0.8], "stable": [True]}),
         {}, "Topic stability across seeds",
         "Mean overlap with matched topics across seeds (Jaccard)", ""),
        (pt.plot_outlier_share,
         pd.DataFrame({"group": ["A"], "n_outliers": [1], "n_units": [10], "share": [0.1]}),
         {}, "Outliers by group", "Outlier units (%)", ""),
        (pt.plot_outlier_sensitivity,
         pd.DataFrame({"variant": variants, "group": ["A"] * 3 + ["B"] * 3, "topic": 0,
                       "label": "0: a", "share": [0.3, 0.4, 0.35, 0.5, 0.55, 0.5]}),
         {"topic": 0}, "0: a - share by outlier treatment", "Share of units (%)", ""),
        (pv.plot_agreement,
         pd.DataFrame({"frame": ["a"], "alpha": [0.9], "ci_low": [0.8], "ci_high": [0.95],
                       "metric": "nominal"}),
         {}, "Inter-coder agreement by frame",
         "Krippendorff's alpha (nominal), bootstrap CI", "Frame"),
        (pv.plot_accuracy,
         pd.DataFrame({"frame": ["a", "micro"], "codebook": "demo@1", "f1": [0.8, 0.8],
                       "f1_low": [0.7] * 2, "f1_high": [0.9] * 2}),
         {}, "F1 against gold labels", "F1 against gold labels (bootstrap CI)", "Frame"),
        (pv.plot_ci_width,
         pd.DataFrame({"statistic": "f1", "frame": "a", "n": [50, 100], "width": [0.4, 0.28]}),
         {}, "How precise is F1 with n coded units?", "Hand-coded units (n)",
         "Width of the bootstrap CI of F1"),
        (pv.plot_learning_curve,
         pd.DataFrame({"n_gold": [50, 200], "frame": "micro", "f1": [0.5, 0.7],
                       "f1_low": [0.4, 0.65], "f1_high": [0.6, 0.75]}),
         {}, "Supervised coder: F1 by training units", "Gold units trained on (n)",
         "Cross-validated F1"),
    ]  # fmt: skip


def test_every_topic_and_validation_figure_is_captioned_gh17():
    from framelab._version import __version__
    from framelab.plots import topics as pt
    from framelab.plots import validate as pv

    cases = _topic_and_validation_figures()
    assert {f.__name__ for f, *_ in cases} == set(pt.__all__ + pv.__all__) - {"OKABE_ITO"}
    for func, table, kwargs, title, xlabel, ylabel in cases:
        _, ax = plt.subplots()
        assert func(table, ax=ax, **kwargs) is ax, func.__name__
        assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == (title, xlabel, ylabel)
        assert caption_of(ax) == f"Source: framelab {__version__}", func.__name__
        # a caption given replaces the default; "" draws none
        ax = func(table, caption="My caption", **kwargs)
        assert caption_of(ax) == "My caption"
        ax = func(table, caption="", **kwargs)
        assert not [t for t in ax.texts if t.get_gid() == "framelab-caption"]
        plt.close("all")


def test_validation_figure_provenance_reaches_the_sidecar_gh17(tmp_path):
    from framelab.plots import plot_accuracy

    table = pd.DataFrame({"frame": ["a"], "codebook": "demo@1", "f1": [0.8], "f1_low": [0.7],
                          "f1_high": [0.9], "level": "paragraph"})  # fmt: skip
    ax = plot_accuracy(table)
    assert caption_of(ax).endswith(" · unit: paragraph")
    sidecar = json.loads(save_figure(ax, tmp_path / "accuracy")[2].read_text(encoding="utf-8"))
    assert sidecar["table"] == {"codebook": "demo@1", "level": "paragraph"}
    plt.close("all")
