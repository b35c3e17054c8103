"""Figures for topic tables: sizes, per group, over time, frame alignment, stability, outliers.

Each function takes a table from :mod:`framelab.topics`, draws on ``ax`` (a new figure when it
is None) and returns the Axes, titled, labelled and captioned below the x axis (``caption``:
default the framelab version and the table's method columns, ``""`` for none). Nothing is computed here beyond picking rows, nothing is shown,
no global style is changed. Categorical colours are the Okabe-Ito palette; heatmaps use the
``cividis`` colour map (readable with colour-vision deficiencies). BERTopic's plotly figures
remain available on ``fit.model`` (``visualize_*``) but are not the default.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from framelab.plots._common import OKABE_ITO, _annotation, _axes, _check, _date_axis, _finish

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

_OUTLIER_GREY = "#999999"
_LINESTYLES = ("-", "--", ":", "-.")


def _select_topics(table: pd.DataFrame, topics: Sequence[int] | None, caller: str) -> list[int]:
    available = sorted(int(t) for t in table["topic"].unique())
    if topics is None:
        return available
    unknown = [t for t in topics if t not in available]
    if unknown:
        raise ValueError(
            f"{caller}(): no topic {unknown[0]!r} in the table; topics are {available}."
        )
    return list(topics)


def _heatmap(
    ax: Axes,
    values: np.ndarray,
    rows: list[str],
    cols: list[str],
    *,
    vmax: float | None,
    fmt: str,
    cbar_label: str,
) -> None:
    image = ax.imshow(
        values,
        aspect="auto",
        cmap="cividis",
        vmin=0,
        vmax=vmax if vmax is not None else np.nanmax(values) or 1.0,
    )
    ax.set_xticks(range(len(cols)), cols, rotation=45, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    top = image.get_clim()[1]
    for (i, j), v in np.ndenumerate(values):
        if np.isfinite(v):
            ax.text(
                j,
                i,
                _annotation(v, fmt),
                ha="center",
                va="center",
                fontsize=7,
                color="black" if v > 0.6 * top else "white",
            )
    ax.figure.colorbar(image, ax=ax, label=cbar_label, shrink=0.8)


def plot_topic_sizes(
    info: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    top: int | None = None,
    caption: str | None = None,
) -> Axes:
    """Share of units per topic (horizontal bars, the outlier topic in grey).

    Parameters
    ----------
    info : pandas.DataFrame
        ``fit.info`` (:class:`framelab.topics.TopicFit`): ``topic, label, share``.
    top : int, optional
        Only the ``top`` largest topics (the outlier topic is always shown when present).

    Examples
    --------
    >>> info = pd.DataFrame({"topic": [-1, 0, 1], "label": ["-1: outliers", "0: a, b", "1: c"],
    ...                      "size": [2, 5, 3], "share": [0.2, 0.5, 0.3]})
    >>> ax = plot_topic_sizes(info)
    >>> ax.get_xlabel(), [t.get_text() for t in ax.get_yticklabels()]
    ('Share of units (%)', ['-1: outliers', '0: a, b', '1: c'])
    """
    _check(info, "plot_topic_sizes", ("topic", "label", "share"), "TopicFit.info")
    table = info.sort_values("topic", kind="mergesort")
    if top is not None:
        keep = set(table[table["topic"] != -1].nlargest(top, "share")["topic"]) | {-1}
        table = table[table["topic"].isin(keep)]
    ax = _axes(ax, (6.5, max(2.5, 0.35 * len(table) + 1.2)))
    y = np.arange(len(table))
    colours = [_OUTLIER_GREY if t == -1 else OKABE_ITO[0] for t in table["topic"]]
    ax.barh(y, 100 * table["share"].to_numpy(), color=colours)
    ax.set_yticks(y, table["label"].tolist())
    ax.invert_yaxis()
    return _finish(ax, info, title or "Topic sizes", "Share of units (%)", "", caption)


def plot_topics_per_group(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    topics: Sequence[int] | None = None,
    title: str | None = None,
    caption: str | None = None,
) -> Axes:
    """Heatmap of each group's share of units per topic (rows: groups, columns: topics).

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`framelab.topics.topics_per_group`.
    topics : list of int, optional
        Topics to show (default all).

    Examples
    --------
    >>> table = pd.DataFrame({"group": ["A", "A", "B", "B"], "topic": [0, 1, 0, 1],
    ...                       "label": ["0: x", "1: y"] * 2, "share": [0.7, 0.3, 0.2, 0.8]})
    >>> ax = plot_topics_per_group(table)
    >>> [t.get_text() for t in ax.get_yticklabels()], ax.get_xlabel()
    (['A', 'B'], 'Topic')
    """
    _check(
        table,
        "plot_topics_per_group",
        ("group", "topic", "label", "share"),
        "framelab.topics.topics_per_group",
    )
    chosen = _select_topics(table, topics, "plot_topics_per_group")
    sub = table[table["topic"].isin(chosen)]
    wide = sub.pivot_table(
        index="group", columns="topic", values="share", aggfunc="first", sort=True
    ).reindex(columns=chosen)
    labels = dict(zip(sub["topic"], sub["label"], strict=False))
    ax = _axes(ax, (max(5.0, 0.6 * len(chosen) + 3), max(2.5, 0.35 * len(wide) + 1.5)))
    _heatmap(
        ax,
        100 * wide.to_numpy(dtype=float),
        [str(g) for g in wide.index],
        [labels[t] for t in chosen],
        vmax=None,
        fmt=".0f",
        cbar_label="Share of units (%)",
    )
    return _finish(ax, table, title or "Topics by group", "Topic", "", caption)


def plot_topics_over_time(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    topics: Sequence[int] | None = None,
    group: str | None = None,
    title: str | None = None,
    caption: str | None = None,
) -> Axes:
    """Share of units per topic by period (one line per topic).

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`framelab.topics.topics_over_time`.
    topics : list of int, optional
        Topics to draw (default all; more than 8 reuse colours with other line styles).
    group : str, optional
        The group to draw when the table has several (``by=`` was used).

    Examples
    --------
    >>> table = pd.DataFrame({"period": pd.to_datetime(["2024-01-01", "2024-02-01"] * 2),
    ...                       "group": "all", "topic": [0, 0, 1, 1],
    ...                       "label": ["0: x", "0: x", "1: y", "1: y"],
    ...                       "share": [0.6, 0.4, 0.4, 0.6]})
    >>> ax = plot_topics_over_time(table)
    >>> len(ax.get_lines()), ax.get_ylabel()
    (2, 'Share of units (%)')
    """
    _check(
        table,
        "plot_topics_over_time",
        ("period", "group", "topic", "label", "share"),
        "framelab.topics.topics_over_time",
    )
    groups = sorted(str(g) for g in table["group"].unique())
    if group is None and len(groups) > 1:
        raise ValueError(
            f"plot_topics_over_time(): the table has {len(groups)} groups; pick one with "
            f"group=..., one of {', '.join(groups)} (or draw each on its own Axes)."
        )
    sub = table if group is None else table[table["group"].astype(str) == str(group)]
    if sub.empty:
        raise ValueError(
            f"plot_topics_over_time(): no group {group!r}; groups: {', '.join(groups)}."
        )
    chosen = _select_topics(sub, topics, "plot_topics_over_time")
    ax = _axes(ax, (7.0, 3.8))
    for k, t in enumerate(chosen):
        rows = sub[sub["topic"] == t].sort_values("period")
        colour = _OUTLIER_GREY if t == -1 else OKABE_ITO[k % len(OKABE_ITO)]
        ax.plot(
            rows["period"],
            100 * rows["share"],
            marker="o",
            markersize=3,
            color=colour,
            linestyle=_LINESTYLES[(k // len(OKABE_ITO)) % len(_LINESTYLES)],
            label=str(rows["label"].iloc[0]),
        )
    _date_axis(ax)
    ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    suffix = f" ({group})" if group is not None else ""
    title = title or f"Topics over time{suffix}"
    return _finish(ax, sub, title, "Period", "Share of units (%)", caption)


_ALIGN_VALUES = {
    "coded_share": "Share of the topic's units coded with the frame",
    "lexicon_similarity": "Weight of top words in the frame's lexicon",
    "lift": "Coded share / overall frame share",
}


def plot_topic_frame_alignment(
    table: pd.DataFrame,
    *,
    value: str = "coded_share",
    ax: Axes | None = None,
    title: str | None = None,
    caption: str | None = None,
) -> Axes:
    """Heatmap of topics x frames from :func:`framelab.topics.align_topics_frames`.

    Parameters
    ----------
    value : {"coded_share", "lexicon_similarity", "lift"}
        Which measure to colour by.

    Examples
    --------
    >>> table = pd.DataFrame({"topic": [0, 0, 1, 1], "label": ["0: a"] * 2 + ["1: b"] * 2,
    ...                       "frame": ["f", "g", "f", "g"], "coded_share": [0.9, 0.1, 0.2, 0.7],
    ...                       "lexicon_similarity": [0.5, 0.0, 0.0, 0.4], "lift": [1.5, 0.3, 0.4, 1.9]})
    >>> ax = plot_topic_frame_alignment(table, value="lift")
    >>> ax.get_xlabel(), [t.get_text() for t in ax.get_xticklabels()]
    ('Frame', ['f', 'g'])
    """
    if value not in _ALIGN_VALUES:
        raise ValueError(
            f"plot_topic_frame_alignment(): value must be one of {', '.join(_ALIGN_VALUES)}, "
            f"got {value!r}."
        )
    _check(
        table,
        "plot_topic_frame_alignment",
        ("topic", "label", "frame", value),
        "framelab.topics.align_topics_frames",
    )
    frames = list(dict.fromkeys(table["frame"]))
    wide = table.pivot_table(
        index="topic", columns="frame", values=value, aggfunc="first", sort=True, dropna=False
    ).reindex(columns=frames)
    labels = dict(zip(table["topic"], table["label"], strict=False))
    values = wide.to_numpy(dtype=float)
    ax = _axes(ax, (max(5.0, 0.7 * len(frames) + 3), max(2.5, 0.35 * len(wide) + 1.5)))
    scale = 100.0 if value != "lift" else 1.0
    _heatmap(
        ax,
        scale * values,
        [labels[t] for t in wide.index],
        frames,
        vmax=100.0 if value != "lift" else None,
        fmt=".0f" if value != "lift" else ".1f",
        cbar_label=_ALIGN_VALUES[value] + (" (%)" if value != "lift" else ""),
    )
    return _finish(ax, table, title or "Topics and frames", "Frame", "", caption)


def plot_topic_stability(
    topics: pd.DataFrame,
    *,
    ax: Axes | None = None,
    threshold: float = 0.5,
    title: str | None = None,
    caption: str | None = None,
) -> Axes:
    """Mean unit and word overlap of each topic with its matches across seeds.

    Parameters
    ----------
    topics : pandas.DataFrame
        ``StabilityReport.topics`` (:func:`framelab.topics.topic_stability`).
    threshold : float, default 0.5
        Reference line: the overlap a stable topic reaches.

    Examples
    --------
    >>> topics = pd.DataFrame({"topic": [0, 1], "label": ["0: a", "1: b"],
    ...                        "unit_overlap": [0.9, 0.3], "word_overlap": [0.8, 0.4],
    ...                        "stable": [True, False]})
    >>> ax = plot_topic_stability(topics)
    >>> ax.get_xlabel(), len(ax.patches)
    ('Mean overlap with matched topics across seeds (Jaccard)', 4)
    """
    _check(
        topics,
        "plot_topic_stability",
        ("topic", "label", "unit_overlap", "word_overlap", "stable"),
        "framelab.topics.topic_stability(...).topics",
    )
    table = topics.sort_values("topic", kind="mergesort")
    ax = _axes(ax, (6.5, max(2.5, 0.45 * len(table) + 1.2)))
    y = np.arange(len(table))
    ax.barh(y - 0.2, table["unit_overlap"], height=0.4, color=OKABE_ITO[0], label="units")
    ax.barh(y + 0.2, table["word_overlap"], height=0.4, color=OKABE_ITO[1], label="top words")
    ax.axvline(threshold, color="black", linewidth=0.8, linestyle="--")
    labels = [
        f"{lab}{'' if ok else '  (unstable)'}"
        for lab, ok in zip(table["label"], table["stable"], strict=True)
    ]
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.0)
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    xlabel = "Mean overlap with matched topics across seeds (Jaccard)"
    return _finish(ax, topics, title or "Topic stability across seeds", xlabel, "", caption)


def plot_outlier_share(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    caption: str | None = None,
) -> Axes:
    """Share of each group's units left as outliers (topic -1).

    Examples
    --------
    >>> table = pd.DataFrame({"group": ["A", "B"], "n_outliers": [1, 3], "n_units": [10, 10],
    ...                       "share": [0.1, 0.3]})
    >>> ax = plot_outlier_share(table)
    >>> ax.get_xlabel()
    'Outlier units (%)'
    """
    _check(
        table,
        "plot_outlier_share",
        ("group", "n_outliers", "n_units", "share"),
        "framelab.topics.outlier_share",
    )
    table = table.sort_values("group", kind="mergesort")
    ax = _axes(ax, (6.0, max(2.5, 0.35 * len(table) + 1.2)))
    y = np.arange(len(table))
    ax.barh(y, 100 * table["share"], color=_OUTLIER_GREY)
    ax.set_yticks(
        y, [f"{g} (n={n})" for g, n in zip(table["group"], table["n_units"], strict=True)]
    )
    ax.invert_yaxis()
    return _finish(ax, table, title or "Outliers by group", "Outlier units (%)", "", caption)


_VARIANTS = ("with_outliers", "without_outliers", "reduced")


def plot_outlier_sensitivity(
    table: pd.DataFrame,
    topic: int,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    caption: str | None = None,
) -> Axes:
    """One topic's share by group under the three outlier treatments (dots per variant).

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`framelab.topics.outlier_sensitivity`.
    topic : int
        The topic to show.

    Examples
    --------
    >>> table = pd.DataFrame({"variant": ["with_outliers", "without_outliers", "reduced"] * 2,
    ...                       "group": ["A"] * 3 + ["B"] * 3, "topic": 0, "label": "0: a",
    ...                       "share": [0.3, 0.4, 0.35, 0.5, 0.55, 0.5]})
    >>> ax = plot_outlier_sensitivity(table, topic=0)
    >>> ax.get_title(), len(ax.get_lines())
    ('0: a - share by outlier treatment', 3)
    """
    _check(
        table,
        "plot_outlier_sensitivity",
        ("variant", "group", "topic", "label", "share"),
        "framelab.topics.outlier_sensitivity",
    )
    _select_topics(table, [topic], "plot_outlier_sensitivity")
    sub = table[table["topic"] == topic]
    groups = sorted(str(g) for g in sub["group"].unique())
    ax = _axes(ax, (6.0, max(2.5, 0.4 * len(groups) + 1.2)))
    y = {g: i for i, g in enumerate(groups)}
    for k, variant in enumerate(_VARIANTS):
        rows = sub[sub["variant"] == variant]
        ax.plot(
            100 * rows["share"],
            [y[str(g)] + (k - 1) * 0.15 for g in rows["group"]],
            linestyle="none",
            marker="o",
            color=OKABE_ITO[k],
            label=variant.replace("_", " "),
        )
    ax.set_yticks(range(len(groups)), groups)
    ax.invert_yaxis()
    ax.legend(fontsize=8, frameon=False)
    title = title or f"{sub['label'].iloc[0]} - share by outlier treatment"
    return _finish(ax, sub, title, "Share of units (%)", "", caption)
