"""Frame co-occurrence: how often two frames share a unit (document or sentence)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from framelab.compare._common import (
    _BLOCK,
    _LEVELS,
    _as_list,
    _check_choice,
    _check_level,
    _check_number,
    _check_present,
    _drop_missing_groups,
    _frame_order,
    _percentile,
    _ratio,
    _unwrap,
    _weights,
    check_codes,
)

__all__ = ["COOCCURRENCE_COLUMNS", "cooccurrence"]

#: Columns of :func:`cooccurrence`, after any grouping columns.
COOCCURRENCE_COLUMNS = (
    "frame_a",
    "frame_b",
    "n_both",
    "n_a",
    "n_b",
    "n_units",
    "jaccard",
    "jaccard_low",
    "jaccard_high",
    "lift",
    "lift_low",
    "lift_high",
    "level",
    "method",
    "resample",
    "ci_level",
    "n_boot",
    "seed",
)


def _unit_matrix(codes: pd.DataFrame, frames: list[str], level: str, to_level: str):
    """0/1 matrix units x frames at ``to_level`` (coarsened to documents when asked)."""
    key = "doc_id" if to_level == "document" and level != "document" else "unit_id"
    units, uid = np.unique(codes[key].astype(str).to_numpy(), return_inverse=True)
    fid = pd.Categorical(codes["frame"].astype(str), categories=frames).codes
    mat = np.zeros((len(units), len(frames)))
    np.maximum.at(mat, (uid, fid), codes["present"].to_numpy(float))
    first = pd.Series(np.arange(len(codes))).groupby(uid).first().to_numpy()
    return mat, codes.iloc[first].reset_index(drop=True)


def _stats(both: np.ndarray, units: np.ndarray, n_f: int) -> tuple[np.ndarray, np.ndarray]:
    """Jaccard and lift for rows of pair counts ``both`` (R x F*F) and unit totals (R,)."""
    diag = both[:, [i * n_f + i for i in range(n_f)]]
    n_a, n_b = np.repeat(diag, n_f, axis=1), np.tile(diag, n_f)
    return _ratio(both, n_a + n_b - both), _ratio(both * units[:, None], n_a * n_b)


def cooccurrence(
    codes: pd.DataFrame,
    level: str | None = None,
    *,
    by: str | Sequence[str] | None = None,
    n_boot: int = 0,
    ci: float = 0.95,
    seed: int = 0,
    cluster: str | None = None,
) -> pd.DataFrame:
    """Frame-by-frame co-occurrence counts, Jaccard index and lift, optionally with CIs.

    Parameters
    ----------
    codes : pandas.DataFrame
        FrameCodes of one unit level.
    level : {"document", "paragraph", "sentence"}, optional
        Unit within which frames co-occur; default the codes' level. Sentence or paragraph codes
        can be coarsened to ``"document"`` (a frame is in a document when any of its units has
        it); finer than the codes is an error.
    by : str or list of str, optional
        Compute separately per group.
    n_boot : int, default 0
        Bootstrap replicates for percentile intervals of Jaccard and lift (documents, or
        ``cluster`` values, resampled within each group); 0 leaves the interval columns missing.
    ci, seed, cluster
        As in :func:`framelab.compare.prevalence`.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, then :data:`COOCCURRENCE_COLUMNS`, one row per ordered pair of
        frames (diagonal included, so the table pivots to a full matrix): ``n_both`` (units with
        both), ``n_a``, ``n_b`` (units with each), ``n_units``, ``jaccard`` =
        ``n_both / (n_a + n_b - n_both)``, ``lift`` = ``n_both * n_units / (n_a * n_b)`` (1 =
        independent), their intervals, ``level``, ``method``, ``resample``, ``ci_level``,
        ``n_boot``, ``seed``.

    Examples
    --------
    >>> codes = pd.DataFrame({
    ...     "doc_id": ["d1", "d1", "d2", "d2", "d3", "d3", "d4", "d4"],
    ...     "unit_id": ["d1", "d1", "d2", "d2", "d3", "d3", "d4", "d4"], "level": "document",
    ...     "frame": ["ceasefire", "escalation"] * 4, "present": [1, 1, 1, 0, 0, 1, 0, 0]})
    >>> table = cooccurrence(codes)
    >>> table[["frame_a", "frame_b", "n_both", "jaccard", "lift"]].iloc[[1]]
         frame_a     frame_b  n_both   jaccard  lift
    1  ceasefire  escalation       1  0.333333   1.0
    """
    caller = "cooccurrence"
    by_cols = _as_list(by)
    codes = _unwrap(codes)
    check_codes(
        codes,
        caller,
        ["doc_id", "unit_id", "level", "frame", "present"],
        named={"by": by_cols, "cluster": cluster},
    )
    _check_present(codes, caller)
    own = _check_level(codes, caller)
    to_level = own if level is None else level
    _check_choice(to_level, "level", _LEVELS, caller)
    if _LEVELS.index(to_level) > _LEVELS.index(own):
        raise ValueError(
            f"{caller}(): level={to_level!r} is finer than the codes ({own!r}); code the corpus at "
            f"level='{to_level}' instead."
        )
    _check_number(n_boot, "n_boot", caller, low=0, integer=True)
    if isinstance(ci, bool) or not isinstance(ci, (int, float)) or not 0 < ci < 1:
        raise ValueError(f"{caller}(): ci must be between 0 and 1, got {ci!r}.")
    rng = np.random.default_rng(seed)
    resample = cluster or "doc_id"
    codes = _drop_missing_groups(codes, by_cols + ([cluster] if cluster else []), caller)
    frames = _frame_order(codes)
    n_f = len(frames)
    pairs = [(i, j) for i in range(n_f) for j in range(n_f)]
    keys = (
        [()]
        if not by_cols
        else list(
            codes[by_cols].drop_duplicates().sort_values(by_cols).itertuples(index=False, name=None)
        )
    )
    rows = []
    for key in keys:
        part = codes
        for col, value in zip(by_cols, key, strict=True):
            part = part[part[col] == value]
        mat, meta = _unit_matrix(part, frames, own, to_level)
        cid = pd.factorize(meta[resample].astype(str))[0]
        k = int(cid.max()) + 1
        both = np.stack(
            [np.bincount(cid, weights=mat[:, i] * mat[:, j], minlength=k) for i, j in pairs], axis=1
        )  # clusters x F*F
        units = np.bincount(cid, minlength=k).astype(float)
        jac, lift = _stats(both.sum(0)[None, :], units.sum()[None], n_f)
        if n_boot and k >= 2:
            jac_b, lift_b = [], []
            for start in range(0, n_boot, max(1, _BLOCK // k)):
                w = _weights(k, min(n_boot - start, max(1, _BLOCK // k)), rng)
                jb, lb = _stats(w @ both, w @ units, n_f)
                jac_b.append(jb)
                lift_b.append(lb)
            j_low, j_high = _percentile(np.vstack(jac_b), ci)
            l_low, l_high = _percentile(np.vstack(lift_b), ci)
        else:
            j_low = j_high = l_low = l_high = np.full(len(pairs), np.nan)
        tot = both.sum(0)
        for p, (i, j) in enumerate(pairs):
            rows.append(
                {
                    **dict(zip(by_cols, key, strict=True)),
                    "frame_a": frames[i],
                    "frame_b": frames[j],
                    "n_both": int(tot[p]),
                    "n_a": int(tot[i * n_f + i]),
                    "n_b": int(tot[j * n_f + j]),
                    "n_units": int(units.sum()),
                    "jaccard": jac[0, p],
                    "jaccard_low": j_low[p],
                    "jaccard_high": j_high[p],
                    "lift": lift[0, p],
                    "lift_low": l_low[p],
                    "lift_high": l_high[p],
                }
            )
    table = pd.DataFrame(rows)
    table["level"] = to_level
    table["method"] = "percentile bootstrap" if n_boot else "none"
    table["resample"] = resample
    table["ci_level"] = float(ci)
    table["n_boot"] = n_boot
    table["seed"] = int(seed)
    return table[[*by_cols, *COOCCURRENCE_COLUMNS]].astype(
        {
            "n_both": "int64",
            "n_a": "int64",
            "n_b": "int64",
            "n_units": "int64",
            "n_boot": "int64",
            "seed": "int64",
        }
    )
