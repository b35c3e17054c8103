"""Shared parts of every figure: palette, axes, table checks, captions and provenance, saving.

Every ``plot_*`` function of :mod:`framelab.plots` draws through these helpers: :func:`_axes`
(a new figure when ``ax`` is None), :func:`_check` (the input table's columns), :func:`_finish`
(title, labels, the caption line and the provenance that :func:`save_figure` writes).
"""

from __future__ import annotations

import json
import re
import weakref
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

__all__ = ["OKABE_ITO", "save_figure"]

#: Okabe & Ito (2008) colour-blind-safe palette (yellow last: weakest on white).
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000", "#F0E442")
_GREY = "#999999"
_STYLES = ("-", "--", ":", "-.")
_MARKERS = ("o", "s", "D", "^", "v", "P", "X", "*")
#: Table columns copied into captions and the JSON sidecar.
_PROVENANCE = tuple(
    "level measure method resample ci_level n_boot n_perm seed correction family formula "
    "cov_type prior alpha_0 within_frame freq window codebook".split()
)
_CAPTION_KW = {"xy": (0, 0), "xytext": (0, -6), "textcoords": "offset points", "ha": "left",
               "va": "top", "fontsize": 7, "color": "#555555", "gid": "framelab-caption",
               "wrap": True}  # fmt: skip
_ERR_KW = {"capsize": 2, "markersize": 5, "linewidth": 1.2}
_LINE_KW = {"marker": "o", "markersize": 3, "linewidth": 1.5}
_EVENT_KW = {"xytext": (3, -3), "textcoords": "offset points", "ha": "left", "va": "top",
             "fontsize": "small", "color": "0.3"}  # fmt: skip
_LEGEND_OUT = {"fontsize": "small", "frameon": False, "loc": "upper left",
               "bbox_to_anchor": (1.01, 1)}  # fmt: skip
_TABLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


# --------------------------------------------------------------------------- helpers


def _check(table: object, caller: str, columns: Iterable[str], source: str) -> None:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(
            f"{caller}(): expected the DataFrame returned by {source}, got {type(table).__name__}."
        )
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(
            f"{caller}(): the table has no {', '.join(map(repr, missing))} column"
            f"{'s' if len(missing) > 1 else ''}. Pass the table returned by {source}."
        )
    if table.empty:
        raise ValueError(f"{caller}(): the table is empty; there is nothing to draw.")


def _axes(ax: Axes | None, size: tuple[float, float]) -> Axes:
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=size)
    return ax


def _date_axis(ax: Axes) -> None:
    """Date ticks that never overlap: at most 8, labelled concisely ("Mar", "08", "2022").

    Matplotlib's default labels every tick with a full date, so three months of a monthly
    series got eight overlapping "2022-03-08"-style labels.
    """
    import matplotlib.dates as mdates

    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _colour(i: int, n: int = 0) -> str:
    """Colour of series ``i`` of ``n``: Okabe-Ito up to 8 series, else the 20 of ``tab20``.

    Beyond 8 series Okabe-Ito colours would repeat; ``tab20`` keeps 20 series apart (past 20,
    the plots also vary markers or line styles).

    Examples
    --------
    >>> _colour(8, n=8) == _colour(0, n=8), len({_colour(i, n=12) for i in range(12)})
    (True, 12)
    """
    if n <= len(OKABE_ITO):
        return OKABE_ITO[i % len(OKABE_ITO)]
    import matplotlib
    from matplotlib.colors import to_hex

    return to_hex(matplotlib.colormaps["tab20"](i % 20))


def _plain_log_x(ax: Axes) -> None:
    """Log x axis labelled with plain numbers at 1-2-5 steps (0.5, 1, 2, 5, 10), never the
    overlapping ``3x10^0``-style labels matplotlib puts on minor ticks of a narrow range."""
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    ax.set_xscale("log")
    ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0), numticks=12))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())


