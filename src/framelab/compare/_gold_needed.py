"""How many gold units would narrow a corrected prevalence interval to a target width."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from framelab._intervals import normal_quantile
from framelab.compare._common import _as_list, _groups
from framelab.compare._corrected import check_correction, gold_by_group, gold_rows, ppi_mean
from framelab.compare._prevalence import _prepare

__all__ = ["GOLD_NEEDED_COLUMNS", "gold_needed"]

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
) -> pd.DataFrame:
    """Gold units needed per group for a corrected interval ``shrink`` times as wide as now.

    The PPI variance is ``λ²·Var_N(Ŷ)/N + Var_n(w(Y − λŶ))/n``; only the second term falls with
    more gold units. Holding ``λ`` and both variances at their current estimates, the width
    ``shrink × ci_width`` needs ``n' = n · V_gold / (shrink² · Var − V_all)`` gold units in the
    group (drawn the same way). When the machine-code term alone is wider than the target, no
    number of gold units reaches it: ``n_gold_needed`` is missing and ``method`` says so.

    Parameters
    ----------
    codes, gold, by, ci, frames
        As in :func:`prevalence`.
    correction : {"ppi++", "ppi"}, default "ppi++"
        The PPI variant whose interval is to be narrowed.
    shrink : float, default 0.5
        Target width as a share of the current width (0.5: half as wide).

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then :data:`GOLD_NEEDED_COLUMNS`: ``n_gold`` (now), ``ci_width``
        (now), ``target_width``, ``n_gold_needed`` (total, rounded up), ``n_gold_more``
        (``n_gold_needed - n_gold``) and ``method``.

    Examples
    --------
    >>> ids = [f"d{i}" for i in range(1000)]
    >>> codes = pd.DataFrame({"doc_id": ids, "unit_id": ids, "level": "document", "frame": "f",
    ...                       "present": [i % 2 for i in range(1000)]})
    >>> gold = pd.DataFrame({"unit_id": ids[:100], "frame": "f",
    ...                      "present": [int(i % 2 == 0 or i % 10 == 3) for i in range(100)]})
    >>> gold_needed(codes, gold, correction="ppi")[["n_gold", "n_gold_needed", "n_gold_more"]]
       n_gold  n_gold_needed  n_gold_more
    0     100            437          337
    """
    caller = "gold_needed"
    correction = check_correction(gold, correction, "present", None, caller)
    if correction == "rogan_gladen":
        raise ValueError(f"{caller}(): correction must be 'ppi++' or 'ppi', got 'rogan_gladen'.")
    if isinstance(shrink, bool) or not isinstance(shrink, (int, float)) or not 0 < shrink < 1:
        raise ValueError(f"{caller}(): shrink must be between 0 and 1 (e.g. 0.5), got {shrink!r}.")
    group_cols = _as_list(by)
    df, _, frames, resample = _prepare(codes, by, "present", None, frames, caller)
    groups = _groups(df, group_cols, resample, frames)
    by_key = gold_by_group(gold_rows(df, gold, frames, caller), group_cols)
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
            (
                _,
                se,
                lam,
            ) = ppi_mean(y, yh, g.num[j], g.den[j], w, lam, z)[:3]
            p_all = g.num[j] / g.den[j]
            v_all = lam**2 * p_all * (1 - p_all) / g.den[j]
            v_gold = se**2 - v_all
            room = shrink**2 * se**2 - v_all
            needed = int(np.ceil(n * v_gold / room)) if room > 0 and v_gold > 0 else None
            rows.append(
                row
                | {
                    "n_gold": n,
                    "ci_width": 2 * z * se,
                    "target_width": 2 * z * se * shrink,
                    "n_gold_needed": needed,
                    "n_gold_more": None if needed is None else needed - n,
                    "method": f"{correction} (lambda={lam:.3f}) variance, lambda held fixed"
                    + ("" if needed is not None else "; target below the machine-code term"),
                }
            )
    table = pd.DataFrame(rows, columns=[*group_cols, *GOLD_NEEDED_COLUMNS])
    for col in ("n_gold_needed", "n_gold_more"):
        table[col] = table[col].astype("Int64")
    table["n_gold"] = table["n_gold"].astype("int64")
    return table
