"""Prevalence by group with bootstrap intervals; differences between two groups and all pairs."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from framelab._errors import suggest
from framelab._intervals import wilson_interval
from framelab.compare._common import (
    _CORRECTIONS,
    _adjust,
    _as_list,
    _bootstrap,
    _check_choice,
    _check_level,
    _check_number,
    _drop_missing_groups,
    _frame_order,
    _Group,
    _groups,
    _infer_level,
    _measure_columns,
    _percentile,
    _permutation_p,
    _ratio,
    _unwrap,
    _warn_few_clusters,
    check_codes,
)
from framelab.compare._corrected import (
    MIN_GOLD,
    check_correction,
    correct_group,
    corrected_diff,
    gold_by_group,
    gold_rows,
    warn_few_gold,
)
from framelab.compare._small import (
    NEWCOMBE,
    ON_CLUSTERS,
    WILSON,
    degenerate,
    effective_counts,
    is_cluster,
    newcombe,
    warn_few_clusters,
    widen,
    widen_factor,
)

__all__ = [
    "DIFFERENCE_COLUMNS",
    "PREVALENCE_COLUMNS",
    "difference",
    "mean_by",
    "pairwise",
    "prevalence",
]

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
#: Columns of :func:`difference`, :func:`pairwise` and :func:`before_after`, after any grouping
#: columns.
DIFFERENCE_COLUMNS = (
    "frame",
    "group_a",
    "group_b",
    "estimate_a",
    "estimate_b",
    "estimate",
    "ci_low",
    "ci_high",
    "ratio",
    "ratio_low",
    "ratio_high",
    "p_value",
    "p_adjusted",
    "n_a",
    "n_b",
    "n_gold_a",
    "n_gold_b",
    "level",
    "measure",
    "method",
    "resample",
    "ci_level",
    "n_boot",
    "n_perm",
    "correction",
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


# --------------------------------------------------------------------------- differences


def _diff_rows(
    a: _Group,
    b: _Group,
    labels: tuple,
    frames: list[str],
    ci: float,
    n_perm: int,
    rng: np.random.Generator,
    measure: str | None = None,
    clustered: bool = False,
) -> list[dict]:
    est_a, est_b = _ratio(a.num, a.den), _ratio(b.num, b.den)
    reps_a, reps_b = _ratio(a.num_b, a.den_b), _ratio(b.num_b, b.den_b)
    enough = a.n_clusters >= 2 and b.n_clusters >= 2
    nan = np.full(len(frames), np.nan)
    d_low, d_high = _percentile(reps_a - reps_b, ci) if enough else (nan, nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = est_a / est_b
        r_low, r_high = _percentile(reps_a / reps_b, ci) if enough else (nan, nan)
    method = np.full(len(frames), _METHOD, dtype=object)
    factor = widen_factor(min(a.n_clusters, b.n_clusters), ci) if clustered else 1.0
    if factor > 1:
        d_low, d_high = widen(est_a - est_b, d_low, d_high, factor, "mean")
        with np.errstate(divide="ignore", invalid="ignore"):
            r_low, r_high = np.exp(
                widen(np.log(ratio), np.log(r_low), np.log(r_high), factor, "mean")
            )
        method[:] = f"{_METHOD}, widened for {min(a.n_clusters, b.n_clusters)} clusters"
    few = degenerate(a.num, a.den, measure) | degenerate(b.num, b.den, measure)
    if enough and few.any():
        n_low, n_high = newcombe(*effective_counts(a.num, a.den, a.n_clusters, clustered),
                                 *effective_counts(b.num, b.den, b.n_clusters, clustered), ci)  # fmt: skip
        d_low, d_high = np.where(few, n_low, d_low), np.where(few, n_high, d_high)
        method[few] = NEWCOMBE + (ON_CLUSTERS if clustered else "")
    p = _permutation_p(a, b, n_perm, rng, frames)
    return [
        {
            "frame": f,
            "group_a": labels[0],
            "group_b": labels[1],
            "estimate_a": est_a[j],
            "estimate_b": est_b[j],
            "estimate": est_a[j] - est_b[j],
            "ci_low": d_low[j],
            "ci_high": d_high[j],
            "ratio": ratio[j],
            "ratio_low": r_low[j],
            "ratio_high": r_high[j],
            "p_value": p[j],
            "n_a": int(a.n[j]),
            "n_b": int(b.n[j]),
            "n_gold_a": 0,
            "n_gold_b": 0,
            "method": method[j],
        }
        for j, f in enumerate(frames)
    ]


def _corrected_diff_rows(a, b, ca, cb, labels, frames, ci, correction, n_boot) -> list[dict]:
    """:func:`_diff_rows` for corrected estimates ``ca``/``cb`` of groups ``a``/``b``."""
    d, d_low, d_high, ratio, r_low, r_high, p = corrected_diff(ca, cb, ci)
    test = (
        "percentile bootstrap, z-test p" if correction == "rogan_gladen" else "t interval, t-test p"
    )
    return [
        {
            "frame": f,
            "group_a": labels[0],
            "group_b": labels[1],
            "estimate_a": ca.est[j],
            "estimate_b": cb.est[j],
            "estimate": d[j],
            "ci_low": d_low[j],
            "ci_high": d_high[j],
            "ratio": ratio[j],
            "ratio_low": r_low[j],
            "ratio_high": r_high[j],
            "p_value": p[j],
            "n_a": int(a.n[j]),
            "n_b": int(b.n[j]),
            "n_gold_a": int(ca.n_gold[j]),
            "n_gold_b": int(cb.n_gold[j]),
            "method": f"{correction}, {test}"
            + (" (too few gold units: no interval)" if np.isnan(d_low[j]) else ""),
            **_corrected_meta(correction, n_boot),
            "n_perm": 0,
        }
        for j, f in enumerate(frames)
    ]


def _corrected_pairs(
    groups, pairs, gold, group_col, frames, correction, ci, n_boot, rng, min_gold, caller
):
    """Corrected difference rows for ``pairs`` of groups (each group estimated once)."""
    by_key = gold_by_group(gold, [group_col])
    est = {}
    for g in groups:
        if correction == "rogan_gladen":
            _bootstrap(g, n_boot, rng)
        est[g.key] = correct_group(
            g, by_key.get(g.key), frames, correction, ci, n_boot, rng, min_gold
        )
    warn_few_gold(list(est.items()), [group_col], frames, min_gold, caller)
    rows = []
    for ga, gb, labels in pairs:
        rows += _corrected_diff_rows(
            ga, gb, est[ga.key], est[gb.key], labels, frames, ci, correction, n_boot
        )
    return rows


def _pick(groups: list[_Group], value, group_col: str, caller: str) -> _Group:
    for g in groups:
        if g.key[0] == value:
            return g
    known = [g.key[0] for g in groups]
    raise ValueError(
        f"{caller}(): {value!r} is not a value of {group_col!r}. Values: "
        f"{', '.join(map(str, known))}.{suggest(str(value), map(str, known))}"
    )


def _check_diff(caller, n_perm, correction):
    if n_perm is not None:
        _check_number(n_perm, "n_perm", caller, low=1, integer=True)
    _check_choice(correction, "correction", _CORRECTIONS, caller)


def _n_perm(n_perm: int | None, n_tests: int) -> int:
    """The default number of permutations: enough for ``n_tests`` Holm-adjusted p-values.

    The smallest permutation p-value is ``1 / (n_perm + 1)``; with ``100 * n_tests``
    permutations the smallest Holm-adjusted p-value is about 0.01.
    """
    return int(n_perm) if n_perm is not None else max(2000, 100 * n_tests)


def difference(
    codes: pd.DataFrame,
    group_col: str,
    a: object,
    b: object,
    *,
    measure: str = "present",
    ci: float = 0.95,
    n_boot: int = 2000,
    n_perm: int | None = None,
    seed: int = 0,
    cluster: str | None = None,
    correction: str = "holm",
    frames: Sequence[str] | None = None,
    gold: pd.DataFrame | None = None,
    coding_correction: str | None = None,
    min_gold: int = MIN_GOLD,
) -> pd.DataFrame:
    """Difference and ratio of prevalence between two groups, with CIs and permutation p-values.

    Parameters
    ----------
    codes : pandas.DataFrame
        FrameCodes (one unit level).
    group_col : str
        Column defining the groups (``"perspective"``, ``"country"``).
    a, b : object
        The two values of ``group_col`` compared; the difference is ``a - b`` and the ratio
        ``a / b``.
    measure, ci, n_boot, seed, cluster, frames
        As in :func:`prevalence`.
    n_perm : int, optional
        Permutations for the p-value. Default ``max(2000, 100 * m)`` for ``m`` adjusted tests,
        so that the smallest adjusted p-value (at best ``m / (n_perm + 1)`` under Holm) can
        fall well below 0.05.
    correction : {"holm", "fdr_bh", "none"}, default "holm"
        Adjustment of the p-values across frames (``p_adjusted``).
    gold, coding_correction
        Gold labels and the coding-error correction (``"ppi++"``, ``"ppi"``,
        ``"rogan_gladen"``), as ``gold``/``correction`` in :func:`prevalence` (the keyword
        differs here because ``correction`` already names the p-value adjustment). Each group is
        corrected with its own gold units; the difference then has the variance of two
        independent estimates (PPI: ``se = sqrt(se_a**2 + se_b**2)``, t interval and two-sided
        t-test p-value on ``min(n_gold_a, n_gold_b) - 1`` degrees of freedom, ratio by the
        delta method on the log scale; Rogan-Gladen: percentiles of the bootstrap replicates
        and a z-test p-value) instead of the permutation test (``n_perm = 0``).
    min_gold : int, default 30
        As in :func:`prevalence`: a group whose estimate rests on fewer gold units gives a
        difference without interval or p-value.

    Returns
    -------
    pandas.DataFrame
        :data:`DIFFERENCE_COLUMNS`, one row per frame: ``estimate`` is ``estimate_a -
        estimate_b`` with its interval ``ci_low``/``ci_high``; ``ratio`` with
        ``ratio_low``/``ratio_high``; ``p_value`` (two-sided permutation) and ``p_adjusted``;
        ``n_gold_a``/``n_gold_b`` the gold units behind each side (0 without correction).

    Notes
    -----
    Each group is bootstrapped separately as in :func:`prevalence`; the difference and ratio
    intervals are percentiles of the replicate differences and ratios. The p-value permutes the
    resampled units (documents or clusters) between the two groups:
    ``p = (1 + #{|T*| >= |T|}) / (n_perm + 1)``.

    References
    ----------
    Phipson, B. & Smyth, G. K. (2010). Permutation p-values should never be zero.
    *Statistical Applications in Genetics and Molecular Biology* 9(1).
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
    Journal of Statistics* 6(2), 65-70.

    Examples
    --------
    >>> codes = pd.DataFrame({
    ...     "doc_id": list("abcdefgh"), "unit_id": list("abcdefgh"), "level": "document",
    ...     "frame": "escalation", "present": [1, 1, 1, 0, 0, 0, 0, 1],
    ...     "outlet": ["X"] * 4 + ["Y"] * 4})
    >>> table = difference(codes, "outlet", "X", "Y", n_boot=200, n_perm=200)
    >>> table[["frame", "estimate_a", "estimate_b", "estimate", "ratio"]]
            frame  estimate_a  estimate_b  estimate  ratio
    0  escalation        0.75        0.25       0.5    3.0
    """
    caller = "difference"
    rng = _check_common(caller, ci, n_boot, seed)
    _check_diff(caller, n_perm, correction)
    coding = check_correction(gold, coding_correction, measure, cluster, caller, min_gold)
    df, level, frames, resample = _prepare(codes, group_col, measure, cluster, frames, caller)
    if a == b:
        raise ValueError(f"{caller}(): a and b are both {a!r}; pass two different groups.")
    groups = _groups(df, [group_col], resample, frames)
    ga, gb = _pick(groups, a, group_col, caller), _pick(groups, b, group_col, caller)
    _warn_few_clusters([ga, gb], [group_col], resample, caller)
    if coding is not None:
        matched = gold_rows(df, gold, frames, caller, codes)
        rows = _corrected_pairs(
            [ga, gb], [(ga, gb, (a, b))], matched, group_col, frames, coding, ci, n_boot, rng,
            min_gold, caller,
        )  # fmt: skip
        return _diff_table(rows, [], level, measure, resample, ci, n_boot, 0, correction, seed)
    _bootstrap(ga, n_boot, rng)
    _bootstrap(gb, n_boot, rng)
    n_perm = _n_perm(n_perm, len(frames))
    if is_cluster(cluster):
        warn_few_clusters([ga.key, gb.key], [ga.n_clusters, gb.n_clusters], cluster, caller)
    rows = _diff_rows(ga, gb, (a, b), frames, ci, n_perm, rng, measure, is_cluster(cluster))
    return _diff_table(rows, [], level, measure, resample, ci, n_boot, n_perm, correction, seed)


def _diff_table(rows, group_cols, level, measure, resample, ci, n_boot, n_perm, correction, seed):
    table = pd.DataFrame(rows)
    table["p_adjusted"] = _adjust(table["p_value"].to_numpy(), correction)
    n_tests = int(table["p_value"].notna().sum())
    if correction == "holm" and n_perm and n_tests / (n_perm + 1) >= 0.05:
        warnings.warn(
            f"n_perm={n_perm} permutations cannot give a Holm-adjusted p-value below "
            f"{n_tests / (n_perm + 1):.3f} for {n_tests} tests; leave n_perm unset or raise it "
            f"to at least {100 * n_tests}.",
            UserWarning,
            stacklevel=3,
        )
    meta = {
        "level": level,
        "measure": measure,
        "method": _METHOD,
        "resample": resample,
        "ci_level": float(ci),
        "n_boot": n_boot,
        "n_perm": n_perm,
        "correction": correction,
        "seed": int(seed),
    }
    for key, value in meta.items():
        if key not in table.columns:
            table[key] = value
    table = table[[*group_cols, *DIFFERENCE_COLUMNS]]
    for col in ("n_a", "n_b", "n_gold_a", "n_gold_b", "n_boot", "n_perm", "seed"):
        table[col] = table[col].astype("int64")
    return table.reset_index(drop=True)


def pairwise(
    codes: pd.DataFrame,
    group_col: str,
    groups: Sequence[object] | None = None,
    *,
    measure: str = "present",
    correction: str = "holm",
    ci: float = 0.95,
    n_boot: int = 2000,
    n_perm: int | None = None,
    seed: int = 0,
    cluster: str | None = None,
    frames: Sequence[str] | None = None,
    gold: pd.DataFrame | None = None,
    coding_correction: str | None = None,
    min_gold: int = MIN_GOLD,
) -> pd.DataFrame:
    """:func:`difference` for every pair of groups, adjusted across all pairs and frames.

    Parameters
    ----------
    groups : list, optional
        Values of ``group_col`` to compare, in this order (pairs ``(groups[i], groups[j])``,
        ``i < j``); default: all values, sorted.
    correction : {"holm", "fdr_bh", "none"}, default "holm"
        Holm (family-wise error) or Benjamini-Hochberg (false discovery rate) over every row.
    codes, group_col, measure, ci, n_boot, n_perm, seed, cluster, frames, gold, coding_correction
    min_gold
        As in :func:`difference`.

    Returns
    -------
    pandas.DataFrame
        :data:`DIFFERENCE_COLUMNS`, one row per pair and frame.

    References
    ----------
    Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate. *JRSS B* 57(1),
    289-300.

    Examples
    --------
    >>> codes = pd.DataFrame({
    ...     "doc_id": list("abcdef"), "unit_id": list("abcdef"), "level": "document",
    ...     "frame": "ceasefire", "present": [1, 1, 0, 0, 1, 0],
    ...     "outlet": ["X", "X", "Y", "Y", "Z", "Z"]})
    >>> table = pairwise(codes, "outlet", n_boot=100, n_perm=100)
    >>> table[["group_a", "group_b", "estimate"]]
      group_a group_b  estimate
    0       X       Y       1.0
    1       X       Z       0.5
    2       Y       Z      -0.5
    """
    caller = "pairwise"
    rng = _check_common(caller, ci, n_boot, seed)
    _check_diff(caller, n_perm, correction)
    coding = check_correction(gold, coding_correction, measure, cluster, caller, min_gold)
    df, level, frames, resample = _prepare(codes, group_col, measure, cluster, frames, caller)
    all_groups = _groups(df, [group_col], resample, frames)
    chosen = (
        [_pick(all_groups, v, group_col, caller) for v in groups]
        if groups is not None
        else all_groups
    )
    if len(chosen) < 2:
        raise ValueError(
            f"{caller}(): need at least two groups of {group_col!r}, got {len(chosen)}."
        )
    _warn_few_clusters(chosen, [group_col], resample, caller)
    pairs = list(itertools.combinations(chosen, 2))
    if coding is not None:
        matched = gold_rows(df, gold, frames, caller, codes)
        labelled = [(ga, gb, (ga.key[0], gb.key[0])) for ga, gb in pairs]
        rows = _corrected_pairs(
            chosen, labelled, matched, group_col, frames, coding, ci, n_boot, rng, min_gold, caller
        )
        return _diff_table(rows, [], level, measure, resample, ci, n_boot, 0, correction, seed)
    if is_cluster(cluster):
        warn_few_clusters([g.key for g in chosen], [g.n_clusters for g in chosen], cluster, caller)
    for g in chosen:
        _bootstrap(g, n_boot, rng)
    rows = []
    n_perm = _n_perm(n_perm, len(pairs) * len(frames))
    for ga, gb in pairs:
        rows += _diff_rows(
            ga, gb, (ga.key[0], gb.key[0]), frames, ci, n_perm, rng, measure, is_cluster(cluster)
        )
    return _diff_table(rows, [], level, measure, resample, ci, n_boot, n_perm, correction, seed)
