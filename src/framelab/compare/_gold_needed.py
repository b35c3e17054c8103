"""How many gold units would narrow a corrected prevalence interval to a target width."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from framelab._intervals import normal_quantile
from framelab.compare._common import _as_list, _groups
from framelab.compare._corrected import (
    MIN_GOLD,
    check_correction,
    gold_by_group,
    gold_rows,
    ppi_mean,
    t_quantile,
)
from framelab.compare._prevalence import _prepare

__all__ = ["GOLD_NEEDED_COLUMNS", "correction_summary", "gold_needed"]

#: Columns of :func:`gold_needed`, after the grouping columns.
GOLD_NEEDED_COLUMNS = (
    "frame",
    "n_gold",
    "ci_width",
    "target_width",
    "n_gold_needed",
    "n_gold_more",
    "method",
)


def gold_needed(
    codes: pd.DataFrame,
    gold: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    *,
    correction: str = "ppi++",
    shrink: float = 0.5,
    ci: float = 0.95,
    frames: Sequence[str] | None = None,
    min_gold: int = MIN_GOLD,
) -> pd.DataFrame:
    """Gold units needed per group for a corrected interval ``shrink`` times as wide as now.

    The PPI variance is ``λ²·Var_N(Ŷ)/N + Var_n(w(Y − λŶ))/n``; only the second term falls with
    more gold units, and PPI++ lowers ``λ`` as they grow. The interval of :func:`prevalence` is
    ``θ ± t(n − 1)·sqrt(Var)``, so its width is ``2·t(n − 1)·se`` today and the target is
    ``shrink`` times that. Holding the gold moments at their current estimates,
    ``n_gold_needed`` is the smallest ``n'`` (at least ``min_gold``, at most the group's ``N``
    units) with ``t(n' − 1)·sqrt(Var(n')) ≤ shrink·t(n − 1)·se``, with ``λ = 1`` ("ppi") or the
    variance-minimising ``λ(n')`` ("ppi++"). If even ``N`` gold units do not reach the target
    (with classic PPI, when the machine-code term alone is too wide), it is missing and
    ``method`` says so. A planning figure: the moments are themselves estimated.

    Parameters
    ----------
    codes, gold, by, ci, frames
        As in :func:`prevalence`.
    correction : {"ppi++", "ppi"}, default "ppi++"
        The PPI variant whose interval is to be narrowed.
    shrink : float, default 0.5
        Target width as a share of the current width (0.5: half as wide).
    min_gold : int, default 30
        As in :func:`prevalence`: estimates on fewer gold units get no interval, so fewer are
        never planned.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then :data:`GOLD_NEEDED_COLUMNS`: ``n_gold`` (now), ``ci_width``
        (now: the width of :func:`prevalence`'s interval before clipping to [0, 1]; with fewer
        than ``min_gold`` gold units, the width it would have), ``target_width``,
        ``n_gold_needed`` (total), ``n_gold_more`` (``n_gold_needed - n_gold``, at least 0) and
        ``method``.

    Notes
    -----
    The quantile depends on ``n'``: ``t(n' − 1)`` falls towards the normal ``z`` as gold units
    are added, so the planned ``n'`` is found in two steps on the vector of ``Var(n')``. The
    normal quantile gives a lower bound ``n₀`` (``t > z``); the quantile at ``n₀``,
    ``t(n₀ − 1) ≥ t(n' − 1)`` for every ``n' ≥ n₀``, gives an upper bound ``n₁``; between them
    ``t(n' − 1)²·Var(n')`` (which never rises with ``n'``) is evaluated exactly and the first
    ``n'`` under the target is taken. The normal quantile on both sides (the former plan)
    ignored that the quantile falls as gold grows (``t(n' − 1) < t(n − 1)``), so the interval
    narrows faster than its standard error: it asked for too many units (the example below: 437
    instead of 428), and reported the normal interval's width, narrower than the t interval of
    :func:`prevalence` (at 95%, ``t(29) = 2.045`` against ``z = 1.960``).

    Examples
    --------
    >>> ids = [f"d{i}" for i in range(1000)]
    >>> codes = pd.DataFrame({"doc_id": ids, "unit_id": ids, "level": "document", "frame": "f",
    ...                       "present": [i % 2 for i in range(1000)]})
    >>> gold = pd.DataFrame({"unit_id": ids[:100], "frame": "f",
    ...                      "present": [int(i % 2 == 0 or i % 10 == 3) for i in range(100)]})
    >>> gold_needed(codes, gold, correction="ppi")[["n_gold", "n_gold_needed", "n_gold_more"]]
       n_gold  n_gold_needed  n_gold_more
    0     100            428          328
    """
    caller = "gold_needed"
    correction = check_correction(gold, correction, "present", None, caller, min_gold)
    if correction == "rogan_gladen":
        raise ValueError(f"{caller}(): correction must be 'ppi++' or 'ppi', got 'rogan_gladen'.")
    if isinstance(shrink, bool) or not isinstance(shrink, (int, float)) or not 0 < shrink < 1:
        raise ValueError(f"{caller}(): shrink must be between 0 and 1 (e.g. 0.5), got {shrink!r}.")
    group_cols = _as_list(by)
    df, _, frames, resample = _prepare(codes, by, "present", None, frames, caller)
    groups = _groups(df, group_cols, resample, frames)
    by_key = gold_by_group(gold_rows(df, gold, frames, caller, codes), group_cols)
    z = normal_quantile(ci)
    rows = []
    for g in groups:
        per_frame = dict(tuple(by_key[g.key].groupby("frame"))) if g.key in by_key else {}
        for j, frame in enumerate(frames):
            part = per_frame.get(frame)
            row = {**dict(zip(group_cols, g.key, strict=True)), "frame": frame}
            n = 0 if part is None else len(part)
            if n < 2:
                rows.append(row | {"n_gold": n, "method": "fewer than 2 gold units"})
                continue
            y, yh = part["_y"].to_numpy(float), part["_num"].to_numpy(float)
            w = part["_w"].to_numpy(float)
            lam = 1.0 if correction == "ppi" else None
            _, se, lam = ppi_mean(y, yh, g.num[j], g.den[j], w, lam, z)
            half = float(t_quantile(ci, n - 1)) * se  # the t interval of prevalence()
            needed = _needed(y, yh, w, g.num[j], g.den[j], correction, shrink * half, ci, min_gold)
            rows.append(
                row
                | {
                    "n_gold": n,
                    "ci_width": 2 * half,
                    "target_width": 2 * half * shrink,
                    "n_gold_needed": needed,
                    "n_gold_more": None if needed is None else max(needed - n, 0),
                    "method": f"{correction} variance with the gold moments held, t interval; "
                    + ("lambda = 1" if correction == "ppi" else "best lambda for each n")
                    + ("" if needed is not None else "; not reached even with every unit gold"),
                }
            )
    table = pd.DataFrame(rows, columns=[*group_cols, *GOLD_NEEDED_COLUMNS])
    for col in ("n_gold_needed", "n_gold_more"):
        table[col] = table[col].astype("Int64")
    table["n_gold"] = table["n_gold"].astype("int64")
    return table


def _needed(y, yh, w, k_all, n_all, correction, half, ci, min_gold) -> int | None:
    """Smallest number of gold units whose t interval's half-width is at most ``half``.

    ``Var(n') = λ²·p(1−p)/N + (V_Y − 2λC + λ²V_Ŷ)/n'`` with the (weighted) gold moments ``V_Y``,
    ``C``, ``V_Ŷ`` held at their estimates; ``λ = 1`` for "ppi", else the variance-minimising
    ``λ(n') = (C/n') / (p(1−p)/N + V_Ŷ/n')`` clipped to ``[0, 1]``. The half-width is
    ``t(n' − 1)·sqrt(Var(n'))``; searched from ``max(2, min_gold)`` to ``N`` (``None``: not
    reached), the quantile bracketed as in :func:`gold_needed`'s Notes.
    """
    n = len(y)
    w = w / w.sum() * n
    a, b = w * y, w * yh
    v_y, v_h = a.var(), b.var()
    cov = np.mean((a - a.mean()) * (b - b.mean()))
    p = k_all / n_all
    v_all = p * (1 - p) / n_all
    sizes = np.arange(max(2, int(min_gold)), int(n_all) + 1, dtype=float)
    if correction == "ppi":
        lam = np.ones_like(sizes)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            lam = np.clip(np.nan_to_num((cov / sizes) / (v_all + v_h / sizes)), 0.0, 1.0)
    var = lam**2 * v_all + (v_y - 2 * lam * cov + lam**2 * v_h) / sizes
    target = half**2 * (1 + 1e-12)

    def first(q2) -> int | None:  # first size whose q² · Var is within the target
        ok = np.flatnonzero(q2 * var <= target)
        return int(ok[0]) if ok.size else None

    lo = first(normal_quantile(ci) ** 2)  # t > z: no size before this one can do
    if lo is None:
        return None
    hi = first(float(t_quantile(ci, sizes[lo] - 1)) ** 2)  # t(lo) >= t(n') beyond lo
    stop = len(sizes) if hi is None else hi + 1
    q2 = t_quantile(ci, sizes[lo:stop] - 1) ** 2
    ok = np.flatnonzero(q2 * var[lo:stop] <= target)
    return int(sizes[lo + ok[0]]) if ok.size else None


def correction_summary(naive: pd.DataFrame, corrected: pd.DataFrame) -> str:
    """One sentence on what correcting for coding error changed, for a notebook or report.

    Parameters
    ----------
    naive, corrected : pandas.DataFrame
        :func:`prevalence` tables of the same codes and groups, without and with a correction.

    Returns
    -------
    str
        The largest change (frame, group, naive and corrected share), how many estimates moved by
        more than 5 percentage points, and how many naive estimates fall outside the corrected
        interval.

    Examples
    --------
    >>> naive = pd.DataFrame({"outlet": ["A", "B"], "frame": "f", "estimate": [0.40, 0.20]})
    >>> fixed = naive.assign(estimate=[0.30, 0.21], ci_low=[0.25, 0.15], ci_high=[0.35, 0.27],
    ...                      n_gold=[80, 70], method="ppi++ (lambda=0.5), t interval")
    >>> correction_summary(naive, fixed)
    'Corrected with 150 gold units (ppi++), the largest change is f in A: 40.0% naive, 30.0% corrected (-10.0 points); 1 of 2 estimates moved by more than 5 points, and 1 naive estimate lies outside its corrected 95% interval.'
    """
    caller = "correction_summary"
    need = {"frame", "estimate"}
    for name, table in (("naive", naive), ("corrected", corrected)):
        if not isinstance(table, pd.DataFrame) or not need <= set(table.columns):
            raise ValueError(f"{caller}(): {name} must be a prevalence() table.")
    if not {"ci_low", "ci_high", "n_gold"} <= set(corrected.columns):
        raise ValueError(f"{caller}(): corrected must come from prevalence(..., gold=...).")
    keys = list(corrected.columns[: list(corrected.columns).index("frame") + 1])
    both = naive[[*keys, "estimate"]].merge(
        corrected[[*keys, "estimate", "ci_low", "ci_high", "n_gold"]],
        on=keys,
        suffixes=("_naive", ""),
    )
    if both.empty:
        raise ValueError(f"{caller}(): the two tables share no group and frame.")
    change = both["estimate"] - both["estimate_naive"]
    top = both.loc[change.abs().idxmax()]
    where = " / ".join(str(top[k]) for k in keys[:-1])
    outside = int(((both["estimate_naive"] < both["ci_low"]) |
                   (both["estimate_naive"] > both["ci_high"])).sum())  # fmt: skip
    moved = int((change.abs() > 0.05).sum())
    gold_units = (
        int(both.drop_duplicates(keys[:-1])["n_gold"].sum())
        if keys[:-1]
        else int(both["n_gold"].max())
    )
    method = str(corrected["method"].iloc[0]).split(" ")[0] if "method" in corrected else ""
    level = "95%" if "ci_level" not in corrected else f"{corrected['ci_level'].iloc[0]:.0%}"
    return (
        f"Corrected with {gold_units} gold units ({method}), the largest change is "
        f"{top['frame']}{' in ' + where if where else ''}: {top['estimate_naive']:.1%} naive, "
        f"{top['estimate']:.1%} corrected ({100 * change.abs().max() * np.sign(change[change.abs().idxmax()]):+.1f} "
        f"points); {moved} of {len(both)} estimates moved by more than 5 points, and {outside} "
        f"naive estimate{'s' if outside != 1 else ''} lie{'s' if outside == 1 else ''} outside "
        f"{'its' if outside == 1 else 'their'} corrected {level} interval."
    )
