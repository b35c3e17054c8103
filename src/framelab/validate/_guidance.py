"""How many units to hand-code: bootstrap CI width of F1 or alpha against the number of units."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy as np
import pandas as pd

from framelab.validate._accuracy import _scores, align
from framelab.validate._agreement import (
    _alpha_from_coincidences,
    _pair_contributions,
    _value_counts,
)
from framelab.validate._common import boot_counts, check_boot, check_table, percentile_ci

__all__ = ["CI_WIDTH_COLUMNS", "ci_width_by_n"]

logger = logging.getLogger(__name__)

#: Columns of the table returned by :func:`ci_width_by_n`.
CI_WIDTH_COLUMNS = ("statistic", "frame", "n", "width", "width_sd", "n_rep", "undefined")

_DEFAULT_SIZES = (25, 50, 100, 200, 400, 800, 1600)


def _sizes(sizes: Iterable[int] | None, available: int, caller: str) -> list[int]:
    if sizes is None:
        chosen = [s for s in _DEFAULT_SIZES if s < available] + [available]
    else:
        chosen = sorted({int(s) for s in sizes})
        if any(s < 2 for s in chosen):
            raise ValueError(f"{caller}(): sizes must be at least 2, got {chosen}.")
        dropped = [s for s in chosen if s > available]
        if dropped:
            logger.info(
                "%s(): sizes above the %d available units are skipped: %s",
                caller,
                available,
                dropped,
            )
        chosen = [s for s in chosen if s <= available]
    if not chosen:
        raise ValueError(
            f"{caller}(): no size is at most the {available} available units; pass smaller sizes."
        )
    return chosen


def ci_width_by_n(
    data: pd.DataFrame,
    gold: pd.DataFrame | None = None,
    *,
    statistic: str = "f1",
    sizes: Iterable[int] | None = None,
    n_rep: int = 20,
    n_boot: int = 200,
    ci: float = 0.95,
    seed: int = 0,
    level: str | None = None,
) -> pd.DataFrame:
    """Expected width of the bootstrap CI of F1 or alpha when only ``n`` units are hand-coded.

    For each size ``n``, ``n_rep`` random subsamples of ``n`` units are drawn (without
    replacement) from the units at hand; on each, the percentile bootstrap CI of the statistic is
    computed as in :func:`accuracy` / :func:`agreement`, and its width recorded. A pilot of a few
    hundred coded units thus shows how precise estimates would be at smaller sizes, and the
    ``1/sqrt(n)`` trend of the widths shows what a larger sample would buy.

    Parameters
    ----------
    data : pandas.DataFrame
        ``statistic="f1"``: FrameCodes-shaped codes (``unit_id, frame, present``), scored against
        ``gold``. ``statistic="alpha"``: a codings table (``unit_id, coder, frame, value``).
    gold : pandas.DataFrame, optional
        Gold labels for ``statistic="f1"``.
    statistic : {"f1", "alpha"}
        F1 of the codes against gold (per frame, plus ``micro``) or nominal Krippendorff's alpha
        (per frame; only units coded by at least two coders count).
    sizes : list of int, optional
        Numbers of units; default 25, 50, 100, ... below the number available, and all of them.
    n_rep : int, default 20
        Subsamples per size.
    n_boot : int, default 200
        Bootstrap replicates per subsample.
    ci : float, default 0.95
        Confidence level.
    seed : int, default 0
        Seed of the subsampling and the bootstrap.
    level : str, optional
        Passed to :func:`accuracy` for ``statistic="f1"``.

    Returns
    -------
    pandas.DataFrame
        ``statistic, frame, n, width, width_sd, n_rep, undefined``: mean and standard deviation
        of the CI width over the subsamples in which the CI is defined (their number is
        ``n_rep``), and the share of all bootstrap replicates at this ``n`` in which the statistic
        was undefined (no positives, or no variation for alpha).

    Notes
    -----
    Read ``undefined`` before ``width``: when a frame is rare, small subsamples hold few or no
    positive units, the statistic is often undefined, and the bootstrap interval of the
    replicates that remain is too narrow to trust. Plan the sample so that ``undefined`` is about
    0 for every frame that matters, and the width is small enough for the conclusions to be drawn
    (e.g. an alpha CI that stays above .667).

    Examples
    --------
    >>> from framelab.datasets import load_sample_gold
    >>> gold = load_sample_gold()
    >>> codes = gold.assign(present=gold["present"].where(gold.index % 7 != 0, 1 - gold["present"]))
    >>> table = ci_width_by_n(codes, gold, sizes=[50, 400], n_rep=5, n_boot=100)
    >>> micro = table[table["frame"] == "micro"]
    >>> bool(micro["width"].iloc[0] > micro["width"].iloc[1])
    True
    """
    caller = "ci_width_by_n"
    check_boot(n_boot, ci, caller)
    if isinstance(n_rep, bool) or not isinstance(n_rep, int | np.integer) or n_rep < 1:
        raise ValueError(f"{caller}(): n_rep must be a positive integer, got {n_rep!r}.")
    rng = np.random.default_rng(seed)
    rows = []
    if statistic == "f1":
        if gold is None:
            raise ValueError(
                f"{caller}(): statistic='f1' needs gold labels: ci_width_by_n(codes, gold)."
            )
        aligned = align(data, gold, level, caller)
        tp, fp, fn = aligned.tp, aligned.fp, aligned.fn
        frames = [*aligned.frames, "micro"]
        keep = [*range(len(aligned.frames)), len(aligned.frames) + 1]  # skip macro
        for n in _sizes(sizes, len(aligned.units), caller):
            widths = np.full((n_rep, len(frames)), np.nan)
            undefined = np.zeros(len(frames))
            for r in range(n_rep):
                idx = rng.choice(len(aligned.units), size=n, replace=False)
                weights = boot_counts(rng, n, n_boot)
                f1 = _scores(weights @ tp[idx], weights @ fp[idx], weights @ fn[idx])["f1"]
                low, high = percentile_ci(f1[:, keep], ci)
                widths[r] = high - low
                undefined += np.isnan(f1[:, keep]).mean(axis=0) / n_rep
            rows.extend(_summarise("f1", frames, n, widths, undefined))
    elif statistic == "alpha":
        check_table(
            data,
            caller,
            "data",
            ("unit_id", "coder", "frame", "value"),
            "Pass the codings table from read_codings().",
        )
        if gold is not None:
            raise ValueError(
                f"{caller}(): statistic='alpha' takes no gold labels; pass only the codings table."
            )
        coded = data[data["value"].notna()]
        contributions = {}
        for frame in pd.unique(data["frame"]):
            part = coded[coded["frame"] == frame]
            counts, domain = _value_counts(
                part["unit_id"].astype(str).to_numpy(), part["value"].to_numpy(dtype=float)
            )
            contributions[frame] = (_pair_contributions(counts), domain)
        available = min(len(c) for c, _ in contributions.values())
        for n in _sizes(sizes, available, caller):
            for frame, (contrib, domain) in contributions.items():
                v = len(domain)
                widths = np.full((n_rep, 1), np.nan)
                undefined = np.zeros(1)
                for r in range(n_rep):
                    idx = rng.choice(len(contrib), size=n, replace=False)
                    boot = boot_counts(rng, n, n_boot) @ contrib[idx]
                    alphas = _alpha_from_coincidences(boot.reshape(n_boot, v, v), domain, "nominal")
                    low, high = percentile_ci(alphas, ci)
                    widths[r, 0] = high[0] - low[0]
                    undefined += np.isnan(alphas).mean() / n_rep
                rows.extend(_summarise("alpha", [frame], n, widths, undefined))
    else:
        raise ValueError(f"{caller}(): statistic must be 'f1' or 'alpha', got {statistic!r}.")
    table = pd.DataFrame(rows, columns=list(CI_WIDTH_COLUMNS))
    return table.astype({"n": "int64", "n_rep": "int64"})


def _summarise(
    statistic: str, frames: list, n: int, widths: np.ndarray, undefined: np.ndarray
) -> list[tuple]:
    rows = []
    for j, frame in enumerate(frames):
        finite = widths[np.isfinite(widths[:, j]), j]
        mean = float(finite.mean()) if finite.size else np.nan
        sd = float(finite.std(ddof=1)) if finite.size > 1 else np.nan
        rows.append((statistic, str(frame), n, mean, sd, int(finite.size), float(undefined[j])))
    return rows
