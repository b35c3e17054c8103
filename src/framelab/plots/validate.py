"""Figures for validation tables: inter-coder agreement, accuracy against gold, CI width by n.

Each function takes a table from :mod:`framelab.validate`, draws on ``ax`` (a new figure when it
is None) and returns the Axes, titled, labelled and captioned below the x axis (``caption``:
default the framelab version and the table's method columns, ``""`` for none). Nothing is computed here, nothing is shown, no global style is
changed. Colours are the Okabe-Ito palette (distinguishable with colour-vision deficiencies).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from framelab.plots._common import OKABE_ITO, _axes, _check, _finish, _xerr

__all__ = ["OKABE_ITO", "plot_accuracy", "plot_agreement", "plot_ci_width", "plot_learning_curve"]

_METRIC_LABELS = {"precision": "Precision", "recall": "Recall", "f1": "F1"}


def _size(n_rows: int) -> tuple[float, float]:
    return (6.5, max(2.5, 0.4 * n_rows + 1.2))


def plot_agreement(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    thresholds: Sequence[float] = (0.667, 0.8),
    caption: str | None = None,
) -> Axes:
    """Krippendorff's alpha per frame with its bootstrap CI (dots and whiskers).

    Parameters
    ----------
    table : pandas.DataFrame
        The table returned by :func:`framelab.validate.agreement`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    title : str, optional
        Figure title (default "Inter-coder agreement by frame").
    caption : str, optional
        Line below the figure (default: the framelab version and the table's method
        columns); ``""`` for none.
    thresholds : sequence of float, default (0.667, 0.8)
        Reference lines (Krippendorff's conventions for tentative and reliable conclusions).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> table = pd.DataFrame({"frame": ["a", "b"], "alpha": [0.9, 0.6], "ci_low": [0.8, 0.4],
    ...                       "ci_high": [0.95, 0.75], "metric": "nominal"})
    >>> ax = plot_agreement(table)
    >>> ax.get_xlabel()
    "Krippendorff's alpha (nominal), bootstrap CI"
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    _check(
        table,
        "plot_agreement",
        ("frame", "alpha", "ci_low", "ci_high"),
        "framelab.validate.agreement()",
    )
    ax = _axes(ax, _size(len(table)))
    y = np.arange(len(table))[::-1]
    est = table["alpha"].to_numpy(dtype=float)
    low, high = table["ci_low"].to_numpy(dtype=float), table["ci_high"].to_numpy(dtype=float)
    ok = np.isfinite(est)
    ax.errorbar(
        est[ok],
        y[ok],
        xerr=_xerr(est[ok], low[ok], high[ok]),
        fmt="o",
        color=OKABE_ITO[0],
        ecolor=OKABE_ITO[0],
        capsize=3,
        label="alpha",
    )
    for value, style in zip(thresholds, (":", "--", "-."), strict=False):
        ax.axvline(value, color="0.5", linestyle=style, linewidth=1, label=f"alpha = {value:g}")
    ax.set_yticks(y, labels=table["frame"].astype(str).tolist())
    finite = np.concatenate([est[ok], low[np.isfinite(low)], [0.0]])
    ax.set_xlim(min(finite.min(), 0.0) - 0.02, 1.02)
    metric = str(table["metric"].iloc[0]) if "metric" in table.columns and len(table) else ""
    xlabel = f"Krippendorff's alpha{f' ({metric})' if metric else ''}, bootstrap CI"
    ax.legend(loc="lower left", fontsize="small", frameon=False)
    return _finish(ax, table, title or "Inter-coder agreement by frame", xlabel, "Frame", caption)


