"""Prevalence and means by group with bootstrap intervals.

Also the input checks, row builders and table finisher that :mod:`._difference` (two groups,
all pairs) and :mod:`._time` (periods) reuse.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from framelab._errors import suggest
from framelab._intervals import wilson_interval
from framelab.compare._common import (
    _as_list,
    _bootstrap,
    _check_level,
    _check_number,
    _drop_missing_groups,
    _frame_order,
    _groups,
    _infer_level,
    _measure_columns,
    _percentile,
    _ratio,
    _unwrap,
    _warn_few_clusters,
    check_codes,
)
from framelab.compare._corrected import (
    MIN_GOLD,
    check_correction,
    correct_group,
    gold_by_group,
    gold_rows,
    warn_few_gold,
)
from framelab.compare._small import (
    ON_CLUSTERS,
    WILSON,
    degenerate,
    effective_counts,
    is_cluster,
    warn_few_clusters,
    widen,
    widen_factor,
)

__all__ = ["PREVALENCE_COLUMNS", "mean_by", "prevalence"]

#: Columns of :func:`prevalence` and :func:`mean_by`, after the grouping columns.
PREVALENCE_COLUMNS = (
    "frame",
    "estimate",
    "ci_low",
    "ci_high",
    "n",
    "n_clusters",
    "n_gold",
    "level",
    "measure",
    "method",
    "resample",
    "ci_level",
    "n_boot",
    "seed",
)
_METHOD = "percentile bootstrap"


def _check_common(caller: str, ci: float, n_boot: int, seed: int) -> np.random.Generator:
    if isinstance(ci, bool) or not isinstance(ci, (int, float)) or not 0 < ci < 1:
        raise ValueError(f"{caller}(): ci must be a confidence level between 0 and 1, got {ci!r}.")
    _check_number(n_boot, "n_boot", caller, low=1, integer=True)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"{caller}(): seed must be an integer (the study seed), got {seed!r}.")
    return np.random.default_rng(seed)


def _prepare(codes, by, measure, cluster, frames, caller, extra=None):
    """Checked table with ``_num``/``_den``, its level, frame order and resampling column."""
    by = _as_list(by)
    codes = _unwrap(codes)
    check_codes(
        codes,
        caller,
        ["doc_id", "unit_id", "level", "frame"],
        named={"by": by, "cluster": cluster, **(extra or {})},
    )
    level = _check_level(codes, caller)
    df = _measure_columns(codes, measure, caller)
    order = _frame_order(codes)
    if frames is not None:
        frames = _as_list(frames)
        unknown = [f for f in frames if f not in order]
        if unknown:
            raise ValueError(
                f"{caller}(): frames {unknown} are not in the codes. Frames: {', '.join(order)}."
                f"{suggest(unknown[0], order, 'frames')}"
            )
        df = df[df["frame"].astype(str).isin(frames)]
        order = frames
    df = _drop_missing_groups(df, by + ([cluster] if cluster else []), caller)
    return df, level, order, (cluster or "doc_id")


def _rows(groups, group_cols, frames, ci, measure=None, clustered=False) -> list[dict]:
    """Table rows; with ``measure``, the small-count and few-cluster rules of ``_small``."""
    rows = []
    for g in groups:
        est = _ratio(g.num, g.den)
        if g.n_clusters >= 2:
            low, high = _percentile(_ratio(g.num_b, g.den_b), ci)
        else:
            low = high = np.full(len(frames), np.nan)
        method = np.full(len(frames), _METHOD, dtype=object)
        factor = widen_factor(g.n_clusters, ci) if clustered else 1.0
        if factor > 1:
            low, high = widen(est, low, high, factor, measure)
            method[:] = f"{_METHOD}, widened for {g.n_clusters} clusters"
        few = degenerate(g.num, g.den, measure) & (g.n_clusters >= 2)
        if few.any():
            w_low, w_high = wilson_interval(
                *effective_counts(g.num, g.den, g.n_clusters, clustered), ci
            )
            low, high = np.where(few, w_low, low), np.where(few, w_high, high)
            method[few] = WILSON + (ON_CLUSTERS if clustered else "")
        for j, frame in enumerate(frames):
            rows.append(
                {
                    **dict(zip(group_cols, g.key, strict=True)),
                    "frame": frame,
                    "estimate": est[j],
                    "ci_low": low[j],
                    "ci_high": high[j],
                    "n": int(g.n[j]),
                    "n_clusters": g.n_clusters,
                    "n_gold": 0,
                    "method": method[j],
                }
            )
    return rows


def _corrected_rows(
    groups, gold, group_cols, frames, correction, ci, n_boot, rng, min_gold, caller
) -> list[dict]:
    """Rows of a corrected prevalence table (see :mod:`framelab.compare._corrected`)."""
    by_key = gold_by_group(gold, group_cols)
    rows, results = [], []
    for g in groups:
        res = correct_group(g, by_key.get(g.key), frames, correction, ci, n_boot, rng, min_gold)
        results.append((g.key, res))
        for j, frame in enumerate(frames):
            rows.append(
                {
                    **dict(zip(group_cols, g.key, strict=True)),
                    "frame": frame,
                    "estimate": res.est[j],
                    "ci_low": res.low[j],
                    "ci_high": res.high[j],
                    "n": int(g.n[j]),
                    "n_clusters": g.n_clusters,
                    "n_gold": int(res.n_gold[j]),
                    "method": res.method[j],
                    **_corrected_meta(correction, n_boot),
                }
            )
    warn_few_gold(results, [c for c in group_cols if c != "_period"], frames, min_gold, caller)
    return rows


def _corrected_meta(correction: str, n_boot: int) -> dict:
    if correction == "rogan_gladen":
        return {"resample": "doc_id + gold units", "n_boot": n_boot}
    return {"resample": "none", "n_boot": 0}


def _finish(rows, group_cols, columns, meta) -> pd.DataFrame:
    base = [*group_cols, "frame", "estimate", "ci_low", "ci_high", "n", "n_clusters", "n_gold"]
    table = pd.DataFrame(rows) if rows else pd.DataFrame(columns=base)
    for key, value in meta.items():
        if key not in table.columns:
            table[key] = value
    table = table[[*group_cols, *columns]]
    for col in ("n", "n_clusters", "n_gold", "n_boot", "seed"):
        table[col] = table[col].astype("int64")
    return table.reset_index(drop=True)


def prevalence(
    codes: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    measure: str = "present",
    ci: float = 0.95,
    n_boot: int = 2000,
    seed: int = 0,
    cluster: str | None = None,
    frames: Sequence[str] | None = None,
    gold: pd.DataFrame | None = None,
    correction: str | None = None,
    min_gold: int = MIN_GOLD,
) -> pd.DataFrame:
    """Prevalence of each frame by group, with percentile bootstrap intervals.

    Parameters
    ----------
    codes : pandas.DataFrame
        FrameCodes (long form, one unit level), e.g. from ``framelab.code_frames``.
    by : str or list of str, optional
        Grouping columns (``"perspective"``, ``["country", "outlet"]``); none: the whole table.
    measure : {"present", "per_1k"} or "mean:<column>"
        ``"present"``: share of units carrying the frame. ``"per_1k"``: frame terms per 1,000
        tokens, pooled over the group (``1000 * sum(count) / sum(n_tokens)``).
        ``"mean:<column>"``: mean of any numeric column (e.g. ``"mean:tone"``).
    ci : float, default 0.95
        Confidence level of the percentile interval.
    n_boot : int, default 2000
        Bootstrap replicates.
    seed : int, default 0
        Seed of the one random generator (``numpy.random.default_rng(seed)``); same seed, same
        table.
    cluster : str, optional
        Column whose values are resampled instead of documents, e.g. ``"outlet"`` when the groups
        are countries made of few outlets (cluster bootstrap).
    frames : list of str, optional
        Restrict to these frames (in this order).
    gold : pandas.DataFrame, optional
        Human gold labels of a random subsample of the coded units: ``unit_id, frame, present``
        (0/1; missing = not coded) and, for a stratified sample, ``inclusion_prob`` (the
        probability each unit had of being drawn, written by ``validate.coding_sheet``). Matched
        to the codes by ``unit_id`` and ``frame``; the groups come from the codes. Works with any
        FrameCodes (dictionary or supervised coder).
    correction : {"ppi++", "ppi", "rogan_gladen"}, optional
        Correct the shares for coding error with ``gold`` (``measure="present"`` only, without
        ``cluster``): ``"ppi++"`` prediction-powered inference with the power-tuned ``lambda``
        (recommended: never worse than ``"ppi"`` in large samples), ``"ppi"`` classic PPI
        (``lambda = 1``), ``"rogan_gladen"`` the sensitivity/specificity correction with a
        bootstrap interval. See :mod:`framelab.compare._corrected` for the formulas.
    min_gold : int, default 30
        Fewest gold units (per group and frame) a corrected estimate needs to get an interval;
        below it ``ci_low``/``ci_high`` are missing, ``method`` says "too few gold units", and a
        warning names the groups and frames (such intervals undercover badly).

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then :data:`PREVALENCE_COLUMNS`: ``frame``, ``estimate``,
        ``ci_low``, ``ci_high``, ``n`` (units), ``n_clusters`` (resampled documents or
        clusters), ``n_gold`` (gold units the estimate rests on; 0 without correction),
        ``level`` (unit of analysis), ``measure``, ``method`` (``"percentile bootstrap"``, or
        the correction with its ``lambda``), ``resample`` (``"doc_id"`` or the ``cluster``
        column; ``"none"`` for PPI's t interval), ``ci_level``, ``n_boot`` (0 for PPI),
        ``seed``. One row per group and frame, groups sorted, frames in codebook order. The
        columns are the same whatever the options.

    Notes
    -----
    Within each group (the groups are strata), documents - or ``cluster`` values - are drawn
    with replacement as many times as the group has them, and the estimate is recomputed as a
    ratio of sums; the interval is the ``(1 - ci) / 2`` and ``(1 + ci) / 2`` quantiles of the
    replicates. Paragraph and sentence units are resampled with their document, so their
    dependence within a document is respected. A group with a single cluster gets missing
    interval bounds and a warning.

    References
    ----------
    Efron, B. & Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
    Field, C. A. & Welsh, A. H. (2007). Bootstrapping clustered data. *JRSS B* 69(3), 369-390.

    Examples
    --------
    >>> codes = pd.DataFrame({
    ...     "doc_id": ["d1", "d2", "d3", "d4", "d5"], "unit_id": ["d1", "d2", "d3", "d4", "d5"],
    ...     "level": "document", "frame": "ceasefire", "present": [1, 0, 0, 1, 1],
    ...     "outlet": ["A", "A", "A", "B", "B"]})
    >>> table = prevalence(codes, by="outlet", n_boot=200)
    >>> table[["outlet", "frame", "estimate", "n"]]
      outlet      frame  estimate  n
    0      A  ceasefire  0.333333  3
    1      B  ceasefire  1.000000  2
    """
    args = (codes, by, measure, ci, n_boot, seed, cluster, frames, "prevalence")
    return _prevalence(*args, gold, correction, min_gold)


def _prevalence(
    codes, by, measure, ci, n_boot, seed, cluster, frames, caller, gold=None, correction=None,
    min_gold=MIN_GOLD,
) -> pd.DataFrame:  # fmt: skip
    rng = _check_common(caller, ci, n_boot, seed)
    correction = check_correction(gold, correction, measure, cluster, caller, min_gold)
    group_cols = _as_list(by)
    df, level, frames, resample = _prepare(codes, by, measure, cluster, frames, caller)
    groups = _groups(df, group_cols, resample, frames)
    _warn_few_clusters(groups, group_cols, resample, caller)
    if is_cluster(cluster):
        warn_few_clusters([g.key for g in groups], [g.n_clusters for g in groups], cluster, caller)
    if correction != "ppi" and correction != "ppi++":
        for g in groups:
            _bootstrap(g, n_boot, rng)
    meta = {
        "level": level,
        "measure": measure,
        "method": _METHOD,
        "resample": resample,
        "ci_level": float(ci),
        "n_boot": n_boot,
        "seed": int(seed),
    }
    if correction is None:
        rows = _rows(groups, group_cols, frames, ci, measure, is_cluster(cluster))
    else:
        matched = gold_rows(df, gold, frames, caller, codes)
        rows = _corrected_rows(
            groups, matched, group_cols, frames, correction, ci, n_boot, rng, min_gold, caller
        )
    return _finish(rows, group_cols, PREVALENCE_COLUMNS, meta)


def mean_by(
    table: pd.DataFrame,
    value: str = "tone",
    by: str | Sequence[str] | None = None,
    *,
    codes: pd.DataFrame | None = None,
    ci: float = 0.95,
    n_boot: int = 2000,
    seed: int = 0,
    cluster: str | None = None,
) -> pd.DataFrame:
    """Mean of a per-unit value (e.g. tone) by group, optionally per frame, with bootstrap CIs.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per unit with ``doc_id``, ``unit_id`` and ``value`` (e.g. the output of
        :func:`framelab.compare.tone`).
    value : str, default "tone"
        Numeric column to average.
    by : str or list of str, optional
        Grouping columns, taken from ``codes`` when given there, else from ``table``.
    codes : pandas.DataFrame, optional
        FrameCodes at the same unit level as ``table``. When given, the mean is taken per frame
        over the units *carrying* the frame (``present == 1``): "how negatively is support
        fatigue framed, and by whom?". Without it, ``frame`` is ``"all"``.
    ci, n_boot, seed, cluster
        As in :func:`prevalence`.

    Returns
    -------
    pandas.DataFrame
        Same columns as :func:`prevalence`, with ``measure = "mean:<value>"``.

    Examples
    --------
    >>> units = pd.DataFrame({"doc_id": list("abcd"), "unit_id": list("abcd"),
    ...                       "tone": [-0.5, 0.1, 0.3, 0.5], "outlet": ["X", "X", "Y", "Y"]})
    >>> mean_by(units, "tone", by="outlet", n_boot=200)[["outlet", "frame", "estimate", "n"]]
      outlet frame  estimate  n
    0      X   all      -0.2  2
    1      Y   all       0.4  2
    """
    caller = "mean_by"
    by_cols = _as_list(by)
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"{caller}(): expected a DataFrame of units, got {type(table).__name__}.")
    need = ["doc_id", "unit_id", value] + ([] if codes is not None else by_cols)
    missing = [c for c in need if c not in table.columns]
    if missing:
        raise ValueError(
            f"{caller}(): the table has no column {', '.join(map(repr, missing))}. Columns: "
            f"{', '.join(map(str, table.columns))}.{suggest(missing[0], table.columns)}"
        )
    if codes is None:
        df = table.assign(frame="all")
        if "level" not in df.columns:
            df["level"] = _infer_level(df, caller)
    else:
        codes = _unwrap(codes)
        check_codes(codes, caller, ["doc_id", "unit_id", "level", "frame", "present"])
        extra = [c for c in by_cols if c not in codes.columns]
        check_codes(table, caller, ["unit_id"], named={"by": extra})
        carrying = codes.loc[codes["present"] == 1, [c for c in codes.columns if c != value]]
        df = carrying.merge(table[["unit_id", value, *extra]], on="unit_id", how="inner")
        if df.empty:
            raise ValueError(
                f"{caller}(): no unit carrying a frame in codes has a unit_id in the table. Are "
                "both at the same level (document/paragraph/sentence)?"
            )
    return _prevalence(df, by_cols, f"mean:{value}", ci, n_boot, seed, cluster, None, caller)
