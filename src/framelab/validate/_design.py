"""Validation sample design: stratified random samples with known inclusion probabilities.

A gold sample drawn at random within strata (e.g. outlet x month) with stratum sizes ``N_h`` and
sample sizes ``n_h`` gives each drawn unit the inclusion probability ``pi = n_h / N_h``. Weighting
gold units by ``1 / pi`` (Horvitz-Thompson) makes corrected estimates unbiased for the corpus even
when small strata are over-sampled (``allocation="equal"``) - provided every stratum has a
nonzero inclusion probability; see :func:`framelab.compare.prevalence` with ``gold=`` and
``correction=``. :func:`allocate` therefore gives every non-empty stratum at least one unit
whenever ``n`` is at least the number of strata. With fewer units than strata some strata get
none (``pi = 0``): the weighted estimates then speak only for the strata drawn, and
``coding_sheet`` warns and lists those strata in the sheet's ``about``.

References
----------
Horvitz, D. G. & Thompson, D. J. (1952). A generalization of sampling without replacement from
a finite universe. *JASA* 47(260), 663-685.
Cochran, W. G. (1977). *Sampling Techniques* (3rd ed.), ch. 5. Wiley.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["ALLOCATIONS", "allocate", "draw_stratified", "stratum_keys"]

ALLOCATIONS = ("proportional", "equal")


def stratum_keys(units: pd.DataFrame, columns: list[str]) -> pd.Series:
    """One string key per unit (``"a | b"``); missing values form their own stratum."""
    keys = units[columns].astype("object").where(units[columns].notna(), "<missing>")
    return keys.astype(str).agg(" | ".join, axis=1)


def allocate(sizes: pd.Series, n: int, allocation: str) -> pd.Series:
    """Sample size per stratum: proportional (largest remainder) or equal (capped at the size).

    When ``n`` is at least the number of non-empty strata, each of them gets at least one unit
    (a stratum rounded to 0 takes one from the stratum furthest above its exact share), so no
    unit has inclusion probability 0. With fewer units than strata some get 0.

    Examples
    --------
    >>> sizes = pd.Series({"a": 80, "b": 15, "c": 5})
    >>> allocate(sizes, 30, "proportional").tolist()
    [24, 5, 1]
    >>> allocate(sizes, 30, "equal").tolist()  # c has only 5 units: the rest goes to a and b
    [13, 12, 5]
    >>> allocate(pd.Series({"a": 980, "b": 15, "c": 5}), 30, "proportional").tolist()
    [28, 1, 1]
    """
    sizes = sizes.astype(int)
    if allocation == "proportional":
        exact = sizes / sizes.sum() * n
    else:
        exact = pd.Series(0.0, index=sizes.index)
        left, open_ = float(n), sizes > 0
        while left > 1e-9 and open_.any():
            share = left / open_.sum()
            room = (sizes - exact).where(open_, 0.0)
            add = np.minimum(room, share).where(open_, 0.0)
            exact += add
            left -= float(add.sum())
            open_ = (sizes - exact) > 1e-9
    quota = np.floor(exact + 1e-9).astype(int)
    left = n - int(quota.sum())
    if left:
        remainder = (exact - quota).where(quota < sizes, -1.0).to_numpy()
        order = np.argsort(-remainder, kind="stable")[:left]
        quota.iloc[order] += 1
    if n >= int((sizes > 0).sum()):
        for i in np.flatnonzero(((quota == 0) & (sizes > 0)).to_numpy()):
            surplus = (quota - exact).where(quota >= 2, -np.inf).to_numpy()
            quota.iloc[int(np.argmax(surplus))] -= 1
            quota.iloc[i] = 1
    return quota


def draw_stratified(
    keys: pd.Series | None, n: int, n_units: int, allocation: str, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Positions drawn (without replacement), each one's inclusion probability, and the strata
    that got no unit (inclusion probability 0; only when ``n`` is below the number of strata).

    Without strata the sample is a simple random sample: ``pi = n / N`` for every unit.
    """
    if keys is None:
        return rng.choice(n_units, size=n, replace=False), np.full(n, n / n_units), []
    sizes = keys.value_counts().sort_index()
    quota = allocate(sizes, n, allocation)
    empty = [str(s) for s in quota.index[(quota == 0) & (sizes > 0)]]
    picked, probs = [], []
    values = keys.to_numpy()
    for stratum, k in quota.items():
        if k:
            members = np.flatnonzero(values == stratum)
            picked.append(rng.choice(members, size=int(k), replace=False))
            probs.append(np.full(int(k), k / len(members)))
    if not picked:
        return np.array([], dtype=int), np.array([], dtype=float), empty
    return np.concatenate(picked), np.concatenate(probs), empty
