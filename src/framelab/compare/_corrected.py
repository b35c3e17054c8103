"""Prevalence corrected for coding error: prediction-powered inference and Rogan-Gladen.

Machine codes ``Ŷ`` exist for all ``N`` units of a group; human gold codes ``Y`` for a random
(or stratified, with known inclusion probabilities ``π``) subsample of ``n`` of them. The naive
share ``mean_N(Ŷ)`` is biased whenever the coder errs, and differently biased in groups where its
error differs. The estimators here combine both (see ``METHODS.md``, "Prevalence corrected for
coding error"):

``"ppi"`` / ``"ppi++"``
    ``θ = λ·mean_N(Ŷ) + mean_n(w·(Y − λ·Ŷ))``, ``Var = Var_N(λŶ)/N + Var_n(w·(Y − λŶ))/n``,
    interval ``θ ± t·sqrt(Var)`` with the Student t quantile on ``n − 1`` degrees of freedom
    (``n`` gold units; the gold term dominates ``Var``, and with few gold units the normal
    quantile gave intervals far too narrow). ``"ppi"`` is classic PPI (``λ = 1``); ``"ppi++"``
    power-tunes ``λ = Cov_n(w(Y−θ), w(Ŷ−θ)) / ((1 + n/N)·Var(Ŷ))`` clipped to ``[0, 1]``
    (never wider than the gold sample alone, asymptotically). ``w = 1/π`` normalised to mean 1
    within the group (Horvitz-Thompson / Hajek weights), all 1 without ``inclusion_prob``. The
    formulas are those of ``ppi-python`` (``ppi_mean_ci``), which the tests check to 1e-8.
``"rogan_gladen"``
    ``p = (p̂ + Sp − 1) / (Se + Sp − 1)`` with sensitivity and specificity estimated from the
    gold units of the group (weighted by ``w``), clipped to ``[0, 1]``; percentile interval from
    bootstrapping the coded documents and the gold units together.

Minimum number of gold units
    An estimate resting on fewer than ``min_gold`` gold units (default :data:`MIN_GOLD` = 30,
    per group and frame) keeps its point estimate but gets no interval (``ci_low``/``ci_high``
    missing, ``method`` says "too few gold units: n_gold < 30"), and the table warns naming
    the groups and frames. Below about 30 gold units the intervals of every method here
    undercover badly (a simulation gave 57-61% coverage of nominal 95% at 5 gold units, 73-77%
    at 10): they would look corrected without being trustworthy.

References
----------
Angelopoulos, A. N., Bates, S., Fannjiang, C., Jordan, M. I. & Zrnic, T. (2023).
Prediction-powered inference. *Science* 382(6671), 669-674.
Angelopoulos, A. N., Duchi, J. C. & Zrnic, T. (2023). PPI++: Efficient prediction-powered
inference. arXiv:2311.01453.
Rogan, W. J. & Gladen, B. (1978). Estimating prevalence from the results of a screening test.
*American Journal of Epidemiology* 107(1), 71-76.
Egami, N., Hinck, M., Stewart, B. M. & Wei, H. (2023). Using imperfect surrogates for downstream
inference: design-based supervised learning for social science applications of large language
models. *NeurIPS* 36.
TeBlunthuis, N., Hase, V. & Chan, C.-H. (2024). Misclassification in automated content analysis
causes bias in regression. *Communication Methods and Measures* 18(3), 278-299.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from framelab._errors import refuse_duplicate_gold, suggest
from framelab._intervals import normal_quantile
from framelab.compare._common import _Group, _percentile, _unwrap, _weights

__all__ = ["CORRECTIONS", "MIN_GOLD"]

#: Values of ``correction`` (``coding_correction`` in difference/pairwise).
CORRECTIONS = ("ppi", "ppi++", "rogan_gladen")
#: Fewest gold units (per group and frame) an estimate needs to get an interval.
MIN_GOLD = 30
#: Below this Youden index (Se + Sp - 1) Rogan-Gladen is unstable and warns.
_MIN_YOUDEN = 0.2


def check_correction(
    gold: object, correction: object, measure: str, cluster, caller: str, min_gold: object = 2
):
    """Validate the ``gold``/``correction`` pair; ``None`` when no correction is asked for."""
    if isinstance(min_gold, bool) or not isinstance(min_gold, (int, np.integer)) or min_gold < 2:
        raise ValueError(
            f"{caller}(): min_gold must be a whole number of at least 2 (gold units an estimate "
            f"needs to get an interval), got {min_gold!r}. The default is {MIN_GOLD}."
        )
    if gold is None and correction is None:
        return None
    if gold is None:
        raise ValueError(
            f"{caller}(): correction={correction!r} needs gold labels; pass gold=<a table with "
            "unit_id, frame, present> (e.g. consensus(read_codings(...)))."
        )
    if correction is None:
        raise ValueError(
            f"{caller}(): gold labels were passed but no correction; choose one: "
            "correction='ppi++' (recommended), 'ppi' or 'rogan_gladen'."
        )
    if correction not in CORRECTIONS:
        raise ValueError(
            f"{caller}(): correction must be one of {', '.join(map(repr, CORRECTIONS))}, got "
            f"{correction!r}.{suggest(str(correction), CORRECTIONS, 'correction')}"
        )
    if measure != "present":
        raise ValueError(
            f"{caller}(): a coding-error correction applies to measure='present' (shares of "
            f"units), got measure={measure!r}."
        )
    if cluster is not None:
        raise ValueError(
            f"{caller}(): cluster={cluster!r} cannot be combined with a coding-error correction "
            "(PPI and Rogan-Gladen assume independently drawn units). Report the clusters "
            "(outlets) as groups with by=... instead."
        )
    return str(correction)


def gold_rows(
    df: pd.DataFrame, gold: object, frames: list[str], caller: str, codes: object = None
) -> pd.DataFrame:
    """The gold labels matched to the codes by ``unit_id`` and ``frame``.

    Returns the matching rows of ``df`` (with their grouping columns and machine code ``_num``)
    plus ``_y`` (gold 0/1) and ``_w`` (``1 / inclusion_prob``, 1 without that column). Gold
    frames are checked against the frames of ``codes`` (the table before ``frames=`` restricted
    it to ``df``; default ``df``); gold rows of frames not in ``frames`` are dropped.
    """
    if not isinstance(gold, pd.DataFrame):
        raise TypeError(
            f"{caller}(): gold must be a DataFrame with unit_id, frame, present, got "
            f"{type(gold).__name__}."
        )
    missing = [c for c in ("unit_id", "frame", "present") if c not in gold.columns]
    if missing:
        raise ValueError(
            f"{caller}(): the gold table lacks {', '.join(map(repr, missing))}. Pass gold labels "
            "in long form (unit_id, frame, present[, inclusion_prob]), e.g. "
            f"consensus(read_codings(...)).{suggest(missing[0], gold.columns)}"
        )
    g = gold.assign(unit_id=gold["unit_id"].astype(str), frame=gold["frame"].astype(str))
    y = pd.to_numeric(g["present"], errors="coerce")
    bad = (y.isna() & g["present"].notna()) | (y.notna() & ~y.isin([0, 1]))
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise ValueError(
            f"{caller}(): gold 'present' must be 0 or 1 (or missing); row {i} (unit "
            f"{g['unit_id'].iloc[i]!r}, frame {g['frame'].iloc[i]!r}) has "
            f"{g['present'].iloc[i]!r}."
        )
    g = g.assign(_y=y.astype(float))[y.notna().to_numpy()]
    if "inclusion_prob" in g.columns and g["inclusion_prob"].notna().any():
        pi = pd.to_numeric(g["inclusion_prob"], errors="coerce")
        bad = pi.isna() | (pi <= 0) | (pi > 1)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise ValueError(
                f"{caller}(): gold inclusion_prob must be in (0, 1] (or missing for every unit); unit "
                f"{g['unit_id'].iloc[i]!r} has {g['inclusion_prob'].iloc[i]!r}. It is the "
                "probability the unit was drawn into the validation sample (coding_sheet "
                "writes it)."
            )
        g = g.assign(_w=1.0 / pi.astype(float))
    else:
        g = g.assign(_w=1.0)
    refuse_duplicate_gold(g, caller)
    gold_frames = set(g["frame"])
    every = df if codes is None else _unwrap(codes)
    code_frames = list(pd.unique(every["frame"].astype(str)))
    unknown = sorted(gold_frames - set(code_frames))
    if unknown:
        raise ValueError(
            f"{caller}(): gold frame {unknown[0]!r} is not a frame of the codes."
            f"{suggest(unknown[0], code_frames)} Codes cover: {', '.join(code_frames)}."
        )
    no_gold = [f for f in frames if f not in gold_frames]
    if no_gold:
        raise ValueError(
            f"{caller}(): no gold labels for frame(s) {', '.join(map(repr, no_gold))}; a "
            "corrected estimate needs them. Restrict the table with frames=[...] to the frames "
            "that were hand-coded."
        )
    keys = df.assign(unit_id=df["unit_id"].astype(str), frame=df["frame"].astype(str))
    merged = g[["unit_id", "frame", "_y", "_w"]].merge(
        keys, on=["unit_id", "frame"], how="left", indicator=True
    )
    lost = merged["_merge"] == "left_only"
    in_frames = merged["frame"].isin(frames)
    if (lost & in_frames).any():
        example = merged.loc[lost & in_frames, "unit_id"].iloc[0]
        raise ValueError(
            f"{caller}(): {int((lost & in_frames).sum())} gold unit-frame pair(s) have no "
            f"machine code (e.g. unit {example!r}). Code the same units (same level: document, "
            "paragraph or sentence) as the gold labels, and keep them in the codes."
        )
    return merged[~lost & in_frames].drop(columns="_merge")


@dataclass
class Corrected:
    """Corrected estimates of one group, per frame."""

    est: np.ndarray  # (F,) clipped to [0, 1]
    se: np.ndarray  # (F,) standard error (PPI) or bootstrap SD (Rogan-Gladen)
    low: np.ndarray
    high: np.ndarray
    n_gold: np.ndarray  # (F,) gold units
    method: list[str]
    reps: np.ndarray | None = None  # (n_boot, F) Rogan-Gladen replicates


def ppi_mean(y, yhat, yhat_all_sum, yhat_all_n, w, lam, z):
    """PPI(++) mean of binary codes: ``(estimate, se, lambda)``; ``lam=None`` tunes it.

    ``y``, ``yhat``, ``w``: gold units (``w`` normalised to mean 1 here);
    ``yhat_all_sum``/``yhat_all_n``: carrying units and units of the whole group (0/1 codes,
    so their mean and variance follow from the two counts).
    """
    y, yhat, w = (np.asarray(a, dtype=float) for a in (y, yhat, w))
    n, big_n = len(y), float(yhat_all_n)
    w = w / w.sum() * n
    p_all = yhat_all_sum / big_n
    if lam is None:
        theta1 = p_all + np.mean(w * (y - yhat))
        grads = w * (y - theta1)
        grads_hat = w * (yhat - theta1)
        cov = np.sum((grads - grads.mean()) * (grads_hat - grads_hat.mean())) / n
        # np.cov (ddof 1) of [grads_hat, Ŷ_all - theta1] from sums: Ŷ_all is 0/1.
        s1 = grads_hat.sum() + yhat_all_sum - big_n * theta1
        s2 = (grads_hat**2).sum() + yhat_all_sum * (1 - theta1) ** 2
        s2 += (big_n - yhat_all_sum) * theta1**2
        m = n + big_n
        var = (s2 - s1**2 / m) / (m - 1)
        lam = float(np.clip(cov / ((1 + n / big_n) * var), 0.0, 1.0)) if var > 0 else 0.0
    est = lam * p_all + np.mean(w * (y - lam * yhat))
    var_all = lam**2 * p_all * (1 - p_all) / big_n
    var_gold = np.var(w * (y - lam * yhat)) / n
    return float(est), float(np.sqrt(var_all + var_gold)), float(lam)


def correct_group(
    group: _Group,
    gold: pd.DataFrame | None,
    frames: list[str],
    correction: str,
    ci: float,
    n_boot: int,
    rng: np.random.Generator,
    min_gold: int = MIN_GOLD,
) -> Corrected:
    """Corrected estimates of one group (its bootstrap replicates must be filled for RG).

    Frames with fewer than ``min_gold`` gold units keep their estimate but get missing ``se``,
    ``low`` and ``high`` and a ``method`` that says why.
    """
    res = _correct_group(group, gold, frames, correction, ci, n_boot, rng)
    few = (res.n_gold >= 2) & (res.n_gold < min_gold)
    for j in np.flatnonzero(few):
        res.se[j] = res.low[j] = res.high[j] = np.nan
        if res.reps is not None:
            res.reps[:, j] = np.nan
        res.method[j] = f"{res.method[j]} (too few gold units: n_gold < {min_gold}, no interval)"
    return res


def warn_few_gold(results, group_cols: list[str], frames: list[str], min_gold: int, caller: str):
    """One warning naming the groups and frames whose estimates got no interval."""
    few = [
        f"{'/'.join(map(str, key)) or 'all'}: {frames[j]} ({int(res.n_gold[j])})"
        for key, res in results
        for j in range(len(frames))
        if 2 <= res.n_gold[j] < min_gold
    ]
    if few:
        shown = "; ".join(few[:10]) + (f"; and {len(few) - 10} more" if len(few) > 10 else "")
        warnings.warn(
            f"{caller}(): {len(few)} corrected estimate(s) rest on fewer than min_gold={min_gold} "
            f"gold units and get no interval ({'/'.join(group_cols) or 'group'}: frame (n_gold): "
            f"{shown}). Their intervals would undercover badly; hand-code more units of these "
            "groups (compare.gold_needed), pool groups, or lower min_gold knowingly.",
            UserWarning,
            stacklevel=4,
        )


def _correct_group(group, gold, frames, correction, ci, n_boot, rng) -> Corrected:
    n_f = len(frames)
    z = normal_quantile(ci)
    est, se = np.full(n_f, np.nan), np.full(n_f, np.nan)
    n_gold = np.zeros(n_f, dtype=np.int64)
    methods = [correction] * n_f
    fid = {f: j for j, f in enumerate(frames)}
    per_frame = {} if gold is None else dict(tuple(gold.groupby("frame", sort=False)))
    if correction in ("ppi", "ppi++"):
        for f, j in fid.items():
            rows = per_frame.get(f)
            n_gold[j] = 0 if rows is None else len(rows)
            if n_gold[j] < 2:
                methods[j] = f"{correction} (fewer than 2 gold units: no estimate)"
                continue
            e, s, lam = ppi_mean(
                rows["_y"],
                rows["_num"],
                group.num[j],
                group.den[j],
                rows["_w"],
                1.0 if correction == "ppi" else None,
                z,
            )
            est[j], se[j] = e, s
            methods[j] = f"{correction} (lambda={lam:.3f}), t interval"
        q = t_quantile(ci, n_gold - 1)
        low, high = np.clip(est - q * se, 0, 1), np.clip(est + q * se, 0, 1)
        return Corrected(np.clip(est, 0, 1), se, low, high, n_gold, methods)
    # Rogan-Gladen, vectorised over frames; gold units resampled as a whole, like documents.
    units = [] if gold is None else list(pd.unique(gold["unit_id"]))
    u_idx = {u: i for i, u in enumerate(units)}
    k = len(units)
    y, yh, w, valid = (np.zeros((k, n_f)) for _ in range(4))
    if gold is not None:
        r = gold["unit_id"].map(u_idx).to_numpy()
        c = gold["frame"].map(fid).to_numpy()
        y[r, c], yh[r, c], w[r, c], valid[r, c] = gold["_y"], gold["_num"], gold["_w"], 1.0
    n_gold = valid.sum(axis=0).astype(np.int64)
    parts = (w * y * yh, w * y, w * (1 - y) * (1 - yh), w * (1 - y) * valid)

    def rg(p_hat, sums):
        with np.errstate(divide="ignore", invalid="ignore"):
            se_, sp_ = sums[0] / sums[1], sums[2] / sums[3]
            youden = se_ + sp_ - 1
            out = np.clip((p_hat + sp_ - 1) / youden, 0, 1)
        return np.where(youden > 0, out, np.nan), youden

    point, youden = rg(group.num / group.den, [p.sum(axis=0) for p in parts])
    weak = [frames[j] for j in range(n_f) if not youden[j] >= _MIN_YOUDEN]
    if weak:
        warnings.warn(
            f"rogan_gladen: sensitivity + specificity - 1 is below {_MIN_YOUDEN} (or undefined) "
            f"for frame(s) {', '.join(weak)} in group {'/'.join(map(str, group.key)) or 'all'}; "
            "the corrected share is unstable there (or missing). Use correction='ppi++', or "
            "improve the coder.",
            UserWarning,
            stacklevel=4,
        )
    reps = np.full((n_boot, n_f), np.nan)
    dropped = np.zeros(n_f, dtype=np.int64)
    if k >= 2 and group.n_clusters >= 2:
        wb = _weights(k, n_boot, rng)
        reps = rg(group.num_b / group.den_b, [wb @ p for p in parts])[0]
        low, high = _percentile(reps, ci)
        dropped = np.isnan(reps).sum(axis=0)
    else:
        low = high = np.full(n_f, np.nan)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        sd = np.nanstd(reps, axis=0, ddof=1) if n_boot > 1 else np.full(n_f, np.nan)
    base = "rogan_gladen (Se, Sp from gold), percentile bootstrap"
    methods = [
        f"{base}, {d} of {n_boot} replicates dropped (Se + Sp - 1 <= 0 or no gold positive or "
        "negative)"
        if d
        else base
        for d in dropped
    ]
    many = [
        f"{frames[j]} ({dropped[j]} of {n_boot})"
        for j in range(n_f)
        if dropped[j] > 0.01 * n_boot and frames[j] not in weak
    ]
    if many:
        warnings.warn(
            f"rogan_gladen: more than 1% of the bootstrap replicates were dropped for frame(s) "
            f"{', '.join(many)} in group {'/'.join(map(str, group.key)) or 'all'} (resampled gold "
            "without a positive or negative unit, or Se + Sp - 1 <= 0); the interval rests on "
            "the rest and is too narrow. Code more gold units, or use correction='ppi++'.",
            UserWarning,
            stacklevel=4,
        )
    return Corrected(point, sd, low, high, n_gold, methods, reps)


def t_quantile(ci: float, df) -> np.ndarray:
    """Two-sided Student t quantile of level ``ci`` on ``df`` degrees of freedom (NaN below 1).

    Examples
    --------
    >>> t_quantile(0.95, np.array([9, 29])).round(4)
    array([2.2622, 2.0452])
    """
    from scipy.stats import t

    df = np.asarray(df, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.where(df >= 1, t.ppf(0.5 + ci / 2, np.maximum(df, 1)), np.nan)


def gold_by_group(gold: pd.DataFrame, group_cols: list[str]) -> dict[tuple, pd.DataFrame]:
    """Gold rows keyed like :class:`_Group` keys."""
    if not group_cols:
        return {(): gold}
    out = {}
    for key, rows in gold.groupby(group_cols, sort=False, dropna=False):
        out[key if isinstance(key, tuple) else (key,)] = rows
    return out


def corrected_diff(a: Corrected, b: Corrected, ci: float):
    """Difference ``a - b`` and ratio ``a / b``: estimates, intervals and a two-sided p-value.

    PPI: independent groups' variances add; the interval and p-value use the Student t
    distribution on ``min(n_gold_a, n_gold_b) - 1`` degrees of freedom (conservative); the ratio
    interval uses the delta method on the log scale. Rogan-Gladen: percentiles of the paired
    bootstrap replicates; the p-value uses their SD (normal). Estimates without an interval
    (too few gold units) give a difference without interval or p-value.
    """
    from scipy.stats import norm, t

    df = np.minimum(a.n_gold, b.n_gold) - 1
    z = t_quantile(ci, df) if a.reps is None or b.reps is None else normal_quantile(ci)
    d = a.est - b.est
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = a.est / b.est
        if a.reps is not None and b.reps is not None:
            d_low, d_high = _percentile(a.reps - b.reps, ci)
            r_low, r_high = _percentile(a.reps / b.reps, ci)
            se_d = np.nanstd(a.reps - b.reps, axis=0, ddof=1)
        else:
            se_d = np.sqrt(a.se**2 + b.se**2)
            d_low, d_high = d - z * se_d, d + z * se_d
            se_log = np.sqrt((a.se / a.est) ** 2 + (b.se / b.est) ** 2)
            r_low, r_high = ratio * np.exp(-z * se_log), ratio * np.exp(z * se_log)
        if a.reps is not None and b.reps is not None:
            p = 2 * norm.sf(np.abs(d) / se_d)
        else:
            p = 2 * t.sf(np.abs(d) / se_d, np.maximum(df, 1))
    return d, d_low, d_high, ratio, r_low, r_high, np.where(np.isfinite(p), p, np.nan)
