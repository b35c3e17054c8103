"""Differences between two groups and between all pairs: CIs, ratios, permutation p-values."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from framelab._errors import suggest
from framelab.compare._common import (
    _CORRECTIONS,
    _adjust,
    _bootstrap,
    _check_choice,
    _check_number,
    _Group,
    _groups,
    _percentile,
    _permutation_p,
    _ratio,
    _warn_few_clusters,
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
from framelab.compare._prevalence import (
    _METHOD,
    _check_common,
    _corrected_meta,
    _prepare,
)
from framelab.compare._small import (
    NEWCOMBE,
    ON_CLUSTERS,
    degenerate,
    effective_counts,
    is_cluster,
    newcombe,
    warn_few_clusters,
    widen,
    widen_factor,
)

__all__ = ["DIFFERENCE_COLUMNS", "difference", "pairwise"]

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
