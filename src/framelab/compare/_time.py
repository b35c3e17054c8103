"""Prevalence over time: per week or month with CIs and smoothing; before and after an event."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from framelab._intervals import wilson_interval
from framelab.compare._common import (
    _as_list,
    _bootstrap,
    _check_number,
    _drop_missing_groups,
    _Group,
    _groups,
    _percentile,
    _ratio,
    _warn_few_clusters,
)
from framelab.compare._corrected import MIN_GOLD, check_correction, gold_rows
from framelab.compare._difference import _check_diff, _diff_rows, _diff_table, _n_perm
from framelab.compare._prevalence import (
    _METHOD,
    PREVALENCE_COLUMNS,
    _check_common,
    _corrected_rows,
    _prepare,
)
from framelab.compare._small import ON_CLUSTERS, WILSON, degenerate, effective_counts, is_cluster

__all__ = ["before_after", "over_time"]


def _date_column(codes: pd.DataFrame, date_col: str, caller: str) -> pd.Series:
    dates = codes[date_col]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        raise TypeError(
            f"{caller}(): {date_col!r} must hold dates (datetime64), got {dates.dtype}. Convert "
            "it with framelab.corpus.parse_dates() or pd.to_datetime()."
        )
    return dates


def over_time(
    codes: pd.DataFrame,
    date_col: str = "date",
    freq: str = "M",
    by: str | Sequence[str] | None = None,
    *,
    measure: str = "present",
    smooth: int | None = None,
    ci: float = 0.95,
    n_boot: int = 2000,
    seed: int = 0,
    cluster: str | None = None,
    frames: Sequence[str] | None = None,
    gold: pd.DataFrame | None = None,
    correction: str | None = None,
    min_gold: int = MIN_GOLD,
) -> pd.DataFrame:
    """Prevalence per calendar period (and group), with bootstrap CIs and optional smoothing.

    Parameters
    ----------
    date_col : str, default "date"
        Date column of the codes (corpus metadata).
    freq : str, default "M"
        A pandas period frequency: ``"W"`` (weeks, Monday to Sunday), ``"M"`` (months), also
        ``"D"``, ``"Q"``, ``"Y"``.
    smooth : int, optional
        Pool each period with its neighbours in a centred window of ``smooth`` periods (the
        window is cut at the ends); numerators and denominators are summed over the window, in
        the point estimate and in every bootstrap replicate alike.
    codes, by, measure, ci, n_boot, seed, cluster, frames, gold, correction, min_gold
        As in :func:`prevalence`. With a correction each period (and group) is corrected with
        the gold units dated in it, so a period needs at least two of them (else its estimate
        is missing); ``smooth`` is not available then, and only periods with units are listed.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``period`` (start of the period, datetime64), then
        :data:`PREVALENCE_COLUMNS`, then ``freq`` and ``window`` (periods pooled; 1 when not
        smoothed). Every period between a group's first and last is listed; periods without
        units have ``n = 0`` and a missing estimate, and periods (windows) with fewer than two
        documents - or clusters - have missing interval bounds (see ``n_clusters``).

    Examples
    --------
    >>> codes = pd.DataFrame({
    ...     "doc_id": list("abcd"), "unit_id": list("abcd"), "level": "document",
    ...     "frame": "stalemate", "present": [1, 0, 1, 1],
    ...     "date": pd.to_datetime(["2023-09-03", "2023-09-20", "2023-11-02", "2023-11-30"])})
    >>> over_time(codes, freq="M", n_boot=100)[["period", "estimate", "n"]]
          period  estimate  n
    0 2023-09-01       0.5  2
    1 2023-10-01       NaN  0
    2 2023-11-01       1.0  2
    """
    caller = "over_time"
    rng = _check_common(caller, ci, n_boot, seed)
    coding = check_correction(gold, correction, measure, cluster, caller, min_gold)
    if coding is not None and smooth is not None:
        raise ValueError(
            f"{caller}(): smooth={smooth} cannot be combined with correction={coding!r}; "
            "widen the periods instead (freq='Q')."
        )
    if smooth is not None:
        _check_number(smooth, "smooth", caller, low=1, integer=True)
    group_cols = _as_list(by)
    df, level, frames, resample = _prepare(
        codes, by, measure, cluster, frames, caller, extra={"date_col": date_col}
    )
    _date_column(df, date_col, caller)
    if len(df) and df[date_col].isna().all():
        raise ValueError(
            f"{caller}(): every value of {date_col!r} is missing (NaT), so there is no period "
            "to compare. Check how the dates were read (framelab.corpus.parse_dates(), the "
            "loader's date column, or columns={'date': ...} in the config)."
        )
    df = _drop_missing_groups(df, [date_col], caller)
    try:
        periods = df[date_col].dt.to_period(freq)
    except (ValueError, TypeError, AttributeError) as exc:
        raise ValueError(
            f"{caller}(): freq={freq!r} is not a pandas period frequency; use 'W' (weeks), "
            f"'M' (months), 'Q' or 'Y'. ({exc})"
        ) from None
    df = df.assign(_period=periods)
    groups = _groups(df, group_cols + ["_period"], resample, frames)
    window = smooth or 1
    if coding is not None:
        matched = gold_rows(df, gold, frames, caller, codes)
        keys = [*group_cols, "_period"]
        if coding == "rogan_gladen":
            for g in groups:
                _bootstrap(g, n_boot, rng)
        rows = _corrected_rows(
            groups, matched, keys, frames, coding, ci, n_boot, rng, min_gold, caller
        )
        for row in rows:
            row["period"] = row.pop("_period").start_time
    else:
        for g in groups:
            _bootstrap(g, n_boot, rng)
        rows = _period_rows(
            groups, group_cols, frames, window, n_boot, ci, measure, is_cluster(cluster)
        )
    meta = {
        "level": level,
        "measure": measure,
        "method": _METHOD,
        "resample": resample,
        "ci_level": float(ci),
        "n_boot": n_boot,
        "seed": int(seed),
        "freq": freq,
        "window": window,
    }
    table = pd.DataFrame(rows)
    for k, v in meta.items():
        if k not in table.columns:
            table[k] = v
    table = table[[*group_cols, "period", *PREVALENCE_COLUMNS, "freq", "window"]]
    for col in ("n", "n_clusters", "n_gold", "n_boot", "seed", "window"):
        table[col] = table[col].astype("int64")
    table["period"] = pd.to_datetime(table["period"]).astype("datetime64[ns]")
    return table.reset_index(drop=True)


def _period_rows(
    groups, group_cols, frames, window, n_boot, ci, measure, clustered=False
) -> list[dict]:
    """Rows of :func:`over_time` on the full period grid, pooled over ``window`` periods."""
    rows = []
    by_key: dict[tuple, list[_Group]] = {}
    for g in groups:
        by_key.setdefault(g.key[:-1], []).append(g)
    n_f = len(frames)
    for key, members in by_key.items():
        found = {g.key[-1]: g for g in members}
        grid = pd.period_range(min(found), max(found), freq=min(found).freq)
        t_n = len(grid)
        num, den = np.zeros((t_n, n_f)), np.zeros((t_n, n_f))
        cnt, ncl = np.zeros((t_n, n_f)), np.zeros(t_n)
        num_b, den_b = np.zeros((t_n, n_boot, n_f)), np.zeros((t_n, n_boot, n_f))
        for t, period in enumerate(grid):
            g = found.get(period)
            if g is not None:
                num[t], den[t], cnt[t], ncl[t] = g.num, g.den, g.n, g.n_clusters
                num_b[t], den_b[t] = g.num_b, g.den_b
        for t, period in enumerate(grid):
            lo, hi = max(0, t - (window - 1) // 2), min(t_n, t + window // 2 + 1)
            est = _ratio(num[lo:hi].sum(0), den[lo:hi].sum(0))
            n_clusters = int(ncl[lo:hi].sum())
            if n_clusters >= 2:
                low, high = _percentile(_ratio(num_b[lo:hi].sum(0), den_b[lo:hi].sum(0)), ci)
            else:
                low = high = np.full(n_f, np.nan)
            n_units = cnt[lo:hi].sum(0)
            method = np.full(n_f, _METHOD, dtype=object)
            k, units = num[lo:hi].sum(0), den[lo:hi].sum(0)
            few = degenerate(k, units, measure) & (n_clusters >= 2)
            if few.any():
                k, units = effective_counts(k, units, n_clusters, clustered)
                w_low, w_high = wilson_interval(k, units, ci)
                low, high = np.where(few, w_low, low), np.where(few, w_high, high)
                method[few] = WILSON + (ON_CLUSTERS if clustered else "")
            for j, frame in enumerate(frames):
                rows.append(
                    {
                        **dict(zip(group_cols, key, strict=True)),
                        "period": period.start_time,
                        "frame": frame,
                        "estimate": est[j],
                        "ci_low": low[j],
                        "ci_high": high[j],
                        "n": int(n_units[j]),
                        "n_clusters": n_clusters,
                        "n_gold": 0,
                        "method": method[j],
                    }
                )
    return rows


def before_after(
    codes: pd.DataFrame,
    date: str | pd.Timestamp,
    *,
    window: int | pd.Timedelta,
    date_col: str = "date",
    by: str | Sequence[str] | None = None,
    measure: str = "present",
    ci: float = 0.95,
    n_boot: int = 2000,
    n_perm: int | None = None,
    seed: int = 0,
    cluster: str | None = None,
    correction: str = "holm",
    frames: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Prevalence in a window after an event minus the same window before it.

    Parameters
    ----------
    date : str or Timestamp
        The event (e.g. the day a report broke). It belongs to the *after* window.
    window : int or Timedelta
        Window length (an int is a number of days): before is ``[date - window, date)``, after
        is ``[date, date + window)``. Units outside both windows are left out.
    by : str or list of str, optional
        Compute the before/after difference within each group (e.g. ``"perspective"``).
    codes, date_col, measure, ci, n_boot, n_perm, seed, cluster, correction, frames
        As in :func:`difference` (``correction`` applies across frames and groups).

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns then :data:`DIFFERENCE_COLUMNS`, with ``group_a = "after"`` and
        ``group_b = "before"``: ``estimate`` is after minus before.

    Examples
    --------
    >>> codes = pd.DataFrame({
    ...     "doc_id": list("abcdef"), "unit_id": list("abcdef"), "level": "document",
    ...     "frame": "civil_military", "present": [0, 0, 1, 1, 1, 0],
    ...     "date": pd.to_datetime(["2023-10-20", "2023-10-30", "2023-11-02", "2023-11-05",
    ...                             "2023-11-09", "2024-02-01"])})
    >>> table = before_after(codes, "2023-11-02", window=14, n_boot=100, n_perm=100)
    >>> table[["frame", "group_a", "estimate_a", "estimate_b", "estimate", "n_a", "n_b"]]
                frame group_a  estimate_a  estimate_b  estimate  n_a  n_b
    0  civil_military   after         1.0         0.0       1.0    3    2
    """
    caller = "before_after"
    rng = _check_common(caller, ci, n_boot, seed)
    _check_diff(caller, n_perm, correction)
    if isinstance(window, bool) or not isinstance(window, (int, np.integer, pd.Timedelta)):
        raise TypeError(
            f"{caller}(): window must be a number of days or a pd.Timedelta, got {window!r}."
        )
    window = pd.Timedelta(days=int(window)) if not isinstance(window, pd.Timedelta) else window
    if window <= pd.Timedelta(0):
        raise ValueError(f"{caller}(): window must be positive, got {window}.")
    try:
        event = pd.Timestamp(date)
    except (ValueError, TypeError):
        raise ValueError(f"{caller}(): date={date!r} is not a date.") from None
    group_cols = _as_list(by)
    df, level, frames, resample = _prepare(
        codes, by, measure, cluster, frames, caller, extra={"date_col": date_col}
    )
    dates = _date_column(df, date_col, caller)
    side = np.where(
        (dates >= event - window) & (dates < event),
        "before",
        np.where((dates >= event) & (dates < event + window), "after", ""),
    )
    df = df.assign(_side=side)
    df = df[df["_side"] != ""]
    if df.empty:
        raise ValueError(f"{caller}(): no unit is dated within {window} of {event.date()}.")
    groups = _groups(df, group_cols + ["_side"], resample, frames)
    found = {g.key: g for g in groups}
    rows = []
    keys = list(dict.fromkeys(g.key[:-1] for g in groups))
    n_perm = _n_perm(n_perm, len(keys) * len(frames))
    for key in keys:
        for side in ("before", "after"):
            if (*key, side) not in found:
                raise ValueError(
                    f"{caller}(): group {key} has no unit {side} {event.date()} within the "
                    "window; widen the window or drop the group."
                )
    _warn_few_clusters(groups, group_cols + ["side"], resample, caller)
    for key in keys:
        after, before = found[(*key, "after")], found[(*key, "before")]
        _bootstrap(after, n_boot, rng)
        _bootstrap(before, n_boot, rng)
        labels = ("after", "before")
        for row in _diff_rows(after, before, labels, frames, ci, n_perm, rng, measure):
            rows.append({**dict(zip(group_cols, key, strict=True)), **row})
    return _diff_table(
        rows, group_cols, level, measure, resample, ci, n_boot, n_perm, correction, seed
    )
