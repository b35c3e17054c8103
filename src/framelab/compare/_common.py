"""Shared machinery of :mod:`framelab.compare`: input checks and the vectorised bootstrap.

Every estimate in :mod:`framelab.compare` is a *ratio of sums* over resampling clusters
(documents by default): the share of units carrying a frame is ``sum(present) / sum(1)``, the
rate per 1,000 tokens is ``1000 * sum(count) / sum(n_tokens)`` and a mean is
``sum(value) / sum(1)``. Summing numerator and denominator per cluster once turns the whole
bootstrap into two matrix products ``W @ num`` and ``W @ den``, where ``W`` (``n_boot`` x
``n_clusters``) counts how often each cluster is drawn in each replicate.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from framelab._errors import suggest
from framelab._unit_ids import infer_level
from framelab.schema import CODE_COLUMNS as FRAMECODES_COLUMNS
from framelab.schema import LEVELS as _LEVELS

__all__ = ["FRAMECODES_COLUMNS", "check_codes"]

logger = logging.getLogger(__name__)

_CORRECTIONS = ("holm", "fdr_bh", "none")
#: Memory budget (number of cells) of one block of bootstrap weights.
_BLOCK = 4_000_000


def _as_list(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def _unwrap(codes: object) -> object:
    """The FrameCodes of a ``framelab.coding.Coded`` result; anything else unchanged."""
    inner = getattr(codes, "codes", None)
    if not isinstance(codes, pd.DataFrame) and isinstance(inner, pd.DataFrame):
        return inner
    return codes


def check_codes(
    codes: object,
    caller: str,
    columns: Iterable[str] = FRAMECODES_COLUMNS,
    *,
    named: dict[str, str | Sequence[str] | None] | None = None,
) -> None:
    """Raise a clear error unless ``codes`` is a FrameCodes-shaped table.

    Parameters
    ----------
    codes : object
        The table to check.
    caller : str
        Name of the public function, used in the message.
    columns : iterable of str
        FrameCodes columns the caller needs (default: all of :data:`FRAMECODES_COLUMNS`).
    named : dict, optional
        Columns named by the user, keyed by the parameter that named them (``{"by":
        ["perspective"]}``); a missing one gets a "Did you mean" hint.

    Raises
    ------
    TypeError
        If ``codes`` is not a DataFrame.
    ValueError
        If columns are missing (all of them are named) or the table is empty.

    Examples
    --------
    >>> codes = pd.DataFrame({"doc_id": ["d1"], "unit_id": ["d1"], "frame": ["ceasefire"]})
    >>> check_codes(codes, "prevalence", ["doc_id", "unit_id", "level", "frame", "present"])
    Traceback (most recent call last):
    ...
    ValueError: prevalence(): the codes table lacks the FrameCodes columns 'level', 'present'. Pass the table made by framelab.code_frames(), or build one with the columns doc_id, unit_id, level, frame, present.
    >>> codes["level"], codes["present"] = "document", 1
    >>> check_codes(codes, "prevalence", ["frame", "present"], named={"by": "perspectiv"})
    Traceback (most recent call last):
    ...
    ValueError: prevalence(): by='perspectiv' is not a column of the codes table. Columns: doc_id, unit_id, frame, level, present.
    """
    if isinstance(codes, str):
        raise TypeError(
            f"{caller}(): got a string where a FrameCodes table was expected. Pass the DataFrame "
            "made by framelab.code_frames(corpus, codebook)."
        )
    if not isinstance(codes, pd.DataFrame):
        raise TypeError(
            f"{caller}(): expected a FrameCodes DataFrame, got {type(codes).__name__}. Make one "
            "with framelab.code_frames(corpus, codebook)."
        )
    columns = list(columns)
    missing = [c for c in columns if c not in codes.columns]
    if missing:
        raise ValueError(
            f"{caller}(): the codes table lacks the FrameCodes column"
            f"{'s' if len(missing) > 1 else ''} {', '.join(repr(c) for c in missing)}. Pass the "
            "table made by framelab.code_frames(), or build one with the columns "
            f"{', '.join(columns)}."
        )
    for param, value in (named or {}).items():
        for col in _as_list(value):
            if col not in codes.columns:
                raise ValueError(
                    f"{caller}(): {param}={col!r} is not a column of the codes table. Columns: "
                    f"{', '.join(map(str, codes.columns))}.{suggest(col, codes.columns, param)}"
                )
    if len(codes) == 0:
        raise ValueError(f"{caller}(): the codes table is empty; there is nothing to compare.")


def _check_level(codes: pd.DataFrame, caller: str) -> str:
    """The single unit level of ``codes``; mixed or unknown levels raise ``ValueError``."""
    levels = pd.unique(codes["level"].astype(str))
    if len(levels) != 1:
        raise ValueError(
            f"{caller}(): the codes mix unit levels {sorted(levels)}; statistics need one unit of "
            "analysis. Filter first, e.g. codes[codes['level'] == 'document']."
        )
    level = str(levels[0])
    if level not in _LEVELS:
        raise ValueError(
            f"{caller}(): unknown level {level!r}; expected one of {', '.join(_LEVELS)}."
        )
    return level


#: Unit ids are parsed in :mod:`framelab._unit_ids` (kept under the old private name).
_infer_level = infer_level


def _check_present(codes: pd.DataFrame, caller: str) -> None:
    bad = ~codes["present"].isin([0, 1])
    if bad.any():
        raise ValueError(
            f"{caller}(): 'present' must be 0 or 1; found {sorted(set(codes.loc[bad, 'present']))[:5]}. "
            "Recompute it as (count > 0).astype(int)."
        )


def _check_number(
    value: object,
    name: str,
    caller: str,
    *,
    low: float,
    high: float | None = None,
    integer: bool = False,
) -> None:
    ok_type = (
        isinstance(value, (int, np.integer))
        if integer
        else isinstance(value, (int, float, np.integer, np.floating))
    )
    if (
        isinstance(value, bool)
        or not ok_type
        or value < low
        or (high is not None and value >= high)
    ):
        kind = "an integer" if integer else "a number"
        bound = f">= {low}" + (f" and < {high}" if high is not None else "")
        raise ValueError(f"{caller}(): {name} must be {kind} {bound}, got {value!r}.")


def _check_choice(value: object, name: str, choices: Sequence[str], caller: str) -> None:
    if value not in choices:
        raise ValueError(
            f"{caller}(): {name} must be one of {', '.join(map(repr, choices))}, got {value!r}."
            f"{suggest(str(value), choices, name)}"
        )


# --------------------------------------------------------------------------- measures


def _measure_columns(codes: pd.DataFrame, measure: str, caller: str) -> pd.DataFrame:
    """``codes`` with ``_num``/``_den`` added for ``measure`` (see the module docstring)."""
    if measure == "present":
        check_codes(codes, caller, ["doc_id", "unit_id", "level", "frame", "present"])
        _check_present(codes, caller)
        out = codes.assign(_num=codes["present"].astype(float), _den=1.0)
    elif measure == "per_1k":
        check_codes(codes, caller, ["doc_id", "unit_id", "level", "frame", "count", "n_tokens"])
        out = codes.assign(
            _num=codes["count"].astype(float) * 1000.0, _den=codes["n_tokens"].astype(float)
        )
    elif isinstance(measure, str) and measure.startswith("mean:"):
        col = measure[5:]
        check_codes(codes, caller, ["doc_id", "unit_id", "frame"], named={"measure": col})
        values = pd.to_numeric(codes[col], errors="coerce").astype(float)
        keep = values.notna().to_numpy()
        if not keep.all():
            logger.info("%s(): %d rows with a missing %r are left out", caller, (~keep).sum(), col)
        out = codes.loc[keep].assign(_num=values[keep], _den=1.0)
    else:
        raise ValueError(
            f"{caller}(): measure must be 'present', 'per_1k' or 'mean:<column>', got {measure!r}."
        )
    return out


def _frame_order(codes: pd.DataFrame) -> list[str]:
    """Frames in order of first appearance (the codebook's order in code_frames output)."""
    return [str(f) for f in pd.unique(codes["frame"].astype(str))]


def _drop_missing_groups(df: pd.DataFrame, cols: list[str], caller: str) -> pd.DataFrame:
    if not cols:
        return df
    missing = df[cols].isna().any(axis=1)
    if missing.any():
        warnings.warn(
            f"{caller}(): {int(missing.sum())} rows have a missing value in "
            f"{', '.join(cols)} and are left out. Fill them (e.g. with 'unknown') to keep them.",
            UserWarning,
            stacklevel=3,
        )
        df = df.loc[~missing.to_numpy()]
    return df


# --------------------------------------------------------------------------- bootstrap core


@dataclass
class _Group:
    """Per-cluster sums of one group and, after :func:`_bootstrap`, its replicates."""

    key: tuple
    num_c: np.ndarray  # (n_clusters, F) numerator sums per cluster
    den_c: np.ndarray  # (n_clusters, F) denominator sums per cluster
    n: np.ndarray  # (F,) number of units (rows) per frame
    num_b: np.ndarray | None = None  # (n_boot, F)
    den_b: np.ndarray | None = None

    @property
    def n_clusters(self) -> int:
        return int(self.num_c.shape[0])

    @property
    def num(self) -> np.ndarray:
        return self.num_c.sum(axis=0)

    @property
    def den(self) -> np.ndarray:
        return self.den_c.sum(axis=0)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.asarray(num, dtype=float) / np.asarray(den, dtype=float)
    return np.where(np.asarray(den) == 0, np.nan, out)


def _groups(
    df: pd.DataFrame, group_cols: list[str], cluster: str, frames: list[str]
) -> list[_Group]:
    """Split ``df`` (with ``_num``, ``_den``) into groups of per-cluster sums."""
    n_f = len(frames)
    fid = pd.Categorical(df["frame"].astype(str), categories=frames).codes.astype(np.int64)
    keys = list(dict.fromkeys([*group_cols, cluster]))  # cluster may be a grouping column
    cid = df.groupby(keys, sort=True, observed=True, dropna=False).ngroup().to_numpy(np.int64)
    table = df[keys].drop_duplicates().sort_values(keys, kind="mergesort").reset_index(drop=True)
    n_c = len(table)
    flat = cid * n_f + fid
    num_c = np.bincount(flat, weights=df["_num"].to_numpy(float), minlength=n_c * n_f).reshape(
        n_c, n_f
    )
    den_c = np.bincount(flat, weights=df["_den"].to_numpy(float), minlength=n_c * n_f).reshape(
        n_c, n_f
    )
    cnt_c = np.bincount(flat, minlength=n_c * n_f).reshape(n_c, n_f)
    if group_cols:
        gid = table.groupby(group_cols, sort=True, observed=True, dropna=False).ngroup().to_numpy()
        key_rows = table[group_cols].drop_duplicates().itertuples(index=False, name=None)
        group_keys = list(key_rows)
    else:
        gid = np.zeros(n_c, dtype=np.int64)
        group_keys = [()]
    bounds = np.searchsorted(gid, np.arange(len(group_keys) + 1))
    return [
        _Group(key=tuple(k), num_c=num_c[s:e], den_c=den_c[s:e], n=cnt_c[s:e].sum(axis=0))
        for k, s, e in zip(group_keys, bounds[:-1], bounds[1:], strict=True)
    ]


def _weights(k: int, b: int, rng: np.random.Generator) -> np.ndarray:
    """``b`` x ``k`` counts of how often each of ``k`` clusters is drawn (k draws per row)."""
    idx = rng.integers(0, k, size=(b, k)) + (np.arange(b) * k)[:, None]
    return np.bincount(idx.ravel(), minlength=b * k).reshape(b, k).astype(float)


def _bootstrap(group: _Group, n_boot: int, rng: np.random.Generator) -> None:
    """Fill ``group.num_b``/``den_b`` by resampling its clusters with replacement."""
    k, n_f = group.num_c.shape
    num_b = np.empty((n_boot, n_f))
    den_b = np.empty((n_boot, n_f))
    step = max(1, _BLOCK // max(k, 1))
    for start in range(0, n_boot, step):
        stop = min(n_boot, start + step)
        w = _weights(k, stop - start, rng) if k else np.zeros((stop - start, 0))
        num_b[start:stop] = w @ group.num_c
        den_b[start:stop] = w @ group.den_c
    group.num_b, group.den_b = num_b, den_b


def _percentile(reps: np.ndarray, ci: float) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval per column, ignoring undefined (NaN) replicates.

    Infinite replicates (a ratio over a zero) are kept: a bound that falls among them is
    infinite.
    """
    alpha = (1.0 - ci) / 2.0
    big = np.finfo(float).max / 8
    low = np.full(reps.shape[1], np.nan)
    high = np.full(reps.shape[1], np.nan)
    for j in range(reps.shape[1]):
        col = reps[:, j]
        col = np.clip(col[~np.isnan(col)], -big, big)
        if col.size:
            bounds = np.quantile(col, [alpha, 1.0 - alpha])
            low[j], high[j] = (np.inf * np.sign(b) if abs(b) >= big / 2 else b for b in bounds)
    return low, high


def _warn_few_clusters(
    groups: list[_Group], group_cols: list[str], cluster: str, caller: str
) -> None:
    few = [g.key for g in groups if g.n_clusters < 2]
    if few:
        names = ", ".join("/".join(map(str, k)) or "(all)" for k in few[:5])
        warnings.warn(
            f"{caller}(): group(s) {names} of {', '.join(group_cols) or 'the table'} have fewer "
            f"than 2 values of {cluster!r} to resample; their intervals are left missing (NaN). "
            "Resample a finer unit (cluster=None) or merge groups.",
            UserWarning,
            stacklevel=3,
        )


def _adjust(p: np.ndarray, correction: str) -> np.ndarray:
    """Multiple-comparison adjustment of the non-missing p-values."""
    p = np.asarray(p, dtype=float)
    out = np.full_like(p, np.nan)
    ok = ~np.isnan(p)
    if correction == "none" or not ok.any():
        out[ok] = p[ok]
        return out
    from statsmodels.stats.multitest import multipletests

    out[ok] = multipletests(p[ok], method=correction)[1]
    return out


def _permutation_p(
    a: _Group, b: _Group, n_perm: int, rng: np.random.Generator, frames: list[str]
) -> np.ndarray:
    """Two-sided permutation p-value per frame for ``estimate(a) - estimate(b)``.

    Cluster labels (documents, or the ``cluster`` column) are permuted between the two groups;
    ``p = (1 + #{|T*| >= |T|}) / (n_perm + 1)`` (Phipson & Smyth 2010). When every cluster is
    one unit with a 0/1 value (document-level presence), the count of carrying units that a
    permutation puts in ``a`` is hypergeometric, which is drawn directly - the same
    distribution, at a fraction of the cost. Those draws are made per frame in sorted order of
    the frame names (``frames`` names the columns), so the p-values do not depend on the order
    in which the rows of the codes arrive (issue 16).
    """
    canon = np.argsort(np.asarray(frames, dtype=object), kind="stable")
    num = np.vstack([a.num_c, b.num_c])
    den = np.vstack([a.den_c, b.den_c])
    k, k_a = num.shape[0], a.n_clusters
    observed = _ratio(a.num, a.den) - _ratio(b.num, b.den)
    tot_num, tot_den = num.sum(axis=0), den.sum(axis=0)
    exceed = np.zeros(num.shape[1])
    binary = np.all(den == 1) and np.all((num == 0) | (num == 1))
    step = max(1, _BLOCK // max(num.shape[1] if binary else k, 1))
    labels = np.zeros(k)
    labels[:k_a] = 1.0
    for start in range(0, n_perm, step):
        stop = min(n_perm, start + step)
        if binary:
            good = tot_num.astype(np.int64)[canon]
            a_num = np.empty((stop - start, len(good)))
            a_num[:, canon] = rng.hypergeometric(good, k - good, k_a, size=a_num.shape)
            a_den = np.full(a_num.shape, float(k_a))
        else:
            m = rng.permuted(np.broadcast_to(labels, (stop - start, k)), axis=1)
            a_num, a_den = m @ num, m @ den
        stat = _ratio(a_num, a_den) - _ratio(tot_num - a_num, tot_den - a_den)
        with np.errstate(invalid="ignore"):
            exceed += np.sum(np.abs(stat) >= np.abs(observed) - 1e-12, axis=0)
    p = (1.0 + exceed) / (n_perm + 1.0)
    return np.where(np.isnan(observed), np.nan, p)