def plot_accuracy(
    table: pd.DataFrame,
    *,
    metric: str = "f1",
    ax: Axes | None = None,
    title: str | None = None,
    averages: bool = True,
    caption: str | None = None,
) -> Axes:
    """Precision, recall or F1 per frame with bootstrap CIs; one colour per codebook.

    Tables of several coders of the corpus (e.g. the dictionary and the supervised baseline)
    concatenated with :func:`pandas.concat` are drawn side by side, distinguished by their
    ``codebook`` column.

    Parameters
    ----------
    table : pandas.DataFrame
        :func:`framelab.validate.accuracy` or ``SupervisedBaseline.cross_validate`` output, or
        several of them concatenated.
    metric : {"f1", "precision", "recall"}
        Which metric to draw.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    title : str, optional
        Figure title (default "<metric> against gold labels").
    caption : str, optional
        Line below the figure (default: the framelab version and the table's method
        columns); ``""`` for none.
    averages : bool, default True
        Also draw the ``macro`` and ``micro`` rows.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> table = pd.DataFrame({"frame": ["a", "macro", "micro"], "codebook": "demo@1",
    ...                       "f1": [0.8, 0.8, 0.8], "f1_low": [0.7] * 3, "f1_high": [0.9] * 3})
    >>> ax = plot_accuracy(table)
    >>> ax.get_title()
    'F1 against gold labels'
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    if metric not in _METRIC_LABELS:
        raise ValueError(
            f"plot_accuracy(): metric must be one of "
            f"{', '.join(map(repr, _METRIC_LABELS))}, got {metric!r}."
        )
    _check(
        table,
        "plot_accuracy",
        ("frame", "codebook", metric, f"{metric}_low", f"{metric}_high"),
        "framelab.validate.accuracy()",
    )
    data = table if averages else table[~table["frame"].isin(["macro", "micro"])]
    frames = list(pd.unique(data["frame"].astype(str)))
    books = list(pd.unique(data["codebook"].astype(str)))
    ax = _axes(ax, _size(len(frames) * max(1, len(books)) // 2 + len(frames) // 2))
    base = {f: i for i, f in enumerate(reversed(frames))}
    step = 0.7 / max(len(books), 1)
    for k, book in enumerate(books):
        part = data[data["codebook"].astype(str) == book]
        y = part["frame"].astype(str).map(base).to_numpy(dtype=float)
        y = y + (len(books) - 1) * step / 2 - k * step
        est = part[metric].to_numpy(dtype=float)
        low = part[f"{metric}_low"].to_numpy(dtype=float)
        high = part[f"{metric}_high"].to_numpy(dtype=float)
        ok = np.isfinite(est)
        colour = OKABE_ITO[k % len(OKABE_ITO)]
        ax.errorbar(
            est[ok],
            y[ok],
            xerr=_xerr(est[ok], low[ok], high[ok]),
            fmt="o",
            color=colour,
            ecolor=colour,
            capsize=3,
            label=book,
        )
    summary = [base[f] for f in frames if f in ("macro", "micro")]
    others = [base[f] for f in frames if f not in ("macro", "micro")]
    if summary and others and max(summary) < min(others):
        ax.axhline((max(summary) + min(others)) / 2, color="0.8", linewidth=1)
    ax.set_yticks([base[f] for f in frames], labels=frames)
    ax.set_xlim(0, 1.02)
    xlabel = f"{_METRIC_LABELS[metric]} against gold labels (bootstrap CI)"
    title = title or f"{_METRIC_LABELS[metric]} against gold labels"
    ax.legend(loc="lower left", fontsize="small", frameon=False, title="codes")
    return _finish(ax, data, title, xlabel, "Frame", caption)


def plot_ci_width(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    frames: Sequence[str] | None = None,
    caption: str | None = None,
) -> Axes:
    """CI width against the number of hand-coded units, one line per frame.

    Parameters
    ----------
    table : pandas.DataFrame
        The table returned by :func:`framelab.validate.ci_width_by_n`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    title : str, optional
        Figure title (default "How precise is <statistic> with n coded units?").
    caption : str, optional
        Line below the figure (default: the framelab version and the table's method
        columns); ``""`` for none.
    frames : sequence of str, optional
        Frames to draw (default all).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> table = pd.DataFrame({"statistic": "f1", "frame": "a", "n": [50, 100, 200],
    ...                       "width": [0.4, 0.28, 0.2], "width_sd": 0.05, "n_rep": 20,
    ...                       "undefined": 0.0})
    >>> ax = plot_ci_width(table)
    >>> ax.get_ylabel()
    'Width of the bootstrap CI of F1'
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    _check(
        table,
        "plot_ci_width",
        ("statistic", "frame", "n", "width"),
        "framelab.validate.ci_width_by_n()",
    )
    data = table if frames is None else table[table["frame"].isin(list(frames))]
    ax = _axes(ax, _size(6))
    for i, (frame, part) in enumerate(data.groupby("frame", sort=False)):
        part = part.sort_values("n")
        ax.plot(
            part["n"],
            part["width"],
            marker="o",
            color=OKABE_ITO[i % len(OKABE_ITO)],
            linestyle=("-", "--", ":")[(i // len(OKABE_ITO)) % 3],
            label=str(frame),
        )
    sizes = sorted(data["n"].unique())
    if len(sizes) > 1:
        ax.set_xscale("log")
        ax.set_xticks(sizes, labels=[str(s) for s in sizes])
        ax.minorticks_off()
    statistic = str(data["statistic"].iloc[0]) if len(data) else "the statistic"
    name = {"f1": "F1", "alpha": "alpha"}.get(statistic, statistic)
    ax.set_ylim(bottom=0)
    ax.legend(fontsize="small", frameon=False, ncols=2)
    title = title or f"How precise is {name} with n coded units?"
    ylabel = f"Width of the bootstrap CI of {name}"
    return _finish(ax, data, title, "Hand-coded units (n)", ylabel, caption)


def plot_learning_curve(
    table: pd.DataFrame,
    *,
    ax: Axes | None = None,
    title: str | None = None,
    frames: Sequence[str] | None = ("micro",),
    caption: str | None = None,
) -> Axes:
    """Cross-validated F1 (with its bootstrap CI) against the number of gold units trained on.

    Parameters
    ----------
    table : pandas.DataFrame
        The table returned by :func:`framelab.learn.learning_curve`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when None.
    title : str, optional
        Figure title (default "Supervised coder: F1 by training units").
    caption : str, optional
        Line below the figure (default: the framelab version and the table's method
        columns); ``""`` for none.
    frames : sequence of str or None, default ("micro",)
        Rows to draw (frames, ``"macro"``, ``"micro"``); None: all.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> table = pd.DataFrame({"n_gold": [50, 200], "frame": "micro", "f1": [0.5, 0.7],
    ...                       "f1_low": [0.4, 0.65], "f1_high": [0.6, 0.75]})
    >>> ax = plot_learning_curve(table)
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('Gold units trained on (n)', 'Cross-validated F1')
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    _check(
        table,
        "plot_learning_curve",
        ("n_gold", "frame", "f1", "f1_low", "f1_high"),
        "framelab.learn.learning_curve()",
    )
    data = table if frames is None else table[table["frame"].isin(list(frames))]
    ax = _axes(ax, _size(6))
    for i, (frame, part) in enumerate(data.groupby("frame", sort=False)):
        part = part.sort_values("n_gold")
        color = OKABE_ITO[i % len(OKABE_ITO)]
        ax.plot(part["n_gold"], part["f1"], marker="o", color=color, label=str(frame))
        ax.fill_between(part["n_gold"], part["f1_low"], part["f1_high"], color=color, alpha=0.2)
    sizes = sorted(data["n_gold"].unique())
    if len(sizes) > 1:
        ax.set_xscale("log")
        ax.set_xticks(sizes, labels=[str(s) for s in sizes])
        ax.minorticks_off()
    ax.set_ylim(0, 1)
    ax.legend(fontsize="small", frameon=False)
    title = title or "Supervised coder: F1 by training units"
    return _finish(ax, data, title, "Gold units trained on (n)", "Cross-validated F1", caption)