def _annotation(value: float, fmt: str) -> str:
    """``value`` formatted with ``fmt``; a positive value that would print as zero shows as
    ``"<0.01"`` (or ``"<1%"``), so a low share is never read as none.

    Examples
    --------
    >>> _annotation(0.004, ".2f"), _annotation(0.0, ".2f"), _annotation(0.004, ".0%")
    ('<0.01', '0.00', '<1%')
    """
    text = format(value, fmt)
    match = re.fullmatch(r"\.(\d+)([f%])", fmt)
    if value > 0 and match and not re.search(r"[1-9]", text):
        digits = int(match[1]) + (2 if match[2] == "%" else 0)
        return "<" + format(10.0**-digits, fmt)
    return text


def _group_columns(table: pd.DataFrame) -> list[str]:
    cols = list(table.columns)
    return cols[: cols.index("frame")] if "frame" in cols else []


def _labels(table: pd.DataFrame, cols: Sequence[str]) -> pd.Series:
    if not cols:
        return pd.Series("all", index=table.index)
    return table[list(cols)].astype(str).agg(" / ".join, axis=1)


def _first(table: pd.DataFrame, col: str):
    if col not in table.columns:
        return None
    values = table[col].dropna().unique()
    return values[0] if len(values) == 1 else None


def _provenance(table: pd.DataFrame) -> dict:
    out = {}
    for col in _PROVENANCE:
        if col in table.columns:
            values = [v.item() if hasattr(v, "item") else v for v in pd.unique(table[col].dropna())]
            out[col] = values[0] if len(values) == 1 else values
    return out


def _default_caption(table: pd.DataFrame) -> str:
    from framelab._version import __version__

    parts = [f"Source: framelab {__version__}"]
    level = _first(table, "level")
    if level:
        parts.append(f"unit: {level}")
    ci, method = _first(table, "ci_level"), _first(table, "method")
    if method and method != "none":
        ci_text = f"{ci:.0%} CI, " if ci is not None else ""
        extra = [
            f"{k}={_first(table, k)}" for k in ("n_boot", "seed") if _first(table, k) is not None
        ]
        resample = _first(table, "resample")
        parts.append(
            f"{ci_text}{method}"
            + (f" ({', '.join(extra)})" if extra else "")
            + (f", resampling {resample}" if resample else "")
        )
    for key in ("correction", "family", "cov_type", "prior", "within_frame"):
        value = _first(table, key)
        if value is not None and value != "":
            parts.append(f"{key}: {value}")
    if _first(table, "alpha_0") is not None:
        parts.append(f"alpha_0 = {_first(table, 'alpha_0'):.4g}")
    return " · ".join(parts)


def _finish(ax: Axes, table: pd.DataFrame, title: str, xlabel: str, ylabel: str,
            caption: str | None) -> Axes:  # fmt: skip
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    text = _default_caption(table) if caption is None else caption
    if text:  # below the x-axis label, aligned with the axes' left edge
        ax.annotate(text, xycoords=("axes fraction", ax.xaxis.label), **_CAPTION_KW)
    _TABLES[ax] = _provenance(table)
    return ax


