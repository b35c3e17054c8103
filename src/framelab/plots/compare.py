"""Figures for comparison tables: prevalence, time series, heatmaps, fightin' words, coefficients."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from framelab.plots._common import (
    _EVENT_KW,
    _GREY,
    _LEGEND_OUT,
    _LINE_KW,
    _STYLES,
    _annotation,
    _axes,
    _check,
    _colour,
    _date_axis,
    _dodged,
    _finish,
    _first,
    _group_columns,
    _labels,
    _measure_label,
    _ordered,
    _plain_log_x,
)

__all__ = [
    "label_with_n",
    "plot_coefficients",
    "plot_cooccurrence",
    "plot_fightin_words",
    "plot_heatmap",
    "plot_over_time",
    "plot_prevalence",
]

# --------------------------------------------------------------------------- prevalence


def plot_prevalence(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    caption: str | None = None,
    frames: Sequence[str] | None = None,
    groups: Sequence[str] | None = None,
    xlabel: str | None = None,
) -> Axes:
    """Dot-and-whisker (forest) plot of prevalence with CIs: frames down, one colour per group.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`framelab.compare.prevalence`, :func:`~framelab.compare.mean_by` or
        :func:`~framelab.compare.marginal_effects` (``frame``, ``estimate``, ``ci_low``,
        ``ci_high``; the columns before ``frame`` are the groups).
    frames, groups : list, optional
        Order and selection of frames (rows) and groups (series; labels as shown in the legend).
    ax, title, caption, xlabel
        Axes to draw on, title, caption line (default from the table), x-axis label.

    Returns
    -------
    matplotlib.axes.Axes
        One errorbar series per group, labelled in the legend.

    Examples
    --------
    >>> table = pd.DataFrame({"outlet": ["A", "A", "B", "B"], "frame": ["x", "y", "x", "y"],
    ...                       "estimate": [.2, .5, .4, .1], "ci_low": [.1, .4, .3, .0],
    ...                       "ci_high": [.3, .6, .5, .2], "level": "document",
    ...                       "measure": "present"})
    >>> ax = plot_prevalence(table)
    >>> len(ax.containers), [t.get_text() for t in ax.get_legend().get_texts()]
    (2, ['A', 'B'])
    """
    src = "framelab.compare.prevalence()"
    _check(table, "plot_prevalence", ("frame", "estimate", "ci_low", "ci_high"), src)
    labels = _labels(table, _group_columns(table))
    frame_order = _ordered(table["frame"].astype(str), frames)
    group_order = _ordered(labels, groups)
    ax = _axes(ax, (6.5, max(2.8, 0.45 * len(frame_order) + 1.5)))
    cols = ("estimate", "ci_low", "ci_high")
    base = _dodged(ax, table, labels, group_order, "frame", frame_order, cols)
    ax.set_yticks(base, labels=frame_order)
    ax.grid(axis="x", color="0.9", linewidth=0.8)
    ax.set_axisbelow(True)
    if group_order != ["all"]:
        ax.legend(fontsize="small", frameon=False, loc="best")
    xlabel = xlabel or f"{_measure_label(table)} (with CI)"
    return _finish(ax, table, title or "Frame prevalence by group", xlabel, "Frame", caption)


# --------------------------------------------------------------------------- time


def _events(events) -> list[tuple[pd.Timestamp, str]]:
    if events is None:
        return []
    if isinstance(events, Mapping):
        items = list(events.items())
    else:
        items = [e if isinstance(e, tuple) else (e, "") for e in events]
    return [(pd.Timestamp(d), str(label)) for d, label in items]


def plot_over_time(
    table: pd.DataFrame,
    *,
    frames: Sequence[str] | None = None,
    groups: Sequence[str] | None = None,
    events=None,
    ax: Axes | None = None,
    title: str | None = None,
    caption: str | None = None,
    ylabel: str | None = None,
) -> Axes:
    """Prevalence per period as lines with CI bands, one series per group and frame.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`framelab.compare.over_time` (``period``, ``frame``, ``estimate``, ``ci_low``,
        ``ci_high``; grouping columns before ``period``).
    frames, groups : list, optional
        Selection and order of frames and groups.
    events : mapping, list of dates or list of (date, label), optional
        Vertical dashed markers, e.g. ``{"2023-11-02": "commander's assessment"}``.
    ax, title, caption, ylabel
        As in :func:`plot_prevalence`.

    Returns
    -------
    matplotlib.axes.Axes
        One line and one band per series (group x frame), one dashed line per event.

    Examples
    --------
    >>> table = pd.DataFrame({"period": pd.to_datetime(["2023-09-01", "2023-10-01"] * 2),
    ...     "frame": ["x", "x", "y", "y"], "estimate": [.2, .3, .5, .4],
    ...     "ci_low": [.1, .2, .4, .3], "ci_high": [.3, .4, .6, .5]})
    >>> ax = plot_over_time(table, events={"2023-09-15": "event"})
    >>> len(ax.lines), len(ax.collections)
    (3, 2)
    """
    src = "framelab.compare.over_time()"
    _check(table, "plot_over_time", ("period", "frame", "estimate", "ci_low", "ci_high"), src)
    group_cols = list(table.columns)[: list(table.columns).index("period")]
    labels = _labels(table, group_cols)
    ax = _axes(ax, (7.5, 4.0))
    k = 0
    n_series = len(table[group_cols + ["frame"]].drop_duplicates())
    for group in _ordered(labels, groups):
        for frame in _ordered(table["frame"].astype(str), frames):
            part = table[(labels == group) & (table["frame"].astype(str) == frame)]
            if part.empty:
                continue
            part = part.sort_values("period")
            name = f"{group} / {frame}" if group_cols else frame
            style = _STYLES[(k // 20) % len(_STYLES)]
            colour = _colour(k, n_series)
            ax.plot(part["period"], part["estimate"].to_numpy(float), color=colour,
                    linestyle=style, label=name, **_LINE_KW)  # fmt: skip
            ax.fill_between(part["period"], part["ci_low"].to_numpy(float),
                            part["ci_high"].to_numpy(float), color=colour, alpha=0.18,
                            linewidth=0)  # fmt: skip
            k += 1
    _date_axis(ax)
    for date, label in _events(events):
        ax.axvline(date, color="0.3", linestyle="--", linewidth=1)
        if label:
            ax.annotate(label, xy=(date, 1), xycoords=("data", "axes fraction"), **_EVENT_KW)
    ax.grid(axis="y", color="0.9", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.legend(**_LEGEND_OUT)
    names = {"W": "Week", "M": "Month", "Q": "Quarter", "Y": "Year", "D": "Day"}
    xlabel = names.get(str(_first(table, "freq")), "Period")
    window = _first(table, "window")
    if window and window > 1:
        xlabel += f" (centred {window}-period pooling)"
    ylabel = ylabel or _measure_label(table)
    return _finish(ax, table, title or "Frame prevalence over time", xlabel, ylabel, caption)


# --------------------------------------------------------------------------- heatmaps


def _heatmap(
    ax: Axes,
    matrix: pd.DataFrame,
    *,
    cmap: str,
    annotate: bool,
    fmt: str,
    label: str,
    shown: np.ndarray | None = None,
    vmin=None,
    vmax=None,
):
    """Draw ``shown`` (default the matrix values) as an image; annotate with the matrix values."""
    values = matrix.to_numpy(float)
    shown = values if shown is None else shown
    image = ax.imshow(np.ma.masked_invalid(shown), cmap=cmap, aspect="auto", vmin=vmin, vmax=vmax)
    ax.set_xticks(
        np.arange(matrix.shape[1]), labels=[str(c) for c in matrix.columns], rotation=40, ha="right"
    )
    ax.set_yticks(np.arange(matrix.shape[0]), labels=[str(r) for r in matrix.index])
    colorbar = ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.02)
    colorbar.set_label(label)
    if annotate:
        lo, hi = image.get_clim()
        for (i, j), value in np.ndenumerate(values):
            if np.isfinite(value):
                shade = (shown[i, j] - lo) / ((hi - lo) or 1.0)
                dark = shade < 0.5 if cmap == "cividis" else abs(shade - 0.5) > 0.3
                ax.text(
                    j,
                    i,
                    _annotation(value, fmt),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if dark else "black",
                )
    return colorbar


def plot_heatmap(
    table: pd.DataFrame,
    *,
    value: str = "estimate",
    ax: Axes | None = None,
    title: str | None = None,
    caption: str | None = None,
    frames: Sequence[str] | None = None,
    groups: Sequence[str] | None = None,
    annotate: bool = True,
    fmt: str = ".2f",
    cmap: str = "cividis",
) -> Axes:
    """Group x frame heatmap of a comparison table (e.g. prevalence estimates).

    Parameters
    ----------
    value : str, default "estimate"
        Column shown in the cells.
    annotate : bool, default True
        Write each cell's value (``fmt``) in it.
    table, ax, title, caption, frames, groups
        As in :func:`plot_prevalence`.

    Returns
    -------
    matplotlib.axes.Axes
        An image with one row per group and one column per frame, plus a colour bar.

    Examples
    --------
    >>> table = pd.DataFrame({"outlet": ["A", "A", "B", "B"], "frame": ["x", "y", "x", "y"],
    ...                       "estimate": [.2, .5, .4, .1]})
    >>> ax = plot_heatmap(table)
    >>> ax.images[0].get_array().shape, [t.get_text() for t in ax.texts][:2]
    ((2, 2), ['0.20', '0.50'])
    """
    _check(table, "plot_heatmap", ("frame", value), "framelab.compare.prevalence()")
    cols = _group_columns(table)
    labels = _labels(table, cols)
    matrix = table.assign(_group=labels.to_numpy()).pivot_table(
        index="_group", columns="frame", values=value, aggfunc="first", sort=False
    )
    matrix = matrix.loc[_ordered(labels, groups), _ordered(table["frame"].astype(str), frames)]
    ax = _axes(ax, (1.0 + 0.75 * matrix.shape[1], 1.6 + 0.45 * matrix.shape[0]))
    label = _measure_label(table) if value == "estimate" else value
    _heatmap(ax, matrix, cmap=cmap, annotate=annotate, fmt=fmt, label=label)
    ylabel = " / ".join(cols) or "Group"
    return _finish(ax, table, title or "Frames by group", "Frame", ylabel, caption)


def plot_cooccurrence(
    table: pd.DataFrame,
    *,
    value: str = "lift",
    ax: Axes | None = None,
    title: str | None = None,
    caption: str | None = None,
    diagonal: bool = False,
    annotate: bool = True,
    fmt: str = ".2f",
) -> Axes:
    """Frame x frame heatmap of co-occurrence (lift, Jaccard or counts).

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`framelab.compare.cooccurrence` (one group; filter ``by`` groups first).
    value : {"lift", "jaccard", "n_both"}, default "lift"
        Lift is drawn on a diverging colour scale centred at 1 (log2 scale, clipped at 1/8 and
        8); Jaccard and counts on ``cividis``. Cells show the values.
    diagonal : bool, default False
        Show the diagonal (a frame with itself).
    ax, title, caption, annotate, fmt
        As in :func:`plot_heatmap`.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> table = pd.DataFrame({"frame_a": ["x", "x", "y", "y"], "frame_b": ["x", "y", "x", "y"],
    ...                       "lift": [2.0, 1.5, 1.5, 4.0]})
    >>> ax = plot_cooccurrence(table)
    >>> [t.get_text() for t in ax.texts if t.get_gid() != "framelab-caption"]
    ['1.50', '1.50']
    """
    src = "framelab.compare.cooccurrence()"
    _check(table, "plot_cooccurrence", ("frame_a", "frame_b", value), src)
    extra = list(table.columns[: list(table.columns).index("frame_a")])
    if extra and len(table[extra].drop_duplicates()) > 1:
        raise ValueError(
            f"plot_cooccurrence(): the table holds several groups of {', '.join(extra)}; select "
            "one first, e.g. table[table['perspective'] == 'us']."
        )
    order = list(dict.fromkeys(table["frame_a"].astype(str)))
    wide = table.pivot_table(index="frame_a", columns="frame_b", values=value, aggfunc="first")
    values = wide.reindex(index=order, columns=order).to_numpy(dtype=float, copy=True)
    if not diagonal:
        np.fill_diagonal(values, np.nan)
    matrix = pd.DataFrame(values, index=order, columns=order)
    ax = _axes(ax, (1.5 + 0.7 * len(order), 1.2 + 0.6 * len(order)))
    if value == "lift":  # log2 scale centred at 1, symmetric, at most 1/8 .. 8
        positive = values[np.isfinite(values) & (values > 0)]
        span = (
            int(np.ceil(np.clip(np.max(np.abs(np.log2(positive))), 1, 3))) if positive.size else 1
        )
        with np.errstate(divide="ignore"):
            shown = np.log2(np.clip(values, 2.0**-span, 2.0**span))
        label = "Lift (1 = independent; log scale)"
        colorbar = _heatmap(ax, matrix, cmap="PuOr_r", annotate=annotate, fmt=fmt, label=label,
                            shown=shown, vmin=-span, vmax=span)  # fmt: skip
        ticks = np.arange(-span, span + 1)
        colorbar.set_ticks(ticks, labels=[f"{2.0**t:g}" for t in ticks])
    else:
        label = {"jaccard": "Jaccard index", "n_both": "Units with both"}.get(value, value)
        _heatmap(ax, matrix, cmap="cividis", annotate=annotate, fmt=fmt, label=label)
    title = title or f"Frame co-occurrence ({_first(table, 'level') or 'unit'}s)"
    return _finish(ax, table, title, "Frame", "Frame", caption)


# --------------------------------------------------------------------------- words


def plot_fightin_words(
    table: pd.DataFrame,
    *,
    group: object = None,
    reference: object = None,
    top: int = 10,
    z_threshold: float = 1.96,
    ax: Axes | None = None,
    title: str | None = None,
    caption: str | None = None,
) -> Axes:
    """Monroe et al.'s "fightin' words" plot: z-score against frequency, top terms labelled.

    Parameters
    ----------
    table : pandas.DataFrame
        From :func:`framelab.compare.distinguishing_terms`.
    group, reference : optional
        The comparison to draw (default: the table's first).
    top : int, default 10
        Terms labelled on each side (highest and lowest z beyond ``z_threshold``); labels are
        moved apart with ``adjustText`` so that they do not overlap.
    z_threshold : float, default 1.96
        Terms with ``|z|`` below it are grey.
    ax, title, caption
        As in :func:`plot_prevalence`.

    Returns
    -------
    matplotlib.axes.Axes
        One scatter per class (group words, reference words, others) and one label per
        highlighted term.

    Examples
    --------
    >>> table = pd.DataFrame({"group": "A", "reference": "B", "term": ["truce", "talks", "aid"],
    ...     "count_group": [9, 3, 0], "count_reference": [1, 3, 8], "z": [2.5, 0.0, -2.2]})
    >>> ax = plot_fightin_words(table, top=5)
    >>> sorted(t.get_text() for t in ax.texts if t.get_gid() == "framelab-term")
    ['aid', 'truce']
    """
    caller = "plot_fightin_words"
    need = ("group", "reference", "term", "count_group", "count_reference", "z")
    _check(table, caller, need, "framelab.compare.distinguishing_terms()")
    group = table["group"].iloc[0] if group is None else group
    part = table[table["group"] == group]
    if reference is not None:
        part = part[part["reference"] == reference]
    if part.empty:
        raise ValueError(
            f"{caller}(): no rows for group={group!r}, reference={reference!r}. "
            f"Groups: {', '.join(map(str, pd.unique(table['group'])))}."
        )
    reference = part["reference"].iloc[0]
    part = part[part["reference"] == reference]
    ax = _axes(ax, (7.0, 5.0))
    freq = (part["count_group"] + part["count_reference"]).to_numpy(float)
    z = part["z"].to_numpy(float)
    terms = part["term"].astype(str).to_numpy()
    up, down = z >= z_threshold, z <= -z_threshold
    mid = ~(up | down)
    ax.scatter(freq[mid], z[mid], s=8, color=_GREY, alpha=0.5, linewidths=0, label="other terms")
    ax.scatter(freq[up], z[up], s=14, color=_colour(0), label=f"more in {group}")
    ax.scatter(freq[down], z[down], s=14, color=_colour(1), label=f"more in {reference}")
    _plain_log_x(ax)
    for value in (z_threshold, -z_threshold):
        ax.axhline(value, color="0.7", linestyle=":", linewidth=1)
    chosen = [*np.flatnonzero(up)[np.argsort(-z[up], kind="stable")][:top],
              *np.flatnonzero(down)[np.argsort(z[down], kind="stable")][:top]]  # fmt: skip
    texts = [ax.text(freq[i], z[i], terms[i], fontsize=8, gid="framelab-term",
                     color=_colour(0 if z[i] > 0 else 1)) for i in chosen]  # fmt: skip
    if texts:  # move labels apart (and off the highlighted points)
        from adjustText import adjust_text

        arrows = {"arrowstyle": "-", "color": "0.6", "lw": 0.5}
        adjust_text(texts, x=freq[up | down], y=z[up | down], ax=ax, arrowprops=arrows,
                    expand=(1.15, 1.4), ensure_inside_axes=True)  # fmt: skip
    ax.legend(**_LEGEND_OUT)
    title = title or f"Distinguishing terms: {group} vs {reference}"
    xlabel, ylabel = "Term frequency (both sides, log scale)", "z-score of the log-odds ratio"
    return _finish(ax, part, title, xlabel, ylabel, caption)


# --------------------------------------------------------------------------- regression


_TERM = re.compile(r"^C\((?P<var>[^,)]+)(?:,[^)]*\))?\)?\[T\.(?P<level>.+)\]$")


def _pretty_term(term: str) -> str:
    match = _TERM.match(term)
    return f"{match['var'].strip()} = {match['level']}" if match else term


def plot_coefficients(
    table: pd.DataFrame,
    *,
    exp: bool = False,
    intercept: bool = False,
    frames: Sequence[str] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
    caption: str | None = None,
) -> Axes:
    """Coefficients with CIs from :func:`framelab.compare.regress`, one colour per frame.

    Parameters
    ----------
    exp : bool, default False
        Show odds / rate ratios (``exp_*`` columns, log axis, reference line at 1) instead of
        log-scale coefficients (reference line at 0).
    intercept : bool, default False
        Include the intercept (and the dispersion ``alpha`` of negative binomial models).
    table, frames, ax, title, caption
        As in :func:`plot_prevalence`.

    Returns
    -------
    matplotlib.axes.Axes
        One errorbar series per frame, terms down the y axis.

    Examples
    --------
    >>> table = pd.DataFrame({"frame": "x", "term": ["Intercept", "C(outlet)[T.B]"],
    ...     "estimate": [0.1, 0.8], "ci_low": [-0.2, 0.3], "ci_high": [0.4, 1.3],
    ...     "family": "logit"})
    >>> ax = plot_coefficients(table)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['outlet = B']
    """
    caller = "plot_coefficients"
    cols = ("exp_estimate", "exp_ci_low", "exp_ci_high") if exp else ("estimate", "ci_low",
                                                                      "ci_high")  # fmt: skip
    _check(table, caller, ("frame", "term", *cols), "framelab.compare.regress()")
    part = table if intercept else table[~table["term"].isin(["Intercept", "alpha"])]
    frame_order = _ordered(part["frame"].astype(str), frames)
    part = part[part["frame"].astype(str).isin(frame_order)]
    if part.empty:
        raise ValueError(f"{caller}(): no coefficient left to draw (only the intercept?).")
    term_order = list(dict.fromkeys(part["term"].astype(str)))
    ax = _axes(ax, (6.5, max(2.8, 0.4 * len(term_order) * max(1, len(frame_order)) ** 0.5 + 1.5)))
    frame_of = part["frame"].astype(str)
    base = _dodged(ax, part, frame_of, frame_order, "term", term_order, cols, markers=False)
    ax.axvline(1.0 if exp else 0.0, color="0.4", linewidth=1)
    if exp:
        _plain_log_x(ax)
    ax.set_yticks(base, labels=[_pretty_term(t) for t in term_order])
    if len(frame_order) > 1:
        ax.legend(fontsize="small", frameon=False, loc="best")
    kinds = {"logit": "odds ratio", "poisson": "rate ratio", "negbin": "rate ratio"}
    kind = kinds.get(str(_first(table, "family") or ""), "ratio")
    xlabel = (
        f"{kind.capitalize()} (with CI, log scale)" if exp else f"Coefficient (log {kind}, with CI)"
    )
    return _finish(ax, table, title or "Regression coefficients", xlabel, "Term", caption)


# --------------------------------------------------------------------------- labels


def label_with_n(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of a prevalence-like table whose last group column reads ``"<group> (n=...)"``.

    ``n`` is the group's number of units (the largest ``n`` over its frames); when the table
    rests on gold labels (``n_gold > 0``), ``", gold=<n_gold>"`` is added.

    Examples
    --------
    >>> table = pd.DataFrame({"outlet": ["A", "A", "B", "B"], "frame": ["x", "y", "x", "y"],
    ...                       "estimate": [.2, .5, .4, .1], "n": [120, 120, 8, 8],
    ...                       "n_gold": [30, 30, 0, 0]})
    >>> label_with_n(table)["outlet"].tolist()
    ['A (n=120, gold=30)', 'A (n=120, gold=30)', 'B (n=8)', 'B (n=8)']
    """
    if not isinstance(table, pd.DataFrame) or not {"frame", "n"} <= set(table.columns):
        raise ValueError(
            "label_with_n(): expected a table from framelab.compare.prevalence() (with 'frame' "
            "and 'n' columns)."
        )
    groups = list(table.columns[: list(table.columns).index("frame")])
    if not groups:
        return table.copy()
    col = groups[-1]
    out = table.copy()
    n = out.groupby(groups, sort=False, dropna=False)["n"].transform("max")
    gold = (
        out.groupby(groups, sort=False, dropna=False)["n_gold"].transform("max")
        if "n_gold" in out.columns
        else pd.Series(0, index=out.index)
    )
    out[col] = [
        f"{g} (n={int(k)}" + (f", gold={int(m)})" if m > 0 else ")")
        for g, k, m in zip(out[col], n, gold, strict=True)
    ]
    return out