def _dodged(ax: Axes, table: pd.DataFrame, series: pd.Series, order: list, rows: str,
            row_order: list, cols: Sequence[str], markers: bool = True) -> np.ndarray:  # fmt: skip
    """One errorbar series per value of ``series`` (in ``order``), rows dodged vertically."""
    base = np.arange(len(row_order))[::-1].astype(float)
    pos = dict(zip(row_order, base, strict=True))
    step = 0.7 / max(len(order), 1)
    est_col, low_col, high_col = cols
    for k, name in enumerate(order):
        part = table[(series == name) & table[rows].astype(str).isin(row_order)]
        offset = (len(order) - 1) / 2 * step - k * step
        y = np.array([pos[r] for r in part[rows].astype(str)]) + offset
        est = part[est_col].to_numpy(float)
        err = _xerr(est, part[low_col].to_numpy(float), part[high_col].to_numpy(float))
        marker = _MARKERS[(k // 20) % len(_MARKERS)] if markers else "o"
        colour = _colour(k, len(order))
        ax.errorbar(est, y, xerr=err, fmt=marker, color=colour, ecolor=colour,
                    label=str(name), **_ERR_KW)  # fmt: skip
    return base


def _xerr(est, low, high) -> np.ndarray:
    lower = np.where(np.isfinite(low), est - low, 0.0)
    upper = np.where(np.isfinite(high), high - est, 0.0)
    return np.vstack([np.clip(lower, 0, None), np.clip(upper, 0, None)])


def _measure_label(table: pd.DataFrame) -> str:
    measure = str(_first(table, "measure") or "")
    level = str(_first(table, "level") or "unit")
    if measure in ("present", "probability"):
        return f"Share of {level}s with the frame"
    if measure == "per_1k":
        return "Frame terms per 1,000 tokens"
    if measure.startswith("mean:"):
        return f"Mean {measure[5:]}"
    return "Estimate"


def _ordered(values: pd.Series, order: Sequence | None) -> list:
    present = list(dict.fromkeys(values.tolist()))
    if order is None:
        return present
    return [v for v in order if v in present]


# --------------------------------------------------------------------------- saving


def save_figure(
    ax: Axes, path_stem: str | Path, *, table: pd.DataFrame | None = None, dpi: int = 150
) -> list[Path]:
    """Save a figure as PNG and SVG with a JSON provenance sidecar.

    Parameters
    ----------
    ax : matplotlib.axes.Axes or matplotlib.figure.Figure
        The figure to save (an Axes saves its whole figure).
    path_stem : str or Path
        Output path without extension (``reports/figures/03-prevalence``); writing under
        ``data/raw`` is refused.
    table : pandas.DataFrame, optional
        The plotted table, whose method columns (level, method, n_boot, seed, ...) go into the
        sidecar; default: the table remembered by the ``plot_*`` function that drew ``ax``.
    dpi : int, default 150
        PNG resolution.

    Returns
    -------
    list of pathlib.Path
        ``<stem>.png``, ``<stem>.svg``, ``<stem>.json``. The SVG carries no date and fixed
        element ids, so the same figure gives the same file.

    Examples
    --------
    >>> import tempfile, matplotlib.pyplot as plt
    >>> _, ax = plt.subplots()
    >>> folder = tempfile.mkdtemp()
    >>> [p.suffix for p in save_figure(ax, Path(folder) / "figure")]
    ['.png', '.svg', '.json']
    >>> plt.close(ax.figure)
    """
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    from framelab._files import ensure_writable
    from framelab._version import __version__

    fig = ax if isinstance(ax, Figure) else getattr(ax, "figure", None)
    if not isinstance(fig, Figure):
        raise TypeError(
            f"save_figure(): expected a matplotlib Axes or Figure, got {type(ax).__name__}."
        )
    stem = Path(path_stem)
    if stem.suffix.lower() in (".png", ".svg", ".json", ".pdf"):
        stem = stem.with_suffix("")
    paths = [ensure_writable(stem.with_name(stem.name + ext)) for ext in (".png", ".svg", ".json")]
    stem.parent.mkdir(parents=True, exist_ok=True)
    with plt.rc_context({"svg.hashsalt": "framelab", "svg.fonttype": "path"}):
        fig.savefig(paths[0], dpi=dpi, bbox_inches="tight", metadata={"Software": None})
        fig.savefig(paths[1], bbox_inches="tight", metadata={"Date": None, "Creator": None})
    axes = [ax] if not isinstance(ax, Figure) else fig.axes
    remembered = next((_TABLES[a] for a in axes if a in _TABLES), {})
    provenance = _provenance(table) if table is not None else remembered
    sidecar = {
        "framelab_version": __version__,
        "matplotlib_version": matplotlib.__version__,
        "files": [p.name for p in paths[:2]],
        "dpi": dpi,
        "titles": [a.get_title() for a in fig.axes if a.get_title()],
        "table": provenance,
    }
    paths[2].write_text(
        json.dumps(sidecar, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8"
    )
    return paths
